"""Everything a rule needs about one cycle: the tables, the school's settings, the working calendar, scope."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pmreport.compliance.scope import long_absence, scope_reasons
from pmreport.compliance.workdays import WorkingCalendar
from pmreport.errors import PmreportError
from pmreport.model import SchoolData

#: Reviewer references that stand for the governing body (the headteacher's reviewer, §4.2).
GOVERNOR_REVIEWERS = ("GOV", "GOVERNORS")
#: School settings that are dates of one cycle: not carried over from another cycle's row.
CYCLE_DATES = ("cycle_start", "cycle_end", "teacher_deadline", "head_deadline", "support_cycle_end")


@dataclass
class CheckContext:
    data: SchoolData
    cycle: str
    school: pd.Series
    calendar: WorkingCalendar
    cycle_start: pd.Timestamp
    cycle_end: pd.Timestamp
    staff: pd.DataFrame  # one row per staff_id for the cycle, indexed by staff_id, with scope columns

    @classmethod
    def build(cls, data: SchoolData, cycle: str | None = None, calendar: WorkingCalendar | None = None) -> CheckContext:
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
        staff = data.staff_in(cycle).drop_duplicates("staff_id").copy()
        staff["scope_reason"] = scope_reasons(staff, cycle_start, cycle_end)
        staff["long_absence"] = long_absence(staff)
        staff = staff.set_index("staff_id", drop=False)
        if calendar is None:
            calendar = WorkingCalendar(data.closures())
        return cls(data, cycle, school, calendar, cycle_start, cycle_end, staff)

    @property
    def first_year(self) -> int:
        return _first_year(self.cycle, self.school)

    def rows(self, sheet: str) -> pd.DataFrame:
        """The sheet's rows for this cycle."""
        table = self.data.tables[sheet]
        return table[(table["cycle"] == self.cycle).fillna(False)].copy()

    def staff_value(self, ids: pd.Series, column: str) -> pd.Series:
        """Look a staff column up for a column of staff ids (missing where the id is not on the staff sheet)."""
        return lookup(ids, self.staff[column])

    def setting(self, name: str, default: Any = None) -> Any:
        """A school setting for the cycle, or ``default`` where the school leaves it blank."""
        value = self.school.get(name)
        return default if value is None or pd.isna(value) else value


def lookup(keys: pd.Series, table: pd.Series) -> pd.Series:
    """``table``'s value for each key (missing where absent), keeping ``table``'s dtype and ``keys``' index."""
    values = table[~table.index.duplicated()].reindex(keys.to_numpy())
    return pd.Series(values.to_numpy(), index=keys.index, dtype=table.dtype)


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
