"""The people table as the analyses see it (portable Ibis): characteristics harmonised, flags derived.

* A characteristic left out of a return (``not_shown``) counts as not known.
* ``working_pattern``: full time, part time (any part-time band) or not known.
* A value the school's return made less detailed (age "under_40") is kept as its own group.
* ``teacher``: a teacher or a headteacher, including where the return combines them ("teaching").
"""

from __future__ import annotations

from typing import Any

from pmreport.compliance.rules import RULE_ORDER

NOT_KNOWN = "not_known"
#: The characteristics pay progression is analysed by, one at a time.
CHARACTERISTICS = ("sex", "ethnicity_group", "working_pattern", "age_band", "disability", "pregnancy_maternity")
RULE_COLUMNS = tuple(f"rule_{r}" for r in RULE_ORDER)
PAY_OUTCOMES = ("progress", "no_progress")
TEACHING = ("teacher", "headteacher", "teaching")
PART_TIME = ("part_time", "part_time_half_or_more", "part_time_under_half")


def analysis_view(people: Any) -> Any:
    """``people`` with the derived columns every analysis uses."""
    import ibis

    p = people
    known = {c: ibis.ifelse(p[c] == "not_shown", NOT_KNOWN, p[c]) for c in
             ("sex", "ethnicity_group", "age_band", "disability", "pregnancy_maternity")}
    return p.mutate(
        **known,
        working_pattern=ibis.cases((p.fte_band == "full_time", "full_time"), (p.fte_band.isin(PART_TIME), "part_time"),
                                   else_=NOT_KNOWN),
        teacher=p.role_group.isin(TEACHING),
        support=p.role_group == "support",
        scoped=p.in_scope == "yes",
        pay_counted=(p.pay_eligible == "yes") & p.pay_decision.isin(PAY_OUTCOMES),
        progressed=p.pay_decision == "progress",
        pm_observed=p.pm_observation_minutes > 0,
        reviews_support=p.support_staff_reviewed > 0,
        outside_hours=p.development_outside_hours > 0,
    )


def as_int(expr: Any) -> Any:
    """A true/false expression counted as 1/0 (summed the same way on every engine)."""
    return expr.cast("int64")
