"""SafeTable: the only object a renderer may show to governors or a union.

A SafeTable is made by the gate and nowhere else: its constructor demands a private token. It
holds plain-English titles, row and column labels, cells that are either a published figure or a
GSS symbol, and footnotes. It also keeps, privately, a description of what each cell counts
(:class:`CellSpec`) so that the audit can rebuild every published figure from the microdata;
:meth:`SafeTable.to_public_dict` never includes it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pmreport.disclosure.policy import Symbols
from pmreport.disclosure.query import Members, Query

CellKind = Literal["size", "count", "percent", "mean", "change"]

_TOKEN = object()


@dataclass(frozen=True)
class Cell:
    """One published figure, the GSS symbol shown in its place, or (a count) the band it is known to lie in.

    ``interval`` is ``(low, high, size)``: the count is from ``low`` to ``high`` people of the row's ``size``; for
    a percentage beside such a count, from ``low``% to ``high``% (``size`` 100), worked out from the count's band
    and the row's number of staff (:func:`pmreport.disclosure.rounding.percent_band`).
    """

    kind: CellKind
    value: int | float | str | None = None
    symbol: str | None = None
    change_unit: Literal["count", "percent"] | None = None
    interval: tuple[int, int, int] | None = None

    def __post_init__(self) -> None:
        if sum(x is not None for x in (self.value, self.symbol, self.interval)) != 1:
            raise ValueError("a cell holds either a value, a symbol or an interval")

    @property
    def published(self) -> bool:
        """Whether the cell shows a figure (an interval is not one: the exact figure is withheld)."""
        return self.value is not None

    @property
    def text(self) -> str:
        """The cell as printed: ``12``, ``85%``, ``2.3``, ``+5``, ``[c]``, ``5 or fewer``, ``at least 21``,
        ``up to 5%``."""
        if self.interval is not None:
            return percent_interval_text(*self.interval[:2]) if self.kind == "percent" else interval_text(*self.interval)
        if self.symbol is not None:
            return f"[{self.symbol}]"
        v = self.value
        if self.kind == "percent":
            return f"{v}%"
        if self.kind == "change":
            return f"{v:+d}" if isinstance(v, int) else f"{v:+}"
        if self.kind == "mean":
            return f"{v}"
        return str(v)

    def public(self) -> dict[str, Any]:
        if self.interval is not None:
            return {"low": self.interval[0], "high": self.interval[1], "text": self.text}
        if self.symbol is not None:
            return {"symbol": self.symbol, "text": self.text}
        return {"value": self.value, "text": self.text}


def interval_text(low: int, high: int, size: int) -> str:
    """A band of people in words: ``5 or fewer``, ``at least 21`` (all or all but a few of ``size``), ``6 to 11``."""
    if low <= 0:
        return f"{high} or fewer"
    if high >= size:
        return f"at least {low}"
    return f"{low} to {high}"


def percent_interval_text(low: int, high: int) -> str:
    """A band of percentages in words: ``up to 5%``, ``95% or more``, ``30% to 40%``."""
    if low <= 0:
        return f"up to {high}%"
    if high >= 100:
        return f"{low}% or more"
    return f"{low}% to {high}%"


@dataclass(frozen=True)
class Column:
    label: str
    kind: CellKind


@dataclass(frozen=True)
class CellSpec:
    """Private: what one cell counts, so the audit can rebuild it from the microdata.

    ``count``: people in ``members`` whose outcome is one of ``categories``; ``percent``: the same
    as a percentage of ``members``; ``mean``: the average of ``query.outcome`` over ``members``;
    ``change``: this cycle's figure minus the ``earlier`` cycle's (in people or percentage points);
    ``size``: the number of people in ``members``.
    """

    kind: CellKind
    query: Query
    members: Members
    categories: tuple[str, ...] = ()
    earlier: Members | None = None
    change_unit: Literal["count", "percent"] | None = None
    base: int | None = None  #: the rounding base of a count or percentage (``None``: exact)
    decimals: int = 1  #: decimal places of a mean
    #: a whole-school process figure published exactly by design (``DisclosurePolicy.process_outcomes``)
    public: bool = False


class SafeTable:
    """A disclosure-checked table. Made only by :class:`pmreport.disclosure.gate.DisclosureGate`."""

    __slots__ = ("_title", "_description", "_row_header", "_rows", "_columns", "_cells", "_footnotes",
                 "_symbols", "_policy", "_specs", "_frozen")
    _title: str
    _description: str
    _row_header: str
    _rows: tuple[str, ...]
    _columns: tuple[Column, ...]
    _cells: tuple[tuple[Cell, ...], ...]
    _footnotes: tuple[str, ...]
    _symbols: Symbols
    _policy: str
    _specs: tuple[tuple[CellSpec | None, ...], ...]

    def __init__(
        self,
        token: object,
        *,
        title: str,
        description: str,
        row_header: str,
        rows: Sequence[str],
        columns: Sequence[Column],
        cells: Sequence[Sequence[Cell]],
        footnotes: Sequence[str],
        symbols: Symbols,
        policy: str,
        specs: Sequence[Sequence[CellSpec | None]],
    ) -> None:
        if token is not _TOKEN:
            raise TypeError("SafeTable objects are made only by the disclosure gate (pmreport.disclosure.gate)")
        if len(cells) != len(rows) or any(len(r) != len(columns) for r in cells):
            raise ValueError("cells must have one row per row label and one cell per column")
        object.__setattr__(self, "_title", title)
        object.__setattr__(self, "_description", description)
        object.__setattr__(self, "_row_header", row_header)
        object.__setattr__(self, "_rows", tuple(rows))
        object.__setattr__(self, "_columns", tuple(columns))
        object.__setattr__(self, "_cells", tuple(tuple(r) for r in cells))
        object.__setattr__(self, "_footnotes", tuple(dict.fromkeys(footnotes)))
        object.__setattr__(self, "_symbols", symbols)
        object.__setattr__(self, "_policy", policy)
        object.__setattr__(self, "_specs", tuple(tuple(r) for r in specs))
        object.__setattr__(self, "_frozen", True)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a SafeTable cannot be changed")

    def __repr__(self) -> str:
        return f"SafeTable({self._title!r}, {len(self._rows)} rows x {len(self._columns)} columns)"

    title = property(lambda self: self._title)
    description = property(lambda self: self._description)
    row_header = property(lambda self: self._row_header)
    row_labels = property(lambda self: self._rows)
    columns = property(lambda self: self._columns)
    cells = property(lambda self: self._cells)
    footnotes = property(lambda self: self._footnotes)
    policy = property(lambda self: self._policy)

    @property
    def column_labels(self) -> tuple[str, ...]:
        return tuple(c.label for c in self._columns)

    @property
    def withheld(self) -> bool:
        """True when the whole table is withheld (no rows at all)."""
        return not self._rows

    def cell(self, row: str, column: str) -> Cell:
        """The cell at a row label and column label."""
        return self._cells[self._rows.index(row)][self.column_labels.index(column)]

    def symbols_used(self) -> dict[str, str]:
        used = {c.symbol for r in self._cells for c in r if c.symbol is not None}
        return {s: self._symbols.meaning(s) for s in self._symbols.all if s in used}

    def to_public_dict(self) -> dict[str, Any]:
        """Only what may be published: titles, labels, figures, symbols and footnotes."""
        return {
            "title": self._title,
            "description": self._description,
            "policy": self._policy,
            "row_header": self._row_header,
            "columns": [{"label": c.label, "kind": c.kind} for c in self._columns],
            "rows": [{"label": label, "cells": [_marked(c, spec, self._symbols) for c, spec in zip(row, specs, strict=True)]}
                     for label, row, specs in zip(self._rows, self._cells, self._specs, strict=True)],
            "footnotes": list(self._footnotes),
            "symbols": self.symbols_used(),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_public_dict(), indent=indent, ensure_ascii=False)


def _marked(cell: Cell, spec: CellSpec | None, symbols: Symbols) -> dict[str, Any]:
    """A cell's public form, marked with how much it tells: ``exact`` (a number of people as it is), ``interval``
    (a band of people, ``low`` to ``high``, in place of a count that cannot be shown exactly; a rounded percentage,
    average or count: the true figure lies in a known range), ``hidden`` (withheld to
    protect confidentiality, or a percentage withheld as unreliable) or ``none`` (nothing to show: [x], [z]).
    A whole-school process figure published exactly by design also says ``"process": true``."""
    out = cell.public()
    if cell.interval is not None:
        out["shown"] = "interval"
    elif cell.symbol is not None:
        out["shown"] = ("interval" if cell.symbol == symbols.low
                        else "none" if cell.symbol in (symbols.not_available, symbols.not_applicable) else "hidden")
    elif cell.kind in ("size", "count") or (cell.kind == "change" and cell.change_unit == "count"):
        out["shown"] = "exact" if spec is None or spec.base in (None, 1) else "interval"
    else:
        out["shown"] = "interval"
    if spec is not None and spec.public:
        out["process"] = True
    return out


def private_specs(table: SafeTable) -> tuple[tuple[CellSpec | None, ...], ...]:
    """For the audit only: what each cell of ``table`` counts."""
    return table._specs  # noqa: SLF001


def private_symbols(table: SafeTable) -> Symbols:
    """For the audit only: the symbols the table was made with."""
    return table._symbols  # noqa: SLF001


def _issue(**kwargs: Any) -> SafeTable:
    """For the gate only: the one place a SafeTable is made."""
    return SafeTable(_TOKEN, **kwargs)
