"""Rules on agreed development (§4.7, §10) and on training outside school hours (NUT conference 2001)."""

from __future__ import annotations

import pandas as pd

from pmreport.compliance.context import CheckContext
from pmreport.compliance.outcomes import BREACHED, MET, NOT_RECORDED, decide, detail
from pmreport.compliance.rules.base import Rule, out_of_scope, rule, seed_policy


def _development(ctx: CheckContext) -> pd.DataFrame:
    """The cycle's development needs, each named as an item (shared by the development rules)."""
    def make() -> pd.DataFrame:
        dev = ctx.rows("development")
        dev["item"] = "development: " + dev["need_category"].fillna("need not named").str.replace("_", " ")
        return dev

    return ctx.shared("development", make).copy(deep=False)


@rule(
    id="development_provided",
    title="Agreed development provided",
    citation="§4.7, §10",
    source="Model policy",
    policy_text=seed_policy(
        """This school is committed to ensuring that all staff have access to a level of development appropriate
        to their role, stage of career development, performance objectives and criteria and individual
        aspirations. … staff training and development needs and instances when it was not possible to provide
        agreed support"""
    ),
    applies_to="Every development need agreed in the cycle for a member of staff in scope.",
    unit="development need",
    category_label="reason not provided",
    method=(
        "Met when provided is yes. Breached when provided is no or partly; the reason_not_provided of each is "
        "counted (funding, time, cover, not_available, other, or not_given when blank) for the annual report "
        "(§10). Not recorded when provided is blank."
    ),
)
def development_provided(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    dev = _development(ctx)
    provided = dev["provided"]
    short = provided.isin(["no", "partly"]).fillna(False).astype(bool)
    why = dev["reason_not_provided"].fillna("not_given")
    dev["category"] = why.where(short, pd.NA)
    said = "provided: " + provided.fillna("") + " (reason: " + why.str.replace("_", " ") + ")"
    out = decide(
        dev,
        [
            out_of_scope(ctx, dev["staff_id"]),
            (provided.isna(), NOT_RECORDED, "not recorded whether it was provided"),
            (short, BREACHED, said),
        ],
        (MET, "provided"),
    )
    out["category"] = out["category"].where(out["outcome"] == BREACHED)
    return detail(out)


@rule(
    id="training_outside_hours",
    title="Development placed outside school hours (workload flag)",
    citation="NUT conference 2001",
    source="NUT annual conference resolution, Easter 2001",
    policy_text=seed_policy(
        """Performance Management is leading to an increase in teacher workload. … particularly by agreeing to
        training outside school hours in line with the original Green Paper recommendations."""
    ),
    applies_to="Every development need agreed in the cycle for a member of staff in scope, whether or not it was provided.",
    unit="development need",
    kind="flag",
    method=(
        "Flagged (counted as breached) when outside_school_hours is Y, met when N, not recorded when blank. "
        "Where it was placed is what is flagged, so development placed outside school hours and then not "
        "provided is still flagged."
    ),
)
def training_outside_hours(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    dev = _development(ctx)
    outside = dev["outside_school_hours"]
    out = decide(
        dev,
        [
            out_of_scope(ctx, dev["staff_id"]),
            (outside.isna(), NOT_RECORDED, "not recorded whether it was outside school hours"),
            (outside, BREACHED, "placed outside school hours"),
        ],
        (MET, "within school hours"),
    )
    return detail(out)
