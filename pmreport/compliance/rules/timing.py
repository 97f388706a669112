"""The shared shape of the "within N working days of X" rules (statements, moderation, observations)."""

from __future__ import annotations

import pandas as pd

from pmreport.compliance.context import CheckContext
from pmreport.compliance.outcomes import BREACHED, NOT_RECORDED, Case, fmt_date, fmt_dates, plural


def future_cases(ctx: CheckContext, when: pd.Series, limit: pd.Series, words: str) -> list[Case]:
    """Cases for a date after the run date, which cannot be true yet (none when no run date is given).

    Where the last day allowed (``limit``) had already passed by the run date, the thing had not happened
    in time whatever its real date turns out to be: breached. Otherwise it is not recorded.
    """
    if ctx.as_of is None:
        return []
    later = when > ctx.as_of
    said = words + " is dated " + fmt_dates(when) + f", after the run date of {fmt_date(ctx.as_of)}"
    return [
        (later & (limit < ctx.as_of), BREACHED,
         said + ", so it had not happened by the last day allowed, " + fmt_dates(limit)),
        (later, NOT_RECORDED, said + ": it cannot have happened yet"),
    ]


def within_cases(
    ctx: CheckContext, start: pd.Series, end: pd.Series, n: int, start_words: str, end_words: str
) -> tuple[list[Case], list[Case], pd.Series]:
    """Cases for "``end`` within ``n`` working days of ``start``": (breaches, not recorded, met reason).

    A missing date is not recorded. A date earlier than the date it is measured from contradicts
    the record (a statement cannot come before its meeting), so it is read as not recorded too.
    """
    limit = ctx.calendar.nth_working_day_after(start, n)
    s, e, lim = fmt_dates(start), fmt_dates(end), fmt_dates(limit)
    breaches: list[Case] = [
        *[(start.notna() & ~(end < start) & cond, res, why) for cond, res, why in future_cases(ctx, end, limit, end_words)],
        (
            end > limit,
            BREACHED,
            end_words + " on " + e + ", later than " + plural(n, "working day") + " after " + start_words + " on " + s
            + " (the last day allowed was " + lim + ")",
        )
    ]
    unrecorded: list[Case] = [
        (start.isna(), NOT_RECORDED, "the date of " + start_words + " is not recorded"),
        (end.isna(), NOT_RECORDED, "the date of " + end_words + " is not recorded"),
        (
            end < start,
            NOT_RECORDED,
            end_words + " is dated " + e + ", before " + start_words + " on " + s + ", so its real date is not recorded",
        ),
    ]
    met = end_words + " on " + e + ", within " + plural(n, "working day") + " of " + start_words + " on " + s
    return breaches, unrecorded, met
