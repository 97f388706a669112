"""Small-sample statistics for moderation: exact conditional tests, intervals, Holm.

Everything here is exact or has a textbook formula, because a school has 10 to 150 staff and
large-sample approximations mislead at those sizes.

* :func:`stratified_exact` - the exact conditional test of "this group's rate is the same as the
  others' within each stratum" for a yes/no outcome: given every stratum's margins, the group's
  count is a sum of independent hypergeometric counts (the exact conditional test of a common odds
  ratio of 1, the exact form of the Cochran-Mantel-Haenszel test; with one stratum it *is* Fisher's
  exact test, two-sided by the minimum-likelihood rule).
* :func:`stratified_sum_test` - the exact permutation test of "this group's total is no
  different from a random draw of the same size within each stratum" for a whole-number
  measure (objectives per statement): the exact distribution of the sum over all permutations
  of group labels within strata.
* :func:`conditional_odds_ratio` - the exact conditional common odds ratio and its interval.
* :func:`mh_rate_ratio`, :func:`katz_rate_ratio`, :func:`wilson`, :func:`poisson_ratio_ci` - intervals.
* :func:`tarone`, :func:`holm` - which hypotheses could ever be flagged (Tarone), and Holm's
  step-down adjustment over those.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq
from scipy.special import gammaincinv, gammaln, ndtri

_REL = 1 + 1e-7  # tolerance when comparing probabilities of outcomes


@dataclass(frozen=True)
class ExactTest:
    """An exact test: the null distribution of the statistic, the observed value and its p-value."""

    observed: float
    p_value: float
    #: The smallest p-value the test could have given with these margins (whatever the outcomes).
    p_min: float
    #: Expected value of the statistic under the null, given the margins.
    expected: float
    lower_tail: float
    upper_tail: float


def _minlike_pvalues(pmf: np.ndarray) -> np.ndarray:
    """Two-sided p-value at every support point: total probability of outcomes no more likely."""
    order = np.sort(pmf)
    cum = np.cumsum(order)
    idx = np.searchsorted(order, pmf * _REL, side="right") - 1
    return np.minimum(1.0, cum[idx])


#: log(n!) for n = 0, 1, ...: gammaln(n + 1), worked out once for every n needed so far (the same
#: numbers gammaln gives one at a time, so tests give bit-identical results either way).
_log_factorial = gammaln(np.arange(256) + 1)


def _log_factorials(top: int) -> np.ndarray:
    global _log_factorial
    if top >= len(_log_factorial):
        _log_factorial = gammaln(np.arange(max(top + 1, 2 * len(_log_factorial))) + 1)
    return _log_factorial


def _log_choose(n: np.ndarray | int, k: np.ndarray | int) -> np.ndarray:
    n, k = np.asarray(n), np.asarray(k)
    if n.dtype.kind in "iu" and k.dtype.kind in "iu" and n.size and k.size:
        rest = n - k
        if int(np.min(k)) >= 0 and int(np.min(rest)) >= 0:
            lf = _log_factorials(int(np.max(n)))
            return lf[n] - lf[k] - lf[rest]
    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


@lru_cache(maxsize=4096)
def _hypergeom_pmf(group: int, other: int, events: int) -> tuple[int, np.ndarray]:
    """P(k of the ``events`` fall in the group) for k from the lowest possible; the group has ``group`` of
    ``group + other`` people. (Cached: the array returned is read-only.)"""
    lo = max(0, events - other)
    hi = min(group, events)
    ks = np.arange(lo, hi + 1)
    if min(group, other, events, group + other - events) >= 0:
        # _log_choose from the table of log-factorials, term for term
        lf = _log_factorials(group + other)
        rest = events - ks
        logp = ((lf[group] - lf[ks] - lf[group - ks]) + (lf[other] - lf[rest] - lf[other - rest])
                - (lf[group + other] - lf[events] - lf[group + other - events]))
    else:
        logp = _log_choose(group, ks) + _log_choose(other, events - ks) - _log_choose(group + other, events)
    pmf = np.exp(logp)
    pmf.flags.writeable = False
    return lo, pmf


def _key(strata: Sequence[Sequence[Any]], observed: Any) -> tuple | None:
    """A hashable form of an exact test's arguments (None when they are not whole numbers)."""
    try:
        return tuple(tuple(operator.index(x) for x in s) for s in strata), float(operator.index(observed))
    except TypeError:
        return None


@lru_cache(maxsize=8192)
def _stratified_exact(strata: tuple[tuple[int, int, int], ...], observed: float) -> ExactTest:
    return _stratified_exact_uncached(strata, observed)


def stratified_exact(strata: Sequence[tuple[int, int, int]], observed: int) -> ExactTest:
    """Exact conditional test for a yes/no outcome in one group against the rest, by stratum.

    ``strata``: (people in the group, people in the rest, people with the outcome in both) per
    stratum; ``observed``: people in the group with the outcome, over all strata.
    """
    key = _key(strata, observed)
    if key is None:
        return _stratified_exact_uncached(strata, observed)
    return _stratified_exact(*key)


def _stratified_pmf(strata: Sequence[tuple[int, int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """(support, probabilities) of the group's total events given every stratum's margins, under
    a common odds ratio of 1."""
    offset = 0
    pmf = np.array([1.0])
    for group, other, events in strata:
        if group == 0 or group + other == 0:
            continue
        lo, p = _hypergeom_pmf(int(group), int(other), int(events))
        offset += lo
        pmf = np.convolve(pmf, p)
    pmf = pmf / pmf.sum()
    return offset + np.arange(len(pmf)), pmf


def _stratified_exact_uncached(strata: Sequence[tuple[int, int, int]], observed: float) -> ExactTest:
    support, pmf = _stratified_pmf(strata)
    return _finish(pmf, support, observed, two_sided="minlike")


def conditional_odds_ratio(strata: Sequence[tuple[int, int, int]], observed: int,
                           level: float = 0.95) -> tuple[float, float, float]:
    """The common odds ratio of the group against the rest, estimated exactly and conditionally.

    Given every stratum's margins, the group's total events has the distribution of
    :func:`stratified_exact` tilted by the odds ratio psi: P(t) proportional to P0(t) psi**t. The
    estimate is the conditional maximum-likelihood one (E[t] = observed) and the interval the
    exact one (each tail at most (1 - level) / 2), so its coverage is at least ``level`` whatever
    the numbers. Both sides' counts are random here, unlike an observed/expected ratio that treats
    the expected count as known. With one stratum these are the figures of
    ``scipy.stats.contingency.odds_ratio(kind="conditional")``. Returns (estimate, lower, upper);
    0 and inf where the observed total is at an end of what was possible; NaN when nothing could
    vary.
    """
    support, pmf = _stratified_pmf(strata)
    keep = pmf > 0
    support, logp = support[keep].astype(float), np.log(pmf[keep])
    t = float(observed)
    if len(support) < 2 or not support[0] <= t <= support[-1]:
        return (math.nan, math.nan, math.nan)
    tail = (1 - level) / 2

    def dist(log_psi: float) -> np.ndarray:
        w = logp + support * log_psi
        w = np.exp(w - w.max())
        return w / w.sum()

    def solve(f, target: float) -> float:
        lo, hi = -60.0, 60.0
        return math.exp(brentq(lambda x: f(x) - target, lo, hi, xtol=1e-12, rtol=1e-12))

    at = support == t
    upper_tail = lambda x: float(dist(x)[support >= t].sum())  # noqa: E731
    lower_tail = lambda x: float(dist(x)[support <= t].sum())  # noqa: E731
    mean = lambda x: float((dist(x) * support).sum())  # noqa: E731
    if at[0]:
        return (0.0, 0.0, solve(lower_tail, tail))
    if at[-1]:
        return (math.inf, solve(upper_tail, tail), math.inf)
    return (solve(mean, t), solve(upper_tail, tail), solve(lower_tail, tail))


def _subset_sum_pmf(values: np.ndarray, size: int) -> tuple[int, np.ndarray]:
    """Distribution of the sum of ``size`` items drawn without replacement from whole numbers ``values``.

    Returns (the sum that the first probability belongs to, probabilities of consecutive sums).
    """
    vals = np.asarray(values, dtype=np.int64)
    base = int(vals.min())
    shifted = vals - base
    top = int(np.sort(shifted)[::-1][:size].sum())
    dp = np.zeros((size + 1, top + 1))  # dp[j, s]: ways to choose j items with shifted sum s
    dp[0, 0] = 1.0
    for v in shifted:
        v = int(v)
        if v > top:
            continue
        dp[1:, v:] = dp[1:, v:] + dp[:-1, : top + 1 - v]
    row = dp[size]
    return base * size, row / row.sum()


def stratified_sum_test(strata: Sequence[tuple[Sequence[int], int]], observed: int) -> ExactTest:
    """Exact stratified permutation test for a whole-number measure.

    ``strata``: (the values of everyone in the stratum, how many of them are in the group);
    ``observed``: the group's total. Two-sided p-value: twice the smaller tail, at most 1.
    """
    offset = 0
    pmf = np.array([1.0])
    for values, size in strata:
        if size == 0 or len(values) == 0:
            continue
        lo, p = _subset_sum_pmf(np.asarray(values), int(size))
        offset += lo
        pmf = np.convolve(pmf, p)
    pmf = pmf / pmf.sum()
    support = offset + np.arange(len(pmf))
    return _finish(pmf, support, observed, two_sided="double")


def _finish(pmf: np.ndarray, support: np.ndarray, observed: float, two_sided: str) -> ExactTest:
    lower = np.cumsum(pmf)
    upper = np.cumsum(pmf[::-1])[::-1]
    p_all = _minlike_pvalues(pmf) if two_sided == "minlike" else np.minimum(1.0, 2 * np.minimum(lower, upper))
    where = np.nonzero(support == int(round(observed)))[0]
    if len(where):
        i = int(where[0])
        p, lt, ut = float(p_all[i]), float(lower[i]), float(upper[i])
    else:  # observed outside the support cannot happen with consistent inputs
        p, lt, ut = 0.0, float(observed < support[0]), float(observed > support[-1])
    # Zero-probability points (gaps in a sum's support) cannot be observed: leave them out.
    possible = pmf > 0
    p_min = float(p_all[possible].min()) if possible.any() else 1.0
    expected = float((support * pmf).sum())
    return ExactTest(observed=float(observed), p_value=min(1.0, p), p_min=min(1.0, p_min), expected=expected,
                     lower_tail=min(1.0, lt), upper_tail=min(1.0, ut))


def fisher_two_sided(a: int, b: int, c: int, d: int) -> float:
    """Fisher's exact test of the 2x2 table [[a, b], [c, d]] (two-sided, minimum likelihood)."""
    return stratified_exact([(a + b, c + d, a + c)], a).p_value


def tarone(p_min: npt.ArrayLike, alpha: float) -> np.ndarray:
    """Which hypotheses to keep in the family (Tarone, 1990).

    An exact test on small counts has a smallest p-value it can ever give, fixed by the numbers
    compared (the margins), not by the outcome. Find the smallest K such that at most K
    hypotheses could reach ``alpha / K``; only those stay in the family. The rest could never be
    flagged whatever the outcome, so leaving them out cannot add a false flag, and the family
    the others are adjusted for is smaller. Missing ``p_min`` means not tested.
    """
    pm = np.asarray(p_min, dtype=float)
    ok = ~np.isnan(pm)
    m = int(ok.sum())
    for k in range(1, m + 1):
        keep = ok & (pm <= alpha / k)
        if keep.sum() <= k:
            return keep
    return ok


def holm(p_values: npt.ArrayLike, testable: npt.ArrayLike | None = None) -> np.ndarray:
    """Holm-adjusted p-values over the hypotheses marked ``testable`` (e.g. by :func:`tarone`);
    the others, and missing p-values, get NaN.

    The family is chosen from the margins only (the numbers compared, which the exact tests
    condition on), never from the outcomes, so Holm's control of the family-wise error rate holds.
    """
    p = np.asarray(p_values, dtype=float)
    ok = ~np.isnan(p)
    if testable is not None:
        ok &= np.asarray(testable, dtype=bool)
    out = np.full(len(p), np.nan)
    idx = np.nonzero(ok)[0]
    m = len(idx)
    if m == 0:
        return out
    order = idx[np.argsort(p[idx], kind="stable")]
    adj = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out[order] = adj
    return out


@lru_cache(maxsize=8)
def z_value(level: float) -> float:
    return float(ndtri(0.5 + level / 2))  # scipy.stats.norm.ppf, without importing scipy.stats (0.3 s)


def katz_rate_ratio(a: int, n1: int, c: int, n0: int, level: float = 0.95) -> tuple[float, float, float]:
    """Rate ratio (a/n1)/(c/n0) with the Katz log interval.

    When a cell is empty (no events, or everyone had the event, in either group), 0.5 is added
    to each of the four cells (so 1 to each group size), the usual Haldane correction.
    Returns (ratio, lower, upper); NaN where a group is empty.
    """
    if n1 <= 0 or n0 <= 0:
        return (math.nan, math.nan, math.nan)
    x, y, nx, ny = (a + 0.5, c + 0.5, n1 + 1, n0 + 1) if 0 in (a, c, n1 - a, n0 - c) else (a, c, n1, n0)
    rr = (x / nx) / (y / ny)
    se = math.sqrt(1 / x - 1 / nx + 1 / y - 1 / ny)
    z = z_value(level)
    return (rr, rr * math.exp(-z * se), rr * math.exp(z * se))


def mh_rate_ratio(strata: Sequence[tuple[int, int, int, int]], level: float = 0.95) -> tuple[float, float, float]:
    """Mantel-Haenszel rate ratio over strata (a of n1 in the group, c of n0 in the comparison, per
    stratum), with the Greenland-Robins log interval: the size of a difference stratified the same
    way as its test, so that a mix of strata cannot reverse it (Simpson's paradox). Strata with one
    side empty say nothing and are left out. When the group or the comparison has no events (or
    everyone had them) 0.5 is added to every cell, as :func:`katz_rate_ratio` does.
    Returns (ratio, lower, upper); NaN when no stratum has both sides.
    """
    rows = [(a, n1, c, n0) for a, n1, c, n0 in strata if n1 > 0 and n0 > 0]
    if not rows:
        return (math.nan, math.nan, math.nan)
    arr = np.array(rows, dtype=float)
    a, n1, c, n0 = arr.T
    if a.sum() in (0, n1.sum()) or c.sum() in (0, n0.sum()):
        a, c, n1, n0 = a + 0.5, c + 0.5, n1 + 1, n0 + 1
    n = n1 + n0
    r = float((a * n0 / n).sum())
    s = float((c * n1 / n).sum())
    ratio = r / s
    var = float(((n1 * n0 * (a + c) - a * c * n) / n ** 2).sum()) / (r * s)
    half = z_value(level) * math.sqrt(max(var, 0.0))
    return (ratio, ratio * math.exp(-half), ratio * math.exp(half))


def wilson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n."""
    if n <= 0:
        return (math.nan, math.nan)
    z = z_value(level)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


@lru_cache(maxsize=1024)
def _chi2_ppf(q: float, df: int) -> float:
    return float(2 * gammaincinv(df / 2, q))  # scipy.stats.chi2.ppf's own formula


def poisson_ratio_ci(observed: int, expected: float, level: float = 0.95) -> tuple[float, float, float]:
    """Observed / expected with the exact (Garwood) Poisson interval for the observed count."""
    if expected <= 0:
        return (math.inf if observed > 0 else math.nan, math.nan, math.nan)
    alpha = 1 - level
    lo = 0.0 if observed == 0 else _chi2_ppf(alpha / 2, 2 * observed) / 2
    hi = _chi2_ppf(1 - alpha / 2, 2 * observed + 2) / 2
    return (observed / expected, lo / expected, hi / expected)
