"""Everything a rule needs about one cycle: the tables, the school's settings, the working calendar, scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd

from pmreport.compliance.scope import long_absence, own_cycles, scope_reasons
from pmreport.errors import PmreportError
from pmreport.model import SchoolData
from pmreport.school_year import SchoolYear, working_calendar
from pmreport.working_days import WorkingCalendar

#: Reviewer references that stand for the governing body (the headteacher's reviewer, §4.2).
GOVERNOR_REVIEWERS = ("GOV", "GOVERNORS")

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
    year: SchoolYear  # the cycle's dates for each staff group, and the school's settings with the policy's defaults
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
        year = SchoolYear.of_data(data, cycle)
        school = pd.Series(dict(year.settings), dtype=object)
        staff = data.staff_in(cycle).drop_duplicates("staff_id")
        staff["own_cycle_start"], staff["own_cycle_end"], staff["starter"] = own_cycles(staff, year)
        staff["scope_reason"] = scope_reasons(staff)
        staff["long_absence"] = long_absence(staff)
        staff = staff.set_index("staff_id", drop=False)
        if calendar is None:
            calendar = school_calendar(data)
        when = None if as_of is None else pd.Timestamp(as_of).normalize()
        return cls(data, cycle, school, calendar, year.start, year.end, staff, year, when)

    @property
    def first_year(self) -> int:
        return self.year.first_year

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
        """A school setting for the cycle: the school's value, else ``default``, else the policy's default
        (data_schemas/school.yaml)."""
        return self.year.setting(name, default)


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
    """The school's working calendar (see :func:`pmreport.school_year.working_calendar`)."""
    return working_calendar(data.tables["calendar"])
