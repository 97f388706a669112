"""Working days: Monday to Friday, minus England and Wales bank holidays, minus the school's closures.

The one implementation of the policy's working-day arithmetic (DESIGN.md, Conventions):

* ``nth_working_day_after(x, n)``: the n-th working day after ``x``, ``x`` itself not counted.
* ``within_working_days(x, y, n)``: "within n working days of x", that is ``y`` is no later than
  the n-th working day after ``x``.
* ``working_days_notice(notice, meeting)``: the working days after the notice date up to and
  including the meeting ("at least n working days' notice" means this count is at least n).

Every function takes a single date or a whole column (``pandas.Series``, numpy array, list) and
works on the column at once with numpy's business-day functions. Missing dates (``NaT``/``None``)
give a missing answer, never a pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import Any

import holidays
import numpy as np
import pandas as pd

#: Years for which bank holidays are loaded when none are given.
DEFAULT_YEARS = range(1990, 2061)

_WEEKMASK = "1111100"  # Monday to Friday


@cache
def bank_holidays(years: tuple[int, ...]) -> tuple[date, ...]:
    """England and Wales bank holidays (substitute days included) in ``years``, from the holidays package."""
    return tuple(sorted(holidays.country_holidays("GB", subdiv="ENG", years=years)))


def _as_days(value: Any) -> tuple[np.ndarray, bool, pd.Index | None]:
    """Any date or column of dates -> (datetime64[D] array, was it a scalar?, pandas index to keep)."""
    if isinstance(value, pd.Series):
        return pd.to_datetime(value).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]"), False, value.index
    if isinstance(value, str | date | pd.Timestamp | np.datetime64) or value is None or value is pd.NaT:
        arr = np.array([pd.Timestamp(value).to_datetime64() if value is not None else np.datetime64("NaT")])
        return arr.astype("datetime64[D]"), True, None
    arr = pd.to_datetime(pd.Series(list(value) if not isinstance(value, np.ndarray) else value))
    return arr.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]"), False, None


class WorkingCalendar:
    """Working days for one school: Monday to Friday, not a bank holiday, not a school closure."""

    def __init__(self, closures: Iterable[date] = (), years: Iterable[int] | None = None):
        self.years = tuple(sorted(set(years))) if years is not None else tuple(DEFAULT_YEARS)
        self.bank_holidays = bank_holidays(self.years)
        self.closures = tuple(sorted({pd.Timestamp(d).date() for d in closures}))
        non_working = np.array(sorted(set(self.bank_holidays) | set(self.closures)), dtype="datetime64[D]")
        self._cal = np.busdaycalendar(weekmask=_WEEKMASK, holidays=non_working)

    def __repr__(self) -> str:
        return f"WorkingCalendar({len(self.closures)} closure days, bank holidays {self.years[0]}-{self.years[-1]})"

    # -- single questions -------------------------------------------------------------------

    def is_working_day(self, x: Any) -> Any:
        days, scalar, index = _as_days(x)
        ok = ~np.isnat(days)
        out = np.zeros(len(days), dtype=bool)
        out[ok] = np.is_busday(days[ok], busdaycal=self._cal)
        return _shape(out, ~ok, scalar, index, "boolean")

    def nth_working_day_after(self, x: Any, n: int | Any) -> Any:
        """The n-th working day after ``x`` (``x`` not counted); ``NaT`` where ``x`` is missing."""
        days, scalar, index = _as_days(x)
        # Rolling a non-working day back to the working day before it and then stepping n working
        # days forward lands on the n-th working day after it, exactly as for a working day.
        out = np.busday_offset(days, n, roll="backward", busdaycal=self._cal)
        if scalar:
            return None if np.isnat(out[0]) else pd.Timestamp(out[0]).date()
        out = out.astype("datetime64[ns]")
        return pd.Series(out, index=index) if index is not None else out

    def within_working_days(self, x: Any, y: Any, n: int | Any) -> Any:
        """Is ``y`` no later than the n-th working day after ``x``? Missing where either date is missing."""
        xs, scalar_x, index = _as_days(x)
        ys, scalar_y, index_y = _as_days(y)
        limit = np.busday_offset(xs, n, roll="backward", busdaycal=self._cal)
        limit, ys = np.broadcast_arrays(limit, ys)
        missing = np.isnat(limit) | np.isnat(ys)
        out = np.where(missing, False, ys <= limit)
        return _shape(out, missing, scalar_x and scalar_y, index if index is not None else index_y, "boolean")

    def working_days_notice(self, notice: Any, meeting: Any) -> Any:
        """Working days after ``notice`` up to and including ``meeting`` (negative if the meeting came first)."""
        ns, scalar_n, index = _as_days(notice)
        ms, scalar_m, index_m = _as_days(meeting)
        ns, ms = np.broadcast_arrays(ns, ms)
        missing = np.isnat(ns) | np.isnat(ms)
        out = np.zeros(ns.shape, dtype=np.int64)
        one = np.timedelta64(1, "D")
        out[~missing] = np.busday_count(ns[~missing] + one, ms[~missing] + one, busdaycal=self._cal)
        return _shape(out, missing, scalar_n and scalar_m, index if index is not None else index_m, "Int64")


def _shape(values: np.ndarray, missing: np.ndarray, scalar: bool, index: pd.Index | None, dtype: str) -> Any:
    """Give the answer back in the caller's shape: a plain value, or a nullable column."""
    if scalar:
        return None if missing[0] else values[0].item()
    arr = pd.array(values, dtype=dtype)
    arr[missing] = pd.NA
    return pd.Series(arr, index=index) if index is not None else arr
