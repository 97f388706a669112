"""Build each table's typed frame from its raw sheet, recording every cell that cannot be
understood as an issue at its cell. Blank rows are counted and skipped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter

from pmreport.header_search import SheetLayout
from pmreport.model import PANDAS_DTYPES
from pmreport.normalise import is_blank, parse_value, slash_order, suggest_code
from pmreport.schema import Field
from pmreport.validation.issues import new_issue
from pmreport.validation.outcome import Issue


@dataclass
class ParsedSheet:
    table: str
    layout: SheetLayout
    frame: pd.DataFrame  # every non-blank row, typed; cells that failed to parse are missing
    read: int
    blank: int
    issues: list[Issue] = field(default_factory=list)


def typed_series(values: list[Any], ftype: str) -> pd.Series:
    dtype = PANDAS_DTYPES[ftype]
    if ftype == "date":
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[ns]")
    if dtype == "float64":
        return pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    return pd.Series(pd.array(values, dtype=dtype))


Mark = tuple[int, str, str]  # (0-based column, issue code, text for the message)
ROW = -1  # the column of a mark for the whole row


def _marks(layout: SheetLayout) -> tuple[dict[int, list[Mark]], list[Mark]]:
    """Cells of the table that a reader saw as blank although the sheet shows something there:
    formulas with no saved result, Excel errors, and cells covered by a merged block.

    Returns the marks of each data row (by Excel row) and those of the header row. Only the
    columns pmreport reads are marked (and every column of the header row, which decides them).
    """
    raw = layout.raw
    rows: dict[int, list[Mark]] = {}
    header: list[Mark] = []
    if layout.key_value or layout.header_index is None or not (raw.flags or raw.merged or raw.row_flags):
        return rows, header
    header_row = raw.row_numbers[layout.header_index]
    mapped = set(layout.columns.values())
    for row, flag in sorted(raw.row_flags.items()):  # a row stored twice or out of order: said once, for the row
        if row >= header_row:
            (header if row == header_row else rows.setdefault(row, [])).append((ROW, flag.code, flag.detail))
    for (row, col), flag in sorted(raw.flags.items()):
        if row == header_row:
            header.append((col, flag.code, flag.detail))
        elif row > header_row and col in mapped:
            rows.setdefault(row, []).append((col, flag.code, flag.detail))
    if raw.merged and raw.row_numbers:
        index = {num: i for i, num in enumerate(raw.row_numbers)}
        last = raw.row_numbers[-1]
        for r0, c0, r1, c1 in raw.merged:
            block = f"the merged cells {get_column_letter(c0 + 1)}{r0}:{get_column_letter(c1 + 1)}{r1}"
            for col in sorted(c for c in mapped if c0 <= c <= c1):
                for row in range(max(r0, header_row + 1), min(r1, last) + 1):
                    i = index.get(row)
                    cells = raw.rows[i] if i is not None else []
                    if (row, col) != (r0, c0) and is_blank(cells[col] if col < len(cells) else None):
                        rows.setdefault(row, []).append((col, "merged_cell", block))
    return rows, header


def _cells(layout: SheetLayout, marked: set[int] | None = None) -> tuple[list[list[Any]], list[int], int]:
    """Data rows (as lists), their Excel row numbers, and how many blank rows were skipped.

    A row whose only content is in marked cells (a formula with no saved result, say) is not
    blank: it is kept, so that it is reported and set aside rather than silently dropped."""
    raw = layout.raw
    if layout.key_value:
        row = [None] * len(layout.schema.fields)
        cols = {f.name: i for i, f in enumerate(layout.schema.fields)}
        for name, idx in layout.kv_rows.items():
            cells = raw.rows[idx]
            row[cols[name]] = cells[1] if len(cells) > 1 else None
        layout.columns = dict(cols)
        first = min(layout.kv_rows.values())
        return [row], [raw.row_numbers[first]], 0
    assert layout.header_index is not None
    rows, numbers, blank = [], [], 0
    layout.notes = []
    for cells, num in zip(raw.rows[layout.header_index + 1 :], raw.row_numbers[layout.header_index + 1 :], strict=True):
        if all(is_blank(v) for v in cells) and not (marked and num in marked):
            blank += 1
            continue
        if is_note_row(cells):
            layout.notes.append(num)
            blank += 1
            continue
        rows.append(cells)
        numbers.append(num)
    return rows, numbers, blank


#: The first words of rows an export adds around the data: totals, filters, who ran the report.
_NOTE = re.compile(r"^(grand total|totals?|count|number of (staff|records|rows)|records?|report (run|printed|produced|generated)"
                   r"|run (by|on|date)|printed|produced|generated|exported|filters?|filtered|criteria|selection|page \d+"
                   r"|end of (report|list)|source)\b[ :=\-]*", re.IGNORECASE)


def is_note_row(cells: list[Any]) -> bool:
    """A row holding only a total, a filter or a report note ("Total: 12 staff", "Report run by ..."),
    in at most two cells, the first of them starting with one of the words such rows start with."""
    filled = [v for v in cells if not is_blank(v)]
    return 0 < len(filled) <= 2 and isinstance(filled[0], str) and bool(_NOTE.match(filled[0].strip()))


def parse_sheet(table: str, layout: SheetLayout, show_values: bool = False) -> ParsedSheet:
    marks, header_marks = _marks(layout)
    rows, numbers, blank = _cells(layout, set(marks))
    raw = layout.raw
    issues: list[Issue] = _mark_issues(layout, marks, header_marks)
    issues.extend(new_issue("not_data_row", file=raw.file, sheet=raw.name, row=num) for num in layout.notes)
    data: dict[str, pd.Series] = {}
    for f in layout.schema.fields:
        col = layout.columns.get(f.name)
        if col is None:
            data[f.name] = typed_series([None] * len(rows), f.type)
            continue
        out: list[Any] = []
        month_first = f.type == "date" and _month_first(layout, [cells[col] if col < len(cells) else None for cells in rows],
                                                         numbers, f, issues)
        for cells, num in zip(rows, numbers, strict=True):
            value = cells[col] if col < len(cells) else None
            if f.name in layout.joined:
                parts = [cells[c] for c in layout.joined[f.name] if c < len(cells) and not is_blank(cells[c])]
                value = " ".join(" ".join(str(p).split()) for p in parts) or None
            parsed, problem = parse_value(value, f, percent_header=f.name in layout.percent_headers, month_first=month_first)
            if f.lenient and problem is None and parsed is not None and not _in_range(parsed, f):
                parsed, problem = None, "out_of_range"
            out.append(parsed)
            if problem:
                issues.append(_cell_issue(problem, layout, f, num, value, show_values))
        data[f.name] = typed_series(out, f.type)
    frame = pd.DataFrame(data)
    frame["_file"] = pd.array([raw.file] * len(rows), dtype="string")
    frame["_sheet"] = pd.array([raw.name] * len(rows), dtype="string")
    frame["_row"] = pd.array(numbers, dtype="Int64")
    read = len(rows) + blank
    return ParsedSheet(table=table, layout=layout, frame=frame, read=read, blank=blank, issues=issues)


def _mark_issues(layout: SheetLayout, marks: dict[int, list[Mark]], header_marks: list[Mark]) -> list[Issue]:
    raw = layout.raw
    by_col = {col: layout.schema.field(name) for name, col in layout.columns.items()} if not layout.key_value else {}
    out: list[Issue] = []
    if layout.key_value:  # school details as label/value pairs: the values are in column B
        for name, idx in layout.kv_rows.items():
            row = raw.row_numbers[idx]
            flag = raw.flags.get((row, 1))
            if flag is not None:
                out.append(new_issue(flag.code, file=raw.file, sheet=raw.name, row=row, column="B",
                                     field=layout.schema.field(name), other=flag.detail))
            if (row_flag := raw.row_flags.get(row)) is not None:
                out.append(new_issue(row_flag.code, file=raw.file, sheet=raw.name, row=row, other=row_flag.detail))
        return out
    if header_marks and layout.header_index is not None:
        row = raw.row_numbers[layout.header_index]
        for col, code, other in header_marks:
            out.append(new_issue(code, file=raw.file, sheet=raw.name, row=row, column=None if col == ROW else get_column_letter(col + 1),
                                 field_name="the heading", other=other))
    for row in sorted(marks):
        for col, code, other in marks[row]:
            out.append(new_issue(code, file=raw.file, sheet=raw.name, row=row, column=None if col == ROW else get_column_letter(col + 1),
                                 field=by_col.get(col), other=other))
    return out


def _month_first(layout: SheetLayout, values: list[Any], numbers: list[int], f: Field, issues: list[Issue]) -> bool:
    """Whether a date column is written month first throughout (10/13/2025): some of its slashed dates are real
    only month first and none only day first. Said once, for the column, and the column is read that way."""
    orders = [slash_order(v) for v in values]
    if "day_first" in orders or "month_first" not in orders:
        return False
    rows = [n for n, o in zip(numbers, orders, strict=True) if o == "month_first"]
    from pmreport.validation.issues import row_ranges

    issues.append(new_issue("month_first_column", file=layout.raw.file, sheet=layout.raw.name, column=layout.letter(f.name),
                            field=f, other=f"rows {row_ranges(rows)}" if len(rows) > 1 else f"row {rows[0]}"))
    return True


def _in_range(value: Any, f: Field) -> bool:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return True
    return (f.minimum is None or value >= f.minimum) and (f.maximum is None or value <= f.maximum)


def _cell_issue(problem: str, layout: SheetLayout, f: Field, row: int, value: Any, show_values: bool) -> Issue:
    if f.lenient:  # an optional field (an equality characteristic, say): the value is not known, the row is kept
        return _not_known(problem, layout, f, row, value, show_values)
    expected, detail = "", ""
    if problem == "unknown_code":
        expected = ", ".join(f.codes)
        hint = suggest_code(value, f)
        detail = f" Did you mean '{hint}'?" if hint and not f.is_sensitive else ""
    elif problem in ("not_a_number", "not_a_whole_number") and (f.minimum is not None or f.maximum is not None):
        expected = f" between {f.minimum:g} and {f.maximum:g}" if f.minimum is not None and f.maximum is not None else ""
    row_num = layout.raw.row_numbers[layout.kv_rows[f.name]] if layout.key_value else row
    return new_issue(
        problem, file=layout.raw.file, sheet=layout.raw.name, row=row_num, column=layout.letter(f.name), field=f,
        value=value, show_values=show_values, expected=expected, detail=detail,
    )


def _not_known(problem: str, layout: SheetLayout, f: Field, row: int, value: Any, show_values: bool) -> Issue:
    from pmreport.validation.catalogue import issue_type

    if f.type == "code":
        hint = suggest_code(value, f) if not f.is_sensitive else None
        detail = f" To count it, write one of: {', '.join(f.codes)}." + (f" Did you mean '{hint}'?" if hint else "")
    elif f.minimum is not None and f.maximum is not None:
        detail = f" To count it, write a number between {f.minimum:g} and {f.maximum:g}."
    else:
        detail = ""
    row_num = layout.raw.row_numbers[layout.kv_rows[f.name]] if layout.key_value else row
    return new_issue("not_known", file=layout.raw.file, sheet=layout.raw.name, row=row_num, column=layout.letter(f.name),
                     field=f, value=value, show_values=show_values, other=issue_type(problem).title.lower(), detail=detail)
