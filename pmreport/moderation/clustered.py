"""Pooled cycles counted by person: the same person in several cycles is one unit, not several.

When cycles are pooled, a person who struggles one year often struggles the next. Counting each
person-cycle as an independent observation then makes chance differences look surer than they
are (in a simulation with 8% of people struggling every year, a 5% test flagged 15% of schools
with nothing wrong). Here each person is one unit on each side of a comparison: their outcomes
over the pooled cycles are added up, and the test is the exact permutation test of the group's
total with units shuffled between the sides within strata (:func:`stratified_sum_test`).

A unit is (person, side): a person's cycles in the group compared (a reviewer's reviewees, or
women, say) form one unit, their cycles on the other side another. Units are shuffled only
among units of the same stratum: the stratum of the unit's latest cycle (peer group or role
group) and the set of cycles the unit covers, so that a person present in all three cycles is
compared with others present in all three. Persons stay exchangeable under the null whatever
the persistence of their outcomes, so the chance of a false flag keeps its promise.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pmreport.moderation.exact import ExactTest, stratified_sum_test


def is_pooled(cycles: Sequence[object] | np.ndarray) -> bool:
    """Whether the rows span more than one cycle."""
    return len(set(pd.Series(cycles, dtype=object).dropna().astype(str).tolist())) > 1


def person_sum_test(person: np.ndarray, cycle: np.ndarray, stratum: np.ndarray, in_focus: np.ndarray,
                    value: np.ndarray) -> ExactTest:
    """The exact test of "the group's total is no different from a random choice of persons".

    One entry per person-cycle row: ``person`` (staff reference), ``cycle``, ``stratum`` (the
    row's peer or role group), ``in_focus`` (bool: on the side tested) and ``value`` (whole
    number: 1/0 for an event, or a count such as objectives)."""
    side = np.asarray(in_focus, dtype=bool)
    value = np.asarray(value, dtype=np.int64)
    p_codes, _ = pd.factorize(np.asarray(person, dtype=object))
    c_codes, cycles = pd.factorize(np.asarray(cycle, dtype=object), sort=True)
    s_codes, _ = pd.factorize(np.asarray(stratum, dtype=object))
    unit, unit_side = np.unique(p_codes * 2 + side, return_inverse=True)
    n_units = len(unit)
    totals = np.bincount(unit_side, weights=value, minlength=n_units).astype(np.int64)
    # the cycles each unit covers, as bits; its stratum is that of its latest cycle
    cover = np.zeros(n_units, dtype=np.int64)
    np.bitwise_or.at(cover, unit_side, np.left_shift(1, c_codes.astype(np.int64)))
    latest = np.full(n_units, -1, dtype=np.int64)
    np.maximum.at(latest, unit_side, c_codes.astype(np.int64))
    is_latest = c_codes == latest[unit_side]
    u_stratum = np.zeros(n_units, dtype=np.int64)
    u_stratum[unit_side[is_latest]] = s_codes[is_latest]
    u_focus = (unit % 2).astype(bool)
    key = u_stratum * (1 << len(cycles)) + cover
    strata: list[tuple[list[int], int]] = []
    for k in np.unique(key).tolist():
        here = key == k
        strata.append((totals[here].tolist(), int(u_focus[here].sum())))
    return stratified_sum_test(strata, int(totals[u_focus].sum()))


def latest_per_unit(person: np.ndarray, cycle: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Which rows to keep so that each (person, side) counts once, at its latest cycle: for effect
    sizes whose intervals assume independent people."""
    person = pd.Series(person, dtype=object).astype(str).to_numpy(dtype=object)
    cycle = pd.Series(cycle, dtype=object).astype(str).to_numpy(dtype=object)
    side = np.asarray(side, dtype=bool)
    order = np.lexsort((cycle, side, person))  # the latest cycle last within (person, side)
    last = np.ones(len(order), dtype=bool)
    last[:-1] = ~((person[order][1:] == person[order][:-1]) & (side[order][1:] == side[order][:-1]))
    keep = np.zeros(len(order), dtype=bool)
    keep[order[last]] = True
    return keep
