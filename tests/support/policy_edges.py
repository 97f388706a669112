"""A school workbook of the model policy's edges, and the breaches the policy text says it holds.

Built by hand from the policy text (../shared/seeds/002_60da4eab18fee045.txt), not from the engine:
each case names its section, and the working days are counted by hand in the comments. The cycle
is 2025/26 (1 September 2025 to 31 August 2026), checked as of Friday 15 May 2026.

Calendar: half term Monday 27 to Friday 31 October 2025 (holiday), an INSET day on Monday 3
November 2025 (staff work: a working day), Christmas 22 December 2025 to 2 January 2026 (holiday).
Bank holidays that matter: 25, 26 December 2025, 1 January, 3 and 6 April, 4 and 25 May 2026.

    python -m tests.support.policy_edges      # print the figures: expected breaches found, false alarms
"""

from __future__ import annotations

from typing import Any

CYCLE = "2025/26"
AS_OF = "2026-05-15"
SCHOOL = {"urn": "118234", "school_name": "Edge Case School", "phase": "primary", "local_authority": "Kent",
          "cycle": CYCLE, "cycle_start": "2025-09-01", "cycle_end": "2026-08-31",
          "support_cycle_end": "2026-03-31",  # §4.1: support staff's cycle ends on 31 March: April to March
          "max_reviewees": 2, "moderation_option": "all"}  # §4.2 maximum; §5 option (a)
CALENDAR = [{"start_date": "2025-10-27", "end_date": "2025-10-31", "kind": "holiday"},
            {"start_date": "2025-11-03", "kind": "inset"},
            {"start_date": "2025-12-22", "end_date": "2026-01-02", "kind": "holiday"}]
HEAD = {"role_group": "headteacher", "responsibility": "headteacher", "pay_range": "leadership"}
SUPPORT = {"role_group": "support", "responsibility": "support", "pay_range": "support", "qts": False}

#: A compliant review: meeting Monday 6 October 2025; notice Friday 26 September (working days after it up
#: to the meeting: 29, 30 Sep, 1, 2, 3, 6 Oct = 6); draft Friday 10 October (4th working day); final Friday
#: 17 October (9th); moderated on 17 October (the 10th working day is Monday 20 October).
STANDARD = {"meeting_date": "2025-10-06", "notice_date": "2025-09-26", "draft_statement_date": "2025-10-10",
            "final_statement_date": "2025-10-17", "mid_year_review_date": "2026-02-10", "moderated": True,
            "moderation_date": "2025-10-17"}

#: (staff row extras, reviewer, review changes or None for no review): one person per edge.
PEOPLE: dict[str, tuple[dict, str, dict | None]] = {
    # §4.2: the governing body reviews the head; here the deputy D1 does (head_reviewer breached). Meeting
    # Monday 10 November; notice Monday 3 November (4, 5, 6, 7, 10 Nov = 5); draft 14 Nov (4th); final 21 Nov (9th).
    "H": (HEAD, "D1", {"meeting_date": "2025-11-10", "notice_date": "2025-11-03", "draft_statement_date": "2025-11-14",
                       "final_statement_date": "2025-11-21", "moderated": False, "moderation_date": None}),
    # D1 reviews TA, TB and the head: the head's review is not in D1's load, so 2 = the maximum (met).
    "D1": ({"responsibility": "senior_leader"}, "H", {}),
    "TA": ({}, "D1", {}),
    "TB": ({}, "D1", {}),
    "TX": ({}, "H", {}),
    # §3, §4.1: a permanent teacher starting on Monday 13 April 2026 is in scope. Meeting Monday 20 April;
    # notice 13 April (14, 15, 16, 17, 20 = 5). Final statement: the 10th working day after 20 April is
    # 21, 22, 23, 24, 27, 28, 29, 30 Apr, 1 May, (4 May bank holiday), 5 May: 6 May is late.
    "S1": ({"contract_start": "2026-04-13"}, "H", {
        "meeting_date": "2026-04-20", "notice_date": "2026-04-13", "draft_statement_date": "2026-04-24",
        "final_statement_date": "2026-05-06", "mid_year_review_date": None, "moderation_date": "2026-04-24"}),
    # §3: permanent from Monday 9 March 2026 (a contract, not a start date): no review at all.
    "S2": ({"contract_start": "2026-03-09"}, "H", None),
    # §4.1: joined Monday 3 November 2025; the first meeting is due 60 days after (2 January 2026): 12 January
    # is late. Notice Friday 2 January (5, 6, 7, 8, 9, 12 Jan = 6); draft 16 Jan (4th); final 23 Jan (9th).
    "S3": ({"contract_start": "2025-11-03"}, "H", {
        "meeting_date": "2026-01-12", "notice_date": "2026-01-02", "draft_statement_date": "2026-01-16",
        "final_statement_date": "2026-01-23", "mid_year_review_date": "2026-03-10", "moderation_date": "2026-01-23"}),
    # §3: a fixed-term contract of 165 days (under two terms): out of scope, its late statement is no breach.
    "S4": ({"contract_type": "fixed_term", "contract_start": "2025-09-01", "contract_end": "2026-02-13"}, "H",
           {"final_statement_date": "2025-11-20"}),
    # §4.9 across half term and an INSET day: meeting Friday 24 October; the 5th working day after is
    # 3 (INSET), 4, 5, 6, 7 November: a draft on Monday 10 November is late. Notice 16 Oct (17, 20-24 = 6);
    # final 7 Nov (the 10th working day is 14 Nov).
    "S5": ({}, "H", {"meeting_date": "2025-10-24", "notice_date": "2025-10-16", "draft_statement_date": "2025-11-10",
                     "final_statement_date": "2025-11-07", "moderation_date": "2025-11-07"}),
    # §4.3 with an INSET day (support staff: deadline 31 March). Notice Thursday 23 October, meeting Thursday
    # 6 November: 24 Oct, 3 (INSET), 4, 5, 6 Nov = 5 working days: met. Draft 7 Nov; final 14 Nov.
    "S6": (SUPPORT, "H", {"meeting_date": "2025-11-06", "notice_date": "2025-10-23",
                          "draft_statement_date": "2025-11-07", "final_statement_date": "2025-11-14",
                          "moderation_date": "2025-11-14"}),
    # §4.9: meeting Friday 17 October; the 10th working day after is 20-24 Oct (5), 3 Nov INSET (6), 4-7 Nov
    # (10): a final statement on Monday 10 November is late. Notice 9 Oct (10, 13-17 = 6); draft 24 Oct (5th).
    "L2": ({}, "H", {"meeting_date": "2025-10-17", "notice_date": "2025-10-09", "draft_statement_date": "2025-10-24",
                     "final_statement_date": "2025-11-10", "moderation_date": "2025-10-24"}),
    # §4.1: a teacher's meeting on Monday 3 November (an INSET day) is after 31 October. Notice 16 Oct
    # (17, 20-24, 3 Nov = 7); draft 7 Nov; final 14 Nov; moderated 14 Nov (the 10th working day is 17 Nov).
    "L1": ({}, "H", {"meeting_date": "2025-11-03", "notice_date": "2025-10-16", "draft_statement_date": "2025-11-07",
                     "final_statement_date": "2025-11-14", "moderation_date": "2025-11-14"}),
    # §4.1, §4.8: support staff's cycle is April 2025 to March 2026: July 2025 is in it, June 2026 is not.
    "SS1": (SUPPORT, "H", {"mid_year_review_date": "2025-07-15"}),
    "SS2": (SUPPORT, "H", {"mid_year_review_date": "2026-06-10"}),
    # NUT circular: a teacher reviewing support staff is a workload indicator (worth a look), not a breach.
    "SS3": (SUPPORT, "TX", {}),
    # §4.8: no mid-year review, and the support cycle ended on 31 March, before the run date: not recorded.
    "SS4": (SUPPORT, "H", {"mid_year_review_date": None}),
    # §5 option (a): the school moderates all teachers' statements; this one was not moderated.
    "M1": ({}, "H", {"moderated": False, "moderation_date": None}),
    # §8: moderated Friday 17 October. AP1's appeal was lodged 10 October and heard and decided on Monday 3
    # November (deferred: met); AP2's was lodged 8 October and heard and decided 15 October, before moderation
    # was complete; AP3's was lodged 8 October, heard on Thursday 16 October (the working day before moderation)
    # and decided on Monday 20 October: heard before moderation, so a breach although decided after it.
    "AP1": ({}, "H", {}),
    "AP2": ({}, "H", {}),
    "AP3": ({}, "H", {}),
    # §4.9: a final statement dated 1 June 2026, after the run date: by 15 May the last day allowed
    # (20 October 2025) had long passed.
    "F1": ({}, "H", {"final_statement_date": "2026-06-01"}),
    # App. 3: observed teachers (see OBSERVATIONS).
    "O1": ({}, "H", {}),
    "O2": ({}, "H", {}),
    "C1": ({"fte": 0.7}, "H", {}),
    "C2": ({"fte": 0.7}, "H", {}),
}


def _observation(staff_id: str, day: str, notice: str, feedback: str, record: str, minutes: int = 60,
                 in_plan: bool = True) -> dict:
    return {"staff_id": staff_id, "cycle": CYCLE, "observation_date": day, "duration_minutes": minutes,
            "purpose": "performance_management", "observer_id": "H", "notice_date": notice, "feedback_date": feedback,
            "record_date": record, "in_plan": in_plan}


OBSERVATIONS = [
    # App. 3 ¶3, ¶5: not in the plan (Tuesday 20 January 2026; notice 12 January, 8 days; feedback next day).
    _observation("O1", "2026-01-20", "2026-01-12", "2026-01-21", "2026-01-23", in_plan=False),
    # App. 3 ¶5: notice on Wednesday 14 January, 6 days before: under a week.
    _observation("O2", "2026-01-20", "2026-01-14", "2026-01-21", "2026-01-23"),
    # App. 3 ¶4: 0.7 FTE caps at 3 × 60 × 0.7 = 126 minutes: 63 + 63 is at the cap, 63 + 64 over it.
    _observation("C1", "2025-11-18", "2025-11-10", "2025-11-19", "2025-11-20", minutes=63),
    _observation("C1", "2026-01-20", "2026-01-12", "2026-01-21", "2026-01-23", minutes=63),
    _observation("C2", "2025-11-18", "2025-11-10", "2025-11-19", "2025-11-20", minutes=63),
    _observation("C2", "2026-01-20", "2026-01-12", "2026-01-21", "2026-01-23", minutes=64),
]

APPEALS = [
    {"staff_id": "AP1", "cycle": CYCLE, "lodged_date": "2025-10-10", "heard_date": "2025-11-03", "stage": "formal",
     "subject": "objectives", "outcome": "not_upheld", "outcome_date": "2025-11-03"},
    {"staff_id": "AP2", "cycle": CYCLE, "lodged_date": "2025-10-08", "heard_date": "2025-10-15", "stage": "formal",
     "subject": "objectives", "outcome": "not_upheld", "outcome_date": "2025-10-15"},
    {"staff_id": "AP3", "cycle": CYCLE, "lodged_date": "2025-10-08", "heard_date": "2025-10-16", "stage": "formal",
     "subject": "pay", "outcome": "upheld", "outcome_date": "2025-10-20"},
]

#: Every breach of a requirement the policy text gives this school: (rule, staff id; the reviewer's for
#: reviewer_load). Nothing else is a breach.
EXPECTED_BREACHES = {
    ("head_reviewer", "H"), ("reviewer_load", "H"),           # H reviews 18 people; the maximum is 2
    ("final_statement", "S1"), ("coverage", "S2"), ("deadline", "S3"), ("draft_statement", "S5"),
    ("final_statement", "L2"), ("deadline", "L1"), ("mid_year", "SS2"), ("moderation_timely", "M1"),
    ("appeal_after_moderation", "AP2"), ("appeal_after_moderation", "AP3"), ("final_statement", "F1"),
    ("observation_in_plan", "O1"),
    ("observation_notice", "O2"), ("observation_cap", "C2"),
}
#: What the workload indicators should flag: worth a look, never a breach.
EXPECTED_WORTH_A_LOOK = {("teacher_reviews_support", "SS3")}
#: Blank or impossible-yet dates the policy's checks cannot pass (never a pass, never a breach).
EXPECTED_NOT_RECORDED_MID_YEAR = {"S1", "SS4"}


def school() -> Any:
    """The edge-case school as typed tables."""
    from tests.support.school_rows import school_data

    staff, reviews, objectives = [], [], []
    for staff_id, (extra, reviewer, changes) in PEOPLE.items():
        staff.append({"staff_id": staff_id} | extra)
        if changes is None:
            continue
        review = {"staff_id": staff_id, "cycle": CYCLE, "reviewer_id": reviewer} | STANDARD | changes
        reviews.append({k: v for k, v in review.items() if v is not None})
        objectives.append({"staff_id": staff_id, "cycle": CYCLE, "objective_no": 1, "category": "pupil_progress",
                           "linked_to_priority": True, "target_date": "2026-07-17", "agreed": True})
    return school_data(school=[SCHOOL], calendar=CALENDAR, staff=staff, reviews=reviews, objectives=objectives,
                       observations=OBSERVATIONS, appeals=APPEALS)


def breaches_found(result: Any) -> tuple[set, set]:
    """(breaches of requirements, workload indicators flagged) as (rule, staff id) pairs.

    An engine that lists workload indicators among its breaches has them in the first set.
    """
    d = result.detail
    hit = d[d["outcome"] == "breached"]
    pairs = set(zip(hit["rule"], hit["staff_id"], strict=True))
    indicators = {r.id for r in getattr(result, "indicators", ())}
    return {p for p in pairs if p[0] not in indicators}, {p for p in pairs if p[0] in indicators}


def figures() -> dict[str, int]:
    from pmreport.compliance import run_checks

    data = school()
    try:
        result = run_checks(data, as_of=AS_OF)
    except TypeError:  # an engine without a run date
        result = run_checks(data)
    breaches, flagged = breaches_found(result)
    return {"expected": len(EXPECTED_BREACHES), "found": len(breaches & EXPECTED_BREACHES),
            "false_alarms": len(breaches - EXPECTED_BREACHES), "worth_a_look_expected": len(EXPECTED_WORTH_A_LOOK),
            "worth_a_look_found": len(flagged & EXPECTED_WORTH_A_LOOK),
            "missed": sorted(EXPECTED_BREACHES - breaches), "false": sorted(breaches - EXPECTED_BREACHES)}


if __name__ == "__main__":
    for key, value in figures().items():
        print(f"{key}: {value}")
