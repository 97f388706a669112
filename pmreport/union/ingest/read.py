"""Reading one return in a worker process: bytes, content hash, sheets as typed frames (python-calamine).

Nothing typed into a return is ever put into a message: reasons name the sheet, row and column,
never the value (a return might hold a name where a code should be).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pmreport.schema import header_key
from pmreport.union.schema import RETURN_SHEETS, return_format

NUMERIC = ("integer", "number", "fte")

_known: frozenset[str] = frozenset()


def init_worker(known: frozenset[str]) -> None:
    """Process-pool initialiser: the content hashes already in the store."""
    global _known
    _known = known


@dataclass
class Parsed:
    """One return read (``frames`` per sheet with ``_file``, ``_sheet``, ``_row``), or why it could not be."""

    file: str
    return_id: str
    size: int = 0
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    rows_read: int = 0
    problems: list[str] = field(default_factory=list)  # problems that make the return unusable
    notes: list[str] = field(default_factory=list)  # things ignored (extra columns or sheets)
    duplicate: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.duplicate


def _text(value: object) -> object:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _frame(sheet: str, rows: list[list[object]], file: str, parsed: Parsed) -> pd.DataFrame | None:
    schema = return_format().sheets[sheet]
    if not rows:
        parsed.problems.append(f"sheet '{sheet}' is empty (no header row)")
        return None
    header = [header_key(h) if h is not None else "" for h in rows[0]]
    wanted = {header_key(f.name): f for f in schema.fields}
    positions: dict[str, int] = {}
    for j, h in enumerate(header):
        if h in wanted and wanted[h].name not in positions:
            positions[wanted[h].name] = j
        elif h:
            parsed.notes.append(f"sheet '{sheet}' column {j + 1} is not part of the return and was ignored")
    missing = [f.name for f in schema.fields if f.required and f.name not in positions]
    body = [r for r in rows[1:] if any(v is not None and v != "" for v in r)]
    excel_rows = [i + 2 for i, r in enumerate(rows[1:]) if any(v is not None and v != "" for v in r)]
    parsed.rows_read += len(body)
    if missing:
        parsed.problems.append(f"sheet '{sheet}' has no column {', '.join(missing)}")
        return None
    data: dict[str, object] = {}
    for f in schema.fields:
        j = positions.get(f.name)
        raw = [(r[j] if j is not None and j < len(r) else None) for r in body] if j is not None else [None] * len(body)
        if f.type in NUMERIC:
            values = pd.to_numeric(pd.Series([None if v == "" else v for v in raw], dtype=object), errors="coerce")
            bad = values.isna() & pd.Series([v not in (None, "") for v in raw])
            for i in np.where(bad.to_numpy())[0][:3]:
                parsed.problems.append(f"sheet '{sheet}' row {excel_rows[i]}: {f.name} is not a number")
            if f.type == "integer":
                fractional = values.notna() & (values % 1 != 0)
                for i in np.where(fractional.to_numpy())[0][:3]:
                    parsed.problems.append(f"sheet '{sheet}' row {excel_rows[i]}: {f.name} is not a whole number")
                values = values.round().astype("Int64")
            data[f.name] = values
        else:
            data[f.name] = pd.Series([_text(v) for v in raw], dtype="string")
    frame = pd.DataFrame(data)
    frame["_file"] = file
    frame["_sheet"] = sheet
    frame["_row"] = pd.array(excel_rows, dtype="Int64")
    return frame


def read_return(path: str) -> Parsed:
    """Read one return (run in a worker process)."""
    from python_calamine import CalamineWorkbook

    p = Path(path)
    try:
        content = p.read_bytes()
    except OSError as exc:
        return Parsed(str(p), "", problems=[f"the file could not be opened ({type(exc).__name__})"])
    digest = hashlib.sha256(content).hexdigest()
    parsed = Parsed(str(p), digest, len(content))
    if digest in _known:
        parsed.duplicate = True
        return parsed
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = {header_key(n): n for n in wb.sheet_names}
        sheets = {}
        for sheet in RETURN_SHEETS:
            if header_key(sheet) not in names:
                parsed.problems.append(f"it has no '{sheet}' sheet")
                continue
            sheets[sheet] = wb.get_sheet_by_name(names[header_key(sheet)]).to_python()
    except Exception as exc:  # noqa: BLE001 - any failure to parse is the file's problem, reported by name
        parsed.problems.append(f"it is not a readable .xlsx workbook ({type(exc).__name__})")
        return parsed
    for sheet, rows in sheets.items():
        frame = _frame(sheet, rows, str(p), parsed)
        if frame is not None:
            parsed.frames[sheet] = frame
    school = parsed.frames.get("school")
    if school is not None and len(school) != 1:
        parsed.problems.append(f"sheet 'school' must have exactly one row (it has {len(school)})")
    return parsed
