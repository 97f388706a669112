"""Rounding as published, and the range of true values each rounded figure allows (for the audit).

Rounding is half up, in exact arithmetic, so a figure on the boundary always rounds the same way.
"""

from __future__ import annotations

import math
from fractions import Fraction

LOW = "low"


def round_half_up(value: Fraction, base: int) -> int:
    """``value`` to the nearest multiple of ``base``, halves upwards."""
    return base * math.floor(value / base + Fraction(1, 2))


def rounded_percent(count: int, denominator: int, base: int) -> int | str:
    """``count`` out of ``denominator`` as a percentage rounded to ``base`` points, or ``"low"``."""
    value = round_half_up(Fraction(100 * count, denominator), base)
    if value == 0 and count > 0:
        return LOW
    return value


def percent_count_range(published: int | str, denominator: int, base: int) -> tuple[int, int]:
    """The counts (out of ``denominator``) that publish as ``published``."""
    if published == LOW:
        low, high = Fraction(0), Fraction(base, 2)
        first = 1
    else:
        p = Fraction(int(published))
        low, high = p - Fraction(base, 2), p + Fraction(base, 2)
        first = 0
    lo = max(first, math.ceil(low * denominator / 100))
    hi = min(denominator, math.ceil(high * denominator / 100) - 1)
    return lo, hi


def percent_band(low: int, high: int, denominator: int, base: int) -> tuple[int, int] | None:
    """The percentages (``low``%, ``high``%) a band of ``low`` to ``high`` people of ``denominator`` lies in,
    widened outwards to multiples of ``base``: it says no more than the band of people does (every count the band
    allows is within it). ``None`` when it would say nothing (0% to 100%) or there is nobody to count."""
    if denominator <= 0 or not 0 <= low <= high <= denominator:
        return None
    lo = base * math.floor(Fraction(100 * low, denominator) / base)
    hi = min(100, base * math.ceil(Fraction(100 * high, denominator) / base))
    if lo <= 0 and hi >= 100:
        return None
    return lo, hi


def rounded_count(count: int, base: int | None) -> int | str:
    """A count rounded to ``base`` (unchanged when ``base`` is ``None``), or ``"low"``."""
    if base is None or base == 1:
        return count
    value = round_half_up(Fraction(count), base)
    if value == 0 and count > 0:
        return LOW
    return value


def count_range(published: int | str, base: int | None) -> tuple[int, int]:
    """The counts that publish as ``published`` after rounding to ``base``."""
    if base is None or base == 1:
        return int(published), int(published)
    if published == LOW:
        return 1, math.ceil(Fraction(base, 2)) - 1
    p = int(published)
    return max(0, math.ceil(p - Fraction(base, 2))), math.ceil(p + Fraction(base, 2)) - 1


def rounded_mean(total: float, n: int, decimals: int) -> float:
    """A mean rounded half up to ``decimals`` places."""
    scale = 10**decimals
    return math.floor(Fraction(total) / n * scale + Fraction(1, 2)) / scale


def mean_total_range(published: float, n: int, decimals: int) -> tuple[float, float]:
    """The totals of ``n`` values whose mean publishes as ``published``."""
    half = 0.5 / 10**decimals
    return (published - half) * n, (published + half) * n
