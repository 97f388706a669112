"""Intervals instead of blanks: the band a count that cannot be shown exactly is published as.

Where a count must not be shown exactly, the governors' report says how large it is in words a governor can
use ("5 or fewer", "at least 21" of a row of 26, "6 to 11") rather than ``[c]``. The bands split the numbers
0 to the row's size into fixed pieces, so which band a count falls in depends on the count alone:

- 0 to ``protection`` (5 for governors): "5 or fewer", the band every small number falls in;
- the row's size minus ``protection`` to the size: "at least 21" (of 26), everyone or all but a few;
- in between, bands of ``protection + 1`` numbers from ``protection + 1`` upwards ("6 to 11", "12 to 17" ...),
  the last taking any numbers left over; where there are too few numbers in between for one such band, the
  top band starts at ``protection + 1`` instead.

A band is only a proposal: the gate publishes a table's bands only if the full audit, with every band as a
constraint (the count lies from ``low`` to ``high``), still passes; otherwise the counts stay ``[c]``.
"""

from __future__ import annotations


def band(value: int, size: int, protection: int) -> tuple[int, int] | None:
    """The band (low, high) of people ``value`` falls in, out of ``size``; ``None`` when it would say nothing
    (the band is every number from 0 to ``size``)."""
    p = max(1, protection)
    if size <= 0 or not 0 <= value <= size:
        return None
    width = p + 1
    middle = size - 2 * p - 1  # how many numbers lie between "p or fewer" and "at least size - p"
    top = size - p if middle >= width else p + 1  # too few for a middle band of p + 1: the top band takes them
    if value <= p:
        low, high = 0, min(p, size)
    elif value >= top:
        low, high = top, size
    else:
        bands = middle // width  # the last band also takes the numbers left over
        k = min((value - p - 1) // width, bands - 1)
        low = p + 1 + width * k
        high = low + p if k < bands - 1 else top - 1
    if low <= 0 and high >= size:
        return None
    return low, high
