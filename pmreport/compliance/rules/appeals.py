"""The appeals rule (§8): formal appeals are heard and decided only once moderation is complete."""

from __future__ import annotations

import pandas as pd

from pmreport.compliance.context import CheckContext, lookup
from pmreport.compliance.outcomes import BREACHED, MET, NOT_APPLICABLE, NOT_RECORDED, decide, detail, fmt_dates
from pmreport.compliance.rules.base import Rule, out_of_scope, rule, seed_policy
from pmreport.compliance.rules.reviews import was_moderated
from pmreport.compliance.rules.timing import future_cases


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
        "The appeal must be deferred, not refused: lodging it before moderation is fine, hearing or deciding it "
        "before moderation is complete is not. The date it was heard (heard_date) and the date the outcome was "
        "given (outcome_date) are compared with the reviewee's moderation date for the cycle. Breached when "
        "either is before the moderation date; met when the appeal was heard on or after it (moderation "
        "completed that day), when it was lodged on or after it (so heard after it), or when it was lodged "
        "before it and is still pending and not yet heard (deferred so far). Not recorded when the statement "
        "was moderated but the moderation date is blank, when an appeal lodged before moderation has no date "
        "heard (whether it was deferred is not known), or when neither the date heard nor the date lodged is "
        "recorded. Not applicable to informal and withdrawn appeals and where the statement was not moderated "
        "or no review is recorded. Not recorded, too, when the date heard is after the run date (it cannot have "
        "happened yet)."
    ),
)
def appeal_after_moderation(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    appeals = ctx.rows("appeals")
    appeals["item"] = appeals["stage"].fillna("") + " appeal about " + appeals["subject"].fillna("?") + " lodged on " + \
        pd.Series(fmt_dates(appeals["lodged_date"]), index=appeals.index, dtype="string")  # all blank: still text
    reviews = ctx.rows("reviews").drop_duplicates("staff_id").set_index("staff_id")
    moderated = lookup(appeals["staff_id"], was_moderated(reviews).astype("boolean"))
    moderation = lookup(appeals["staff_id"], reviews["moderation_date"])
    lodged, heard, decided = appeals["lodged_date"], appeals["heard_date"], appeals["outcome_date"]
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
            *future_cases(ctx, heard, pd.Series(pd.NaT, index=heard.index), "the hearing"),
            (heard < moderation, BREACHED, "formal appeal heard on " + fmt_dates(heard)
             + ", before moderation was completed on " + mod),
            (decided < moderation, BREACHED, "formal appeal decided on " + fmt_dates(decided)
             + ", before moderation was completed on " + mod),
            (heard.notna(), MET, "formal appeal heard on " + fmt_dates(heard) + ", after moderation on " + mod),
            (lodged.isna(), NOT_RECORDED, "neither the date the appeal was heard nor the date it was lodged is recorded"),
            (lodged >= moderation, MET, "formal appeal lodged on " + fmt_dates(lodged) + ", after moderation on "
             + mod + ", so heard after it"),
            ((appeals["outcome"] == "pending") & decided.isna(), MET, "formal appeal lodged on " + fmt_dates(lodged)
             + ", before moderation on " + mod + ", and not heard yet: deferred so far"),
        ],
        (NOT_RECORDED, "formal appeal lodged on " + fmt_dates(lodged) + ", before moderation on " + mod
         + ", and the date it was heard is not recorded"),
    )
    return detail(out)
