"""The blank workbook schools fill in, generated entirely from ``data_schemas/``.

``write_template(path)`` writes an "Instructions" sheet, then one sheet per table with each
column's heading in words (the schema's ``heading``) as a frozen, bold header row, drop-down
lists for codes and Y/N fields, date and number checks, and a note on every heading that
also gives the column's canonical name. Every heading is one of its field's header keys, so
reading a filled-in template back is exact (a test checks that no heading could mean two
columns). Every sheet prints on A4, fitted to the page width. The same words that explain a
field here ("what to enter", "who sees it") are reused by :mod:`pmreport.docs_gen`.

The output is byte-for-byte reproducible: fixed document dates and fixed zip timestamps.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pmreport.errors import InputUnusable
from pmreport.safe_output import workbook_bytes
from pmreport.schema import Field, SheetSchema, load_schemas, sensitivity_classes

INSTRUCTIONS_SHEET = "Instructions"
LAST_ROW = 1_048_576  # Excel's last row: checks and formats cover the whole column
FIXED_TIME = datetime(2025, 1, 1)  # document dates, so the same schemas give the same bytes
EXAMPLE_DATE = "31/10/2025"
DATE_FORMAT = "dd/mm/yyyy"
EARLIEST_DATE, LATEST_DATE = date(1990, 1, 1), date(2100, 12, 31)
MAX_LIST_FORMULA = 255  # Excel refuses a drop-down list longer than this
BOOLEAN_CHOICES = ("Y", "N")

REQUIRED_FILL = PatternFill("solid", fgColor="1F4E78")  # dark blue, white text
OPTIONAL_FILL = PatternFill("solid", fgColor="D9E1F2")  # pale blue, dark text
REQUIRED_FONT = Font(bold=True, color="FFFFFF")
OPTIONAL_FONT = Font(bold=True, color="1F1F1F")
_WRAP = Alignment(wrap_text=True, vertical="top")

_FORMATS = {"id": "@", "cycle": "@", "string": "@", "text": "@", "date": DATE_FORMAT, "integer": "0"}
_WIDTHS = {"id": 12, "cycle": 10, "string": 24, "text": 50, "date": 13, "boolean": 9, "integer": 10, "number": 10, "fte": 9}


def _number(value: float) -> str:
    return f"{value:g}"


def _range(f: Field) -> str:
    if f.minimum is not None and f.maximum is not None:
        return f" from {_number(f.minimum)} to {_number(f.maximum)}"
    if f.minimum is not None:
        return f" of at least {_number(f.minimum)}"
    if f.maximum is not None:
        return f" of at most {_number(f.maximum)}"
    return ""


def what_to_enter(f: Field) -> str:
    """How to write a value of this field, in plain words (the format, not the meaning)."""
    text = {
        "id": "A reference, kept exactly as typed (leading zeros are kept).",
        "string": "Text.",
        "text": "Free text.",
        "code": "One of the allowed codes (choose from the drop-down list).",
        "boolean": "Y or N.",
        "date": f"A date, for example {EXAMPLE_DATE}.",
        "integer": f"A whole number{_range(f)}.",
        "number": f"A number{_range(f)}.",
        "fte": "0.6, 60% or 60.",
        "cycle": "The academic year, for example 2025/26.",
    }[f.type]
    if f.references:
        sheet, column = f.references.split(".")
        text += f" Must match a {column} on the {sheet} sheet"
        text += f" (or {' or '.join(f.reference_exempt)})." if f.reference_exempt else "."
    return text


def allowed_codes(f: Field) -> str:
    """The codes a field accepts, with the groups used for analysis where there are any."""
    if f.type == "boolean":
        return "Y, N"
    text = ", ".join(f.codes)
    if f.groups:
        groups = "; ".join(f"{group}: {', '.join(codes)}" for group, codes in f.groups.items())
        text += f". Grouped for analysis as {groups}."
    return text


def _list_validation(f: Field) -> DataValidation:
    choices = BOOLEAN_CHOICES if f.type == "boolean" else f.codes
    formula = '"' + ",".join(choices) + '"'
    if len(formula) > MAX_LIST_FORMULA:  # pragma: no cover - a schema change would trip the tests
        raise ValueError(f"{f.name}: too many codes for an Excel drop-down list")
    return DataValidation(
        type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
        errorTitle="Not an allowed value", error=f"Choose one of: {', '.join(choices)}.",
    )


def _validation(f: Field) -> DataValidation | None:
    """The Excel check for a column, or None where the schema gives nothing to check."""
    if f.type in ("code", "boolean"):
        return _list_validation(f)
    if f.type == "date":
        return DataValidation(
            type="date", operator="between", allow_blank=True, showErrorMessage=True,
            formula1=str(int(to_excel(EARLIEST_DATE))), formula2=str(int(to_excel(LATEST_DATE))),
            errorTitle="Not a date", error=f"Enter a date such as {EXAMPLE_DATE}, between 1990 and 2100.",
        )
    low, high = f.minimum, f.maximum
    if f.type not in ("integer", "number"):
        return None
    if low is not None and high is not None:
        bounds = {"operator": "between", "formula1": _number(low), "formula2": _number(high)}
    elif low is not None:
        bounds = {"operator": "greaterThanOrEqual", "formula1": _number(low)}
    elif high is not None:
        bounds = {"operator": "lessThanOrEqual", "formula1": _number(high)}
    else:
        return None
    whole = f.type == "integer"
    return DataValidation(
        type="whole" if whole else "decimal", allow_blank=True, showErrorMessage=True,
        errorTitle="Number out of range", error=f"{'A whole number' if whole else 'A number'}{_range(f)}.", **bounds,
    )


def _column_width(f: Field) -> float:
    width = _WIDTHS.get(f.type, 12)
    if f.type == "code":
        width = max(len(c) for c in f.codes) + 4
    return min(max(len(f.title) + 4, width), 60)


def _fit_to_page_width(ws: Worksheet, *, landscape: bool) -> None:
    """Print on A4, every column on the page (as many pages down as it takes)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False


def _heading_note(f: Field) -> Comment:
    status = "Required" if f.required else "Optional"
    text = f"{f.description}\n\n{status}. {what_to_enter(f)}\n\nColumn name for pmreport: {f.name}"
    comment = Comment(text, "pmreport")
    comment.width = 320
    comment.height = 40 + 16 * math.ceil(len(text) / 48)
    return comment


def _add_table_sheet(wb: WorkbookType, sch: SheetSchema) -> None:
    ws = wb.create_sheet(sch.sheet)
    ws.sheet_properties.tabColor = "1F4E78" if sch.required else "A6A6A6"
    for col, f in enumerate(sch.fields, start=1):
        letter = get_column_letter(col)
        cell = ws.cell(row=1, column=col, value=f.title)
        cell.alignment = _WRAP
        cell.fill = REQUIRED_FILL if f.required else OPTIONAL_FILL
        cell.font = REQUIRED_FONT if f.required else OPTIONAL_FONT
        cell.comment = _heading_note(f)
        column = ws.column_dimensions[letter]
        column.width = _column_width(f)
        if f.type in _FORMATS:
            column.number_format = _FORMATS[f.type]
        check = _validation(f)
        if check is not None:
            ws.add_data_validation(check)
            check.add(f"{letter}2:{letter}{LAST_ROW}")
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    _fit_to_page_width(ws, landscape=True)


# --- the Instructions sheet -------------------------------------------------------------

_TABLE_HEADINGS = ("Column", "Required?", "What to enter", "What it means", "Allowed codes", "Who sees it")
_INSTRUCTION_WIDTHS = (26, 11, 30, 50, 34, 34)


def _introduction(schemas: dict[str, SheetSchema]) -> list[str]:
    sheets = ", ".join(schemas)
    return [
        "This workbook holds your school's performance management (appraisal) records. pmreport "
        "checks them against your performance management policy and writes the anonymised annual "
        "report to governors and a confidential pack for the headteacher.",
        "It contains personal data about your staff, including sensitive (special category) data "
        "such as ethnicity and disability. Keep it as securely as any other staff record, under your "
        "school's data protection policy.",
        f"There is one sheet for each kind of record: {sheets}. Each one is described below, "
        "with every column it has.",
    ]


def _how_to_fill_in() -> list[str]:
    return [
        "Enter one record per row, starting in row 2. Keep the headings in row 1 as they are, and do "
        "not rename the sheets, merge cells or add totals. Each heading's note gives the column's short "
        "name (in brackets below); pmreport reads either.",
        "Columns with a dark blue heading are required: fill them in on every row. Columns with a "
        "pale heading are optional: fill in what you have, and leave the rest blank. A blank is read "
        "as 'not recorded'.",
        "Sheets with a dark blue tab are required. The others are optional: leave them empty if you "
        "have nothing to record.",
        f"Write dates day first, for example {EXAMPLE_DATE}. Write yes/no columns as Y or N, and the "
        "cycle as the academic year, for example 2025/26.",
        "Where a column has a drop-down list, choose from it. Hover over a heading to see what the "
        "column is for.",
        "Use the same staff reference for a person on every sheet. References are kept as text, so "
        "leading zeros such as 00123 are safe.",
        "If you paste from your MIS or HR system, use Paste Special > Values so that the lists and "
        "formats stay in place. pmreport checks pasted values as well.",
        "When you have finished, save the workbook and run: pmreport validate <your file>.xlsx . It "
        "lists any problem by sheet and cell, and nothing is changed in your file.",
    ]


class _Writer:
    """Writes the Instructions sheet top to bottom."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.row = 1
        self.page_width = sum(_INSTRUCTION_WIDTHS)
        for col, width in enumerate(_INSTRUCTION_WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width

    def paragraph(self, text: str, font: Font | None = None, height: float | None = None) -> None:
        cell = self.ws.cell(row=self.row, column=1, value=text)
        cell.alignment = _WRAP
        if font is not None:
            cell.font = font
        self.ws.merge_cells(start_row=self.row, end_row=self.row, start_column=1, end_column=len(_INSTRUCTION_WIDTHS))
        lines = math.ceil(len(text) * 1.1 / self.page_width)
        self.ws.row_dimensions[self.row].height = height or 15 * max(lines, 1) + 3
        self.row += 1

    def gap(self) -> None:
        self.row += 1

    def table_row(self, values: tuple[str, ...], *, heading: bool = False, fill: PatternFill | None = None) -> None:
        lines = 1
        for col, (value, width) in enumerate(zip(values, _INSTRUCTION_WIDTHS, strict=True), start=1):
            cell = self.ws.cell(row=self.row, column=col, value=value)
            cell.alignment = _WRAP
            if heading:
                cell.font = Font(bold=True)
                cell.fill = OPTIONAL_FILL
            lines = max(lines, math.ceil(len(value) * 1.15 / width))
        if fill is not None:
            first = self.ws.cell(row=self.row, column=1)
            first.fill = fill
            first.font = REQUIRED_FONT if fill is REQUIRED_FILL else OPTIONAL_FONT
        self.ws.row_dimensions[self.row].height = 15 * lines + 3
        self.row += 1


def sheet_heading(sch: SheetSchema) -> str:
    """The Instructions sheet's heading for one sheet's section."""
    return f"The {sch.sheet} sheet ({'required' if sch.required else 'optional'})"


def _add_instructions(wb: WorkbookType, schemas: dict[str, SheetSchema]) -> None:
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    ws.sheet_view.showGridLines = False
    _fit_to_page_width(ws, landscape=True)
    out = _Writer(ws)
    out.paragraph("Performance management records: how to fill in this workbook", Font(bold=True, size=16), 24)
    out.gap()
    for text in _introduction(schemas):
        out.paragraph(text)
    out.gap()
    out.paragraph("How to fill it in", Font(bold=True, size=13), 20)
    for text in _how_to_fill_in():
        out.paragraph(f"•  {text}")
    out.gap()
    out.paragraph("Who sees what", Font(bold=True, size=13), 20)
    out.paragraph(
        "The last column of each table below says who can see what you enter. The report to governors "
        "and anything sent to a union never name or identify anyone: they show counts and rates only, "
        "and hide numbers small enough to point to a colleague."
    )
    for sch in schemas.values():
        out.gap()
        out.paragraph(sheet_heading(sch), Font(bold=True, size=13), 20)
        out.paragraph(sch.description)
        out.table_row(_TABLE_HEADINGS, heading=True)
        for f in sch.fields:
            codes = allowed_codes(f) if f.type in ("code", "boolean") else ""
            row = (f"{f.title} ({f.name})", "Required" if f.required else "Optional", what_to_enter(f), f.description, codes, sensitivity_classes()[f.sensitivity].template)
            out.table_row(row, fill=REQUIRED_FILL if f.required else OPTIONAL_FILL)


def build_template() -> WorkbookType:
    """The blank workbook, built in memory from the schemas."""
    schemas = load_schemas()
    wb = Workbook()
    _add_instructions(wb, schemas)
    for sch in schemas.values():
        _add_table_sheet(wb, sch)
    props = wb.properties
    props.creator = props.lastModifiedBy = "pmreport"
    props.title = "Performance management records"
    props.created = props.modified = FIXED_TIME
    return wb


def template_bytes() -> bytes:
    """The workbook as .xlsx bytes, identical on every run (fixed dates and zip timestamps)."""
    return workbook_bytes(build_template(), FIXED_TIME.timetuple()[:6])


def write_template(path: str | Path, *, overwrite: bool = True) -> Path:
    """Write the blank workbook to ``path`` (an .xlsx file) and return the path.

    Raises :class:`InputUnusable` when the path cannot be written, or when it exists and
    ``overwrite`` is false.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputUnusable(f"{path} does not end in .xlsx.", "Give a file name ending .xlsx, for example pm-records.xlsx.")
    if path.is_dir():
        raise InputUnusable(f"{path} is a folder.", "Give a file name ending .xlsx, for example pm-records.xlsx.")
    if path.exists() and not overwrite:
        raise InputUnusable(f"{path} already exists, so it was left as it is.", "Choose another name, or add --force to replace it.")
    if not path.parent.is_dir():
        raise InputUnusable(f"The folder {path.parent} does not exist.", "Create the folder first, or choose another one.")
    data = template_bytes()
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise InputUnusable(
            f"Could not write {path} ({exc.strerror or type(exc).__name__}).",
            "Check that the file is not open in Excel and that you may save in that folder.",
        ) from None
    return path
