"""A rule of the policy: what it enforces, where the policy says so, and how pmreport computes it."""

from __future__ import annotations

import re
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


#: A parameter named in a rule's words: ``{working_days}`` or ``{observation_cap_hours:g}``.
_PARAMETER = re.compile(r"\{(\w+)(?::([^}]*))?\}")
#: The words of a rule that may name its parameters.
WORDED = ("title", "applies_to", "method")


def with_parameters(text: str, defaults: Mapping[str, Any]) -> str:
    """``text`` with each ``{name}`` (or ``{name:format}``) replaced by the rule's parameter of that name, so a
    rule states N ("within N working days") once, in ``defaults``."""

    def value(found: re.Match[str]) -> str:
        name, spec = found.group(1), found.group(2) or ""
        if name not in defaults:
            raise ValueError(f"a rule's words name {{{name}}}, which is not one of its parameters")
        return format(defaults[name], spec)

    return _PARAMETER.sub(value, text)


def rule(**meta: Any) -> Callable[[Check], Check]:
    """Register the decorated function as the check of a :class:`Rule` described by ``meta``; its title,
    scope and method may name its parameters (``defaults``) as ``{name}``."""

    def register(func: Check) -> Check:
        if meta["id"] in REGISTRY:
            raise ValueError(f"rule {meta['id']!r} registered twice")
        defaults = meta.get("defaults", {})
        worded = {key: with_parameters(meta[key], defaults) for key in WORDED if key in meta}
        REGISTRY[meta["id"]] = Rule(check=func, **(meta | worded))
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
