"""A school's own column map (issue: real exports get in, item 5): pmreport map writes a starter map of a
workbook whose headings and codes no alias knows; the school fills it in once; with --mapping every row
is read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import yaml

from pmreport import jobs
from pmreport.errors import InputUnusable, RequiredSheetMissing
from tests.support import mutations as m

# A tracker kept by hand, with its own words for everything (synthetic people).
SCHOOL = [["DfE No", "Establishment", "Sector", "Council", "Year", "From", "To"],
          ["100999", "Elmfield Primary (synthetic)", "Prim", "Anyshire", "2025/26", dt.date(2025, 9, 1), dt.date(2026, 8, 31)]]
PEOPLE = [["Ref", "Who", "Kind", "Tier", "Band", "Hours Fraction", "Terms", "Began", "Yrs", "Qualified?", "Probation",
           "Support Plan", "Scribbles"],
          ["H1", "Alex Example", "HT", "HT", "L", 1, "Perm", dt.date(2015, 9, 1), 20, "Yes", "No", "No", "x"],
          ["T1", "Sam Sample", "Tchr", "CT", "M", 1, "Perm", dt.date(2019, 9, 1), 6, "Yes", "No", "No", None],
          ["T2", "Jo Placeholder", "Tchr", "CT", "M", 0.6, "FT", dt.date(2024, 1, 8), 2, "Yes", "No", "No", None],
          ["S1", "Kit Madeup", "Supp", "SUP", "S", 0.8, "Perm", dt.date(2020, 9, 1), 5, "No", "No", "No", "y"]]
LOG = [["Ref", "Year", "Appraiser"], ["H1", "2025/26", "Governors"], ["T1", "2025/26", "H1"], ["T2", "2025/26", "H1"],
       ["S1", "2025/26", "H1"]]
TARGETS = [["Ref", "Year", "No", "Area"], ["T1", "2025/26", 1, "Progress"], ["T2", "2025/26", 1, "Practice"],
           ["S1", "2025/26", 1, "Practice"]]


def _export(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in [("Setup", SCHOOL), ("Personnel", PEOPLE), ("Appraisal Log", LOG), ("Targets", TARGETS)]:
        ws = wb.create_sheet(name)
        ws.append([f"{name} - printed from the tracker"])  # a title row above the headings
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


TABLES = {"Setup": "school", "Personnel": "staff", "Appraisal Log": "reviews", "Targets": "objectives"}
FIELDS = {
    "Setup": ["urn", "school_name", "phase", "local_authority", "cycle", "cycle_start", "cycle_end"],
    "Personnel": ["staff_id", "name", "role_group", "responsibility", "pay_range", "fte", "contract_type",
                  "contract_start", "years_experience", "qts", "induction", "in_capability", None],
    "Appraisal Log": ["staff_id", "cycle", "reviewer_id"],
    "Targets": ["staff_id", "cycle", "objective_no", "category"],
}
# What each value of the tracker means, decided by the school (hand-written, not taken from pmreport).
VALUES = {
    "Setup": {"phase": {"Prim": "primary"}},
    "Personnel": {"role_group": {"HT": "headteacher", "Tchr": "teacher", "Supp": "support"},
                  "responsibility": {"HT": "headteacher", "CT": "classroom_teacher", "SUP": "support"},
                  "pay_range": {"L": "leadership", "M": "main", "S": "support"},
                  "contract_type": {"FT": "fixed_term"}},  # "Perm" is already known
    "Targets": {"category": {"Progress": "pupil_progress", "Practice": "teaching_practice"}},
}


def test_map_then_edit_then_every_row_is_read(tmp_path):
    source = _export(tmp_path / "tracker.xlsx")
    with pytest.raises(RequiredSheetMissing):  # without the map only Targets is recognised (as objectives)
        jobs.validate(source)

    first = tmp_path / "mapping.yaml"
    code, text = m.run(["map", str(source), "--out", str(first)])
    assert code == 0, text
    starter = yaml.safe_load(first.read_text(encoding="utf-8"))["sheets"]
    # every sheet and every heading is listed, none matched, each with its heading row
    assert list(starter) == list(TABLES)
    for sheet, rows in [("Setup", SCHOOL), ("Personnel", PEOPLE), ("Appraisal Log", LOG), ("Targets", TARGETS)]:
        assert starter[sheet]["table"] == ("objectives" if sheet == "Targets" else None)
        assert starter[sheet]["columns"] == dict.fromkeys(rows[0])
    assert first.read_text(encoding="utf-8").count("# TO DO") == 3 + sum(len(r[0]) for r in (SCHOOL, PEOPLE, LOG, TARGETS))

    # the head fills in the sheets and columns ...
    for sheet, fields in FIELDS.items():
        starter[sheet]["table"] = TABLES[sheet]
        starter[sheet]["columns"] = dict(zip(starter[sheet]["columns"], fields, strict=True))
    first.write_text(yaml.safe_dump({"sheets": starter}, allow_unicode=True), encoding="utf-8")

    # ... and a second map, from the first, lists every value of a coded column still to decide
    second = tmp_path / "mapping2.yaml"
    code, text = m.run(["map", str(source), "--out", str(second), "--mapping", str(first)])
    assert code == 0, text
    listed = yaml.safe_load(second.read_text(encoding="utf-8"))["sheets"]
    for sheet, fields in VALUES.items():
        assert listed[sheet]["values"] == {f: dict.fromkeys(v) for f, v in fields.items()}, sheet
        listed[sheet]["values"] = fields
    assert "values" not in listed["Appraisal Log"]  # "Governors" on the head's review is the governing body
    second.write_text(yaml.safe_dump({"sheets": listed}, allow_unicode=True), encoding="utf-8")

    report = jobs.validate(source, mapping=second)
    assert report.errors == [], report.flatten()
    expected = {"school": 1, "staff": 4, "reviews": 4, "objectives": 3}
    assert {t: s.accepted for t, s in report.stats.items()} == expected
    assert all(s.quarantined == 0 for s in report.stats.values())
    assert not [i for i in report.issues if i.code == "unknown_column"]  # Scribbles: null, not read, not warned about
    code, text = m.run(["validate", str(source), "--mapping", str(second)])
    assert code == 0, text
    done = jobs.check(source, mapping=second, as_of=dt.date(2026, 8, 31))
    assert done.validation.stats["staff"].accepted == 4


def test_a_wrong_map_is_named_with_its_fix(tmp_path):
    source = _export(tmp_path / "tracker.xlsx")
    bad = tmp_path / "bad.yaml"
    bad.write_text('sheets:\n  "Personnel":\n    table: staff\n    columns:\n      "Kind": rolegroup\n', encoding="utf-8")
    with pytest.raises(InputUnusable) as caught:
        jobs.validate(source, mapping=bad)
    assert caught.value.message == "The column map bad.yaml: sheet 'Personnel', column 'Kind': 'rolegroup' is not a field of the staff sheet."
    code, text = m.run(["check", str(source), "--mapping", str(bad)])
    assert code == 2 and "rolegroup" in text


@pytest.mark.parametrize("kind", ["sims", "arbor", "bromcom", "scholarpack"])
def test_a_starter_map_used_as_written_reads_an_export_exactly_as_without_it(kind, tmp_path):
    from tests.exports import builders

    if kind == "arbor":
        (tmp_path / "arbor").mkdir()
        source = builders.arbor_folder(tmp_path / "arbor")
    else:
        source = getattr(builders, f"{kind}_workbook")(tmp_path / f"{kind}.xlsx")
    mapping = tmp_path / "mapping.yaml"
    code, text = m.run(["map", str(source), "--out", str(mapping)])
    assert code == 0, text
    without, using = jobs.validate(source), jobs.validate(source, mapping=mapping)
    keys = ("code", "sheet", "row", "column")
    # the same problems, except the note that one of two staff id columns was read: the map says not to read the other
    assert using.flatten(keys) == [i for i in without.flatten(keys) if i[0] != "column_choice"]
    assert {t: (s.accepted, s.quarantined) for t, s in using.stats.items()} == \
        {t: (s.accepted, s.quarantined) for t, s in without.stats.items()}


def test_a_map_decides_a_sheet_before_its_name_does(tmp_path):
    source = _export(tmp_path / "tracker.xlsx")
    skip = tmp_path / "skip.yaml"
    skip.write_text('sheets:\n  "Targets":\n    table: null\n', encoding="utf-8")
    with pytest.raises(RequiredSheetMissing) as caught:  # without the map, Targets would be read as objectives
        jobs.validate(source, mapping=skip)
    assert "'objectives'" in caught.value.message
    out = tmp_path / "again.yaml"
    jobs.write_map(source, out, mapping=skip)
    assert '  "Targets":  # no heading row found\n    table: null  # not read\n' in out.read_text(encoding="utf-8")
