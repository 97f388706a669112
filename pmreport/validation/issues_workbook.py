"""The issues workbook (``pmreport validate --issues-out issues.xlsx``): every problem, root causes first,
readable as it opens: wrapped text, widths that fit, a filter and a frozen header. Written even when
the file cannot be used at all, with that one problem in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pmreport.validation.catalogue import tier
from pmreport.validation.outcome import Issue, ValidationReport

COLUMNS = ("Order", "Kind", "Severity", "Sheet", "Cell", "Column", "Problem", "What to do", "Value", "File")
#: Widest a column may grow (characters); "What to do" is wide and wraps.
WIDTHS = {"Order": 7, "Kind": 16, "Severity": 10, "Sheet": 24, "Cell": 10, "Column": 22, "Problem": 30, "What to do": 90,
          "Value": 24, "File": 30}
KINDS = {0: "Cause", 1: "Error in a cell", 2: "Knock-on", 3: "Warning", 4: "Information"}


def rows(report: ValidationReport) -> list[dict[str, Any]]:
    return [_row(n, i) for n, i in enumerate(report.sorted_issues(), start=1)]


def _row(n: int, i: Issue) -> dict[str, Any]:
    return {"Order": n, "Kind": KINDS[tier(i.code, i.severity)], "Severity": i.severity.capitalize(), "Sheet": i.sheet or "",
            "Cell": i.cell or (f"row {i.row}" if i.row else f"column {i.column}" if i.column else ""), "Column": i.field or "",
            "Problem": i.title, "What to do": i.message, "Value": i.value or "", "File": i.file}


def fatal_rows(file: str, message: str, fix: str | None) -> list[dict[str, Any]]:
    """The one problem that stopped the file being used (exit 2)."""
    return [{"Order": 1, "Kind": "Cause", "Severity": "Error", "Sheet": "", "Cell": "", "Column": "",
             "Problem": "The file cannot be used", "What to do": f"{message} {fix or ''}".strip(), "Value": "", "File": file}]


def write(path: Path, table: list[dict[str, Any]]) -> None:
    """The issues as .xlsx (formatted) or .csv, for the head only (values may be shown)."""
    import pandas as pd

    from pmreport.safe_output import (
        CONFIDENTIAL_BANNER,
        cell_text,
        check_confidential_target,
        save_workbook,
        write_tables,
    )

    if path.suffix.lower() == ".csv":
        write_tables(path, {"Issues": pd.DataFrame(table, columns=list(COLUMNS))}, confidential=True)
        return
    check_confidential_target(path)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Issues"
    ws.cell(1, 1, CONFIDENTIAL_BANNER).font = Font(bold=True, color="9C0006")
    ws.cell(1, 1).fill = PatternFill("solid", fgColor="FFC7CE")
    head = 3
    fills = {"Error": "FFC7CE", "Warning": "FFEB9C", "Information": "DDEBF7"}
    for j, name in enumerate(COLUMNS, start=1):
        cell = ws.cell(head, j, name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        longest = max([len(name)] + [len(str(r[name])) for r in table])
        ws.column_dimensions[get_column_letter(j)].width = min(WIDTHS[name], longest + 2)
    top = Alignment(vertical="top", wrap_text=True)
    for i, r in enumerate(table, start=head + 1):
        for j, name in enumerate(COLUMNS, start=1):
            cell = ws.cell(i, j, cell_text(r[name]))
            cell.alignment = top
        sev = ws.cell(i, COLUMNS.index("Severity") + 1)
        sev.fill = PatternFill("solid", fgColor=fills.get(str(r["Severity"]), "FFFFFF"))
    ws.freeze_panes = ws.cell(head + 1, 1)
    ws.auto_filter.ref = f"A{head}:{get_column_letter(len(COLUMNS))}{head + max(len(table), 1)}"
    wb.properties.creator = "pmreport"
    save_workbook(wb, path)
