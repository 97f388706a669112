"""Trackers the template cannot read (issue: real exports get in, item 10): one sheet per term, or one row
per objective with the person's details repeated, get a message saying how to move them into the
template and which sheets and columns pmreport looked for."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pmreport import jobs
from pmreport.errors import RequiredSheetMissing
from tests.support import mutations as m


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


TERM_ROWS = [["Staff ID", "Meeting", "Notes"], ["T1", "01/10/2025", "ok"], ["T2", "03/10/2025", "ok"]]


def test_one_sheet_per_term_is_told_how_to_move_into_the_template(tmp_path):
    path = _book(tmp_path / "terms.xlsx", {"Autumn": TERM_ROWS, "Spring": TERM_ROWS, "Summer": TERM_ROWS})
    with pytest.raises(RequiredSheetMissing) as caught:
        jobs.validate(path)
    message, fix = caught.value.message, caught.value.fix or ""
    assert "looks like one sheet per term ('Autumn', 'Spring', 'Summer')" in message
    assert "each person's review for the cycle on one row of 'reviews'" in message
    assert fix.startswith("pmreport looked for these sheets: 'school' (required; columns cycle); ")
    assert "'reviews' (required; columns staff_id, cycle, reviewer_id)" in fix
    code, text = m.run(["validate", str(path)])
    assert code == 2 and "one sheet per term" in " ".join(text.split())


def test_one_row_per_objective_is_told_to_split_people_from_objectives(tmp_path):
    rows = [["Staff ID", "Name", "Post", "Objective", "Target Date"],
            ["T1", "Sam Sample", "Class Teacher", "Raise reading", "01/07/2026"],
            ["T1", "Sam Sample", "Class Teacher", "Lead phonics", "01/07/2026"],
            ["T2", "Jo Placeholder", "Class Teacher", "Maths mastery", "01/07/2026"]]
    path = _book(tmp_path / "objectives.xlsx", {"Tracker 2025-26": rows})
    with pytest.raises(RequiredSheetMissing) as caught:
        jobs.validate(path)
    assert "looks like one row per objective, with the person's details repeated" in caught.value.message
    assert "'objectives' (required; columns staff_id, cycle, objective_no, category)" in (caught.value.fix or "")


def test_an_ordinary_missing_sheet_gets_the_ordinary_message(tmp_path):
    path = _book(tmp_path / "plain.xlsx", {"Staff": [["Staff ID", "Role Group"], ["T1", "Teacher"]]})
    with pytest.raises(RequiredSheetMissing) as caught:
        jobs.validate(path)
    assert "looks like" not in caught.value.message and "pmreport map" in (caught.value.fix or "")
