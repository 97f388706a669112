"""Rules on who reviews whom (§4.2 and the NUT circular of February 2004)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pmreport.compliance.context import GOVERNOR_REVIEWERS, CheckContext
from pmreport.compliance.outcomes import BREACHED, MET, NOT_APPLICABLE, NOT_RECORDED, decide, detail, text
from pmreport.compliance.rules.base import Rule, out_of_scope, rule, seed_policy
from pmreport.model import SOURCE_COLUMNS

#: What the school records about the headteacher's adviser (§4.2), in words.
HEAD_ADVISERS = {
    "school_improvement_partner": "the school improvement partner appointed by the local authority",
    "external_adviser": "an external adviser appointed by the governing body",
}


def is_governing_body(reviewer: pd.Series) -> pd.Series:
    """The reviewer reference stands for the governing body (GOV, GOVERNORS)."""
    return reviewer.str.strip().str.upper().isin(GOVERNOR_REVIEWERS).fillna(False).astype(bool)


@rule(
    id="head_reviewer",
    title="The governing body reviews the headteacher",
    citation="§4.2",
    source="Model policy",
    policy_text=seed_policy(
        """The Governing Body is the reviewer for the Headteacher and to discharge this responsibility on its
        behalf may appoint 2 or 3 governors."""
    ),
    applies_to="Every review in the cycle of the headteacher (role group headteacher) in scope.",
    unit="person",
    method=(
        "Met when the reviewer is recorded as the governing body (GOV or GOVERNORS: the governors it appoints "
        "act on its behalf). Breached when anyone else is recorded as the reviewer (for example the deputy, by "
        "staff id). Not recorded when no reviewer is recorded. Where the school records head_adviser (the "
        "school improvement partner or an external adviser, §4.2), the reason names it."
    ),
)
def head_reviewer(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    reviews = ctx.rows("reviews")[["staff_id", "reviewer_id", *SOURCE_COLUMNS]]
    units = reviews[(ctx.staff_value(reviews["staff_id"], "role_group") == "headteacher").fillna(False).astype(bool)]
    reviewer = text(units["reviewer_id"])
    adviser = HEAD_ADVISERS.get(str(ctx.setting("head_adviser", "")), "")
    advised = f", advised by {adviser}" if adviser else ", no adviser recorded on the school sheet"
    out = decide(
        units,
        [
            out_of_scope(ctx, units["staff_id"]),
            (pd.isna(reviewer), NOT_RECORDED, "no reviewer is recorded"),
            (~is_governing_body(units["reviewer_id"]), BREACHED,
             "reviewed by " + reviewer + ", not the governing body" + advised),
        ],
        (MET, "reviewed by the governing body" + advised),
    )
    return detail(out)


@rule(
    id="reviewer_load",
    title="No reviewer has more reviewees than the school's maximum",
    citation="§4.2",
    source="Model policy",
    policy_text=seed_policy(
        """In this school the maximum number of reviewees for whom a reviewer will have responsibility will be
        (*), having due regard for the need to achieve a satisfactory work – life balance for all staff."""
    ),
    applies_to=(
        "Every reviewer named on the cycle's reviews of reviewees in scope, except the governing body (GOV), "
        "and only where the school sets max_reviewees. The headteacher's own review is never counted in a "
        "member of staff's load: the governing body is the head's reviewer (see head_reviewer)."
    ),
    unit="reviewer",
    defaults={"max_reviewees": "the school's max_reviewees; the rule does not apply when blank"},
    method=(
        "Counts, for each reviewer, the reviews in the cycle of reviewees in scope, other than the headteacher's. "
        "Met when the count is at most max_reviewees, breached when above it; the reason lists the reviewees. "
        "Not applicable to every reviewer when the school sets no maximum. Reviews with no reviewer recorded are "
        "not counted here. Each finding points at the reviewer's row on the staff sheet (or, for a reviewer not "
        "on it, their first review)."
    ),
)
def reviewer_load(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    reviews = ctx.rows("reviews")[["staff_id", "reviewer_id", *SOURCE_COLUMNS]]
    in_scope = ctx.staff_value(reviews["staff_id"], "scope_reason").isna()
    head = (ctx.staff_value(reviews["staff_id"], "role_group") == "headteacher").fillna(False).astype(bool)
    reviewer = reviews["reviewer_id"]
    counted = reviews[in_scope & ~head & reviewer.notna() & ~is_governing_body(reviewer)]
    load = counted.groupby("reviewer_id").size()
    reviewees = counted.sort_values("staff_id").groupby("reviewer_id")["staff_id"].agg(
        lambda ids: ", ".join(dict.fromkeys(ids.astype(str))))
    units = counted.drop_duplicates("reviewer_id").reset_index(drop=True)
    units["staff_id"] = units["reviewer_id"]
    for col in SOURCE_COLUMNS:  # point at the reviewer's own row on the staff sheet, where they have one
        own = ctx.staff_value(units["staff_id"], col)
        units[col] = own.where(own.notna(), units[col]) if col != "_row" else own.fillna(units[col])
    count = units["staff_id"].map(load)
    units["item"] = "reviewer of " + text(units["staff_id"].map(reviewees))
    most = ctx.setting("max_reviewees")
    said = "reviews " + text(count) + " reviewee" + np.where(count != 1, "s", "").astype(object)
    if most is None:
        cases = [(True, NOT_APPLICABLE, said + "; the school sets no maximum")]
    else:
        cases = [(count > int(most), BREACHED, said + f", more than the maximum of {int(most)}")]
    out = decide(units, cases, (MET, said + f", within the maximum of {most}"))
    return detail(out)


@rule(
    id="teacher_reviews_support",
    title="Support staff reviewed by a teacher (workload flag)",
    citation="NUT circular, Feb 2004",
    source="NUT circular to representatives, February 2004",
    policy_text=seed_policy(
        """But in any school teachers can also be nominated, by this policy, to be the reviewer of individual
        non-teaching staff. … NUT members are advised not to take on extra workload by agreeing to become the
        reviewer of non-teaching staff."""
    ),
    applies_to="Every review in the cycle of a member of support staff in scope.",
    unit="person",
    kind="flag",
    method=(
        "Looks up the reviewer's role group on the staff sheet. Flagged (counted as breached) when the reviewer "
        "is a teacher other than the headteacher; met when the reviewer is the headteacher, a member of support "
        "staff or the governing body. Not recorded when no reviewer is recorded or the reviewer is not on the "
        "staff sheet."
    ),
)
def teacher_reviews_support(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    reviews = ctx.rows("reviews")[["staff_id", "reviewer_id", *SOURCE_COLUMNS]]
    units = reviews[(ctx.staff_value(reviews["staff_id"], "role_group") == "support").fillna(False).astype(bool)]
    role = ctx.staff_value(units["reviewer_id"], "role_group")
    governors = is_governing_body(units["reviewer_id"])
    reviewer = text(units["reviewer_id"])
    out = decide(
        units,
        [
            out_of_scope(ctx, units["staff_id"]),
            (pd.isna(reviewer), NOT_RECORDED, "no reviewer is recorded"),
            (role == "teacher", BREACHED, "reviewed by " + reviewer + ", a teacher"),
            (role.isna() & ~governors, NOT_RECORDED, "the reviewer " + reviewer + " is not on the staff sheet"),
        ],
        (MET, "reviewed by " + reviewer + ", who is not a classroom teacher"),
    )
    return detail(out)
