"""The generator's self-check: re-derive every policy finding from the typed tables alone.

Deliberately independent of how the generator built the data: it reads only a
:class:`~pmreport.model.SchoolData` (and the ``holidays`` package) and applies DESIGN.md's
conventions literally. The tests prove ``findings(school.data) == truth`` over many seeds, so the
truth file can be trusted by whoever tests the real compliance engine. It is not that engine.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pandas as pd

from pmreport.model import SchoolData
from pmreport.school_year import policy_default

COUNTED_PURPOSES = ("performance_management", "additional")
SHORT_CONTRACT_DAYS = 150  # well under two terms; the generator's short contracts run 3 to 4 months


class Days:
    def __init__(self, data: SchoolData):
        starts = pd.to_datetime(data.school["cycle_start"]).dropna()
        years = range(starts.min().year - 1, starts.max().year + 3) if len(starts) else range(2000, 2040)
        cal = data.tables["calendar"]
        shut = cal[(cal["kind"] != "inset").fillna(True).astype(bool)]  # staff work on INSET days
        closures = {d.date() for s, e in zip(shut["start_date"], shut["end_date"].fillna(shut["start_date"]), strict=True)
                    if pd.notna(s) for d in pd.date_range(s, e, freq="D")}
        self.closed = set(holidays.country_holidays("GB", subdiv="ENG", years=list(years))) | closures
        self._nth: dict[tuple[date, int], date] = {}

    def working(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self.closed

    def nth_after(self, d: date, n: int) -> date:
        key = (d, n)
        if key not in self._nth:
            day = d
            while n:
                day += timedelta(days=1)
                n -= self.working(day)
            self._nth[key] = day
        return self._nth[key]

    def count_after(self, a: date, b: date) -> int:
        n = 0
        while a < b:
            a += timedelta(days=1)
            n += self.working(a)
        return n


def _d(x) -> date | None:
    return None if x is None or pd.isna(x) else pd.Timestamp(x).date()


def _rows(frame: pd.DataFrame, cycle: str) -> list[dict]:
    """Rows of one cycle as plain dicts, missing values as None."""
    part = frame[frame["cycle"] == cycle].astype(object)
    return part.where(part.notna(), None).to_dict("records")


def findings(data: SchoolData) -> set[tuple[str, str, str, str]]:
    """Every (rule, cycle, staff_id, outcome) the data shows; outcome is breached or not_recorded."""
    days = Days(data)
    out: set[tuple[str, str, str, str]] = set()

    def flag(rule, cycle, sid, outcome="breached"):
        out.add((rule, str(cycle), str(sid), outcome))

    for cycle in data.cycles:
        school = data.school_row(cycle)
        staff = {r["staff_id"]: r for r in _rows(data.staff_in(cycle).assign(cycle=cycle), cycle)}
        rv = _rows(data.reviews, cycle)
        reviewed = {r["staff_id"] for r in rv}
        # coverage
        for sid, p in staff.items():
            start, end = _d(p["contract_start"]), _d(p["contract_end"])
            short = start is not None and end is not None and (end - start).days < SHORT_CONTRACT_DAYS
            if not (p["induction"] or p["in_capability"] or short) and sid not in reviewed:
                flag("coverage", cycle, sid)
        for r in rv:
            sid, meeting = r["staff_id"], _d(r["meeting_date"])
            role = staff[sid]["role_group"]
            deadline = _d(school["teacher_deadline"] if role == "teacher" else
                          school["head_deadline"] if role == "headteacher" else school["support_cycle_end"])
            if meeting is None:
                flag("deadline", cycle, sid, "not_recorded")
                continue
            if deadline is not None and meeting > deadline:
                flag("deadline", cycle, sid)
            notice = _d(r["notice_date"])
            if notice is None:
                flag("notice", cycle, sid, "not_recorded")
            elif days.count_after(notice, meeting) < 5:
                flag("notice", cycle, sid)
            for rule, col, n in (("draft_statement", "draft_statement_date", 5), ("final_statement", "final_statement_date", 10)):
                d = _d(r[col])
                if d is None:
                    flag(rule, cycle, sid, "not_recorded")
                elif d > days.nth_after(meeting, n):
                    flag(rule, cycle, sid)
            mid = _d(r["mid_year_review_date"])
            if mid is None:
                flag("mid_year", cycle, sid, "not_recorded")
            else:  # in the person's own cycle: support staff's ends on support_cycle_end (April to March)
                first = _d(school["cycle_start"]) or date(int(str(cycle)[:4]), 9, 1)
                last = _d(school["cycle_end"]) or date(int(str(cycle)[:4]) + 1, 8, 31)
                support_end = _d(school["support_cycle_end"])
                if role == "support" and support_end is not None:
                    last = support_end
                    first = (pd.Timestamp(last) - pd.DateOffset(years=1)).date() + timedelta(days=1)
                joined = _d(staff[sid]["contract_start"])
                first = max(first, joined) if joined is not None else first
                if not first <= mid <= last:
                    flag("mid_year", cycle, sid)
            mod = _d(r["moderation_date"])
            if r["moderated"] is True and mod is None:
                flag("moderation_timely", cycle, sid, "not_recorded")
            elif mod is not None and mod > days.nth_after(meeting, 10):
                flag("moderation_timely", cycle, sid)
            instructed, revised = _d(r["revision_instructed_date"]), _d(r["revised_statement_date"])
            if instructed is not None:
                if revised is None:
                    flag("moderation_timely", cycle, sid, "not_recorded")
                elif revised > days.nth_after(instructed, 10):
                    flag("moderation_timely", cycle, sid)
            reviewer = staff.get(r["reviewer_id"])
            if role == "support" and reviewer is not None and reviewer["role_group"] == "teacher":
                flag("teacher_reviews_support", cycle, sid)
            governors = str(r["reviewer_id"] or "").strip().upper() in ("GOV", "GOVERNORS")
            if role == "headteacher" and r["reviewer_id"] is not None and not governors:
                flag("head_reviewer", cycle, sid)  # §4.2: the governing body reviews the head
            if school["moderation_option"] == "all" and role == "teacher" and r["moderated"] is False:
                flag("moderation_timely", cycle, sid)  # §5 option (a): every teacher's statement
        cap = school["max_reviewees"]
        if pd.notna(cap):  # the head's own review and the governing body are never in anyone's load
            counts: dict[str, int] = {}
            for r in rv:
                head = staff[r["staff_id"]]["role_group"] == "headteacher"
                if head or str(r["reviewer_id"]).strip().upper() in ("GOV", "GOVERNORS") or r["reviewer_id"] is None:
                    continue
                counts[r["reviewer_id"]] = counts.get(r["reviewer_id"], 0) + 1
            for reviewer_id, n in counts.items():
                if n > cap:
                    flag("reviewer_load", cycle, reviewer_id)
        # objectives
        most = school["max_objectives"]
        by_person: dict[str, list[dict]] = {}
        for o in _rows(data.objectives, cycle):
            by_person.setdefault(o["staff_id"], []).append(o)
        for sid, group in by_person.items():
            if (pd.notna(most) and len(group) > most) or any(o["linked_to_priority"] is False for o in group):
                flag("objectives_reasonable", cycle, sid)
            elif any(o["target_date"] is None or o["agreed"] is None for o in group):
                flag("objectives_reasonable", cycle, sid, "not_recorded")
        # observations
        hours = school["observation_cap_hours"]
        hours = hours if pd.notna(hours) else policy_default("observation_cap_hours")
        minutes: dict[str, int] = {}
        for o in _rows(data.observations, cycle):
            sid, day = o["staff_id"], _d(o["observation_date"])
            if o["purpose"] in COUNTED_PURPOSES:
                minutes[sid] = minutes.get(sid, 0) + o["duration_minutes"]
                if o["in_plan"] is False:  # outside the plan: needs a revision meeting (App. 3 ¶16)
                    flag("observation_in_plan", cycle, sid)
            checks = (
                *((("observation_notice", "notice_date", lambda x, day=day: (day - x).days < 7),)
                  if o["purpose"] != "drop_in" else ()),  # drop-ins are unannounced (App. 3 ¶6)
                ("observation_feedback", "feedback_date", lambda x, day=day: x > days.nth_after(day, 1)),
                ("observation_record", "record_date", lambda x, day=day: x > days.nth_after(day, 5)),
            )
            for rule, col, late in checks:
                x = _d(o[col])
                if x is None:
                    flag(rule, cycle, sid, "not_recorded")
                elif late(x):
                    flag(rule, cycle, sid)
            observer = staff.get(o["observer_id"])
            if staff[sid]["role_group"] in ("teacher", "headteacher") and observer is not None and not observer["qts"]:
                flag("observer_qualified", cycle, sid)
        for sid, total in minutes.items():
            if total > round(hours * 60 * staff[sid]["fte"], 6):  # 3 × 60 × 0.7 is 126 minutes, not 125.99...
                flag("observation_cap", cycle, sid)
        # development
        for dev in _rows(data.development, cycle):
            if dev["provided"] in ("no", "partly"):
                flag("development_provided", cycle, dev["staff_id"])
            if dev["outside_school_hours"] is True:
                flag("training_outside_hours", cycle, dev["staff_id"])
        # appeals (§8): a formal appeal heard or decided before the reviewee's moderation was complete. One
        # lodged before it cannot be judged without the date it was heard, unless it is pending and not heard
        # yet (deferred so far). Withdrawn appeals were not heard.
        mods = {r["staff_id"]: _d(r["moderation_date"]) for r in rv}
        for a in _rows(data.appeals, cycle):
            if a["stage"] != "formal" or a["outcome"] == "withdrawn":
                continue
            own, lodged = mods.get(a["staff_id"]), _d(a["lodged_date"])
            heard, decided = _d(a["heard_date"]), _d(a["outcome_date"])
            if own is None:
                continue
            if any(x is not None and x < own for x in (heard, decided)):
                flag("appeal_after_moderation", cycle, a["staff_id"])
            elif heard is None and (lodged is None or lodged < own):
                deferred_so_far = a["outcome"] == "pending" and decided is None and lodged is not None
                if not deferred_so_far:
                    flag("appeal_after_moderation", cycle, a["staff_id"], "not_recorded")
    return out


def truth_set(truth: dict) -> set[tuple[str, str, str, str]]:
    return {(b["rule"], b["cycle"], b["staff_id"], b["outcome"]) for b in truth["breaches"]}
