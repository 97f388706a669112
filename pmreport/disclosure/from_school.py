"""Person-level microdata for the gate, from a school's validated tables.

One row per member of staff per cycle, under a salted pseudonymous key (the staff id never
leaves this function). Characteristics are grouped for analysis (ethnicity to the DfE major
groups, age to bands); outcomes are one value per person (the review's assessment and pay
decision, the number of objectives, and, when compliance results are given, one column per rule
holding the person's worst outcome under it).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmreport.compliance.scope import scope_reasons
from pmreport.disclosure.microdata import Microdata
from pmreport.disclosure.query import NOT_KNOWN
from pmreport.model import SchoolData
from pmreport.schema import derived_sensitivity, schema
from pmreport.school_year import SchoolYear, age_band, ages_at

if TYPE_CHECKING:
    from pmreport.compliance.results import ComplianceResult

#: A person's outcome under a rule is the worst of their units' outcomes, in this order.
RULE_ORDER = ("breached", "not_recorded", "met", "not_applicable")

CHARACTERISTICS = ("sex", "disability", "pregnancy_maternity", "religion_belief", "sexual_orientation")
REVIEW_COLUMNS = ("assessment", "pay_eligible", "pay_recommendation", "pay_decision", "moderated",
                  "workload_concern_raised")

#: Sensitivity of the columns made here that the school's sheets do not define (data_schemas/sensitivity.yaml).
DERIVED_SENSITIVITY = derived_sensitivity()


def _pseudonym(staff_id: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{staff_id}".encode()).hexdigest()[:16]


def _one_cycle(data: SchoolData, cycle: str, salt: str) -> pd.DataFrame:
    staff = data.staff_in(cycle).drop_duplicates("staff_id")
    year = SchoolYear.of_data(data, cycle)
    reasons = scope_reasons(staff, year)  # each person's own cycle: support staff's ends on support_cycle_end
    ids = pd.Series(staff["staff_id"].astype(str).to_numpy())
    out: dict[str, Any] = {"staff_id": ids.to_numpy()}  # the columns, made all at once at the end
    out["person"] = [_pseudonym(s, salt) for s in ids]
    out["cycle"] = cycle
    out["in_scope"] = reasons.isna().to_numpy()
    out["scope_reason"] = reasons.fillna("in_scope").to_numpy()
    for column in ("role_group", "responsibility", "pay_range", "contract_type"):
        out[column] = staff[column].to_numpy()
    out["working_pattern"] = ["full_time" if f >= 1 else "part_time" if pd.notna(f) else NOT_KNOWN for f in staff["fte"]]
    for column in CHARACTERISTICS:
        values = staff[column]
        if column in ("religion_belief", "sexual_orientation"):
            values = values.astype("string").str.strip().str.lower().str.replace(" ", "_")
        out[column] = values.to_numpy()
    groups = schema("staff").field("ethnicity").group_of
    out["ethnicity_group"] = [groups.get(str(e), NOT_KNOWN) if pd.notna(e) else NOT_KNOWN for e in staff["ethnicity"]]
    out["age_band"] = [age_band(a) for a in ages_at(staff, year.start)]
    reviews = data.reviews.loc[(data.reviews["cycle"] == cycle).fillna(False), ["staff_id", *REVIEW_COLUMNS]]
    reviews = reviews.drop_duplicates("staff_id")
    reviews = reviews.set_index(reviews["staff_id"].astype(str))
    out["has_review"] = ids.isin(reviews.index).to_numpy()
    found = reviews[list(REVIEW_COLUMNS)].reindex(ids)  # the person's review (missing when none)
    for column in REVIEW_COLUMNS:
        out[column] = found[column].to_numpy()
    objectives = data.objectives.loc[(data.objectives["cycle"] == cycle).fillna(False), ["staff_id"]]
    counts = objectives.groupby(objectives["staff_id"].astype(str)).size()
    out["objectives_count"] = ids.map(counts).fillna(0).astype(int).to_numpy()
    return pd.DataFrame(out, index=pd.RangeIndex(len(ids)))


def _rule_columns(result: ComplianceResult) -> pd.DataFrame:
    """Each person's worst outcome under each rule: a column ``rule:<id>`` per rule, indexed by staff id."""
    detail = result.detail[["rule", "staff_id", "outcome"]].dropna(subset=["staff_id"])
    person, people = pd.factorize(detail["staff_id"].astype(str), sort=True)
    rule, rules = pd.factorize(detail["rule"], sort=True)
    rank = detail["outcome"].map({o: i for i, o in enumerate(RULE_ORDER)}).to_numpy(dtype=int)
    worst = np.full((len(people), len(rules)), len(RULE_ORDER))  # one past the last: no unit under the rule
    np.minimum.at(worst, (person, rule), rank)
    outcomes = np.array([*RULE_ORDER, pd.NA], dtype=object)
    columns = {f"rule:{r}": pd.array(outcomes[worst[:, i]], dtype="string") for i, r in enumerate(rules)}
    return pd.DataFrame(columns, index=pd.Index(people, name="staff_id"))


def microdata_from_school(data: SchoolData, cycles: Sequence[str] | None = None,
                          compliance: Mapping[str, ComplianceResult] | None = None,
                          salt: str | None = None) -> Microdata:
    """The gate's microdata for ``cycles`` (all in the data by default).

    ``compliance`` maps a cycle to its :class:`~pmreport.compliance.results.ComplianceResult`;
    each rule becomes a column ``rule:<id>``. ``salt`` is random unless given (give one only in tests).
    """
    salt = salt or secrets.token_hex(16)
    frames = []
    for cycle in cycles or data.cycles:
        frame = _one_cycle(data, cycle, salt)
        if compliance and cycle in compliance:
            wide = _rule_columns(compliance[cycle])
            frame = frame.join(wide, on="staff_id")
        frames.append(frame.drop(columns=["staff_id"]))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["person", "cycle"])
    sensitivity = dict(DERIVED_SENSITIVITY) | {c: "none" for c in frame.columns if c.startswith("rule:")}
    return Microdata(frame, key="person", cycle="cycle", scope="in_scope", sensitivity=sensitivity)
