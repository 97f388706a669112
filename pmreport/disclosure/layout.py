"""How the gate lays a table out, and how it turns a suppression pattern into a SafeTable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from pmreport.disclosure import notes
from pmreport.disclosure.microdata import Microdata
from pmreport.disclosure.policy import DisclosurePolicy
from pmreport.disclosure.query import Members, Query
from pmreport.disclosure.rounding import LOW, percent_band, rounded_count, rounded_mean, rounded_percent
from pmreport.disclosure.suppression import Grid, Pos
from pmreport.disclosure.tables import Cell, CellSpec, Column, SafeTable, _issue


@dataclass(frozen=True)
class RowDef:
    label: str
    query: Query
    members: Members
    is_total: bool = False


@dataclass(frozen=True)
class ColDef:
    label: str
    categories: tuple[str, ...]


@dataclass
class CountLayout:
    """A table of counts: rows of people, columns of outcomes, optional percentage columns."""

    title: str
    description: str
    row_header: str
    rows: list[RowDef]
    cols: list[ColDef]
    percent_cols: tuple[int, ...] = ()
    notes: list[str] = field(default_factory=list)
    size_label: str = "Number of staff"
    placeholder: str | None = None  #: label of a row of [c] standing for a breakdown that cannot be shown
    #: rows that are whole-school process figures, published exactly (percentages to the nearest 1%)
    public_rows: frozenset[int] = frozenset()

    @property
    def total_rows(self) -> frozenset[int]:
        return frozenset(r for r, row in enumerate(self.rows) if row.is_total)

    def lines(self) -> list[list[Pos]]:
        k = len(self.cols)
        lines = [[(r, c) for c in range(k)] for r in range(len(self.rows))]
        totals = [r for r, row in enumerate(self.rows) if row.is_total]
        for t in totals:
            groups = [r for r, row in enumerate(self.rows) if not row.is_total and row.query == self.rows[t].query
                      and row.members.cycle == self.rows[t].members.cycle]
            if groups:
                lines += [[(r, c) for r in groups] + [(t, c)] for c in range(k)]
        return lines

    def grid(self, md: Microdata, policy: DisclosurePolicy) -> Grid:
        values = np.zeros((len(self.rows), len(self.cols)), dtype=int)
        sizes = []
        units_bad = np.zeros_like(values, dtype=bool) if md.unit is not None else None
        for r, row in enumerate(self.rows):
            mask = md.mask(row.members)
            sizes.append(md.count(row.members))
            coded = md.outcome_codes(row.members.cycle, row.query.outcome)
            found = np.bincount(coded.codes[mask], minlength=len(coded.labels))
            for c, col in enumerate(self.cols):
                values[r, c] = int(found[coded.among(col.categories)].sum())
                if units_bad is not None and values[r, c]:
                    units_bad[r, c] = md.too_few_units(row.members, row.query.outcome, col.categories,
                                                       policy.min_units_per_cell, policy.max_unit_share)
        adverse_sets = [set(row.query.adverse) or set(row.query.categories) for row in self.rows]
        adverse = [any(bool(set(col.categories) & a) for a in adverse_sets) for col in self.cols]
        unanimous = frozenset(r for r, row in enumerate(self.rows)  # personal outcomes: "all met" is hidden too
                              if policy.hide_unanimous and row.query.outcome not in policy.process_outcomes
                              and r not in self.public_rows)
        return Grid(values, sizes, adverse, self.lines(), self.total_rows, units_bad, unanimous)


def count_cell(kind: str, value: int, policy: DisclosurePolicy) -> Cell:
    shown = rounded_count(value, policy.count_rounding)
    if shown == LOW:
        return Cell(kind, symbol=policy.symbols.low)  # type: ignore[arg-type]
    return Cell(kind, value=shown)  # type: ignore[arg-type]


def percent_cell(count: int, size: int, hidden: bool, policy: DisclosurePolicy, base: int | None = None) -> Cell:
    """A percentage rounded to ``base`` (the policy's rounding by default; 1 for a process figure shown exactly)."""
    sym = policy.symbols
    if hidden:
        return Cell("percent", symbol=sym.suppressed)
    if size == 0:
        return Cell("percent", symbol=sym.not_applicable)
    if size < policy.percent_min_denominator:
        return Cell("percent", symbol=sym.unreliable)  # too few people for a meaningful share: not a secret
    shown = rounded_percent(count, size, base or policy.percent_base(size))
    if shown == LOW:
        return Cell("percent", symbol=sym.low)
    return Cell("percent", value=shown)


def percent_band_cell(band: tuple[int, int], size: int, policy: DisclosurePolicy) -> Cell:
    """The percentage beside a count given as a band: the band of percentages that follows from the count's band
    and the row's number of staff, rounded outwards (so it tells nothing the band of people does not); [u] where
    fewer than ``percent_min_denominator`` people are counted; [c] where the number of staff is not itself shown
    exactly (the band would then say more than the table does) or the band would say nothing."""
    sym = policy.symbols
    if policy.count_rounding not in (None, 1):
        return Cell("percent", symbol=sym.suppressed)
    if size < policy.percent_min_denominator:
        return Cell("percent", symbol=sym.unreliable)
    found = percent_band(band[0], band[1], size, policy.percent_base(size))
    if found is None:
        return Cell("percent", symbol=sym.suppressed)
    return Cell("percent", interval=(*found, 100))


def add_placeholder(label: str | None, rows: list[str], cells: list[list[Cell]], specs: list[list[CellSpec | None]],
                    columns: Sequence[Column], policy: DisclosurePolicy) -> None:
    """A row of [c] for a breakdown that cannot be shown at all (it carries no figures)."""
    if label is None:
        return
    rows.append(label)
    cells.append([Cell(c.kind, symbol=policy.symbols.suppressed) for c in columns])
    specs.append([None] * len(columns))


def finish_notes(layout_notes: Sequence[str], cells: Sequence[Sequence[Cell]], policy: DisclosurePolicy,
                 extra: Sequence[str] = ()) -> list[str]:
    used = {c.symbol for row in cells for c in row if c.symbol is not None}
    return [*layout_notes, *extra, *notes.symbol_notes(used, policy)]


def assemble_counts(layout: CountLayout, grid: Grid, hidden: set[Pos], policy: DisclosurePolicy,
                    bands: dict[Pos, tuple[int, int]] | None = None) -> SafeTable:
    """The table with the cells ``hidden`` not shown exactly: as the band in ``bands`` (a count, see
    :mod:`.intervals`) or as [c]."""
    bands = bands or {}
    columns = [Column(layout.size_label, "size")] + [Column(c.label, "count") for c in layout.cols]
    columns += [Column(f"{layout.cols[c].label} (%)", "percent") for c in layout.percent_cols]
    cells: list[list[Cell]] = []
    specs: list[list[CellSpec | None]] = []
    for r, row in enumerate(layout.rows):
        size = int(grid.sizes[r])
        public = r in layout.public_rows
        row_cells = [count_cell("size", size, policy)]
        row_specs: list[CellSpec | None] = [CellSpec("size", row.query, row.members, base=policy.count_rounding,
                                                     public=public)]
        for c, col in enumerate(layout.cols):
            v = int(grid.values[r, c])
            if public and (r, c) not in hidden:
                row_cells.append(Cell("count", value=v))
                row_specs.append(CellSpec("count", row.query, row.members, col.categories, public=True))
                continue
            if (r, c) in bands:
                row_cells.append(Cell("count", interval=(*bands[(r, c)], size)))
            else:
                row_cells.append(Cell("count", symbol=policy.symbols.suppressed) if (r, c) in hidden
                                 else count_cell("count", v, policy))
            row_specs.append(CellSpec("count", row.query, row.members, col.categories, base=policy.count_rounding))
        for c in layout.percent_cols:
            base = 1 if public and (r, c) not in hidden else policy.percent_base(size)
            if (r, c) in bands:
                row_cells.append(percent_band_cell(bands[(r, c)], size, policy))
            else:
                row_cells.append(percent_cell(int(grid.values[r, c]), size, (r, c) in hidden, policy, base))
            row_specs.append(CellSpec("percent", row.query, row.members, layout.cols[c].categories, base=base,
                                      public=public and (r, c) not in hidden))
        cells.append(row_cells)
        specs.append(row_specs)
    extra = [notes.people_not_fte()]
    if layout.percent_cols:
        extra.append(notes.percentages(policy))
    if policy.count_rounding:
        extra.append(notes.rounded_counts(policy))
    if bands:
        extra.append(notes.intervals(policy))
        if any(c.kind == "percent" and c.interval is not None for row in cells for c in row):
            extra.append(notes.percent_intervals(policy))
    labels = [r.label for r in layout.rows]
    add_placeholder(layout.placeholder, labels, cells, specs, columns, policy)
    return _issue(title=layout.title, description=layout.description, row_header=layout.row_header,
                  rows=labels, columns=columns, cells=cells,
                  footnotes=finish_notes(layout.notes, cells, policy, extra), symbols=policy.symbols,
                  policy=policy.name, specs=specs)


@dataclass
class MeanLayout:
    """A table of averages: rows of people, the number contributing and their average."""

    title: str
    description: str
    row_header: str
    rows: list[RowDef]
    value_label: str
    notes: list[str] = field(default_factory=list)
    placeholder: str | None = None


def assemble_means(layout: MeanLayout, md: Microdata, hidden: set[int], policy: DisclosurePolicy) -> SafeTable:
    columns = [Column("Number of staff", "size"), Column(f"Average {layout.value_label}", "mean")]
    cells: list[list[Cell]] = []
    specs: list[list[CellSpec | None]] = []
    for r, row in enumerate(layout.rows):
        positions = md.sorted_positions(row.members)  # in the order of the people's keys, as the sum always was
        values = md.values(row.members.cycle, row.query.outcome).iloc[positions]
        size_cell = count_cell("size", len(positions), policy)
        if r in hidden:
            mean_cell = Cell("mean", symbol=policy.symbols.suppressed)
        elif not len(positions):
            mean_cell = Cell("mean", symbol=policy.symbols.not_applicable)
        else:
            mean_cell = Cell("mean", value=rounded_mean(float(values.sum()), len(positions), policy.mean_decimals))
        cells.append([size_cell, mean_cell])
        specs.append([CellSpec("size", row.query, row.members, base=policy.count_rounding),
                      CellSpec("mean", row.query, row.members, decimals=policy.mean_decimals)])
    extra = [notes.means(policy)]
    labels = [r.label for r in layout.rows]
    add_placeholder(layout.placeholder, labels, cells, specs, columns, policy)
    return _issue(title=layout.title, description=layout.description, row_header=layout.row_header,
                  rows=labels, columns=columns, cells=cells,
                  footnotes=finish_notes(layout.notes, cells, policy, extra), symbols=policy.symbols,
                  policy=policy.name, specs=specs)


def withheld_table(title: str, description: str, layout_notes: Sequence[str], policy: DisclosurePolicy) -> SafeTable:
    """A table with no figures at all, only its title and why it is not shown."""
    return _issue(title=title, description=description, row_header="", rows=[], columns=[], cells=[],
                  footnotes=[notes.withheld(), *layout_notes], symbols=policy.symbols, policy=policy.name, specs=[])
