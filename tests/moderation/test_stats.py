"""Hand-computed checks of the exact tests and intervals behind moderation flags."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from pmreport.moderation.exact import (
    fisher_two_sided,
    holm,
    katz_rate_ratio,
    poisson_ratio_ci,
    stratified_exact,
    stratified_sum_test,
    tarone,
    wilson,
)


def test_fisher_lady_tasting_tea():
    # [[3, 1], [1, 3]]: P(3) = C(4,3)C(4,1)/C(8,4) = 16/70, P(4) = 1/70; the two-sided p-value adds
    # every table no more likely than the one seen: 16 + 1 + 16 + 1 = 34 of 70.
    assert fisher_two_sided(3, 1, 1, 3) == pytest.approx(34 / 70)


def test_fisher_by_enumeration():
    # Table [[8, 2], [1, 5]]: rows 10 and 6, 9 in the first column.
    def p(a):
        return math.comb(10, a) * math.comb(6, 9 - a) / math.comb(16, 9)

    support = range(3, 10)  # a can be 3..9
    seen = p(8)
    expected = sum(p(a) for a in support if p(a) <= seen * (1 + 1e-7))
    assert fisher_two_sided(8, 2, 1, 5) == pytest.approx(expected)
    assert expected == pytest.approx(0.03496503, abs=1e-6)  # the textbook value for this table


def test_stratified_exact_convolves_strata():
    # Stratum 1: 2 in the group, 2 others, 2 events -> P(0,1,2) = 1/6, 4/6, 1/6.
    # Stratum 2: 1 in the group, 3 others, 1 event  -> P(0,1)   = 3/4, 1/4.
    # Total: P(0) = 3/24, P(1) = 13/24, P(2) = 7/24, P(3) = 1/24.
    strata = [(2, 2, 2), (1, 3, 1)]
    t3 = stratified_exact(strata, 3)
    assert t3.p_value == pytest.approx(1 / 24)
    assert t3.p_min == pytest.approx(1 / 24)
    assert t3.expected == pytest.approx(1 * 2 * 2 / 4 + 1 * 1 / 4)
    t0 = stratified_exact(strata, 0)
    assert t0.p_value == pytest.approx(4 / 24)  # outcomes no more likely than 3/24: 0 and 3
    assert t0.upper_tail == pytest.approx(1.0)
    assert t0.lower_tail == pytest.approx(3 / 24)


def test_sum_test_matches_enumeration():
    values = [1, 2, 3, 3, 5]
    sums = [sum(c) for c in itertools.combinations(values, 2)]  # 10 equally likely pairs
    for observed in set(sums):
        upper = sum(s >= observed for s in sums) / len(sums)
        lower = sum(s <= observed for s in sums) / len(sums)
        t = stratified_sum_test([(values, 2)], observed)
        assert t.upper_tail == pytest.approx(upper)
        assert t.lower_tail == pytest.approx(lower)
        assert t.p_value == pytest.approx(min(1.0, 2 * min(upper, lower)))


def test_sum_test_two_strata():
    a, b = [0, 1, 4], [2, 2, 3, 7]
    pairs = [x + y + z for x in a for (y, z) in itertools.combinations(b, 2)]
    t = stratified_sum_test([(a, 1), (b, 2)], 12)
    assert t.upper_tail == pytest.approx(sum(s >= 12 for s in pairs) / len(pairs))


def test_katz_interval_by_formula():
    rr, lo, hi = katz_rate_ratio(8, 10, 5, 15)
    se = math.sqrt(1 / 8 - 1 / 10 + 1 / 5 - 1 / 15)
    assert rr == pytest.approx(2.4)
    assert lo == pytest.approx(2.4 * math.exp(-1.959964 * se), rel=1e-5)
    assert hi == pytest.approx(2.4 * math.exp(1.959964 * se), rel=1e-5)
    assert (round(lo, 3), round(hi, 3)) == (1.1, 5.235)


def test_katz_adds_half_when_a_cell_is_empty():
    rr, lo, hi = katz_rate_ratio(0, 5, 4, 10)
    a, n1, c, n0 = 0.5, 6, 4.5, 11
    assert rr == pytest.approx((a / n1) / (c / n0))
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n0)
    assert hi == pytest.approx(rr * math.exp(1.959964 * se), rel=1e-5)


def test_wilson_zero_of_ten():
    z = 1.959964
    lo, hi = wilson(0, 10)
    assert lo == 0.0
    assert hi == pytest.approx((z * z / 20 + z * math.sqrt(z * z / 400)) / (1 + z * z / 10), rel=1e-5)  # 0.2775
    assert hi == pytest.approx(0.2775, abs=1e-4)


def test_garwood_interval_for_no_events():
    ratio, lo, hi = poisson_ratio_ci(0, 2.0)
    assert ratio == 0 and lo == 0
    assert hi == pytest.approx(3.689 / 2, abs=1e-3)  # the textbook upper limit for 0 events is 3.689


def test_holm_by_hand():
    adj = holm([0.01, 0.04, 0.03, np.nan])
    # sorted: 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 = 0.04 -> raised to 0.06 (monotone)
    assert adj[:3] == pytest.approx([0.03, 0.06, 0.06])
    assert np.isnan(adj[3])


def test_tarone_drops_hypotheses_that_can_never_be_flagged():
    # K = 1: three could reach 0.05 (3 > 1); K = 2: two could reach 0.025 (2 <= 2) -> keep those two.
    keep = tarone([0.001, 0.2, 0.02, 0.03, np.nan], 0.05)
    assert keep.tolist() == [True, False, True, False, False]
    adj = holm([0.01, 0.5, 0.02, 0.03, np.nan], keep)
    assert adj[0] == pytest.approx(0.02) and adj[2] == pytest.approx(0.02)
    assert np.isnan(adj[1]) and np.isnan(adj[3])


def test_distribution_functions_are_scipy_stats_own_bit_for_bit() -> None:
    """Moderation uses scipy.special directly (scipy.stats takes 0.3 s to import): the same numbers."""
    import numpy as np
    from scipy import stats
    from scipy.special import stdtr, stdtrit

    from pmreport.moderation.exact import _chi2_ppf, z_value

    t = np.array([0.0, 0.1, 0.5, 1.0, 1.96, 2.5, 4.0, 10.0, 40.0, np.inf, np.nan])
    for df in (0.5, 1.0, 2.0, 3.0, 7.0, 30.0, 250.0, np.nan):
        assert np.array_equal(2 * stdtr(np.full_like(t, df), -np.abs(t)), 2 * stats.t.sf(np.abs(t), df), equal_nan=True)
        for level in (0.8, 0.9, 0.95, 0.99):
            assert np.array_equal(stdtrit(df, 0.5 + level / 2), stats.t.ppf(0.5 + level / 2, df), equal_nan=True)
    for level in (0.8, 0.9, 0.95, 0.99, 0.999):
        assert z_value(level) == float(stats.norm.ppf(0.5 + level / 2))
    for q in (0.0005, 0.005, 0.025, 0.05, 0.5, 0.95, 0.975, 0.995, 0.9995):
        for df in range(0, 202, 2):
            assert np.array_equal(_chi2_ppf(q, df), stats.chi2.ppf(q, df), equal_nan=True)


def test_rank_test_of_a_statement_against_its_peers():
    from pmreport.moderation.peers import rank_test

    values = np.array([3, 3, 3, 3, 6, 2, 5, 4, 4, 4, 9], dtype=float)
    group = np.array([0] * 5 + [1] * 6)
    skip = np.zeros(11, dtype=bool)
    skip[5] = True  # a statement not compared; its group is then the other five of group 1
    p, p_min = rank_test(values, group, skip)
    # group 0 (3, 3, 3, 3, 6): 6 is the highest of 5 -> 2 x 1/5; each 3 is at least as low as 4 of 5 -> 2 x 4/5 > 1
    assert p[4] == pytest.approx(0.4) and p[0] == 1.0
    # group 1 without the skipped one (5, 4, 4, 4, 9): 9 -> 2/5; 5 -> 2 x 2/5 (5 and 9 at least as high)
    assert p[10] == pytest.approx(0.4) and p[6] == pytest.approx(0.8)
    assert np.isnan(p[5]) and np.isnan(p_min[5])
    assert p_min[0] == pytest.approx(0.4) and p_min[10] == pytest.approx(0.4)
