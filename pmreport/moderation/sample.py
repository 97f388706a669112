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
school's closures are not working days).
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from pmreport.moderation.settings import ModerationSettings


def sample_size(n: int, fraction: float) -> int:
    if n <= 0:
        return 0
    return min(n, max(1, math.ceil(round(fraction * n, 9))))


def draw_sample(st: pd.DataFrame, fraction: float, seed: int, settings: ModerationSettings) -> pd.DataFrame:
    """The statements to moderate, with ``sample_reason`` ('random draw' or 'added: reviewer not in the draw').

    The headteacher's own statement is not moderated by the head (its quality assurance is for
    the governors, policy §5), so it is never in the sample."""
    base = st[st["role_group"].astype("string").fillna("") != "headteacher"]
    base = base.sort_values(["staff_id", "reviewer_id"], kind="stable").reset_index(drop=True)
    n = len(base)
    size = sample_size(n, fraction)
    if size == 0:
        return base.iloc[0:0].assign(sample_reason=pd.Series(dtype="string"))
    rng = np.random.default_rng(seed)
    base["_key"] = rng.random(n)
    ordered = base.assign(_pg=base["peer_group"].fillna(""), _rv=base["reviewer_id"].astype("string").fillna("")) \
        .sort_values(["_pg", "_rv", "_key"], kind="stable").reset_index(drop=True)
    step = n / size
    start = rng.uniform(0, step)
    picks = np.floor(start + step * np.arange(size)).astype(int)
    chosen = ordered.iloc[np.unique(np.clip(picks, 0, n - 1))].copy()
    chosen["sample_reason"] = "random draw"
    if settings.sample_every_reviewer:
        have = set(chosen["reviewer_id"].dropna().astype(str))
        extra = []
        for r, sub in ordered[ordered["reviewer_id"].notna()].groupby(ordered["reviewer_id"].astype(str), sort=True):
            if r not in have:
                pick = sub.sort_values("_key").iloc[[0]].copy()
                pick["sample_reason"] = "added: reviewer not in the random draw"
                extra.append(pick)
        if extra:
            chosen = pd.concat([chosen, *extra])
    chosen = chosen.drop(columns=["_key", "_pg", "_rv"])
    return chosen.sort_values(["peer_group", "reviewer_id", "staff_id"], kind="stable").reset_index(drop=True)


def moderation_due(st: pd.DataFrame, closures: list[date], working_days: int) -> pd.Series:
    """The date moderation of each statement is due: the n-th working day after the meeting."""
    from pmreport.compliance.workdays import WorkingCalendar

    years = None
    meetings = pd.to_datetime(st["meeting_date"], errors="coerce")
    if meetings.notna().any():
        years = range(int(meetings.min().year) - 1, int(meetings.max().year) + 2)
    cal = WorkingCalendar(closures, years=years)
    return pd.to_datetime(cal.nth_working_day_after(meetings, working_days))


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
