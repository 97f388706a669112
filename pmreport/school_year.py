"""The school year: the facts about a cycle that every analysis shares, worked out here and nowhere else.

* **Each staff group's cycle (policy §4.1).** Teachers and the headteacher follow the school's cycle,
  ``cycle_start`` to ``cycle_end`` on the school sheet, else 1 September to 31 August. Support staff
  follow the twelve months ending on ``support_cycle_end`` ("ending on 31st March in each year": April
  to March) where the school sets it, else the teachers' cycle. A school sheet row for another cycle
  lends none of its dates.
* **The days the school is closed to staff.** Holidays and closures on the calendar sheet (a row whose
  kind is blank is read as a closure, as the sheet lists closures). INSET days are working days: staff
  are in school for training. :func:`working_calendar` adds weekends and bank holidays.
* **Ages and age bands.** A person's age is taken at the start of the cycle, from the date of birth,
  else the age recorded; every table that breaks figures down by age uses :data:`AGE_BANDS`.
* **The policy's defaults for the school's settings** (the observation cap, the deadlines, the days a
  mid-cycle starter has for a first meeting ...) are in ``data_schemas/school.yaml`` (``default:``);
  :func:`policy_default` reads them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmreport.errors import PmreportError
from pmreport.schema import schema
from pmreport.working_days import WorkingCalendar

if TYPE_CHECKING:
    from pmreport.model import SchoolData

#: School settings that are dates of one cycle: a school sheet row for another cycle lends none of them.
CYCLE_DATES = ("cycle_start", "cycle_end", "teacher_deadline", "head_deadline", "support_cycle_end")
#: Kinds of calendar row that stop the working-day count: the school is closed to staff. INSET days are
#: working days for staff (they are training days), so they are not among them.
CLOSED_KINDS = ("holiday", "closure")
#: The age bands of every breakdown by age: (code, words, lowest age), youngest first.
AGE_BAND_TABLE = (("under_30", "under 30", 0), ("30_39", "30-39", 30), ("40_49", "40-49", 40),
                  ("50_59", "50-59", 50), ("60_and_over", "60 and over", 60))
AGE_BANDS = tuple(code for code, _, _ in AGE_BAND_TABLE)
AGE_BAND_WORDS = dict((code, words) for code, words, _ in AGE_BAND_TABLE)
#: The age each band after the first starts at (30, 40, 50, 60).
AGE_BAND_EDGES = tuple(low for _, _, low in AGE_BAND_TABLE[1:])
NOT_KNOWN = "not_known"

_DATE_DEFAULT = re.compile(r"^(first|second)-(\d{2})-(\d{2})$")


def policy_default(name: str) -> Any:
    """The policy's value for a school setting the school leaves blank (``default:`` in data_schemas/school.yaml).

    Date settings are written there as ``first-MM-DD`` or ``second-MM-DD`` (that day of the cycle's first
    or second calendar year); use :meth:`SchoolYear.setting` for them. None when the policy sets none.
    """
    return schema("school").field(name).default


@dataclass(frozen=True)
class SchoolYear:
    """One cycle's dates for one school: its start and end, and support staff's own cycle."""

    cycle: str
    first_year: int
    start: pd.Timestamp
    end: pd.Timestamp
    support_end: pd.Timestamp
    settings: Mapping[str, Any]  # the school sheet's row for the cycle (dates of another cycle's row removed)

    @classmethod
    def of(cls, cycle: str, school: Mapping[str, Any] | pd.Series | None = None) -> SchoolYear:
        """The school year of ``cycle`` given the school sheet's row for it (None or another cycle's row:
        the policy's dates)."""
        row: dict[str, Any] = dict(school.items()) if school is not None else {}
        if row.get("cycle") is not None and not _blank(row.get("cycle")) and str(row.get("cycle")) != str(cycle):
            row = {k: v for k, v in row.items() if k not in CYCLE_DATES}
        first = _first_year(cycle, row.get("cycle_start"))
        partial = cls(str(cycle), first, pd.NaT, pd.NaT, pd.NaT, row)
        start = partial.setting("cycle_start")
        end = partial.setting("cycle_end")
        support_end = _date(row.get("support_cycle_end"), end)
        return cls(str(cycle), first, start, end, support_end, row)

    @classmethod
    def of_data(cls, data: SchoolData, cycle: str) -> SchoolYear:
        """The school year of ``cycle`` from a school's tables (the policy's dates where it has no school row)."""
        school = data.tables["school"]
        return cls.of(cycle, data.school_row(cycle) if not school.empty else None)

    @property
    def support_start(self) -> pd.Timestamp:
        """The first day of support staff's cycle: the day after ``support_end`` a year before."""
        return self.support_end - pd.DateOffset(years=1) + pd.Timedelta(days=1)

    def bounds(self, role_group: Any) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last day of the cycle of a staff group (support staff's own; everyone else the school's)."""
        if role_group == "support":
            return self.support_start, self.support_end
        return self.start, self.end

    def own_cycles(self, role_groups: pd.Series) -> tuple[pd.Series, pd.Series]:
        """First and last day of each person's group's cycle, for a column of role groups."""
        support = (role_groups == "support").fillna(False).to_numpy(dtype=bool)
        first = pd.Series(np.where(support, self.support_start, self.start), index=role_groups.index,
                          dtype="datetime64[ns]")
        last = pd.Series(np.where(support, self.support_end, self.end), index=role_groups.index, dtype="datetime64[ns]")
        return first, last

    def setting(self, name: str, default: Any = None) -> Any:
        """A school setting for the cycle: the school's value, else ``default``, else the policy's default
        (dates of the form ``first-MM-DD`` made into that day of the cycle's first or second year)."""
        value = self.settings.get(name)
        if not _blank(value):
            return pd.Timestamp(value).normalize() if schema("school").field(name).type == "date" else value
        if default is not None:
            return default
        fallback = policy_default(name)
        if isinstance(fallback, str) and (found := _DATE_DEFAULT.match(fallback)):
            which, month, day = found.groups()
            return pd.Timestamp(self.first_year + (which == "second"), int(month), int(day))
        return fallback


def ages_at(staff: pd.DataFrame, when: Any) -> pd.Series:
    """Each person's age in whole years on ``when`` (the cycle's start): from ``date_of_birth``, else ``age``."""
    start = pd.Timestamp(when)
    dob = pd.to_datetime(staff["date_of_birth"], errors="coerce")
    later = (dob.dt.month > start.month) | ((dob.dt.month == start.month) & (dob.dt.day > start.day))
    from_dob = (start.year - dob.dt.year - later.astype(int)).astype(float)
    return from_dob.where(dob.notna(), pd.to_numeric(staff["age"], errors="coerce").astype(float))


def age_band(age: Any) -> str:
    """An age in years as one of :data:`AGE_BANDS` (``not_known`` when missing)."""
    if age is None or pd.isna(age):
        return NOT_KNOWN
    position = int(np.searchsorted(AGE_BAND_EDGES, float(age), side="right"))
    return AGE_BANDS[position]


def closed_days(calendar: pd.DataFrame) -> list[pd.Timestamp]:
    """Every day the calendar sheet closes the school to staff (holidays and closures; not INSET days)."""
    kind = calendar["kind"].astype("string")
    closed = calendar[(kind.isin(CLOSED_KINDS) | kind.isna()).to_numpy(dtype=bool, na_value=True)]
    days: list[pd.Timestamp] = []
    for start, end in zip(closed["start_date"], closed["end_date"].fillna(closed["start_date"]), strict=True):
        if pd.notna(start):
            days.extend(pd.date_range(start, end, freq="D"))
    return days


#: Working calendars already built, by the calendar sheet's dates (several analyses ask for the same one).
_CALENDARS: dict[tuple[Any, ...], WorkingCalendar] = {}


def working_calendar(calendar: pd.DataFrame) -> WorkingCalendar:
    """The school's working calendar (weekdays, not bank holidays, not closed to staff), built once for each
    calendar sheet seen (a few are kept)."""
    key = (*(calendar[c].to_numpy(dtype="datetime64[ns]").tobytes() for c in ("start_date", "end_date")),
           tuple(calendar["kind"].astype("string").fillna("").tolist()))
    if key not in _CALENDARS:
        if len(_CALENDARS) >= 8:
            _CALENDARS.clear()
        _CALENDARS[key] = WorkingCalendar(closed_days(calendar))
    return _CALENDARS[key]


def _blank(value: Any) -> bool:
    return value is None or (not isinstance(value, str | bool) and bool(pd.isna(value)))


def _first_year(cycle: str, cycle_start: Any) -> int:
    found = re.match(r"\s*(\d{4})", str(cycle))
    if found:
        return int(found.group(1))
    if not _blank(cycle_start):
        return pd.Timestamp(cycle_start).year
    raise PmreportError(f"Cannot tell which year the cycle {cycle!r} starts in.", "Write cycles like 2025/26.")


def _date(value: Any, default: pd.Timestamp) -> pd.Timestamp:
    return default if _blank(value) else pd.Timestamp(value).normalize()
