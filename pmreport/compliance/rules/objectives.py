"""The objectives rule (§4.6): how many, each with a timescale, linked to priorities, agreed or determined."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pmreport.compliance.context import CheckContext
from pmreport.compliance.outcomes import BREACHED, DETAIL_COLUMNS, MET, NOT_RECORDED, decide, detail, mask
from pmreport.compliance.rules.base import Rule, out_of_scope, rule, seed_policy


def _numbers(ids: pd.Series, person: np.ndarray, number: np.ndarray) -> np.ndarray:
    """For each id, the ``number`` of each of its rows (``person``), joined as "2, 3" ("" when it has none)."""
    found: dict[str, list[str]] = {}
    for staff_id, no in zip(person.tolist(), number.tolist(), strict=True):
        if not pd.isna(staff_id):
            found.setdefault(staff_id, []).append(no)
    return np.array([", ".join(found.get(staff_id, ())) for staff_id in ids.tolist()], dtype=object)


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
    keep = [c for c in DETAIL_COLUMNS if c in reviews.columns]
    units = pd.concat([reviews[keep], extra.reindex(columns=keep)], ignore_index=True)
    ids = units["staff_id"]

    objectives = objectives.sort_values("objective_no")  # so each person's numbers are listed in order
    person = objectives["staff_id"].to_numpy(dtype=object)
    number = objectives["objective_no"].astype("string").fillna("?").to_numpy(dtype=object)

    def numbers(condition: pd.Series) -> np.ndarray:
        """Per unit, the numbers of the objectives meeting ``condition`` (as "2, 3"; "" when none)."""
        hit = mask(condition, objectives.index)
        return _numbers(ids, person[hit], number[hit])

    count = ids.map(objectives["staff_id"].value_counts()).fillna(0).astype(int).to_numpy()
    most = ctx.setting("max_objectives")
    too_many = count > int(most) if most is not None else np.zeros(len(units), dtype=bool)
    not_linked = numbers(objectives["linked_to_priority"] == False)  # noqa: E712
    no_date = numbers(objectives["target_date"].isna())
    link_blank = numbers(objectives["linked_to_priority"].isna())
    agreed_blank = numbers(objectives["agreed"].isna())

    said = count.astype(str).astype(object)
    breach_parts = [
        _part(too_many, said + f" objectives, more than the school's maximum of {most}"),
        _part(not_linked != "", "objective " + not_linked + " not linked to the school's priorities"),
    ]
    unrecorded_parts = [
        _part(no_date != "", "no target date (timescale) recorded for objective " + no_date),
        _part(link_blank != "", "no link to priorities recorded for objective " + link_blank),
        _part(agreed_blank != "", "not recorded whether objective " + agreed_blank + " was agreed or determined"),
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
        (MET, said + " objectives, each timed, linked to priorities and agreed or determined"),
    )
    return detail(out)


def _part(condition: np.ndarray, words: np.ndarray) -> np.ndarray:
    return np.where(condition, words, "")


def _join(parts: list[np.ndarray]) -> np.ndarray:
    """Join the non-empty parts of each row with "; " (column by column, not row by row)."""
    joined = parts[0]
    for part in parts[1:]:
        both = (joined != "") & (part != "")
        joined = np.where(both, joined + "; ", joined) + part
    return joined
