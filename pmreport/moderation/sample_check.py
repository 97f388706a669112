"""Option (b) moderation (policy §5): a reproducible stratified random sample of planning
statements, and the date by which moderation must be complete.

The sample is drawn by *implicit stratification*: statements are put in order of peer group,
then reviewer, then a random number, and every k-th statement is taken from a random start
(k = statements / sample size). Each peer group, and each reviewer within it, then gets its
proportional share of the sample to within one statement. Any reviewer the draw missed gets one
of their statements added (``sample_every_reviewer``), so every reviewer's judgements are seen.

The random numbers come from ``numpy.random.default_rng(seed)`` applied to the statements in
staff-reference order, so the same data and the same seed always give the same sample whatever
order the rows were in. Moderation is due on the 10th working day after the planning and
review meeting (the meeting day not counted; weekends, England and Wales bank holidays and the
days the school is closed to staff are not working days; INSET days are).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pmreport.moderation.settings import ModerationSettings
from pmreport.working_days import WorkingCalendar


def sample_size(n: int, fraction: float) -> int:
    if n <= 0:
        return 0
    return min(n, max(1, math.ceil(round(fraction * n, 9))))


def _sort_keys(series: pd.Series, missing: Any = None) -> list[tuple]:
    """Sort keys that order values as ``sort_values`` does: missing values last (or as ``missing``)."""
    na = series.isna().tolist()
    if missing is not None:
        return [(0, missing) if m else (0, v) for v, m in zip(series.tolist(), na, strict=True)]
    return [(1, "") if m else (0, v) for v, m in zip(series.tolist(), na, strict=True)]


def draw_sample(st: pd.DataFrame, fraction: float, seed: int, settings: ModerationSettings) -> pd.DataFrame:
    """The statements to moderate, with ``sample_reason`` ('random draw' or 'added: reviewer not in the draw').

    The headteacher's own statement is not moderated by the head (its quality assurance is for
    the governors, policy §5), so it is never in the sample."""
    pos = np.flatnonzero((st["role_group"].astype("string").fillna("") != "headteacher").to_numpy(dtype=bool))
    n = len(pos)
    size = sample_size(n, fraction)
    if size == 0:
        base = st.iloc[pos].reset_index(drop=True)
        return base.iloc[0:0].assign(sample_reason=pd.Series(dtype="string"))
    base = st.iloc[pos]
    staff, reviewer = _sort_keys(base["staff_id"]), _sort_keys(base["reviewer_id"])
    # staff-reference order, then a random number for each statement
    order = sorted(range(n), key=lambda i: (staff[i], reviewer[i]))
    rng = np.random.default_rng(seed)
    key = dict(zip(order, rng.random(n).tolist(), strict=True))
    # implicit stratification: peer group, reviewer, random number
    group = _sort_keys(base["peer_group"], missing="")
    rv = _sort_keys(base["reviewer_id"].astype("string"), missing="")
    ordered = sorted(order, key=lambda i: (group[i], rv[i], key[i]))
    step = n / size
    start = rng.uniform(0, step)
    picks = np.floor(start + step * np.arange(size)).astype(int)
    chosen = [ordered[j] for j in np.unique(np.clip(picks, 0, n - 1)).tolist()]
    reasons = ["random draw"] * len(chosen)
    if settings.sample_every_reviewer:
        rid = base["reviewer_id"].astype(str).tolist()
        known = base["reviewer_id"].notna().tolist()
        have = {rid[i] for i in chosen if known[i]}
        first: dict[str, int] = {}  # each reviewer's statement with the smallest random number
        for i in ordered:
            if known[i] and (rid[i] not in first or key[i] < key[first[rid[i]]]):
                first[rid[i]] = i
        for r in sorted(first):
            if r not in have:
                chosen.append(first[r])
                reasons.append("added: reviewer not in the random draw")
    final_group = _sort_keys(base["peer_group"])
    final = sorted(range(len(chosen)), key=lambda j: (final_group[chosen[j]], reviewer[chosen[j]], staff[chosen[j]]))
    out = base.take([chosen[j] for j in final]).reset_index(drop=True)
    out["sample_reason"] = pd.array([reasons[j] for j in final], dtype="str")
    return out


def moderation_due(st: pd.DataFrame, calendar: WorkingCalendar, working_days: int) -> pd.Series:
    """The date moderation of each statement is due: the n-th working day after the meeting, counted on the
    school's working calendar (:func:`pmreport.school_year.working_calendar`: INSET days are working days)."""
    meetings = pd.to_datetime(st["meeting_date"], errors="coerce")
    return pd.to_datetime(calendar.nth_working_day_after(meetings, working_days))


def moderation_status(st: pd.DataFrame, due: pd.Series, as_of: date) -> pd.Series:
    """Words for where moderation of each statement stands against its due date."""
    done = pd.to_datetime(st["moderation_date"], errors="coerce")
    meeting = pd.to_datetime(st["meeting_date"], errors="coerce")
    today = pd.Timestamp(as_of)
    status = np.select(
        [meeting.isna(),
         done.notna() & (done <= due),
         done.notna() & (done > due),
         done.isna() & (due < today)],
        ["no meeting date recorded", "moderated in time", "moderated late", "overdue: not recorded as moderated"],
        default="not yet due",
    )
    return pd.Series(status, index=st.index, dtype="string")
