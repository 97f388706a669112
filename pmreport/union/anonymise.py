"""k-anonymity within one school: make characteristics less detailed, then leave some out, until it holds.

Every combination of the quasi-identifiers (what a colleague could know: role, responsibility,
pay range, sex, age band, ethnic group, working pattern, experience, disability, pregnancy or
maternity) must be shared by at least ``k`` people of the return. In two steps:

1. **Less detail for everyone** (global recoding): a field is moved one step up its ladder
   (age bands 30-39 and under 30 become "under 40"), for the whole school, choosing each time the
   step that leaves the fewest people in combinations smaller than ``k``, until at most a budget
   of people are.
2. **Leave values out for the few left** (local suppression): for the people still in small
   combinations, one field at a time is shown as ``not_shown``, the field that helps most first.
   Anyone still not covered has every field left out; if fewer than ``k`` people have everything
   left out, the smallest other combinations join them.

A second method is also tried, top-down: start with nothing shown and add detail group by group
wherever every group keeps at least ``k`` people (:func:`_top_down`). Of all the results, the
one that loses least is kept: a value left out costs 1, a value made one step less detailed that
step's share of its ladder, each weighted by how useful the field is to the union (the schema
lists the quasi-identifiers from least to most useful).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pmreport.union.return_schema import NOT_SHOWN, QuasiIdentifier, return_format

#: Shares of the school allowed in small combinations before step 2 takes over (each is one candidate).
BUDGETS = (0.1,)
#: Ways of choosing which field to add detail to first in the top-down method: (weight of a fine
#: step against a broad one, how much more a field lower in the schema's list is worth).
TOP_DOWN_VARIANTS = ((0.5, 0.2), (1.0, 0.2), (0.25, 0.1))


@dataclass
class Anonymised:
    """The people frame made k-anonymous, and what it cost."""

    frame: pd.DataFrame
    k: int
    levels: dict[str, int]  # the ladder step applied to each field for everyone (empty: chosen group by group)
    values_generalised: int
    values_suppressed: int
    rows_all_suppressed: int
    achieved: bool  # False only when the school has fewer than k people (then no rows are given)
    smallest_group: int
    loss: float = 0.0
    per_field: dict[str, dict[str, int]] = field(default_factory=dict)


class _Codes:
    """The quasi-identifiers as integer codes, at every level of their ladders."""

    def __init__(self, frame: pd.DataFrame, qis: Sequence[QuasiIdentifier]):
        fmt = return_format().people
        self.qis = list(qis)
        self.names: list[list[str]] = []
        self.at: list[list[np.ndarray]] = []  # at[i][level] -> int codes per row
        self.radix: list[int] = []
        for q in self.qis:
            codes = list(fmt.field(q.field).codes)
            index = {c: i for i, c in enumerate(codes)}
            raw = frame[q.field].astype(str).to_numpy()
            unknown = set(raw) - set(index)
            if unknown:
                raise ValueError(f"{q.field} has codes the return cannot show: {sorted(unknown)}")
            levels = []
            for level in range(q.levels):
                mapping = {c: index[q.at_level(c, level)] for c in codes}
                levels.append(np.array([mapping[v] for v in raw], dtype=np.int64))
            self.names.append(codes)
            self.at.append(levels)
            self.radix.append(len(codes))
        self.not_shown = [n.index(NOT_SHOWN) for n in self.names]

    def columns(self, levels: Sequence[int]) -> list[np.ndarray]:
        return [self.at[i][lv].copy() for i, lv in enumerate(levels)]


def _sizes(cols: Sequence[np.ndarray], radix: Sequence[int]) -> np.ndarray:
    key = np.zeros(len(cols[0]), dtype=np.int64)
    for col, r in zip(cols, radix, strict=True):
        key = key * r + col
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    return counts[inverse]


def _small(cols: Sequence[np.ndarray], radix: Sequence[int], k: int) -> np.ndarray:
    return _sizes(cols, radix) < k


def _global(codes: _Codes, k: int, budget: int) -> list[int]:
    levels = [0] * len(codes.qis)
    while True:
        bad = int(_small(codes.columns(levels), codes.radix, k).sum())
        if bad <= budget:
            return levels
        best: tuple[int, int, int] | None = None  # (bad rows after, reaches not_shown, field index)
        for i, q in enumerate(codes.qis):
            if levels[i] >= q.levels - 1:
                continue
            trial = list(levels)
            trial[i] += 1
            after = int(_small(codes.columns(trial), codes.radix, k).sum())
            score = (after, int(trial[i] == q.levels - 1), i)
            if best is None or score < best:
                best = score
        if best is None:
            return levels
        levels[best[2]] += 1


def _local(codes: _Codes, cols: list[np.ndarray], k: int) -> list[np.ndarray]:
    n = len(cols[0])
    remaining = list(range(len(cols)))
    while remaining:
        small = _small(cols, codes.radix, k)
        if not small.any():
            return cols
        best: tuple[int, int] | None = None
        for i in remaining:
            trial = list(cols)
            trial[i] = np.where(small, codes.not_shown[i], cols[i])
            after = int(_small(trial, codes.radix, k).sum())
            if best is None or (after, i) < best:
                best = (after, i)
        assert best is not None
        i = best[1]
        cols[i] = np.where(small, codes.not_shown[i], cols[i])
        remaining.remove(i)
    # Everyone left in a small combination now has every field left out. Make that group big enough.
    everything = np.ones(n, dtype=bool)
    for i, col in enumerate(cols):
        everything &= col == codes.not_shown[i]
    while 0 < everything.sum() < k:
        sizes = _sizes(cols, codes.radix)
        others = np.where(~everything)[0]
        if len(others) == 0:
            break
        smallest = sizes[others].min()
        key = np.zeros(n, dtype=np.int64)
        for col, r in zip(cols, codes.radix, strict=True):
            key = key * r + col
        pick = others[sizes[others] == smallest]
        join = key == key[pick[0]]
        for i in range(len(cols)):
            cols[i] = np.where(join, codes.not_shown[i], cols[i])
        everything |= join
    return cols


def _weight(i: int) -> float:
    """How much detail in the ``i``-th quasi-identifier is worth (later in the schema's list: more)."""
    return 1 + i / 5


def _loss(codes: _Codes, cols: Sequence[np.ndarray]) -> float:
    total = 0.0
    for i, q in enumerate(codes.qis):
        top = q.levels - 1
        for level in range(1, top + 1):
            total += _weight(i) * (level / top) * float(((cols[i] == codes.at[i][level]) & (codes.at[i][level - 1] != cols[i])).sum())
    return total


def _top_down(codes: _Codes, k: int, refine_factor: float = 0.5, slope: float = 0.2) -> list[np.ndarray]:
    """Start with nothing shown and add detail, group by group, wherever every group keeps at least k people.

    A group may show one field in more detail when each finer value covers at least k of its
    people; people with a rarer value stay together at the coarser level (if they are fewer than
    k, people from the largest value join them so that they are not).
    """
    n = len(codes.at[0][0])
    tops = [q.levels - 1 for q in codes.qis]
    level = np.array([tops] * n, dtype=np.int64)  # level[row, field]
    stack: list[tuple[np.ndarray, tuple[int, ...], frozenset[int]]] = [(np.arange(n), tuple(tops), frozenset())]
    while stack:
        rows, levels, frozen = stack.pop()
        best = None
        for i in range(len(codes.qis)):
            if levels[i] == 0 or i in frozen:
                continue
            finer = codes.at[i][levels[i] - 1][rows]
            values, inverse, counts = np.unique(finer, return_inverse=True, return_counts=True)
            if len(values) < 2:
                # one value throughout: showing it loses nothing and splits nothing
                best = (float("inf"), i, values, inverse, counts)
                break
            big = counts >= k
            rest = int(counts[~big].sum())
            if not big.any() or (rest and rest < k and counts[big].max() - (k - rest) < k):
                continue
            refine = refine_factor if levels[i] - 1 == 0 and codes.qis[i].ladder else 1.0  # broad detail first
            gain = (float(counts[big].sum()) - (k - rest if 0 < rest < k else 0)) * (1 + slope * i) * refine
            if best is None or gain > best[0]:
                best = (gain, i, values, inverse, counts)
        if best is None:
            continue
        _, i, values, inverse, counts = best
        new_level = levels[i] - 1
        big = counts >= k
        rest = int(counts[~big].sum())
        remainder = rows[~big[inverse]]
        children = [rows[inverse == j] for j in np.where(big)[0]]
        if 0 < rest < k:
            largest = max(range(len(children)), key=lambda j: len(children[j]))
            need = k - rest
            remainder = np.concatenate([remainder, children[largest][-need:]])
            children[largest] = children[largest][:-need]
        for child in children:
            level[child, i] = new_level
            stack.append((child, levels[:i] + (new_level,) + levels[i + 1:], frozen))
        if len(remainder):
            stack.append((remainder, levels, frozen | {i}))
    return [np.choose(level[:, i], codes.at[i]) for i in range(len(codes.qis))]


def k_anonymise(frame: pd.DataFrame, k: int | None = None, qis: Sequence[QuasiIdentifier] | None = None) -> Anonymised:
    """``frame`` (one row per person, characteristics at their finest) made k-anonymous on ``qis``."""
    fmt = return_format()
    k = fmt.default_k if k is None else int(k)
    if k < 2:
        raise ValueError("k must be at least 2")
    qis = list(fmt.quasi_identifiers if qis is None else qis)
    n = len(frame)
    if n == 0 or n < k:
        empty = frame.iloc[0:0].copy()
        return Anonymised(empty, k, {q.field: 0 for q in qis}, 0, 0, 0, achieved=n == 0, smallest_group=0)
    codes = _Codes(frame, qis)
    best: tuple[float, list[int], list[np.ndarray]] | None = None
    seen: set[tuple[int, ...]] = set()
    for share in BUDGETS:
        levels = _global(codes, k, int(share * n))
        if tuple(levels) in seen:
            continue
        seen.add(tuple(levels))
        cols = _local(codes, codes.columns(levels), k)
        loss = _loss(codes, cols)
        if best is None or loss < best[0]:
            best = (loss, levels, cols)
    for refine_factor, slope in TOP_DOWN_VARIANTS:
        cols = _top_down(codes, k, refine_factor, slope)
        loss = _loss(codes, cols)
        if best is None or loss < best[0]:
            best = (loss, [], cols)
    assert best is not None
    loss, levels, cols = best
    out = frame.copy()
    generalised = suppressed = 0
    per_field: dict[str, dict[str, int]] = {}
    all_hidden = np.ones(n, dtype=bool)
    for i, q in enumerate(qis):
        names = np.array(codes.names[i], dtype=object)
        original = codes.at[i][0]
        hidden = (cols[i] == codes.not_shown[i]) & (original != codes.not_shown[i])
        changed = (cols[i] != original) & ~hidden
        out[q.field] = names[cols[i]]
        per_field[q.field] = {"generalised": int(changed.sum()), "suppressed": int(hidden.sum())}
        generalised += int(changed.sum())
        suppressed += int(hidden.sum())
        all_hidden &= cols[i] == codes.not_shown[i]
    smallest = int(_sizes(cols, codes.radix).min())
    chosen = {q.field: lv for q, lv in zip(qis, levels, strict=True)} if levels else {}
    return Anonymised(out, k, chosen, generalised, suppressed,
                      int(all_hidden.sum()), achieved=smallest >= k, smallest_group=smallest, loss=loss,
                      per_field=per_field)


def smallest_group(frame: pd.DataFrame, fields: Sequence[str] | None = None) -> int:
    """The size of the smallest combination of ``fields`` (the quasi-identifiers by default) in ``frame``."""
    fields = list(fields or [q.field for q in return_format().quasi_identifiers])
    if frame.empty:
        return 0
    return int(frame.groupby(fields, dropna=False).size().min())
