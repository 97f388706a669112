"""Everything a rule needs about one cycle: the tables, the school's settings, the working calendar, scope."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd

from pmreport.compliance.scope import long_absence, own_cycles, scope_reasons
from pmreport.compliance.workdays import WorkingCalendar
from pmreport.errors import PmreportError
from pmreport.model import SchoolData

#: Reviewer references that stand for the governing body (the headteacher's reviewer, §4.2).
GOVERNOR_REVIEWERS = ("GOV", "GOVERNORS")
#: School settings that are dates of one cycle: not carried over from another cycle's row.
CYCLE_DATES = ("cycle_start", "cycle_end", "teacher_deadline", "head_deadline", "support_cycle_end")
#: Kinds of calendar row that stop the working-day count: the school is closed to staff. INSET days are
#: working days for staff (they are training days), so they are not among them; a row whose kind is
#: blank is read as a closure, as the sheet lists closures.
CLOSED_KINDS = ("holiday", "closure")
#: Working calendars already built, by the calendar sheet's dates (``run_checks`` runs once per cycle).
_CALENDARS: dict[tuple[bytes, ...], WorkingCalendar] = {}

T = TypeVar("T")


@dataclass
class CheckContext:
    data: SchoolData
    cycle: str
    school: pd.Series
    calendar: WorkingCalendar
    cycle_start: pd.Timestamp
    cycle_end: pd.Timestamp
    staff: pd.DataFrame  # one row per staff_id for the cycle, indexed by staff_id, with scope columns
    as_of: pd.Timestamp | None = None  # the run date: dates after it cannot be true yet (None: not checked)
    _shared: dict[Any, Any] = field(default_factory=dict, repr=False)  # inputs several rules use: see shared()

    @classmethod
    def build(
        cls, data: SchoolData, cycle: str | None = None, calendar: WorkingCalendar | None = None, as_of: Any = None
    ) -> CheckContext:
        cycle = cycle or data.latest_cycle
        if cycle is None:
            raise PmreportError(
                "The data has no cycle to check: neither the school sheet nor the reviews name one.",
                "Fill in the cycle column (for example 2025/26) on the school and reviews sheets.",
            )
        if data.cycles and cycle not in data.cycles:
            raise PmreportError(
                f"The data has no cycle {cycle}. Cycles found: {', '.join(data.cycles)}.",
                "Choose one of those with --cycle, written like 2025/26.",
            )
        school = data.school_row(cycle)
        if school.get("cycle") != cycle:  # the school sheet has no row for this cycle: use the policy's dates
            school = school.copy()
            school[list(CYCLE_DATES)] = pd.NaT
        first_year = _first_year(cycle, school)
        cycle_start = _date(school.get("cycle_start"), pd.Timestamp(first_year, 9, 1))
        cycle_end = _date(school.get("cycle_end"), pd.Timestamp(first_year + 1, 8, 31))
        staff = data.staff_in(cycle).drop_duplicates("staff_id")
        support_end = _date(school.get("support_cycle_end"), cycle_end)
        staff["own_cycle_start"], staff["own_cycle_end"], staff["starter"] = own_cycles(
            staff, cycle_start, cycle_end, support_end
        )
        staff["scope_reason"] = scope_reasons(staff)
        staff["long_absence"] = long_absence(staff)
        staff = staff.set_index("staff_id", drop=False)
        if calendar is None:
            calendar = school_calendar(data)
        when = None if as_of is None else pd.Timestamp(as_of).normalize()
        return cls(data, cycle, school, calendar, cycle_start, cycle_end, staff, when)

    @property
    def first_year(self) -> int:
        return _first_year(self.cycle, self.school)

    def shared(self, key: Any, make: Callable[[], T]) -> T:
        """``make()``, worked out the first time ``key`` is asked for and then remembered for this cycle.

        For inputs several rules use (the cycle's rows of a sheet, its observations named as items).
        Treat what it returns as read-only: a frame's ``copy(deep=False)`` may be changed freely, as
        pandas copies on write.
        """
        if key not in self._shared:
            self._shared[key] = make()
        return self._shared[key]

    def rows(self, sheet: str) -> pd.DataFrame:
        """The sheet's rows for this cycle (selected once per cycle; the caller may add columns to its copy)."""
        def select() -> pd.DataFrame:
            table = self.data.tables[sheet]
            return table[(table["cycle"] == self.cycle).fillna(False).to_numpy(dtype=bool)]

        return self.shared(("rows", sheet), select).copy(deep=False)

    def staff_value(self, ids: pd.Series, column: str) -> pd.Series:
        """Look a staff column up for a column of staff ids (missing where the id is not on the staff sheet)."""
        return lookup(ids, self.staff[column])

    def setting(self, name: str, default: Any = None) -> Any:
        """A school setting for the cycle, or ``default`` where the school leaves it blank."""
        value = self.school.get(name)
        return default if value is None or pd.isna(value) else value


def lookup(keys: pd.Series, table: pd.Series) -> pd.Series:
    """``table``'s value for each key (missing where absent), keeping ``table``'s dtype and ``keys``' index.

    Where a key is in ``table``'s index more than once, its first value is used.
    """
    if not table.index.is_unique:
        table = table[~table.index.duplicated()]
    positions = table.index.get_indexer(keys.to_numpy())
    values = pd.api.extensions.take(table.array, positions, allow_fill=True)
    return pd.Series(values, index=keys.index, dtype=table.dtype)


def school_calendar(data: SchoolData) -> WorkingCalendar:
    """The school's working calendar, built once for each calendar sheet seen (a few are kept)."""
    table = data.tables["calendar"]
    key = (*(table[c].to_numpy(dtype="datetime64[ns]").tobytes() for c in ("start_date", "end_date")),
           tuple(table["kind"].astype("string").fillna("").tolist()))
    if key not in _CALENDARS:
        if len(_CALENDARS) >= 8:
            _CALENDARS.clear()
        _CALENDARS[key] = WorkingCalendar(closed_days(table))
    return _CALENDARS[key]


def closed_days(calendar: pd.DataFrame) -> list[pd.Timestamp]:
    """Every day the calendar sheet closes the school to staff (holidays and closures; not INSET days)."""
    kind = calendar["kind"].astype("string")
    closed = calendar[(kind.isin(CLOSED_KINDS) | kind.isna()).to_numpy(dtype=bool, na_value=True)]
    days: list[pd.Timestamp] = []
    for start, end in zip(closed["start_date"], closed["end_date"].fillna(closed["start_date"]), strict=True):
        if pd.notna(start):
            days.extend(pd.date_range(start, end, freq="D"))
    return days


def _first_year(cycle: str, school: pd.Series) -> int:
    found = re.match(r"\s*(\d{4})", str(cycle))
    if found:
        return int(found.group(1))
    start = school.get("cycle_start")
    if start is not None and pd.notna(start):
        return pd.Timestamp(start).year
    raise PmreportError(f"Cannot tell which year the cycle {cycle!r} starts in.", "Write cycles like 2025/26.")


def _date(value: Any, default: pd.Timestamp) -> pd.Timestamp:
    return default if value is None or pd.isna(value) else pd.Timestamp(value).normalize()
