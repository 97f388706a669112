"""The union dashboard in real headless Chromium, opened from file:// with every other request blocked.

Skipped only when /usr/bin/chromium is absent (``make test`` installs it: scripts/ensure-chromium.sh).
The expected tables are worked out here by hand from the fixture's titles, not by the page's code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmreport.union.analysis.union_dashboard import write_union_dashboard
from tests.support.browser import Visit, launch, needs_chromium, open_page

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "union_tables_sample.json"
ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = needs_chromium

PUBLISHED = json.loads(FIXTURE.read_text(encoding="utf-8"))
TITLES = [t["title"] for t in PUBLISHED["tables"]]
# by hand from the fixture: 21 tables are about 2024/25 and two about 2023/24; three are by sex
IN_2023 = [16, 17]
IN_2024 = [i for i in range(23) if i not in IN_2023]
BY_SEX_2024 = [0, 1, 2]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = launch(p)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def opened(browser, tmp_path_factory) -> Iterator[Visit]:
    out = tmp_path_factory.mktemp("union-dashboard")
    (out / "union-tables.json").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    page = write_union_dashboard(out / "union-tables.json", out / "union-dashboard.html")
    v = open_page(browser, page)
    yield v
    v.page.context.close()


@pytest.fixture
def visit(opened) -> Visit:
    """The opened page with its filters back at the report's cycle and every breakdown."""
    if opened.page.eval_on_selector("#cycle-filter", "s => s.value") != "2024/25":
        opened.choose("#cycle-filter", "2024/25")
    if opened.page.eval_on_selector("#breakdown-filter", "s => s.value") != "":
        opened.choose("#breakdown-filter", "")
    return opened


def _blocks(visit: Visit) -> list[dict[str, Any]]:
    """Each table shown: its index, heading, whether it has a chart drawn by plotly and a table beside it."""
    return visit.page.evaluate("""() => Array.from(document.querySelectorAll('article.table-block')).map(a => {
        const chart = a.querySelector('.chart');
        return {index: Number(a.dataset.tableIndex), title: a.querySelector('h3').textContent,
                chart: chart !== null && chart.classList.contains('js-plotly-plot') && chart.querySelector('.main-svg') !== null,
                traces: chart && chart.data ? chart.data.map(t => ({x: t.x, y: t.y})) : [],
                table: a.querySelector('.pair table.figures') !== null,
                cells: Array.from(a.querySelectorAll('tbody td')).map(td => td.textContent)};
    })""")


def test_every_table_shown_has_a_chart_and_a_table_offline(visit) -> None:
    blocks = _blocks(visit)
    assert [b["index"] for b in blocks] == IN_2024
    assert [b["title"] for b in blocks] == [TITLES[i] for i in IN_2024]
    for b in blocks:
        assert b["chart"] and b["traces"], f"no chart drawn for {b['title']}"
        assert b["table"], f"no table beside the chart of {b['title']}"
    ARTIFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTIFACTS / "union-dashboard.png"), full_page=True,
                          clip={"x": 0, "y": 0, "width": 1280, "height": 2400})
    visit.assert_clean()


def test_figures_are_shown_exactly_as_published(visit) -> None:
    blocks = {b["index"]: b for b in _blocks(visit)}
    # "Pay progression by sex, 2024/25": 210 people, 165 progressed, 45 did not, 80%; each sex's split hidden
    assert blocks[0]["cells"] == ["210", "165", "45", "80%", "160", "[c]", "[c]", "[c]", "50", "[c]", "[c]", "[c]"]
    # its chart draws the percentages: 80 for everyone, gaps (not zeros) for the hidden ones
    assert blocks[0]["traces"] == [{"x": [80, None, None], "y": blocks[0]["traces"][0]["y"]}]
    for b in blocks.values():
        table = PUBLISHED["tables"][b["index"]]
        assert b["cells"] == [c["text"] for row in table["rows"] for c in row["cells"]]
    symbols = visit.page.evaluate("""() => Array.from(document.querySelectorAll('td.sym')).map(td =>
        [td.dataset.symbol, td.textContent, td.querySelector('abbr').title])""")
    assert symbols and all(text == f"[{s}]" and meaning for s, text, meaning in symbols)
    visit.assert_clean()


def test_changing_a_filter_changes_what_is_shown(visit) -> None:
    before = _blocks(visit)
    visit.choose("#cycle-filter", "2023/24")
    earlier = _blocks(visit)
    assert [b["index"] for b in earlier] == IN_2023
    assert [b["title"] for b in earlier] == ["Pay progression, 2023/24", "Reviews held by the deadline, 2023/24"]
    assert all(b["chart"] and b["table"] for b in earlier)
    assert visit.page.locator("#status").text_content() == "Showing 2023/24, every breakdown: 2 tables and 2 charts."
    visit.choose("#cycle-filter", "2024/25")
    visit.choose("#breakdown-filter", "Sex")
    by_sex = _blocks(visit)
    assert [b["index"] for b in by_sex] == BY_SEX_2024
    assert len(before) == 21 and len(by_sex) == 3
    headings = visit.page.evaluate("() => Array.from(document.querySelectorAll('#sections h2')).map(h => h.textContent)")
    assert headings == ["By sex"]
    assert visit.page.locator("#status").text_content() == "Showing 2024/25, figures by sex: 3 tables and 3 charts."
    visit.assert_clean()


def test_filters_are_labelled_and_charts_save_as_png_only_offline(visit) -> None:
    page = visit.page
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    for select in ("cycle-filter", "breakdown-filter"):
        assert page.locator(f'label[for="{select}"]').count() == 1
    labels = page.evaluate("() => Array.from(document.querySelectorAll('.chart')).map(c => c.getAttribute('aria-label'))")
    assert labels and all(label.startswith("Chart: ") for label in labels)
    buttons = page.evaluate(
        "() => [...new Set(Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.dataset.title))]")
    assert buttons == ["Download plot as a PNG"]
    assert page.locator("script").count() == 4
    visit.assert_clean()


def test_a_report_with_no_figure_opens_and_says_so(browser, tmp_path) -> None:
    withheld = {"policy": "union", "local_authority": None, "region": None, "cycle": "2025/26", "cycles": [],
                "withheld": "No figures are published for 2025/26: returns from 2 schools, and at least 3 are needed.",
                "tables": []}
    (tmp_path / "union-tables.json").write_text(json.dumps(withheld), encoding="utf-8")
    visit = open_page(browser, write_union_dashboard(tmp_path / "union-tables.json", tmp_path / "union-dashboard.html"))
    try:
        assert visit.page.locator("#status").text_content() == "The union report published no table."
        assert visit.page.locator("#sections").text_content() == "The union report published no table for this choice."
        assert withheld["withheld"] in visit.page.locator("header").text_content()
        visit.assert_clean()
    finally:
        visit.page.context.close()
