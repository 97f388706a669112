"""Union odds ratios: unbiased when the part-time share depends on the school (confounding), with a
heterogeneity test, multiplicity control across characteristics, none for groups mixed with
"not known"."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2
from statsmodels.stats.contingency_tables import StratifiedTable

from pmreport.union.analysis.figures import clear_differences
from pmreport.union.analysis.models import mantel_haenszel


def _confounded_counts() -> pd.DataFrame:
    """Ten schools: the more part-time staff a school has, the fewer of its staff progress, but
    within each school part-time and full-time staff progress at the same rate (true odds ratio 1)."""
    rows = []
    for i in range(10):
        rate = 0.9 - 0.06 * i  # 90% down to 36%
        part = 10 + 8 * i      # 10 up to 82 part-time of 100 eligible
        for pattern, n in (("part_time", part), ("full_time", 100 - part)):
            rows.append({"urn": f"1{i:05d}", "working_pattern": pattern, "eligible": n, "progressed": rate * n})
    return pd.DataFrame(rows)


def test_pooled_odds_ratio_stays_unbiased_when_the_part_time_share_depends_on_the_school():
    counts = _confounded_counts()
    # ignoring schools, part-time staff look much less likely to progress
    tot = counts.groupby("working_pattern")[["eligible", "progressed"]].sum()
    crude = (tot.loc["part_time", "progressed"] / (tot.loc["part_time", "eligible"] - tot.loc["part_time", "progressed"])) / (
        tot.loc["full_time", "progressed"] / (tot.loc["full_time", "eligible"] - tot.loc["full_time", "progressed"]))
    assert crude < 0.6
    mh = mantel_haenszel(counts, "working_pattern", ["part_time"], ["full_time"])
    assert mh is not None
    assert mh.odds_ratio == pytest.approx(1.0)
    assert mh.low < 1 < mh.high
    # the same odds ratio in every school: Breslow-Day finds no heterogeneity
    assert mh.heterogeneity_p == pytest.approx(1.0, abs=1e-6)


def test_heterogeneity_is_reported_when_schools_differ():
    rows = []
    for i, (pt, ft) in enumerate([(0.9, 0.5), (0.5, 0.9)] * 4):  # part-time ahead in half the schools, behind in half
        rows += [{"urn": f"2{i:05d}", "working_pattern": "part_time", "eligible": 40, "progressed": 40 * pt},
                 {"urn": f"2{i:05d}", "working_pattern": "full_time", "eligible": 40, "progressed": 40 * ft}]
    counts = pd.DataFrame(rows)
    mh = mantel_haenszel(counts, "working_pattern", ["part_time"], ["full_time"])
    # pooled odds ratio 1 by symmetry; in each school 36 + 20 progressed of 80, so 28 expected in each group:
    # (36 - 28)^2 x (1/28 + 1/12 + 1/28 + 1/12) per school, on 8 - 1 degrees of freedom
    stat = 8 * 64 * (2 / 28 + 2 / 12)
    assert mh is not None and mh.odds_ratio == pytest.approx(1.0)
    assert mh.heterogeneity_p == pytest.approx(chi2.sf(stat, 7)) and mh.heterogeneity_p < 0.001


def test_clear_difference_allows_for_every_comparison():
    a = pd.DataFrame({"Group": ["female"], "_p": [0.02], "Clear difference?": [""]})
    b = pd.DataFrame({"Group": ["part-time", "disabled"], "_p": [0.004, 0.3], "Clear difference?": ["", ""]})
    clear_differences([a, b, pd.DataFrame()])
    # Holm over three: 0.004 x 3 = 0.012 (yes); 0.02 x 2 = 0.04 (yes); 0.3
    assert b["Clear difference?"].tolist() == ["yes (adjusted p 0.012, 3 comparisons)", "no (adjusted p 0.300, 3 comparisons)"]
    assert a["Clear difference?"].tolist() == ["yes (adjusted p 0.040, 3 comparisons)"]
    assert "_p" not in a.columns
    # unadjusted, 0.04 and 0.045 would both have been "yes"; over two comparisons only if both are below 5%/2 first
    c = pd.DataFrame({"Group": ["x", "y"], "_p": [0.04, 0.045], "Clear difference?": ["", ""]})
    clear_differences([c])
    assert c["Clear difference?"].str.startswith("no").all()


def test_breslow_day_matches_statsmodels_away_from_one():
    tables = [np.array([[20.0, 10.0], [12.0, 18.0]]), np.array([[8.0, 12.0], [10.0, 10.0]]),
              np.array([[30.0, 5.0], [20.0, 15.0]])]
    from pmreport.union.analysis.models import breslow_day

    ref = StratifiedTable(tables)
    assert breslow_day(tables, float(ref.oddsratio_pooled)) == pytest.approx(ref.test_equal_odds().pvalue, rel=1e-6)
    assert not math.isnan(breslow_day(tables, 1.0))


def test_simulated_cohorts_where_the_part_time_share_follows_the_school_stay_unbiased():
    """100 random cohorts of 12 schools: schools where fewer staff progress employ more part-time staff
    (confounding), and within every school part-time staff's odds of progression are half the full-time
    staff's. The school-stratified odds ratio averages the true 0.5 and its interval covers it about 95 times
    in 100; the crude odds ratio, ignoring schools, is biased well below."""
    from pmreport.union.analysis.models import risk_difference

    rng = np.random.default_rng(19)
    true_or, runs = 0.5, 100
    logs, crude_logs, covered, gaps = [], [], 0, []
    for _ in range(runs):
        rows = []
        school = rng.normal(1.2, 0.8, size=12)  # each school's log-odds of progression, full time
        share = 1 / (1 + np.exp(1.2 * (school - 1.2) + 0.4))  # lower-progressing schools: more part-time
        for i in range(12):
            part = rng.binomial(60, share[i])
            for pattern, n, logit in (("part_time", part, school[i] + math.log(true_or)),
                                      ("full_time", 60 - part, school[i])):
                rows.append({"urn": f"3{i:05d}", "working_pattern": pattern, "eligible": n,
                             "progressed": rng.binomial(n, 1 / (1 + math.exp(-logit)))})
        counts = pd.DataFrame(rows)
        mh = mantel_haenszel(counts, "working_pattern", ["part_time"], ["full_time"])
        assert mh is not None
        logs.append(math.log(mh.odds_ratio))
        covered += mh.low <= true_or <= mh.high
        tot = counts.groupby("working_pattern")[["eligible", "progressed"]].sum()
        odds = tot["progressed"] / (tot["eligible"] - tot["progressed"])
        crude_logs.append(math.log(odds["part_time"] / odds["full_time"]))
        gap = risk_difference(counts, "working_pattern", ["part_time"], ["full_time"])
        assert gap is not None
        gaps.append(gap.points)
    # the standard error of the mean of 100 log odds ratios is about 0.02
    assert abs(float(np.mean(logs)) - math.log(true_or)) < 0.06
    assert float(np.mean(crude_logs)) < math.log(true_or) - 0.2
    assert 0.88 * runs <= covered <= runs
    assert float(np.mean(gaps)) < -5  # the gap within schools points the same way
