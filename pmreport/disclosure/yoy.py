"""Year-on-year tables: a count and share in two cycles, and the change between them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal, Protocol

from pmreport.disclosure import notes
from pmreport.disclosure.labels import column_label
from pmreport.disclosure.layout import (
    ColDef,
    CountLayout,
    RowDef,
    add_placeholder,
    count_cell,
    finish_notes,
    percent_cell,
    withheld_table,
)
from pmreport.disclosure.microdata import Microdata
from pmreport.disclosure.policy import DisclosurePolicy
from pmreport.disclosure.query import Query
from pmreport.disclosure.suppression import Pos
from pmreport.disclosure.tables import Cell, CellSpec, Column, SafeTable, _issue


class YearOnYearGate(Protocol):
    """What year-on-year tables need of the gate (:class:`pmreport.disclosure.gate.DisclosureGate`),
    which calls them: the gate depends on this module, never the other way round."""

    md: Microdata
    policy: DisclosurePolicy

    def decide_counts(self, layout: CountLayout, columns: set[str]) -> tuple[SafeTable, set[Pos]] | None: ...

    def is_public(self, spec: CellSpec) -> bool: ...

    def passes(self, table: SafeTable, columns: set[str]) -> bool: ...


def build_year_on_year(gate: YearOnYearGate, query: Query, cycles: Sequence[str], rows: list[RowDef],
                       good: tuple[str, ...], rest: tuple[str, ...], label: str, layout_notes: list[str],
                       title: str, description: str, placeholder: str | None = None) -> SafeTable:
    p = gate.policy
    earlier, later = cycles
    header = column_label(query.by).capitalize() if query.by else ""
    per_cycle: dict[str, tuple[list[RowDef], CountLayout, set[Pos]]] = {}
    bands: dict[tuple[str, int], tuple[int, int, int]] = {}  # (cycle, row) -> the band its count is given as
    for cycle in cycles:
        cycle_rows = [replace(r, members=replace(r.members, cycle=cycle)) for r in rows]
        layout = CountLayout(title, description, header, cycle_rows, [ColDef(label, good), ColDef("rest", rest)])
        found = gate.decide_counts(layout, {query.outcome})
        grid = layout.grid(gate.md, p)
        hidden = found[1] if found is not None else set(grid.cells())
        per_cycle[cycle] = (cycle_rows, layout, hidden)
        for r in range(len(cycle_rows)):
            interval = found[0].cells[r][1].interval if found is not None else None
            if interval is not None:
                bands[(cycle, r)] = interval

    grids = {c: per_cycle[c][1].grid(gate.md, p) for c in cycles}
    totals = {c: int(grids[c].sizes[0]) for c in cycles}
    unit: Literal["count", "percent"] = "percent" if all(totals[c] >= p.percent_min_denominator for c in cycles) else "count"
    columns = []
    for cycle in cycles:
        columns += [Column(f"{cycle}: number of staff", "size"), Column(f"{cycle}: {label}", "count"),
                    Column(f"{cycle}: {label} (%)", "percent")]
    columns.append(Column("Change (percentage points)" if unit == "percent" else "Change (number of people)", "change"))

    def build(hide_changes: bool, with_bands: bool = True) -> SafeTable:
        cells: list[list[Cell]] = []
        specs: list[list[CellSpec | None]] = []
        for r in range(len(rows)):
            row_cells: list[Cell] = []
            row_specs: list[CellSpec | None] = []
            shown: dict[str, tuple[Cell, Cell]] = {}
            for cycle in cycles:
                cycle_rows, _, hidden = per_cycle[cycle]
                grid = grids[cycle]
                members = cycle_rows[r].members
                size, v = int(grid.sizes[r]), int(grid.values[r, 0])
                count_spec = CellSpec("count", query, members, good, base=p.count_rounding)
                public = (r, 0) not in hidden and gate.is_public(count_spec)  # shown exactly by a process table
                base = 1 if public else p.percent_rounding
                if size == 0:
                    count = Cell("count", symbol=p.symbols.not_available)
                    pct = Cell("percent", symbol=p.symbols.not_available)
                elif public:
                    count = Cell("count", value=v)
                    pct = percent_cell(v, size, False, p, base)
                elif with_bands and (r, 0) in hidden and (cycle, r) in bands:
                    count = Cell("count", interval=bands[(cycle, r)])  # the band its own table allowed
                    pct = percent_cell(v, size, True, p)
                else:
                    count = Cell("count", symbol=p.symbols.suppressed) if (r, 0) in hidden else count_cell("count", v, p)
                    pct = percent_cell(v, size, (r, 0) in hidden, p, base)  # changes stay at the coarse rounding
                shown[cycle] = (count, pct)
                row_cells += [count_cell("size", size, p), count, pct]
                row_specs += [CellSpec("size", query, members, base=p.count_rounding, public=public),
                              replace(count_spec, base=None, public=True) if public else count_spec,
                              CellSpec("percent", query, members, good, base=base, public=public)]
            then, now = per_cycle[earlier][0][r].members, per_cycle[later][0][r].members
            moved = gate.md.changed(now, then)
            pick = 1 if unit == "percent" else 0
            a, b = shown[earlier][pick], shown[later][pick]
            ok = (not hide_changes and isinstance(a.value, int) and isinstance(b.value, int)
                  and not 1 <= moved < p.yoy_min_membership_change)
            if ok:
                change = Cell("change", value=int(b.value) - int(a.value), change_unit=unit)  # type: ignore[arg-type]
            elif a.symbol == p.symbols.not_available or b.symbol == p.symbols.not_available:
                change = Cell("change", symbol=p.symbols.not_available, change_unit=unit)
            else:
                change = Cell("change", symbol=p.symbols.suppressed, change_unit=unit)
            row_cells.append(change)
            row_specs.append(CellSpec("change", query, now, good, earlier=then, change_unit=unit,
                                      base=p.percent_rounding if unit == "percent" else p.count_rounding))
            cells.append(row_cells)
            specs.append(row_specs)
        extra = [notes.people_not_fte(), notes.percentages(p), notes.year_on_year(p)]
        if any(c.interval is not None for row in cells for c in row):
            extra.append(notes.intervals(p))
        if p.count_rounding:
            extra.append(notes.rounded_counts(p))
        labels = [r.label for r in rows]
        add_placeholder(placeholder, labels, cells, specs, columns, p)
        return _issue(title=title, description=description, row_header=header, rows=labels,
                      columns=columns, cells=cells, footnotes=finish_notes(layout_notes, cells, p, extra),
                      symbols=p.symbols, policy=p.name, specs=specs)

    for hide_changes, with_bands in ((False, True), (True, True), (False, False), (True, False)):
        if not with_bands and not bands:
            break
        table = build(hide_changes, with_bands)
        if gate.passes(table, {query.outcome}):
            return table
    return withheld_table(title, description, layout_notes, p)
