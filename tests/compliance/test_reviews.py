"""Rules on the review meeting and statements, against tables of cases worked out by hand.

Cycle 2025/26 runs 1 September 2025 to 31 August 2026. Bank holidays that matter below:
25, 26 Dec 2025; 1 Jan 2026; 3 Apr (Good Friday) and 6 Apr (Easter Monday) 2026; 25 May 2026.
"""

from __future__ import annotations

import pytest

from pmreport.compliance import run_checks
from tests.support.school_rows import school_data

CYCLE = "2025/26"
SCHOOL = {"urn": "118234", "school_name": "Test School", "phase": "primary", "local_authority": "Kent",
          "cycle": CYCLE, "cycle_start": "2025-09-01", "cycle_end": "2026-08-31"}
HALF_TERM = {"start_date": "2025-10-27", "end_date": "2025-10-31", "kind": "holiday"}
CHRISTMAS = {"start_date": "2025-12-22", "end_date": "2026-01-02", "kind": "holiday"}


def outcomes(rule: str, cases: list[dict], school: dict | None = None, staff: dict | None = None,
             **sheets) -> dict[str, str]:
    """Run one rule over one review per case (staff ids T0, T1 ...); staff_id -> outcome."""
    reviews = [{"staff_id": f"T{i}", "cycle": CYCLE, "reviewer_id": "H"} | c for i, c in enumerate(cases)]
    people = [{"staff_id": "H", "role_group": "headteacher", "responsibility": "headteacher"}]
    people += [{"staff_id": f"T{i}"} | (staff or {}).get(f"T{i}", {}) for i in range(len(cases))]
    data = school_data(school=[SCHOOL | (school or {})], staff=people, reviews=reviews, **sheets)
    detail = run_checks(data, rules=[rule]).rule_detail(rule)
    return dict(zip(detail["staff_id"], detail["outcome"], strict=True))


def check_table(rule: str, table: list[tuple], columns: tuple[str, ...], **kwargs) -> None:
    cases = [{c: v for c, v in zip(columns, row[:-1], strict=True) if v is not None} for row in table]
    got = outcomes(rule, cases, **kwargs)
    expected = {f"T{i}": row[-1] for i, row in enumerate(table)}
    assert {k: got[k] for k in expected} == expected


# -- coverage -------------------------------------------------------------------------------------

def test_coverage() -> None:
    staff = [
        {"staff_id": "A"},                                                        # review held: met
        {"staff_id": "B"},                                                        # no review: breached
        {"staff_id": "C"},                                                        # review, no meeting date
        {"staff_id": "N", "induction": True},                                     # out of scope
        {"staff_id": "K", "in_capability": True},                                 # out of scope
        {"staff_id": "F", "contract_type": "fixed_term", "contract_start": "2025-09-01",
         "contract_end": "2026-03-01"},                                           # 181 days: under two terms
        {"staff_id": "G", "contract_type": "fixed_term", "contract_start": "2025-09-01",
         "contract_end": "2026-03-02"},                                           # 182 days: in scope, no review
        # Scope is about the contract, not the start date (§3, §4.1): permanent starters part-way through
        # are in scope, their first meeting due 60 days after they start (2 July + 60 days = 31 August).
        {"staff_id": "L", "contract_start": "2026-03-03"},                        # permanent: in scope, no review
        {"staff_id": "M", "contract_start": "2026-07-02"},                        # due 31 August: no review
        {"staff_id": "P", "contract_start": "2026-07-03"},                        # due 1 September: not yet due
        {"staff_id": "X", "contract_start": "2010-09-01", "contract_end": "2025-08-31"},  # left before the cycle
    ]
    reviews = [{"staff_id": "A", "cycle": CYCLE, "reviewer_id": "A", "meeting_date": "2025-10-01"},
               {"staff_id": "C", "cycle": CYCLE, "reviewer_id": "A"}]
    result = run_checks(school_data(school=[SCHOOL], staff=staff, reviews=reviews), rules=["coverage"])
    d = result.rule_detail("coverage")
    assert dict(zip(d["staff_id"], d["outcome"], strict=True)) == {
        "A": "met", "B": "breached", "C": "not_recorded", "N": "not_applicable", "K": "not_applicable",
        "F": "not_applicable", "G": "breached", "L": "breached", "M": "breached", "P": "not_applicable",
        "X": "not_applicable",
    }
    assert result.scope["out_of_scope_by_reason"] == {"not_employed": 1, "induction": 1, "short_contract": 1,
                                                      "capability": 1}
    assert result.scope["in_scope"] == 7
    assert result.counts("coverage") == {"units": 11, "in_scope": 6, "met": 1, "breached": 4, "not_recorded": 1,
                                         "not_applicable": 5}


def test_long_absence_is_noted_not_excluded() -> None:
    staff = [{"staff_id": "A", "absence_days": 61}, {"staff_id": "B", "absence_days": 60}, {"staff_id": "C"}]
    result = run_checks(school_data(school=[SCHOOL], staff=staff), rules=["coverage"])
    assert result.scope["long_absence_noted"] == 1
    assert result.scope["in_scope"] == 3


# -- deadline -------------------------------------------------------------------------------------

def test_deadline_by_role_group() -> None:
    table = [
        ("2025-10-31", "met"),       # teacher: 31 October is on time
        ("2025-11-01", "breached"),  # 1 November is late
        (None, "not_recorded"),
        ("2025-12-31", "met"),       # headteacher: 31 December
        ("2026-01-01", "breached"),
        ("2026-03-31", "met"),       # support staff: the school's support_cycle_end, 31 March
        ("2026-04-01", "breached"),
        ("2026-01-02", "met"),       # joined 3 November: due 60 days after, 2 January 2026
        ("2026-01-05", "breached"),  # joined 3 November: late
        ("2025-10-31", "met"),       # joined 15 September: 14 November, but never earlier than 31 October
        ("2025-11-14", "met"),       # joined 15 September: 60 days is 14 November
        ("2025-11-15", "breached"),
    ]
    head = {"role_group": "headteacher", "responsibility": "headteacher"}
    support = {"role_group": "support", "responsibility": "support", "pay_range": "support", "qts": False}
    nov, sep = {"contract_start": "2025-11-03"}, {"contract_start": "2025-09-15"}
    staff = {"T3": head, "T4": head, "T5": support, "T6": support, "T7": nov, "T8": nov, "T9": sep, "T10": sep,
             "T11": sep}
    check_table("deadline", table, ("meeting_date",), staff=staff, school={"support_cycle_end": "2026-03-31"})


def test_deadline_uses_the_schools_own_dates() -> None:
    table = [("2025-10-15", "met"), ("2025-10-16", "breached"), ("2026-08-31", "met")]
    support = {"role_group": "support", "responsibility": "support", "pay_range": "support", "qts": False}
    # support staff without support_cycle_end: the cycle's end, 31 August 2026
    check_table("deadline", table, ("meeting_date",), school={"teacher_deadline": "2025-10-15"},
                staff={"T2": support})


# -- notice ---------------------------------------------------------------------------------------

def test_notice() -> None:
    table = [
        ("2025-09-29", "2025-10-06", "met"),       # Tue 30, Wed 1, Thu 2, Fri 3, Mon 6: exactly 5
        ("2025-09-30", "2025-10-06", "breached"),  # 4
        ("2026-05-18", "2026-05-26", "met"),       # 19, 20, 21, 22, 26 May (25 May bank holiday): 5
        ("2026-05-19", "2026-05-26", "breached"),  # 4
        ("2025-10-21", "2025-11-04", "met"),       # 22, 23, 24 Oct, 3, 4 Nov (half term closed): 5
        ("2025-10-22", "2025-11-04", "breached"),  # 4
        ("2025-10-06", "2025-10-06", "breached"),  # notice on the day: 0
        (None, "2025-10-06", "not_recorded"),
        ("2025-09-29", None, "not_recorded"),
        ("2025-10-07", "2025-10-06", "not_recorded"),  # notice after the meeting contradicts the record
    ]
    check_table("notice", table, ("notice_date", "meeting_date"), calendar=[HALF_TERM])


# -- statements -----------------------------------------------------------------------------------

def test_draft_statement() -> None:
    table = [
        ("2025-10-03", "2025-10-10", "met"),       # Friday meeting: 6, 7, 8, 9, 10 Oct
        ("2025-10-03", "2025-10-13", "breached"),
        ("2026-05-22", "2026-06-01", "met"),       # Friday before the spring bank holiday: 26-29 May, 1 June
        ("2026-05-22", "2026-06-02", "breached"),
        ("2026-04-02", "2026-04-13", "met"),       # Easter: 7, 8, 9, 10, 13 April
        ("2026-04-02", "2026-04-14", "breached"),
        ("2025-10-03", "2025-10-03", "met"),       # same day
        ("2025-10-03", None, "not_recorded"),
        (None, "2025-10-10", "not_recorded"),
        ("2025-10-03", "2025-10-02", "not_recorded"),  # draft before the meeting
    ]
    check_table("draft_statement", table, ("meeting_date", "draft_statement_date"))


def test_final_statement_over_christmas_closure() -> None:
    table = [
        # 17 Dec 2025 + 10 working days, school closed 22 Dec - 2 Jan: 18, 19 Dec, 5-9, 12, 13, 14 Jan
        ("2025-12-17", "2026-01-14", "met"),
        ("2025-12-17", "2026-01-15", "breached"),
        ("2025-10-08", "2025-10-22", "met"),       # 9, 10, 13-17, 20, 21, 22 Oct
        ("2025-10-08", "2025-10-23", "breached"),
        ("2025-10-08", None, "not_recorded"),
    ]
    check_table("final_statement", table, ("meeting_date", "final_statement_date"), calendar=[CHRISTMAS])


def test_final_statement_without_closures() -> None:
    # no closures: 18, 19, 22, 23, 24, 29, 30, 31 Dec, 2, 5 Jan
    table = [("2025-12-17", "2026-01-05", "met"), ("2025-12-17", "2026-01-06", "breached")]
    check_table("final_statement", table, ("meeting_date", "final_statement_date"))


# -- mid-year review ------------------------------------------------------------------------------

def test_mid_year() -> None:
    table = [
        ("2026-02-10", "met"),
        ("2025-09-01", "met"),        # first day of the cycle
        ("2026-08-31", "met"),        # last day of the cycle
        ("2025-08-31", "breached"),   # before the cycle
        ("2026-09-01", "breached"),   # after it
        (None, "not_recorded"),
    ]
    check_table("mid_year", table, ("mid_year_review_date",))


# -- moderation -----------------------------------------------------------------------------------

def test_moderation_timely() -> None:
    columns = ("moderated", "meeting_date", "moderation_date", "moderation_outcome", "revision_instructed_date",
               "revised_statement_date")
    m = "2025-10-06"  # Monday; the 10th working day after it is Monday 20 October
    table = [
        (True, m, "2025-10-20", "consistent", None, None, "met"),
        (True, m, "2025-10-21", "consistent", None, None, "breached"),
        (False, m, None, None, None, None, "not_applicable"),
        (None, m, None, None, None, None, "not_applicable"),        # blank and no date: not moderated
        (None, m, "2025-10-21", None, None, None, "breached"),      # blank but dated: moderated
        (True, m, None, None, None, None, "not_recorded"),
        (True, None, "2025-10-20", None, None, None, "not_recorded"),
        # revision instructed Monday 3 November: the 10th working day after is Monday 17 November
        (True, m, "2025-10-20", "revise", "2025-11-03", "2025-11-17", "met"),
        (True, m, "2025-10-20", "revise", "2025-11-03", "2025-11-18", "breached"),
        (True, m, "2025-10-20", "revise", "2025-11-03", None, "not_recorded"),
        (True, m, "2025-10-21", "revise", "2025-11-03", None, "breached"),  # a breach outranks a gap
    ]
    check_table("moderation_timely", table, columns)


def test_out_of_scope_reviews_are_not_applicable() -> None:
    got = outcomes("draft_statement", [{"meeting_date": "2025-10-03", "draft_statement_date": "2025-10-30"}],
                   staff={"T0": {"induction": True}})
    assert got["T0"] == "not_applicable"


@pytest.mark.parametrize("rule", ["deadline", "notice", "draft_statement", "final_statement", "mid_year"])
def test_reasons_are_in_words_with_readable_dates(rule: str) -> None:
    data = school_data(school=[SCHOOL], staff=[{"staff_id": "T0"}], reviews=[{
        "staff_id": "T0", "cycle": CYCLE, "reviewer_id": "H", "notice_date": "2025-10-30", "meeting_date": "2025-11-03",
        "draft_statement_date": "2025-11-20", "final_statement_date": "2025-12-01", "mid_year_review_date": "2026-09-02"}])
    reason = run_checks(data, rules=[rule]).rule_detail(rule)["reason"].iloc[0]
    assert any(f"{day} November 2025" in reason for day in (3, 20)) or "2 September 2026" in reason, reason
    assert "00:00" not in reason and "2025-" not in reason
