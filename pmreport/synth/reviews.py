"""Planning and review meetings: the baseline plan for each reviewee and the effects that break it.

A :class:`ReviewPlan` holds the meeting date and the *working-day offsets* of everything that
follows it; effects change the plan, then :meth:`ReviewPlan.row` turns it into dates. Baseline
offsets keep a safe margin from every limit in DESIGN.md (notice 7-12 working days where 5 are
needed, draft 1-2 where 5 are allowed, final 2-5 of 10, moderation 3-7 of 10).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from pmreport.synth.cycle import Cycle
from pmreport.synth.effects import Effects, Truth, pick

NOTES = (
    "Good progress against last year's objectives; agreed focus for the year ahead.",
    "Discussed workload and agreed priorities for the autumn term.",
    "Objectives reviewed and carried forward where appropriate.",
    "Positive meeting; development needs identified and agreed.",
    "Reviewee asked for support with planning time; to be followed up.",
    "Evidence from the year discussed; objectives agreed.",
    "Agreed to revisit timescales at the mid-year review.",
)


@dataclass
class ReviewPlan:
    staff_id: str
    role_group: str
    reviewer_id: str
    meeting: date
    notice_wd: int
    draft_wd: int
    final_wd: int
    mid_year: date
    moderated: bool
    moderation_wd: int
    moderation_outcome: str | None
    instruct_wd: int
    revised_wd: int
    workload: bool
    notes: str | None
    blank: set[str] = field(default_factory=set)
    assessment: str = "met"
    pay_eligible: bool = False
    pay_recommendation: str = "not_applicable"
    pay_decision: str | None = None

    def dates(self, cyc: Cycle) -> dict:
        wd = cyc.wd
        out = {
            "notice_date": wd.sub(self.meeting, self.notice_wd),
            "meeting_date": self.meeting,
            "draft_statement_date": wd.add(self.meeting, self.draft_wd),
            "final_statement_date": wd.add(self.meeting, self.final_wd),
            "mid_year_review_date": self.mid_year,
            "moderation_date": None,
            "revision_instructed_date": None,
            "revised_statement_date": None,
        }
        if self.moderated:
            moderated = out["moderation_date"] = wd.add(self.meeting, self.moderation_wd)
            if self.moderation_outcome == "revise":
                instructed = out["revision_instructed_date"] = wd.add(moderated, self.instruct_wd)
                out["revised_statement_date"] = wd.add(instructed, self.revised_wd)
        for name in self.blank:
            out[name] = None
        return out

    def row(self, cyc: Cycle) -> dict:
        return {
            "staff_id": self.staff_id,
            "cycle": cyc.label,
            "reviewer_id": self.reviewer_id,
            **self.dates(cyc),
            "assessment": self.assessment,
            "pay_eligible": self.pay_eligible,
            "pay_recommendation": self.pay_recommendation,
            "pay_decision": self.pay_decision,
            "moderated": self.moderated,
            "moderation_outcome": self.moderation_outcome if self.moderated else None,
            "workload_concern_raised": self.workload,
            "notes": self.notes,
        }


def meeting_window(cyc: Cycle, role_group: str, late: bool) -> tuple[date, date]:
    y = cyc.year
    if late:
        return {
            "teacher": (date(y, 11, 3), date(y, 11, 28)),
            "headteacher": (date(y + 1, 1, 6), date(y + 1, 1, 30)),
        }.get(role_group, (date(y + 1, 4, 1), date(y + 1, 4, 30)))
    earliest = cyc.wd.add(cyc.first_day, 12)
    return {
        "teacher": (earliest, date(y, 10, 17)),
        "headteacher": (date(y, 11, 3), date(y, 12, 12)),
    }.get(role_group, (earliest, date(y, 11, 28)))


def plan_reviews(cyc: Cycle, rng) -> list[ReviewPlan]:
    """One baseline, policy-compliant plan per in-scope member of staff."""
    settings = cyc.settings
    plans = []
    in_scope = sorted((p for p in cyc.staff.values() if cyc.in_scope(p)), key=lambda p: p.staff_id)
    sample = settings["moderation_option"] == "sample"
    for p in in_scope:
        lo, hi = meeting_window(cyc, p.role_group, late=False)
        meeting = cyc.wd.random_between(rng, lo, hi)
        draft = rng.randint(1, 2)
        moderated = rng.random() < settings["moderation_sample_fraction"] if sample else True
        plans.append(ReviewPlan(
            staff_id=p.staff_id,
            role_group=p.role_group,
            reviewer_id="GOV" if p.role_group == "headteacher" else str(p.line_manager_id),
            meeting=meeting,
            notice_wd=rng.randint(7, 12),
            draft_wd=draft,
            final_wd=draft + rng.randint(1, 3),
            mid_year=cyc.wd.random_between(rng, date(cyc.year + 1, 2, 1), date(cyc.year + 1, 3, 20)),
            moderated=moderated,
            moderation_wd=rng.randint(3, 7),
            moderation_outcome=("revise" if rng.random() < 0.1 else "consistent") if moderated else None,
            instruct_wd=rng.randint(0, 1),
            revised_wd=rng.randint(2, 6),
            workload=rng.random() < 0.12,
            notes=rng.choice(NOTES) if rng.random() < 0.6 else None,
        ))
    return plans


def reviewer_loads(plans: list[ReviewPlan], cyc: Cycle | None = None) -> dict[str, int]:
    """Reviewees per reviewer; with ``cyc``, the larger of that and the number of staff line-managed
    (so the cap holds however a reader counts reviewees)."""
    loads: dict[str, int] = {}
    for r in plans:
        loads[r.reviewer_id] = loads.get(r.reviewer_id, 0) + 1
    if cyc is not None:
        managed: dict[str, int] = {}
        for p in cyc.staff.values():
            if p.line_manager_id:
                managed[p.line_manager_id] = managed.get(p.line_manager_id, 0) + 1
        for k, v in managed.items():
            loads[k] = max(loads.get(k, 0), v)
    return loads


def apply_review_effects(cyc: Cycle, plans: list[ReviewPlan], effects: Effects, truth: Truth,
                         rng_for) -> tuple[list[ReviewPlan], set[str]]:
    """Plant the review-level breaches; returns the plans left and who gets an early appeal."""
    label, staff, wd = cyc.label, cyc.staff, cyc.wd
    by_id = {r.staff_id: r for r in plans}

    # coverage: an in-scope member of staff with no review at all
    for r in pick(rng_for("missing_reviews"), plans, effects.missing_reviews):
        del by_id[r.staff_id]
        truth.add("missing_reviews", "coverage", label, r.staff_id, "breached")
    plans = [r for r in plans if r.staff_id in by_id]

    cap = cyc.settings.get("max_reviewees")
    overloaded: set[str] = set()
    if effects.reviewer_overload and cap:
        rng = rng_for("reviewer_overload")
        loads = reviewer_loads(plans)
        leaders = sorted(r for r in loads if r in staff and staff[r].responsibility in ("middle_leader", "senior_leader"))
        for target in pick(rng, leaders, effects.reviewer_overload):
            want = cap + rng.randint(1, 2) - loads.get(target, 0)
            donors = [r for r in plans if r.reviewer_id not in overloaded | {target} and r.staff_id != target
                      and r.reviewer_id in staff and staff[r.reviewer_id].responsibility in ("middle_leader", "senior_leader")
                      and staff[r.staff_id].responsibility in ("classroom_teacher", "tlr_holder")]
            if len(donors) < want:
                continue
            for r in rng.sample(donors, want):
                r.reviewer_id = target
                staff[r.staff_id].line_manager_id = target
            loads = reviewer_loads(plans)
            overloaded.add(target)
            truth.add("reviewer_overload", "reviewer_load", label, target, "breached",
                      reviewees=loads[target], max_reviewees=cap)

    # §4.2: the governing body reviews the headteacher; here a senior leader does (never counted in their load)
    if effects.head_reviewed_by_staff:
        rng = rng_for("head_reviewed_by_staff")
        heads = [r for r in plans if r.role_group == "headteacher"]
        seniors = sorted(p.staff_id for p in staff.values() if p.responsibility == "senior_leader" and cyc.in_scope(p))
        for r in pick(rng, heads, effects.head_reviewed_by_staff) if seniors else []:
            r.reviewer_id = rng.choice(seniors)
            truth.add("head_reviewed_by_staff", "head_reviewer", label, r.staff_id, "breached",
                      reviewer_id=r.reviewer_id)

    if effects.teacher_reviews_support:
        rng = rng_for("teacher_reviews_support")
        support = [r for r in plans if r.role_group == "support"]
        for r in pick(rng, support, effects.teacher_reviews_support):
            loads = reviewer_loads(plans, cyc)
            teachers = sorted(p.staff_id for p in staff.values() if p.role_group == "teacher" and cyc.in_scope(p)
                              and p.staff_id not in overloaded and (not cap or loads.get(p.staff_id, 0) + 1 <= cap))
            if not teachers:
                continue
            r.reviewer_id = rng.choice(teachers)
            staff[r.staff_id].line_manager_id = r.reviewer_id
            truth.add("teacher_reviews_support", "teacher_reviews_support", label, r.staff_id, "breached",
                      reviewer_id=r.reviewer_id)

    for r in pick(rng_for("late_reviews"), plans, effects.late_reviews):
        rng = rng_for("late_reviews", r.staff_id)
        r.meeting = wd.random_between(rng, *meeting_window(cyc, r.role_group, late=True))
        # A late teacher's or head's review: the mid-year review follows it. Support staff's cycle runs April
        # to March (§4.1), so their mid-year review stays in it, before a review held late after 31 March.
        if r.mid_year <= r.meeting and r.role_group != "support":
            r.mid_year = wd.random_between(rng, r.meeting + timedelta(days=28), date(cyc.year + 1, 7, 10))
        truth.add("late_reviews", "deadline", label, r.staff_id, "breached",
                  meeting_date=r.meeting, deadline=cyc.deadline_for(r.role_group))

    for r in pick(rng_for("short_notice"), plans, effects.short_notice):
        r.notice_wd = rng_for("short_notice", r.staff_id).randint(1, 3)
        truth.add("short_notice", "notice", label, r.staff_id, "breached", working_days=r.notice_wd)

    late_draft = pick(rng_for("late_draft"), plans, effects.late_draft)
    for r in late_draft:
        rng = rng_for("late_draft", r.staff_id)
        r.draft_wd = rng.randint(6, 8)
        r.final_wd = rng.randint(r.draft_wd + 1, 9)
        truth.add("late_draft", "draft_statement", label, r.staff_id, "breached", working_days=r.draft_wd)

    late_final = pick(rng_for("late_final"), plans, effects.late_final)
    for r in late_final:
        r.final_wd = rng_for("late_final", r.staff_id).randint(12, 16)
        truth.add("late_final", "final_statement", label, r.staff_id, "breached", working_days=r.final_wd)

    taken = {r.staff_id for r in late_draft} | {r.staff_id for r in late_final}
    for r in pick(rng_for("missing_statements"), [r for r in plans if r.staff_id not in taken], effects.missing_statements):
        which = rng_for("missing_statements", r.staff_id).choice(
            [("draft_statement_date",), ("final_statement_date",), ("draft_statement_date", "final_statement_date")])
        for name in which:
            r.blank.add(name)
            rule = name.replace("_date", "")
            truth.add("missing_statements", rule, label, r.staff_id, "not_recorded", field=name)

    for r in pick(rng_for("no_mid_year"), plans, effects.no_mid_year):
        r.blank.add("mid_year_review_date")
        truth.add("no_mid_year", "mid_year", label, r.staff_id, "not_recorded", field="mid_year_review_date")

    moderated = [r for r in plans if r.moderated]
    for r in pick(rng_for("late_moderation"), moderated, effects.late_moderation):
        rng = rng_for("late_moderation", r.staff_id)
        if r.moderation_outcome == "revise" and rng.random() < 0.5:
            r.revised_wd = rng.randint(13, 18)
            truth.add("late_moderation", "moderation_timely", label, r.staff_id, "breached",
                      field="revised_statement_date", working_days=r.revised_wd)
        else:
            r.moderation_wd = rng.randint(13, 18)
            truth.add("late_moderation", "moderation_timely", label, r.staff_id, "breached",
                      field="moderation_date", working_days=r.moderation_wd)

    early_appeal = set()
    pool = [r for r in moderated if r.role_group != "headteacher"]
    for r in pick(rng_for("appeal_before_moderation"), pool, effects.appeal_before_moderation):
        r.moderation_wd = max(r.moderation_wd, 5)
        early_appeal.add(r.staff_id)

    # §5 option (a): the school moderates all statements, and a teacher's statement was not moderated
    if cyc.settings.get("moderation_option") == "all":
        late = {sid for rule, cycle, sid in truth.entries if cycle == label and rule == "moderation_timely"}
        pool = [r for r in moderated if r.role_group == "teacher" and r.staff_id not in late | early_appeal]
        for r in pick(rng_for("statement_not_moderated"), pool, effects.statement_not_moderated):
            r.moderated, r.moderation_outcome = False, None
            truth.add("statement_not_moderated", "moderation_timely", label, r.staff_id, "breached",
                      moderation_option="all")
    return plans, early_appeal


P_NO_PROGRESS = {"met": 0.05, "partly_met": 0.4, "not_met": 0.9}


def set_assessment_and_pay(cyc: Cycle, plans: list[ReviewPlan], rng, harsh: dict | None, gap: dict | None,
                           staff_row) -> None:
    """Assessment of the previous cycle and the pay recommendation, with any harsh reviewer or pay gap."""
    for r in plans:
        p = cyc.staff[r.staff_id]
        if p.joined_cycle == cyc.index:
            r.assessment = "not_assessed"
        else:
            r.assessment = rng.choices(["met", "partly_met", "not_met", "not_assessed"], weights=[80, 14, 3, 3])[0]
        r.pay_eligible = r.assessment != "not_assessed" and p.pay_index < p.pay_top
        draw = rng.random()
        if not r.pay_eligible:
            r.pay_recommendation, r.pay_decision = "not_applicable", None
            continue
        p_no = P_NO_PROGRESS[r.assessment]
        if harsh and r.reviewer_id == harsh["reviewer_id"]:
            p_no = min(1.0, p_no + harsh["points"] / 100)
        if gap and gap["predicate"](staff_row(p)):
            p_yes = 1 - p_no
            odds = p_yes / max(p_no, 1e-9) * gap["factor"]
            p_no = 1 - odds / (1 + odds)
        r.pay_recommendation = "no_progress" if draw < p_no else "progress"
        r.pay_decision = r.pay_recommendation
