"""Pay progression pooled across schools, with school effects.

The main estimate is the **Mantel-Haenszel odds ratio stratified by school**: each school is its
own stratum, so differences between schools (one school progresses almost everyone, another few)
do not masquerade as a difference between groups of staff. It estimates the same common odds
ratio as a logistic model with a fixed effect for each school, needs only per-school counts (so
it runs at national scale from the aggregate query), and comes with a 95% interval, a test, and the
Breslow-Day test of whether the odds ratio differs between schools (heterogeneity).
:func:`glm_school_effects` fits that logistic model itself (statsmodels GLM, binomial), for
checking on cohorts of up to a few hundred schools.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class OddsRatio:
    group: tuple[str, ...]
    reference: tuple[str, ...]
    odds_ratio: float
    low: float
    high: float
    p_value: float
    schools: int  # schools with people in both groups (informative strata)
    method: str = "Mantel-Haenszel, stratified by school"
    #: Breslow-Day test that the odds ratio is the same in every school (NaN when not computed): a
    #: small value says the pooled figure averages over schools that differ, so read it with care.
    heterogeneity_p: float = float("nan")


def _two_by_two(counts: pd.DataFrame, by: str, group: Sequence[str], reference: Sequence[str]) -> list[np.ndarray]:
    """One 2x2 table per school with people in both groups, in the order of the schools' URNs:
    [[group progressed, not], [reference progressed, not]]."""
    in_group = counts[by].isin(group).to_numpy(dtype=bool)
    in_reference = counts[by].isin(reference).to_numpy(dtype=bool) & ~in_group
    keep = in_group | in_reference
    if not keep.any():
        return []
    schools, school = np.unique(counts["urn"].to_numpy()[keep].astype(str), return_inverse=True)
    side = np.where(in_group[keep], 0, 1)
    cell = school * 2 + side
    size = 2 * len(schools)
    eligible = np.bincount(cell, weights=counts["eligible"].to_numpy(dtype=float)[keep], minlength=size).reshape(-1, 2)
    progressed = np.bincount(cell, weights=counts["progressed"].to_numpy(dtype=float)[keep],
                             minlength=size).reshape(-1, 2)
    both = (eligible[:, 0] > 0) & (eligible[:, 1] > 0)
    return [np.array([[p[0], n[0] - p[0]], [p[1], n[1] - p[1]]], dtype=float)
            for n, p in zip(eligible[both], progressed[both], strict=True)]


def mantel_haenszel(counts: pd.DataFrame, by: str, group: Sequence[str], reference: Sequence[str]) -> OddsRatio | None:
    """Odds of progression for ``group`` against ``reference`` (codes of ``by``), pooled over schools.

    ``counts`` has ``urn``, ``by``, ``eligible`` and ``progressed`` (see :func:`.queries.pay_counts`).
    ``None`` when no school has people in both groups, or the odds ratio cannot be estimated.
    """
    from statsmodels.stats.contingency_tables import StratifiedTable

    tables = _two_by_two(counts, by, group, reference)
    if not tables:
        return None
    st = StratifiedTable(tables)
    orr = float(st.oddsratio_pooled)
    if not np.isfinite(orr) or orr <= 0:
        return None
    low, high = (float(x) for x in st.oddsratio_pooled_confint())
    het = breslow_day(tables, orr) if len(tables) > 1 else float("nan")
    return OddsRatio(tuple(group), tuple(reference), orr, low, high, float(st.test_null_odds().pvalue), len(tables),
                     heterogeneity_p=het)


def breslow_day(tables: Sequence[np.ndarray], odds_ratio: float) -> float:
    """Breslow-Day test (no Tarone correction) that every table has the common ``odds_ratio``: the
    p-value of sum((a - E[a])^2 / Var[a]) on (tables - 1) degrees of freedom, E and Var for each
    table's margins at that odds ratio. (statsmodels' ``test_equal_odds`` gives the same figure but
    divides by zero when the odds ratio is exactly 1.)"""
    from scipy.stats import chi2

    stat, used = 0.0, 0
    for t in tables:
        (a, b), (c, d) = np.asarray(t, dtype=float)
        n1, n0, m1 = a + b, c + d, a + c
        lo, hi = max(0.0, m1 - n0), min(n1, m1)
        if hi <= lo:
            continue  # the margins fix the table: nothing to compare
        if abs(odds_ratio - 1) < 1e-12:
            x = n1 * m1 / (n1 + n0)
        else:
            qa, qb, qc = 1 - odds_ratio, n0 - m1 + odds_ratio * (n1 + m1), -odds_ratio * n1 * m1
            roots = np.roots([qa, qb, qc])
            x = float(next(r.real for r in roots if lo - 1e-9 <= r.real <= hi + 1e-9))
        cells = np.array([x, n1 - x, m1 - x, n0 - m1 + x])
        if (cells <= 0).any():
            continue
        stat += (a - x) ** 2 * float((1 / cells).sum())
        used += 1
    return float(chi2.sf(stat, used - 1)) if used > 1 else float("nan")


def glm_school_effects(counts: pd.DataFrame, by: str, group: Sequence[str], reference: Sequence[str]) -> OddsRatio | None:
    """The same comparison by a binomial GLM (logistic) with a fixed effect for each school."""
    import statsmodels.api as sm

    c = counts[counts[by].isin([*group, *reference])].copy()
    c["_g"] = c[by].isin(group).astype(float)
    c = c.groupby(["urn", "_g"], as_index=False)[["eligible", "progressed"]].sum()
    both = c.groupby("urn")["_g"].nunique()
    c = c[c["urn"].isin(both[both == 2].index)]
    if c.empty:
        return None
    schools = pd.get_dummies(c["urn"], drop_first=False, dtype=float)
    exog = pd.concat([c[["_g"]].reset_index(drop=True), schools.reset_index(drop=True)], axis=1)
    endog = np.column_stack([c["progressed"], c["eligible"] - c["progressed"]]).astype(float)
    fit = sm.GLM(endog, exog, family=sm.families.Binomial()).fit()
    beta = float(fit.params["_g"])
    low, high = (float(x) for x in fit.conf_int().loc["_g"])
    return OddsRatio(tuple(group), tuple(reference), float(np.exp(beta)), float(np.exp(low)), float(np.exp(high)),
                     float(fit.pvalues["_g"]), int(c["urn"].nunique()), "logistic regression with school fixed effects")


@dataclass(frozen=True)
class Gap:
    """The difference in the share progressing, group minus reference, in percentage points, within schools."""

    group: tuple[str, ...]
    reference: tuple[str, ...]
    points: float
    low: float
    high: float
    people: int  # people in both groups, in the schools compared
    schools: int
    method: str = "Mantel-Haenszel risk difference, stratified by school (Sato's variance)"


def risk_difference(counts: pd.DataFrame, by: str, group: Sequence[str], reference: Sequence[str],
                    z: float = 1.959963984540054) -> Gap | None:
    """The gap in pay progression between ``group`` and ``reference`` within schools, in percentage points.

    The Mantel-Haenszel weighted difference of the two shares over schools with people in both groups, with
    the variance of Sato (1989), which holds both for many small schools and for a few large ones.
    ``None`` when no school has people in both groups.
    """
    tables = _two_by_two(counts, by, group, reference)
    if not tables:
        return None
    t = np.array(tables)  # schools x 2 x 2: [[a, b], [c, d]]
    a, b, c, d = t[:, 0, 0], t[:, 0, 1], t[:, 1, 0], t[:, 1, 1]
    n1, n0 = a + b, c + d
    n = n1 + n0
    w = n1 * n0 / n
    rd = float(np.sum((a * n0 - c * n1) / n) / np.sum(w))
    p = (n1 ** 2 * c - n0 ** 2 * a + n1 * n0 * (n0 - n1) / 2) / n ** 2
    q = (a * (n0 - c) + c * (n1 - a)) / (2 * n)
    var = float((rd * np.sum(p) + np.sum(q)) / np.sum(w) ** 2)
    se = float(np.sqrt(max(var, 0.0)))
    return Gap(tuple(group), tuple(reference), 100 * rd, 100 * (rd - z * se), 100 * (rd + z * se), int(n.sum()),
               len(tables))


def points_step(people: int) -> float:
    """How finely a gap is shown: a tenth of a point from 1,000 people, a whole point from 100, else 5 points."""
    if people >= 1000:
        return 0.1
    if people >= 100:
        return 1.0
    return 5.0


def rounded_points(value: float, step: float) -> float | int:
    """A number of percentage points rounded to ``step`` (a number, so that a spreadsheet reads it as one)."""
    rounded = step * round(value / step)
    if abs(rounded) < step / 2:
        return 0.0 if step < 1 else 0
    return round(rounded, 1) if step < 1 else int(round(rounded))
