"""Person-level measures the report needs beyond :func:`~pmreport.disclosure.microdata_from_school`.

One value per member of staff per cycle (never a list of objectives, observations or appeals):
how many colleagues a reviewer reviews, the kinds of a person's objectives, their observation time
against the cap, their appeal, their development. They join the gate's microdata under the same
salted key, so every figure the report publishes still goes through the one gate and its audit.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pmreport.compliance.context import GOVERNOR_REVIEWERS
from pmreport.disclosure import Microdata, microdata_from_school
from pmreport.disclosure.from_school import _pseudonym  # the gate's own keying, so the joins agree
from pmreport.model import SchoolData
from pmreport.schema import schema

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
    **{kind_column(k): "none" for k in OBJECTIVE_KINDS},
}


def _yes_no(values: pd.Series) -> pd.Series:
    return values.map({True: "yes", False: "no"})


def _band(n: float) -> str:
    return REVIEWEE_BANDS[min(3, (int(n) - 1) // 2)]


def _mode(values: pd.Series, order: Sequence[str]) -> str:
    """The most frequent code; a tie goes to the code that comes first in ``order``."""
    counts = values.value_counts()
    best = counts.max()
    return next(c for c in order if counts.get(c, 0) == best)


def _rows(data: SchoolData, sheet: str, cycle: str) -> pd.DataFrame:
    frame = data.tables[sheet]
    frame = frame[(frame["cycle"] == cycle).fillna(False).to_numpy(dtype=bool)].copy()
    frame["staff_id"] = frame["staff_id"].astype(str)
    return frame


def person_measures(data: SchoolData, cycle: str, in_scope: set[str]) -> pd.DataFrame:
    """The derived measures of one cycle, one row per staff id (index), for everyone on the staff sheet."""
    staff = data.staff_in(cycle).drop_duplicates("staff_id").copy()
    ids = staff["staff_id"].astype(str)
    out = pd.DataFrame(index=pd.Index(ids.to_numpy(), name="staff_id"))
    fte = pd.Series(staff["fte"].to_numpy(dtype=float), index=out.index)

    # Reviewers: reviews of reviewees in scope, as the reviewer_load rule counts them.
    reviews = _rows(data, "reviews", cycle).drop_duplicates("staff_id")
    reviewer = reviews["reviewer_id"].astype("string")
    counted = reviews[reviews["staff_id"].isin(in_scope).to_numpy() & reviewer.notna().to_numpy()
                      & ~reviewer.str.upper().isin(GOVERNOR_REVIEWERS).fillna(False).to_numpy(dtype=bool)]
    load = counted.groupby(counted["reviewer_id"].astype(str)).size()
    out["reviewees_per_reviewer"] = out.index.map(load).astype(float)
    out["is_reviewer"] = _yes_no(pd.Series(out["reviewees_per_reviewer"].notna(), index=out.index))
    out["reviewee_band"] = [(_band(n) if pd.notna(n) else None) for n in out["reviewees_per_reviewer"]]

    # Objectives: how many of each kind, and how many are linked to the school's priorities.
    objectives = _rows(data, "objectives", cycle)
    by_person = objectives.groupby("staff_id")
    for kind in OBJECTIVE_KINDS:
        counts = objectives[(objectives["category"] == kind).fillna(False).to_numpy(dtype=bool)].groupby("staff_id").size()
        out[kind_column(kind)] = out.index.map(counts).fillna(0).astype(int)
    n = out.index.map(by_person.size()).fillna(0).astype(int)
    out["has_objectives"] = _yes_no(pd.Series(n > 0, index=out.index))
    linked = objectives.assign(_l=objectives["linked_to_priority"].astype("boolean"))
    yes = out.index.map(linked.groupby("staff_id")["_l"].sum()).fillna(0).astype(int)
    known = out.index.map(linked.groupby("staff_id")["_l"].count()).fillna(0).astype(int)
    links: list[str | None] = []
    for total, y, k in zip(n, yes, known, strict=True):
        if total == 0 or k == 0:
            links.append(None)
        elif y == total:
            links.append(PRIORITY_LINKS[0])
        elif y > 0:
            links.append(PRIORITY_LINKS[1])
        else:
            links.append(PRIORITY_LINKS[2])
    out["priority_links"] = links

    # Observation for performance management against the pro-rata cap.
    hours = _setting(data, cycle, "observation_cap_hours", 3.0)
    obs = _rows(data, "observations", cycle)
    capped = obs[obs["purpose"].isin(CAPPED_PURPOSES).fillna(False).to_numpy(dtype=bool)]
    duration = pd.Series(capped["duration_minutes"].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
                         index=capped.index)
    minutes = duration.groupby(capped["staff_id"]).sum(min_count=len(duration) and 1)
    unknown = duration.isna().groupby(capped["staff_id"]).any()
    observed = out.index.isin(minutes.index)
    total = pd.Series(out.index.map(minutes), index=out.index, dtype=float).where(observed, 0.0)
    # a length not recorded makes the person's total unknown (not recorded), never zero
    out["minutes_observed_for_performance_management"] = total.where(~pd.Series(out.index.map(unknown), index=out.index).fillna(False)
                                                .astype(bool), np.nan)
    cap = hours * 60 * fte
    bands: list[str | None] = []
    for m, c in zip(out["minutes_observed_for_performance_management"], cap, strict=True):
        if pd.isna(c) or pd.isna(m):
            bands.append(None)
        elif m == 0:
            bands.append(OBSERVATION_BANDS[0])
        elif m <= c / 2:
            bands.append(OBSERVATION_BANDS[1])
        elif m <= c:
            bands.append(OBSERVATION_BANDS[2])
        else:
            bands.append(OBSERVATION_BANDS[3])
    out["observation_band"] = bands

    # Appeals: a person's most advanced appeal (formal before informal, then the latest lodged).
    appeals = _rows(data, "appeals", cycle)
    appeals = appeals.assign(_formal=(appeals["stage"] == "formal").fillna(False).astype(int))
    appeals = appeals.sort_values(["staff_id", "_formal", "lodged_date"], ascending=[True, False, False], kind="stable")
    first = appeals.drop_duplicates("staff_id").set_index("staff_id")
    appealed = out.index.isin(first.index)
    out["appeal_outcome"] = [("no_appeal" if not a else _code(first.at[s, "outcome"]))
                             for s, a in zip(out.index, appealed, strict=True)]
    out["appeal_subject"] = [("no_appeal" if not a else _code(first.at[s, "subject"]))
                             for s, a in zip(out.index, appealed, strict=True)]

    # Development: needs agreed, whether all were provided, the main reason when not, the main area.
    dev = _rows(data, "development", cycle)
    out["agreed_development_needs"] = out.index.map(dev.groupby("staff_id").size()).fillna(0).astype(int)
    out["has_development"] = _yes_no(pd.Series(out["agreed_development_needs"] > 0, index=out.index))
    provision: list[str | None] = []
    reasons: list[str | None] = []
    areas: list[str | None] = []
    groups = dict(tuple(dev.groupby("staff_id"))) if len(dev) else {}
    for s in out.index:
        rows = groups.get(s)
        if rows is None:
            provision.append(None)
            reasons.append(None)
            areas.append(None)
            continue
        provided = rows["provided"]
        short = rows[provided.isin(["no", "partly"]).fillna(False).to_numpy(dtype=bool)]
        if len(short):
            provision.append(PROVISION[1])
            reasons.append(_mode(short["reason_not_provided"].fillna("not_given").astype(str), REASONS))
        else:
            provision.append(PROVISION[0] if provided.notna().all() else None)
            reasons.append(None)
        cats = rows["need_category"].dropna().astype(str)
        areas.append(_mode(cats, NEED_AREAS) if len(cats) else None)
    out["development_provision"] = provision
    out["not_all_provided"] = _yes_no(pd.Series([p == PROVISION[1] for p in provision], index=out.index))
    out["development_reason"] = reasons
    out["need_area"] = areas
    return out


def _code(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)  # type: ignore[call-overload]


def _setting(data: SchoolData, cycle: str, name: str, default: float) -> float:
    try:
        value = data.school_row(cycle).get(name)
    except ValueError:
        return default
    return float(value) if value is not None and pd.notna(value) else default


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
    return Microdata(joined, key="person", cycle="cycle", scope="in_scope",
                     sensitivity=dict(base.sensitivity) | SENSITIVITY)
