"""End to end: `pmreport dashboard school.xlsx` on the bundled secondary sample, through pmreport's governors'
report (one disclosure gate, audited as a whole). Nothing from the workbook that identifies a person may
reach the page, and the page must open offline in Chromium."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.samples import SAMPLE_DIR
from tests.support.dashboard_browser import CHROMIUM, LAUNCH_ARGS, charted_ids, needs_chromium, open_page
from tests.support.dashboard_page import SIX_MB, payload_of, scripts_of, strings, tables_of

ROOT = Path(__file__).resolve().parents[2]
SECONDARY = SAMPLE_DIR / "secondary.xlsx"
PERSON_SHEETS = ("staff", "reviews", "objectives", "observations", "development", "appeals")
ID_COLUMNS = ("staff_id", "reviewer_id", "observer_id", "line_manager_id")
FREE_TEXT = ("notes", "description")
#: The run date, fixed: the page says when it was written, and on the wall clock that date could be any
#: person's date in the sample (it was, on 11 days of December 2026).
AS_OF = "15/01/2031"

pytestmark = pytest.mark.skipif(not (ROOT / "pmreport" / "report" / "__init__.py").exists(),
                                reason="this version of pmreport has no governors' report (pmreport.report)")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Built once per test run, even when pytest-xdist runs this module's tests in several workers."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # this run's folder, the same for every worker
    out = shared / "secondary_dashboard.html"
    with open(shared / "secondary_dashboard.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not out.exists():
            result = CliRunner().invoke(app, ["dashboard", str(SECONDARY), "--out", str(out), "--as-of", AS_OF])
            assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def page_text(built) -> str:
    """The page without plotly.js: everything pmreport put there (plotly's own code is not data)."""
    html = built.read_text(encoding="utf-8")
    return html.replace(scripts_of(html)[1][1], "")


def _date_texts(day: dt.date) -> set[str]:
    return {day.strftime("%d/%m/%Y"), day.isoformat(), f"{day.day} {day:%B %Y}", day.strftime("%d %B %Y")}


@pytest.fixture(scope="module")
def identifiers() -> dict[str, set[str]]:
    """Names, staff ids, free text and individual dates in the workbook."""
    sheets = pd.read_excel(SECONDARY, sheet_name=None, engine="calamine")
    found: dict[str, set[str]] = {"names": set(), "ids": set(), "text": set(), "dates": set()}
    school_dates = set()
    for name in ("school", "calendar"):
        for column in sheets[name].columns:
            for value in sheets[name][column].dropna():
                if isinstance(value, (pd.Timestamp, dt.datetime)):
                    school_dates |= _date_texts(value.date())
    for name in PERSON_SHEETS:
        frame = sheets[name]
        found["names"] |= {str(v) for v in frame.get("name", pd.Series(dtype=object)).dropna()}
        for column in ID_COLUMNS:
            found["ids"] |= {str(int(v)) if isinstance(v, float) else str(v) for v in frame.get(column, pd.Series(dtype=object)).dropna()}
        for column in FREE_TEXT:
            found["text"] |= {str(v) for v in frame.get(column, pd.Series(dtype=object)).dropna() if len(str(v)) > 8}
        for column in frame.columns:
            for value in frame[column].dropna():
                if isinstance(value, (pd.Timestamp, dt.datetime)):
                    found["dates"] |= _date_texts(value.date()) - school_dates
    found["ids"] -= {"GOV", "HEAD"}
    assert all(found.values()), "the sample should have names, ids, free text and dates to look for"
    return found


def test_the_page_is_dated_with_the_run_date_given(page_text) -> None:
    assert "15 January 2031" in page_text


def test_secondary_sample_dashboard_is_under_6_mb(built) -> None:
    assert built.stat().st_size < SIX_MB


def test_nothing_identifying_from_the_workbook_reaches_the_page(page_text, identifiers) -> None:
    for name in identifiers["names"]:
        assert name not in page_text
    for text in identifiers["text"]:
        assert text not in page_text
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    dates_in_page = set(re.findall(rf"(?<!\d)(\d{{1,2}}/\d{{1,2}}/\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} (?:{months}) \d{{4}})(?!\d)",
                                   page_text))
    assert not dates_in_page & identifiers["dates"]
    # staff ids are short numbers: look for them as whole words, once cycles ("2025/26") and the report's
    # own dates (deadlines, the day it was made) are taken out
    words = re.sub(r"\d{4}/\d{2}|\b\d{1,2} [A-Z][a-z]+ \d{4}\b", " ", page_text)
    tokens = set(re.findall(r"\b[A-Z]*\d+\b", words))
    assert not tokens & identifiers["ids"]


def test_hidden_figures_carry_no_value(built) -> None:
    payload = payload_of(built.read_text(encoding="utf-8"))
    cells = [c for t in tables_of(payload) for r in t["rows"] for c in r["cells"]]
    hidden = [c for c in cells if "symbol" in c]
    assert hidden and all(set(c) == {"symbol", "text"} for c in hidden)
    assert not [s for k, s in strings(payload) if "CANARY" in s]


@needs_chromium
def test_opens_offline_in_chromium(built) -> None:
    from playwright.sync_api import sync_playwright

    payload: dict[str, Any] = payload_of(built.read_text(encoding="utf-8"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            visit = open_page(browser, built)
            charts = [c for c in visit.charts() if c["id"] != "trend-glance"]
            assert [c["id"] for c in charts] == charted_ids(payload, payload["cycle"], "all")
            assert charts and all(c["drawn"] and c["traces"] for c in charts)
            visit.choose("#group-filter", "teachers")
            assert [c["id"] for c in visit.charts() if c["id"] != "trend-glance"] == \
                charted_ids(payload, payload["cycle"], "teachers")
            visit.assert_clean()
        finally:
            browser.close()
