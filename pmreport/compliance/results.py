"""Run every rule over one cycle and collect the outcomes: counts and rates per rule, and the per-unit detail."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pmreport.compliance.context import CheckContext
from pmreport.compliance.outcomes import BREACHED, MET, NOT_APPLICABLE, NOT_RECORDED, OUTCOMES
from pmreport.compliance.outcomes import detail as unit_detail
from pmreport.compliance.rules import RULES, Rule, get_rule
from pmreport.compliance.rules.base import FLAG
from pmreport.compliance.scope import scope_counts
from pmreport.model import SchoolData
from pmreport.safe_output import CONFIDENTIAL_BANNER as CONFIDENTIAL
from pmreport.working_days import WorkingCalendar

STAFF_COLUMNS = ("staff_id", "name", "role_group", "scope_reason", "long_absence", "_file", "_sheet", "_row")


@dataclass
class ComplianceResult:
    """The outcome of every rule for one cycle.

    ``detail`` has one row per rule per unit: ``rule``, ``cycle`` and the columns of
    :data:`~pmreport.compliance.outcomes.DETAIL_COLUMNS` (``staff_id`` is the reviewer's id for
    ``reviewer_load``). ``summary`` has one row per rule with the counts and rates.
    """

    cycle: str
    rules: tuple[Rule, ...]
    detail: pd.DataFrame
    scope: dict[str, Any]
    staff: pd.DataFrame  # one row per member of staff: staff_id, name, role_group, scope_reason, long_absence, refs

    @property
    def summary(self) -> pd.DataFrame:
        rows = [self.counts(r.id) | self.rates(r.id) | {"rule": r.id, "title": r.title, "citation": r.citation,
                                                            "kind": r.kind} for r in self.rules]
        cols = ["rule", "title", "citation", "kind", "units", "in_scope", *OUTCOMES,
                "met_rate", "breached_rate", "not_recorded_rate"]
        return pd.DataFrame(rows, columns=cols)

    def rule_detail(self, rule_id: str) -> pd.DataFrame:
        return self.detail[self.detail["rule"] == rule_id].reset_index(drop=True)

    def counts(self, rule_id: str) -> dict[str, int]:
        """Units looked at, in scope (met + breached + not recorded), and each outcome's count."""
        found = self.rule_detail(rule_id)["outcome"].value_counts()
        counts = {outcome: int(found.get(outcome, 0)) for outcome in OUTCOMES}
        return {"units": int(sum(counts.values())), "in_scope": counts[MET] + counts[BREACHED] + counts[NOT_RECORDED]} | counts

    def rates(self, rule_id: str) -> dict[str, float | None]:
        """Shares of the units in scope that were met, breached and not recorded (None when none in scope)."""
        counts = self.counts(rule_id)
        n = counts["in_scope"]
        return {f"{o}_rate": (round(counts[o] / n, 4) if n else None) for o in (MET, BREACHED, NOT_RECORDED)}

    def ids(self, rule_id: str, outcome: str) -> list[str]:
        """The distinct staff ids (reviewer ids for reviewer_load) with this outcome under this rule."""
        d = self.rule_detail(rule_id)
        return sorted(d.loc[d["outcome"] == outcome, "staff_id"].dropna().unique().tolist())

    def categories(self, rule_id: str) -> dict[str, int]:
        """Counts of the rule's category among its breaches (the reasons development was not provided)."""
        d = self.rule_detail(rule_id)
        cats = d.loc[d["outcome"] == BREACHED, "category"].dropna().value_counts()
        return {str(k): int(v) for k, v in sorted(cats.items())}

    @property
    def requirements(self) -> tuple[Rule, ...]:
        """The rules that are requirements of the policy (a breach is a breach)."""
        return tuple(r for r in self.rules if r.kind != FLAG)

    @property
    def indicators(self) -> tuple[Rule, ...]:
        """The workload indicators: worth a look, never a breach of the policy."""
        return tuple(r for r in self.rules if r.kind == FLAG)

    def exceptions(self) -> pd.DataFrame:
        """Every unit breached or not recorded under a requirement, in rule order: the head's named exceptions.

        Workload indicators are not among them: see :meth:`worth_a_look`.
        """
        ids = [r.id for r in self.requirements]
        d = self.detail
        return d[d["outcome"].isin([BREACHED, NOT_RECORDED]) & d["rule"].isin(ids)].reset_index(drop=True)

    def worth_a_look(self) -> pd.DataFrame:
        """Every unit a workload indicator flags (its detail says ``breached``), in rule order: worth a look."""
        ids = [r.id for r in self.indicators]
        d = self.detail
        return d[(d["outcome"] == BREACHED) & d["rule"].isin(ids)].reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        rules = []
        for r in self.requirements:
            entry: dict[str, Any] = {
                "rule": r.id,
                "title": r.title,
                "citation": r.citation,
                "kind": r.kind,
                "unit": r.unit,
                "counts": self.counts(r.id),
                "rates": self.rates(r.id),
                "breached": self.ids(r.id, BREACHED),
                "not_recorded": self.ids(r.id, NOT_RECORDED),
            }
            if r.category_label:
                entry["breached_by_reason"] = self.categories(r.id)
            entry["exceptions"] = _units(self.exceptions(), r.id)
            rules.append(entry)
        indicators = []
        for r in self.indicators:
            c = self.counts(r.id)
            indicators.append({
                "indicator": r.id,
                "title": r.title,
                "citation": r.citation,
                "source": r.source,
                "unit": r.unit,
                "counts": {"units": c["units"], "in_scope": c["in_scope"], "flagged": c[BREACHED], "not_flagged": c[MET],
                           "not_recorded": c[NOT_RECORDED], "not_applicable": c[NOT_APPLICABLE]},
                "flagged": _units(self.worth_a_look(), r.id),
            })
        return {"confidential": CONFIDENTIAL, "cycle": self.cycle, "scope": self.scope, "rules": rules,
                "worth_a_look": indicators}

    def to_json(self, indent: int | None = 2) -> str:
        """The head's own confidential JSON (it names staff by id)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def _units(frame: pd.DataFrame, rule_id: str) -> list[dict[str, Any]]:
    """The units of one rule in ``frame`` as JSON: who, which item, the outcome, why, and where it is recorded."""
    rows = frame[frame["rule"] == rule_id]
    names = {"staff_id": "staff_id", "item": "item", "outcome": "outcome", "reason": "reason", "_file": "file",
             "_sheet": "sheet", "_row": "row"}
    out = []
    for row in rows[list(names)].to_dict("records"):
        unit = {names[k]: (None if pd.isna(v) else v) for k, v in row.items()}
        if unit["row"] is not None:
            unit["row"] = int(unit["row"])
        out.append(unit)
    return out


def run_checks(
    data: SchoolData,
    cycle: str | None = None,
    *,
    rules: Iterable[str] | None = None,
    calendar: WorkingCalendar | None = None,
    as_of: Any = None,
) -> ComplianceResult:
    """Check one cycle (the latest in the data by default) against every rule, or only the ``rules`` named.

    ``as_of`` is the run date (``--as-of``): dates after it cannot be true yet, and a mid-year review still
    blank when a cycle has ended by then is overdue. Without it those checks are not made.
    """
    ctx = CheckContext.build(data, cycle, calendar, as_of)
    chosen = RULES if rules is None else tuple(get_rule(rule_id) for rule_id in rules)
    frames = [r.run(ctx) for r in chosen]
    detail = pd.concat(frames or [unit_detail(pd.DataFrame())], ignore_index=True)
    rule_ids = np.repeat(np.array([r.id for r in chosen], dtype=object), [len(f) for f in frames])
    detail.insert(0, "cycle", pd.array([ctx.cycle] * len(detail), dtype="string"))
    detail.insert(0, "rule", pd.array(rule_ids, dtype="string"))
    staff = ctx.staff.reset_index(drop=True)[list(STAFF_COLUMNS)]
    return ComplianceResult(cycle=ctx.cycle, rules=chosen, detail=detail, scope=scope_counts(ctx.staff), staff=staff)


__all__ = ["ComplianceResult", "run_checks", "CONFIDENTIAL", "NOT_APPLICABLE"]
