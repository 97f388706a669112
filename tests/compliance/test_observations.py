"""Lesson observation rules (Appendix 3) against cases worked out by hand."""

from __future__ import annotations

from pmreport.compliance import run_checks
from tests.support.school_rows import school_data

CYCLE = "2025/26"
SCHOOL = {"urn": "118234", "school_name": "Test School", "phase": "primary", "local_authority": "Kent",
          "cycle": CYCLE, "cycle_start": "2025-09-01", "cycle_end": "2026-08-31"}
OBSERVER = {"staff_id": "O", "role_group": "teacher", "responsibility": "senior_leader", "qts": True}


def run(rule: str, observations: list[dict], staff: list[dict], school: dict | None = None, **sheets):
    rows = [{"cycle": CYCLE, "observer_id": "O", "purpose": "performance_management", "duration_minutes": 30} | o
            for o in observations]
    data = school_data(school=[SCHOOL | (school or {})], staff=[OBSERVER, *staff], observations=rows, **sheets)
    return run_checks(data, rules=[rule]).rule_detail(rule)


def by_staff(detail) -> dict[str, str]:
    return dict(zip(detail["staff_id"], detail["outcome"], strict=True))


# -- observation_cap ------------------------------------------------------------------------------

def test_cap_is_pro_rata_to_fte() -> None:
    staff = [{"staff_id": "A", "fte": 0.6}, {"staff_id": "B", "fte": 0.6}, {"staff_id": "C", "fte": 0.7},
             {"staff_id": "D", "fte": 1.0}, {"staff_id": "E", "fte": 1.0}]
    obs = [
        {"staff_id": "A", "duration_minutes": 60}, {"staff_id": "A", "duration_minutes": 48, "purpose": "additional"},
        {"staff_id": "B", "duration_minutes": 60}, {"staff_id": "B", "duration_minutes": 49, "purpose": "additional"},
        {"staff_id": "C", "duration_minutes": 126},   # 3 h x 0.7 = 126 minutes exactly (no floating-point slip)
        {"staff_id": "D", "duration_minutes": 180},
        {"staff_id": "D", "duration_minutes": 60, "purpose": "drop_in"},            # drop-ins do not count
        {"staff_id": "D", "duration_minutes": 60, "purpose": "quality_assurance"},  # nor QA visits
        {"staff_id": "E", "duration_minutes": 181},
    ]
    detail = run("observation_cap", obs, staff)
    assert by_staff(detail) == {"A": "met", "B": "breached", "C": "met", "D": "met", "E": "breached"}
    assert "109 minutes against a cap of 108" in detail.set_index("staff_id").loc["B", "reason"]


def test_cap_uses_the_schools_hours() -> None:
    staff = [{"staff_id": "A", "fte": 0.5}, {"staff_id": "B", "fte": 0.5}]
    obs = [{"staff_id": "A", "duration_minutes": 60}, {"staff_id": "B", "duration_minutes": 61}]
    assert by_staff(run("observation_cap", obs, staff, school={"observation_cap_hours": 2})) == {
        "A": "met", "B": "breached"}


def test_cap_not_recorded_when_a_length_or_fte_is_missing() -> None:
    staff = [{"staff_id": "A"}, {"staff_id": "B"}, {"staff_id": "C", "fte": None}]
    obs = [
        {"staff_id": "A", "duration_minutes": 60}, {"staff_id": "A", "duration_minutes": None},
        {"staff_id": "B", "duration_minutes": 200}, {"staff_id": "B", "duration_minutes": None},  # over anyway
        {"staff_id": "C", "duration_minutes": 30},
    ]
    assert by_staff(run("observation_cap", obs, staff)) == {"A": "not_recorded", "B": "breached",
                                                            "C": "not_recorded"}


# -- observation_notice ---------------------------------------------------------------------------

def test_observation_notice_is_seven_calendar_days() -> None:
    staff = [{"staff_id": s} for s in "ABCDEF"]
    obs = [
        {"staff_id": "A", "observation_date": "2025-11-12", "notice_date": "2025-11-05"},  # 7 days: met
        {"staff_id": "B", "observation_date": "2025-11-12", "notice_date": "2025-11-06"},  # 6 days: breached
        {"staff_id": "C", "observation_date": "2025-11-12", "notice_date": None},
        {"staff_id": "D", "observation_date": "2025-11-12", "notice_date": None, "purpose": "drop_in"},
        {"staff_id": "E", "observation_date": "2025-11-12", "notice_date": "2025-11-06",
         "purpose": "quality_assurance"},                                                    # QA is arranged
        {"staff_id": "F", "observation_date": "2025-11-12", "notice_date": "2025-11-13"},  # after: contradicts
    ]
    assert by_staff(run("observation_notice", obs, staff)) == {
        "A": "met", "B": "breached", "C": "not_recorded", "D": "not_applicable", "E": "breached",
        "F": "not_recorded"}


# -- feedback and record --------------------------------------------------------------------------

def test_observation_feedback_within_one_working_day() -> None:
    staff = [{"staff_id": s} for s in "ABCDEFG"]
    obs = [
        {"staff_id": "A", "observation_date": "2025-11-07", "feedback_date": "2025-11-10"},  # Fri -> Mon
        {"staff_id": "B", "observation_date": "2025-11-07", "feedback_date": "2025-11-11"},  # Fri -> Tue
        {"staff_id": "C", "observation_date": "2025-11-07", "feedback_date": "2025-11-07"},  # same day
        {"staff_id": "D", "observation_date": "2026-04-02", "feedback_date": "2026-04-07"},  # over Easter
        {"staff_id": "E", "observation_date": "2025-10-24", "feedback_date": "2025-11-03"},  # over half term
        {"staff_id": "F", "observation_date": "2025-11-07", "feedback_date": None},
        {"staff_id": "G", "observation_date": "2025-11-07", "feedback_date": "2025-11-10", "purpose": "drop_in"},
    ]
    half_term = [{"start_date": "2025-10-27", "end_date": "2025-10-31", "kind": "holiday"}]
    assert by_staff(run("observation_feedback", obs, staff, calendar=half_term)) == {
        "A": "met", "B": "breached", "C": "met", "D": "met", "E": "met", "F": "not_recorded", "G": "met"}


def test_observation_record_within_five_working_days() -> None:
    staff = [{"staff_id": s} for s in "ABC"]
    obs = [
        {"staff_id": "A", "observation_date": "2025-11-10", "record_date": "2025-11-17"},  # Mon -> next Mon
        {"staff_id": "B", "observation_date": "2025-11-10", "record_date": "2025-11-18"},
        {"staff_id": "C", "observation_date": "2025-12-19", "record_date": "2026-01-02"},
        # Fri 19 Dec: 22, 23, 24, 29, 30 Dec (25, 26 Dec bank holidays) -> 2 Jan is the 7th working day
    ]
    assert by_staff(run("observation_record", obs, staff)) == {"A": "met", "B": "breached", "C": "breached"}


# -- observer_qualified ---------------------------------------------------------------------------

def test_observer_qualified_per_observed_teacher() -> None:
    staff = [
        {"staff_id": "A"}, {"staff_id": "B"}, {"staff_id": "C"}, {"staff_id": "D"},
        {"staff_id": "S", "role_group": "support", "responsibility": "support", "pay_range": "support", "qts": False},
        {"staff_id": "U", "role_group": "teacher", "pay_range": "unqualified", "qts": False},
        {"staff_id": "Q", "qts": None},
    ]
    obs = [
        {"staff_id": "A", "observer_id": "O"},
        {"staff_id": "B", "observer_id": "O"}, {"staff_id": "B", "observer_id": "S"},  # one unqualified: breached
        {"staff_id": "C", "observer_id": "EXTERNAL"},                                  # QTS not known
        {"staff_id": "D", "observer_id": "Q"},                                         # qts blank
        {"staff_id": "S", "observer_id": "U"},   # support staff are not teachers: not a unit of this rule
    ]
    detail = run("observer_qualified", obs, staff)
    assert by_staff(detail) == {"A": "met", "B": "breached", "C": "not_recorded", "D": "not_recorded"}
    assert "observed by S, without QTS" in detail.set_index("staff_id").loc["B", "reason"]


def test_observations_of_staff_out_of_scope_are_not_applicable() -> None:
    staff = [{"staff_id": "N", "induction": True}]
    obs = [{"staff_id": "N", "duration_minutes": 400, "observation_date": "2025-11-12", "notice_date": "2025-11-11"}]
    for rule in ("observation_cap", "observation_notice", "observer_qualified"):
        assert by_staff(run(rule, obs, staff)) == {"N": "not_applicable"}
