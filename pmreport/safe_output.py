"""Writing output files safely: atomically (temporary file, then rename), never over an input,
with spreadsheet formula injection neutralised, characters a spreadsheet cannot hold replaced,
and confidential files marked on every sheet and kept out of governors' folders."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from pmreport.errors import PmreportError

#: Text starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets
#: (the full-width forms too, which some input methods type).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CONFIDENTIAL_BANNER = "CONFIDENTIAL - for the headteacher only. Contains personal data: do not share with governors or unions."
#: Control characters (bar tab and newline) and the invisible marks that reorder text on screen.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: What an .xlsx cell cannot hold at all (openpyxl refuses it).
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class OutputRefused(PmreportError):
    """An output would overwrite an input, or put confidential data where governors would see it."""


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe.

    Leading spaces do not stop a spreadsheet running it, so they are looked through."""
    if isinstance(value, str) and (value.startswith(FORMULA_PREFIXES) or value.lstrip(" ").startswith(FORMULA_PREFIXES)):
        return "'" + value
    return value


def printable(text: Any) -> str:
    """Text safe to show on a terminal or in a log: control characters and text-reordering marks
    (which could recolour the screen or disguise a message) become U+FFFD."""
    return _UNPRINTABLE.sub("\ufffd", str(text))


def cell_text(value: Any) -> Any:
    """A value an .xlsx cell can hold: neutralised, and with the characters it cannot hold replaced."""
    value = neutralise(value)
    if isinstance(value, str) and _NOT_IN_XLSX.search(value):
        return _NOT_IN_XLSX.sub("\ufffd", value)
    return value


# --------------------------------------------------------------------------- inputs are never outputs

_INPUT_FILES: set[Path] = set()
_INPUT_FOLDERS: set[Path] = set()


def protect_input(path: str | Path) -> None:
    """Record a file (or CSV folder) being read, so that no output in this process can replace it."""
    p = Path(path)
    with contextlib.suppress(OSError):
        (_INPUT_FOLDERS if p.is_dir() else _INPUT_FILES).add(p.resolve())


def check_not_input(target: Path) -> None:
    """Refuse to write over an input file, or a new CSV file into an input CSV folder."""
    try:
        resolved = target.resolve()
    except OSError:
        return
    same = resolved in _INPUT_FILES or (target.exists() and any(_same_file(target, p) for p in _INPUT_FILES))
    if same:
        raise OutputRefused(
            f"pmreport will not write {target.name}: it is the input file being read, and writing it would replace your data.",
            "Give the output a different name, for example issues.xlsx.",
        )
    if resolved.parent in _INPUT_FOLDERS and resolved.suffix.lower() == ".csv":
        raise OutputRefused(
            f"pmreport will not write {target.name} into {resolved.parent.name}: that folder's CSV files are the input, "
            "and a new CSV file there would be read as data next time.",
            "Write the output to another folder.",
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


# --------------------------------------------------------------------------- confidential outputs

#: Files the report writes into its governors' folder: a folder holding one is that folder.
_GOVERNORS_FILES = ("report.json", "governors_report.html", "dashboard.html")


def _head_only(folder: Path) -> bool:
    """A folder kept for the headteacher: its name says so (head_confidential/, Head only/, Confidential/)."""
    name = folder.name.lower()
    return "governor" not in name and ("confidential" in name or name.startswith("head"))


def _report_governors_folder(folder: Path) -> bool:
    """The folder the report writes for governors (``governors/`` holding the report's files)."""
    return folder.name.lower() == "governors" and any((folder / f).is_file() for f in _GOVERNORS_FILES)


def governors_folder(path: str | Path) -> Path | None:
    """The folder that makes ``path`` a place governors would see, or None.

    Unsafe: anywhere inside the report's own governors' folder; or a folder named for governors
    (Governors/, Governor pack/ ...) unless the file sits in a head-only folder within it
    (``Governors meetings/2026/head_confidential/`` is the head's, as ``pmreport report`` lays out).
    """
    parent = Path(path).resolve().parent
    chain = [parent, *parent.parents]
    for folder in chain:
        if _report_governors_folder(folder):
            return folder
    if _head_only(parent):
        return None
    named = [f for f in chain if "governor" in f.name.lower()]
    return named[-1] if named else None


def check_confidential_target(path: str | Path) -> None:
    """Confidential files (named people) are for the head: never written where governors would see them."""
    folder = governors_folder(path)
    if folder is not None:
        instead = folder.parent / "head_confidential" / Path(path).name
        raise OutputRefused(
            f"{Path(path).name} is confidential (it names members of staff), so pmreport will not save it in "
            f"{Path(path).resolve().parent}, which is inside {folder.name}/, a folder for governors.",
            f"Save confidential files in a folder for the headteacher only, for example {instead}.",
        )


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step.

    Refuses (:class:`OutputRefused`) to replace a file that pmreport is reading as input."""
    from pmreport.errors import file_system_failed

    target = Path(path)
    check_not_input(target)
    made = _missing_folders(target.parent)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        _remove_empty(made)
        raise file_system_failed(exc, target) from None
    os.close(fd)
    tmp_path = Path(tmp)
    done = False
    try:
        yield tmp_path
        os.replace(tmp_path, target)
        done = True
    except OSError as exc:
        raise file_system_failed(exc, target) from None
    finally:
        with contextlib.suppress(OSError):
            if tmp_path.exists():
                tmp_path.unlink()
        if not done:
            _remove_empty(made)  # a failed write leaves no empty folder behind


def _missing_folders(folder: Path) -> list[Path]:
    """The folders on the way to ``folder`` that do not exist yet, deepest first."""
    missing = []
    for p in [folder, *folder.parents]:
        if p.exists():
            break
        missing.append(p)
    return missing


def _remove_empty(folders: list[Path]) -> None:
    for p in folders:
        with contextlib.suppress(OSError):
            p.rmdir()  # only if empty


def write_text(path: str | Path, text: str, *, confidential: bool = False) -> None:
    if confidential:
        check_confidential_target(path)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` (a PDF, say) to ``path`` in one step: never half a file."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def _clean(df: pd.DataFrame, clean=neutralise) -> pd.DataFrame:
    """Every text value and every column heading neutralised (numbers, dates and booleans untouched)."""
    out = df.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_datetime64_any_dtype(out[col])) \
                or pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].astype(object).map(clean)
    out.columns = [clean(str(c)) for c in out.columns]
    return out


def write_tables(path: str | Path, sheets: dict[str, pd.DataFrame], *, confidential: bool = False) -> None:
    """Write one or more tables to .xlsx (one sheet each) or a single table to .csv."""
    target = Path(path)
    if confidential:
        check_confidential_target(target)
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
        ws = wb.create_sheet(title=_sheet_title(name))
        start = 1
        if confidential:
            ws.cell(row=1, column=1, value=CONFIDENTIAL_BANNER).font = Font(bold=True, color="9C0006")
            ws.cell(row=1, column=1).fill = PatternFill("solid", fgColor="FFC7CE")
            start = 3
        clean = _clean(df, cell_text)
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
    save_workbook(wb, target)  # byte-identical for the same tables


def _sheet_title(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\ and no control characters."""
    return re.sub(r"[\[\]:*?/\\]", "_", _NOT_IN_XLSX.sub("_", str(name)))[:31].strip("'") or "Sheet"


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
