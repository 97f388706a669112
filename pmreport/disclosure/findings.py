"""What the audit reports: findings in plain English and the range of every hidden figure."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from pmreport.disclosure.query import Members


@dataclass(frozen=True)
class Ref:
    """Where a figure is: the table's title, the row and the column."""

    table: str
    row: str
    column: str

    def where(self) -> str:
        return f'"{self.table}" (row "{self.row}", column "{self.column}")'


@dataclass(frozen=True)
class Term:
    """``coef`` times the number of ``members`` whose outcome is one of ``categories`` (or their total value)."""

    coef: float
    members: Members
    categories: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Fact:
    """A published figure as a constraint: ``lo <= sum(terms) <= hi``."""

    terms: tuple[Term, ...]
    lo: float
    hi: float
    ref: Ref
    direct: bool = False  #: a single count shown exactly (its own rules are checked directly)


@dataclass(frozen=True)
class Hidden:
    """A figure shown as a symbol: the audit works out how far it can be pinned down."""

    members: Members
    categories: frozenset[str]
    ref: Ref


@dataclass(frozen=True)
class Finding:
    """One way the published figures could identify somebody (or break a rule of the policy)."""

    code: str
    message: str
    tables: tuple[str, ...] = ()
    severity: Literal["failure", "note"] = "failure"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class HiddenRange:
    """The lowest and highest value a hidden figure could have, given everything published."""

    table: str
    row: str
    column: str
    low: float
    high: float
    unit: Literal["people", "total"] = "people"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: What each finding code means, for docs/disclosure.md and for people reading a failed audit.
FINDING_CODES = {
    "hidden_recoverable": "a hidden small figure can be worked out, or narrowed too far, from the other figures",
    "group_disclosure": "the figures show that everyone in a group the reader can pick out had an unfavourable outcome",
    "small_number": "a number from 1 to 4 about people the reader can pick out can be worked out exactly",
    "individual_outcome": "the outcome of each of a handful of people (fewer than the minimum group) can be worked out",
    "insider_recovery": "a colleague who knows their own record could work out a hidden small figure",
    "insider_group": "a colleague who knows their own record could tell that everyone else in a group had an unfavourable outcome",
    "insider_individual": "a colleague who knows their own record could work out another person's outcome",
    "mean_recoverable": "the total behind a hidden or small group's average can be worked out to within p%",
    "unanimous_outcome": "the figures show that everyone in a set of people the reader can pick out had the same "
                         "personal outcome, favourable or not (hide_unanimous)",
    "unanimous_published": "a figure shown says that everyone in the group had the same personal outcome",
    "small_figure_published": "a figure from 1 to 4 people is shown",
    "group_disclosure_published": "a figure shown says that everyone in a group had an unfavourable outcome",
    "group_too_small": "a breakdown shows a group, or leaves a complement, of fewer than the minimum",
    "breakdown_in_small_school": "a breakdown is shown for a school with too few staff in scope",
    "percentage_small_base": "a percentage is shown on fewer people than the minimum",
    "percentage_not_rounded": "a percentage is not rounded as the policy requires",
    "mean_too_few": "an average is shown for fewer contributors than the minimum",
    "mean_dominance": "an average is shown where one or two people account for most of the total (p% or NK rule)",
    "yoy_membership": "a change between years is shown for a group whose membership changed by 1 to 4 people",
    "too_few_units": "a pooled figure comes from fewer schools than the minimum, or one school is too large a share",
    "refused_column": "a table is built on a name, identifier, date or free text",
    "cross_tabulation": "a table combines two characteristics",
    "inconsistent": "a published figure does not match the data it was made from",
    "population_difference": "a hidden small figure is the difference between the numbers of staff of two tables "
                             "over different populations",
    "public_not_process": "a figure published exactly as a whole-school process figure is a personal outcome, a "
                          "breakdown or an earlier cycle",
}
