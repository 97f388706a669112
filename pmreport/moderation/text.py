"""Numbers in words, for heads who are not statisticians."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

NUMBER_WORDS = {0: "none", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def num(x: float, digits: int = 1) -> str:
    """3 -> '3', 2.75 -> '2.8'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "not known"
    if float(x).is_integer():
        return f"{int(x)}"
    return f"{x:.{digits}f}"


def pct(x: float) -> str:
    if x is None or math.isnan(x):
        return "not known"
    return f"{100 * x:.0f}%"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def or_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def p_words(p: float, family: int, kinds: int = 1) -> str:
    """How unlikely a difference this size is by chance, after allowing for the comparisons made
    (``family`` of this kind, and ``kinds`` kinds of check in the run)."""
    if p is None or math.isnan(p):
        return ""
    shown = "below 0.001" if p < 0.001 else f"{p:.3f}"
    extra = f" and {kinds} kinds of check" if kinds > 1 else ""
    return f"chance p-value {shown} after allowing for {plural(family, 'comparison')} of this kind{extra}"


def values_words(values: np.ndarray, fmt=num) -> str:
    """What similar colleagues have: 'all 3', '2 or 3', 'between 1 and 5 (middle value 3)'."""
    vals = sorted(v for v in np.asarray(values, dtype=float).ravel().tolist() if not math.isnan(v))
    if len(vals) == 0:
        return "no figures"
    distinct = sorted(set(vals))
    if len(distinct) == 1:
        return f"all {fmt(distinct[0])}" if len(vals) > 1 else fmt(distinct[0])
    if len(distinct) <= 3:
        return or_list([fmt(v) for v in distinct])
    half = len(vals) // 2
    middle = vals[half] if len(vals) % 2 else (vals[half - 1] + vals[half]) / 2  # as numpy's median
    return f"between {fmt(distinct[0])} and {fmt(distinct[-1])} (middle value {fmt(middle)})"


def interval(lo: float, hi: float, fmt=num) -> str:
    if lo is None or hi is None or math.isnan(lo) or math.isnan(hi):
        return ""
    return f"{fmt(lo)} to {fmt(hi)}"
