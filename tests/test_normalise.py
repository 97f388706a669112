"""Value parsers, against values written by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from pmreport.normalise import (
    parse_boolean,
    parse_code,
    parse_cycle,
    parse_date,
    parse_fte,
    parse_id,
    parse_integer,
    suggest_code,
)
from pmreport.schema import schema


@pytest.mark.parametrize(("raw", "expected"), [
    ("31/10/2025", (dt.date(2025, 10, 31), None)),
    ("1/9/25", (dt.date(2025, 9, 1), None)),
    ("31.10.2025", (dt.date(2025, 10, 31), None)),
    ("2025-10-31", (dt.date(2025, 10, 31), None)),
    ("2025-10-31 00:00:00", (dt.date(2025, 10, 31), None)),
    ("31 October 2025", (dt.date(2025, 10, 31), None)),
    ("3rd Sept 2025", (dt.date(2025, 9, 3), None)),
    (45961, (dt.date(2025, 10, 31), None)),  # Excel serial
    (45961.0, (dt.date(2025, 10, 31), None)),
    ("45961", (dt.date(2025, 10, 31), None)),
    (dt.datetime(2025, 10, 31, 0, 0), (dt.date(2025, 10, 31), None)),
    (dt.date(2025, 10, 31), (dt.date(2025, 10, 31), None)),
    ("  ", (None, None)),
    (None, (None, None)),
    ("n/a", (None, None)),
    ("31/02/2025", (None, "impossible_date")),
    ("10/31/2025", (None, "month_first_date")),  # US order is not a UK date, but says what it looks like
    ("31/13/2025", (None, "impossible_date")),  # neither order makes a real date
    ("2017-09-01T00:00:00", (dt.date(2017, 9, 1), None)),  # ISO date-time, as CSV exports write it
    ("2025-09-01T08:30:00Z", (dt.date(2025, 9, 1), None)),
    ("01 Sep 2025", (dt.date(2025, 9, 1), None)),
    ("1 Sept 2025", (dt.date(2025, 9, 1), None)),
    ("Tue 01 Sep 2015", (dt.date(2015, 9, 1), None)),  # with the weekday
    ("Tuesday, 1 September 2025", (dt.date(2025, 9, 1), None)),
    ("1/9/2025", (dt.date(2025, 9, 1), None)),
    ("01/09/25", (dt.date(2025, 9, 1), None)),  # two-digit years: 00-49 are 20xx
    ("12/03/68", (dt.date(1968, 3, 12), None)),  # 50-99 are 19xx
    ("3 Oct 49", (dt.date(2049, 10, 3), None)),
    ("01/01/1899", (None, "date_out_of_range")),
    ("01/01/2150", (None, "date_out_of_range")),
    ("next week", (None, "not_a_date")),
    (True, (None, "not_a_date")),
])
def test_dates(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    (0.6, (0.6, None)), ("0.6", (0.6, None)), ("60%", (0.6, None)), (" 60 % ", (0.6, None)),
    (60, (0.6, None)), ("100", (1.0, None)), (1, (1.0, None)), (0, (0.0, None)),
    (1.5, (None, "fte_out_of_range")), ("150", (None, "fte_out_of_range")), ("full", (None, "not_an_fte")),
])
def test_fte(raw, expected):
    assert parse_fte(raw) == expected


def test_fte_under_percent_header():
    assert parse_fte(80, percent_header=True) == (0.8, None)
    assert parse_fte(0.8, percent_header=True) == (0.8, None)  # an Excel cell formatted as 80%
    assert parse_fte(1.5, percent_header=True) == (None, "fte_out_of_range")


@pytest.mark.parametrize(("raw", "expected"), [
    ("Y", True), ("yes", True), ("TRUE", True), (1, True), (True, True), ("1", True),
    ("N", False), ("No", False), ("false", False), (0, False), ("0", False), (" n ", False),
])
def test_booleans(raw, expected):
    assert parse_boolean(raw) == (expected, None)


def test_boolean_rejects_other_text():
    assert parse_boolean("maybe") == (None, "not_yes_no")
    assert parse_boolean(2) == (None, "not_yes_no")


def test_ids_keep_leading_zeros_and_drop_float_tails():
    assert parse_id("000123") == ("000123", None)
    assert parse_id(" 000123 ") == ("000123", None)
    assert parse_id(123.0) == ("123", None)
    assert parse_id(12.5) == (None, "not_an_id")


def test_codes_via_aliases_case_and_spacing():
    f = schema("reviews").field("assessment")
    assert parse_code("Partly Met", f) == ("partly_met", None)
    assert parse_code("partially met", f) == ("partly_met", None)
    assert parse_code("NOT-MET", f) == ("not_met", None)
    assert parse_code("mett", f) == (None, "unknown_code")
    assert suggest_code("mett", f) == "met"
    eth = schema("staff").field("ethnicity")
    assert parse_code("wbri", eth) == ("WBRI", None)
    sex = schema("staff").field("sex")
    assert parse_code("F", sex) == ("female", None)


def test_cycles():
    assert parse_cycle("2025/26") == ("2025/26", None)
    assert parse_cycle("2025-2026") == ("2025/26", None)
    assert parse_cycle("2025–26") == ("2025/26", None)
    assert parse_cycle("1999/00") == ("1999/00", None)
    assert parse_cycle("2025/27") == (None, "not_a_cycle")
    assert parse_cycle("next year") == (None, "not_a_cycle")


def test_integers():
    assert parse_integer("3") == (3, None)
    assert parse_integer(3.0) == (3, None)
    assert parse_integer(3.5) == (None, "not_a_whole_number")


@pytest.mark.parametrize(("raw", "expected"), [
    ("0,8", (0.8, None)),  # a decimal comma is never eight
    ("0,75", (0.75, None)),
    ("60,5", (0.605, None)),
    ("100", (1.0, None)),  # Arbor writes FTE as a percentage without the sign
    ("60.5", (0.605, None)),
    ("1,000", (None, "fte_out_of_range")),  # a thousands separator stays one
])
def test_fte_as_people_type_it(raw, expected):
    assert parse_fte(raw) == expected


def test_month_first_is_read_only_when_the_whole_column_says_so():
    from pmreport.normalise import slash_order

    assert [slash_order(v) for v in ["10/13/2025", "13/10/2025", "01/09/2025", "31/02/2025", "2025-09-01", None]] == [
        "month_first", "day_first", "either", None, None, None]
    assert parse_date("01/09/2025", month_first=True) == (dt.date(2025, 1, 9), None)
