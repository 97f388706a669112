"""The dashboard's headline cards: one per item of policy §10, each labelled with what it counts, and in
agreement, figure for figure, with the summary on page 1 and with the tables (all read back from
report.json here, by the test's own look-up)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from pmreport.dashboard import build_dashboard
from pmreport.dashboard.page import dashboard_payload
from pmreport.jobs import governors_content
from pmreport.report import publish
from pmreport.synth import generate

NUMBER = re.compile(r"\d+")
SECTION_ORDER = ["operation", "effectiveness", "appeals", "development", "equality"]


def _cell(report: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    table = next(t for s in report["sections"] for t in s["tables"] if t["id"] == ref["table"])
    row = next(r for r in table["rows"] if r["label"] == ref["row"])
    return row["cells"][[c["label"] for c in table["columns"]].index(ref["column"])]


def _key(ref: dict[str, Any]) -> tuple[str, str, str, Any]:
    return ref["table"], ref["row"], ref["column"], ref.get("value", (ref.get("low"), ref.get("high")))


def _numbers(ref: dict[str, Any]) -> set[int]:
    """The numbers a figure may be quoted with: its value, or the numbers of its band's words ("at least 106")."""
    return {ref["value"]} if "value" in ref else {int(n) for n in NUMBER.findall(ref["text"])}


def check_cards(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every card's figures are published cells, its text quotes only them, and the summary quotes the
    same cells for the same §10 item; every summary item with figures has its card."""
    cards = dashboard_payload(report)["headlines"][report["cycle"]]["all"]
    sections = [c["section"] for c in cards]
    assert sections == sorted(sections, key=SECTION_ORDER.index) and len(set(sections)) == len(sections)
    summary = {part["section"]: {_key(ref) for s in part["sentences"] for ref in s["figures"]}
               for part in report["summary"]}
    for card in cards:
        assert card["label"] and card["source"] and card["item"]
        for ref in card["figures"]:
            cell = _cell(report, ref)
            if "value" in ref:
                assert cell.get("value") == ref["value"], ref
            else:  # a band, quoted in the table's own words
                assert (cell.get("low"), cell.get("high"), cell["text"]) == (ref["low"], ref["high"], ref["text"]), ref
                assert card["figure"].startswith(ref["text"]), card
            assert _key(ref) in summary.get(card["section"], set()), (card, "not the summary's figure")
        quoted = {int(n) for n in NUMBER.findall(card["figure"])}
        assert quoted <= set().union(*(_numbers(ref) for ref in card["figures"])), card
        if card["figure"] == "Not shown":
            assert card["figures"] == [] and card["note"]
    for section, refs in summary.items():
        if refs and section in SECTION_ORDER:
            assert section in sections, f"the summary has figures for {section} but no card does"
    return cards


@pytest.fixture(scope="module")
def secondary(secondary_published) -> dict[str, Any]:
    return secondary_published


def test_secondary_cards_answer_section_10_in_the_summarys_figures(secondary):
    cards = {c["section"]: c for c in check_cards(secondary)}
    # the head's own check of sample_data/secondary.xlsx: 109 of 111 meetings held by the deadline
    assert cards["operation"]["figure"] == "109 of 111"
    assert cards["operation"]["label"].startswith("planning and review meetings held by the deadline")
    # not "the first figure that is not hidden": the appeals card is about appeals, and gives the band the appeals
    # table gives ("No appeal": at least 106 of 111)
    assert cards["appeals"]["label"].endswith("did not appeal") and cards["appeals"]["figure"] == "at least 106 of 111"
    assert cards["equality"]["label"].endswith("progressed on pay")
    assert "(not the headteacher)" in cards["effectiveness"]["label"]


@pytest.mark.parametrize("n_staff", [8, 26, 60])
def test_small_and_middling_schools_cards_agree_with_summary_and_tables(n_staff):
    school = generate("primary", seed=n_staff, n_staff=n_staff, cycles=2)
    check_cards(publish(governors_content(school.data, salt="s"), dt.date(2027, 1, 15)))


def test_the_page_shows_exactly_the_cards(secondary, tmp_path):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("chromium is not installed at /usr/bin/chromium: the cards were checked, not their drawing")
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "dashboard.html"
    page_file.write_text(build_dashboard(secondary), encoding="utf-8")
    cards = dashboard_payload(secondary)["headlines"][secondary["cycle"]]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-rendered]")
        read = "() => Array.from(document.querySelectorAll('#tiles .tile')).map(t => [t.querySelector('.figure').textContent, t.querySelector('.what').textContent])"
        shown_all = page.evaluate(read)
        page.select_option("#group-filter", "teachers")
        page.wait_for_function("document.body.getAttribute('data-rendered') === '2'")
        shown_teachers = page.evaluate(read)
        browser.close()
    assert shown_all == [[c["figure"], c["label"]] for c in cards["all"]]
    assert shown_teachers == [[c["figure"], c["label"]] for c in cards["teachers"]]


def test_a_small_schools_empty_comparisons_are_one_sentence_per_section_on_the_page(tmp_path):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    from pmreport.report.fit import nothing_shown_sentence, nothing_to_show

    school = generate("primary", seed=26, n_staff=26, cycles=1)
    report = publish(governors_content(school.data, salt="s"), dt.date(2027, 1, 15))
    page_file = tmp_path / "dashboard.html"
    page_file.write_text(build_dashboard(report), encoding="utf-8")
    expected = {}
    for s in report["sections"]:
        mine = [t for t in s["tables"] if t["staff_group"] == "all"]
        if any(nothing_to_show(t) for t in mine):
            expected[f"section-{s['id']}"] = nothing_shown_sentence(mine)
    assert "section-equality" in expected  # the "By X [c]" tables of a 26-staff school
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-rendered]")
        got = page.evaluate("() => Object.fromEntries(Array.from(document.querySelectorAll('#sections .panel'))"
                            ".filter(p => p.querySelector('.nothing-shown'))"
                            ".map(p => [p.id, p.querySelector('.nothing-shown').textContent]))")
        blocks = page.evaluate("() => Array.from(document.querySelectorAll('.table-block')).map(a => a.dataset.tableId)")
        browser.close()
    assert got == expected
    quiet = {t["id"] for s in report["sections"] for t in s["tables"] if nothing_to_show(t)}
    assert blocks and not quiet & set(blocks)
