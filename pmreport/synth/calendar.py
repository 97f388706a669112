"""School calendars and working-day arithmetic, exactly as DESIGN.md's conventions read them.

Working days are Monday to Friday, minus England and Wales bank holidays (the ``holidays``
package, GB/ENG), minus every date the generated calendar sheet closes the school.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
from dateutil.easter import easter

DAY = timedelta(days=1)


def last_weekday_of_month(year: int, month: int, weekday: int) -> date:
    d = date(year + (month == 12), month % 12 + 1, 1) - DAY
    return d - timedelta(days=(d.weekday() - weekday) % 7)


def monday_on_or_after(d: date) -> date:
    return d + timedelta(days=(7 - d.weekday()) % 7)


def bank_holidays(years: range) -> set[date]:
    return set(holidays.country_holidays("GB", subdiv="ENG", years=list(years)).keys())


def cycle_closures(year: int, rng, bank: set[date]) -> list[dict]:
    """Calendar rows (start_date, end_date, kind) for the cycle 1 Sept ``year`` to 31 Aug ``year+1``."""

    def weekday_open(d: date) -> bool:
        return d.weekday() < 5 and d not in bank

    def next_open(d: date) -> date:
        while not weekday_open(d):
            d += DAY
        return d

    rows: list[dict] = []
    # Two INSET days at the start of September.
    first = next_open(date(year, 9, 1))
    second = next_open(first + DAY)
    rows.append({"start_date": first, "end_date": second, "kind": "inset"})
    # October half term: the week of the last Monday of October.
    oct_mon = last_weekday_of_month(year, 10, 0)
    rows.append({"start_date": oct_mon, "end_date": oct_mon + timedelta(days=4), "kind": "holiday"})
    # Christmas, then an INSET day on the first open weekday of January.
    rows.append({"start_date": date(year, 12, 21), "end_date": date(year + 1, 1, 3), "kind": "holiday"})
    rows.append({"start_date": next_open(date(year + 1, 1, 4)), "end_date": None, "kind": "inset"})
    # February half term: the week of the Monday on or after 12 February.
    feb_mon = monday_on_or_after(date(year + 1, 2, 12))
    rows.append({"start_date": feb_mon, "end_date": feb_mon + timedelta(days=4), "kind": "holiday"})
    # An emergency closure (snow, heating) in some years: a single day in late January.
    if rng.random() < 0.5:
        snow = next_open(date(year + 1, 1, 20) + timedelta(days=rng.randrange(0, 10)))
        rows.append({"start_date": snow, "end_date": None, "kind": "closure"})
    # Easter: the fortnight around Good Friday and Easter Monday, then an INSET day.
    good_friday = easter(year + 1) - timedelta(days=2)
    easter_start = good_friday - timedelta(days=4)
    easter_end = good_friday + timedelta(days=7)
    rows.append({"start_date": easter_start, "end_date": easter_end, "kind": "holiday"})
    rows.append({"start_date": next_open(easter_end + DAY), "end_date": None, "kind": "inset"})
    # May half term: the week of the last Monday of May.
    may_mon = last_weekday_of_month(year + 1, 5, 0)
    rows.append({"start_date": may_mon, "end_date": may_mon + timedelta(days=4), "kind": "holiday"})
    # Summer: an INSET day at the end of term, then the holiday to the end of the cycle.
    summer = date(year + 1, 7, 22)
    inset = summer - DAY
    while not weekday_open(inset):
        inset -= DAY
    rows.append({"start_date": inset, "end_date": None, "kind": "inset"})
    rows.append({"start_date": summer, "end_date": date(year + 1, 8, 31), "kind": "holiday"})
    return rows


class WorkingDays:
    """Working-day arithmetic over weekends, bank holidays and a set of closure dates."""

    def __init__(self, bank: set[date], closures: set[date]):
        self.closed = set(bank) | set(closures)

    def is_working(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self.closed

    def add(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (``d`` itself not counted); n=0 gives ``d``."""
        if n < 0:
            return self.sub(d, -n)
        while n > 0:
            d += DAY
            if self.is_working(d):
                n -= 1
        return d

    def sub(self, d: date, n: int) -> date:
        """The n-th working day before ``d``."""
        while n > 0:
            d -= DAY
            if self.is_working(d):
                n -= 1
        return d

    def count_after(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        n, d = 0, start
        while d < end:
            d += DAY
            n += self.is_working(d)
        return n

    def on_or_after(self, d: date) -> date:
        while not self.is_working(d):
            d += DAY
        return d

    def on_or_before(self, d: date) -> date:
        while not self.is_working(d):
            d -= DAY
        return d

    def random_between(self, rng, start: date, end: date) -> date:
        """A working day drawn uniformly from [start, end] (``start`` if none is open)."""
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        open_days = [d for d in days if self.is_working(d)]
        return rng.choice(open_days) if open_days else self.on_or_after(start)


def expand(rows: list[dict]) -> set[date]:
    """The days the calendar rows close the school to staff: holidays and closures, not INSET days (staff
    work on INSET days, so they count as working days)."""
    out: set[date] = set()
    for r in rows:
        if r.get("kind") == "inset":
            continue
        d, end = r["start_date"], r["end_date"] or r["start_date"]
        while d <= end:
            out.add(d)
            d += DAY
    return out
