"""The four outcomes a rule can give a unit, and the small vectorised helpers every rule shares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

MET = "met"
BREACHED = "breached"
NOT_RECORDED = "not_recorded"
NOT_APPLICABLE = "not_applicable"

#: Every outcome, in the order they are reported.
OUTCOMES = (MET, BREACHED, NOT_RECORDED, NOT_APPLICABLE)

#: Plain-English labels for people reading the output.
OUTCOME_LABELS = {
    MET: "Met",
    BREACHED: "Breached",
    NOT_RECORDED: "Not recorded",
    NOT_APPLICABLE: "Not applicable",
}

#: Columns of every rule's per-unit detail.
DETAIL_COLUMNS = ("staff_id", "item", "outcome", "reason", "category", "_file", "_sheet", "_row")

Case = tuple[Any, str, Any]


def fmt_date(value: Any) -> str:
    """A date as people write it: ``31 October 2025``."""
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts:%B %Y}"


def fmt_dates(values: pd.Series) -> pd.Series:
    """A column of dates as ``31 October 2025`` (missing stays missing)."""
    values = pd.to_datetime(values)
    return values.dt.day.astype("Int64").astype("string") + values.dt.strftime(" %B %Y").astype("string")


def plural(n: int, word: str) -> str:
    """``1 working day``, ``5 working days``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def mask(values: Any, index: pd.Index) -> np.ndarray:
    """A boolean condition as a plain numpy mask; a missing answer counts as False."""
    if isinstance(values, pd.Series):
        return values.astype("boolean").fillna(False).to_numpy(dtype=bool)
    if np.isscalar(values):
        return np.full(len(index), bool(values))
    return pd.array(values, dtype="boolean").fillna(False).to_numpy(dtype=bool)


def decide(units: pd.DataFrame, cases: Sequence[Case], default: tuple[str, Any]) -> pd.DataFrame:
    """Give each unit the outcome and reason of the first case whose condition holds, else ``default``.

    ``cases`` are ``(condition, outcome, reason)``; a reason is a string or a column of strings.
    """
    outcome = np.full(len(units), default[0], dtype=object)
    reason = _reasons(default[1], units.index).copy()
    decided = np.zeros(len(units), dtype=bool)
    for condition, result, why in cases:
        hit = mask(condition, units.index) & ~decided
        if hit.any():
            outcome[hit] = result
            reason[hit] = _reasons(why, units.index)[hit]
            decided |= hit
    out = units[[c for c in DETAIL_COLUMNS if c in units.columns]].copy()
    out["outcome"] = outcome
    out["reason"] = reason
    return out


def _reasons(why: Any, index: pd.Index) -> np.ndarray:
    if isinstance(why, pd.Series):
        return why.astype("string").fillna("").to_numpy(dtype=object)
    return np.full(len(index), why, dtype=object)


def detail(frame: pd.DataFrame) -> pd.DataFrame:
    """Trim a decided frame to the detail columns (adding blank ``item``/``category`` where absent)."""
    n = len(frame)
    columns = {
        col: (frame[col].to_numpy() if col in frame.columns else [pd.NA] * n)
        for col in DETAIL_COLUMNS
    }
    out = pd.DataFrame(columns)
    for col in DETAIL_COLUMNS:
        dtype = "Int64" if col == "_row" else "string"
        if str(out[col].dtype) != dtype:
            out[col] = out[col].astype(dtype)
    return out
