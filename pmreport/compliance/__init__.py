"""The policy compliance engine: every rule of the policy, checked per person, observation or reviewer.

>>> from pmreport.compliance import run_checks
>>> result = run_checks(data)            # the latest cycle
>>> result.summary                        # counts and rates per rule
>>> result.exceptions()                   # named breaches and unrecorded dates, for the head only
"""

from __future__ import annotations

from pmreport.compliance.outcomes import BREACHED, MET, NOT_APPLICABLE, NOT_RECORDED, OUTCOMES
from pmreport.compliance.results import CONFIDENTIAL, ComplianceResult, run_checks
from pmreport.compliance.rules import RULES, Rule, get_rule
from pmreport.working_days import WorkingCalendar

__all__ = [
    "BREACHED",
    "CONFIDENTIAL",
    "MET",
    "NOT_APPLICABLE",
    "NOT_RECORDED",
    "OUTCOMES",
    "RULES",
    "ComplianceResult",
    "Rule",
    "WorkingCalendar",
    "get_rule",
    "run_checks",
]
