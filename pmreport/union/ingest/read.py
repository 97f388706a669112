"""Reading one return in a worker process: bytes, content hash, sheets as typed frames (python-calamine).

Nothing typed into a return is ever put into a message: reasons name the sheet, row and column,
never the value (a return might hold a name where a code should be).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmreport.errors import PmreportError
from pmreport.schema import header_key
from pmreport.union.return_schema import ADDED_SHEETS, RETURN_SHEETS, return_format

NUMERIC = ("integer", "number", "fte")

_known: frozenset[str] = frozenset()


def init_worker(known: frozenset[str]) -> None:
    """Process-pool initialiser: the content hashes already in the store."""
    global _known
    _known = known


@dataclass
class Parsed:
    """One return read, or why it could not be.

    ``columns[sheet]`` holds each field's values as a plain list (text, or a number for numeric
    fields; ``None`` when blank) and ``rows[sheet]`` the Excel row of each, so that the main process
    builds one frame per sheet for a whole batch cheaply.
    """

    file: str
    return_id: str
    size: int = 0
    columns: dict[str, dict[str, list]] = field(default_factory=dict)
    rows: dict[str, list[int]] = field(default_factory=dict)
    rows_read: int = 0
    problems: list[str] = field(default_factory=list)  # problems that make the return unusable
    notes: list[str] = field(default_factory=list)  # things ignored (extra columns or sheets)
    duplicate: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.duplicate

    def value(self, sheet: str, column: str, i: int = 0) -> Any:
        return self.columns[sheet][column][i]


def _text(value: object) -> object:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _number(value: object) -> tuple[float | None, bool]:
    """A cell as a number; the flag is False when the cell holds something that is not one."""
    if value is None or value == "":
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, int | float):
        return float(value), True
    try:
        return float(str(value).strip()), True
    except ValueError:
        return None, False


def _read_sheet(sheet: str, rows: list[list[Any]], parsed: Parsed) -> None:
    schema = return_format().sheets[sheet]
    if not rows:
        parsed.problems.append(f"sheet '{sheet}' is empty (no header row)")
        return
    header = [header_key(h) if h is not None else "" for h in rows[0]]
    wanted = {header_key(f.name): f for f in schema.fields}
    positions: dict[str, int] = {}
    for col, h in enumerate(header):
        if h in wanted and wanted[h].name not in positions:
            positions[wanted[h].name] = col
        elif h:
            parsed.notes.append(f"sheet '{sheet}' column {col + 1} is not part of the return and was ignored")
    numbered = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(v is not None and v != "" for v in r)]
    parsed.rows_read += len(numbered)
    missing = [f.name for f in schema.fields if f.required and f.name not in positions]
    if missing:
        parsed.problems.append(f"sheet '{sheet}' has no column {', '.join(missing)}")
        return
    out: dict[str, list] = {}
    for f in schema.fields:
        j = positions.get(f.name)
        raw = [r[j] if j is not None and j < len(r) else None for _, r in numbered]
        if f.type in NUMERIC:
            values = []
            for (excel_row, _), v in zip(numbered, raw, strict=True):
                number, fine = _number(v)
                if not fine:
                    parsed.problems.append(f"sheet '{sheet}' row {excel_row}: {f.name} is not a number")
                elif number is not None and f.type == "integer" and not number.is_integer():
                    parsed.problems.append(f"sheet '{sheet}' row {excel_row}: {f.name} is not a whole number")
                values.append(number)
            out[f.name] = values
        else:
            out[f.name] = [_text(v) for v in raw]
    parsed.columns[sheet] = out
    parsed.rows[sheet] = [n for n, _ in numbered]


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
        from pmreport.xlsx_scan import scan_bytes

        scan_bytes(content, p.name)  # refuses bombs and hostile sheets before calamine could abort the process
    except PmreportError as exc:
        parsed.problems.append(f"it is not a readable .xlsx workbook: {exc.message}")
        return parsed
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = {header_key(n): n for n in wb.sheet_names}
        sheets = {}
        for sheet in RETURN_SHEETS:
            if header_key(sheet) not in names:
                if sheet not in ADDED_SHEETS:  # a sheet added in a later format is made when the return is upgraded
                    parsed.problems.append(f"it has no '{sheet}' sheet")
                continue
            sheets[sheet] = wb.get_sheet_by_name(names[header_key(sheet)]).to_python()
    except Exception as exc:  # noqa: BLE001 - any failure to parse is the file's problem, reported by name
        parsed.problems.append(f"it is not a readable .xlsx workbook ({type(exc).__name__})")
        return parsed
    for sheet, rows in sheets.items():
        _read_sheet(sheet, rows, parsed)
    if "school" in parsed.rows and len(parsed.rows["school"]) != 1:
        parsed.problems.append(f"sheet 'school' must have exactly one row (it has {len(parsed.rows['school'])})")
    return parsed
