"""The run date: the one place pmreport reads the clock.

Everything that depends on "today" (the date a report says it was written, whether a statement's
moderation is overdue) takes the run date as a parameter. Commands read it here once, from
``--as-of DATE`` when given, else from ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention:
seconds since 1 January 1970, UTC) when that is set, else from the computer's clock.
"""

from __future__ import annotations

import datetime as dt
import os

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def run_date(given: dt.date | None = None) -> dt.date:
    """``given`` when there is one; else ``SOURCE_DATE_EPOCH`` when set; else today's date."""
    if given is not None:
        return given
    epoch = _epoch()
    return dt.datetime.fromtimestamp(epoch, dt.UTC).date() if epoch is not None else dt.date.today()


def now(tz: dt.tzinfo | None = None) -> dt.datetime:
    """The time of an event (a union return made, a load started): the computer's clock, in ``tz`` (local
    time without a zone when ``tz`` is None), or ``SOURCE_DATE_EPOCH`` when that is set."""
    epoch = _epoch()
    if epoch is None:
        return dt.datetime.now(tz)
    moment = dt.datetime.fromtimestamp(epoch, dt.UTC)
    return moment.astimezone(tz) if tz is not None else moment.astimezone().replace(tzinfo=None)


def _epoch() -> int | None:
    text = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if not text:
        return None
    try:
        value = int(text)
        dt.datetime.fromtimestamp(value, dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"{SOURCE_DATE_EPOCH} must be a whole number of seconds since 1 January 1970, "
                         f"not {text!r}.") from None
    return value


def parse_as_of(text: str | None) -> dt.date | None:
    """A date written by a user on the command line: 31/10/2025 (day first, as in the UK) or 2025-10-31."""
    if text is None:
        return None
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"--as-of {text!r} is not a date.")


def cycle_first_year(cycle: object, default: dt.date | None = None) -> int:
    """The calendar year a cycle such as ``2025/26`` starts in; the run date's year when it has none."""
    head = str(cycle)[:4]
    return int(head) if head.isdigit() else run_date(default).year
