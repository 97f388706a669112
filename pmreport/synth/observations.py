"""Classroom observations (policy Appendix 3): performance management, drop-ins and QA visits.

Baseline: every observation (of any purpose) has 8-14 calendar days' notice, feedback the same
day or the next day when that is a working day, a written record within three working days, and
a qualified teacher as observer; performance management time stays under 65% of the pro rata cap.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from pmreport.synth.cycle import Cycle
from pmreport.synth.effects import Effects, Truth, pick
from pmreport.synth.people import Person

COUNTED = ("performance_management", "additional")


def _observers(cyc: Cycle, teacher: Person, reviewer_id: str | None) -> tuple[str, list[str]]:
    """The PM observer (the reviewer when a qualified teacher) and the leaders who drop in."""
    staff = cyc.staff
    leaders = sorted(p.staff_id for p in staff.values() if p.responsibility in ("headteacher", "senior_leader")
                     and p.qts and p.staff_id != teacher.staff_id and not p.temporary)
    reviewer = staff.get(reviewer_id or "")
    if reviewer and reviewer.qts and reviewer.role_group in ("teacher", "headteacher") and reviewer.staff_id != teacher.staff_id:
        return reviewer.staff_id, leaders
    return leaders[0], leaders


def _dates(cyc: Cycle, rng, day: date) -> dict:
    wd = cyc.wd
    notice = day - timedelta(days=rng.randint(8, 14))
    while not wd.is_working(notice):
        notice -= timedelta(days=1)
    next_day = day + timedelta(days=1)
    feedback = next_day if (wd.is_working(next_day) and rng.random() < 0.4) else day
    record = wd.add(day, rng.randint(1 if feedback > day else 0, 3))
    return {"notice_date": notice, "feedback_date": feedback, "record_date": record}


def observations(cyc: Cycle, reviewer_of: dict[str, str], meeting_of: dict[str, date], effects: Effects,
                 truth: Truth, rng, rng_for) -> list[dict]:
    wd = cyc.wd
    cap = cyc.settings["observation_cap_hours"]
    rows: list[dict] = []
    teachers = sorted((p for p in cyc.staff.values() if p.role_group == "teacher" and cyc.in_scope(p)),
                      key=lambda p: p.staff_id)
    used: dict[str, set[date]] = {}

    def add(p: Person, purpose: str, minutes: int, observer: str, lo: date, hi: date, in_plan: bool) -> dict:
        taken = used.setdefault(p.staff_id, set())
        for _ in range(50):
            day = wd.random_between(rng, lo, hi)
            if day not in taken:
                break
        taken.add(day)
        row = {"staff_id": p.staff_id, "cycle": cyc.label, "observation_date": day, "duration_minutes": minutes,
               "purpose": purpose, "observer_id": observer, **_dates(cyc, rng, day), "in_plan": in_plan}
        rows.append(row)
        return row

    pm_rows: dict[str, list[dict]] = {}
    for p in teachers:
        observer, leaders = _observers(cyc, p, reviewer_of.get(p.staff_id, p.line_manager_id))
        start = max(meeting_of.get(p.staff_id, date(cyc.year, 10, 1)), date(cyc.year, 9, 20)) + timedelta(days=14)
        end = date(cyc.year + 1, 6, 30)
        count = 2 if p.fte >= 0.8 else 1
        budget = math.floor(0.65 * cap * 60 * p.fte)
        each = max(20, min(60, budget // count // 5 * 5))
        pm_rows[p.staff_id] = [
            add(p, "performance_management", min(each, rng.choice([30, 40, 45, 50, 60])), observer, start, end, True)
            for _ in range(count)
        ]
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            add(p, "drop_in", rng.choice([10, 15, 20]), rng.choice(leaders), date(cyc.year, 9, 25), end, False)
        if rng.random() < 0.3:
            add(p, "quality_assurance", rng.choice([20, 25, 30]), rng.choice(leaders), date(cyc.year, 10, 1), end, False)

    observed = [p for p in teachers if pm_rows.get(p.staff_id)]
    label = cyc.label
    for p in pick(rng_for("observation_over_cap"), observed, effects.observation_over_cap):
        r2 = rng_for("observation_over_cap", p.staff_id)
        limit = cap * 60 * p.fte
        so_far = sum(r["duration_minutes"] for r in rows if r["staff_id"] == p.staff_id and r["purpose"] in COUNTED)
        extra = int(math.ceil((limit - so_far + 15) / 5) * 5) + 5 * r2.randint(0, 8)
        first = pm_rows[p.staff_id][0]
        row = add(p, "additional", extra, first["observer_id"], date(cyc.year + 1, 1, 10), date(cyc.year + 1, 6, 30), False)
        truth.add("observation_over_cap", "observation_cap", label, p.staff_id, "breached",
                  minutes=so_far + extra, cap_minutes=round(limit, 2), added=row["observation_date"])
        # added outside the plan with no revision meeting recorded (App. 3 ¶16)
        truth.add("observation_over_cap", "observation_in_plan", label, p.staff_id, "breached",
                  added=row["observation_date"])
    for p in pick(rng_for("short_observation_notice"), observed, effects.short_observation_notice):
        r2 = rng_for("short_observation_notice", p.staff_id)
        row = r2.choice(pm_rows[p.staff_id])
        row["notice_date"] = row["observation_date"] - timedelta(days=r2.randint(1, 4))
        truth.add("short_observation_notice", "observation_notice", label, p.staff_id, "breached",
                  observation_date=row["observation_date"], notice_date=row["notice_date"])
    for p in pick(rng_for("late_feedback"), observed, effects.late_feedback):
        r2 = rng_for("late_feedback", p.staff_id)
        row = r2.choice(pm_rows[p.staff_id])
        row["feedback_date"] = wd.add(row["observation_date"], r2.randint(3, 5))
        row["record_date"] = max(row["record_date"], row["feedback_date"])
        truth.add("late_feedback", "observation_feedback", label, p.staff_id, "breached",
                  observation_date=row["observation_date"], feedback_date=row["feedback_date"])
    for p in pick(rng_for("late_record"), observed, effects.late_record):
        r2 = rng_for("late_record", p.staff_id)
        row = r2.choice(pm_rows[p.staff_id])
        row["record_date"] = wd.add(row["observation_date"], r2.randint(8, 12))
        truth.add("late_record", "observation_record", label, p.staff_id, "breached",
                  observation_date=row["observation_date"], record_date=row["record_date"])
    unqualified = sorted(q.staff_id for q in cyc.staff.values() if not q.qts)
    if unqualified:
        for p in pick(rng_for("unqualified_observer"), observed, effects.unqualified_observer):
            r2 = rng_for("unqualified_observer", p.staff_id)
            row = r2.choice(pm_rows[p.staff_id])
            others = {r["observer_id"] for r in rows if r["staff_id"] == p.staff_id and r["observation_date"] == row["observation_date"]}
            choices = [s for s in unqualified if s != p.staff_id and s not in others]
            row["observer_id"] = r2.choice(choices)
            truth.add("unqualified_observer", "observer_qualified", label, p.staff_id, "breached",
                      observer_id=row["observer_id"], observation_date=row["observation_date"])
    return sorted(rows, key=lambda r: (r["staff_id"], r["observation_date"], r["observer_id"]))
