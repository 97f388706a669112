"""Objectives, development and appeals that follow from each review meeting."""

from __future__ import annotations

from datetime import date, timedelta

from pmreport.synth.cycle import Cycle
from pmreport.synth.effects import Effects, Truth, pick
from pmreport.synth.reviews import ReviewPlan

OBJECTIVE_TEXT = {
    "pupil_progress": (
        "Raise attainment in reading for the lowest-attaining pupils in the class.",
        "Close the gap in mathematics for disadvantaged pupils in the group.",
        "Improve progress in writing for pupils with SEND.",
        "Increase the proportion of pupils meeting expected standards in the subject.",
    ),
    "teaching_practice": (
        "Embed retrieval practice at the start of lessons.",
        "Develop questioning to check understanding across the lesson.",
        "Use formative assessment to adapt teaching in each unit.",
        "Support pupils' independence during group work.",
    ),
    "professional_development": (
        "Complete the agreed course and share learning with the team.",
        "Observe colleagues and trial one new approach each half term.",
        "Build subject knowledge for the new unit of work.",
    ),
    "leadership": (
        "Lead the review of the curriculum plan for the department.",
        "Monitor and support consistent behaviour routines across the phase.",
        "Coordinate moderation of assessment across the team.",
    ),
    "wider_contribution": (
        "Run an after-school club for one term.",
        "Contribute to the school's transition programme.",
        "Support the organisation of the summer showcase.",
    ),
    "other": (
        "Update the team's procedures and share them with colleagues.",
        "Improve the filing of records in line with school policy.",
    ),
}
CATEGORIES = {
    "teacher": ("pupil_progress", "teaching_practice", "professional_development", "wider_contribution"),
    "leader": ("pupil_progress", "leadership", "teaching_practice", "professional_development"),
    "support": ("professional_development", "wider_contribution", "other", "teaching_practice"),
}
NEEDS = {
    "teacher": ("pedagogy", "subject_knowledge", "send", "behaviour", "assessment", "wellbeing"),
    "leader": ("leadership", "assessment", "safeguarding", "wellbeing"),
    "support": ("send", "behaviour", "safeguarding", "qualification", "wellbeing", "other"),
}
NOT_PROVIDED_REASONS = ("funding", "time", "cover", "not_available", "other")


def _kind(cyc: Cycle, staff_id: str) -> str:
    p = cyc.staff[staff_id]
    if p.role_group == "support":
        return "support"
    return "leader" if p.responsibility in ("headteacher", "senior_leader", "middle_leader") else "teacher"


def objectives(cyc: Cycle, plans: list[ReviewPlan], effects: Effects, truth: Truth, rng, rng_for) -> list[dict]:
    most = cyc.settings["max_objectives"]
    counts = {r.staff_id: (most if r.role_group == "headteacher" else rng.choice([2] + [3] * 3 + [most] * 2)) for r in plans}
    counts = {k: min(v, most) for k, v in counts.items()}
    for r in pick(rng_for("too_many_objectives"), plans, effects.too_many_objectives):
        counts[r.staff_id] = most + rng_for("too_many_objectives", r.staff_id).randint(1, 2)
        truth.add("too_many_objectives", "objectives_reasonable", cyc.label, r.staff_id, "breached",
                  objectives=counts[r.staff_id], max_objectives=most)
    rows = []
    for r in plans:
        kinds = CATEGORIES[_kind(cyc, r.staff_id)]
        for n in range(1, counts[r.staff_id] + 1):
            category = kinds[(n - 1) % len(kinds)] if rng.random() < 0.7 else rng.choice(kinds)
            spans = rng.random() < 0.08
            if spans:
                target = date(cyc.year + 1, 12, rng.randint(1, 15))
            else:  # a timescale between a month after the meeting and the end of the summer term
                first = max(date(cyc.year + 1, 2, 1), r.meeting + timedelta(days=30))
                target = first + timedelta(days=rng.randint(0, max(0, (date(cyc.year + 1, 7, 17) - first).days)))
            rows.append({
                "staff_id": r.staff_id,
                "cycle": cyc.label,
                "objective_no": n,
                "category": category,
                "linked_to_priority": True,
                "target_date": target,
                "spans_cycles": spans,
                "agreed": rng.random() < 0.93,
                "outcome": rng.choices(["met", "partly_met", "not_met", "outside_control", "not_assessed"],
                                       weights=[65, 20, 7, 4, 4])[0],
                "description": rng.choice(OBJECTIVE_TEXT[category]),
            })
    return rows


def development(cyc: Cycle, plans: list[ReviewPlan], effects: Effects, truth: Truth, rng, rng_for) -> list[dict]:
    rows = []
    for r in plans:
        needs = NEEDS[_kind(cyc, r.staff_id)]
        for need in rng.sample(needs, 1 if rng.random() < 0.65 else 2):
            rows.append({
                "staff_id": r.staff_id,
                "cycle": cyc.label,
                "need_category": need,
                "agreed_date": r.meeting,
                "provided": "yes",
                "reason_not_provided": None,
                "outside_school_hours": False,
            })
    people = sorted({row["staff_id"] for row in rows})
    for sid in pick(rng_for("development_not_provided"), people, effects.development_not_provided):
        rng2 = rng_for("development_not_provided", sid)
        row = rng2.choice([x for x in rows if x["staff_id"] == sid])
        row["provided"] = rng2.choice(["no", "no", "partly"])
        row["reason_not_provided"] = rng2.choice(NOT_PROVIDED_REASONS)
        truth.add("development_not_provided", "development_provided", cyc.label, sid, "breached",
                  provided=row["provided"], reason=row["reason_not_provided"])
    for sid in pick(rng_for("training_outside_hours"), people, effects.training_outside_hours):
        row = rng_for("training_outside_hours", sid).choice([x for x in rows if x["staff_id"] == sid])
        row["outside_school_hours"] = True
        truth.add("training_outside_hours", "training_outside_hours", cyc.label, sid, "breached",
                  need_category=row["need_category"])
    return rows


def appeals(cyc: Cycle, plans: list[ReviewPlan], early: set[str], truth: Truth, rng) -> list[dict]:
    """Rare appeals, heard only after the appellant's statement was moderated (§8); plus planted early ones.

    Most are lodged after every statement of the cycle was moderated; a few are lodged soon after the
    planning and review meeting and deferred: heard only after the appellant's moderation, as §8 asks (not
    a breach). A planted appeal is heard, or heard and decided, before moderation was complete (the breach).
    """
    wd = cyc.wd
    rows: list[dict] = []
    dated = [(r, r.dates(cyc)) for r in plans]
    moderation_dates = [d["moderation_date"] for _, d in dated if d["moderation_date"]]
    if moderation_dates:
        all_done = max(moderation_dates)
        for r, d in dated:
            if not d["moderation_date"] or r.role_group == "headteacher" or r.staff_id in early or rng.random() >= 0.02:
                continue
            stage = rng.choice(["informal", "formal"])
            deferred = rng.random() < 0.3  # lodged before moderation, heard after it
            lodged = wd.add(r.meeting, rng.randint(1, 3)) if deferred else wd.add(all_done, rng.randint(3, 15))
            outcomes = ["upheld", "partly_upheld", "not_upheld", "withdrawn"] + (["pending"] if stage == "informal" else [])
            outcome = rng.choices(outcomes, weights=[15, 20, 40, 15, 10][: len(outcomes)])[0]
            after = max(lodged, d["moderation_date"])
            heard = None if outcome in ("pending", "withdrawn") else wd.add(after, rng.randint(1, 8))
            decided = None if outcome == "pending" else wd.add(heard or after, rng.randint(0, 5))
            if (decided or lodged) > cyc.end:
                continue
            rows.append({"staff_id": r.staff_id, "cycle": cyc.label, "lodged_date": lodged, "heard_date": heard,
                         "stage": stage, "subject": rng.choice(["objectives", "assessment", "pay", "observation", "other"]),
                         "outcome": outcome, "outcome_date": decided})
    for r, d in dated:
        if r.staff_id not in early:
            continue
        lodged = wd.add(r.meeting, 2)  # moderation is at least 5 working days after the meeting
        heard = wd.add(r.meeting, rng.randint(2, 4))
        # heard before moderation (§8), and decided then too or only after moderation: a breach either way
        decided = heard if rng.random() < 0.5 else wd.add(d["moderation_date"], rng.randint(1, 5))
        rows.append({"staff_id": r.staff_id, "cycle": cyc.label, "lodged_date": lodged, "heard_date": heard,
                     "stage": "formal", "subject": rng.choice(["objectives", "assessment", "pay"]),
                     "outcome": rng.choice(["not_upheld", "upheld", "partly_upheld"]), "outcome_date": decided})
        truth.add("appeal_before_moderation", "appeal_after_moderation", cyc.label, r.staff_id, "breached",
                  lodged_date=lodged, heard_date=heard, moderation_date=d["moderation_date"])
    return sorted(rows, key=lambda x: (x["lodged_date"], x["staff_id"]))
