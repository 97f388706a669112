"""Turn raw cell values into canonical values, one schema type at a time.

Each parser takes a raw value (str, int, float, bool, date, datetime or None) and returns
``(value, problem)``: the canonical value (``None`` when blank), or a short problem code
from :data:`pmreport.validation.catalogue.ISSUES` when the value cannot be understood. The
parsers never see the header or the file, so they are easy to test and fuzz.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from difflib import get_close_matches
from typing import Any

from pmreport.schema import Field, header_key

Parsed = tuple[Any, str | None]

#: Whole numbers beyond this are not exact in a spreadsheet (15 significant digits) and meaningless here.
MAX_WHOLE_NUMBER = 10**15
EXCEL_EPOCH = date(1899, 12, 30)
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
_BLANK_TOKENS = {"", "n/a", "na", "-", "--", "—", "none", "null", "nil", "#n/a"}
_TRUE = {"y", "yes", "true", "t", "1", "1.0", "x", "✓"}
_FALSE = {"n", "no", "false", "f", "0", "0.0"}
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTHS.update({"sept": 9, "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8,
                "september": 9, "october": 10, "november": 11, "december": 12})
_DMY = re.compile(r"^(?:[a-z]{3,9},?\s+)?(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ t]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:am|pm))?)?$")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$")
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = r"(?:[ t]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:z|[+-]\d{2}:?\d{2}|am|pm))?)?"
_WORDY = re.compile(rf"^{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?[ \-]+([a-z]+)\.?,?[ \-]+(\d{{4}}|\d{{2}}){_TIME}$")
#: Two-digit years: 00-49 are 2000-2049, 50-99 are 1950-1999 (so "01/09/25" is 2025 and "12/03/68" is 1968).
TWO_DIGIT_YEAR_PIVOT = 50
_CYCLE = re.compile(r"^(\d{4})\s*[/\-–—]\s*(\d{2}|\d{4})$")
_DECIMAL_COMMA = re.compile(r"^(0,\d+|\d{1,3},\d{1,2})$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def parse_id(value: Any, f: Field | None = None) -> Parsed:
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        return None, "not_an_id"
    if isinstance(value, float) and not value.is_integer():
        return None, "not_an_id"
    text = _text(value)
    if len(text) > 64:
        return None, "not_an_id"
    return text, None


def parse_string(value: Any, f: Field | None = None) -> Parsed:
    if is_blank(value):
        return None, None
    text = _text(value)
    return (text, None) if len(text) <= 500 else (None, "text_too_long")


def parse_text(value: Any, f: Field | None = None) -> Parsed:
    if is_blank(value):
        return None, None
    text = str(value).strip() if not isinstance(value, (int, float, date)) else _text(value)
    return (text, None) if len(text) <= 32767 else (None, "text_too_long")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().replace(",", "").replace("£", "")
    if not _NUMBER.match(text):
        return None
    n = float(text)
    return n if math.isfinite(n) else None  # "1e999" is not a number anyone meant


def parse_number(value: Any, f: Field | None = None) -> Parsed:
    if is_blank(value) or (isinstance(value, str) and value.strip().lower() in _BLANK_TOKENS):
        return None, None
    n = _number(value)
    return (n, None) if n is not None else (None, "not_a_number")


def parse_integer(value: Any, f: Field | None = None) -> Parsed:
    n, problem = parse_number(value, f)
    if problem or n is None:
        return n, problem
    if not float(n).is_integer() or abs(n) > MAX_WHOLE_NUMBER:
        return None, "not_a_whole_number"
    return int(n), None


def parse_fte(value: Any, f: Field | None = None, percent_header: bool = False) -> Parsed:
    """0.6, "0.6", "60%", 60 (a percentage when 10 or more), or any number under a "%" header."""
    if is_blank(value):
        return None, None
    is_percent_text = isinstance(value, str) and value.strip().endswith("%")
    if isinstance(value, str):
        value = value.strip().rstrip("%").strip()
        if _DECIMAL_COMMA.match(value):  # "0,8" typed with a decimal comma is 0.8, never 8
            value = value.replace(",", ".")
    n = _number(value)
    if n is None:
        return None, "not_an_fte"
    if 1 < n < 10 and not is_percent_text:
        return None, "fte_out_of_range"  # 1.5 is a slip, not 1.5%
    if is_percent_text or (percent_header and n > 1) or 10 <= n <= 100:
        n = n / 100
    elif n > 1:
        return None, "fte_out_of_range"
    return round(n, 6), None


def _valid_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def slash_order(value: Any) -> str | None:
    """For a date typed with slashes: "day_first" or "month_first" when only one reading is a real date,
    "either" when both are, None when it is not such a date."""
    if not isinstance(value, str):
        return None
    m = _DMY.match(" ".join(value.split()).lower())
    if not m:
        return None
    a, b, y = int(m.group(1)), int(m.group(2)), _full_year(m.group(3))
    day_first, month_first = _valid_date(y, b, a) is not None, _valid_date(y, a, b) is not None
    if day_first and month_first:
        return "either"
    return "day_first" if day_first else "month_first" if month_first else None


def parse_date(value: Any, f: Field | None = None, month_first: bool = False) -> Parsed:
    """UK dd/mm/yyyy text, ISO yyyy-mm-dd, "31 October 2025", Excel serial numbers, real date cells.

    ``month_first`` reads slashed dates as mm/dd/yyyy (for a column that is month-first throughout)."""
    if is_blank(value) or (isinstance(value, str) and value.strip().lower() in _BLANK_TOKENS):
        return None, None
    out: date | None
    if isinstance(value, datetime):
        out = value.date()
    elif isinstance(value, date):
        out = value
    elif isinstance(value, bool):
        return None, "not_a_date"
    elif isinstance(value, (int, float)):
        if not math.isfinite(value) or not 1 <= value < 73051:  # 1900-01-01 .. 2099-12-31
            return None, "date_out_of_range"
        out = EXCEL_EPOCH + timedelta(days=int(value))
    elif isinstance(value, timedelta):
        return None, "not_a_date"
    else:
        text = " ".join(str(value).split()).lower()
        out = None
        if m := _DMY.match(text):
            d, mo, y = int(m.group(1)), int(m.group(2)), _full_year(m.group(3))
            if month_first:
                d, mo = mo, d
            out = _valid_date(y, mo, d)
            if out is None:
                return None, "month_first_date" if _valid_date(y, d, mo) is not None else "impossible_date"
        elif m := _ISO.match(text):
            out = _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if out is None:
                return None, "impossible_date"
        elif m := _WORDY.match(text):
            month = _MONTHS.get(m.group(2)[:4].rstrip(".")) or _MONTHS.get(m.group(2)[:3])
            if month is None:
                return None, "not_a_date"
            out = _valid_date(_full_year(m.group(3)), month, int(m.group(1)))
            if out is None:
                return None, "impossible_date"
        elif re.fullmatch(r"\d{5}(\.\d+)?", text):
            return parse_date(float(text), f)
        else:
            return None, "not_a_date"
    if not EARLIEST <= out <= LATEST:
        return None, "date_out_of_range"
    return out, None


def _full_year(text: str) -> int:
    y = int(text)
    if len(text) > 2:
        return y
    return 2000 + y if y < TWO_DIGIT_YEAR_PIVOT else 1900 + y


def parse_boolean(value: Any, f: Field | None = None) -> Parsed:
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)):
        if value in (0, 1):
            return bool(value), None
        return None, "not_yes_no"
    text = str(value).strip().lower()
    if f is not None and f.folded_values:
        word = f.folded_values.get(header_key(text))
        if word is not None:
            return {"y": True, "n": False}.get(word), None
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    if text in _BLANK_TOKENS:
        return None, None
    return None, "not_yes_no"


def _code_key(text: str) -> str:
    return re.sub(r"[\s\-/]+", "_", text.strip().lower()).strip("_")


def parse_code(value: Any, f: Field | None = None) -> Parsed:
    if is_blank(value):
        return None, None
    assert f is not None
    text = " ".join(_text(value).split())
    if f.code_case == "upper":
        up = text.upper()
        if up in f.codes:
            return up, None
        folded = f.folded_values.get(header_key(text))
        return (folded, None) if folded is not None else (None, "unknown_code")
    low = text.lower()
    if low in f.codes:
        return low, None
    if low in f.code_aliases:
        return f.code_aliases[low], None
    key = _code_key(text)
    if key in f.codes:
        return key, None
    folded = f.folded_values.get(header_key(text))
    if folded is not None:
        return folded, None
    if low in _BLANK_TOKENS:
        return None, None
    return None, "unknown_code"


def suggest_code(value: Any, f: Field) -> str | None:
    """The allowed code closest to a value that was not recognised, if any is close."""
    text = _code_key(_text(value))
    pool = list(f.codes) + list(f.code_aliases)
    match = get_close_matches(text, pool, n=1, cutoff=0.6) or get_close_matches(text.upper(), list(f.codes), n=1, cutoff=0.6)
    if not match:
        return None
    return f.code_aliases.get(match[0], match[0])


def parse_cycle(value: Any, f: Field | None = None) -> Parsed:
    """2025/26, 2025-26, 2025/2026 or 2025–26, always given back as 2025/26."""
    if is_blank(value):
        return None, None
    m = _CYCLE.match(_text(value))
    if not m:
        return None, "not_a_cycle"
    first, second = int(m.group(1)), int(m.group(2))
    if (second != first + 1) if second >= 100 else (second != (first + 1) % 100):
        return None, "not_a_cycle"
    if not 1990 <= first <= 2098:
        return None, "not_a_cycle"
    return f"{first}/{(first + 1) % 100:02d}", None


PARSERS: dict[str, Callable[..., Parsed]] = {
    "id": parse_id,
    "string": parse_string,
    "text": parse_text,
    "code": parse_code,
    "boolean": parse_boolean,
    "date": parse_date,
    "integer": parse_integer,
    "number": parse_number,
    "fte": parse_fte,
    "cycle": parse_cycle,
}


def parse_value(value: Any, f: Field, percent_header: bool = False, month_first: bool = False) -> Parsed:
    if f.type == "date":
        return parse_date(value, f, month_first=month_first)
    if f.type == "fte":
        return parse_fte(value, f, percent_header=percent_header)
    return PARSERS[f.type](value, f)
