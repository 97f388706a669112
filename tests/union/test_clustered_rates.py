"""Pooled percentages with intervals clustered by school: checked by hand, against statsmodels, by simulation,
and through the disclosure gate as the report makes them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import norm, t
from statsmodels.stats.proportion import proportion_confint

from pmreport.disclosure import UNION_POLICY, DisclosureGate
from pmreport.union.analysis.clustered_rates import clustered_rate, naive_rate, outward
from pmreport.union.analysis.figures import PAY_POPULATION, person_microdata, rate_figure

#: four schools: (progressed, staff with a decision)
SCHOOLS = [(8, 10), (15, 20), (3, 10), (18, 20)]


def test_clustered_rate_by_hand():
    y = [s[0] for s in SCHOOLS]
    n = [s[1] for s in SCHOOLS]
    found = clustered_rate(y, n)
    assert found is not None
    # 44 of 60 progressed; each school's departure from 44/60 of its staff: 2/3, 1/3, -13/3, 10/3
    assert found.rate == pytest.approx(44 / 60)
    var = 4 / 3 * ((4 + 1 + 169 + 100) / 9) / 60 ** 2  # G/(G-1) x sum of squared departures / N^2
    assert found.se == pytest.approx(var ** 0.5)
    assert found.design_effect == pytest.approx(var / (44 / 60 * 16 / 60 / 60))  # about 3.46
    assert found.design_effect == pytest.approx(3.4596, abs=1e-4)
    assert (found.people, found.schools) == (60, 4)
    # Wilson's interval for 60 / 3.46 effective people, with t on 3 degrees of freedom in place of 1.96
    n_eff = 60 / found.design_effect
    low, high = proportion_confint(44 / 60 * n_eff, n_eff, alpha=2 * norm.sf(t.ppf(0.975, 3)), method="wilson")
    assert (found.low, found.high) == pytest.approx((low, high))
    # wider than if the 60 people were independent
    naive = naive_rate(y, n)
    assert found.low < naive[0] and found.high > naive[1]


def test_standard_error_matches_statsmodels_cluster_robust_ols():
    """The same variance as an OLS of the 0/1 outcome on a constant, clustered by school (statsmodels)."""
    outcome = np.concatenate([[1.0] * p + [0.0] * (m - p) for p, m in SCHOOLS])
    school = np.concatenate([[i] * m for i, (_, m) in enumerate(SCHOOLS)])
    fit = sm.OLS(outcome, np.ones((len(outcome), 1))).fit(cov_type="cluster", cov_kwds={"groups": school})
    found = clustered_rate([s[0] for s in SCHOOLS], [s[1] for s in SCHOOLS])
    assert found is not None
    assert found.rate == pytest.approx(float(fit.params[0]))
    assert found.se == pytest.approx(float(fit.bse[0]))


def test_edge_cases():
    assert clustered_rate([3], [10]) is None  # one school: no spread between schools to measure
    assert clustered_rate([0, 0], [0, 0]) is None
    everyone = clustered_rate([10, 20, 5], [10, 20, 5])
    assert everyone is not None and np.isnan(everyone.design_effect) and everyone.high == 1.0
    # as if the 35 were independent, but with t on 2 degrees of freedom (three schools) in place of 1.96
    assert everyone.low == pytest.approx(proportion_confint(35, 35, alpha=2 * norm.sf(t.ppf(0.975, 2)),
                                                            method="wilson")[0])
    assert everyone.low < naive_rate([35], [35])[0]
    # schools exactly at the pooled rate: a design effect of 0, but the interval is never narrower than Wilson's
    even = clustered_rate([5, 10, 15], [10, 20, 30])
    assert even is not None and even.design_effect == pytest.approx(0.0)
    assert even.high - even.low >= naive_rate([30], [60])[1] - naive_rate([30], [60])[0]


def test_outward_rounding():
    assert outward(0.7612, 0.8549, 5) == (75, 90)
    assert outward(0.7612, 0.8549, 1) == (76, 86)
    assert outward(0.80, 0.85, 5) == (80, 85)  # already on the step: unchanged
    assert outward(0.001, 0.999, 5) == (0, 100)


def test_coverage_with_schools_that_differ():
    """300 simulated cohorts of 30 schools whose own rates vary around 80% (beta, intra-school correlation 0.045,
    10 to 60 staff, design effect about 2.5): the clustered interval covers the true 80% about 95 times in 100, the
    one that treats people as independent far less often."""
    rng = np.random.default_rng(2026)
    a, b = 0.8 * 21.2, 0.2 * 21.2  # mean 0.8, 1 / (a + b + 1) = 0.045
    covered = naive_covered = 0
    deffs = []
    runs = 300
    for _ in range(runs):
        n = rng.integers(10, 61, size=30)
        y = rng.binomial(n, rng.beta(a, b, size=30))
        found = clustered_rate(y, n)
        assert found is not None
        covered += found.low <= 0.8 <= found.high
        lo, hi = naive_rate(y, n)
        naive_covered += lo <= 0.8 <= hi
        deffs.append(found.design_effect)
    assert 1.8 < float(np.median(deffs)) < 3.2
    assert 0.92 * runs <= covered <= 0.985 * runs
    assert naive_covered < 0.88 * runs


def _people(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """People rows as the union's microdata holds them: (school, sex, progressed, did not progress)."""
    out = []
    for urn, sex, yes, no in rows:
        for i, decision in enumerate(["progress"] * yes + ["no_progress"] * no):
            out.append({"cycle": "2025/26", "urn": urn, "person": f"{sex}{i}", "phase": "primary",
                        "size_band": "20_to_49", "local_authority": "Kent", "in_scope": "yes", "pay_eligible": "yes",
                        "pay_decision": decision, "sex": sex})
    return pd.DataFrame(out)


def test_the_report_counts_the_gates_people_school_by_school():
    rows = [("100001", "female", 18, 2), ("100001", "male", 9, 1), ("100002", "female", 10, 10),
            ("100002", "male", 8, 4), ("100003", "female", 16, 4), ("100003", "male", 12, 3),
            ("100004", "female", 12, 8), ("100004", "male", 6, 6)]
    gate = DisclosureGate(person_microdata(_people(rows)), UNION_POLICY)
    fig = rate_figure("pay", gate, "pay_decision", "progress", PAY_POPULATION, "2025/26", "Pay by sex",
                      "Pay progression by sex.", by="sex", categories=("progress", "no_progress"))
    assert fig.intervals is not None
    got = fig.intervals.set_index("Group")
    table = fig.table.to_public_dict()
    published = {r["label"]: r["cells"][-1]["value"] for r in table["rows"]}
    for label, keep in ((table["rows"][0]["label"], ("female", "male")), ("Female", ("female",)), ("Male", ("male",))):
        per_school = pd.DataFrame([r for r in rows if r[1] in keep], columns=["urn", "sex", "yes", "no"]).groupby(
            "urn")[["yes", "no"]].sum()
        expected = clustered_rate(per_school["yes"], per_school["yes"] + per_school["no"])
        assert expected is not None
        step = UNION_POLICY.percent_base(expected.people)
        assert (got.loc[label, "95% interval from (%)"], got.loc[label, "95% interval to (%)"]) == outward(
            expected.low, expected.high, step)
        assert got.loc[label, "Design effect"] == f"{expected.design_effect:.1f}"
        # the published (rounded) percentage lies inside the published (outward-rounded) interval
        assert got.loc[label, "95% interval from (%)"] <= published[label] <= got.loc[label, "95% interval to (%)"]
    # all staff: 101 of 130; schools at 27/30, 18/32, 28/35, 18/32 -> widely spread, so the design effect is large
    assert float(got.iloc[0]["Design effect"]) > 2
    assert "independent people" in got.iloc[0]["What it means"]
