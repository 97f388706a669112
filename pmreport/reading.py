"""Read a workbook (.xlsx/.xlsm) or a folder of CSV files into raw sheets.

A raw sheet is a grid of cell values exactly as the file holds them (str, int, float, bool,
date, datetime or None) with the Excel row number of every row, so that anything later
found wrong can be traced to a cell. Nothing here interprets values; see ``normalise``.
Input files are only ever opened for reading; macros are never run (neither calamine nor
openpyxl executes VBA). Before a workbook is parsed, :mod:`pmreport.xlsx_scan` checks its zip
package against :mod:`pmreport.limits` and finds the cells a parser would see as blank.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmreport.errors import InputUnusable
from pmreport.limits import (
    MAX_CELLS_PER_SHEET,
    MAX_CELLS_PER_WORKBOOK,
    MAX_CSV_BYTES,
    MAX_ROWS_PER_SHEET,
    MAX_WORKBOOK_BYTES,
)
from pmreport.safe_output import protect_input
from pmreport.xlsx_rows import read_in_stored_order
from pmreport.xlsx_scan import CellFlag, PackageScan, scan_workbook

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
    #: Cells the sheet shows something in but a reader sees as blank: (Excel row, 0-based column) -> why.
    flags: dict[tuple[int, int], CellFlag] = field(default_factory=dict)
    #: Merged cells as (first row, first column, last row, last column): Excel rows, 0-based columns.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: Rows the file stores twice or out of order (Excel row -> why). A row stored twice appears once
    #: per stored copy in ``rows``, with its number repeated in ``row_numbers``.
    row_flags: dict[int, CellFlag] = field(default_factory=dict)


@dataclass
class RawWorkbook:
    path: Path
    sheets: list[RawSheet] = field(default_factory=list)
    kind: str = "xlsx"  # xlsx | csv
    macros: bool = False  # the workbook holds macros (never run: only cell values are read)

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
    protect_input(p)  # no output written by this process may replace what is being read
    if p.is_dir():
        return _read_csv_folder(p)
    if not p.is_file():
        raise InputUnusable(
            f"{p.name} is not an ordinary file (it may be a device, a pipe or a link to one).",
            "Give pmreport the workbook (.xlsx) itself, or the folder that holds the CSV files.",
        )
    try:
        return _read_file(p)
    except OSError as exc:
        raise InputUnusable(
            f"{p.name} could not be read ({exc.strerror or type(exc).__name__}).",
            "Check that the file is not open in another program, that it has finished copying or downloading, "
            "and that you may read it.",
        ) from None


_OTHER_FORMATS = {
    ".xlsb": "an Excel binary workbook (.xlsb)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
    ".numbers": "an Apple Numbers spreadsheet",
    ".txt": "a text file",
}


def _read_file(p: Path) -> RawWorkbook:
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return _read_csv_files(p.parent, [p])
    if suffix == ".xls":
        with p.open("rb") as fh:
            head = fh.read(512)
        if head.startswith(b"PK\x03\x04"):  # a modern workbook with an old name: read it as one
            return _read_xlsx(p, _check_workbook_file(p))
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<")):
            raise InputUnusable(
                f"{p.name} is a web page or XML file saved with an .xls name (some MIS exports are), not a real workbook.",
                "Open it in Excel and use File > Save As > Excel Workbook (.xlsx), then run pmreport on the new file.",
            )
        raise InputUnusable(
            f"{p.name} is an old-style Excel 97-2003 (.xls) workbook, which pmreport cannot read.",
            "Open it in Excel and use File > Save As > Excel Workbook (.xlsx), then run pmreport on the new file.",
        )
    if suffix not in (".xlsx", ".xlsm"):
        kind = _OTHER_FORMATS.get(suffix)
        raise InputUnusable(
            f"{p.name} is {kind}, not an Excel workbook (.xlsx or .xlsm) or a folder of CSV files." if kind else
            f"{p.name} is not an Excel workbook (.xlsx or .xlsm) or a folder of CSV files.",
            "Open it and save the data as an Excel Workbook (.xlsx), or give the folder that holds the CSV files.",
        )
    scan = _check_workbook_file(p)
    return _read_xlsx(p, scan)


def _check_workbook_file(p: Path) -> PackageScan:
    size = p.stat().st_size
    if size == 0:
        raise InputUnusable(f"{p.name} is empty (0 bytes).", "Export the workbook again from your MIS, or save it again from Excel.")
    if size > MAX_WORKBOOK_BYTES:
        raise InputUnusable(
            f"{p.name} is {size / 2**20:,.0f} MB; pmreport reads workbooks of up to {MAX_WORKBOOK_BYTES // 2**20} MB, "
            "far more than any school's appraisal records need.",
            "Check that this is the right file. If it is, delete unused sheets, pictures, rows and columns in Excel and save it again.",
        )
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
            f"{p.name} is not a valid Excel workbook (it may be a text or CSV file renamed, or a damaged or incomplete download).",
            "Open it in Excel and save it as an Excel Workbook (.xlsx), or export it again from your MIS.",
        )
    return scan_workbook(p)


def _cell(v: Any) -> Any:
    if isinstance(v, str) and v == "":
        return None
    return v


def _read_xlsx(p: Path, scan: PackageScan) -> RawWorkbook:
    try:
        out = _read_xlsx_calamine(p)
    except InputUnusable:
        raise
    except BaseException as exc:  # noqa: BLE001 - calamine failed (a Rust panic is a BaseException): try openpyxl
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        try:
            out = _read_xlsx_openpyxl(p)
        except Exception as exc2:  # noqa: BLE001
            raise InputUnusable(
                f"{p.name} could not be read as an Excel workbook ({type(exc2).__name__}).",
                "Open it in Excel and save a fresh copy as an Excel Workbook (.xlsx), then try again.",
            ) from None
    out.macros = scan.macros
    for sheet in out.sheets:
        found = scan.sheets.get(sheet.name)
        if found is None:
            continue
        sheet.merged = list(found.merged)
        sheet.flags = dict(found.flags)
        sheet.row_flags = dict(found.row_flags)
        if found.repeated_rows:  # a reader merges the stored copies of a row: read each copy as a row of its own
            sheet.rows, sheet.row_numbers = read_in_stored_order(p, sheet.name)
        _cover_rows(sheet, {row for row, _ in sheet.flags})
        index: dict[int, list[int]] = {}
        for i, num in enumerate(sheet.row_numbers):
            index.setdefault(num, []).append(i)
        for (row, col) in sheet.flags:
            for i in index.get(row, ()):
                if col < len(sheet.rows[i]):
                    sheet.rows[i][col] = None  # what the sheet shows is not in the file: never pass on a reader's guess
    return out


def _cover_rows(sheet: RawSheet, rows: set[int]) -> None:
    """Extend the grid to take in these rows: a reader leaves out rows that hold only formulas with no
    saved result, and they must be counted. Rows stored twice keep their copies."""
    have = set(sheet.row_numbers)
    if rows <= have:
        return
    first, last = min(rows | have), max(rows | have)
    grid = list(zip(sheet.row_numbers, sheet.rows, strict=True)) + [(n, []) for n in range(first, last + 1) if n not in have]
    grid.sort(key=lambda r: r[0])  # stable: copies of a row keep their order
    sheet.row_numbers = [n for n, _ in grid]
    sheet.rows = [cells for _, cells in grid]


def _read_xlsx_calamine(p: Path) -> RawWorkbook:
    from python_calamine import CalamineWorkbook

    with p.open("rb") as fh:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
    out = RawWorkbook(path=p, kind="xlsx")
    meta = {s.name: s for s in wb.sheets_metadata}
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        # skip_empty_area=False: the grid starts at A1 whatever the first used cell, so grid[i][j] is row i+1, column j
        rows = sheet.to_python(skip_empty_area=False)
        grid = [[_cell(v) for v in r] for r in rows]
        vis = getattr(meta.get(name), "visible", None)  # SheetVisibleEnum.Visible, .Hidden or .VeryHidden
        hidden = vis is not None and str(vis).rsplit(".", 1)[-1] != "Visible"
        out.sheets.append(RawSheet(name=name, file=p.name, rows=grid, row_numbers=list(range(1, len(grid) + 1)), hidden=hidden))
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
    try:
        files = sorted(f for f in folder.iterdir() if f.suffix.lower() == ".csv" and f.is_file())
    except OSError as exc:
        raise InputUnusable(f"The folder {folder} could not be read ({exc.strerror or type(exc).__name__}).",
                            "Check the folder name and that you may read it.") from None
    if not files:
        raise InputUnusable(
            f"The folder {folder} has no CSV files in it.",
            "Put one CSV file per sheet in the folder, named after the sheet (staff.csv, reviews.csv, ...), or give an .xlsx workbook.",
        )
    total = sum(f.stat().st_size for f in files)
    if total > MAX_CSV_BYTES:
        raise InputUnusable(
            f"The CSV files in {folder} come to {total / 2**20:,.0f} MB; pmreport reads at most {MAX_CSV_BYTES // 2**20} MB of them.",
            "Check that this is the right folder and that it holds only the school's appraisal records.",
        )
    return _read_csv_files(folder, files)


def decode_csv_bytes(raw: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark (Excel's "Unicode Text"),
    else Windows-1252 as Excel writes it in the UK."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _delimiter(sample: str) -> str:
    if not sample.strip():
        return ","
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (",", ";", "\t")}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _read_csv_files(folder: Path, files: list[Path]) -> RawWorkbook:
    out = RawWorkbook(path=folder, kind="csv")
    total_cells = 0
    for f in files:
        size = f.stat().st_size
        if size > MAX_CSV_BYTES:
            raise InputUnusable(
                f"{f.name} is {size / 2**20:,.0f} MB; pmreport reads CSV files of up to {MAX_CSV_BYTES // 2**20} MB.",
                "Check that this is the right file.")
        text = decode_csv_bytes(f.read_bytes())
        # The sniffer is only shown whole lines: a cut line can fool it, and a huge one is slow.
        sample = text[:8192]
        if len(text) > 8192 and "\n" in sample:
            sample = sample[: sample.rindex("\n")]
        delimiter = _delimiter(sample)
        grid: list[list[Any]] = []
        cells = 0
        try:
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
                grid.append([_cell(v) for v in row])
                cells += len(row)
                if len(grid) > MAX_ROWS_PER_SHEET or cells > MAX_CELLS_PER_SHEET:
                    raise InputUnusable(
                        f"{f.name} has more than {MAX_ROWS_PER_SHEET:,} rows or {MAX_CELLS_PER_SHEET:,} cells; "
                        "pmreport reads at most that many in one sheet.",
                        "Check that this is the right file; delete empty rows at its end, or split the records into several files.",
                    )
        except csv.Error as exc:
            where = f" (around line {len(grid) + 1:,})" if grid else ""
            raise InputUnusable(f"{f.name} is not a well-formed CSV file{where}: {exc}.",
                                "Open it in Excel and save it again as 'CSV UTF-8 (Comma delimited)'.") from None
        total_cells += cells
        if total_cells > MAX_CELLS_PER_WORKBOOK:
            raise InputUnusable(f"The CSV files in {folder} hold more than {MAX_CELLS_PER_WORKBOOK:,} cells; pmreport reads at most that many.",
                                "Check that the folder holds only the school's appraisal records.")
        out.sheets.append(RawSheet(name=f.stem, file=f.name, rows=grid, row_numbers=list(range(1, len(grid) + 1))))
    return out
