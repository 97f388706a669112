"""The union dashboard page: it embeds union-tables.json exactly as published and nothing else."""

from __future__ import annotations

import html as html_module
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pmreport.errors import PmreportError
from pmreport.union.analysis.union_dashboard import render_union_dashboard, write_union_dashboard

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "union_tables_sample.json"


class _Page(HTMLParser):
    """The page's JSON scripts, its select options and its text outside scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: dict[str, str] = {}
        self.options: dict[str, list[tuple[str, bool]]] = {}
        self.text: list[str] = []
        self._script: str | None = None
        self._select: str | None = None
        self.n_scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.n_scripts += 1
            self._script = a.get("id") or ""
            self.scripts.setdefault(self._script, "")
        elif tag == "select":
            self._select = a["id"]
            self.options[self._select] = []
        elif tag == "option" and self._select:
            self.options[self._select].append((a["value"], "selected" in a))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._script is not None:
            self.scripts[self._script] += data
        else:
            self.text.append(data)


def _parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def published():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page(published):
    return _parsed(render_union_dashboard(published))


def test_page_embeds_exactly_the_published_tables(page, published) -> None:
    assert json.loads(page.scripts["union-data"]) == published
    # the only other data: each table's cycle and breakdown, read from its title and row heading
    facets = json.loads(page.scripts["union-facets"])
    assert len(facets) == 23 == len(published["tables"])
    assert all(set(f) == {"cycle", "breakdown"} for f in facets)
    by_title = {t["title"]: f for t, f in zip(published["tables"], facets, strict=True)}
    assert by_title["Pay progression by sex, 2024/25"] == {"cycle": "2024/25", "breakdown": "Sex"}
    assert by_title["Pay progression, 2023/24"] == {"cycle": "2023/24", "breakdown": "All schools together"}
    assert by_title["Objectives per person, by phase, 2024/25"] == {"cycle": "2024/25", "breakdown": "Phase"}
    assert by_title["Planning and review meeting held by the deadline, by local authority, 2024/25"] == {
        "cycle": "2024/25", "breakdown": "Local authority"}
    # two JSON scripts, plotly and the page's own script; nothing fetched from anywhere
    assert page.n_scripts == 4 and set(page.scripts) == {"union-data", "union-facets", ""}


def test_filters_offer_the_cycles_and_breakdowns_the_tables_carry(page) -> None:
    assert page.options["cycle-filter"] == [("2023/24", False), ("2024/25", True)]
    assert page.options["breakdown-filter"] == [
        ("", False), ("All schools together", False), ("Age", False), ("Disability", False), ("Ethnic group", False),
        ("Local authority", False), ("Phase", False), ("Pregnancy or maternity", False), ("Rule", False),
        ("Sex", False), ("Working pattern", False)]


def test_page_fetches_nothing_and_keeps_text_as_text(published) -> None:
    hostile = json.loads(json.dumps(published))
    hostile["tables"][0]["title"] = "Pay </script><script>alert(1)</script>"
    html = render_union_dashboard(hostile)
    csp = html_module.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in csp and "connect-src" not in csp
    assert json.loads(_parsed(html).scripts["union-data"])["tables"][0]["title"] == hostile["tables"][0]["title"]
    assert "</script><script>alert(1)" not in html  # the title cannot close the data script
    assert not re.search(r'<(?:link|img|iframe)[^>]+(?:src|href)="https?:', html)


def test_a_file_that_is_not_the_union_tables_is_refused_clearly(tmp_path) -> None:
    bad = tmp_path / "union-tables.json"
    bad.write_text(json.dumps({"title": "governors' report", "sections": []}), encoding="utf-8")
    with pytest.raises(PmreportError, match="not the union report's union-tables.json"):
        write_union_dashboard(bad, tmp_path / "union-dashboard.html")
    assert not (tmp_path / "union-dashboard.html").exists()


def test_a_report_that_publishes_no_figure_says_why(published) -> None:
    withheld = {"policy": "union", "local_authority": None, "region": None, "cycle": "2025/26", "cycles": [],
                "withheld": "No figures are published for 2025/26: returns from 2 schools, and at least 3 are needed.",
                "tables": []}
    page = _parsed(render_union_dashboard(withheld))
    assert json.loads(page.scripts["union-data"]) == withheld
    assert json.loads(page.scripts["union-facets"]) == []
    assert withheld["withheld"] in " ".join(page.text)
    assert page.options["cycle-filter"] == [] and page.options["breakdown-filter"] == [("", False)]
