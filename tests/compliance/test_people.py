"""Objectives, reviewers, development and appeals rules against cases worked out by hand."""

from __future__ import annotations

from pmreport.compliance import run_checks
from tests.support.school_rows import school_data

CYCLE = "2025/26"
SCHOOL = {"urn": "118234", "school_name": "Test School", "phase": "primary", "local_authority": "Kent",
          "cycle": CYCLE, "cycle_start": "2025-09-01", "cycle_end": "2026-08-31"}
HEAD = {"staff_id": "H", "role_group": "headteacher", "responsibility": "headteacher", "pay_range": "leadership"}
HEAD_ROLE = {"role_group": "headteacher", "responsibility": "headteacher", "pay_range": "leadership"}
SUPPORT = {"role_group": "support", "responsibility": "support", "pay_range": "support", "qts": False}


def detail(rule: str, school: dict | None = None, **sheets):
    for sheet in ("reviews", "objectives", "development", "appeals"):
        if sheet in sheets:
            sheets[sheet] = [{"cycle": CYCLE} | row for row in sheets[sheet]]
    return run_checks(school_data(school=[SCHOOL | (school or {})], **sheets), rules=[rule]).rule_detail(rule)


def by_staff(d) -> dict[str, str]:
    return dict(zip(d["staff_id"], d["outcome"], strict=True))


def review(staff_id: str, reviewer: str = "H", **more) -> dict:
    return {"staff_id": staff_id, "reviewer_id": reviewer, "meeting_date": "2025-10-06"} | more


# -- objectives -----------------------------------------------------------------------------------

def objective(staff_id: str, no: int, **more) -> dict:
    return {"staff_id": staff_id, "objective_no": no, "category": "pupil_progress", "linked_to_priority": True,
            "target_date": "2026-07-17", "agreed": True} | more


def test_objectives_reasonable() -> None:
    people = "ABCDEFG"
    objectives = [
        *[objective("A", n) for n in (1, 2, 3)],                              # 3 = the maximum: met
        *[objective("B", n) for n in (1, 2, 3, 4)],                           # 4: breached
        objective("C", 1), objective("C", 2, linked_to_priority=False),       # not linked: breached
        objective("D", 1, target_date=None),                                  # no timescale: not recorded
        objective("E", 1, agreed=False),                                      # determined by the reviewer: fine
        objective("F", 1, agreed=None),                                       # not recorded
        # G has a review but no objectives: not recorded
    ]
    d = detail("objectives_reasonable", school={"max_objectives": 3}, staff=[HEAD, *({"staff_id": p} for p in people)],
               reviews=[review(p) for p in people], objectives=objectives)
    assert by_staff(d) == {"A": "met", "B": "breached", "C": "breached", "D": "not_recorded", "E": "met",
                           "F": "not_recorded", "G": "not_recorded"}
    reasons = d.set_index("staff_id")["reason"]
    assert reasons["B"] == "4 objectives, more than the school's maximum of 3"
    assert reasons["C"] == "objective 2 not linked to the school's priorities"


def test_objectives_without_a_school_maximum_are_not_counted() -> None:
    d = detail("objectives_reasonable", staff=[HEAD, {"staff_id": "A"}], reviews=[review("A")],
               objectives=[objective("A", n) for n in range(1, 7)])
    assert by_staff(d) == {"A": "met"}


def test_objectives_list_every_problem() -> None:
    d = detail("objectives_reasonable", school={"max_objectives": 1}, staff=[HEAD, {"staff_id": "A"}],
               reviews=[review("A")], objectives=[objective("A", 1, linked_to_priority=False),
                                                  objective("A", 2, target_date=None)])
    assert d["reason"].iloc[0] == ("2 objectives, more than the school's maximum of 1; "
                                   "objective 1 not linked to the school's priorities")


# -- reviewer_load --------------------------------------------------------------------------------

def test_reviewer_load() -> None:
    staff = [HEAD, {"staff_id": "R1", "responsibility": "middle_leader"},
             {"staff_id": "R2", "responsibility": "middle_leader"},
             *({"staff_id": f"P{i}"} for i in range(6)), {"staff_id": "N", "induction": True}]
    reviews = [review("H", "R1"),                                            # the head's review: never counted
               review("P0", "R1"), review("P1", "R1"),                       # 2 = the maximum: met
               review("P2", "R2"), review("P3", "R2"), review("P4", "R2"),   # 3: breached
               review("P5", "H"), review("N", "H"),                          # induction reviewee not counted
               review("R1", "H"), review("R2", "H")]
    d = detail("reviewer_load", school={"max_reviewees": 2}, staff=staff, reviews=reviews)
    assert by_staff(d) == {"R1": "met", "R2": "breached", "H": "breached"}  # H: P5, R1, R2
    found = d.set_index("staff_id")
    assert found.loc["H", "item"] == "reviewer of P5, R1, R2"
    assert found.loc["R1", "item"] == "reviewer of P0, P1"
    assert found.loc["H", "reason"] == "reviews 3 reviewees, more than the maximum of 2"
    # each finding points at the reviewer's own row on the staff sheet (H is the first row: Excel row 2)
    assert (found.loc["H", "_sheet"], found.loc["H", "_row"]) == ("staff", 2)
    assert (found.loc["R2", "_sheet"], found.loc["R2", "_row"]) == ("staff", 4)
    none_set = detail("reviewer_load", staff=staff, reviews=reviews)
    assert set(none_set["outcome"]) == {"not_applicable"}


def test_head_reviewer_is_the_governing_body() -> None:
    """§4.2: "The Governing Body is the reviewer for the Headteacher"."""
    staff = [HEAD, {"staff_id": "D", "responsibility": "senior_leader"}, {"staff_id": "H2", **HEAD_ROLE},
             {"staff_id": "H3", **HEAD_ROLE}, {"staff_id": "H4", **HEAD_ROLE}]
    reviews = [review("H", "GOV"), review("H2", "D"), review("H3", None), review("H4", " governors "),
               review("D", "H")]
    d = detail("head_reviewer", staff=staff, reviews=reviews, school={"head_adviser": "external_adviser"})
    assert by_staff(d) == {"H": "met", "H2": "breached", "H3": "not_recorded", "H4": "met"}
    reasons = d.set_index("staff_id")["reason"]
    assert reasons["H"] == "reviewed by the governing body, advised by an external adviser appointed by the governing body"
    assert reasons["H2"].startswith("reviewed by D, not the governing body")
    plain = detail("head_reviewer", staff=staff, reviews=reviews)
    assert plain.set_index("staff_id")["reason"]["H"] == (
        "reviewed by the governing body, no adviser recorded on the school sheet")


# -- teacher_reviews_support ----------------------------------------------------------------------

def test_teacher_reviews_support() -> None:
    staff = [HEAD, {"staff_id": "T"}, {"staff_id": "DH", "responsibility": "senior_leader"},
             {"staff_id": "SS", **SUPPORT, "responsibility": "support_supervisor"},
             *({"staff_id": f"S{i}", **SUPPORT} for i in range(6))]
    reviews = [review("S0", "T"), review("S1", "H"), review("S2", "SS"), review("S3", "DH"),
               review("S4", None), review("S5", "Z99"), review("T", "H")]
    d = detail("teacher_reviews_support", staff=staff, reviews=reviews)
    assert by_staff(d) == {"S0": "breached", "S1": "met", "S2": "met", "S3": "breached",
                           "S4": "not_recorded", "S5": "not_recorded"}


# -- development ----------------------------------------------------------------------------------

def need(staff_id: str, **more) -> dict:
    return {"staff_id": staff_id, "need_category": "pedagogy", "provided": "yes", "outside_school_hours": False} | more


def test_development_provided_counts_reasons() -> None:
    staff = [HEAD, *({"staff_id": p} for p in "ABCDE")]
    dev = [need("A"), need("B", provided="partly", reason_not_provided="time"),
           need("C", provided="no", reason_not_provided="funding"), need("D", provided="no"),
           need("E", provided=None)]
    result = run_checks(school_data(school=[SCHOOL], staff=staff, development=[{"cycle": CYCLE} | r for r in dev]),
                        rules=["development_provided"])
    assert by_staff(result.rule_detail("development_provided")) == {
        "A": "met", "B": "breached", "C": "breached", "D": "breached", "E": "not_recorded"}
    assert result.categories("development_provided") == {"funding": 1, "not_given": 1, "time": 1}
    rule = next(r for r in result.to_dict()["rules"] if r["rule"] == "development_provided")
    assert rule["breached_by_reason"] == {"funding": 1, "not_given": 1, "time": 1}


def test_training_outside_hours() -> None:
    staff = [HEAD, *({"staff_id": p} for p in "ABCD")]
    dev = [need("A", outside_school_hours=True), need("B"), need("C", outside_school_hours=None),
           need("D", provided="no", outside_school_hours=True)]
    assert by_staff(detail("training_outside_hours", staff=staff, development=dev)) == {
        "A": "breached", "B": "met", "C": "not_recorded", "D": "breached"}  # D: placed outside hours, then not provided


# -- appeals --------------------------------------------------------------------------------------

def test_appeal_after_moderation() -> None:
    """§8: "Any appeal should be deferred until after the moderation process is complete": hearing or deciding
    it before moderation is the breach, not lodging it. Moderation completed on Monday 20 October 2025; the
    working day before is Friday 17 October, the one after Tuesday 21 October."""
    people = "ABCDEFGHIJKLMN"
    staff = [HEAD, *({"staff_id": p} for p in people)]
    moderated = {"moderated": True, "moderation_date": "2025-10-20"}
    reviews = [review(p, **moderated) for p in people if p not in "DE"]
    reviews += [review("D", moderated=False), review("E", moderated=True)]

    def appeal(staff_id: str, lodged: str | None, decided: str | None = None, stage: str = "formal",
               outcome: str = "not_upheld", heard: str | None = None) -> dict:
        return {"staff_id": staff_id, "lodged_date": lodged, "heard_date": heard, "outcome_date": decided,
                "stage": stage, "subject": "pay", "outcome": outcome if decided else "pending"} | (
            {"outcome": outcome} if outcome == "withdrawn" else {})

    appeals = [appeal("A", "2025-10-10", "2025-10-17", heard="2025-10-17"),  # heard and decided the Friday before
               appeal("B", "2025-10-10", "2025-10-20", heard="2025-10-20"),  # heard on the moderation day: met
               appeal("C", "2025-10-01", stage="informal"),
               appeal("D", "2025-10-01"),                 # not moderated
               appeal("E", "2025-10-01"),                 # moderated, no moderation date
               appeal("F", None),                         # lodged date blank, not heard, no outcome
               appeal("G", "2025-10-19", "2025-11-03", heard="2025-10-21"),  # lodged before, heard the day after: met
               appeal("H", "2025-10-20"),                 # lodged on the moderation day, pending: met
               appeal("I", "2025-10-13"),                 # lodged before, pending and not heard yet: deferred, met
               appeal("J", "2025-10-13", "2025-10-14", outcome="withdrawn"),  # withdrawn: not heard
               appeal("K", "2025-10-10", "2025-10-21", heard="2025-10-17"),  # heard before, decided after: breached
               appeal("L", "2025-10-10", "2025-10-17"),   # decided the Friday before, date heard blank: breached
               appeal("M", "2025-10-13", "2025-11-03"),   # lodged before, decided after, date heard blank: not known
               appeal("N", "2025-10-13", heard="2025-10-21")]  # heard after, outcome pending: met
    d = detail("appeal_after_moderation", staff=staff, reviews=reviews, appeals=appeals)
    assert by_staff(d) == {
        "A": "breached", "B": "met", "C": "not_applicable", "D": "not_applicable", "E": "not_recorded",
        "F": "not_recorded", "G": "met", "H": "met", "I": "met", "J": "not_applicable", "K": "breached",
        "L": "breached", "M": "not_recorded", "N": "met"}
    reasons = d.set_index("staff_id")["reason"]
    assert reasons["A"] == "formal appeal heard on 17 October 2025, before moderation was completed on 20 October 2025"
    assert reasons["K"] == reasons["A"]
    assert reasons["L"] == (
        "formal appeal decided on 17 October 2025, before moderation was completed on 20 October 2025")
    assert reasons["M"] == ("formal appeal lodged on 13 October 2025, before moderation on 20 October 2025, "
                            "and the date it was heard is not recorded")


def test_an_appeal_heard_after_the_run_date_cannot_have_been_heard_yet() -> None:
    """Checked as of Friday 31 October 2025, a hearing dated Monday 3 November has not happened: not recorded,
    even though the date given is after moderation (Monday 20 October)."""
    staff = [HEAD, {"staff_id": "A"}, {"staff_id": "B"}]
    reviews = [review(p, moderated=True, moderation_date="2025-10-20") for p in "AB"]
    appeals = [{"staff_id": p, "lodged_date": "2025-10-10", "heard_date": heard, "stage": "formal", "subject": "pay",
                "outcome": "pending"} for p, heard in (("A", "2025-11-03"), ("B", "2025-10-31"))]
    data = school_data(school=[SCHOOL], staff=staff, reviews=[{"cycle": CYCLE} | r for r in reviews],
                       appeals=[{"cycle": CYCLE} | a for a in appeals])
    d = run_checks(data, rules=["appeal_after_moderation"], as_of="2025-10-31").rule_detail("appeal_after_moderation")
    assert by_staff(d) == {"A": "not_recorded", "B": "met"}  # B: heard on the run date itself
    assert d.set_index("staff_id")["reason"]["A"] == (
        "the hearing is dated 3 November 2025, after the run date of 31 October 2025: it cannot have happened yet")
