"""A rule of the policy: what it enforces, where the policy says so, and how pmreport computes it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pmreport.compliance.context import CheckContext
from pmreport.compliance.outcomes import NOT_APPLICABLE, Case
from pmreport.compliance.scope import SCOPE_REASONS

#: A rule's check: the cycle's context and the rule itself in, one row per unit out.
Check = Callable[[CheckContext, "Rule"], pd.DataFrame]

#: The kind of a workload indicator: worth a look, never counted as a breach of the policy.
FLAG = "flag"
#: Every registered rule by id, in the order the modules register them.
REGISTRY: dict[str, Rule] = {}


@dataclass(frozen=True)
class Rule:
    """One policy rule. ``check`` returns the per-unit detail (see :data:`~pmreport.compliance.outcomes.DETAIL_COLUMNS`)."""

    id: str
    title: str  # a plain-English heading a headteacher understands
    citation: str  # e.g. "§4.3"
    source: str  # which document the citation is in
    policy_text: str  # the sentence(s) enforced, quoted from the source; fragments joined by " … "
    applies_to: str  # the units, in words
    unit: str  # what one unit is: "person", "observation", "reviewer", ...
    method: str  # how it is computed, in words
    check: Check = field(repr=False, compare=False)
    defaults: Mapping[str, Any] = field(default_factory=dict)
    kind: str = "requirement"  # or FLAG: a workload indicator, listed as worth a look, never as a breach
    category_label: str | None = None  # what the ``category`` column counts, where the rule fills it

    def run(self, ctx: CheckContext) -> pd.DataFrame:
        return self.check(ctx, self)


def rule(**meta: Any) -> Callable[[Check], Check]:
    """Register the decorated function as the check of a :class:`Rule` described by ``meta``."""

    def register(func: Check) -> Check:
        if meta["id"] in REGISTRY:
            raise ValueError(f"rule {meta['id']!r} registered twice")
        REGISTRY[meta["id"]] = Rule(check=func, **meta)
        return func

    return register


def out_of_scope(ctx: CheckContext, staff_ids: pd.Series) -> Case:
    """The case that makes units of out-of-scope staff ``not_applicable``, naming the reason."""
    why = ctx.shared("out_of_scope", lambda: _out_of_scope_reasons(ctx.staff["scope_reason"]))
    reasons = np.array([why.get(s, "") for s in staff_ids.tolist()], dtype=object)
    return reasons != "", NOT_APPLICABLE, reasons


def _out_of_scope_reasons(codes: pd.Series) -> dict[Any, str]:
    """The reason each member of staff out of scope is not applicable, by staff id."""
    return {staff_id: f"out of scope: {SCOPE_REASONS[code]}" for staff_id, code in codes.dropna().items()}


def seed_policy(text: str) -> str:
    """Normalise quoted policy text to one line (quotes in the rule modules wrap across lines)."""
    return " ".join(text.split())
