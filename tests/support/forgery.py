"""For tests of the audit only: forge tables the gate would never make, to prove the audit catches them.

Nothing in the product may import this module; a forged table is exactly what the audit is
there to stop.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pmreport.disclosure.microdata import Microdata
from pmreport.disclosure.policy import GOVERNOR_POLICY, DisclosurePolicy
from pmreport.disclosure.query import Members, Population, Query
from pmreport.disclosure.tables import Cell, CellKind, CellSpec, Column, SafeTable, _issue


def forge_table(title: str, rows: Sequence[str], columns: Sequence[tuple[str, CellKind]],
                values: Sequence[Sequence[int | float | str | tuple[int, int]]],
                specs: Sequence[Sequence[CellSpec | None]], policy: DisclosurePolicy = GOVERNOR_POLICY) -> SafeTable:
    """A table with exactly these figures; a string value is a symbol (``"c"``, ``"low"``, ``"x"``, ``"z"``), a
    pair ``(low, high)`` a count given as a band (of the row's first value, its number of staff)."""
    cells = []
    for row in values:
        out = []
        for (_, kind), v in zip(columns, row, strict=True):
            if isinstance(v, tuple):
                out.append(Cell(kind, interval=(v[0], v[1], int(row[0]))))  # type: ignore[arg-type]
            elif isinstance(v, str):
                out.append(Cell(kind, symbol=v))
            else:
                out.append(Cell(kind, value=v))
        cells.append(out)
    return _issue(title=title, description=title, row_header="", rows=list(rows),
                  columns=[Column(label, kind) for label, kind in columns], cells=cells, footnotes=[],
                  symbols=policy.symbols, policy="forged", specs=specs)


def people_frame(groups: Sequence[tuple[dict, int]], cycle: str = "2025/26", start: int = 0) -> pd.DataFrame:
    """One row per person: ``[({"sex": "female", "assessment": "met"}, 9), ...]`` makes 9 such people."""
    rows = []
    for attrs, n in groups:
        rows += [dict(attrs) for _ in range(n)]
    frame = pd.DataFrame(rows)
    frame.insert(0, "person", [f"p{start + i:03d}" for i in range(len(frame))])
    frame["cycle"] = cycle
    if "in_scope" not in frame.columns:
        frame["in_scope"] = True
    return frame


def microdata(groups: Sequence[tuple[dict, int]], **kwargs: object) -> Microdata:
    return Microdata(people_frame(groups), **kwargs)  # type: ignore[arg-type]


def everyone(cycle: str = "2025/26", description: str = "staff in scope of the policy") -> Members:
    return Members(cycle, Population(description))


def count_query(outcome: str, categories: Sequence[str], adverse: Sequence[str],
                population: Population | None = None, by: str | None = None) -> Query:
    return Query(outcome, population or Population("staff in scope of the policy"), tuple(categories), tuple(adverse), by)
