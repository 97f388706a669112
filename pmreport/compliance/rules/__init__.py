"""The rule registry: every policy rule pmreport checks, in the order of DESIGN.md's table.

Each rule lives in the module for its part of the policy; importing them registers them.
"""

from __future__ import annotations

from pmreport.compliance.rules import appeals, development, objectives, observations, reviewers, reviews  # noqa: F401
from pmreport.compliance.rules.base import REGISTRY, Rule

#: The order rules are run and reported in.
RULE_ORDER = (
    "coverage",
    "deadline",
    "notice",
    "draft_statement",
    "final_statement",
    "mid_year",
    "objectives_reasonable",
    "observation_cap",
    "observation_notice",
    "observation_feedback",
    "observation_record",
    "observer_qualified",
    "observation_in_plan",
    "head_reviewer",
    "reviewer_load",
    "teacher_reviews_support",
    "moderation_timely",
    "appeal_after_moderation",
    "development_provided",
    "training_outside_hours",
)

if set(RULE_ORDER) != set(REGISTRY):  # pragma: no cover - caught by the tests at once
    raise RuntimeError(f"rule registry and RULE_ORDER disagree: {sorted(set(RULE_ORDER) ^ set(REGISTRY))}")

#: Every rule, in report order.
RULES: tuple[Rule, ...] = tuple(REGISTRY[rule_id] for rule_id in RULE_ORDER)


def get_rule(rule_id: str) -> Rule:
    """The rule with this id; a clear error naming the known ids otherwise."""
    try:
        return REGISTRY[rule_id]
    except KeyError:
        raise KeyError(f"no rule {rule_id!r}; rules: {', '.join(RULE_ORDER)}") from None


__all__ = ["RULES", "RULE_ORDER", "Rule", "get_rule"]
