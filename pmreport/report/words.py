"""The report's words: dates as people write them, section headings and plain-English introductions.

Introductions use only the school's own settings (deadlines, options, caps), never a figure about
staff: every figure governors see is in a table the disclosure gate made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pmreport.disclosure import DisclosurePolicy
from pmreport.school_year import SchoolYear

SECTIONS = {
    "operation": "1. How the policy operated",
    "effectiveness": "2. How effective the procedures were",
    "appeals": "3. Appeals and representations",
    "development": "4. Training and development",
    "equality": "5. Pay progression and equality",
    "trends": "6. Comparison with earlier cycles",
}
METHOD_HEADING = "7. Method and symbols"
TITLE = "Performance management: annual report to governors"

PHASES = {"nursery": "nursery", "primary": "primary", "secondary": "secondary", "all_through": "all-through",
          "special": "special", "pru": "pupil referral unit"}
MODERATION = {
    "head_reviews_all": "the headteacher reviews every teacher, so moderation is part of those reviews",
    "all": "every planning and review statement is moderated",
    "sample": "a sample of planning and review statements is moderated",
    "none": "planning and review statements are not moderated",
}


#: Said under every table of personal outcomes (assessment, pay, appeals, workload concerns).
HEAD_NOTE = ("The headteacher is not counted: the governing body reviews the headteacher (policy section 4.2), and "
             "the headteacher's appraisal and pay outcome are for its appraisal panel, not for this report.")


def long_date(value: Any) -> str:
    """``31 October 2025`` (an empty string for a missing date)."""
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return ""
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts:%B %Y}"


@dataclass(frozen=True)
class Settings:
    """The school's settings for the report cycle: public facts about the policy, not about anyone."""

    cycle: str
    teacher_deadline: str
    head_deadline: str
    support_deadline: str
    max_reviewees: int | None
    moderation_option: str | None
    observation_cap_hours: float
    max_objectives: int | None

    @classmethod
    def from_row(cls, cycle: str, row: pd.Series | None) -> Settings:
        year = SchoolYear.of(cycle, row)
        most = year.setting("max_reviewees")
        objectives = year.setting("max_objectives")
        return cls(
            cycle=cycle,
            teacher_deadline=long_date(year.setting("teacher_deadline")),
            head_deadline=long_date(year.setting("head_deadline")),
            support_deadline=long_date(year.support_end),
            max_reviewees=int(most) if most is not None else None,
            moderation_option=year.setting("moderation_option"),
            observation_cap_hours=float(year.setting("observation_cap_hours")),
            max_objectives=int(objectives) if objectives is not None else None,
        )


def _hours(h: float) -> str:
    return f"{h:g} hour{'s' if h != 1 else ''}"


def intros(s: Settings, groups_split: bool, earlier: list[str], *, small: bool = False,
           policy: DisclosurePolicy | None = None) -> dict[str, str]:
    """Each section's introduction (``small``: too few staff in scope for any breakdown)."""
    least = policy.min_staff_for_breakdowns if policy else 20
    equality_small = (f" The school has fewer than {least} staff in scope of the policy, so no outcome is broken "
                      "down by any characteristic: in a school this size any breakdown could identify someone. "
                      "The whole-school figure is shown." if small else "")
    split = (" Figures are given for all staff and, separately, for teachers (with the headteacher, except in tables of people's outcomes) and for "
             "support staff." if groups_split else
             " Figures are given for all staff together: the school is too small to show teachers and support "
             "staff separately without risking identifying someone.")
    reviewers = (f"The school's policy allows a reviewer at most {s.max_reviewees} reviewees."
                 if s.max_reviewees else "The school's policy sets no maximum number of reviewees for a reviewer.")
    moderation = (f"In this school {MODERATION[s.moderation_option]}." if s.moderation_option in MODERATION
                  else "The school's records do not say how statements are moderated.")
    objectives = (f" The school's policy allows at most {s.max_objectives} objectives for each person."
                  if s.max_objectives else "")
    trends = (f"This section compares {s.cycle} with {', '.join(earlier[:-1]) + ' and ' if len(earlier) > 1 else ''}"
              f"{earlier[-1]}, year by year. A change is shown only where both years' figures are shown and "
              "enough people joined or left the group that the change cannot be about one person."
              if earlier else "The records hold no earlier cycle, so there is nothing to compare with yet. "
              "Next year's report will show the changes.")
    return {
        "operation": (
            f"This section shows whether the performance management policy was carried out as written in the "
            f"{s.cycle} cycle: whether everyone it covers had a planning and review meeting, whether meetings and "
            f"statements kept to the policy's timescales, how the work of reviewing was shared, and whether "
            f"statements were moderated. Planning and review meetings were due by {s.teacher_deadline} for "
            f"teachers, by {s.head_deadline} for the headteacher and by {s.support_deadline} for support staff. "
            f"{reviewers} {moderation}{split}"),
        "effectiveness": (
            "This section looks at what the process produced: how many objectives people had and of what kind, "
            "whether they were linked to the school's priorities, whether a review meeting was held during the "
            f"year, how much lesson observation there was against the policy's limit of "
            f"{_hours(s.observation_cap_hours)} a cycle (less for part-time staff, in proportion), and how "
            f"people were assessed against their objectives.{objectives}"),
        "appeals": (
            "The policy lets anyone appeal against an entry in their planning and review statement (section 8). "
            "This section counts appeals by their outcome and subject, and the workload concerns staff raised "
            "at their reviews. Appeals are few in any school, so most of these figures are hidden to protect the "
            "people concerned; a zero is always shown."),
        "development": (
            "Section 10 of the policy asks the headteacher to report staff training and development needs, and "
            "any time it was not possible to provide agreed support, with the reasons. Each member of staff is "
            "counted once: by the area of most of their agreed needs, and, where any agreed support was not "
            "provided in full, by the most common reason."),
        "equality": (
            "Governors must make sure pay progression and assessment are fair (Equality Act 2010). These tables "
            "show outcomes by one characteristic at a time: sex, ethnic group, disability, age, working pattern, "
            "and pregnancy or maternity, where the school records them. Small groups are combined, and a breakdown "
            "is left out altogether where a group would still be too small to show without identifying someone. "
            "A difference between groups in one school's figures is not on its own evidence of unfairness: the "
            f"numbers are small.{equality_small}"),
        "trends": trends,
    }


def left_out_sentence(items: Sequence[Mapping[str, Any]]) -> str:
    """What the report could not make from the school's records, and why, in one sentence (report.json's
    ``left_out``: pmreport's own sheet and column names only); "" when nothing was left out."""
    if not items:
        return ""
    parts = [f"{x['left_out']}, because {x['why']}" for x in items]
    return ("Some figures could not be made from the school's records and are not in this report: "
            + "; ".join(parts) + ". Adding what is missing to the records and writing the report again puts them in.")


def method_note(policy: DisclosurePolicy, cycle: str) -> str:
    """The short note on method and symbols."""
    sym = policy.symbols
    return (
        f"Every figure comes from the school's own performance management records for {cycle}, after pmreport "
        "checked them cell by cell; rows with errors were left out. Figures count people, not full-time "
        "equivalents, and each person is counted once in each table. The policy (section 10) says this report "
        "must not contain any information which would enable any individual to be identified, so every table "
        f"passed through one disclosure check: a number of fewer than {policy.min_cell} people is hidden, as is "
        f"a figure that would show everyone in a group had the same {'' if policy.hide_unanimous else 'unfavourable '}"
        "outcome, with other figures hidden beside it so that it cannot be worked out by subtraction; a group in a "
        "breakdown must have at "
        f"least {policy.min_group} people; percentages need at least {policy.percent_min_denominator} people "
        f"and are rounded to the nearest {policy.percent_rounding}%; averages need at least "
        f"{policy.mean_min_contributors} people. Before the report was written, an automated audit tried to "
        "work out every hidden figure, and anyone's outcome, from all the tables together, including as a "
        "colleague who knows their own record; the report is written only if it cannot. "
        + (f"Where a number cannot be shown exactly, a table gives the range it lies in where that is safe: "
           f"\"{policy.protection} or fewer\" (0 to {policy.protection}), \"at least\" a number (everyone in the row "
           "or all but a few) or \"from ... to ...\"; the audit checks these ranges like any other figure. A "
           "percentage beside such a range is a range too (\"up to 5%\", \"95% or more\", \"30% to 40%\"), worked "
           f"out from the range of people and the number of staff and widened outwards to a multiple of "
           f"{policy.percent_rounding}%, so it says no more than the range of people does. "
           if policy.intervals else "")
        + "Figures about what the "
        "school did for all its staff (meetings held and on time, statements, moderation, reviewers' loads, "
        "observation limits, development provided) are shown exactly, and count the headteacher's own review; "
        "tables of people's outcomes (assessment, pay, appeals, workload concerns) do not include the "
        "headteacher, whose appraisal is for the governors' appraisal panel. "
        f"Symbols: [{sym.suppressed}] {sym.meaning(sym.suppressed)} (used for nothing else); "
        f"[{sym.unreliable}] {sym.meaning(sym.unreliable)} (a percentage of fewer than "
        f"{policy.percent_min_denominator} people; the number beside it is shown); [{sym.low}] {sym.meaning(sym.low)}; "
        f"[{sym.not_available}] {sym.meaning(sym.not_available)} (for example, no data for that year); "
        f"[{sym.not_applicable}] {sym.meaning(sym.not_applicable)} (there is nobody to count)."
    )
