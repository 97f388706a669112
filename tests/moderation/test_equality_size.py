"""Equality effect sizes stratified as their tests are (issue: a crude rate ratio beside a test
stratified by role group can point the other way - Simpson's paradox)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import StratifiedTable

from pmreport.moderation import ModerationSettings
from pmreport.moderation.equality import compare_groups
from pmreport.moderation.exact import mh_rate_ratio


def _people(role: str, women: tuple[int, int], men: tuple[int, int]) -> list[dict]:
    rows = []
    for sex, (yes, n) in (("female", women), ("male", men)):
        rows += [{"role_group": role, "sex": sex, "pay_outcome": "progress" if i < yes else "no_progress"} for i in range(n)]
    return rows


def test_rate_ratio_is_stratified_by_role_group_not_crude():
    # teachers progress more than support staff; women are mostly teachers. Within each role group
    # women progress less (27/30 v 10/10; 3/10 v 12/30), but crude 30/40 v 22/40 says more (1.36)
    rows = _people("teacher", (27, 30), (10, 10)) + _people("support", (3, 10), (12, 30))
    st = pd.DataFrame(rows)
    st["staff_id"] = [f"P{i}" for i in range(len(st))]
    st["cycle"] = "2025/26"
    for col in ("ethnicity_group", "disability", "age_band", "part_time", "pregnancy_maternity", "religion_belief",
                "sexual_orientation", "assessment"):
        st[col] = pd.NA
    st["development_agreed"] = np.nan
    st["development_not_provided"] = np.nan
    d = compare_groups(st, ModerationSettings(), explain=True)
    row = d[(d["flag_type"] == "equality_pay") & (d["characteristic"] == "sex")].iloc[0]
    assert row["rate_group"] == pytest.approx(30 / 40) and row["rate_comparison"] == pytest.approx(22 / 40)
    # Mantel-Haenszel: (27*10/40 + 3*30/40) / (10*30/40 + 12*10/40) = 9 / 10.5
    assert row["rate_ratio"] == pytest.approx(9 / 10.5)
    ref = StratifiedTable([np.array([[27, 3], [10, 0]]), np.array([[3, 7], [12, 18]])])
    assert row["rate_ratio"] == pytest.approx(ref.riskratio_pooled)
    assert "rate ratio within role groups 0.86" in row["reason"]


def test_greenland_robins_interval_by_hand():
    strata = [(27, 30, 10, 10), (3, 10, 12, 30)]
    rr, lo, hi = mh_rate_ratio(strata)
    # var(log RR) = sum((n1 n0 (a + c) - a c N) / N^2) / (R S), R = 9, S = 10.5
    v = ((30 * 10 * 37 - 27 * 10 * 40) / 40 ** 2 + (10 * 30 * 15 - 3 * 12 * 40) / 40 ** 2) / (9 * 10.5)
    z = 1.959963984540054
    assert lo == pytest.approx(9 / 10.5 * math.exp(-z * math.sqrt(v)))
    assert hi == pytest.approx(9 / 10.5 * math.exp(z * math.sqrt(v)))
    # one stratum with a side empty says nothing
    assert math.isnan(mh_rate_ratio([(3, 5, 0, 0)])[0])


def test_too_few_to_say_is_decided_by_the_comparison_not_its_family():
    # 40 pay-eligible people, 25 progress. Sex (20/20), working pattern (20/20) and disability (10/30)
    # could each reach any level; religion (4 not of the largest group, 36 of it) can reach at best
    # p = 0.0149 (C(15,4) / C(40,4)). On its own it can reach 5%, so it is not "too few to say";
    # alongside the three others Tarone's rule leaves it out of the family (at 5%/4 = 0.0125 only
    # three could be flagged), so it gets "no flag" with no adjusted p-value.
    n = 40
    progress = np.array([i % 8 not in (0, 3, 5) for i in range(n)])  # 25 of 40
    assert progress.sum() == 25
    st = pd.DataFrame({
        "staff_id": [f"P{i}" for i in range(n)], "cycle": "2025/26", "role_group": "teacher",
        "sex": ["female" if i % 2 else "male" for i in range(n)],
        "part_time": [i % 4 < 2 for i in range(n)], "disability": [i % 4 == 0 for i in range(n)],
        "religion_belief": ["Muslim" if i in (1, 2, 4, 6) else "Christian" for i in range(n)],
        "ethnicity_group": pd.NA, "age_band": pd.NA, "pregnancy_maternity": pd.NA, "sexual_orientation": pd.NA,
        "assessment": pd.NA, "development_agreed": np.nan, "development_not_provided": np.nan,
        "pay_outcome": np.where(progress, "progress", "no_progress"),
    })
    d = compare_groups(st, ModerationSettings(), explain=True)
    d = d[d["flag_type"] == "equality_pay"].set_index("characteristic")
    # the most lopsided split: all 4 among the 15 not progressing
    assert d.loc["religion_belief", "p_min"] == pytest.approx(math.comb(15, 4) / math.comb(40, 4))
    assert d.loc["religion_belief", "verdict"] == "no flag"
    assert math.isnan(d.loc["religion_belief", "p_adjusted"])
    assert "not alongside the other comparisons of this kind" in d.loc["religion_belief", "reason"]
    assert int(d.loc["sex", "family_size"]) == 3
