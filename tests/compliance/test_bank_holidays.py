"""The bank holidays pmreport counts working days around are England's, year by year.

``holidays`` is declared with a lower bound only (new years' dates arrive with an upgrade), so
this test pins what any installed version must give for the years of the bundled samples' cycles
(2023/24 to 2025/26) and the next one, against dates listed here by hand from the published
England and Wales bank holidays (the days off, substitute days included).
"""

from __future__ import annotations

from datetime import date

import pytest

from pmreport.working_days import bank_holidays

ENGLAND = {
    2023: [(1, 2), (4, 7), (4, 10), (5, 1), (5, 8), (5, 29), (8, 28), (12, 25), (12, 26)],  # 8 May: the coronation
    2024: [(1, 1), (3, 29), (4, 1), (5, 6), (5, 27), (8, 26), (12, 25), (12, 26)],
    2025: [(1, 1), (4, 18), (4, 21), (5, 5), (5, 26), (8, 25), (12, 25), (12, 26)],
    2026: [(1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31), (12, 25), (12, 28)],  # Boxing Day on a Saturday
    2027: [(1, 1), (3, 26), (3, 29), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28)],  # Christmas on a Saturday
}


@pytest.mark.parametrize("year", sorted(ENGLAND))
def test_bank_holidays_of_each_year(year: int) -> None:
    # The package also lists a holiday that falls at a weekend on its own date; only the days off
    # from Monday to Friday change a count of working days.
    weekdays = [d for d in bank_holidays((year,)) if d.weekday() < 5]
    assert weekdays == [date(year, m, d) for m, d in ENGLAND[year]]
