"""Pooled cycles with persistent people: the same person in three cycles is one unit, so a school
with nothing wrong is flagged at most 1 time in 20 (issue: pooled person-cycles were treated as
independent and false flags reached 15%)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pmreport.moderation import ModerationSettings
from pmreport.moderation.clustered import person_sum_test
from pmreport.moderation.equality import compare_groups
from pmreport.moderation.exact import stratified_exact
from pmreport.moderation.reviewer_effects import compare_reviewers

SETTINGS = ModerationSettings()


def persistent_school(seed: int, people: int = 40, cycles: int = 3, strugglers: float = 0.15) -> pd.DataFrame:
    """``people`` staff in every one of ``cycles`` cycles, one reviewer each for all cycles, sex fixed;
    a persistent minority ("strugglers") not progressing nearly every year, no group or reviewer effect."""
    rng = np.random.default_rng(seed)
    struggler = rng.random(people) < strugglers
    women = rng.random(people) < 0.5
    reviewer = rng.integers(0, 4, size=people)
    rows = []
    for c in range(cycles):
        no = np.where(struggler, rng.random(people) < 0.9, rng.random(people) < 0.03)
        for i in range(people):
            rows.append({"staff_id": f"S{i:03d}", "cycle": f"{2023 + c}/{24 + c}", "role_group": "teacher",
                         "peer_group": "teacher, classroom teacher, any experience",
                         "reviewer_id": f"R{reviewer[i]}", "reviewer_name": f"Reviewer {reviewer[i]}",
                         "sex": "female" if women[i] else "male", "ethnicity_group": pd.NA, "disability": pd.NA,
                         "age_band": pd.NA, "part_time": pd.NA, "pregnancy_maternity": pd.NA,
                         "religion_belief": pd.NA, "sexual_orientation": pd.NA,
                         "pay_outcome": "no_progress" if no[i] else "progress",
                         "pay_recommended": "no_progress" if no[i] else "progress",
                         "assessment": "partly_met" if no[i] else "met", "n_objectives": 3,
                         "development_agreed": np.nan, "development_not_provided": np.nan})
    return pd.DataFrame(rows)


def test_person_sum_test_with_one_cycle_is_the_stratified_exact_distribution():
    # one cycle, 0/1 outcomes: the permutation distribution is the hypergeometric one; p by doubling the tail
    person = np.array([f"P{i}" for i in range(10)], dtype=object)
    focus = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], dtype=bool)
    event = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0, 1])
    t = person_sum_test(person, np.full(10, "2025/26", dtype=object), np.full(10, "a", dtype=object), focus, event)
    # P(X >= 3), X ~ hypergeometric(10 people, 4 events, 4 drawn) = (C(4,3)C(6,1) + C(4,4)) / C(10,4) = 25/210
    assert abs(t.upper_tail - 25 / 210) < 1e-12
    assert abs(t.p_value - 2 * 25 / 210) < 1e-12
    assert abs(t.expected - stratified_exact([(4, 6, 4)], 3).expected) < 1e-12


def test_a_person_in_three_cycles_is_one_unit():
    # the same person three times with the same outcome is one value of 3, not three values of 1
    person = np.array(["A", "A", "A", "B", "B", "B", "C", "C", "C"], dtype=object)
    cycle = np.array(["1", "2", "3"] * 3, dtype=object)
    focus = np.array([True] * 3 + [False] * 6)
    event = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0])
    t = person_sum_test(person, cycle, np.full(9, "a", dtype=object), focus, event)
    # three units with values 3, 0, 0; the group is one of them: P(total = 3) = 1/3
    assert abs(t.upper_tail - 1 / 3) < 1e-12
    assert abs(t.p_min - 2 / 3) < 1e-12


def _false_flag_rate(kind: str, sims: int) -> float:
    hits = 0
    for s in range(sims):
        st = persistent_school(1000 + s)
        if kind == "equality":
            d = compare_groups(st, SETTINGS, explain=False)
            d = d[d["flag_type"] == "equality_pay"]
        else:
            d = compare_reviewers(st, SETTINGS, explain=False)
            d = d[d["flag_type"] == "reviewer_pay"]
        hits += bool((d["verdict"] == "flag").any())
    return hits / sims


def test_pooled_equality_keeps_its_false_flag_rate_with_persistent_people():
    # counting person-cycles as independent flags about a fifth of these schools; by person, at most 5%
    assert _false_flag_rate("equality", 150) <= 0.07


def test_pooled_reviewers_keep_their_false_flag_rate_with_persistent_people():
    assert _false_flag_rate("reviewers", 150) <= 0.07
