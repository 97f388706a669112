"""Disclosure control: the one gate between person-level data and anything governors or a union see.

* :class:`DisclosureGate` makes :class:`SafeTable` objects from :class:`Microdata` under a
  :class:`DisclosurePolicy` (:data:`GOVERNOR_POLICY` by default, :data:`UNION_POLICY` for pooled data).
* :func:`audit` attacks every table of a report at once and returns an :class:`AuditResult`;
  a report is written only if it passes.
* :func:`microdata_from_school` builds the microdata from a :class:`~pmreport.model.SchoolData`.

See docs/disclosure.md.
"""

from pmreport.disclosure.audit import AuditResult, audit
from pmreport.disclosure.findings import Finding, HiddenRange
from pmreport.disclosure.from_school import microdata_from_school
from pmreport.disclosure.gate import DisclosureGate
from pmreport.disclosure.microdata import Microdata
from pmreport.disclosure.policy import GOVERNOR_POLICY, UNION_POLICY, DisclosurePolicy, Symbols, TwoBands, TwoGroups
from pmreport.disclosure.query import Population
from pmreport.disclosure.refusals import DisclosureRefused, DisclosureRisk, MicrodataInvalid
from pmreport.disclosure.tables import Cell, Column, SafeTable

__all__ = [
    "GOVERNOR_POLICY",
    "UNION_POLICY",
    "AuditResult",
    "Cell",
    "Column",
    "DisclosureGate",
    "DisclosurePolicy",
    "DisclosureRefused",
    "DisclosureRisk",
    "Finding",
    "HiddenRange",
    "Microdata",
    "MicrodataInvalid",
    "Population",
    "SafeTable",
    "Symbols",
    "TwoBands",
    "TwoGroups",
    "audit",
    "microdata_from_school",
]
