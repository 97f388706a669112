"""Which cells of a table of counts to hide: primary suppression, then complementary suppression.

A table of counts is a grid: rows are the whole population and its groups (or, for compliance,
one rule each), columns are outcomes. Every row adds up to its number of people, which the
reader knows; every column of a breakdown adds up to the whole-population cell. Those sums are
the *lines* a hidden cell could be recovered from.

*Primary*: a count from 1 to ``min_cell - 1`` is hidden; so is every cell that would show that
everyone in a row had an unfavourable outcome (including the zero that says nobody had a good one),
and, under ``hide_unanimous``, every cell of a row of a personal outcome where everyone had the same
favourable one ("25 of 25 met their objectives").

*Complementary*: each line holding a hidden cell must hold at least two, and where it holds a
hidden small figure the hidden cells must add up to at least the protection level, so that the
small figure could be anything from 0 to that level. The cells added are chosen for least loss
of information: one whose other line is already broken open, then a non-zero one, then the
smallest, and cells of a group before those of the whole population.

The gate then checks the result with the full audit and, if that finds anything, tries the
coarser patterns of :func:`patterns` in turn.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from pmreport.disclosure.policy import DisclosurePolicy

Pos = tuple[int, int]


@dataclass
class Grid:
    """A table of counts: true values, row sizes, which columns are unfavourable, and the lines."""

    values: np.ndarray  # rows x columns, true counts
    sizes: Sequence[int]
    adverse: Sequence[bool]  # column holds an unfavourable outcome
    lines: Sequence[Sequence[Pos]]
    total_rows: frozenset[int] = frozenset()
    unit_sensitive: np.ndarray | None = None  # pooled data: cells with too few schools or one dominant
    #: rows of a personal outcome where everyone having the same favourable outcome is hidden too
    unanimous_rows: frozenset[int] = frozenset()

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape  # type: ignore[return-value]

    def cells(self) -> Iterator[Pos]:
        rows, cols = self.shape
        for r in range(rows):
            for c in range(cols):
                yield r, c


def group_disclosed_rows(grid: Grid) -> set[int]:
    """Rows where everyone had an unfavourable outcome."""
    out = set()
    has_favourable = not all(grid.adverse)
    for r, size in enumerate(grid.sizes):
        if size <= 0:
            continue
        adverse_total = sum(int(grid.values[r, c]) for c in range(grid.shape[1]) if grid.adverse[c])
        if (has_favourable and adverse_total == size) or any(
            grid.adverse[c] and grid.values[r, c] == size for c in range(grid.shape[1])
        ):
            out.add(r)
    return out


def unanimous_rows(grid: Grid) -> set[int]:
    """Rows of a personal outcome where everyone had the same favourable outcome ("25 of 25 met")."""
    return {r for r in grid.unanimous_rows if grid.sizes[r] > 0
            and any(not grid.adverse[c] and grid.values[r, c] == grid.sizes[r] for c in range(grid.shape[1]))}


def primary(grid: Grid, policy: DisclosurePolicy) -> set[Pos]:
    """Cells hidden for their own sake."""
    hide: set[Pos] = set()
    for r, c in grid.cells():
        v = int(grid.values[r, c])
        if 1 <= v < policy.min_cell or (v == 0 and policy.suppress_zero_cells and grid.sizes[r] > 0):
            hide.add((r, c))
        if grid.unit_sensitive is not None and grid.unit_sensitive[r, c]:
            hide.add((r, c))
    for r in group_disclosed_rows(grid):
        for c in range(grid.shape[1]):
            if not grid.adverse[c] or grid.values[r, c] > 0:
                hide.add((r, c))
    for r in unanimous_rows(grid):  # the whole row: its zeros would say the same
        hide |= {(r, c) for c in range(grid.shape[1])}
    return hide


def complement(grid: Grid, hidden: set[Pos], sensitive: set[Pos], fixed: set[Pos], policy: DisclosurePolicy) -> set[Pos]:
    """Add hidden cells until every line is protected (``fixed`` cells are already public elsewhere)."""
    hidden = set(hidden)
    lines_of: dict[Pos, list[int]] = {}
    for i, line in enumerate(grid.lines):
        for pos in line:
            lines_of.setdefault(pos, []).append(i)
    changed = True
    while changed:
        changed = False
        for i, line in enumerate(grid.lines):
            inside = [p for p in line if p in hidden]
            if not inside:
                continue
            hidden_sum = sum(int(grid.values[p]) for p in inside)
            target = min(policy.protection, _scale(grid, line)) if any(p in sensitive for p in inside) else 0
            if len(inside) >= 2 and hidden_sum >= target:
                continue
            candidates = [p for p in line if p not in hidden and p not in fixed]
            if not candidates:
                continue

            costs = {p: _cost(grid, p, i, lines_of, hidden, hidden_sum < target) for p in candidates}
            hidden.add(min(candidates, key=costs.__getitem__))
            changed = True
    return hidden


def _cost(grid: Grid, p: Pos, line_no: int, lines_of: dict[Pos, list[int]], hidden: set[Pos],
          short: bool) -> tuple[int, int, int, int]:
    """Least loss of information first: opens no new line, not a zero while short, smallest, not a total."""
    opens = sum(1 for j in lines_of.get(p, []) if j != line_no and not any(q in hidden for q in grid.lines[j]))
    v = int(grid.values[p])
    return (opens, int(v == 0 and short), v, int(p[0] in grid.total_rows))


def _scale(grid: Grid, line: Sequence[Pos]) -> int:
    """What a line adds up to: a row's size, or a column's whole-population total."""
    groups = [p for p in line if p[0] not in grid.total_rows]
    cells = groups if groups and len(groups) < len(line) else line
    return sum(int(grid.values[p]) for p in cells)


def patterns(grid: Grid, policy: DisclosurePolicy, forced_public: set[Pos], forced_hidden: set[Pos]) -> Iterator[set[Pos]]:
    """Suppression patterns from least to most hidden; the gate publishes the first the audit passes."""
    sensitive = primary(grid, policy) - forced_public
    start = sensitive | forced_hidden
    first = complement(grid, start, sensitive, forced_public, policy)
    yield first
    whole_rows = {(r, c) for r, c in grid.cells() if any((r, k) in first for k in range(grid.shape[1]))}
    second = complement(grid, (whole_rows | first) - forced_public, sensitive, forced_public, policy)
    if second != first:
        yield second
    group_rows = {(r, c) for r, c in grid.cells() if r not in grid.total_rows}
    if first and group_rows:
        third = complement(grid, (group_rows | first) - forced_public, sensitive, forced_public, policy)
        if third not in (first, second):
            yield third
    everything = {p for p in grid.cells() if p not in forced_public}
    if everything not in (first, second):
        yield everything
