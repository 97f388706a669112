"""The shared shape of the "within N working days of X" rules (statements, moderation, observations)."""

from __future__ import annotations

import pandas as pd

from pmreport.compliance.context import CheckContext
from pmreport.compliance.outcomes import BREACHED, NOT_RECORDED, Case, fmt_dates, plural


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
