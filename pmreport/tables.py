"""Build each table's typed frame from its raw sheet, recording every cell that cannot be
understood as an issue at its cell. Blank rows are counted and skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pmreport.layout import SheetLayout
from pmreport.model import PANDAS_DTYPES
from pmreport.normalise import is_blank, parse_value, suggest_code
from pmreport.schema import Field
from pmreport.validation.report import Issue
from pmreport.validation.issues import new_issue


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


def _cells(layout: SheetLayout) -> tuple[list[list[Any]], list[int], int]:
    """Data rows (as lists), their Excel row numbers, and how many blank rows were skipped."""
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
    for cells, num in zip(raw.rows[layout.header_index + 1 :], raw.row_numbers[layout.header_index + 1 :], strict=True):
        if all(is_blank(v) for v in cells):
            blank += 1
            continue
        rows.append(cells)
        numbers.append(num)
    return rows, numbers, blank


def parse_sheet(table: str, layout: SheetLayout, show_values: bool = False) -> ParsedSheet:
    rows, numbers, blank = _cells(layout)
    raw = layout.raw
    issues: list[Issue] = []
    data: dict[str, pd.Series] = {}
    for f in layout.schema.fields:
        col = layout.columns.get(f.name)
        if col is None:
            data[f.name] = typed_series([None] * len(rows), f.type)
            continue
        out: list[Any] = []
        for cells, num in zip(rows, numbers, strict=True):
            value = cells[col] if col < len(cells) else None
            parsed, problem = parse_value(value, f, percent_header=f.name in layout.percent_headers)
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


def _cell_issue(problem: str, layout: SheetLayout, f: Field, row: int, value: Any, show_values: bool) -> Issue:
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
