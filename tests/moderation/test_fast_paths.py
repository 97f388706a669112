"""The moderation analysis's array shortcuts give bit-for-bit what the pandas / numpy / scipy
operations they replace give (pmreport.moderation.grouped, the exact tests' caches, values_words)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import gammaln

from pmreport.moderation import grouped
from pmreport.moderation.exact import _hypergeom_pmf, _log_choose, stratified_exact
from pmreport.moderation.text import num, pct, values_words

GROUPS = np.array(["teacher, classroom teacher, 3-5 years", "support, support staff, any experience", "b", "A", "b "])


def _bits(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=float).view(np.int64)


@pytest.mark.parametrize("layout", ["mixed", "sorted", "one group"])
def test_group_sums_and_means_are_pandas_own(layout):
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(1, 60))
        labels = GROUPS[rng.integers(0, len(GROUPS), n)]
        if layout == "sorted":
            labels = np.sort(labels)
        elif layout == "one group":
            labels = np.full(n, GROUPS[0])
        values = rng.integers(0, 400, n) / rng.choice([1, 0.4, 0.6, 0.8, 0.9], n) + rng.normal(0, 1e-3, n)
        values[rng.random(n) < 0.1] = np.nan
        frame = pd.DataFrame({"g": pd.array(labels, dtype="string"), "v": values})
        codes, groups = grouped.codes(frame["g"])
        assert groups == sorted(set(labels.tolist()))
        means = grouped.float_means(values, codes, len(groups))
        sums = grouped.float_sums(values, codes, len(groups))
        assert np.array_equal(_bits(means), _bits(frame.groupby("g")["v"].mean().to_numpy()))
        assert np.array_equal(_bits(sums), _bits(frame.groupby("g")["v"].sum().to_numpy()))
        assert np.array_equal(_bits(grouped.at(means, codes)), _bits(frame.groupby("g")["v"].transform("mean")))
        assert grouped.counts(codes, len(groups)).tolist() == frame.groupby("g").size().tolist()


def test_missing_groups_are_left_out():
    labels = pd.Series(["b", None, "a", "b"], dtype="string")
    codes, groups = grouped.codes(labels)
    assert groups == ["a", "b"] and codes.tolist() == [1, -1, 0, 1]
    assert grouped.int_sums(np.array([1, 100, 2, 3]), codes, 2).tolist() == [2, 4]
    assert grouped.float_sums(np.array([0.5, 100.0, 0.25, 1.0]), codes, 2).tolist() == [0.25, 1.5]
    assert np.isnan(grouped.at(np.array([1.0, 2.0]), codes)[1])


def test_log_factorial_table_is_gammaln_term_for_term():
    n = np.array([5, 40, 300, 1000])
    k = np.array([2, 0, 150, 999])
    direct = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)
    assert np.array_equal(_bits(_log_choose(n, k)), _bits(direct))
    lo, pmf = _hypergeom_pmf(7, 30, 9)
    ks = np.arange(lo, 8)
    direct = np.exp(_log_choose(7, ks) + _log_choose(30, 9 - ks) - _log_choose(37, 9))
    assert np.array_equal(_bits(pmf), _bits(direct))
    assert not pmf.flags.writeable  # cached: shared between calls


def test_cached_exact_test_is_the_same_test():
    a = stratified_exact([(3, 20, 8), (2, 10, 4)], 4)
    b = stratified_exact([(np.int64(3), np.int64(20), np.int64(8)), (2, 10, 4)], np.int64(4))
    assert a == b and a.observed == 4.0


def test_values_words_median_is_numpys():
    rng = np.random.default_rng(3)
    for _ in range(500):
        vals = rng.integers(0, 9, int(rng.integers(4, 20))) / rng.choice([1, 2, 3, 0.8], 1)
        distinct = np.unique(vals)
        if len(distinct) <= 3:
            continue
        for fmt in (num, pct):
            expected = (f"between {fmt(distinct[0])} and {fmt(distinct[-1])} "
                        f"(middle value {fmt(float(np.median(vals)))})")
            assert values_words(vals, fmt) == expected
