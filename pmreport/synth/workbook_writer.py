"""Writing a synthetic school: clean or messy workbook, a CSV folder, and the truth file.

Workbooks are byte-for-byte reproducible: fixed document properties and fixed zip timestamps.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pmreport.safe_output import workbook_bytes as xlsx_bytes
from pmreport.schema import SHEET_ORDER, load_schemas
from pmreport.synth.sheet import SchoolRecords, Sheet

FIXED_TIME = datetime(2024, 1, 1, 0, 0, 0)


def clean_sheets(school: SchoolRecords) -> list[Sheet]:
    out = []
    for sheet in SHEET_ORDER:
        names = load_schemas()[sheet].names
        rows = [list(names)] + [[r.get(n) for n in names] for r in school.records[sheet]]
        out.append(Sheet(sheet, rows))
    return out


def _cells(ws, row: list, bold: bool) -> list:
    cells = []
    for value in row:
        if isinstance(value, date) and not isinstance(value, datetime):
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = "dd/mm/yyyy"
        elif bold and value is not None:
            cell = WriteOnlyCell(ws, value=value)
            cell.font = Font(bold=True)
        else:
            cell = value
        cells.append(cell)
    return cells


def workbook_bytes(sheets: list[Sheet], title: str) -> bytes:
    wb = Workbook(write_only=True)
    props = wb.properties
    props.creator = props.lastModifiedBy = "pmreport synthetic data"
    props.title = title
    props.created = props.modified = FIXED_TIME
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        if sheet.header_row is not None:
            header = sheet.rows[sheet.header_row]
            for i, name in enumerate(header, start=1):
                ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(str(name or "")) + 3))
            ws.freeze_panes = f"A{sheet.header_row + 2}"
        for i, row in enumerate(sheet.rows):
            ws.append(_cells(ws, row, bold=i == sheet.header_row))
    return xlsx_bytes(wb, FIXED_TIME.timetuple()[:6])


def write_workbook(school: SchoolRecords, path: Path, messy: bool = False) -> None:
    if messy:
        from pmreport.synth.messy import messy_sheets

        sheets = messy_sheets(school)
    else:
        sheets = clean_sheets(school)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(sheets, f"Appraisal records - {school.school_name} (synthetic)"))


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format(value, "g")
    return str(value)


def write_csv_dir(school: SchoolRecords, path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    for sheet in clean_sheets(school):
        with open(path / f"{sheet.title}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            for row in sheet.rows:
                writer.writerow([csv_value(v) for v in row])


def write_truth(school: SchoolRecords, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(school.truth, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
