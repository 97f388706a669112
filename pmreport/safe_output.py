"""Writing output files safely: atomically (temporary file, then rename), with spreadsheet
formula injection neutralised, and with confidential files marked on every sheet."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONFIDENTIAL_BANNER = "CONFIDENTIAL - for the headteacher only. Contains personal data: do not share with governors or unions."


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(path: str | Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _clean(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("string", "str"):
            out[col] = out[col].map(neutralise)
    return out


def write_tables(path: str | Path, sheets: dict[str, pd.DataFrame], *, confidential: bool = False) -> None:
    """Write one or more tables to .xlsx (one sheet each) or a single table to .csv."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        if len(sheets) != 1:
            raise ValueError("a CSV file holds one table")
        (df,) = sheets.values()
        with atomic_path(target) as tmp:
            body = _clean(df).to_csv(index=False, lineterminator="\r\n")
            if confidential:
                body = f"# {CONFIDENTIAL_BANNER}\r\n" + body
            tmp.write_text(body, encoding="utf-8-sig")
        return
    if suffix != ".xlsx":
        raise ValueError(f"cannot write {target.name}: use a .xlsx or .csv name")
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        start = 1
        if confidential:
            ws.cell(row=1, column=1, value=CONFIDENTIAL_BANNER).font = Font(bold=True, color="9C0006")
            ws.cell(row=1, column=1).fill = PatternFill("solid", fgColor="FFC7CE")
            start = 3
        clean = _clean(df)
        for j, col in enumerate(clean.columns, start=1):
            ws.cell(row=start, column=j, value=str(col)).font = Font(bold=True)
            ws.column_dimensions[get_column_letter(j)].width = max(10, min(60, len(str(col)) + 4))
        for i, row in enumerate(clean.itertuples(index=False), start=start + 1):
            for j, v in enumerate(row, start=1):
                if v is None or (not isinstance(v, str) and pd.isna(v)):
                    continue
                ws.cell(row=i, column=j, value=v.to_pydatetime() if isinstance(v, pd.Timestamp) else v)
        ws.freeze_panes = ws.cell(row=start + 1, column=1)
    wb.properties.creator = "pmreport"
    with atomic_path(target) as tmp:
        wb.save(tmp)


FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def workbook_bytes(wb: Any, fixed_time: tuple[int, int, int, int, int, int] = FIXED_TIME) -> bytes:
    """An openpyxl workbook as .xlsx bytes that are identical on every run.

    openpyxl stamps the save time into docProps/core.xml and every zip entry; both are fixed here.
    """
    import datetime as dt
    import io
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    when = dt.datetime(*fixed_time)
    wb.properties.created = when
    wb.properties.modified = when
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # unlike Workbook.save(), keeps our modified time
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=fixed_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, src.read(info.filename))
    return fixed.getvalue()


def save_workbook(wb: Any, path: str | Path) -> None:
    """Save an openpyxl workbook atomically, byte-identical for the same content."""
    data = workbook_bytes(wb)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
