"""The appeals rule (§8): formal appeals wait until moderation is complete."""

from __future__ import annotations

import pandas as pd

from pmreport.compliance.context import CheckContext, lookup
from pmreport.compliance.outcomes import BREACHED, MET, NOT_APPLICABLE, NOT_RECORDED, decide, detail, fmt_dates
from pmreport.compliance.rules.base import Rule, out_of_scope, rule, seed_policy
from pmreport.compliance.rules.reviews import was_moderated


@rule(
    id="appeal_after_moderation",
    title="Formal appeals heard only after moderation is complete",
    citation="§8",
    source="Model policy",
    policy_text=seed_policy(
        """Any appeal should be deferred until after the moderation process is complete, however simple
        disagreements should be capable of being resolved by discussion between the reviewee and reviewer without
        recourse to the formal grievance procedure."""
    ),
    applies_to=(
        "Every formal appeal lodged in the cycle by a member of staff in scope whose statement was moderated. "
        "Informal appeals are the 'simple disagreements' the policy expects to be settled by discussion; a "
        "withdrawn appeal was not heard."
    ),
    unit="appeal",
    method=(
        "The appeal must be deferred, not refused: lodging it before moderation is fine, deciding it before "
        "moderation is complete is not. The appeals sheet records the date the outcome was given (outcome_date), "
        "so that is the date compared with the reviewee's moderation date for the cycle. Breached when the "
        "outcome was given before the moderation date; met when on or after it (moderation completed that day), "
        "or when no outcome is recorded yet but the appeal was lodged on or after the moderation date. Not "
        "recorded when the statement was moderated but the moderation date is blank, or when an appeal lodged "
        "before moderation has no outcome date (when it was decided is not known), or the lodged date is blank. "
        "Not applicable to informal and withdrawn appeals and where the statement was not moderated or no review "
        "is recorded."
    ),
)
def appeal_after_moderation(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    appeals = ctx.rows("appeals")
    appeals["item"] = appeals["stage"].fillna("") + " appeal about " + appeals["subject"].fillna("?") + " lodged on " + \
        pd.Series(fmt_dates(appeals["lodged_date"]), index=appeals.index, dtype="string")  # all blank: still text
    reviews = ctx.rows("reviews").drop_duplicates("staff_id").set_index("staff_id")
    moderated = lookup(appeals["staff_id"], was_moderated(reviews).astype("boolean"))
    moderation = lookup(appeals["staff_id"], reviews["moderation_date"])
    lodged, decided = appeals["lodged_date"], appeals["outcome_date"]
    mod = fmt_dates(moderation)
    out = decide(
        appeals,
        [
            out_of_scope(ctx, appeals["staff_id"]),
            (appeals["stage"] == "informal", NOT_APPLICABLE, "an informal appeal"),
            (appeals["stage"].isna(), NOT_RECORDED, "the stage of the appeal is not recorded"),
            (appeals["outcome"] == "withdrawn", NOT_APPLICABLE, "withdrawn, so not heard"),
            (~moderated.fillna(False), NOT_APPLICABLE, "the statement was not moderated"),
            (moderation.isna(), NOT_RECORDED, "the statement was moderated but the moderation date is not recorded"),
            (decided < moderation, BREACHED, "formal appeal decided on " + fmt_dates(decided)
             + ", before moderation was completed on " + mod),
            (decided.notna(), MET, "formal appeal decided on " + fmt_dates(decided) + ", after moderation on " + mod),
            (lodged.isna(), NOT_RECORDED, "the date the appeal was lodged is not recorded"),
            (lodged >= moderation, MET, "formal appeal lodged on " + fmt_dates(lodged) + ", after moderation on "
             + mod + "; no outcome yet"),
        ],
        (NOT_RECORDED, "formal appeal lodged on " + fmt_dates(lodged) + ", before moderation on " + mod
         + ", and the date it was decided is not recorded"),
    )
    return detail(out)
