"""Line management for one cycle; line managers are the reviewers (policy §4.2, option 2)."""

from __future__ import annotations

from pmreport.synth.people import Person
from pmreport.synth.posts import TEAM_OF


def assign_line_managers(people: list[Person]) -> None:
    """Line managers for one cycle: leaders manage teachers, supervisors manage support staff.

    Senior leaders and the business manager report to the headteacher; middle leaders to senior
    leaders; teachers to middle leaders (to senior leaders where there are none); support staff to
    the supervisor of their team, else the business manager. Each goes to the least loaded.
    """
    head = next(p for p in people if p.responsibility == "headteacher")
    seniors = [p for p in people if p.responsibility == "senior_leader"]
    middles = [p for p in people if p.responsibility == "middle_leader"]
    business = [p for p in people if p.family == "business"]
    supervisors = [p for p in people if p.responsibility == "support_supervisor" and p.family != "business"]
    load: dict[str, int] = {}

    def give(person: Person, managers: list[Person]) -> None:
        pool = [m for m in managers if m.staff_id != person.staff_id and not m.in_capability] or [head]
        chosen = min(pool, key=lambda m: (load.get(m.staff_id, 0), m.staff_id))
        person.line_manager_id = chosen.staff_id
        counts = not (person.induction_left or person.temporary or person.in_capability)
        load[chosen.staff_id] = load.get(chosen.staff_id, 0) + counts

    head.line_manager_id = None
    for p in people:
        if p is head:
            continue
        if p.responsibility == "senior_leader" or p.family == "business":
            give(p, [head])
        elif p.responsibility == "middle_leader":
            give(p, seniors or [head])
        elif p.role_group == "teacher":
            give(p, middles or seniors or [head])
        elif p.responsibility == "support_supervisor":
            give(p, business or [head])
        else:
            team = [s for s in supervisors if s.family == TEAM_OF.get(p.family)]
            give(p, team or business or [head])
