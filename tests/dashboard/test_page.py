"""The governors' dashboard as a file: self-contained, offline, and carrying only gated figures.

The browser tests (tests/dashboard/test_browser.py) open the same page in Chromium.
"""

from __future__ import annotations

import copy
import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.dashboard import ReportInvalid, build_dashboard, clean_report, load_report
from pmreport.dashboard.page import cycles_with_figures, dashboard_payload, script_json
from pmreport.errors import InputUnusable
from pmreport.synth.names import FEMALE_FIRST, MALE_FIRST, SURNAMES
from tests.support.dashboard_page import SIX_MB, payload_of, scripts_of, strings, tables_of

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "report_sample.json"
CANARY = "<script>window.__pwned = true</script>"

TOP_KEYS = {"title", "school", "cycle", "cycles", "generated", "policy", "symbols", "sections", "method", "audit",
            "left_out", "citations", "draft", "headlines", "nothing_to_show"}
SECTION_KEYS = {"id", "heading", "intro", "tables"}
TABLE_KEYS = {"id", "cycle", "staff_group", "chart", "title", "description", "policy", "row_header", "columns", "rows",
              "footnotes", "symbols"}
DATE_PATTERNS = [
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b"),
]


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def html(report) -> str:
    return build_dashboard(report)


# ---- the file ----------------------------------------------------------------------------------

def test_one_self_contained_file_under_6_mb(html: str) -> None:
    assert len(html.encode("utf-8")) < SIX_MB
    assert html.count("plotly.js v") == 1, "plotly.js must be inlined exactly once"
    scripts = scripts_of(html)
    assert len(scripts) == 3  # the data, plotly.js, the dashboard's own script
    assert all("src" not in attrs for attrs, _ in scripts)
    page_without_plotly = html.replace(scripts[1][1], "")
    assert not re.search(r"<link\b|@import|\bsrc\s*=|\bhref\s*=\s*[\"'](?!#)|url\(", page_without_plotly, flags=re.I)
    assert "https://" not in page_without_plotly and "http://" not in page_without_plotly


def test_page_forbids_network_and_foreign_scripts(html: str) -> None:
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "connect-src" not in csp  # falls back to default-src 'none'


def test_payload_is_the_checked_report_and_nothing_else(report, html) -> None:
    payload = payload_of(html)
    assert payload == dashboard_payload(report)
    assert {k: v for k, v in payload.items() if k not in ("citations", "headlines", "nothing_to_show")} == clean_report(report)
    assert set(payload) <= TOP_KEYS
    assert payload["citations"]["Planning and review meeting held by the deadline"] == "§4.1"
    for section in payload["sections"]:
        assert set(section) <= SECTION_KEYS
        for table in section["tables"]:
            assert set(table) <= TABLE_KEYS
            for row in table["rows"]:
                assert set(row) == {"label", "cells"}
                for cell in row["cells"]:
                    assert set(cell) in ({"value", "text"}, {"symbol", "text"})


def test_hidden_cells_carry_no_value(html) -> None:
    payload = payload_of(html)
    hidden = [c for t in tables_of(payload) for r in t["rows"] for c in r["cells"] if "symbol" in c]
    assert hidden, "the fixture should have hidden cells"
    for cell in hidden:
        assert cell == {"symbol": cell["symbol"], "text": f"[{cell['symbol']}]"}


def test_no_names_ids_free_text_or_individual_dates(html) -> None:
    payload = payload_of(html)
    firsts, surnames = set(FEMALE_FIRST) | set(MALE_FIRST), set(SURNAMES)
    for _key, text in strings(payload):
        words = re.findall(r"[A-Za-z]+", text)
        assert not any(a in firsts and b in surnames for a, b in zip(words, words[1:], strict=False)), text
        assert not re.search(r"\b\d{5,}\b", text), f"looks like a staff id: {text!r}"
        assert "CANARY" not in text
    # the report's own words (section intros, method) may name the policy's deadlines; tables name no date
    for _key, text in strings(tables_of(payload)):
        assert not any(p.search(text) for p in DATE_PATTERNS), f"looks like a date: {text!r}"


def test_script_json_cannot_close_its_element() -> None:
    text = script_json({"t": "</script><script>alert(1)</script><!--<script>", "u": "</SCRIPT>"})
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == {"t": "</script><script>alert(1)</script><!--<script>", "u": "</SCRIPT>"}


def test_cycle_filter_offers_cycles_with_figures(report) -> None:
    payload = dashboard_payload(report)
    assert cycles_with_figures(payload) == report["cycles"]
    only_latest = copy.deepcopy(payload)
    for section in only_latest["sections"]:
        section["tables"] = [t for t in section["tables"] if t["cycle"] == report["cycle"]]
    assert cycles_with_figures(only_latest) == [report["cycle"]]


def test_canary_in_a_table_title_is_escaped(html) -> None:
    assert CANARY not in html
    assert "window.__pwned = true<\\/script>" in html


def test_html_text_is_escaped(report) -> None:
    bad = copy.deepcopy(report)
    bad["school"]["name"] = '<img src=x onerror="window.__pwned=1">Hollybrook'
    bad["title"] = "Report <b>bold</b> & co"
    page = build_dashboard(bad)
    page = page.replace(scripts_of(page)[0][1], "")  # the data, where it is JSON and cannot run
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;Hollybrook" in page
    assert "Report &lt;b&gt;bold&lt;/b&gt; &amp; co" in page


# ---- the contract with report.json ---------------------------------------------------------------

def test_keys_outside_the_contract_never_reach_the_page(report) -> None:
    planted = copy.deepcopy(report)
    planted["staff"] = [{"staff_id": "000123", "name": "Zebedee CANARYNAME Quux"}]
    planted["sections"][0]["notes"] = "CANARY-FREE-TEXT reviewee asked that this stays private"
    table = planted["sections"][0]["tables"][0]
    table["microdata"] = [{"key": "CANARY-KEY", "meeting_date": "2025-10-01"}]
    table["rows"][0]["staff_ids"] = ["000123"]
    table["rows"][0]["cells"][0]["note"] = "CANARY-CELL"
    page = build_dashboard(planted)
    for canary in ("CANARY", "000123", "2025-10-01"):
        assert canary not in page


def test_a_hidden_cell_with_a_value_is_refused(report) -> None:
    bad = copy.deepcopy(report)
    table = bad["sections"][0]["tables"][0]
    table["rows"][0]["cells"][2] = {"symbol": "c", "text": "[c]", "value": 3}
    with pytest.raises(ReportInvalid, match="figure as well as a symbol"):
        clean_report(bad)


def test_a_report_that_failed_its_audit_is_refused(report) -> None:
    bad = copy.deepcopy(report)
    bad["audit"]["passed"] = False
    with pytest.raises(ReportInvalid, match="audit"):
        clean_report(bad)
    del bad["audit"]
    with pytest.raises(ReportInvalid, match="audit"):
        clean_report(bad)


def test_what_the_report_could_not_make_is_said_under_the_title(report) -> None:
    """Issue 16: a column only some tables need was missing, so the report left those tables out and said so; the
    dashboard says it too, in the report's own words, and carries nothing else of the entry."""
    missing = {**report, "left_out": [{"analysis": "report", "sheet": "staff", "field": "contract_type",
                                       "left_out": "the tables by contract",
                                       "why": f"the sheet 'staff' has no contract_type column {CANARY}",
                                       "whole": False}]}
    page = build_dashboard(missing)
    assert payload_of(page)["left_out"] == [{"left_out": "the tables by contract",
                                             "why": f"the sheet 'staff' has no contract_type column {CANARY}"}]
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page.split("</header>")[0])).split())
    assert ("Not in this report. Some figures could not be made from the school's records and are not in this "
            "report: the tables by contract, because the sheet 'staff' has no contract_type column") in text
    assert CANARY not in page.split("</header>")[0]  # escaped, like every other text of the report
    assert "Not in this report" not in build_dashboard(report)
    bad = {**report, "left_out": ["the tables by contract"]}
    with pytest.raises(ReportInvalid, match=r"left_out\[0\]"):
        clean_report(bad)


@pytest.mark.parametrize(("change", "message"), [
    (lambda t: t["rows"][0]["cells"].pop(), "cells for"),
    (lambda t: t["columns"][0].update(kind="median"), "kind"),
    (lambda t: t["chart"].update(value_column="Nope"), "value_column"),
    (lambda t: t.update(staff_group="governors"), "staff_group"),
    (lambda t: t.update(policy="none"), "policy"),
    (lambda t: t["rows"][0]["cells"][0].update(value=float("nan")), "finite"),
    (lambda t: t["rows"][0]["cells"][0].update(value="12"), "number"),
    (lambda t: t["rows"][0]["cells"][0].update(value=True), "number"),
])
def test_malformed_tables_are_refused_with_where(report, change, message) -> None:
    bad = copy.deepcopy(report)
    (k, i), table = next(((k, i), t) for k, s in enumerate(bad["sections"]) for i, t in enumerate(s["tables"])
                         if t["chart"]["type"] == "bar")
    change(table)
    with pytest.raises(ReportInvalid, match=message) as info:
        clean_report(bad)
    assert f"sections[{k}].tables[{i}]" in info.value.message


def test_fixture_is_a_realistic_report(report) -> None:
    tables = tables_of(report)
    assert len(report["cycles"]) == 3
    assert {t["staff_group"] for t in tables} == {"all", "teachers", "support"}
    assert {t["chart"]["type"] for t in tables} == {"bar", "stacked_bar", "line", "none"}
    symbols = {c["symbol"] for t in tables for r in t["rows"] for c in r["cells"] if "symbol" in c}
    assert symbols >= {"c", "x", "z"}
    assert any(not t["rows"] for t in tables), "a withheld table"
    assert sum(CANARY in t["title"] for t in tables) == 1


# ---- the command -------------------------------------------------------------------------------

def test_cli_writes_the_dashboard(tmp_path) -> None:
    out = tmp_path / "governors" / "dashboard.html"
    result = CliRunner().invoke(app, ["dashboard", str(FIXTURE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size < SIX_MB
    assert payload_of(out.read_text(encoding="utf-8")) == dashboard_payload(load_report(FIXTURE))
    assert "needs no internet" in result.output


def test_cli_explains_a_broken_report(tmp_path) -> None:
    broken = tmp_path / "report.json"
    broken.write_text('{"title": "x",', encoding="utf-8")
    result = CliRunner().invoke(app, ["dashboard", str(broken), "--out", str(tmp_path / "d.html")])
    assert result.exit_code == 2
    assert "not valid JSON" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "d.html").exists()


def test_cli_refuses_an_unsafe_report(tmp_path, report) -> None:
    bad = copy.deepcopy(report)
    bad["audit"]["passed"] = False
    path = tmp_path / "report.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = CliRunner().invoke(app, ["dashboard", str(path), "--out", str(tmp_path / "d.html")])
    assert result.exit_code == 2
    assert "audit" in result.output
    assert not (tmp_path / "d.html").exists()


def test_cli_wants_an_html_name(tmp_path) -> None:
    result = CliRunner().invoke(app, ["dashboard", str(FIXTURE), "--out", str(tmp_path / "d.pdf")])
    assert result.exit_code == 2


def test_a_workbook_is_made_into_the_report_first(tmp_path) -> None:
    """The dashboard's only input is report.json: a workbook goes through the report's job first."""
    from pmreport.samples import SAMPLE_DIR

    with pytest.raises(InputUnusable, match="report.json"):
        load_report(SAMPLE_DIR / "primary.xlsx")
