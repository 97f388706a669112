"""One row per member of staff for one cycle, in the return's codes, before anything is made less detailed.

This is where a school's records become the return's people sheet: the staff reference becomes
the pseudonym, characteristics become bands, the review, objectives, observations, development
and appeals become a few counts and codes per person, and every rule's outcome for the person
comes from :func:`pmreport.compliance.run_checks`. Names, notes, descriptions, dates and the
staff reference itself are never copied.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from pmreport.compliance.results import ComplianceResult
from pmreport.disclosure.from_school import RULE_ORDER as WORST_FIRST
from pmreport.model import SchoolData
from pmreport.school_year import SchoolYear, ages_at
from pmreport.union import bands
from pmreport.union.return_schema import NOT_KNOWN, return_format

PM_PURPOSES = ("performance_management", "additional")


def _per_person(table: pd.DataFrame, cycle: str) -> pd.DataFrame:
    rows = table[(table["cycle"] == cycle).fillna(False)].copy()
    rows["staff_id"] = rows["staff_id"].astype(str)
    return rows


def _count(ids: pd.Series, rows: pd.DataFrame, where: pd.Series | None = None, value: str | None = None) -> np.ndarray:
    if where is not None:
        rows = rows[where.fillna(False).astype(bool)]
    if value is None:
        counts = rows.groupby("staff_id").size()
    else:
        counts = pd.to_numeric(rows[value], errors="coerce").groupby(rows["staff_id"]).sum()
    return ids.map(counts).fillna(0).round().astype(int).to_numpy()


def rule_outcomes(result: ComplianceResult) -> pd.DataFrame:
    """Each person's outcome under each rule (the worst of their units'), one column ``rule_<id>`` per rule."""
    detail = result.detail.dropna(subset=["staff_id"])
    rank = {o: i for i, o in enumerate(WORST_FIRST)}
    detail = detail.assign(_rank=detail["outcome"].map(rank), staff_id=detail["staff_id"].astype(str))
    worst = detail.sort_values("_rank", kind="stable").drop_duplicates(["rule", "staff_id"])
    wide = worst.pivot(index="staff_id", columns="rule", values="outcome")
    wide.columns = [f"rule_{c}" for c in wide.columns]
    return wide


def person_rows(data: SchoolData, cycle: str, result: ComplianceResult, pseudonym: Callable[[str], str]) -> pd.DataFrame:
    """The people sheet for ``cycle`` at full detail (see :mod:`pmreport.union.anonymise` for the next step)."""
    staff = data.staff_in(cycle).drop_duplicates("staff_id").copy()
    ids = staff["staff_id"].astype(str).reset_index(drop=True)
    year = SchoolYear.of_data(data, cycle)
    scope = result.staff.drop_duplicates("staff_id")
    scope = scope.set_index(scope["staff_id"].astype(str))
    out = pd.DataFrame({"person": [pseudonym(s) for s in ids], "cycle": cycle})
    out["role_group"] = staff["role_group"].fillna(NOT_KNOWN).astype(str).to_numpy()
    out["responsibility"] = staff["responsibility"].astype(str).to_numpy()
    out["pay_range"] = staff["pay_range"].astype(str).to_numpy()
    out["sex"] = [bands.sex_code(v) for v in staff["sex"]]
    out["age_band"] = [bands.age_band(a) for a in ages_at(staff, year.start)]
    out["ethnicity_group"] = [bands.ethnicity_group(e) for e in staff["ethnicity"]]
    out["fte_band"] = [bands.fte_band(f) for f in staff["fte"]]
    out["experience_band"] = [bands.experience_band(y) for y in staff["years_experience"]]
    out["disability"] = [bands.yes_no(v) for v in staff["disability"]]
    out["pregnancy_maternity"] = [bands.yes_no(v) for v in staff["pregnancy_maternity"]]
    reason = ids.map(scope["scope_reason"])
    out["in_scope"] = np.where(reason.isna(), "yes", "no")

    reviews = _per_person(data.reviews, cycle).drop_duplicates("staff_id").set_index("staff_id")
    def review(column: str, missing: str = "not_recorded") -> pd.Series:
        return ids.map(reviews[column]).astype(object).where(ids.map(reviews[column]).notna(), missing)

    out["assessment"] = review("assessment").astype(str).to_numpy()
    out["pay_eligible"] = [bands.yes_no(v, "not_recorded") for v in ids.map(reviews["pay_eligible"])]
    out["pay_recommendation"] = review("pay_recommendation").astype(str).to_numpy()
    out["pay_decision"] = review("pay_decision").astype(str).to_numpy()
    meeting = pd.to_datetime(ids.map(reviews["meeting_date"].astype(object)), errors="coerce")  # no reviews: an empty map
    out["meeting_month"] = meeting.dt.strftime("%Y-%m").astype(object).where(meeting.notna(), None).to_numpy()

    objectives = _per_person(data.objectives, cycle)
    out["objectives"] = _count(ids, objectives)
    out["objectives_not_agreed"] = _count(ids, objectives, objectives["agreed"] == False)  # noqa: E712
    observations = _per_person(data.observations, cycle)
    pm = observations["purpose"].isin(PM_PURPOSES)
    out["pm_observation_minutes"] = _count(ids, observations, pm, value="duration_minutes")
    out["observations"] = _count(ids, observations)
    development = _per_person(data.development, cycle)
    out["development_agreed"] = _count(ids, development)
    out["development_not_provided"] = _count(ids, development, development["provided"].isin(["no", "partly"]))
    out["development_outside_hours"] = _count(ids, development, development["outside_school_hours"] == True)  # noqa: E712

    roles = staff.set_index(staff["staff_id"].astype(str))["role_group"]
    all_reviews = _per_person(data.reviews, cycle)
    reviewer = all_reviews["reviewer_id"].astype("string")
    support_by_teacher = (all_reviews["staff_id"].map(roles) == "support") & (reviewer.map(roles) == "teacher")
    reviewed_by = all_reviews[support_by_teacher.fillna(False).astype(bool)]
    counts = reviewed_by.groupby(reviewed_by["reviewer_id"].astype(str)).size()
    out["support_staff_reviewed"] = ids.map(counts).fillna(0).astype(int).to_numpy()
    out["workload_concern_raised"] = [bands.yes_no(v, "not_recorded") for v in ids.map(reviews["workload_concern_raised"])]
    out["appeals"] = _count(ids, _per_person(data.appeals, cycle))

    wide = rule_outcomes(result)
    for column in return_format().rule_columns:
        values = ids.map(wide[column]) if column in wide.columns else pd.Series(pd.NA, index=ids.index)
        out[column] = values.fillna("not_applicable").astype(str).to_numpy()
    flag = out["rule_teacher_reviews_support"]
    out["reviewed_by_teacher"] = np.select([flag == "breached", flag == "met", flag == "not_recorded"],
                                           ["yes", "no", "not_recorded"], "not_applicable")
    columns = [f.name for f in return_format().people.fields]
    return out[columns]
