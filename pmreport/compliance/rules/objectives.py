"""The objectives rule (§4.6): how many, each with a timescale, linked to priorities, agreed or determined."""

from __future__ import annotations

import pandas as pd

from pmreport.compliance.context import CheckContext
from pmreport.compliance.outcomes import BREACHED, MET, NOT_RECORDED, decide, detail
from pmreport.compliance.rules.base import Rule, out_of_scope, rule, seed_policy


def _numbers(objectives: pd.DataFrame, condition: pd.Series) -> pd.Series:
    """Per reviewee, the objective numbers (as "2, 3") of the objectives meeting ``condition``."""
    hits = objectives[condition.fillna(False).astype(bool)]
    if hits.empty:
        return pd.Series(dtype="string")
    nos = hits.sort_values("objective_no")["objective_no"].astype("string").fillna("?")
    return nos.groupby(hits["staff_id"]).agg(", ".join).astype("string")


@rule(
    id="objectives_reasonable",
    title="Objectives reasonable in number, timed, linked to priorities and agreed",
    citation="§4.6",
    source="Model policy",
    policy_text=seed_policy(
        """The number and nature of objectives must be reasonable … All objectives must have a clear and direct
        link with the school’s priorities for improvement, team objectives … All objectives must have clear,
        achievable timescales for completion. … As far as possible the objectives should be reached by
        agreement. However where a joint determination cannot be made the reviewer will make the
        determination."""
    ),
    applies_to=(
        "Every reviewee in scope: everyone with a review or with objectives recorded for the cycle."
    ),
    unit="person",
    defaults={"max_objectives": "the school's max_objectives; no limit when blank"},
    method=(
        "Breached when the reviewee has more objectives than the school's max_objectives (only where the school "
        "sets one), or when any objective is marked as not linked to the school's priorities. Otherwise not "
        "recorded when no objectives are recorded for the reviewee, or when any objective has no target date "
        "(timescale), no answer to linked_to_priority, or no answer to agreed (Y for agreed, N for determined by "
        "the reviewer: either is fine, a blank is not). Met otherwise. All the problems found are listed in the "
        "reason."
    ),
)
def objectives_reasonable(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    objectives = ctx.rows("objectives")
    reviews = ctx.rows("reviews").drop_duplicates("staff_id")
    extra = objectives[~objectives["staff_id"].isin(reviews["staff_id"])].drop_duplicates("staff_id")
    units = pd.concat([reviews, extra[list(reviews.columns.intersection(extra.columns))]], ignore_index=True)
    ids = units["staff_id"]

    count = ids.map(objectives.groupby("staff_id").size()).fillna(0).astype(int)
    most = ctx.setting("max_objectives")
    too_many = count > int(most) if most is not None else pd.Series(False, index=units.index)
    not_linked = ids.map(_numbers(objectives, objectives["linked_to_priority"] == False)).astype("string")  # noqa: E712
    no_date = ids.map(_numbers(objectives, objectives["target_date"].isna())).astype("string")
    link_blank = ids.map(_numbers(objectives, objectives["linked_to_priority"].isna())).astype("string")
    agreed_blank = ids.map(_numbers(objectives, objectives["agreed"].isna())).astype("string")

    breach_parts = [
        _part(too_many, count.astype("string") + f" objectives, more than the school's maximum of {most}"),
        _part(not_linked.notna(), "objective " + not_linked + " not linked to the school's priorities"),
    ]
    unrecorded_parts = [
        _part(no_date.notna(), "no target date (timescale) recorded for objective " + no_date),
        _part(link_blank.notna(), "no link to priorities recorded for objective " + link_blank),
        _part(agreed_blank.notna(), "not recorded whether objective " + agreed_blank + " was agreed or determined"),
    ]
    breaches, unrecorded = _join(breach_parts), _join(unrecorded_parts)
    out = decide(
        units,
        [
            out_of_scope(ctx, ids),
            (breaches != "", BREACHED, breaches),
            (count == 0, NOT_RECORDED, "no objectives are recorded"),
            (unrecorded != "", NOT_RECORDED, unrecorded),
        ],
        (MET, count.astype("string") + " objectives, each timed, linked to priorities and agreed or determined"),
    )
    return detail(out)


def _part(condition: pd.Series, words: pd.Series | str) -> pd.Series:
    words = pd.Series(words, index=condition.index) if isinstance(words, str) else words
    return words.where(condition.fillna(False).astype(bool), "").astype("string").fillna("")


def _join(parts: list[pd.Series]) -> pd.Series:
    """Join the non-empty parts of each row with "; " (column by column, not row by row)."""
    joined = parts[0]
    for part in parts[1:]:
        both = (joined != "") & (part != "")
        joined = (joined + "; ").where(both, joined) + part
    return joined
