"""The union's aggregate queries, written once in Ibis. Each returns a pandas frame in a fixed order.

Only counts and sums are computed by the engine; rates and means are worked out afterwards in
pandas, so that every engine gives the same figures (STACK-NOTES: Spark raises on division by
zero and rounds differently).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from pmreport.union.analysis.views import RULE_COLUMNS, analysis_view, as_int

OUTCOMES = ("met", "breached", "not_recorded", "not_applicable")


def _done(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    for column in frame.columns:
        if column not in keys and pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].fillna(0)
    return frame.sort_values(list(keys), kind="stable").reset_index(drop=True)


def pay_counts(people: Any, by: str, cycles: Sequence[str] | None = None) -> pd.DataFrame:
    """Per cycle, school and group of ``by``: staff eligible for pay progression with a decision, and how many progressed."""
    v = analysis_view(people)
    v = v.filter(v.pay_counted)
    if cycles:
        v = v.filter(v.cycle.isin(list(cycles)))
    keys = ["cycle", "urn", by]
    out = v.group_by(keys).aggregate(eligible=v.count(), progressed=as_int(v.progressed).sum()).to_pandas()
    out["eligible"] = out["eligible"].astype("int64")
    out["progressed"] = out["progressed"].astype("int64")
    return _done(out, keys)


def rule_counts(people: Any, by: Sequence[str] = ("cycle",)) -> pd.DataFrame:
    """Per ``by`` group and rule: how many people met, breached, had no record, or were out of the rule."""
    v = analysis_view(people)
    aggs = {f"{col}__{o}": as_int(v[col] == o).sum() for col in RULE_COLUMNS for o in OUTCOMES}
    wide = v.group_by(list(by)).aggregate(**aggs).to_pandas()
    rows = []
    for _, r in wide.iterrows():
        for col in RULE_COLUMNS:
            entry = {k: r[k] for k in by} | {"rule": col.removeprefix("rule_")}
            entry |= {o: int(r[f"{col}__{o}"] or 0) for o in OUTCOMES}
            rows.append(entry)
    out = pd.DataFrame(rows)
    return _done(out, [*by, "rule"])


def school_indicators(people: Any, cycles: Sequence[str] | None = None) -> pd.DataFrame:
    """Per cycle and school: the workload and fairness indicators the benchmarks and spreads use (sums and counts)."""
    v = analysis_view(people)
    if cycles:
        v = v.filter(v.cycle.isin(list(cycles)))
    scoped = v.scoped
    teacher_in = v.teacher & scoped
    support_in = v.support & scoped
    keys = ["cycle", "urn", "phase", "size_band", "local_authority"]
    out = v.group_by(keys).aggregate(
        staff=v.count(),
        in_scope=as_int(scoped).sum(),
        objectives=v.objectives.cast("int64").sum(),
        objectives_in_scope=(v.objectives * as_int(scoped)).sum(),
        teachers=as_int(teacher_in).sum(),
        teachers_observed=as_int(teacher_in & v.pm_observed).sum(),
        pm_minutes=(v.pm_observation_minutes * as_int(teacher_in)).sum(),
        teachers_reviewing_support=as_int(teacher_in & v.reviews_support).sum(),
        support=as_int(support_in).sum(),
        support_reviewed_by_teacher=as_int(support_in & (v.reviewed_by_teacher == "yes")).sum(),
        development_agreed=(v.development_agreed * as_int(scoped)).sum(),
        development_outside_hours=(v.development_outside_hours * as_int(scoped)).sum(),
        development_not_provided=(v.development_not_provided * as_int(scoped)).sum(),
        workload_concerns=as_int(scoped & (v.workload_concern_raised == "yes")).sum(),
        pay_eligible=as_int(v.pay_counted).sum(),
        pay_progressed=as_int(v.pay_counted & v.progressed).sum(),
        deadline_met=as_int(v.rule_deadline == "met").sum(),
        deadline_breached=as_int(v.rule_deadline == "breached").sum(),
        deadline_not_recorded=as_int(v.rule_deadline == "not_recorded").sum(),
    ).to_pandas()
    for column in out.columns:
        if column not in keys:
            out[column] = out[column].fillna(0).astype("int64")
    return _done(out, keys)


def trends(people: Any) -> pd.DataFrame:
    """Per cycle: schools, people, pay progression, the deadline, objectives and observation (counts and sums)."""
    v = analysis_view(people)
    out = v.group_by("cycle").aggregate(
        schools=v.urn.nunique(),
        people=v.count(),
        pay_eligible=as_int(v.pay_counted).sum(),
        pay_progressed=as_int(v.pay_counted & v.progressed).sum(),
        deadline_met=as_int(v.rule_deadline == "met").sum(),
        deadline_breached=as_int(v.rule_deadline == "breached").sum(),
        objectives_in_scope=(v.objectives * as_int(v.scoped)).sum(),
        in_scope=as_int(v.scoped).sum(),
    ).to_pandas()
    for column in out.columns:
        if column != "cycle":
            out[column] = out[column].fillna(0).astype("int64")
    return _done(out, ["cycle"])


def cycles(people: Any) -> list[str]:
    return sorted(people.select("cycle").distinct().to_pandas()["cycle"].astype(str).tolist())


def microdata_frame(people: Any, cycles_: Sequence[str] | None = None, urns: Sequence[str] | None = None,
                    exclude: Sequence[str] | None = None) -> pd.DataFrame:
    """The person-level columns the disclosure gate needs (no pseudonym in clear: a key of school and person)."""
    v = analysis_view(people)
    if cycles_:
        v = v.filter(v.cycle.isin(list(cycles_)))
    if urns:
        v = v.filter(v.urn.isin(list(urns)))
    if exclude:
        v = v.filter(~v.urn.isin(list(exclude)))
    from pmreport.union.analysis.views import CHARACTERISTICS

    columns = ["cycle", "urn", "person", "phase", "size_band", "local_authority", "role_group", "in_scope",
               *CHARACTERISTICS, "pay_eligible", "pay_decision", "objectives", "pm_observation_minutes", "pm_observed",
               "teacher", "support", "reviewed_by_teacher", "reviews_support", "outside_hours",
               "workload_concern_raised", *RULE_COLUMNS]
    return v.select(*columns).to_pandas()
