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
    n, part = f.figure(key, row, "Number of staff"), f.figure(key, row, column)
    row_label = row if isinstance(row, str) else table["rows"][row]["label"]
    label = label.format(who=_who(row_label))
    source = table["title"]
    if n and n.exact and part:  # exactly, or a safe statement such as "at least 105" instead of an exact figure
        return _card(section, label, f"{part.text} of {n.text}", source, [part.ref, n.ref])
    return _card(section, label, NOT_SHOWN, source, [], WHY_NOT)


def _appeals(f: _Figures) -> dict[str, Any] | None:
    table = f.table("appeal-outcomes")
    if table is None or not table["rows"]:
        return None
    n, none = f.figure("appeal-outcomes", 0, "Number of staff"), f.figure("appeal-outcomes", 0, "No appeal")
    who = _who(table["rows"][0]["label"])
    source = table["title"]
    if n and n.exact and none and none.value == n.value:
        return _card("appeals", f"{who}: appealed", "None", source, [n.ref, none.ref], f"all {n.text} staff had no appeal")
    if n and n.exact and none and not none.exact:  # a band: "at least 106" of 111 did not appeal
        return _card("appeals", f"{who}: did not appeal", f"{none.text} of {n.text}", source, [none.ref, n.ref],
                     "numbers of appeals are given only as ranges, so that nobody can be identified")
    return _card("appeals", f"{who}: appealed", NOT_SHOWN, source, [],
                 ("there were appeals; " if none and none.exact else "") + WHY_NOT)


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
