"""Read a workbook (.xlsx/.xlsm) or a folder of CSV files into raw sheets.

A raw sheet is a grid of cell values exactly as the file holds them (str, int, float, bool,
date, datetime or None) with the Excel row number of every row, so that anything later
found wrong can be traced to a cell. Nothing here interprets values; see ``normalise``.
Input files are only ever opened for reading; macros are never run (neither calamine nor
openpyxl executes VBA).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmreport.errors import InputUnusable

#: Refuse archives that would inflate beyond this (a "zip bomb") before any parser sees them.
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_CSV_BYTES = 256 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


@dataclass
class RawSheet:
    """One sheet's cells as read, with the Excel row number of each row (1-based)."""

    name: str
    file: str
    rows: list[list[Any]]
    row_numbers: list[int]
    hidden: bool = False


@dataclass
class RawWorkbook:
    path: Path
    sheets: list[RawSheet] = field(default_factory=list)
    kind: str = "xlsx"  # xlsx | csv

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]


def read_input(path: str | Path) -> RawWorkbook:
    """Read a workbook or a folder of CSV files. Raises :class:`InputUnusable` with a fix."""
    p = Path(path)
    if not p.exists():
        raise InputUnusable(
            f"{p} does not exist.",
            "Check the file name and folder, or run `pmreport template school.xlsx` to get a blank workbook.",
        )
    if p.is_dir():
        return _read_csv_folder(p)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return _read_csv_files(p.parent, [p])
    if suffix == ".xls":
        raise InputUnusable(
            f"{p.name} is an old-style Excel 97-2003 (.xls) workbook, which pmreport cannot read.",
            "Open it in Excel and use File > Save As > Excel Workbook (.xlsx), then run pmreport on the new file.",
        )
    if suffix not in (".xlsx", ".xlsm"):
        raise InputUnusable(
            f"{p.name} is not an Excel workbook (.xlsx or .xlsm) or a folder of CSV files.",
            "Save the data as an Excel workbook (.xlsx), or give the folder that holds the CSV files.",
        )
    _check_workbook_file(p)
    return _read_xlsx(p)


def _check_workbook_file(p: Path) -> None:
    size = p.stat().st_size
    if size == 0:
        raise InputUnusable(f"{p.name} is empty (0 bytes).", "Export the workbook again from your MIS, or save it again from Excel.")
    with p.open("rb") as fh:
        head = fh.read(8)
        if head == _OLE_MAGIC:
            fh.seek(0)
            blob = fh.read(4 * 1024 * 1024)
            if _ENCRYPTED_MARK in blob:
                raise InputUnusable(
                    f"{p.name} is protected with a password, so pmreport cannot read it.",
                    "Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, "
                    "clear the box), save it, and run pmreport again. Keep the unprotected copy somewhere secure.",
                )
            raise InputUnusable(
                f"{p.name} is an old-style Excel 97-2003 workbook saved with an .xlsx name.",
                "Open it in Excel and use File > Save As > Excel Workbook (.xlsx).",
            )
    if not zipfile.is_zipfile(p):
        raise InputUnusable(
            f"{p.name} is not a valid Excel workbook (it may be a text or CSV file renamed, or a damaged download).",
            "Open it in Excel and save it as an Excel Workbook (.xlsx), or export it again from your MIS.",
        )
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            bad = zf.testzip() if size < 64 * 1024 * 1024 else None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputUnusable(
            f"{p.name} is damaged and cannot be opened ({type(exc).__name__}).",
            "Export the workbook again from your MIS, or open it in Excel and save a fresh copy.",
        ) from None
    if bad is not None:
        raise InputUnusable(f"{p.name} is damaged (part '{bad}' is corrupt).", "Export the workbook again, or open it in Excel and save a fresh copy.")
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO and total > 64 * 1024 * 1024:
        raise InputUnusable(
            f"{p.name} would expand to {total / 2**20:,.0f} MB when opened, far more than any school's appraisal records need.",
            "Check that this is the right file. If it is, delete unused rows and columns in Excel and save it again.",
        )
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise InputUnusable(
            f"{p.name} is a zip file but not an Excel workbook.",
            "Give pmreport the .xlsx workbook itself, or the folder of CSV files.",
        )


def _cell(v: Any) -> Any:
    if isinstance(v, str) and v == "":
        return None
    return v


def _read_xlsx(p: Path) -> RawWorkbook:
    try:
        return _read_xlsx_calamine(p)
    except InputUnusable:
        raise
    except Exception:  # noqa: BLE001 - calamine failed: try the slower, more forgiving reader
        try:
            return _read_xlsx_openpyxl(p)
        except Exception as exc:  # noqa: BLE001
            raise InputUnusable(
                f"{p.name} could not be read as an Excel workbook ({type(exc).__name__}).",
                "Open it in Excel and save a fresh copy as an Excel Workbook (.xlsx), then try again.",
            ) from None


def _read_xlsx_calamine(p: Path) -> RawWorkbook:
    from python_calamine import CalamineWorkbook

    with p.open("rb") as fh:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
    out = RawWorkbook(path=p, kind="xlsx")
    meta = {s.name: s for s in wb.sheets_metadata}
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        start = getattr(sheet, "start", None)
        first_row = (start[0] if start else 0) + 1
        first_col = start[1] if start else 0
        grid = [[None] * first_col + [_cell(v) for v in r] for r in rows]
        vis = getattr(meta.get(name), "visible", None)
        hidden = vis is not None and "Visible" not in str(vis)
        out.sheets.append(RawSheet(name=name, file=p.name, rows=grid, row_numbers=list(range(first_row, first_row + len(grid))), hidden=hidden))
    return out


def _read_xlsx_openpyxl(p: Path) -> RawWorkbook:
    import openpyxl

    with p.open("rb") as fh:
        data = io.BytesIO(fh.read())
    wb = openpyxl.load_workbook(data, read_only=True, data_only=True, keep_vba=False)
    out = RawWorkbook(path=p, kind="xlsx")
    try:
        for ws in wb.worksheets:
            grid = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
            out.sheets.append(
                RawSheet(name=ws.title, file=p.name, rows=grid, row_numbers=list(range(1, len(grid) + 1)), hidden=ws.sheet_state != "visible")
            )
    finally:
        wb.close()
    return out


def _read_csv_folder(folder: Path) -> RawWorkbook:
    files = sorted(f for f in folder.iterdir() if f.suffix.lower() == ".csv")
    if not files:
        raise InputUnusable(
            f"The folder {folder} has no CSV files in it.",
            "Put one CSV file per sheet in the folder, named after the sheet (staff.csv, reviews.csv, ...), or give an .xlsx workbook.",
        )
    return _read_csv_files(folder, files)


def decode_csv_bytes(raw: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as Excel writes it in the UK."""
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _read_csv_files(folder: Path, files: list[Path]) -> RawWorkbook:
    out = RawWorkbook(path=folder, kind="csv")
    for f in files:
        if f.stat().st_size > MAX_CSV_BYTES:
            raise InputUnusable(f"{f.name} is larger than {MAX_CSV_BYTES // 2**20} MB.", "Check that this is the right file.")
        text = decode_csv_bytes(f.read_bytes())
        sample = text[:8192]
        delimiter = ","
        if sample.strip():
            try:
                delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
            except csv.Error:
                delimiter = ";" if sample.count(";") > sample.count(",") else ","
        try:
            grid = [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
        except csv.Error as exc:
            raise InputUnusable(f"{f.name} is not a well-formed CSV file ({exc}).", "Save it again from Excel as 'CSV UTF-8'.") from None
        out.sheets.append(RawSheet(name=f.stem, file=f.name, rows=grid, row_numbers=list(range(1, len(grid) + 1))))
    return out
