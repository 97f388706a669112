"""Trackers laid out in a way the template cannot read: one sheet per term, or one row per objective
with the person's details repeated. Told apart so that the message can say how to move the records
into the template, and which sheets and columns pmreport looked for."""

from __future__ import annotations

import re

from pmreport.header_search import HEADER_SEARCH_ROWS
from pmreport.normalise import is_blank
from pmreport.reading import RawSheet, RawWorkbook
from pmreport.schema import SHEET_ORDER, SheetSchema, header_key

_TERM = re.compile(r"^(autumn|aut|spring|spr|summer|sum|term)\s*(term)?\s*[0-9/\- ]*$|^t[1-6]$|^term\s*[1-6]$")
_OBJECTIVE = re.compile(r"objective|target")


def _term_sheets(raw: RawWorkbook) -> list[str]:
    return [s.name for s in raw.sheets if _TERM.match(" ".join(s.name.lower().replace("_", " ").split()))]


def _objective_rows(sheet: RawSheet, schemas: dict[str, SheetSchema]) -> bool:
    """A sheet whose headings hold an objective or target column and a staff reference that repeats."""
    ids = {k for k in schemas["staff"].field("staff_id").header_keys}
    for idx, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        heads = [header_key(v) if isinstance(v, str) else "" for v in row]
        if not any(_OBJECTIVE.search(h) for h in heads):
            continue
        col = next((c for c, h in enumerate(heads) if h in ids), None)
        if col is None:
            continue
        values = [str(r[col]).strip() for r in sheet.rows[idx + 1 :] if col < len(r) and not is_blank(r[col])]
        return len(set(values)) < len(values)
    return False


def looked_for(schemas: dict[str, SheetSchema]) -> str:
    """The sheets pmreport reads and the required columns of each, in a sentence."""
    parts = []
    for name in SHEET_ORDER:
        sch = schemas[name]
        cols = ", ".join(f.name for f in sch.fields if f.required)
        parts.append(f"'{name}' ({'required' if sch.required else 'optional'}; columns {cols})")
    return "pmreport looked for these sheets: " + "; ".join(parts) + "."


def advice(raw: RawWorkbook, schemas: dict[str, SheetSchema]) -> str | None:
    """How to move a tracker of a shape pmreport cannot read into the template, or None when the
    workbook is not of such a shape."""
    terms = _term_sheets(raw)
    if len(terms) >= 2:
        return (f"This workbook looks like one sheet per term ({', '.join(repr(t) for t in terms)}). pmreport reads one "
                "sheet per kind of record, for the whole cycle: put everyone once on 'staff', each person's review "
                "for the cycle on one row of 'reviews' (the meeting and statement dates in their columns, whichever "
                "term they fell in), each objective on a row of 'objectives' and each observation on a row of "
                "'observations'. `pmreport template school.xlsx` writes a blank workbook set out that way.")
    if any(_objective_rows(s, schemas) for s in raw.sheets):
        return ("This workbook looks like one row per objective, with the person's details repeated on each. "
                "pmreport keeps them apart: put each person once on 'staff' (their details), once per cycle on "
                "'reviews' (the review), and each objective on its own row of 'objectives' with the person's "
                "staff_id and the objective's number (1, 2, 3). `pmreport template school.xlsx` writes a blank "
                "workbook set out that way; `pmreport map` writes a column map for the headings you keep.")
    return None
