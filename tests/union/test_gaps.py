"""Gaps in pay progression in percentage points, within schools, with intervals (issue 23, item 7)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pmreport.union.analysis.models import points_step, risk_difference, rounded_points


def _counts(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["urn", "sex", "eligible", "progressed"])


def test_one_school_gives_the_plain_difference_of_shares():
    gap = risk_difference(_counts([("1", "female", 40, 30), ("1", "male", 40, 20)]), "sex", ["female"], ["male"])
    assert gap is not None and abs(gap.points - 25.0) < 1e-9  # 30/40 - 20/40
    assert gap.low < 25 < gap.high and gap.people == 80 and gap.schools == 1


def test_schools_are_compared_within_themselves():
    # each school: women 10 points behind men; school 2 progresses far fewer people overall, and has
    # mostly women, so a pooled comparison without schools would show a gap of about 30 points
    rows = [("1", "female", 20, 18), ("1", "male", 100, 100), ("2", "female", 100, 40), ("2", "male", 20, 10)]
    gap = risk_difference(_counts(rows), "sex", ["female"], ["male"])
    # per school: 0.9 - 1.0 = -0.1 and 0.4 - 0.5 = -0.1; any weighting gives -10 points
    assert gap is not None and abs(gap.points + 10.0) < 1e-9
    pooled = 100 * (58 / 120 - 110 / 120)
    assert pooled < -40  # the confounded comparison the stratified gap avoids


def test_a_school_with_one_group_only_is_left_out():
    rows = [("1", "female", 40, 30), ("1", "male", 40, 20), ("2", "female", 50, 5)]
    gap = risk_difference(_counts(rows), "sex", ["female"], ["male"])
    assert gap is not None and gap.schools == 1 and abs(gap.points - 25.0) < 1e-9
    assert risk_difference(_counts([("2", "female", 50, 5)]), "sex", ["female"], ["male"]) is None


def test_the_interval_covers_the_true_gap_about_95_times_in_100():
    rng = np.random.default_rng(23)
    covered = 0
    for _ in range(200):
        rows = []
        for school in range(25):
            base = rng.uniform(0.6, 0.9)
            for sex, p in (("female", base - 0.08), ("male", base)):
                n = int(rng.integers(3, 15))
                rows.append((str(school), sex, n, int(rng.binomial(n, p))))
        gap = risk_difference(_counts(rows), "sex", ["female"], ["male"])
        covered += gap.low <= -8.0 <= gap.high
    assert 0.90 <= covered / 200 <= 0.99


def test_precision_follows_the_number_of_people():
    assert points_step(2430) == 0.1 and points_step(150) == 1.0 and points_step(60) == 5.0
    assert rounded_points(-2.46, 0.1) == -2.5 and rounded_points(-2.46, 1.0) == -2 and rounded_points(-2.46, 5.0) == 0
    assert rounded_points(7.6, 5.0) == 10 and rounded_points(0.04, 0.1) == 0.0
    assert isinstance(rounded_points(-2.46, 1.0), int) and isinstance(rounded_points(-2.46, 0.1), float)


def test_gaps_by_phase_and_cycle_follow_the_school_rules():
    from pmreport.disclosure import UNION_POLICY
    from pmreport.disclosure.query import Group
    from pmreport.union.analysis.gaps import gap_breakdowns

    rows = []
    schools = []
    for urn, phase in (("1", "primary"), ("2", "primary"), ("3", "primary"), ("4", "special")):
        for cycle in ("2024/25", "2025/26"):
            # every school: women 60 of 80 progress (75%), men 34 of 40 (85%): a gap of -10 points
            rows += [(cycle, urn, "female", 80, 60), (cycle, urn, "male", 40, 34)]
            schools.append({"urn": urn, "cycle": cycle, "phase": phase, "local_authority": "Kent"})
    counts = pd.DataFrame(rows, columns=["cycle", "urn", "sex", "eligible", "progressed"])
    women, men = Group("sex", ("female",), "Female"), Group("sex", ("male",), "Male")
    out = gap_breakdowns(counts, pd.DataFrame(schools), "sex", [women, men], men, "2025/26", UNION_POLICY, 4)
    got = dict(zip(out["Schools compared"], out["Gap (percentage points)"], strict=True))
    assert got == {"All schools, 2024/25": -10, "All schools, 2025/26": -10, "Primary schools, 2025/26": -10,
                   "Special schools, 2025/26": "[c]", "South East, 2025/26": -10,
                   "Kent, 2025/26": -10}
    assert set(out["Compared with"]) == {"Male"} and (out["Clear difference?"] != "no").all()
