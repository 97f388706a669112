"""Footnotes, in words a governor understands. None of them says which figure was hidden for which reason."""

from __future__ import annotations

from pmreport.disclosure.labels import column_label
from pmreport.disclosure.policy import DisclosurePolicy


def people_not_fte() -> str:
    return "Figures are numbers of people, not full-time equivalents."


def suppressed(policy: DisclosurePolicy) -> str:
    s = policy.symbols.suppressed
    return (f"[{s}] Not shown, to protect the confidentiality of individual members of staff. A figure is hidden "
            f"when it counts fewer than {policy.min_cell} people, when it would show that everyone in a group had "
            f"the same {'' if policy.hide_unanimous else 'unfavourable '}outcome, or so that another hidden figure cannot be worked out from the totals "
            "or from other tables.")


def intervals(policy: DisclosurePolicy) -> str:
    p = policy.protection
    return (f"Where a number cannot be shown exactly, the table gives the range it lies in instead: \"{p} or fewer\" "
            f"(from 0 to {p}), \"at least\" a number (everyone in the row, or all but a few), or \"from ... to ...\". "
            "The ranges are fixed in advance and are never narrow enough to tell anyone's outcome.")


def percent_intervals(policy: DisclosurePolicy) -> str:
    return ("A percentage beside a range is a range too (\"up to 5%\", \"95% or more\", \"30% to 40%\"): it is worked "
            f"out from the range of people and the number of staff, widened outwards to a multiple of "
            f"{policy.percent_rounding}%, so it says no more than the range of people does.")


def unreliable(policy: DisclosurePolicy) -> str:
    return (f"[{policy.symbols.unreliable}] Low reliability: a percentage is not given where fewer than "
            f"{policy.percent_min_denominator} people are counted, because it would mean little; the number beside "
            "it is the figure to read.")


def low(policy: DisclosurePolicy) -> str:
    return f"[{policy.symbols.low}] A figure that rounds to zero but is not zero."


def not_applicable(policy: DisclosurePolicy) -> str:
    return f"[{policy.symbols.not_applicable}] Not applicable: there is nobody to count."


def not_available(policy: DisclosurePolicy) -> str:
    return f"[{policy.symbols.not_available}] Not available: there is no data for that year."


def percentages(policy: DisclosurePolicy) -> str:
    return (f"Percentages are given only where at least {policy.percent_min_denominator} people are counted, and "
            f"are rounded {policy.percent_words()}; so they may not add up to 100.")


def rounded_counts(policy: DisclosurePolicy) -> str:
    return f"Numbers are rounded to the nearest {policy.count_rounding}, so they may not add up to the totals."


def merged(by: str, labels: list[str], policy: DisclosurePolicy) -> str:
    return (f"Groups by {column_label(by)} have been combined ({', '.join(labels)}) so that each group, and the "
            f"rest of the staff, has at least {policy.min_group} people.")


def no_breakdown(by: str, policy: DisclosurePolicy) -> str:
    return (f"A breakdown by {column_label(by)} is not shown: even after combining groups, at least one group, or "
            f"the rest of the staff, would have fewer than {policy.min_group} people.")


def small_school(policy: DisclosurePolicy) -> str:
    return (f"The school has fewer than {policy.min_staff_for_breakdowns} staff in scope, so figures are given for "
            "the whole school only, without breakdowns.")


def withheld() -> str:
    return ("This table is not shown: no version of it could be published without risking identifying a member of "
            "staff.")


def means(policy: DisclosurePolicy) -> str:
    return (f"Averages are given only where at least {policy.mean_min_contributors} people contribute and no one or "
            f"two people account for most of the total, rounded to {policy.mean_decimals} decimal place"
            f"{'s' if policy.mean_decimals != 1 else ''}. Lowest and highest values are never shown.")


def year_on_year(policy: DisclosurePolicy) -> str:
    return (f"A change between years is shown only where both years' figures are shown and the group's membership "
            f"changed by no one or by at least {policy.yoy_min_membership_change} people.")


def compliance() -> str:
    return ("Each member of staff is counted once per rule: as not met if any part of the rule was breached for them, "
            "as not recorded if a date or record was missing, and as met otherwise.")


def symbol_notes(used: set[str], policy: DisclosurePolicy) -> list[str]:
    sym = policy.symbols
    out = []
    if sym.suppressed in used:
        out.append(suppressed(policy))
    if sym.unreliable in used:
        out.append(unreliable(policy))
    if sym.low in used:
        out.append(low(policy))
    if sym.not_available in used:
        out.append(not_available(policy))
    if sym.not_applicable in used:
        out.append(not_applicable(policy))
    return out
