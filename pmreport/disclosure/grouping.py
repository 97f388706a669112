"""The groups of a breakdown by one characteristic, merged until each is big enough, or none.

A breakdown is shown only when every group, and the rest of the population outside it, has at
least ``min_group`` people (in every cycle the table covers). The gate tries the characteristic's
own categories first; then the policy's merge for it (ethnicity: White British and all other;
age: two bands); then, for any other characteristic, its largest category and all the rest. If
that still leaves a group too small, there is no breakdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pmreport.disclosure.labels import group_label
from pmreport.disclosure.microdata import Microdata
from pmreport.disclosure.policy import DisclosurePolicy, TwoBands, TwoGroups
from pmreport.disclosure.query import NOT_KNOWN, Group, Members, Population


@dataclass(frozen=True)
class Breakdown:
    """The groups chosen (empty when no breakdown can be shown) and whether categories were merged."""

    groups: tuple[Group, ...]
    merged: bool


def _counts(md: Microdata, cycle: str, population: Population, by: str) -> dict[str, int]:
    coded = md.coded(cycle, by)
    found = np.bincount(coded.codes[md.mask(Members(cycle, population))], minlength=len(coded.labels))
    return {coded.labels[i]: int(found[i]) for i in np.flatnonzero(found)}


def _valid(groups: Sequence[Group], counts: Sequence[dict[str, int]], min_group: int) -> bool:
    if len(groups) < 2:
        return False
    for per_cycle in counts:
        total = sum(per_cycle.values())
        for g in groups:
            n = sum(per_cycle.get(v, 0) for v in g.values)
            if n < min_group or total - n < min_group:
                return False
    return True


def _ordered(codes: set[str], order: Sequence[str]) -> list[str]:
    known = [c for c in order if c in codes]
    rest = sorted(c for c in codes if c not in order and c != NOT_KNOWN)
    return known + rest + ([NOT_KNOWN] if NOT_KNOWN in codes else [])


def _other_label(column: str, codes: Sequence[str]) -> str:
    labels = [group_label(column, c) for c in codes]
    if len(labels) <= 3:
        return " or ".join([labels[0], *[lab[0].lower() + lab[1:] for lab in labels[1:]]])
    return "All other groups"


def _two_groups(column: str, merge: TwoGroups, codes: list[str]) -> list[Group]:
    keep = tuple(c for c in codes if c in merge.keep)
    other = tuple(c for c in codes if c not in merge.keep)
    return [Group(column, keep, merge.keep_label), Group(column, other, merge.other_label)]


def _best_bands(column: str, merge: TwoBands, codes: list[str], counts: Sequence[dict[str, int]]) -> list[Group]:
    extra = [c for c in codes if c not in merge.order]
    best: list[Group] = []
    best_score = -1
    for i in range(1, len(merge.order)):
        low = tuple(c for c in merge.order[:i] if c in codes)
        high = tuple([c for c in merge.order[i:] if c in codes] + extra)
        if not low or not high:
            continue
        above = merge.above.format(merge.cuts[i - 1]) + (" (including not known)" if extra else "")
        groups = [Group(column, low, merge.below.format(merge.cuts[i - 1])), Group(column, high, above)]
        score = min(sum(c.get(v, 0) for v in g.values) for c in counts for g in groups)
        if score > best_score:
            best, best_score = groups, score
    return best


def _largest_and_rest(column: str, codes: list[str], counts: Sequence[dict[str, int]]) -> list[Group]:
    if not codes:  # nobody in the population (e.g. its rows were all set aside): nothing to group
        return []
    total = {c: sum(per.get(c, 0) for per in counts) for c in codes}
    largest = max(codes, key=lambda c: (total[c], c != NOT_KNOWN))
    rest = [c for c in codes if c != largest]
    if not rest:
        return []
    return [Group(column, (largest,), group_label(column, largest)), Group(column, tuple(rest), _other_label(column, rest))]


def choose_groups(md: Microdata, cycles: Sequence[str], population: Population, by: str,
                  policy: DisclosurePolicy) -> Breakdown:
    """The finest grouping of ``by`` that the policy allows in every cycle, or none."""
    counts = [_counts(md, cycle, population, by) for cycle in cycles]
    present = set().union(*(set(c) for c in counts))
    merge = policy.merge_for(by)
    order = merge.order if isinstance(merge, TwoBands) else ()
    codes = _ordered(present, order)
    own = [Group(by, (c,), group_label(by, c)) for c in codes]
    if _valid(own, counts, policy.min_group):
        return Breakdown(tuple(own), False)
    if isinstance(merge, TwoGroups):
        merged = _two_groups(by, merge, codes)
    elif isinstance(merge, TwoBands):
        merged = _best_bands(by, merge, codes, counts)
    else:
        merged = _largest_and_rest(by, codes, counts)
    if _valid(merged, counts, policy.min_group):
        return Breakdown(tuple(merged), True)
    return Breakdown((), True)
