"""The people table as the analyses see it (portable Ibis): characteristics harmonised, flags derived.

Schools' returns show a characteristic at different levels of detail (k-anonymity makes small
schools' values broader). Comparing a broad group with a fine one would compare different kinds of
school and person, so each characteristic is analysed at one level for everyone:

* ``age_band``: under 50 / 50 and over (the broad step of every return's ladder);
* ``ethnicity_group``: White British / all other ethnic groups (including not known);
* ``working_pattern``: full time / part time (any part-time band);
* ``sex``, ``disability``, ``pregnancy_maternity``: as returned.

A value left out of a return stays ``not_shown`` (its own group, "Not shown"); a value the school
did not record is ``not_known``. ``teacher`` is a teacher or headteacher, including where the
return combines them ("teaching").
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
UNDER_50 = ("under_30", "30_39", "40_49", "under_50")
OVER_50 = ("50_59", "60_and_over", "50_and_over")


def analysis_view(people: Any) -> Any:
    """``people`` with the derived columns every analysis uses."""
    import ibis

    p = people
    return p.mutate(
        age_band=ibis.cases((p.age_band.isin(UNDER_50), "under_50"), (p.age_band.isin(OVER_50), "50_and_over"),
                            else_=p.age_band),
        ethnicity_group=ibis.cases((p.ethnicity_group == "white_british", "white_british"),
                                   (p.ethnicity_group.isin(["not_shown"]), "not_shown"),
                                   else_="all_other_or_not_known"),
        working_pattern=ibis.cases((p.fte_band == "full_time", "full_time"), (p.fte_band.isin(PART_TIME), "part_time"),
                                   (p.fte_band == "not_shown", "not_shown"), else_=NOT_KNOWN),
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
