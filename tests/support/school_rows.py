"""Build a typed :class:`~pmreport.model.SchoolData` from plain rows, for tests, notebooks and examples.

>>> data = school_data(
...     school=[{"cycle": "2025/26", "cycle_start": "2025-09-01", "cycle_end": "2026-08-31"}],
...     staff=[{"staff_id": "T1", "role_group": "teacher", "fte": 1.0}],
... )

Columns not given are missing; dates may be written as ``"2025-10-31"``. Each row gets
``_file``/``_sheet``/``_row`` as if read from ``test.xlsx`` (Excel rows from 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from pmreport.model import PANDAS_DTYPES, SchoolData, empty_table
from pmreport.schema import load_schemas

#: Staff defaults so that a test names only what it is about.
STAFF_DEFAULTS: dict[str, Any] = {
    "role_group": "teacher",
    "post": "Class Teacher",
    "responsibility": "classroom_teacher",
    "pay_range": "main",
    "fte": 1.0,
    "contract_type": "permanent",
    "contract_start": "2015-09-01",
    "years_experience": 10,
    "qts": True,
    "induction": False,
    "in_capability": False,
}


def table(sheet: str, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A frame of ``sheet`` holding ``rows``, with the contract's columns and dtypes."""
    rows = list(rows)
    empty = empty_table(sheet)
    if not rows:
        return empty
    raw = pd.DataFrame(rows)
    unknown = set(raw.columns) - set(empty.columns)
    if unknown:
        raise KeyError(f"{sheet} has no columns {sorted(unknown)}")
    types = {f.name: PANDAS_DTYPES[f.type] for f in load_schemas()[sheet].fields}
    out = pd.DataFrame(index=range(len(raw)))
    for col in empty.columns:
        values = raw[col] if col in raw else pd.Series([None] * len(raw))
        if col == "_file":
            values = values.fillna("test.xlsx") if col in raw else pd.Series(["test.xlsx"] * len(raw))
        elif col == "_sheet":
            values = values.fillna(sheet) if col in raw else pd.Series([sheet] * len(raw))
        elif col == "_row":
            values = values if col in raw else pd.Series(range(2, len(raw) + 2))
        dtype = types.get(col, empty[col].dtype)
        if str(dtype).startswith("datetime64"):
            out[col] = pd.to_datetime(values).astype(dtype)
        elif str(dtype) in ("Int64", "boolean", "string"):
            out[col] = pd.array(values.astype(object).where(values.notna(), None).tolist(), dtype=dtype)
        else:
            out[col] = pd.to_numeric(values).astype(dtype)
    return out


def school_data(**sheets: Iterable[Mapping[str, Any]]) -> SchoolData:
    """A SchoolData from rows per sheet; staff rows are filled with :data:`STAFF_DEFAULTS`."""
    tables = {}
    for sheet, rows in sheets.items():
        rows = [dict(STAFF_DEFAULTS) | dict(r) for r in rows] if sheet == "staff" else list(rows)
        tables[sheet] = table(sheet, rows)
    return SchoolData(tables)
