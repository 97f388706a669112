"""Moderation: peer groups and their flags, reviewers, equality, the option (b) sample."""

from __future__ import annotations

import json
import math
from datetime import date

import pandas as pd
import pytest

from pmreport.moderation import FLAG_TYPES, ModerationSettings, run_moderation
from pmreport.moderation.peers import _segments
from pmreport.moderation.sample_check import draw_sample, moderation_due, sample_size
from pmreport.moderation.text import values_words
from pmreport.school_year import working_calendar
from tests.support.school_rows import school_data

CYCLE = "2025/26"
SCHOOL = [{"urn": "118234", "school_name": "Oakfield", "phase": "primary", "cycle": CYCLE,
           "cycle_start": "2025-09-01", "cycle_end": "2026-08-31", "moderation_option": "sample",
           "moderation_sample_fraction": 0.3}]


def _school(staff, reviews, objectives=(), **other):
    return school_data(school=SCHOOL, staff=staff, reviews=reviews, objectives=list(objectives), **other)


def _objectives(staff_id, n, **kw):
    return [{"staff_id": staff_id, "cycle": CYCLE, "objective_no": i + 1, "category": "teaching_practice",
             "linked_to_priority": True, "agreed": True} | kw for i in range(n)]


# -- peer groups ------------------------------------------------------------------------------


def test_adjacent_bands_are_merged_until_big_enough():
    # bands 0..3 with 2, 6, 1 and 7 statements: band 2 joins band 1 (the smaller neighbour),
    # then band 0 joins them.
    assert _segments({0: 2, 1: 6, 2: 1, 3: 7}, 5) == [[0, 1, 2], [3]]
    assert _segments({0: 5, 3: 9}, 5) == [[0], [3]]
    assert _segments({1: 2}, 5) == [[1]]


def test_values_in_words():
    assert values_words([2, 3, 3, 2]) == "2 or 3"
    assert values_words([3, 3, 3]) == "all 3"
    assert values_words([1, 2, 3, 4, 5]) == "between 1 and 5 (middle value 3)"


def _peer_school(extra_objectives=6):
    staff = [{"staff_id": f"T{i}", "name": f"Teacher {i}", "years_experience": 12 + i} for i in range(8)]
    staff += [{"staff_id": "H", "name": "Head", "role_group": "headteacher", "responsibility": "headteacher",
               "pay_range": "leadership"},
              {"staff_id": "S1", "name": "Senior 1", "responsibility": "senior_leader", "years_experience": 15},
              {"staff_id": "S2", "name": "Senior 2", "responsibility": "senior_leader", "years_experience": 20}]
    reviews = [{"staff_id": s["staff_id"], "cycle": CYCLE, "reviewer_id": "H" if s["staff_id"] != "H" else "GOV",
                "meeting_date": "2025-10-03"} for s in staff]
    objectives = [o for i in range(8) for o in _objectives(f"T{i}", extra_objectives if i == 0 else 3)]
    objectives += _objectives("S1", 3) + _objectives("S2", 3) + _objectives("H", 3)
    return _school(staff, reviews, objectives)


def test_statement_with_many_more_objectives_is_a_point_to_look_at_not_a_flag():
    # 6 objectives where the 7 peers have 3: a gap that matters, but in a peer group of 8 the most
    # unusual statement comes up by chance 1 time in 8 on each side (p = 2/8), whatever spread is
    # assumed, so it cannot be "unlikely to be chance"
    result = run_moderation(_peer_school(6), seed=1, as_of=date(2025, 12, 1))
    assert "peer_objectives" not in result.flagged_types()
    notes = result.notes
    row = notes[notes["flag_type"] == "peer_objectives"]
    assert row["staff_id"].tolist() == ["T0"]
    reason = row["reason"].iloc[0]
    assert reason.startswith("6 objectives where 7 similar colleagues (teacher, classroom teacher, 11+ years) have all 3")
    assert "comes up by chance 2 times in 8, so no test can tell" in reason
    peers = result.peers.set_index(["flag_type", "staff_id"])
    assert peers.loc[("peer_objectives", "T0"), "p_value"] == pytest.approx(2 / 8)
    assert peers.loc[("peer_objectives", "T0"), "p_min"] == pytest.approx(2 / 8)
    assert math.isnan(peers.loc[("peer_objectives", "T0"), "p_adjusted"])
    # the senior leaders and the head are too few to compare
    assert peers.loc[("peer_objectives", "S1"), "verdict"] == "too few to compare"
    assert peers.loc[("peer_objectives", "H"), "verdict"] == "too few to compare"
    assert "too few similar colleagues" in peers.loc[("peer_objectives", "S1"), "reason"]


def test_one_extra_objective_is_not_flagged():
    result = run_moderation(_peer_school(4), seed=1, as_of=date(2025, 12, 1))
    assert "peer_objectives" not in result.flagged_types()
    peers = result.peers.set_index(["flag_type", "staff_id"])
    assert peers.loc[("peer_objectives", "T0"), "verdict"] == "in line with peers"
    assert peers.loc[("peer_objectives", "T0"), "reason"].startswith("4 objectives where 7 similar colleagues")


def test_determined_objectives_use_fishers_test_on_objectives():
    data = _peer_school(3)
    obj = data.tables["objectives"]
    obj.loc[obj["staff_id"] == "T0", "agreed"] = False  # all 3 of T0's determined; none of the 21 of peers
    result = run_moderation(data, seed=1, as_of=date(2025, 12, 1))
    peers = result.peers.set_index(["flag_type", "staff_id"])
    row = peers.loc[("peer_determined", "T0")]
    # Fisher: 3 of T0's 3 against 0 of 21; P = 1 / C(24, 3) = 1/2024 for the table seen
    assert row["p_value"] == pytest.approx(1 / math.comb(24, 3))
    assert row["verdict"] == "flag"
    assert row["reason"].startswith("3 of 3 objectives (100%) determined by the reviewer without agreement")


# -- reviewers --------------------------------------------------------------------------------


def _reviewer_school(harsh_no_progress=9, harsh_n=12, other_no_progress=1, other_n=24):
    staff, reviews = [{"staff_id": "H", "role_group": "headteacher", "responsibility": "headteacher"}], []
    staff += [{"staff_id": r, "name": f"Reviewer {r}", "responsibility": "senior_leader"} for r in ("R1", "R2", "R3")]
    k = 0
    for reviewer, n, no in (("R1", harsh_n, harsh_no_progress), ("R2", other_n // 2, other_no_progress),
                            ("R3", other_n - other_n // 2, 0)):
        for j in range(n):
            sid = f"P{k:03d}"
            k += 1
            staff.append({"staff_id": sid, "name": f"Person {sid}", "years_experience": 4,
                          "sex": "female" if k % 2 else "male"})
            reviews.append({"staff_id": sid, "cycle": CYCLE, "reviewer_id": reviewer, "assessment": "met",
                            "pay_eligible": True, "pay_recommendation": "no_progress" if j < no else "progress",
                            "meeting_date": "2025-10-06"})
    return _school(staff, reviews)


def test_harsh_reviewer_is_flagged_after_allowing_for_mix():
    result = run_moderation(_reviewer_school(), seed=1, as_of=date(2025, 12, 1))
    rev = result.reviewers.set_index(["flag_type", "reviewer_id"])
    r1 = rev.loc[("reviewer_pay", "R1")]
    assert r1["verdict"] == "flag"
    # one peer group, so the test is Fisher's exact test of 9/12 against 1/24
    from scipy.stats import fisher_exact

    assert r1["p_value"] == pytest.approx(fisher_exact([[9, 3], [1, 23]]).pvalue)
    assert "Reviewer R1 (R1) recommended no pay progression for 9 of 12 pay-eligible reviewees (75%)" in r1["reason"]
    assert "Unlikely to be chance" in r1["reason"]
    assert rev.loc[("reviewer_pay", "R2"), "verdict"] != "flag"


def test_reviewer_with_few_reviewees_is_too_few_to_say():
    result = run_moderation(_reviewer_school(harsh_no_progress=2, harsh_n=2), seed=1, as_of=date(2025, 12, 1))
    r1 = result.reviewers.set_index(["flag_type", "reviewer_id"]).loc[("reviewer_pay", "R1")]
    assert r1["verdict"] == "too few to say"
    assert "too few to say" in r1["reason"]


# -- equality ---------------------------------------------------------------------------------


def _equality_school(women, men):
    """women/men: lists of pay outcomes (True = progress) for pay-eligible teachers."""
    staff, reviews = [{"staff_id": "H", "role_group": "headteacher", "responsibility": "headteacher"}], []
    for sex, outcomes in (("female", women), ("male", men)):
        for j, progress in enumerate(outcomes):
            sid = f"{sex[0]}{j:03d}"
            staff.append({"staff_id": sid, "sex": sex, "years_experience": 5})
            reviews.append({"staff_id": sid, "cycle": CYCLE, "reviewer_id": "H", "assessment": "met",
                            "pay_eligible": True, "pay_recommendation": "progress" if progress else "no_progress"})
    return _school(staff, reviews)


def test_clear_pay_gap_is_flagged_with_interval():
    result = run_moderation(_equality_school([True] * 2 + [False] * 10, [True] * 12), seed=1, as_of=date(2025, 12, 1))
    eq = result.equality.set_index(["flag_type", "characteristic"])
    row = eq.loc[("equality_pay", "sex")]
    assert row["verdict"] == "flag"
    assert (row["events_group"], row["n_group"], row["events_comparison"], row["n_comparison"]) == (2, 12, 12, 12)
    assert row["rate_ratio"] == pytest.approx((2.5 / 13) / (12.5 / 13))  # Haldane: a cell is empty
    assert row["rr_high"] < 1
    assert "women: 2 of 12 (17%" in row["reason"] and "rate ratio" in row["reason"]
    assert result.aggregates()["equality"].filter(like="name").empty


def test_tiny_groups_are_too_few_to_say():
    result = run_moderation(_equality_school([False, False], [True] * 10), seed=1, as_of=date(2025, 12, 1))
    row = result.equality.set_index(["flag_type", "characteristic"]).loc[("equality_pay", "sex")]
    assert row["verdict"] == "too few to say"
    assert "Too few to say" in row["reason"]
    assert math.isnan(row["p_adjusted"])


def test_no_flag_when_everyone_progresses():
    result = run_moderation(_equality_school([True] * 8, [True] * 8), seed=1, as_of=date(2025, 12, 1))
    row = result.equality.set_index(["flag_type", "characteristic"]).loc[("equality_pay", "sex")]
    # every split of 16 progressions over 8 + 8 people is the same: nothing could ever stand out
    assert row["verdict"] == "too few to say"


# -- option (b) sample and the deadline ------------------------------------------------------


def _sample_frame():
    rows = []
    for i in range(30):
        rows.append({"staff_id": f"S{i:02d}", "reviewer_id": ["A", "B", "C"][i % 3],
                     "peer_group": "big group" if i < 20 else "small group", "role_group": "teacher"})
    return pd.DataFrame(rows)


def test_sample_is_reproducible_and_order_free():
    st = _sample_frame()
    settings = ModerationSettings()
    a = draw_sample(st, 0.3, seed=7, settings=settings)["staff_id"].tolist()
    b = draw_sample(st.sample(frac=1, random_state=3), 0.3, seed=7, settings=settings)["staff_id"].tolist()
    assert a == b
    others = {tuple(draw_sample(st, 0.3, seed=s, settings=settings)["staff_id"]) for s in range(8)}
    assert len(others) > 1


def test_sample_is_stratified_by_peer_group_and_reviewer():
    st = _sample_frame()
    settings = ModerationSettings()
    for seed in range(20):
        s = draw_sample(st, 0.3, seed=seed, settings=settings)
        assert len(s) == sample_size(30, 0.3) == 9
        per_group = s["peer_group"].value_counts()
        assert per_group["big group"] in (5, 6, 7) and per_group["small group"] in (2, 3, 4)
        assert set(s["reviewer_id"]) == {"A", "B", "C"}
        assert (s["sample_reason"] == "random draw").all()


def test_every_reviewer_gets_a_statement_in_the_sample():
    st = _sample_frame()
    st.loc[29, "reviewer_id"] = "LONE"
    s = draw_sample(st, 0.1, seed=1, settings=ModerationSettings())
    assert "LONE" in set(s["reviewer_id"])


def test_moderation_due_on_tenth_working_day():
    # Meeting Friday 3 October 2025: 6-10 Oct (5), 13-17 Oct (10): due Friday 17 October.
    st = pd.DataFrame({"meeting_date": pd.to_datetime(["2025-10-03", "2025-10-03", None])})

    def calendar(*rows: dict) -> pd.DataFrame:
        return school_data(school=SCHOOL, calendar=list(rows)).tables["calendar"]

    due = moderation_due(st, working_calendar(calendar()), 10)
    assert due.iloc[0] == pd.Timestamp("2025-10-17")
    assert pd.isna(due.iloc[2])
    # the school closed on Monday 13 October: 6-10 (5), 14-17 (9), 20 Oct (10)
    closed = moderation_due(st, working_calendar(calendar({"start_date": "2025-10-13", "kind": "closure"})), 10)
    assert closed.iloc[0] == pd.Timestamp("2025-10-20")
    # an INSET day is a working day for staff: still due on 17 October
    inset = moderation_due(st, working_calendar(calendar({"start_date": "2025-10-13", "kind": "inset"})), 10)
    assert inset.iloc[0] == pd.Timestamp("2025-10-17")


def test_run_moderation_counts_inset_days_as_working_days():
    """Moderation's due date uses the calendar kinds as the compliance rules do: a statement whose meeting was on
    Friday 3 October 2025 is due on Friday 17 October even with an INSET day on Monday 13 October."""
    data = _peer_school(3)
    data.tables["calendar"] = school_data(school=SCHOOL, calendar=[{"start_date": "2025-10-13", "kind": "inset"}]
                                          ).tables["calendar"]
    rev = data.tables["reviews"]
    rev["meeting_date"] = pd.Timestamp("2025-10-03")
    rev["moderation_date"] = pd.Timestamp("2025-10-17")
    st = run_moderation(data, seed=11, as_of=date(2025, 12, 1)).statements
    assert set(st["moderation_due"]) == {pd.Timestamp("2025-10-17")}
    assert set(st["moderation_status"]) == {"moderated in time"}


def test_run_moderation_sample_and_json():
    data = _peer_school(3)
    rev = data.tables["reviews"]
    rev["moderation_date"] = pd.to_datetime(["2025-10-20"] + ["2025-10-10"] * (len(rev) - 1))
    result = run_moderation(data, seed=11, as_of=date(2025, 12, 1))
    st = result.statements.set_index("staff_id")
    assert st.loc["T0", "moderation_status"] == "moderated late"
    assert st.loc["T1", "moderation_status"] == "moderated in time"
    assert "H" not in set(result.sample["staff_id"])  # the head's statement is for the governors
    assert len(result.sample) >= math.ceil(0.3 * 10)
    again = run_moderation(data, seed=11, as_of=date(2025, 12, 1))
    assert again.sample["staff_id"].tolist() == result.sample["staff_id"].tolist()
    doc = json.loads(result.to_json())
    assert doc["cycle"] == CYCLE and doc["seed"] == 11
    assert {r["flag_type"] for r in doc["flag_counts"]} == set(FLAG_TYPES)
    agg = result.aggregates()
    for name, table in agg.items():
        assert not {"staff_id", "name", "reviewer_id", "reviewer_name"} & set(table.columns), name


def test_unknown_cycle_is_a_clear_error():
    from pmreport.errors import InputUnusable

    with pytest.raises(InputUnusable, match="no cycle 2030/31"):
        run_moderation(_peer_school(3), cycle="2030/31")
