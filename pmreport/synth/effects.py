"""Known effects the generator can plant in a synthetic school, and the ground truth it keeps.

Every breach effect takes a *rate or a size*, applied separately in each cycle:

* ``0`` (the default) leaves it off;
* a value between 0 and 1 is a rate: that share of the eligible records (reviews, observed
  teachers, reviewers ...) is affected, rounded, and at least one when any is eligible;
* a whole number of 1 or more is a size: that many records per cycle (fewer if fewer qualify).

``harsh_reviewer`` is a number of percentage points added to one reviewer's rate of "no
progress" pay recommendations; ``pay_gap`` is the factor the odds of pay progression are
multiplied by for the group named in ``pay_gap_group`` (for example ``sex=female``,
``ethnicity!=WBRI``, ``fte<1``, ``disability``, ``pregnancy_maternity``, ``age>=50``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

#: Breach effects and the DESIGN.md rule each one breaks.
BREACH_RULES = {
    "late_reviews": "deadline",
    "missing_reviews": "coverage",
    "short_notice": "notice",
    "late_draft": "draft_statement",
    "late_final": "final_statement",
    "missing_statements": "draft_statement/final_statement",
    "no_mid_year": "mid_year",
    "observation_over_cap": "observation_cap/observation_in_plan",
    "short_observation_notice": "observation_notice",
    "late_feedback": "observation_feedback",
    "late_record": "observation_record",
    "unqualified_observer": "observer_qualified",
    "reviewer_overload": "reviewer_load",
    "head_reviewed_by_staff": "head_reviewer",
    "teacher_reviews_support": "teacher_reviews_support",
    "late_moderation": "moderation_timely",
    "statement_not_moderated": "moderation_timely",
    "appeal_before_moderation": "appeal_after_moderation",
    "development_not_provided": "development_provided",
    "training_outside_hours": "training_outside_hours",
    "too_many_objectives": "objectives_reasonable",
}


@dataclass
class Effects:
    """Which known problems to plant. All are off by default (a policy-compliant school)."""

    late_reviews: float = 0
    missing_reviews: float = 0
    short_notice: float = 0
    late_draft: float = 0
    late_final: float = 0
    missing_statements: float = 0
    no_mid_year: float = 0
    observation_over_cap: float = 0
    short_observation_notice: float = 0
    late_feedback: float = 0
    late_record: float = 0
    unqualified_observer: float = 0
    reviewer_overload: float = 0
    head_reviewed_by_staff: float = 0
    teacher_reviews_support: float = 0
    late_moderation: float = 0
    statement_not_moderated: float = 0
    appeal_before_moderation: float = 0
    development_not_provided: float = 0
    training_outside_hours: float = 0
    too_many_objectives: float = 0
    harsh_reviewer: float = 0
    pay_gap: float | None = None
    pay_gap_group: str = "sex=female"

    def __post_init__(self) -> None:
        for name in BREACH_RULES:
            value = getattr(self, name)
            if value is None:
                setattr(self, name, 0)
            elif value < 0 or (value > 1 and float(value) != int(value)):
                raise ValueError(f"effect {name} must be 0, a rate between 0 and 1, or a whole number (got {value})")
        if self.harsh_reviewer and not 0 < self.harsh_reviewer <= 100:
            raise ValueError("harsh_reviewer is a number of percentage points between 0 and 100")
        if self.pay_gap is not None and self.pay_gap <= 0:
            raise ValueError("pay_gap is an odds multiplier and must be above 0")
        parse_group(self.pay_gap_group)

    @classmethod
    def all_breaches(cls, rate: float = 0.05) -> Effects:
        """Every breach effect on at ``rate`` (statistical effects stay off)."""
        kwargs: dict[str, Any] = {name: rate for name in BREACH_RULES}
        return cls(**kwargs)

    @classmethod
    def parse(cls, spec: str | None) -> Effects:
        """Effects from a command-line spec: ``none``, ``all``, ``all=0.1`` or ``name=value,...``.

        ``all`` may be combined with other items, e.g. ``all,harsh_reviewer=30,pay_gap=0.5``.
        A bare name means a rate of 0.05 (30 points for harsh_reviewer, 0.5 for pay_gap).
        """
        kwargs: dict = {}
        known = {f.name for f in fields(cls)}
        for item in (spec or "none").split(","):
            item = item.strip()
            if not item or item == "none":
                continue
            name, _, value = item.partition("=")
            name = name.strip().replace("-", "_")
            if name == "all":
                kwargs.update({n: float(value) if value else 0.05 for n in BREACH_RULES})
            elif name not in known:
                raise ValueError(f"unknown effect {name!r}; known effects: all, none, {', '.join(sorted(known))}")
            elif name == "pay_gap_group":
                kwargs[name] = value
            elif name == "harsh_reviewer":
                kwargs[name] = float(value) if value else 30.0
            elif name == "pay_gap":
                kwargs[name] = float(value) if value else 0.5
            else:
                kwargs[name] = float(value) if value else 0.05
        return cls(**kwargs)

    def active(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "pay_gap_group" and v not in (0, None)}

    def to_dict(self) -> dict:
        return asdict(self)


def parse_group(spec: str):
    """A predicate over a staff row (dict) from ``field=value``, ``field!=value``, ``fte<1``, ``age>=50`` or ``field``."""
    spec = spec.strip()
    for op in ("!=", ">=", "<=", "=", "<", ">"):
        if op in spec:
            name, value = (x.strip() for x in spec.split(op, 1))
            break
    else:
        name, op, value = spec, "is", "true"
    if not name:
        raise ValueError(f"cannot read the pay gap group {spec!r}")

    def number(v):
        return float(v)

    def pred(row: dict) -> bool:
        got = row.get(name)
        if got is None:
            return False
        if op == "is":
            return bool(got) is True
        if op in ("<", ">", "<=", ">="):
            g, v = number(got), number(value)
            return {"<": g < v, ">": g > v, "<=": g <= v, ">=": g >= v}[op]
        same = str(got).lower() == value.lower()
        return same if op == "=" else not same

    return pred


def how_many(rate: float, pool: int) -> int:
    """Records to affect for a rate or size, given ``pool`` eligible records."""
    if not rate or pool <= 0:
        return 0
    if rate >= 1:
        return min(int(rate), pool)
    return min(pool, max(1, round(rate * pool)))


def pick(rng, pool: list, rate: float) -> list:
    """A seeded choice of records from ``pool`` (kept in pool order)."""
    n = how_many(rate, len(pool))
    if not n:
        return []
    chosen = set(rng.sample(range(len(pool)), n))
    return [x for i, x in enumerate(pool) if i in chosen]


class Truth:
    """What was planted: one entry per rule, cycle and person (or reviewer)."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str, str], dict] = {}
        self.applied: dict[str, int] = {}

    def add(self, effect: str, rule: str, cycle: str, staff_id: str, outcome: str = "breached", **detail) -> None:
        key = (rule, cycle, staff_id)
        if key in self.entries:  # the generator never plants two findings of one rule on one person
            raise AssertionError(f"duplicate truth entry {key}")
        self.entries[key] = {"rule": rule, "cycle": cycle, "staff_id": staff_id, "outcome": outcome,
                             "effect": effect, "detail": {k: str(v) for k, v in detail.items()}}
        self.applied[effect] = self.applied.get(effect, 0) + 1

    def sorted_entries(self) -> list[dict]:
        return [self.entries[k] for k in sorted(self.entries, key=lambda k: (k[1], k[0], k[2]))]
