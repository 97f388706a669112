"""The whole pipeline on small workbooks written in the test, with the whole issue list asserted."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from pmreport.errors import InputUnusable, RequiredSheetMissing
from pmreport.pipeline import load_school, validate_path
from tests.conftest import build_workbook


def test_minimal_workbook_is_valid(minimal_workbook):
    data, report = load_school(minimal_workbook)
    assert report.errors == [], report.flatten(("code", "sheet", "row", "column", "message"))
    assert [s.accepted for s in report.stats.values()] == [1, 3, 3, 2]
    assert len(data.staff) == 3
    assert data.staff["staff_id"].tolist() == ["000101", "000102", "000103"]
    assert str(data.reviews["meeting_date"].dtype) == "datetime64[ns]"
    assert data.reviews["meeting_date"].iloc[1] == dt.datetime(2025, 10, 1)
    assert data.staff["fte"].tolist() == [1.0, 0.6, 0.8]
    assert data.staff["qts"].tolist() == [True, True, False]
    assert data.latest_cycle == "2025/26"
    # optional sheets are there, empty, with every canonical column
    assert data.observations.empty and "duration_minutes" in data.observations.columns


def test_input_file_is_not_modified(minimal_workbook):
    before = hashlib.sha256(minimal_workbook.read_bytes()).hexdigest()
    load_school(minimal_workbook)
    assert hashlib.sha256(minimal_workbook.read_bytes()).hexdigest() == before


def test_every_fault_is_found_at_its_cell(tmp_path, minimal_sheets):
    s = minimal_sheets
    s["staff"][2][6] = 1.5                      # G3: FTE out of range
    s["staff"][3][8] = "31/02/2020"             # I4: impossible date
    s["staff"].append(["000104", "Dee Example", "teacher", "Teacher", "classroom_teacher", "main", 1, "permanent",
                       dt.date(2021, 9, 1), 3, "Y", "N", "N", "000999", "female"])  # row 5: unknown line manager (N5), kept
    s["reviews"][2][4] = dt.date(2025, 10, 6)   # E3: meeting after the draft statement (F3)
    s["reviews"][3][7] = "mett"                 # H4: unknown code
    s["reviews"].append(["000101", "2025/26", "GOV", None, None, None, None, "met"])  # row 5: duplicate review
    s["objectives"][1][3] = None                # D2: required category blank
    path = build_workbook(tmp_path / "faulty.xlsx", s)
    data, report = load_school(path)
    # errors first, then by table in workbook order, row and column
    assert report.flatten(("code", "sheet", "row", "column")) == [
        ["fte_out_of_range", "staff", 3, "G"],
        ["impossible_date", "staff", 4, "I"],
        ["duplicate_key", "reviews", 2, "A"],
        ["reference_set_aside", "reviews", 3, "A"],  # its staff row (000102) was set aside
        ["dates_out_of_order", "reviews", 3, "F"],
        ["reference_set_aside", "reviews", 4, "A"],
        ["unknown_code", "reviews", 4, "H"],
        ["duplicate_key", "reviews", 5, "A"],
        ["reference_set_aside", "objectives", 2, "A"],
        ["missing_value", "objectives", 2, "D"],
        ["reference_set_aside", "objectives", 3, "A"],
        ["reference_not_known", "staff", 5, "N"],  # an optional reference: a warning, the row is kept
    ]
    # row accounting: everything read is accepted or set aside
    stats = {k: (v.read, v.accepted, v.quarantined, v.blank) for k, v in report.stats.items()}
    assert stats == {"school": (1, 1, 0, 0), "staff": (4, 2, 2, 0), "reviews": (4, 0, 4, 0), "objectives": (2, 0, 2, 0)}
    assert len(data.quarantine["reviews"]) == 4
    assert "duplicate_key" in data.quarantine["reviews"]["_reasons"].iloc[0]


def test_messy_headers_title_rows_and_aliases(tmp_path, minimal_sheets):
    s = minimal_sheets
    s["staff"][0] = ["Payroll Number", "Full Name", "Staff Type", "Job Title", "Level of Responsibility", "Pay Scale", "FTE %",
                     "Contract", "Start Date", "Years Experience", "QTS", "ECT", "Capability", "Reports To", "Gender"]
    for row in s["staff"][1:]:
        row[6] = f"{int(row[6] * 100)}%"
        row[8] = row[8].strftime("%d/%m/%Y")
        row[14] = row[14][0].upper()
    s["Staff List"] = [["Staff export from MIS"], [None], *s.pop("staff")]
    s["reviews"][0] = ["Staff ID", "Academic Year", "Appraiser", "Date Notified", "Date of Planning Meeting", "Draft Issued",
                       "Date Signed", "Overall Assessment"]
    path = build_workbook(tmp_path / "messy.xlsx", s)
    data, report = load_school(path)
    assert report.errors == [], report.flatten(("code", "sheet", "row", "column", "message"))
    assert data.staff["fte"].tolist() == [1.0, 0.6, 0.8]
    assert data.staff["sex"].tolist() == ["female", "male", "female"]
    assert data.staff["_row"].tolist() == [4, 5, 6]


def test_unknown_column_gets_a_suggestion(tmp_path, minimal_sheets):
    minimal_sheets["staff"][0][10] = "QTSS"
    minimal_sheets["staff"][0].append("Shoe size")
    report = validate_path(build_workbook(tmp_path / "s.xlsx", minimal_sheets))
    messages = {(i.code, i.column): i.message for i in report.issues}
    assert "Did you mean 'qts'" in messages[("unknown_column", "K")]
    assert ("missing_column", None) in messages  # qts is required and now absent
    assert ("unknown_column", "P") in messages


def test_sensitive_values_are_not_shown_unless_asked(tmp_path, minimal_sheets):
    minimal_sheets["staff"][2][13] = "SECRET-ID-42"
    path = build_workbook(tmp_path / "s.xlsx", minimal_sheets)
    hidden = validate_path(path)
    assert "SECRET-ID-42" not in str(hidden.to_dict())
    shown = validate_path(path, show_values=True)
    assert "SECRET-ID-42" in str(shown.to_dict())


def test_missing_required_sheet_is_unusable(tmp_path, minimal_sheets):
    del minimal_sheets["reviews"]
    with pytest.raises(RequiredSheetMissing, match="'reviews'"):
        load_school(build_workbook(tmp_path / "s.xlsx", minimal_sheets))


def test_csv_folder_in_windows_1252_with_semicolons(tmp_path, minimal_sheets):
    import csv

    folder = tmp_path / "csv"
    folder.mkdir()
    minimal_sheets["staff"][2][1] = "Zoë Café"
    for name, rows in minimal_sheets.items():
        with open(folder / f"{name}.csv", "w", encoding="cp1252", newline="") as fh:
            w = csv.writer(fh, delimiter=";")
            for row in rows:
                w.writerow([r.strftime("%d/%m/%Y") if isinstance(r, dt.date) else r for r in row])
    data, report = load_school(folder)
    assert report.errors == [], report.flatten(("code", "sheet", "row", "column", "message"))
    assert data.staff["name"].iloc[1] == "Zoë Café"
    assert data.staff["staff_id"].iloc[0] == "000101"


@pytest.mark.parametrize(("name", "content", "fragment"), [
    ("empty.xlsx", b"", r"empty \(0 bytes\)"),
    ("text.xlsx", b"staff_id,name\n1,A\n", "not a valid Excel workbook"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old-style Excel 97-2003"),
    ("notes.txt", b"hello", "not an Excel workbook"),
])
def test_unusable_files(tmp_path, name, content, fragment):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(InputUnusable, match=fragment):
        load_school(p)


def test_password_protected_workbook(tmp_path, minimal_workbook):
    import io

    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with open(minimal_workbook, "rb") as fh:
        OOXMLFile(fh).encrypt("secret", out)
    p = tmp_path / "locked.xlsx"
    p.write_bytes(out.getvalue())
    with pytest.raises(InputUnusable, match="protected with a password"):
        load_school(p)
