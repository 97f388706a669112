"""The dashboard's headline cards: one per item of policy §10, each saying exactly what it counts.

A card quotes the same published cells as the summary on page 1 (the same table, row and column), so
the cards, the summary and the tables agree figure for figure; ``figures`` lists them, as the
summary's sentences do. Where the figure a card is for is hidden, the card says so instead of showing
some other figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pmreport.report.summary import _Figures

NOT_SHOWN = "Not shown"
WHY_NOT = "too few people to show without risking identifying someone"


def _card(section: str, label: str, figure: str, source: str, refs: list[dict[str, Any]],
          note: str = "") -> dict[str, Any]:
    return {"section": section, "label": label, "figure": figure, "source": source, "note": note, "figures": refs}


def _who(row_label: str) -> str:
    """"All teachers in scope of the policy (...)" -> "teachers in scope of the policy (...)"."""
    return row_label[4:] if row_label.startswith("All ") else row_label


def _of(f: _Figures, section: str, key: str, row: int | str, column: str, label: str) -> dict[str, Any] | None:
    """A card "<column> of <Number of staff>" for one row of one table; "Not shown" when the table is
    there but that figure is hidden; None when the table is not in the report. ``label`` may name the
    row's people as ``{who}``."""
    table = f.table(key)
    if table is None or not table["rows"]:
        return None
    n, part = f.get(key, row, "Number of staff"), f.get(key, row, column)
    row_label = row if isinstance(row, str) else table["rows"][row]["label"]
    label = label.format(who=_who(row_label))
    source = table["title"]
    if n and part:
        return _card(section, label, f"{part[0]} of {n[0]}", source, [part[1], n[1]])
    bound = _interval(table, row, column)
    if n and bound:  # a safe statement such as "at least 105" instead of an exact figure
        return _card(section, label, f"{bound} of {n[0]}", source, [n[1]])
    return _card(section, label, NOT_SHOWN, source, [], WHY_NOT)


def _interval(table: Mapping[str, Any], row: int | str, column: str) -> str | None:
    """The text of a cell published as an interval rather than an exact figure, or None."""
    labels = [c["label"] for c in table["columns"]]
    rows = table["rows"]
    found = rows[row] if isinstance(row, int) else next((r for r in rows if r["label"] == row), None)
    if found is None or column not in labels:
        return None
    cell = found["cells"][labels.index(column)]
    return str(cell["text"]) if cell.get("shown") == "interval" and "value" not in cell else None


def _appeals(f: _Figures) -> dict[str, Any] | None:
    table = f.table("appeal-outcomes")
    if table is None or not table["rows"]:
        return None
    n, none = f.get("appeal-outcomes", 0, "Number of staff"), f.get("appeal-outcomes", 0, "No appeal")
    label = f"{_who(table['rows'][0]['label'])}: appealed"
    source = table["title"]
    if n and none and none[0] == n[0]:
        return _card("appeals", label, "None", source, [n[1], none[1]], f"all {n[0]} staff had no appeal")
    return _card("appeals", label, NOT_SHOWN, source, [], "there were appeals; " + WHY_NOT)


def build_headlines(sections: Sequence[Mapping[str, Any]], cycle: str, group: str,
                    rule_titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """The headline cards for one cycle and staff group (``all``, ``teachers`` or ``support``), in the
    order of §10: operation, effectiveness, appeals, development, then pay progression."""
    f = _Figures(sections, cycle, group)
    headings = {s["id"]: s["heading"] for s in sections}
    deadline = rule_titles.get("deadline", "")
    operation = _of(f, "operation", "timeliness", deadline, "Met",
                    "planning and review meetings held by the deadline, of the staff it applied to")
    if operation is None or operation["figure"] == NOT_SHOWN:
        operation = _of(f, "operation", "coverage", 0, "Yes", "{who}: had a planning and review meeting") or operation
    cards = [operation,
             _of(f, "effectiveness", "assessment", 0, "Met", "{who}: met their objectives"),
             _appeals(f) if group == "all" else None,
             _of(f, "development", "provision", 0, "All provided", "{who}: had all of it provided"),
             _of(f, "equality", "pay", 0, "Progressed", "{who}: progressed on pay") if group == "all" else None]
    return [{**card, "item": headings.get(card["section"], "")} for card in cards if card is not None]
