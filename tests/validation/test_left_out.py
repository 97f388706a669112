"""A column only some analyses need is missing, or no row of a sheet can be used: the other analyses run
and say what they left out and why (issue: real exports get in, item 1)."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest

from pmreport import jobs
from pmreport.errors import DataInvalid
from pmreport.schema import ANALYSES, WHOLE, load_schemas
from pmreport.validation.left_out import LeftOut
from tests.support import mutations as m

SAMPLE = m.SAMPLES / "primary.xlsx"
AS_OF = dt.date(2026, 8, 31)


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("left_out")
    columns = {(s, h): c for s, c, h in m.columns(SAMPLE)}
    return {f"{sheet}.{field}": m.without_column(SAMPLE, folder / f"{sheet}_{field}.xlsx", sheet, columns[(sheet, field)])
            for sheet, field in [("staff", "fte"), ("staff", "role_group"), ("reviews", "staff_id")]}


def test_every_required_column_says_which_analyses_need_it():
    for table, sch in load_schemas().items():
        for f in sch.fields:
            assert set(f.needed_by) <= set(ANALYSES)
            if f.required and f.name not in sch.identity:
                assert f.needed_by, f"{table}.{f.name} is required but no analysis needs it: make it optional"
            if not f.required:
                assert not f.needed_by, f"{table}.{f.name} is optional, so its absence cannot cost an analysis"


def test_a_column_some_checks_need_leaves_out_those_checks_only(broken):
    done = jobs.check(broken["staff.fte"], as_of=AS_OF)
    fte = load_schemas()["staff"].field("fte")
    assert done.left_out == [LeftOut("check", "staff", "fte", fte.needed_by["check"], False)]
    assert done.exit_code == 1
    assert done.to_dict()["left_out"] == [{
        "analysis": "check", "sheet": "staff", "field": "fte", "left_out": fte.needed_by["check"],
        "why": "the sheet 'staff' has no fte column", "whole": False}]
    # every rule is still checked, on every accepted row: nothing was set aside for the missing column
    full = jobs.check(SAMPLE, as_of=AS_OF)
    assert full.left_out == [] and full.to_dict()["left_out"] == []
    assert [r.id for r in done.compliance.rules] == [r.id for r in full.compliance.rules]
    assert done.validation.stats["staff"].accepted == full.validation.stats["staff"].accepted


def test_a_column_an_analysis_cannot_do_without_stops_it_with_one_plain_sentence(broken):
    with pytest.raises(DataInvalid) as caught:
        jobs.check(broken["staff.role_group"], as_of=AS_OF)
    assert caught.value.message == ("staff_role_group.xlsx: sheet 'staff' has no role_group column, so the policy "
                                    "checks cannot be made until it is added.")


def test_a_sheet_with_no_usable_row_is_named_in_what_was_left_out(broken, tmp_path):
    done = jobs.moderate(broken["reviews.staff_id"], tmp_path, as_of=AS_OF)
    need = load_schemas()["reviews"].needed_by["moderate"]
    assert done.left_out == [LeftOut("moderate", "reviews", None, need, False)]
    assert done.to_dict()["left_out"][0]["why"] == "no row of the sheet 'reviews' could be used"
    # moderation.json (the head's) says the same
    written = json.loads(done.files["moderation.json"].read_text(encoding="utf-8"))
    assert written["left_out"] == [{"analysis": "moderate", "sheet": "reviews", "field": None, "left_out": need,
                                    "why": "no row of the sheet 'reviews' could be used", "whole": False}]


def test_the_commands_say_what_they_left_out_on_screen_and_in_json(broken, tmp_path):
    code, text = m.run(["check", str(broken["staff.fte"]), "--as-of", "31/08/2026"])
    assert code == 1
    assert ("Left out: the observation cap pro rata: part-time staff are checked as full-time, because the sheet "
            "'staff' has no fte column.") in " ".join(text.split())
    code, text = m.run(["report", str(broken["staff.fte"]), "--out", str(tmp_path / "r"), "--no-pdf", "--no-word-charts",
                        "--no-dashboard", "--as-of", "31/08/2026", "--json"])
    assert code == 1
    body = json.loads(text[text.index("{"):])
    need = load_schemas()["staff"].field("fte").needed_by["report"]
    assert [(x["field"], x["left_out"]) for x in body["left_out"]] == [("fte", need)]
    # the governors' report.json lists it (column and analysis names only) and the report says it in words
    governors = tmp_path / "r" / "governors"
    report = json.loads((governors / "report.json").read_text(encoding="utf-8"))
    assert report["left_out"] == [{"analysis": "report", "sheet": "staff", "field": "fte", "left_out": need,
                                   "why": "the sheet 'staff' has no fte column", "whole": False}]
    page = " ".join(html.unescape((governors / "governors_report.html").read_text(encoding="utf-8")).split())
    assert (f"Not in this report.</strong> Some figures could not be made from the school's records and are not in "
            f"this report: {need}, because the sheet 'staff' has no fte column.") in page
    code, text = m.run(["check", str(broken["staff.role_group"]), "--as-of", "31/08/2026"])
    assert code == 1 and "has no role_group column" in text and "Traceback" not in text


def test_the_governors_see_pmreports_sheet_names_not_the_workbooks():
    # a school's own sheet name (mapped with a column map) could say anything: report.json uses pmreport's
    item = LeftOut("report", "Mrs Example's tracker", "fte", "the tables by full-time equivalent", False, "staff")
    assert item.public_dict() == {"analysis": "report", "sheet": "staff", "field": "fte",
                                  "left_out": "the tables by full-time equivalent",
                                  "why": "the sheet 'staff' has no fte column", "whole": False}
    assert "Mrs Example" in item.to_dict()["why"]  # the head's own outputs name the sheet as the workbook does


def test_whole_means_the_analysis_stops_for_every_field_marked_so():
    wholes = {(t, f.name, a) for t, s in load_schemas().items() for f in s.fields for a, v in f.needed_by.items() if v == WHOLE}
    assert ("staff", "role_group", "check") in wholes


def test_the_missing_column_message_is_made_from_needed_by():
    from pmreport.schema import Field
    from pmreport.validation.left_out import lost_without

    def field(**need: str) -> Field:
        return Field(name="x", type="string", required=True, sensitivity="none", description="", needed_by=need)

    assert lost_without(field()) == ""
    assert lost_without(field(check="the cap")) == "the policy checks leave out the cap"
    assert lost_without(field(check="all", report="all")) == "the policy checks and the report to governors cannot be made"
    assert lost_without(field(check="all", moderate="the bands", report="the tables")) == (
        "the policy checks cannot be made; the moderation leaves out the bands; and the report to governors leaves out the tables")
