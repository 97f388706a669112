"""Who the policy applies to in a cycle (§3) and who is noted for long absence (§4.4).

Each person has their own cycle (:func:`own_cycles`): their staff group's, from
:class:`pmreport.school_year.SchoolYear` (support staff's ends on ``support_cycle_end``, §4.1: "ending
on 31st March in each year"); and someone who starts part-way through a cycle from their first day
(§4.1: the headteacher "shall determine the length of the first cycle").

Out of scope, in this order (a person is counted under the first reason that applies):

1. ``not_employed``: the contract does not overlap their cycle at all (started after it ended, or
   ended before it began).
2. ``induction``: "teachers undergoing their formal year of induction" (``induction`` is Y).
3. ``short_contract``: "contracts of less than two ... terms". A contract counts as under two
   terms when it runs for less than :data:`SHORT_CONTRACT_DAYS` days from ``contract_start`` to
   ``contract_end``. 26 weeks is two terms of a school year with their holidays. Scope is about the
   contract, not the start date: a permanent (or long) contract that starts part-way through the
   cycle stays in scope, and a leaver whose long contract ends part-way through the cycle too.
4. ``capability``: "The operation of this policy will be suspended for any staff whose performance
   merits the application of the schools' competency procedure" (``in_capability`` is Y).

Long absence (``absence_days`` above :data:`LONG_ABSENCE_DAYS`) is not an exclusion: §4.4 asks the
reviewer to consider what was reasonable while the reviewee was present, so it is counted only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pmreport.school_year import SchoolYear

#: Two terms of a school year, holidays included: 26 weeks.
SHORT_CONTRACT_DAYS = 182
#: Days of absence in a cycle above which the absence is noted as long (§4.4).
LONG_ABSENCE_DAYS = 60

#: Why a member of staff is out of scope, in words, in the order the reasons are tested.
SCOPE_REASONS = {
    "not_employed": "not employed during the cycle",
    "induction": "in the statutory induction year (§3)",
    "short_contract": "on a contract of less than two terms (§3)",
    "capability": "in the capability procedure, so the policy is suspended (§3, §4.1)",
}


def own_cycles(staff: pd.DataFrame, year: SchoolYear) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each person's own cycle (first day, last day) and whether they started part-way through their role
    group's cycle (:meth:`pmreport.school_year.SchoolYear.own_cycles`, from their first day if later)."""
    first, last = year.own_cycles(staff["role_group"])
    joined = staff["contract_start"].astype("datetime64[ns]")
    late_start = (joined > first).fillna(False).to_numpy(dtype=bool)
    first = first.where(~late_start, joined)
    return first, last, pd.Series(late_start, index=staff.index)


def scope_reasons(staff: pd.DataFrame, year: SchoolYear | None = None) -> pd.Series:
    """For each staff row, the code of the first reason it is out of scope (missing when in scope).

    Each person's own cycle is ``staff``'s ``own_cycle_start`` and ``own_cycle_end`` where it has them,
    else worked out by :func:`own_cycles` from the school ``year``.
    """
    if "own_cycle_start" in staff.columns:
        first, last = staff["own_cycle_start"], staff["own_cycle_end"]
    else:
        if year is None:
            raise ValueError("scope_reasons needs the school year or each person's own cycle")
        first, last, _ = own_cycles(staff, year)
    start = staff["contract_start"]
    end = staff["contract_end"]
    not_employed = (start > last) | (end < first)
    short = (end - start) < pd.Timedelta(days=SHORT_CONTRACT_DAYS)
    conditions = [
        not_employed.fillna(False).to_numpy(dtype=bool),
        staff["induction"].fillna(False).to_numpy(dtype=bool),
        short.fillna(False).to_numpy(dtype=bool),
        staff["in_capability"].fillna(False).to_numpy(dtype=bool),
    ]
    codes = np.select(conditions, list(SCOPE_REASONS), default="")
    return pd.Series(codes, index=staff.index, dtype="string").replace("", pd.NA)


def long_absence(staff: pd.DataFrame) -> pd.Series:
    """Staff whose absence in the cycle is long enough to note (§4.4)."""
    return (staff["absence_days"] > LONG_ABSENCE_DAYS).fillna(False).astype(bool)


def scope_counts(staff: pd.DataFrame) -> dict:
    """Counts for the result: staff listed, in scope, out of scope by reason, long absence noted."""
    reasons = staff["scope_reason"]
    found = reasons.value_counts()
    excluded = {code: int(found.get(code, 0)) for code in SCOPE_REASONS}
    return {
        "staff": len(staff),
        "in_scope": int(reasons.isna().sum()),
        "out_of_scope": int(reasons.notna().sum()),
        "out_of_scope_by_reason": excluded,
        "long_absence_noted": int((staff["long_absence"] & reasons.isna()).sum()),
        "long_absence_days_over": LONG_ABSENCE_DAYS,
    }
