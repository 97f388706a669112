"""Who the policy applies to in a cycle (§3) and who is noted for long absence (§4.4).

Out of scope, in this order (a person is counted under the first reason that applies):

1. ``not_employed``: the contract does not overlap the cycle at all (started after it ended, or
   ended before it began).
2. ``induction``: "teachers undergoing their formal year of induction" (``induction`` is Y).
3. ``short_contract``: "contracts of less than two ... terms". A contract counts as under two
   terms when it runs for less than :data:`SHORT_CONTRACT_DAYS` days from ``contract_start`` to
   ``contract_end``, or when it starts so late in the cycle that fewer than that many days of the
   cycle remain (``cycle_end - contract_start``). 26 weeks is two terms of a school year with their
   holidays. A leaver whose long contract ends part-way through the cycle stays in scope.
4. ``capability``: "The operation of this policy will be suspended for any staff whose performance
   merits the application of the schools' competency procedure" (``in_capability`` is Y).

Long absence (``absence_days`` above :data:`LONG_ABSENCE_DAYS`) is not an exclusion: §4.4 asks the
reviewer to consider what was reasonable while the reviewee was present, so it is counted only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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


def scope_reasons(staff: pd.DataFrame, cycle_start: pd.Timestamp, cycle_end: pd.Timestamp) -> pd.Series:
    """For each staff row, the code of the first reason it is out of scope (missing when in scope)."""
    start = staff["contract_start"]
    end = staff["contract_end"]
    not_employed = (start > cycle_end) | (end < cycle_start)
    short = ((end - start) < pd.Timedelta(days=SHORT_CONTRACT_DAYS)) | (
        (cycle_end - start) < pd.Timedelta(days=SHORT_CONTRACT_DAYS)
    )
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
