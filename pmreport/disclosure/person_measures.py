"""Person-level measures the report needs beyond :func:`~pmreport.disclosure.microdata_from_school`.

One value per member of staff per cycle (never a list of objectives, observations or appeals):
how many colleagues a reviewer reviews, the kinds of a person's objectives, their observation time
against the cap, their appeal, their development. They join the gate's microdata under the same
salted key, so every figure the report publishes still goes through the one gate and its audit.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmreport.compliance.context import GOVERNOR_REVIEWERS
from pmreport.disclosure import Microdata, microdata_from_school
from pmreport.disclosure.from_school import _pseudonym  # the same package: the gate's own keying, so the joins agree
from pmreport.model import SchoolData
from pmreport.schema import schema
from pmreport.school_year import SchoolYear

if TYPE_CHECKING:
    from pmreport.compliance import ComplianceResult

#: Purposes that count towards the observation cap (as the observation_cap rule counts them).
CAPPED_PURPOSES = ("performance_management", "additional")
TEACHING_ROLES = ("teacher", "headteacher")

#: Codes of the derived outcomes, in the order shown (their labels read well through code_label).
REVIEWEE_BANDS = ("one_or_two", "three_or_four", "five_or_six", "seven_or_more")
PRIORITY_LINKS = ("all_linked_to_priorities", "some_linked_to_priorities", "none_linked_to_priorities")
OBSERVATION_BANDS = ("none_recorded", "half_the_cap_or_less", "over_half_within_the_cap", "over_the_cap")
APPEAL_OUTCOMES = ("no_appeal", *schema("appeals").field("outcome").codes)
APPEAL_SUBJECTS = ("no_appeal", *schema("appeals").field("subject").codes)
PROVISION = ("all_provided", "not_all_provided")
REASONS = (*schema("development").field("reason_not_provided").codes, "not_given")
NEED_AREAS = tuple(schema("development").field("need_category").codes)
OBJECTIVE_KINDS = tuple(schema("objectives").field("category").codes)


def kind_column(kind: str) -> str:
    """The per-person count of objectives of one kind, named so its label reads well ("objectives about ...")."""
    return f"objectives_about_{'other_things' if kind == 'other' else kind}"



#: Sensitivity of the derived columns (none is an identifier, a date or free text).
SENSITIVITY = {
    "is_reviewer": "none", "reviewees_per_reviewer": "none", "reviewee_band": "none", "has_objectives": "none",
    "priority_links": "none", "minutes_observed_for_performance_management": "none", "observation_band": "none",
    "appeal_outcome": "none", "appeal_subject": "none", "agreed_development_needs": "none", "has_development": "none",
    "development_provision": "none", "development_reason": "none", "need_area": "none", "not_all_provided": "none",
    "not_head": "none",
    **{kind_column(k): "none" for k in OBJECTIVE_KINDS},
}


def _yes_no(flags: np.ndarray) -> pd.api.extensions.ExtensionArray:
    return pd.array(np.where(flags, "yes", "no"), dtype="str")


def _mode(values: Iterable[str], order: Sequence[str]) -> str:
    """The most frequent code; a tie goes to the code that comes first in ``order``."""
    counts = Counter(values)
    best = max(counts.values())
    return next(c for c in order if counts.get(c, 0) == best)


def _rows(data: SchoolData, sheet: str, cycle: str, columns: Sequence[str]) -> pd.DataFrame:
    """The sheet's ``columns`` (and ``staff_id``, as text) on its rows for ``cycle``."""
    frame = data.tables[sheet]
    frame = frame.loc[(frame["cycle"] == cycle).fillna(False).to_numpy(dtype=bool), ["staff_id", *columns]]
    frame["staff_id"] = frame["staff_id"].astype(str)
    return frame


def _positions(index: pd.Index, person: pd.Series) -> np.ndarray:
    """Where each row's person is in ``index`` (-1 for someone not on the staff sheet or no id)."""
    return np.where(person.notna().to_numpy(), index.get_indexer(person), -1)


def _count(index: pd.Index, person: np.ndarray, where: np.ndarray | None = None) -> np.ndarray:
    """How many rows each staff id of ``index`` has (``person``: the rows' :func:`_positions`), where ``where`` holds."""
    keep = person >= 0 if where is None else (person >= 0) & where
    return np.bincount(person[keep], minlength=len(index))


def _first_true(conditions: Sequence[np.ndarray], choices: Sequence[str | None]) -> list[str | None]:
    """Each row's choice for the first of ``conditions`` that holds, else the last choice (one more than conditions)."""
    out = np.full(len(conditions[0]), choices[-1], dtype=object)
    decided = np.zeros(len(out), dtype=bool)
    for condition, choice in zip(conditions, choices[:-1], strict=True):
        out[condition & ~decided] = choice
        decided |= condition
    return out.tolist()


def person_measures(data: SchoolData, cycle: str, in_scope: set[str]) -> pd.DataFrame:
    """The derived measures of one cycle, one row per staff id (index), for everyone on the staff sheet."""
    staff = data.staff_in(cycle).drop_duplicates("staff_id")
    ids = staff["staff_id"].astype(str)
    out = pd.DataFrame(index=pd.Index(ids.to_numpy(), name="staff_id"))
    fte = staff["fte"].to_numpy(dtype=float)
    _reviewers(out, _rows(data, "reviews", cycle, ["reviewer_id"]), in_scope)
    _objectives(out, _rows(data, "objectives", cycle, ["category", "linked_to_priority"]))
    cap = float(SchoolYear.of_data(data, cycle).setting("observation_cap_hours")) * 60 * fte
    _observations(out, _rows(data, "observations", cycle, ["purpose", "duration_minutes"]), cap)
    _appeals(out, _rows(data, "appeals", cycle, ["stage", "lodged_date", "outcome", "subject"]))
    _development(out, _rows(data, "development", cycle, ["provided", "reason_not_provided", "need_category"]))
    return out


def _reviewers(out: pd.DataFrame, reviews: pd.DataFrame, in_scope: set[str]) -> None:
    """Reviews of reviewees in scope per reviewer, as the reviewer_load rule counts them."""
    reviews = reviews.drop_duplicates("staff_id")
    reviewer = reviews["reviewer_id"].astype("string")
    counted = reviews[reviews["staff_id"].isin(in_scope).to_numpy() & reviewer.notna().to_numpy()
                      & ~reviewer.str.upper().isin(GOVERNOR_REVIEWERS).fillna(False).to_numpy(dtype=bool)]
    load = _count(out.index, _positions(out.index, counted["reviewer_id"].astype(str)))
    out["reviewees_per_reviewer"] = np.where(load > 0, load, np.nan)
    out["is_reviewer"] = _yes_no(load > 0)
    band = np.array(REVIEWEE_BANDS, dtype=object)[np.clip((load - 1) // 2, 0, 3)]
    band[load == 0] = None
    out["reviewee_band"] = band.tolist()


def _objectives(out: pd.DataFrame, objectives: pd.DataFrame) -> None:
    """How many objectives of each kind a person has, and how many are linked to the school's priorities."""
    person = _positions(out.index, objectives["staff_id"])
    kind = pd.Index(OBJECTIVE_KINDS).get_indexer(objectives["category"])
    for i, name in enumerate(OBJECTIVE_KINDS):
        out[kind_column(name)] = _count(out.index, person, kind == i)
    linked = objectives["linked_to_priority"].astype("boolean")
    n = _count(out.index, person)
    yes = _count(out.index, person, linked.fillna(False).to_numpy(dtype=bool))
    known = _count(out.index, person, linked.notna().to_numpy())
    out["has_objectives"] = _yes_no(n > 0)
    out["priority_links"] = _first_true([(n == 0) | (known == 0), yes == n, yes > 0], [None, *PRIORITY_LINKS])


def _observations(out: pd.DataFrame, obs: pd.DataFrame, cap: np.ndarray) -> None:
    """Minutes observed for performance management, and how they compare with the pro-rata cap (minutes)."""
    person = _positions(out.index, obs["staff_id"])
    counted = (person >= 0) & obs["purpose"].isin(CAPPED_PURPOSES).fillna(False).to_numpy(dtype=bool)
    duration = obs["duration_minutes"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    # a length not recorded makes the person's total unknown (not recorded, NaN), never zero
    total = np.bincount(person[counted], weights=duration[counted], minlength=len(out.index)).astype(float)
    out["minutes_observed_for_performance_management"] = total
    out["observation_band"] = _first_true(
        [np.isnan(cap) | np.isnan(total), total == 0, total <= cap / 2, total <= cap], [None, *OBSERVATION_BANDS]
    )


def _appeals(out: pd.DataFrame, appeals: pd.DataFrame) -> None:
    """A person's most advanced appeal (formal before informal, then the latest lodged): its outcome and subject."""
    appeals = appeals.assign(_formal=(appeals["stage"] == "formal").fillna(False).astype(int))
    appeals = appeals.sort_values(["staff_id", "_formal", "lodged_date"], ascending=[True, False, False], kind="stable")
    first = appeals.drop_duplicates("staff_id").set_index("staff_id")
    appealed = out.index.isin(first.index)
    for column in ("outcome", "subject"):
        values = first[column].reindex(out.index).to_numpy(dtype=object, na_value=None)
        out[f"appeal_{column}"] = [(_code(v) if a else "no_appeal") for v, a in zip(values, appealed, strict=True)]


def _development(out: pd.DataFrame, dev: pd.DataFrame) -> None:
    """Development needs agreed, whether all were provided, the main reason when not, the main area."""
    out["agreed_development_needs"] = _count(out.index, _positions(out.index, dev["staff_id"]))
    out["has_development"] = _yes_no(out["agreed_development_needs"].to_numpy() > 0)
    needs: dict[str, list[tuple[Any, Any, Any]]] = {}  # each person's (provided, reason not, area)
    columns = [dev[c].to_numpy(dtype=object, na_value=None) for c in ("provided", "reason_not_provided", "need_category")]
    for person, provided, why, area in zip(dev["staff_id"], *columns, strict=True):
        if not pd.isna(person):
            needs.setdefault(person, []).append((provided, why, area))
    provision: list[str | None] = []
    reasons: list[str | None] = []
    areas: list[str | None] = []
    for person in out.index:
        rows = needs.get(person)
        if rows is None:
            provision.append(None)
            reasons.append(None)
            areas.append(None)
            continue
        short = [("not_given" if why is None else str(why)) for provided, why, _ in rows if provided in ("no", "partly")]
        if short:
            provision.append(PROVISION[1])
            reasons.append(_mode(short, REASONS))
        else:
            provision.append(PROVISION[0] if all(provided is not None for provided, _, _ in rows) else None)
            reasons.append(None)
        cats = [str(area) for _, _, area in rows if area is not None]
        areas.append(_mode(cats, NEED_AREAS) if cats else None)
    out["development_provision"] = provision
    out["not_all_provided"] = _yes_no(np.array([p == PROVISION[1] for p in provision], dtype=bool))
    out["development_reason"] = reasons
    out["need_area"] = areas


def _code(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)  # type: ignore[call-overload]


def report_microdata(data: SchoolData, cycles: Sequence[str], compliance: Mapping[str, ComplianceResult],
                     salt: str | None = None) -> Microdata:
    """The gate's microdata for the report: :func:`microdata_from_school` plus :func:`person_measures`."""
    salt = salt or secrets.token_hex(16)
    base = microdata_from_school(data, cycles=cycles, compliance=compliance, salt=salt)
    frame = base.frame.drop(columns=["_cycle", "_key"])
    parts = []
    for cycle in cycles:
        rows = frame[frame["cycle"] == cycle]
        keys = dict(zip(rows["person"], rows["in_scope"], strict=True))
        staff_ids = data.staff_in(cycle).drop_duplicates("staff_id")["staff_id"].astype(str)
        person = {s: _pseudonym(s, salt) for s in staff_ids}
        if set(person.values()) != set(keys):  # pragma: no cover - the gate's keying changed
            raise RuntimeError("the report's measures no longer line up with the disclosure gate's microdata")
        in_scope = {s for s, p in person.items() if bool(keys[p])}
        measures = person_measures(data, cycle, in_scope)
        measures.insert(0, "person", measures.index.map(person))
        parts.append(measures.assign(cycle=cycle).reset_index(drop=True))
    extra = pd.concat(parts, ignore_index=True)
    joined = frame.merge(extra, on=["person", "cycle"], how="left", validate="one_to_one")
    # the headteacher's own appraisal and pay are for the governors' appraisal panel (policy §4.2), not the report
    joined["not_head"] = _yes_no((joined["role_group"] != "headteacher").fillna(True).to_numpy(dtype=bool))
    return Microdata(joined, key="person", cycle="cycle", scope="in_scope",
                     sensitivity=dict(base.sensitivity) | SENSITIVITY)
