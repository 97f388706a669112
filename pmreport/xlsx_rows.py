"""Read a sheet's rows in the order its XML stores them, each stored copy of a row kept apart.

Excel stores every row once, in order. A crafted or damaged file can store a row twice (two
``<row r="6">`` elements): a reader that places cells by their address (calamine, and
openpyxl's own row reader) merges the copies, the later one's values overwriting the
earlier's, or drops a copy, so a row vanishes from the count without a word. When
:mod:`pmreport.xlsx_scan` finds a row stored twice, the sheet is read again here: every
stored copy becomes a row of its own, so that each is counted, reported and set aside.

Only called on a workbook the scan has passed (no DTD, UTF-8, sizes within the limits).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pmreport.errors import InputUnusable


def read_in_stored_order(path: Path, sheet: str) -> tuple[list[list[Any]], list[int]]:
    """The sheet's rows from row 1 down, and the Excel row number of each: rows in order of their
    numbers, the copies of a row stored more than once side by side in the order the file holds them,
    rows that hold nothing filled in as empty (as a reader's grid has them)."""
    import openpyxl
    from openpyxl.worksheet._reader import WorkSheetParser

    try:
        with path.open("rb") as fh:
            wb = openpyxl.load_workbook(io.BytesIO(fh.read()), read_only=True, data_only=True, keep_vba=False)
        try:
            ws = wb[sheet]
            with ws._get_source() as src:  # type: ignore[union-attr]
                parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,  # type: ignore[union-attr]
                                         date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
                copies = _copies(parser.parse())
        finally:
            wb.close()
    except Exception as exc:  # noqa: BLE001 - any parser failure is a damaged file, said plainly
        raise InputUnusable(
            f"{path.name} is damaged: sheet '{sheet}' stores some rows twice, and reading it again row by row failed "
            f"({type(exc).__name__}).",
            "Open it in Excel and save a fresh copy (File > Save As > Excel Workbook), then check the rows.") from None
    copies.sort(key=lambda c: c[0])  # stable: the copies of one row keep the file's order
    width = max((len(cells) for _, cells in copies), default=0)
    rows: list[list[Any]] = []
    numbers: list[int] = []
    for number, cells in copies:
        while (numbers[-1] if numbers else 0) < number - 1:
            numbers.append(numbers[-1] + 1 if numbers else 1)
            rows.append([None] * width)
        numbers.append(number)
        rows.append(cells + [None] * (width - len(cells)))
    return rows, numbers


def _copies(parsed: Any) -> list[tuple[int, list[Any]]]:
    """(row, cells) for each stretch of cells that one row element holds for one row, if any holds a value."""
    out: list[tuple[int, list[Any]]] = []
    for _element_row, cells in parsed:
        stretch: dict[int, dict[int, Any]] = {}
        order: list[int] = []
        for cell in cells:
            value = cell["value"]
            if isinstance(value, str) and value == "":
                value = None
            if cell["row"] not in stretch:
                stretch[cell["row"]] = {}
                order.append(cell["row"])
            stretch[cell["row"]][cell["column"] - 1] = value
        for row in order:
            values = stretch[row]
            if any(v is not None for v in values.values()):
                grid = [None] * (max(values) + 1)
                for col, v in values.items():
                    grid[col] = v
                out.append((row, grid))
    return out
