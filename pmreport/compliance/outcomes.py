"""The four outcomes a rule can give a unit, and the small vectorised helpers every rule shares."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import cache
from typing import Any

import numpy as np
import pandas as pd


class Outcome(StrEnum):
    """What a rule found for one unit (a review, an observation, a reviewer ...), with its label in words.

    Members are strings (``Outcome.MET == "met"``), so they sit in frames and JSON as their codes;
    :attr:`label` is the one wording every output uses, for the head and for governors alike.
    """

    MET = "met"
    BREACHED = "breached"
    NOT_RECORDED = "not_recorded"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Outcome.MET: "Met",
    Outcome.BREACHED: "Not met (breached)",
    Outcome.NOT_RECORDED: "Not recorded",
    Outcome.NOT_APPLICABLE: "Not applicable",
}

MET, BREACHED, NOT_RECORDED, NOT_APPLICABLE = Outcome.MET, Outcome.BREACHED, Outcome.NOT_RECORDED, Outcome.NOT_APPLICABLE

#: Every outcome, in the order they are reported.
OUTCOMES = tuple(Outcome)

#: Plain-English labels for people reading the output (:attr:`Outcome.label`).
OUTCOME_LABELS = {o.value: o.label for o in Outcome}

#: Columns of every rule's per-unit detail.
DETAIL_COLUMNS = ("staff_id", "item", "outcome", "reason", "category", "_file", "_sheet", "_row")
#: Their types: text, and the Excel row number as a nullable integer.
DETAIL_DTYPES = {col: "Int64" if col == "_row" else "string" for col in DETAIL_COLUMNS}

Case = tuple[Any, str, Any]


def fmt_date(value: Any) -> str:
    """A date as people write it: ``31 October 2025``."""
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts:%B %Y}"


def fmt_dates(values: Any) -> np.ndarray:
    """A column of dates as text to build reasons from, ``31 October 2025`` (missing stays missing, as NA).

    Like :func:`text`, the result is a plain array of strings: ``"on " + fmt_dates(dates)`` is worked
    out by numpy, far faster than by pandas for the few hundred rows of a school.
    """
    days = pd.to_datetime(values).to_numpy(dtype="datetime64[D]").view(np.int64).tolist()
    return np.array([_day_label(day) for day in days], dtype=object)


_NAT = int(np.datetime64("NaT").view(np.int64))


@cache
def _day_label(day: int) -> Any:
    """:func:`fmt_date` of a day counted from 1 January 1970 (each date is written once, then remembered)."""
    return pd.NA if day == _NAT else fmt_date(np.datetime64(day, "D"))


def text(values: pd.Series | np.ndarray) -> np.ndarray:
    """A column as text to build reasons from (``5``, ``0.6``, ``teacher``): a plain array, missing as NA.

    A reason built from a missing value is missing too, and :func:`decide` leaves it blank.
    """
    return pd.Series(values, copy=False).astype("string").to_numpy(dtype=object)


def plural(n: int, word: str) -> str:
    """``1 working day``, ``5 working days``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def mask(values: Any, index: pd.Index) -> np.ndarray:
    """A boolean condition as a plain numpy mask; a missing answer counts as False."""
    if isinstance(values, np.ndarray) and values.dtype == bool:
        return values
    if isinstance(values, pd.Series):
        if values.dtype == bool:
            return values.to_numpy()
        if pd.api.types.is_bool_dtype(values.dtype):  # nullable: pandas' own or pyarrow's
            return values.to_numpy(dtype=bool, na_value=False)
        return values.astype("boolean").fillna(False).to_numpy(dtype=bool)
    if np.isscalar(values):
        return np.full(len(index), bool(values))
    return pd.array(values, dtype="boolean").fillna(False).to_numpy(dtype=bool)


def decide(units: pd.DataFrame, cases: Sequence[Case], default: tuple[str, Any]) -> pd.DataFrame:
    """Give each unit the outcome and reason of the first case whose condition holds, else ``default``.

    ``cases`` are ``(condition, outcome, reason)``; a reason is a string or a column (a Series or
    array, as from :func:`text`) of strings, a missing one left blank. Returns the units' detail
    (see :func:`detail`).
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
    return _detail(units, {"outcome": outcome, "reason": reason})


def _reasons(why: Any, index: pd.Index) -> np.ndarray:
    if isinstance(why, np.ndarray):
        return np.where(pd.isna(why), "", why)
    if isinstance(why, pd.Series):
        if isinstance(why.dtype, pd.StringDtype):
            return why.to_numpy(dtype=object, na_value="")
        return why.astype("string").fillna("").to_numpy(dtype=object)
    return np.full(len(index), why, dtype=object)


def detail(frame: pd.DataFrame) -> pd.DataFrame:
    """Trim a decided frame to the detail columns (adding blank ``item``/``category`` where absent).

    The result has :data:`DETAIL_COLUMNS` in order, as text (``_row`` as ``Int64``), indexed from 0.
    """
    typed = {col: str(dtype) for col, dtype in frame.dtypes.items()} == DETAIL_DTYPES
    if typed and tuple(frame.columns) == DETAIL_COLUMNS and frame.index.equals(pd.RangeIndex(len(frame))):
        return frame  # already the detail, as decide() gives it
    return _detail(frame, {})


def _detail(frame: pd.DataFrame, given: dict[str, np.ndarray]) -> pd.DataFrame:
    """The detail columns, typed: ``given`` ones, else ``frame``'s, else blank."""
    columns = {}
    for col, dtype in DETAIL_DTYPES.items():
        if col in given:
            columns[col] = pd.array(given[col], dtype=dtype)
        elif col not in frame.columns:
            columns[col] = pd.array(np.full(len(frame), None, dtype=object), dtype=dtype)
        else:
            values = frame[col]
            columns[col] = (values if str(values.dtype) == dtype else values.astype(dtype)).array
    return pd.DataFrame(columns, copy=False)
