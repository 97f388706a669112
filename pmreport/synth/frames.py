"""Plain records (lists of dicts) to :class:`pmreport.model.SchoolData`, typed exactly per model.py."""

from __future__ import annotations

import pandas as pd

from pmreport.model import PANDAS_DTYPES, SchoolData
from pmreport.schema import SHEET_ORDER, load_schemas


def column(values: list, ftype: str) -> pd.Series:
    dtype = PANDAS_DTYPES[ftype]
    if ftype == "date":
        return pd.Series(pd.to_datetime(pd.Series(values, dtype="object")), dtype="datetime64[ns]")
    if dtype == "float64":
        return pd.Series([float("nan") if v is None else float(v) for v in values], dtype="float64")
    if dtype == "string":
        return pd.Series([None if v is None else str(v) for v in values], dtype="string")
    return pd.Series(pd.array(values, dtype=dtype))


def to_frame(sheet: str, rows: list[dict], file_name: str) -> pd.DataFrame:
    sch = load_schemas()[sheet]
    cols = {f.name: column([r.get(f.name) for r in rows], f.type) for f in sch.fields}
    cols["_file"] = pd.Series([file_name] * len(rows), dtype="string")
    cols["_sheet"] = pd.Series([sheet] * len(rows), dtype="string")
    cols["_row"] = pd.Series(pd.array(range(2, len(rows) + 2), dtype="Int64"))
    return pd.DataFrame(cols)


def school_data(records: dict[str, list[dict]], file_name: str) -> SchoolData:
    return SchoolData({sheet: to_frame(sheet, records.get(sheet, []), file_name) for sheet in SHEET_ORDER})
