"""The reviewer's effect size: an exact conditional odds ratio whose interval keeps its 95% (issue:
observed/expected with a Poisson interval treated the expected count as known and covered the
truth 82% of the time)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import nchypergeom_fisher
from scipy.stats.contingency import odds_ratio

from pmreport.moderation import ModerationSettings
from pmreport.moderation.exact import conditional_odds_ratio
from pmreport.moderation.reviewer_effects import compare_reviewers

SETTINGS = ModerationSettings()


def test_one_stratum_matches_scipy_conditional_odds_ratio():
    for a, b, c, d in [(3, 5, 2, 20), (7, 3, 2, 8), (0, 5, 3, 10), (4, 0, 6, 6)]:
        ref = odds_ratio([[a, b], [c, d]], kind="conditional")
        ci = ref.confidence_interval(0.95)
        est, lo, hi = conditional_odds_ratio([(a + b, c + d, a + c)], a)
        for mine, theirs in ((est, ref.statistic), (lo, ci.low), (hi, ci.high)):
            assert (math.isinf(mine) and math.isinf(theirs)) or abs(mine - theirs) <= 1e-6 * max(1.0, abs(theirs))


def _tail(strata, psi, t, upper):
    """P(total >= t) (or <= t) when each stratum's count is Fisher's noncentral hypergeometric, by convolution."""
    pmf, lo = np.array([1.0]), 0
    for n1, n0, e in strata:
        ks = np.arange(max(0, e - n0), min(n1, e) + 1)
        pmf = np.convolve(pmf, nchypergeom_fisher.pmf(ks, n1 + n0, n1, e, psi))
        lo += ks[0]
    support = lo + np.arange(len(pmf))
    return pmf[support >= t].sum() if upper else pmf[support <= t].sum()


def test_two_strata_limits_have_two_and_a_half_percent_in_each_tail():
    strata = [(6, 10, 5), (4, 12, 6)]
    est, lo, hi = conditional_odds_ratio(strata, 5)
    assert abs(_tail(strata, lo, 5, upper=True) - 0.025) < 1e-7
    assert abs(_tail(strata, hi, 5, upper=False) - 0.025) < 1e-7
    assert lo < est < hi


def _coverage(sims: int, true_or: float = 2.5) -> float:
    covered = 0
    base = {"a": 0.1, "b": 0.25, "c": 0.4}
    for s in range(sims):
        rng = np.random.default_rng(7000 + s)
        reviewers = ["R"] * 12 + [f"O{j}" for j in range(4) for _ in range(8)]
        n = len(reviewers)
        group = rng.choice(list(base), size=n)
        p0 = np.array([base[g] for g in group])
        odds = p0 / (1 - p0) * np.where(np.array(reviewers) == "R", true_or, 1.0)
        no = rng.random(n) < odds / (1 + odds)
        st = pd.DataFrame({"staff_id": [f"P{i}" for i in range(n)], "cycle": "2025/26", "reviewer_id": reviewers,
                           "reviewer_name": reviewers, "peer_group": group,
                           "pay_recommended": np.where(no, "no_progress", "progress"), "assessment": pd.NA,
                           "n_objectives": 0})
        d = compare_reviewers(st, SETTINGS, explain=False)
        row = d[(d["flag_type"] == "reviewer_pay") & (d["reviewer_id"] == "R")].iloc[0]
        covered += bool(row["or_low"] <= true_or <= row["or_high"])
    return covered / sims


def test_reviewer_odds_ratio_interval_covers_the_truth():
    assert _coverage(150) >= 0.93
