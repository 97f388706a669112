"""The staff of a synthetic school: who works there, in which post, and how that changes by cycle.

A :class:`Person` carries the characteristics that stay put (name, sex, date of birth ...) and the
ones that move between cycles (pay point, experience, induction). :class:`Roster` builds the
starting staff for a phase and size, then ages it by one cycle at a time with leavers and joiners.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from pmreport.synth import names
from pmreport.synth.posts import ETHNICITY_WEIGHTS, PART_TIME_FTE, PAY_POINTS, slots


@dataclass
class Person:
    staff_id: str
    name: str
    sex: str
    ethnicity: str
    disability: bool
    date_of_birth: date
    religion_belief: str | None
    sexual_orientation: str | None
    role_group: str
    post: str
    responsibility: str
    pay_range: str
    pay_index: int
    pay_top: int
    fte: float
    contract_type: str
    contract_start: date
    contract_end: date | None
    years_experience: float
    qts: bool
    family: str  # line-management family: leader, teacher, or a support family
    joined_cycle: int
    induction_left: int = 0
    temporary: bool = False
    # per-cycle state, set by Roster.rows_for
    in_capability: bool = False
    pregnancy_maternity: bool = False
    absence_days: float = 0.0
    line_manager_id: str | None = None
    leaves_after: bool = False
    slot: dict = field(default_factory=dict, repr=False)

    @property
    def pay_point(self) -> str:
        return PAY_POINTS[self.pay_range][self.pay_index]

    @property
    def is_manager(self) -> bool:
        return self.responsibility in ("headteacher", "senior_leader", "middle_leader", "support_supervisor")

    def age_on(self, d: date) -> int:
        dob = self.date_of_birth
        return d.year - dob.year - ((d.month, d.day) < (dob.month, dob.day))


def weighted(rng, pairs):
    values = [v for v, _ in pairs]
    return rng.choices(values, weights=[w for _, w in pairs], k=1)[0]


class Roster:
    """Everyone employed by one synthetic school, cycle by cycle."""

    def __init__(self, rng, phase: str, n_staff: int, first_year: int):
        self.rng = rng
        self.phase = phase
        self.first_year = first_year
        self.n_staff = n_staff
        self._next_id = rng.randrange(120, 2400)
        self._used_names: set[str] = set()
        self.n_temps = round(n_staff * 0.03)
        self.people: list[Person] = self._initial(n_staff - self.n_temps)
        self.temps: list[Person] = []

    # ---- identities -------------------------------------------------------------------------
    def new_id(self) -> str:
        self._next_id += self.rng.randrange(1, 18)
        return f"{self._next_id:06d}"

    def _name(self, sex: str, ethnicity: str) -> str:
        group = {"A": "asian", "B": "black", "C": "chinese"}.get(ethnicity[0])
        if ethnicity in ("WOTH", "WROM", "WIRI", "WIRT"):
            group = "white_other"
        for _ in range(200):
            if group and self.rng.random() < 0.8:
                female, male, surnames = names.NAME_POOLS[group]
            else:
                female, male, surnames = names.FEMALE_FIRST, names.MALE_FIRST, names.SURNAMES
            first = self.rng.choice(female if sex == "female" else male if sex == "male" else female + male)
            full = f"{first} {self.rng.choice(surnames)}"
            if full not in self._used_names:
                self._used_names.add(full)
                return full
        raise RuntimeError("ran out of invented names")  # pragma: no cover - lists are large enough

    # ---- making people ----------------------------------------------------------------------
    def _person(self, slot: dict, cycle: int, start: date | None = None, ect: bool = False) -> Person:
        rng = self.rng
        cycle_start = date(self.first_year + cycle, 9, 1)
        share_female = slot["female"]
        sex = "female" if rng.random() < share_female else "male"
        if rng.random() < 0.01:
            sex = "unknown"
        ethnicity = weighted(rng, ETHNICITY_WEIGHTS)
        role, resp, pay_range = slot["role_group"], slot["responsibility"], slot["pay_range"]
        # experience first, then an age that fits it
        if ect:
            exp = 0.0
        elif resp == "headteacher":
            exp = float(rng.randint(15, 32))
        elif resp == "senior_leader":
            exp = float(rng.randint(9, 28))
        elif resp == "middle_leader":
            exp = float(rng.randint(5, 25))
        elif role == "support":
            exp = float(rng.randint(0, 22))
        else:
            exp = float(rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 18, 22, 26]))
        lowest_age = 22 + int(exp)
        age = rng.randint(min(lowest_age, 60), min(60, max(lowest_age + 18, 30)))
        dob = cycle_start - timedelta(days=int(age * 365.25) + rng.randrange(1, 360))
        # pay
        if pay_range == "main" and not ect and exp >= 7 and resp != "middle_leader" and rng.random() < 0.65:
            pay_range = "upper"  # most experienced teachers have crossed to the upper pay range
        lo, hi = slot.get("pay_lo", 0), slot.get("pay_hi", len(PAY_POINTS[pay_range]) - 1)
        if pay_range != slot["pay_range"]:
            lo, hi = 0, len(PAY_POINTS[pay_range]) - 1
        if pay_range == "main":
            index = 0 if ect else min(int(exp), 5)
        elif pay_range == "upper":
            index = min(max(int(exp) - 6, 0) // 3, 2)
        elif pay_range in ("support", "leadership"):
            index = rng.randint(lo, hi)
        else:
            index = rng.randint(0, min(hi, 3))
        fte = 1.0
        if slot.get("part_time", 0) and rng.random() < slot["part_time"]:
            fte = rng.choice(PART_TIME_FTE)
        if start is None:
            start = cycle_start - timedelta(days=rng.randint(1, max(2, int(min(exp, 15) * 365))))
            if rng.random() < 0.7:  # most contracts start on 1 September
                start = date(start.year if start.month >= 9 else start.year - 1, 9, 1)
        contract_type = "fixed_term" if (rng.random() < 0.06 and resp not in ("headteacher", "senior_leader")) else "permanent"
        contract_end = None
        if contract_type == "fixed_term":
            start = max(start, cycle_start)
            contract_end = date(cycle_start.year + 1, 8, 31)
        return Person(
            staff_id=self.new_id(),
            name=self._name(sex, ethnicity),
            sex=sex,
            ethnicity=ethnicity,
            disability=rng.random() < 0.06,
            date_of_birth=dob,
            religion_belief=weighted(rng, names.RELIGIONS) if rng.random() < 0.85 else None,
            sexual_orientation=weighted(rng, names.ORIENTATIONS) if rng.random() < 0.8 else None,
            role_group=role,
            post=slot["post"],
            responsibility=resp,
            pay_range=pay_range,
            pay_index=max(lo, min(index, hi)),
            pay_top=hi,
            fte=fte,
            contract_type=contract_type,
            contract_start=start,
            contract_end=contract_end,
            years_experience=exp,
            qts=slot["qts"],
            family=slot["family"],
            joined_cycle=cycle,
            induction_left=(2 if ect else 0),
        )

    def _initial(self, n_core: int) -> list[Person]:
        people = []
        for slot in slots(self.phase, n_core, self.rng):
            ect = slot["responsibility"] == "classroom_teacher" and slot["qts"] and self.rng.random() < 0.09
            p = self._person(slot, 0, ect=ect)
            if ect:
                p.contract_start = date(self.first_year, 9, 1) if self.rng.random() < 0.6 else date(self.first_year - 1, 9, 1)
                p.induction_left = 2 if p.contract_start.year == self.first_year else 1
                p.years_experience = float(2 - p.induction_left)
            p.slot = slot
            p.joined_cycle = 0 if p.contract_start >= date(self.first_year, 9, 1) else -1
            people.append(p)
        return people

    # ---- cycles -----------------------------------------------------------------------------
    def temps_for(self, cycle: int) -> list[Person]:
        """Short contracts (under two terms) in this cycle: cover for a term, never reviewed."""
        year = self.first_year + cycle
        out = []
        for i in range(self.n_temps):
            teacher = self.rng.random() < 0.5
            slot = dict(post="Supply Teacher" if teacher else "Temporary Teaching Assistant",
                        role_group="teacher" if teacher else "support",
                        responsibility="classroom_teacher" if teacher else "support",
                        pay_range="main" if teacher else "support", pay_lo=0 if teacher else 3,
                        pay_hi=5 if teacher else 6, qts=teacher, family="teacher" if teacher else "ta",
                        female=0.75)
            autumn = (i + cycle) % 2 == 0
            start = date(year, 9, 1) if autumn else date(year + 1, 1, 5)
            p = self._person(slot, cycle, start=start)
            p.temporary = True
            p.contract_type = "temporary"
            p.contract_start = start
            p.contract_end = date(year, 12, 19) if autumn else date(year + 1, 3, 27)
            out.append(p)
        return out

    def advance(self, cycle: int, progressed: set[str]) -> None:
        """Age the core staff from ``cycle`` to ``cycle + 1``: pay steps, experience, leavers, joiners."""
        rng = self.rng
        next_start = date(self.first_year + cycle + 1, 9, 1)
        survivors: list[Person] = []
        for p in self.people:
            if p.leaves_after:
                slot = p.slot
                ect = slot["responsibility"] == "classroom_teacher" and slot["qts"] and rng.random() < 0.35
                joiner = self._person(slot, cycle + 1, start=next_start, ect=ect)
                joiner.slot = slot
                survivors.append(joiner)
                continue
            q = replace(p)
            q.years_experience = p.years_experience + 1
            q.induction_left = max(0, p.induction_left - 1)
            if p.staff_id in progressed:
                if p.pay_range == "main" and p.pay_index == 5 and rng.random() < 0.3 and p.responsibility != "classroom_teacher":
                    q.pay_range, q.pay_index, q.pay_top = "upper", 0, 2
                else:
                    q.pay_index = min(p.pay_index + 1, p.pay_top)
            if p.contract_type == "fixed_term":
                q.contract_type, q.contract_start, q.contract_end = "permanent", next_start, None
            q.in_capability = q.pregnancy_maternity = False
            survivors.append(q)
        self.people = survivors

    def mark_leavers(self, cycle: int, keep: Collection[str] = ()) -> None:
        """Choose who leaves at the end of ``cycle`` (never the headteacher or anyone in ``keep``)."""
        for p in self.people:
            if p.responsibility == "headteacher":
                continue
            rate = 0.5 if p.contract_type == "fixed_term" else (0.11 if p.role_group == "teacher" else 0.09)
            retiring = p.age_on(date(self.first_year + cycle + 1, 9, 1)) > 64
            p.leaves_after = (self.rng.random() < rate or retiring) and p.staff_id not in keep
            if p.leaves_after:
                p.contract_end = date(self.first_year + cycle + 1, 8, 31)

    def set_cycle_state(self, cycle: int) -> None:
        """Capability, maternity and absence for this cycle."""
        rng = self.rng
        start = date(self.first_year + cycle, 9, 1)
        for p in self.people:
            p.in_capability = False
            p.pregnancy_maternity = p.sex == "female" and 24 <= p.age_on(start) <= 42 and rng.random() < 0.045
            long_absence = rng.random() < 0.05
            p.absence_days = float(rng.randint(15, 60) if long_absence else min(rng.choice([0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 8, 10]), 30))
        # At most one person in the capability procedure, and only in larger schools.
        candidates = [p for p in self.people if not p.is_manager and p.induction_left == 0 and p.joined_cycle < cycle
                      and p.responsibility in ("classroom_teacher", "support")]
        if candidates and rng.random() < min(0.8, self.n_staff / 60):
            rng.choice(candidates).in_capability = True
