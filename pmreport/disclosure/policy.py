"""The disclosure policy: every threshold the gate applies and the audit checks, in one place.

:data:`GOVERNOR_POLICY` is the default for the headteacher's annual report to governors
(policy §10: the report "will not contain any information which would enable any individual to
be identified"). :data:`UNION_POLICY` is for figures pooled across schools. Both are ordinary
frozen dataclasses: make a variant with :func:`dataclasses.replace`, for example
``replace(GOVERNOR_POLICY, min_cell=10)``. docs/disclosure.md explains each setting in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pmreport.school_year import AGE_BAND_EDGES, AGE_BANDS


@dataclass(frozen=True)
class Symbols:
    """Government Statistical Service symbols shown in place of a figure."""

    suppressed: str = "c"  #: hidden to protect confidentiality
    low: str = "low"  #: a rounded value that would show as zero but is not zero
    not_available: str = "x"  #: the data does not exist (for example, no earlier year)
    not_applicable: str = "z"  #: the figure has no meaning here (a percentage of nobody)
    unreliable: str = "u"  #: low reliability: a percentage of too few people to mean much (not a secret)

    def meaning(self, symbol: str) -> str:
        """The symbol's meaning, for a table's key."""
        return {
            self.suppressed: "not shown, to protect the confidentiality of individual members of staff",
            self.low: "a rounded figure that would show as zero, although it is not zero",
            self.not_available: "not available",
            self.not_applicable: "not applicable",
            self.unreliable: "low reliability: a percentage of too few people to be meaningful",
        }[symbol]

    @property
    def all(self) -> tuple[str, ...]:
        """Every symbol, in the order a key lists them."""
        return (self.suppressed, self.unreliable, self.low, self.not_available, self.not_applicable)


@dataclass(frozen=True)
class TwoGroups:
    """Merge a characteristic into the named categories and everybody else (ethnicity: White British / all other)."""

    keep: tuple[str, ...]
    keep_label: str
    other_label: str


@dataclass(frozen=True)
class TwoBands:
    """Merge an ordered characteristic (age bands) into two bands, cut where the smaller band is largest.

    ``cuts[i]`` names the boundary before ``order[i + 1]`` (for ages, the age it starts at); the
    bands are then labelled ``below.format(cut)`` and ``above.format(cut)``. A code not in
    ``order`` (such as not known) joins the upper band.
    """

    order: tuple[str, ...]
    cuts: tuple[str, ...]
    below: str = "Under {}"
    above: str = "{} and over"


Merge = TwoGroups | TwoBands

#: Age bands (AGE_BANDS) are made by :func:`pmreport.school_year.age_band`, youngest first.
DEFAULT_MERGES: Mapping[str, Merge] = MappingProxyType({
    "ethnicity_group": TwoGroups(("white_british",), "White British", "All other ethnic groups (including not known)"),
    "ethnicity": TwoGroups(("WBRI", "white_british"), "White British", "All other ethnic groups (including not known)"),
    "age_band": TwoBands(AGE_BANDS, tuple(str(edge) for edge in AGE_BAND_EDGES)),
})

#: What the school did (policy §10: "the operation of the policy"), as opposed to a person's outcome: whether
#: meetings were held, held by the deadline and with notice, statements written on time, reviews moderated,
#: reviewers' loads and the observation protocol kept, agreed development provided. A whole-school figure of one of
#: these is published exactly (``public=True`` on the gate's builders); any breakdown of it, and every personal
#: outcome (assessment, pay, capability, appeals, characteristics), stays under every rule.
PROCESS_OUTCOMES = frozenset({
    "has_review", "moderated", "development_provision", "observation_band", "reviewee_band",
    *(f"rule:{r}" for r in ("deadline", "notice", "draft_statement", "final_statement", "moderation_timely",
                            "reviewer_load", "teacher_reviews_support", "mid_year", "objectives_reasonable",
                            "observation_cap", "observation_notice", "observation_feedback", "observation_record",
                            "observer_qualified", "development_provided", "training_outside_hours")),
})

#: Protected characteristics (Equality Act 2010) and their derived columns. A population may never
#: be filtered on one of these: a breakdown by a characteristic goes through ``by=`` and its rules.
CHARACTERISTICS = frozenset({
    "sex", "ethnicity", "ethnicity_group", "disability", "age", "age_band", "date_of_birth",
    "pregnancy_maternity", "religion_belief", "sexual_orientation", "gender_reassignment",
    "marriage_civil_partnership",
})


@dataclass(frozen=True)
class DisclosurePolicy:
    """Every rule of disclosure control, with the governors' defaults."""

    name: str = "governor"
    symbols: Symbols = field(default_factory=Symbols)

    # Cells of outcome counts
    min_cell: int = 5  #: an outcome count from 1 to ``min_cell - 1`` is hidden, with a complement
    suppress_zero_cells: bool = False  #: zeros are shown unless they reveal a group's outcome
    count_rounding: int | None = None  #: round published counts to this base (union: 5)

    # Breakdowns by one characteristic
    min_group: int = 10  #: each group and its complement must have at least this many people
    min_staff_for_breakdowns: int = 20  #: fewer staff in scope than this: whole-school figures only
    merges: Mapping[str, Merge] = field(default_factory=lambda: DEFAULT_MERGES)
    characteristics: frozenset[str] = CHARACTERISTICS

    # Percentages
    percent_min_denominator: int = 20
    percent_rounding: int = 5
    #: (people at least, rounding base) pairs: a percentage of at least that many people is rounded to that base
    #: instead (union: 1 from 500 people, where a whole per cent tells no more than counts rounded to 5 do)
    percent_finer: tuple[tuple[int, int], ...] = ()

    # Means (averages)
    mean_min_contributors: int = 10
    mean_decimals: int = 1
    p_percent: float = 10.0  #: p% rule: the others' total must exceed p% of the largest value
    nk_n: int = 2  #: (n, k) dominance: the largest n values must not exceed k% of the total
    nk_k: float = 90.0

    # Year-on-year changes
    yoy_min_membership_change: int = 5  #: a group's membership must change by 0 or at least this

    # Pooled figures (several schools)
    min_units_per_cell: int = 1  #: union: at least 3 schools behind every cell
    max_unit_share: float = 1.0  #: union: no school more than half of a cell

    # Whole-school process figures published exactly (none for pooled figures)
    process_outcomes: frozenset[str] = frozenset()

    # Intervals instead of blanks, and group disclosure both ways
    #: a count that must not be shown exactly is published as the tightest band the audit allows ("5 or fewer",
    #: "at least 21", "6 to 11") instead of [c], wherever the audit, with the band as a constraint, still passes
    intervals: bool = False
    #: everyone in a row with the same personal outcome, favourable too ("25 of 25 met their objectives"), is
    #: hidden (and so published as "all or all but a few" when ``intervals``); process outcomes are exempt
    hide_unanimous: bool = False

    # Audit
    protection_width: int | None = None  #: a hidden small figure's range must span this (default min_cell)
    insider_protection_width: int = 1  #: ... and, for a colleague who knows their own record, this
    check_insider: bool = True

    def __post_init__(self) -> None:
        if self.min_cell < 1 or self.min_group < 1:
            raise ValueError("min_cell and min_group must be at least 1")
        if self.percent_rounding < 1 or (self.count_rounding is not None and self.count_rounding < 1):
            raise ValueError("rounding bases must be at least 1")
        if not 0 < self.max_unit_share <= 1:
            raise ValueError("max_unit_share must be more than 0 and at most 1")

    def percent_base(self, denominator: int) -> int:
        """The rounding base of a percentage of ``denominator`` people."""
        base = self.percent_rounding
        for at_least, finer in sorted(self.percent_finer):
            if denominator >= at_least:
                base = min(base, finer)
        return base

    def percent_words(self) -> str:
        """How percentages are rounded, in words."""
        words = f"to the nearest {self.percent_rounding}%"
        for at_least, finer in sorted(self.percent_finer):
            words += f" (to the nearest {finer}% where they are of {at_least:,} people or more)"
        return words

    @property
    def protection(self) -> int:
        """How wide the range of possible values of a hidden small figure must be."""
        return self.min_cell if self.protection_width is None else self.protection_width

    def merge_for(self, column: str) -> Merge | None:
        return self.merges.get(column)


#: The headteacher's annual report to governors (policy §10).
GOVERNOR_POLICY = DisclosurePolicy(process_outcomes=PROCESS_OUTCOMES, intervals=True, hide_unanimous=True)

#: Figures pooled across schools for a union: cells of at least 10 people from at least 3 schools,
#: none contributing more than half, counts rounded to 5.
UNION_POLICY = DisclosurePolicy(
    name="union",
    min_cell=10,
    count_rounding=5,
    min_units_per_cell=3,
    max_unit_share=0.5,
    percent_finer=((500, 1),),
)
