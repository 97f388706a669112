"""report/small_xlsx.py: the charts' small workbooks read back the same in openpyxl and calamine."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from python_calamine import CalamineWorkbook

from pmreport.report.small_xlsx import one_sheet_xlsx
from pmreport.safe_output import cell_text

ROWS: list[list[str | float | None]] = [
    [None, "Met (%)", "Tom & Jerry's <b>\"team\"</b>", "  spaced  "],
    ["Café – ünïcode ✓", 95, 12.5, None],
    [cell_text("=HYPERLINK(\"x\")"), 0, -3, 1e-7],
    ["Nobody", None, None, 100],
]


def test_cells_read_back_exactly_in_openpyxl_and_calamine() -> None:
    data = one_sheet_xlsx(ROWS, "Sheet1", '0"%"')
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.title == "Sheet1"
    assert [[c.value for c in row] for row in ws.iter_rows()] == ROWS
    assert {c.number_format for row in ws.iter_rows() for c in row if isinstance(c.value, int | float)} == {'0"%"'}
    assert {c.number_format for row in ws.iter_rows() for c in row if isinstance(c.value, str)} == {"General"}
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert [[("" if v is None else float(v) if isinstance(v, int | float) else v) for v in row] for row in ROWS] == \
        [[(float(v) if isinstance(v, int | float) else v) for v in row] for row in sheet]
    assert ROWS[2][0].startswith("'")  # formula text arrives neutralised


def test_general_format_same_bytes_and_fixed_times() -> None:
    data = one_sheet_xlsx(ROWS[:2])
    assert data == one_sheet_xlsx(ROWS[:2])
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert {c.number_format for row in ws.iter_rows() for c in row} == {"General"}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}


def test_empty_sheet_is_still_a_workbook() -> None:
    ws = openpyxl.load_workbook(io.BytesIO(one_sheet_xlsx([]))).active
    assert ws.max_row == 1 and ws["A1"].value is None
