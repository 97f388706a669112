"""The model policy's edges, read from its text: each case worked out by hand (see tests/support/policy_edges.py
for the school and the working days counted in its comments)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from pmreport.compliance import run_checks
from pmreport.compliance.workbook import write_exceptions
from pmreport.school_year import closed_days
from tests.support import policy_edges as edges
from tests.support.school_rows import school_data, table

CYCLE = "2025/26"
SCHOOL = {"urn": "118234", "school_name": "Test School", "phase": "primary", "local_authority": "Kent",
          "cycle": CYCLE, "cycle_start": "2025-09-01", "cycle_end": "2026-08-31"}
HEAD = {"staff_id": "H", "role_group": "headteacher", "responsibility": "headteacher", "pay_range": "leadership"}


def test_the_edge_case_school_gives_exactly_the_breaches_the_policy_text_gives() -> None:
    result = run_checks(edges.school(), as_of=edges.AS_OF)
    breaches, flagged = edges.breaches_found(result)
    assert sorted(breaches) == sorted(edges.EXPECTED_BREACHES)
    assert flagged == edges.EXPECTED_WORTH_A_LOOK
    mid = result.rule_detail("mid_year").set_index("staff_id")
    assert set(mid.index[mid["outcome"] == "not_recorded"]) == edges.EXPECTED_NOT_RECORDED_MID_YEAR
    assert mid.loc["SS4", "reason"] == ("no mid-year review date is recorded, and the cycle (1 April 2025 to "
                                         "31 March 2026) had ended by 15 May 2026")
    assert mid.loc["S1", "reason"] == ("no mid-year review date is recorded; the cycle (13 April 2026 to "
                                        "31 August 2026) had not ended by 15 May 2026")
    # §3: a contract under two terms is out of scope; a permanent starter part-way through is not
    assert result.staff.set_index("staff_id")["scope_reason"].dropna().to_dict() == {"S4": "short_contract"}


# -- 2. INSET days are working days ---------------------------------------------------------------

def test_only_holidays_and_closures_stop_the_working_day_count() -> None:
    calendar = table("calendar", [{"start_date": "2025-10-27", "end_date": "2025-10-28", "kind": "holiday"},
                                  {"start_date": "2025-11-03", "kind": "inset"},
                                  {"start_date": "2025-11-04", "kind": "closure"}])
    days = [str(d.date()) for d in closed_days(calendar)]
    assert days == ["2025-10-27", "2025-10-28", "2025-11-04"]


def test_a_draft_across_an_inset_day() -> None:
    # Meeting Friday 31 October 2025. With Monday 3 November an INSET day (worked), the 5th working day
    # after is 3, 4, 5, 6, 7 November; were it a closure, 4, 5, 6, 7, 10 November.
    review = {"staff_id": "A", "cycle": CYCLE, "reviewer_id": "H", "meeting_date": "2025-10-31"}

    def outcome(kind: str, draft: str) -> str:
        data = school_data(school=[SCHOOL], staff=[HEAD, {"staff_id": "A"}],
                           calendar=[{"start_date": "2025-11-03", "kind": kind}],
                           reviews=[review | {"draft_statement_date": draft}])
        d = run_checks(data, rules=["draft_statement"]).rule_detail("draft_statement")
        return d.set_index("staff_id")["outcome"]["A"]

    assert [outcome("inset", "2025-11-07"), outcome("inset", "2025-11-10")] == ["met", "breached"]
    assert [outcome("closure", "2025-11-10"), outcome("closure", "2025-11-11")] == ["met", "breached"]


# -- 3. support staff's own cycle ----------------------------------------------------------------

def test_support_mid_year_reviews_use_the_april_to_march_cycle() -> None:
    support = {"role_group": "support", "responsibility": "support", "pay_range": "support", "qts": False}
    staff = [HEAD, *({"staff_id": s} | support for s in ("S1", "S2", "S3", "S4")), {"staff_id": "T1"}]
    when = {"S1": "2025-04-01", "S2": "2025-03-31", "S3": "2026-03-31", "S4": "2026-04-01", "T1": "2025-07-15"}
    reviews = [{"staff_id": s, "cycle": CYCLE, "reviewer_id": "H", "meeting_date": "2025-10-06",
                "mid_year_review_date": d} for s, d in when.items()]
    data = school_data(school=[SCHOOL | {"support_cycle_end": "2026-03-31"}], staff=staff, reviews=reviews)
    d = run_checks(data, rules=["mid_year"]).rule_detail("mid_year").set_index("staff_id")
    assert d["outcome"].to_dict() == {"S1": "met", "S2": "breached", "S3": "met", "S4": "breached",
                                      "T1": "breached"}  # a teacher's cycle is September to August
    assert d.loc["S4", "reason"] == ("mid-year review on 1 April 2026, outside the cycle (1 April 2025 to "
                                     "31 March 2026)")
    # without support_cycle_end, support staff follow the school's cycle
    data.tables["school"]["support_cycle_end"] = None
    d = run_checks(data, rules=["mid_year"]).rule_detail("mid_year").set_index("staff_id")
    assert d["outcome"].to_dict() == {"S1": "breached", "S2": "breached", "S3": "met", "S4": "met",
                                      "T1": "breached"}


# -- 6. presentation -----------------------------------------------------------------------------

def test_json_gives_each_exception_its_reason_and_observation() -> None:
    out = json.loads(run_checks(edges.school(), as_of=edges.AS_OF).to_json())
    rules = {r["rule"]: r for r in out["rules"]}
    assert "teacher_reviews_support" not in rules  # a workload indicator is not a rule's breach
    notice = rules["observation_notice"]["exceptions"]
    assert notice == [{"staff_id": "O2", "item": "observation on 20 January 2026 by H", "outcome": "breached",
                       "reason": "notice on 14 January 2026, 6 days before the observation (at least 7 needed)",
                       "file": "test.xlsx", "sheet": "observations", "row": 3}]
    [look] = [w for w in out["worth_a_look"] if w["indicator"] == "teacher_reviews_support"]
    assert look["source"] == "NUT circular to representatives, February 2004"
    assert [(u["staff_id"], u["reason"]) for u in look["flagged"]] == [("SS3", "reviewed by TX, a teacher")]
    assert look["counts"]["flagged"] == 1
    load = rules["reviewer_load"]["exceptions"]
    assert [(u["staff_id"], u["sheet"], u["row"]) for u in load] == [("H", "staff", 2)]
    assert load[0]["item"].startswith("reviewer of AP1, AP2, AP3, C1, C2, D1, F1")


def test_the_heads_workbook_keeps_workload_indicators_apart(tmp_path: Path) -> None:
    path = write_exceptions(run_checks(edges.school(), as_of=edges.AS_OF), tmp_path / "e.xlsx")
    wb = openpyxl.load_workbook(path)
    exceptions = [[c.value for c in row] for row in wb["Exceptions"].iter_rows(min_row=4)]
    assert not any(r[0] and "teacher" in str(r[0]).lower() and "support" in str(r[0]).lower() for r in exceptions)
    look = [[c.value for c in row] for row in wb["Worth a look"].iter_rows(min_row=3)]
    header, rows = look[0], look[1:]
    assert header[:4] == ["Rule", "Citation", "Source", "Staff ID"]
    assert [(r[3], r[header.index("Outcome")]) for r in rows] == [("SS3", "worth a look")]


# -- 10. dates that cannot be true yet -----------------------------------------------------------

def test_dates_after_the_run_date() -> None:
    # Meeting Monday 6 October 2025: the 10th working day after is Monday 20 October.
    review = {"cycle": CYCLE, "reviewer_id": "H", "meeting_date": "2025-10-06"}
    finals = {"A": "2025-10-20", "B": "2025-10-21", "C": "2025-10-22"}
    data = school_data(school=[SCHOOL], staff=[HEAD, *({"staff_id": s} for s in finals)],
                       reviews=[review | {"staff_id": s, "final_statement_date": d} for s, d in finals.items()])

    def outcomes(as_of: str | None) -> dict[str, str]:
        d = run_checks(data, rules=["final_statement"], as_of=as_of).rule_detail("final_statement")
        return dict(zip(d["staff_id"], d["outcome"], strict=True))

    assert outcomes(None) == {"A": "met", "B": "breached", "C": "breached"}
    # as of 20 October (the last day allowed): A is signed that day; B and C cannot be true yet and were
    # not yet late
    assert outcomes("2025-10-20") == {"A": "met", "B": "not_recorded", "C": "not_recorded"}
    # as of 21 October the last day had passed: B is a breach; C, dated tomorrow, still late whatever it is
    assert outcomes("2025-10-21") == {"A": "met", "B": "breached", "C": "breached"}


# -- 8. option (a) moderation --------------------------------------------------------------------

def test_option_a_moderates_every_teachers_statement() -> None:
    support = {"role_group": "support", "responsibility": "support", "pay_range": "support", "qts": False}
    staff = [HEAD, {"staff_id": "A"}, {"staff_id": "B"}, {"staff_id": "C"}, {"staff_id": "S"} | support]
    base = {"cycle": CYCLE, "reviewer_id": "H", "meeting_date": "2025-10-06"}
    reviews = [base | {"staff_id": "A", "moderated": True, "moderation_date": "2025-10-20"},  # 10th working day
               base | {"staff_id": "B", "moderated": False},
               base | {"staff_id": "C"},                     # blank, no date: not known
               base | {"staff_id": "S", "moderated": False},  # support staff: option (a) is about teachers
               base | {"staff_id": "H", "moderated": False}]  # the head: quality-assured by governors instead

    def outcomes(option: str) -> dict[str, str]:
        data = school_data(school=[SCHOOL | {"moderation_option": option}], staff=staff, reviews=reviews)
        d = run_checks(data, rules=["moderation_timely"]).rule_detail("moderation_timely")
        return dict(zip(d["staff_id"], d["outcome"], strict=True))

    assert outcomes("all") == {"A": "met", "B": "breached", "C": "not_recorded", "S": "not_applicable",
                               "H": "not_applicable"}
    assert outcomes("sample") == {"A": "met", "B": "not_applicable", "C": "not_applicable", "S": "not_applicable",
                                  "H": "not_applicable"}


# -- 9. observations in the plan -----------------------------------------------------------------

def test_observations_outside_the_plan() -> None:
    def obs(purpose: str, in_plan: bool | None) -> dict:
        return {"staff_id": "A", "cycle": CYCLE, "observation_date": "2026-01-20", "duration_minutes": 30,
                "purpose": purpose, "observer_id": "H", "in_plan": in_plan}

    rows = [obs("performance_management", True), obs("performance_management", False), obs("additional", False),
            obs("additional", None), obs("drop_in", False), obs("quality_assurance", False)]
    data = school_data(school=[SCHOOL], staff=[HEAD, {"staff_id": "A"}], observations=rows)
    d = run_checks(data, rules=["observation_in_plan"]).rule_detail("observation_in_plan")
    assert d["outcome"].tolist() == ["met", "breached", "breached", "not_recorded", "not_applicable",
                                     "not_applicable"]


# -- 11. the coverage table ----------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
#: The model policy beside the checkout (../shared/seeds), or beside a worktree's parent folder.
POLICY = next((d / "shared" / "seeds" / "002_60da4eab18fee045.txt" for d in (ROOT.parent, ROOT.parent.parent)
               if (d / "shared" / "seeds" / "002_60da4eab18fee045.txt").is_file()), ROOT / "missing")


def test_every_requirement_names_real_rules_or_says_why_not() -> None:
    from pmreport.compliance.docs import render_rules_md
    from pmreport.compliance.policy_coverage import READINGS, REQUIREMENTS
    from pmreport.compliance.rules import RULE_ORDER

    text = render_rules_md()
    for req in REQUIREMENTS:
        assert set(req.rules) <= set(RULE_ORDER), req
        assert req.rules or req.note, req
    checked = {rule for req in REQUIREMENTS for rule in req.rules}
    assert {"head_reviewer", "observation_in_plan", "moderation_timely", "appeal_after_moderation"} <= checked
    assert "## What the policy asks, and what is checked" in text and "## Readings of the policy" in text
    assert all(f"### {r.topic} ({r.section})" in text for r in READINGS)


def test_coverage_quotes_are_the_policys_own_words() -> None:
    import pytest

    from pmreport.compliance.policy_coverage import READINGS, REQUIREMENTS

    if not POLICY.is_file():
        pytest.skip("the model policy (../shared/seeds) is not beside this checkout")

    def fold(text: str) -> str:
        return " ".join(text.replace("’", "'").split())

    source = fold(POLICY.read_text(encoding="utf-8"))
    for quote in [r.quote for r in REQUIREMENTS] + [r.quote for r in READINGS]:
        for fragment in quote.split(" … "):
            assert fold(fragment) in source, fragment
