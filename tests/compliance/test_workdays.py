"""Working days: weekends, bank holidays (with substitute days), Christmas, Easter, closures, boundaries.

Every expected date below was worked out by hand from a calendar; the comment beside each says how.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmreport.working_days import WorkingCalendar

D = date.fromisoformat
CAL = WorkingCalendar([])
# October half term 2025 and the Christmas holiday 2025/26 as school closures.
HALF_TERM = [date(2025, 10, 27) + timedelta(days=i) for i in range(5)]
CHRISTMAS = [date(2025, 12, 22) + timedelta(days=i) for i in range(12)]  # 22 Dec 2025 - 2 Jan 2026
SCHOOL = WorkingCalendar(HALF_TERM + CHRISTMAS)

NTH_AFTER = [
    # (calendar, x, n, expected, why)
    (CAL, "2025-10-03", 1, "2025-10-06", "Friday -> Monday"),
    (CAL, "2025-10-04", 1, "2025-10-06", "Saturday -> Monday"),
    (CAL, "2025-10-05", 1, "2025-10-06", "Sunday -> Monday"),
    (CAL, "2025-10-04", 5, "2025-10-10", "Saturday + 5 -> Mon..Fri of the next week"),
    (CAL, "2025-10-06", 0, "2025-10-06", "a working day plus nothing is itself"),
    (CAL, "2025-10-03", 5, "2025-10-10", "Fri 3 Oct: 6, 7, 8, 9, 10"),
    (CAL, "2025-12-24", 1, "2025-12-29", "Christmas Day and Boxing Day 2025 (Thu, Fri)"),
    (CAL, "2026-12-24", 1, "2026-12-29", "Boxing Day 2026 is a Saturday: substitute Monday 28 Dec"),
    (CAL, "2027-12-24", 1, "2027-12-29", "Christmas 2027 on a Saturday: substitutes Mon 27 and Tue 28 Dec"),
    (CAL, "2025-12-31", 1, "2026-01-02", "New Year's Day 2026 (Thursday)"),
    (CAL, "2026-04-02", 1, "2026-04-07", "Good Friday 3 Apr and Easter Monday 6 Apr 2026"),
    (CAL, "2026-04-02", 5, "2026-04-13", "Easter 2026: 7, 8, 9, 10, 13 April"),
    (CAL, "2025-04-17", 1, "2025-04-22", "Good Friday 18 Apr and Easter Monday 21 Apr 2025"),
    (CAL, "2026-05-01", 1, "2026-05-05", "Early May bank holiday, Monday 4 May 2026"),
    (CAL, "2026-05-22", 5, "2026-06-01", "Spring bank holiday 25 May 2026: 26, 27, 28, 29 May, 1 June"),
    (CAL, "2022-09-16", 1, "2022-09-20", "the Queen's funeral, Monday 19 Sept 2022 (a one-off bank holiday)"),
    (SCHOOL, "2025-10-24", 1, "2025-11-03", "half term closed 27-31 Oct 2025"),
    (SCHOOL, "2025-12-17", 10, "2026-01-14", "Christmas closure: 18, 19 Dec; 5, 6, 7, 8, 9, 12, 13, 14 Jan"),
    (CAL, "2025-12-17", 10, "2026-01-05", "no closures: 18, 19, 22, 23, 24, 29, 30, 31 Dec, 2, 5 Jan"),
]


@pytest.mark.parametrize(("cal", "x", "n", "expected", "why"), NTH_AFTER, ids=[row[-1] for row in NTH_AFTER])
def test_nth_working_day_after(cal, x, n, expected, why) -> None:
    assert cal.nth_working_day_after(D(x), n) == D(expected)


def test_nth_working_day_after_takes_a_column() -> None:
    xs = pd.Series(pd.to_datetime([row[1] for row in NTH_AFTER if row[0] is CAL and row[2] == 1] + [None]))
    got = CAL.nth_working_day_after(xs, 1)
    expected = [row[3] for row in NTH_AFTER if row[0] is CAL and row[2] == 1]
    assert [d.date().isoformat() for d in got.iloc[:-1]] == expected
    assert pd.isna(got.iloc[-1])


WITHIN = [
    # (x, y, n, expected, why)
    ("2025-10-03", "2025-10-10", 5, True, "Fri meeting, draft on the 5th working day"),
    ("2025-10-03", "2025-10-13", 5, False, "Fri meeting, draft on the 6th working day"),
    ("2025-10-03", "2025-10-03", 5, True, "same day"),
    ("2026-05-22", "2026-06-01", 5, True, "Friday meeting before the spring bank holiday, 5th working day"),
    ("2026-05-22", "2026-06-02", 5, False, "one day later"),
    ("2025-11-07", "2025-11-10", 1, True, "Friday observation, Monday feedback"),
    ("2025-11-07", "2025-11-11", 1, False, "Friday observation, Tuesday feedback"),
]


@pytest.mark.parametrize(("x", "y", "n", "expected", "why"), WITHIN, ids=[row[-1] for row in WITHIN])
def test_within_working_days(x, y, n, expected, why) -> None:
    assert CAL.within_working_days(D(x), D(y), n) is expected


def test_within_working_days_column_with_missing_dates() -> None:
    x = pd.Series(pd.to_datetime([w[0] for w in WITHIN] + [None, "2025-10-03"]))
    y = pd.Series(pd.to_datetime([w[1] for w in WITHIN] + ["2025-10-03", None]))
    n = np.array([w[2] for w in WITHIN] + [5, 5])
    got = CAL.within_working_days(x, y, n)
    assert str(got.dtype) == "boolean"
    assert got.iloc[: len(WITHIN)].tolist() == [w[3] for w in WITHIN]
    assert got.iloc[len(WITHIN):].isna().all()


NOTICE = [
    # (notice, meeting, expected working days, why)
    ("2025-09-29", "2025-10-06", 5, "Mon to Mon: Tue, Wed, Thu, Fri, Mon"),
    ("2025-09-30", "2025-10-06", 4, "Tue to Mon"),
    ("2025-10-03", "2025-10-06", 1, "Fri to Mon"),
    ("2025-10-06", "2025-10-06", 0, "same day"),
    ("2025-10-04", "2025-10-06", 1, "notice on a Saturday"),
    ("2026-05-18", "2026-05-26", 5, "spring bank holiday not counted: 19, 20, 21, 22, 26 May"),
    ("2026-05-19", "2026-05-26", 4, "spring bank holiday not counted: 20, 21, 22, 26 May"),
    ("2025-10-08", "2025-10-06", -2, "meeting before the notice"),
]


@pytest.mark.parametrize(("notice", "meeting", "expected", "why"), NOTICE, ids=[row[-1] for row in NOTICE])
def test_working_days_notice(notice, meeting, expected, why) -> None:
    assert CAL.working_days_notice(D(notice), D(meeting)) == expected


def test_working_days_notice_counts_closures() -> None:
    # Half term closed 27-31 Oct 2025: from Wed 22 Oct to Tue 4 Nov only 23, 24 Oct, 3, 4 Nov count.
    assert SCHOOL.working_days_notice(D("2025-10-22"), D("2025-11-04")) == 4
    assert SCHOOL.working_days_notice(D("2025-10-21"), D("2025-11-04")) == 5
    assert CAL.working_days_notice(D("2025-10-22"), D("2025-11-04")) == 9


def test_working_days_notice_column() -> None:
    got = CAL.working_days_notice(pd.Series(pd.to_datetime([n[0] for n in NOTICE] + [None])),
                                  pd.Series(pd.to_datetime([n[1] for n in NOTICE] + ["2025-10-06"])))
    assert str(got.dtype) == "Int64"
    assert got.iloc[:-1].tolist() == [n[2] for n in NOTICE]
    assert pd.isna(got.iloc[-1])


def test_is_working_day() -> None:
    days = ["2025-12-25", "2025-12-26", "2025-12-27", "2025-12-29", "2023-05-08", "2025-10-27"]
    # Christmas, Boxing Day, Saturday, an ordinary Monday, the coronation bank holiday, half-term Monday.
    assert CAL.is_working_day(pd.Series(pd.to_datetime(days))).tolist() == [False, False, False, True, False, True]
    assert SCHOOL.is_working_day(D("2025-10-27")) is False
    assert CAL.is_working_day(None) is None


def test_missing_scalar_dates_give_no_answer() -> None:
    assert CAL.nth_working_day_after(None, 3) is None
    assert CAL.within_working_days(None, D("2025-10-06"), 5) is None
    assert CAL.working_days_notice(D("2025-10-06"), None) is None


# A naive reference, day by day, written here and not taken from the code under test.
def _closed(d: date, closures: set[date]) -> bool:
    import holidays

    return d.weekday() >= 5 or d in holidays.country_holidays("GB", subdiv="ENG", years=d.year) or d in closures


def _naive_nth_after(d: date, n: int, closures: set[date]) -> date:
    while n > 0:
        d += timedelta(days=1)
        n -= not _closed(d, closures)
    return d


@settings(max_examples=60, deadline=None)
@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 11, 30)),
    st.integers(min_value=0, max_value=15),
    st.lists(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)), max_size=10),
)
def test_agrees_with_a_day_by_day_count(start: date, n: int, closures: list[date]) -> None:
    cal = WorkingCalendar(closures)
    expected = _naive_nth_after(start, n, set(closures))
    if n == 0 and _closed(start, set(closures)):
        expected = cal.nth_working_day_after(start, 0)  # n = 0 on a closed day is not a question the rules ask
    assert cal.nth_working_day_after(start, n) == expected
    end = start + timedelta(days=n * 2)
    naive_count = sum(not _closed(start + timedelta(days=i), set(closures)) for i in range(1, (end - start).days + 1))
    assert cal.working_days_notice(start, end) == naive_count
