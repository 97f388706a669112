"""The school year: each staff group's cycle, ages and age bands, and the policy's defaults, worked out once.

Every figure is written out by hand from the policy (§4.1: teachers by 31 October, the head by 31 December,
support staff's cycle "ending on 31st March in each year"; Appendix 3 ¶4: "three hours per cycle").
"""

from __future__ import annotations

import pandas as pd
import pytest

from pmreport.compliance import run_checks
from pmreport.compliance.rules.base import with_parameters
from pmreport.disclosure import microdata_from_school
from pmreport.school_year import AGE_BANDS, SchoolYear, age_band, ages_at, policy_default
from tests.support.school_rows import school_data

CYCLE = "2025/26"
SCHOOL = {"urn": "118234", "school_name": "Year Test School", "phase": "primary", "local_authority": "Kent",
          "cycle": CYCLE, "cycle_start": "2025-09-01", "cycle_end": "2026-08-31"}
SUPPORT = {"role_group": "support", "responsibility": "support", "pay_range": "support", "qts": False}


def test_the_policy_dates_where_the_school_gives_none() -> None:
    year = SchoolYear.of(CYCLE)
    assert (year.start, year.end) == (pd.Timestamp("2025-09-01"), pd.Timestamp("2026-08-31"))
    assert year.setting("teacher_deadline") == pd.Timestamp("2025-10-31")
    assert year.setting("head_deadline") == pd.Timestamp("2025-12-31")
    assert year.support_end == pd.Timestamp("2026-08-31")  # no support_cycle_end: the teachers' cycle
    assert year.bounds("support") == (pd.Timestamp("2025-09-01"), pd.Timestamp("2026-08-31"))
    assert year.setting("observation_cap_hours") == 3 == policy_default("observation_cap_hours")
    assert year.setting("starter_meeting_days") == 60
    assert year.setting("moderation_sample_fraction") == 0.2
    assert year.setting("max_reviewees") is None  # the policy sets no maximum


def test_support_staff_follow_their_own_cycle_april_to_march() -> None:
    year = SchoolYear.of(CYCLE, SCHOOL | {"support_cycle_end": "2026-03-31", "observation_cap_hours": 2.5})
    assert year.bounds("support") == (pd.Timestamp("2025-04-01"), pd.Timestamp("2026-03-31"))
    assert year.bounds("teacher") == year.bounds("headteacher") == (pd.Timestamp("2025-09-01"),
                                                                   pd.Timestamp("2026-08-31"))
    first, last = year.own_cycles(pd.Series(["teacher", "support", None]))
    assert first.tolist() == [pd.Timestamp("2025-09-01"), pd.Timestamp("2025-04-01"), pd.Timestamp("2025-09-01")]
    assert last.tolist() == [pd.Timestamp("2026-08-31"), pd.Timestamp("2026-03-31"), pd.Timestamp("2026-08-31")]
    assert year.setting("observation_cap_hours") == 2.5


def test_another_cycles_row_lends_its_settings_but_not_its_dates() -> None:
    row = SCHOOL | {"cycle": "2024/25", "cycle_start": "2024-09-02", "cycle_end": "2025-08-29",
                    "teacher_deadline": "2024-10-25", "max_reviewees": 4}
    year = SchoolYear.of(CYCLE, row)
    assert (year.start, year.end) == (pd.Timestamp("2025-09-01"), pd.Timestamp("2026-08-31"))
    assert year.setting("teacher_deadline") == pd.Timestamp("2025-10-31")
    assert year.setting("max_reviewees") == 4


def test_ages_at_the_start_of_the_cycle_and_their_bands() -> None:
    staff = pd.DataFrame({"date_of_birth": pd.to_datetime(["1975-09-01", "1975-09-02", None, "1996-01-15", None]),
                          "age": [None, None, 61, None, None]})
    ages = ages_at(staff, pd.Timestamp("2025-09-01"))
    # 1 Sep 1975 is 50 on 1 Sep 2025; born a day later, still 49; the age recorded where no date of birth;
    # 15 Jan 1996 is 29 on 1 Sep 2025; nothing recorded: not known
    assert ages.tolist()[:4] == [50, 49, 61, 29] and pd.isna(ages.iloc[4])
    assert [age_band(a) for a in ages] == ["50_59", "40_49", "60_and_over", "under_30", "not_known"]
    assert [age_band(a) for a in (29, 30, 39, 40, 59, 60)] == [
        "under_30", "30_39", "30_39", "40_49", "50_59", "60_and_over"]
    assert AGE_BANDS == ("under_30", "30_39", "40_49", "50_59", "60_and_over")


def test_the_gates_microdata_uses_each_persons_own_cycle() -> None:
    """§4.1: support staff's cycle ends on 31 March. A support assistant whose contract began on 13 April 2026
    was not employed during their cycle (1 April 2025 to 31 March 2026), though the teachers' cycle ran on to 31
    August; a teacher starting the same day is in scope. The gate's microdata says what the compliance engine says."""
    staff = [{"staff_id": "H", "role_group": "headteacher", "responsibility": "headteacher", "pay_range": "leadership"},
             {"staff_id": "SA", "contract_start": "2026-04-13"} | SUPPORT,
             {"staff_id": "TA", "contract_start": "2026-04-13"}]
    data = school_data(school=[SCHOOL | {"support_cycle_end": "2026-03-31"}], staff=staff)
    md = microdata_from_school(data, salt="fixed")
    reasons = run_checks(data).staff.set_index("staff_id")["scope_reason"]
    assert reasons["SA"] == "not_employed" and pd.isna(reasons["TA"])
    frame = md.frame.sort_values("role_group")
    by_role = dict(zip(frame["role_group"], frame["scope_reason"], strict=True))
    assert by_role == {"headteacher": "in_scope", "support": "not_employed", "teacher": "in_scope"}


def test_rule_words_take_n_from_the_rules_parameters() -> None:
    from pmreport.compliance import get_rule

    assert with_parameters("within {working_days} working days", {"working_days": 7}) == "within 7 working days"
    assert with_parameters("{hours:g} hours", {"hours": 2.5}) == "2.5 hours"
    with pytest.raises(ValueError, match="working_days"):
        with_parameters("within {working_days} working days", {})
    final = get_rule("final_statement")
    assert final.defaults["working_days"] == 10
    assert final.title == "Final statement signed within 10 working days of the meeting"
    assert "no later than 10 working days after the meeting" in final.method
    cap = get_rule("observation_cap")
    assert cap.title == "Observation for performance management within 3 hours a cycle, pro rata"
