"""One appraisal cycle's dates, settings and staff, shared by the record builders."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from pmreport.synth.calendar import WorkingDays
from pmreport.synth.people import Person


def stream(seed: int, *parts: object) -> random.Random:
    """An independent, reproducible random stream for one part of the generator."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def cycle_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass
class Cycle:
    index: int
    year: int
    wd: WorkingDays
    staff: dict[str, Person]
    settings: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return cycle_label(self.year)

    @property
    def start(self) -> date:
        return date(self.year, 9, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 8, 31)

    @property
    def teacher_deadline(self) -> date:
        return date(self.year, 10, 31)

    @property
    def head_deadline(self) -> date:
        return date(self.year, 12, 31)

    @property
    def support_deadline(self) -> date:
        return date(self.year + 1, 3, 31)

    def deadline_for(self, role_group: str) -> date:
        return {"teacher": self.teacher_deadline, "headteacher": self.head_deadline}.get(role_group, self.support_deadline)

    def in_scope(self, p: Person) -> bool:
        """Within the policy this cycle: not in induction, not in capability, not on a short contract."""
        return not (p.induction_left > 0 or p.in_capability or p.temporary)

    @property
    def first_day(self) -> date:
        return self.wd.on_or_after(self.start)
