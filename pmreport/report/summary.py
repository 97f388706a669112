"""Page 1 of the report: a short summary in plain words that answers policy §10, and the DRAFT mark.

The summary is built only from figures the disclosure gate published (report.json's tables, after the
audit), never from the data: a sentence quotes a figure only as the table shows it, exactly or as the band it
is given as ("5 or fewer of the 111 meetings were late"), never more precisely; and every figure it quotes is
listed beside it (``figures``: table id, row, column and ``value``, or ``low``, ``high`` and ``text`` for a
band), so anyone can check the summary against the tables, and a test does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pmreport.disclosure.labels import code_label, listed


def draft_mark(left_out: Mapping[str, int]) -> dict[str, Any] | None:
    """The DRAFT mark when rows were set aside (``left_out``: sheet -> rows), or ``None``."""
    counts = {sheet: n for sheet, n in left_out.items() if n}
    if not counts:
        return None
    total = sum(counts.values())
    parts = [f"{n} row{'' if n == 1 else 's'} of the {sheet} sheet" for sheet, n in counts.items()]
    return {"rows_left_out": counts, "total": total,
            "text": f"DRAFT: {listed(parts)} had errors and {'was' if total == 1 else 'were'} left out, so some figures "
                    "may be incomplete. Correct the records (pmreport validate lists every error) and write the "
                    "report again before it goes to governors."}


@dataclass(frozen=True)
class QuotedFigure:
    """A figure a table publishes: exactly (``value``), or as the band it lies in (``low`` to ``high``: "5 or
    fewer", "at least 106", "6 to 11"); ``ref`` says where (table id, row, column and what it shows)."""

    text: str
    ref: dict[str, Any]
    value: int | None = None
    low: int | None = None
    high: int | None = None

    @property
    def exact(self) -> bool:
        return self.value is not None

    @property
    def plural(self) -> bool:
        return self.value != 1

    def is_zero(self) -> bool:
        return self.value == 0

    def maybe_some(self) -> bool:
        """Whether the figure is, or may be, more than zero."""
        return (self.value or 0) > 0 or (self.high or 0) > 0

    def surely_some(self) -> bool:
        """Whether the table says the figure is more than zero."""
        return (self.value or 0) > 0 or (self.low or 0) > 0


class _Figures:
    """The published figures of report.json's tables, looked up by table id (without cycle and group), row and column."""

    def __init__(self, sections: Sequence[Mapping[str, Any]], cycle: str, group: str = "all"):
        slug = cycle.replace("/", "-")
        self.tables = {t["id"]: t for s in sections for t in s["tables"]}
        self.suffix = f"-{slug}-{group}"

    def table(self, key: str) -> Mapping[str, Any] | None:
        return self.tables.get(f"{key}{self.suffix}")

    def figure(self, key: str, row: int | str, column: str) -> QuotedFigure | None:
        """The figure, exact or as a band, if the table shows it (``row``: index or label); None where it is hidden."""
        t = self.table(key)
        if t is None or not t["rows"]:
            return None
        rows = t["rows"]
        found = rows[row] if isinstance(row, int) and row < len(rows) else next(
            (r for r in rows if r["label"] == row), None)
        labels = [c["label"] for c in t["columns"]]
        if found is None or column not in labels:
            return None
        cell = found["cells"][labels.index(column)]
        where = {"table": t["id"], "row": found["label"], "column": column}
        if isinstance(cell.get("value"), int):
            return QuotedFigure(str(cell["value"]), where | {"value": cell["value"]}, value=cell["value"])
        if isinstance(cell.get("low"), int) and isinstance(cell.get("high"), int):
            return QuotedFigure(str(cell["text"]), where | {"low": cell["low"], "high": cell["high"], "text": cell["text"]},
                          low=cell["low"], high=cell["high"])
        return None

    def get(self, key: str, row: int | str, column: str) -> tuple[int, dict[str, Any]] | None:
        """The figure and its reference, if the table shows it exactly (``row``: index or label)."""
        found = self.figure(key, row, column)
        if found is None or found.value is None:
            return None
        return found.value, found.ref


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _were(f: QuotedFigure) -> str:
    return "were" if f.plural else "was"


def _sentence(text: str, refs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"text": text, "figures": refs}


NOT_SHOWN_WHY = "the numbers are small enough that showing them could identify someone"


def _operation(f: _Figures, titles: Mapping[str, str]) -> list[dict[str, Any]]:
    out = []
    n, y, no = (f.figure("coverage", 0, c) for c in ("Number of staff", "Yes", "No"))
    if n and n.exact and y and no:
        if no.is_zero():
            out.append(_sentence(f"All {n.text} staff in scope of the policy had a planning and review meeting.",
                                 [n.ref, y.ref, no.ref]))
        else:
            out.append(_sentence(f"{_cap(y.text)} of the {n.text} staff in scope of the policy had a planning and "
                                 f"review meeting; {no.text} did not.", [n.ref, y.ref, no.ref]))
    for rule, doing, late in (("deadline", "meetings were held by the deadline", "late"),
                              ("final_statement", "final statements were signed on time", "late")):
        label = titles.get(rule, "")
        applied, met, breached = (f.figure("timeliness", label, c) for c in ("Number of staff", "Met",
                                                                             "Not met (breached)"))
        missing = f.figure("timeliness", label, "Not recorded")
        if applied and applied.exact and met and breached:
            text = f"{_cap(met.text)} of {applied.text} {doing}; {breached.text} {_were(breached)} {late}"
            refs = [applied.ref, met.ref, breached.ref]
            if missing and missing.surely_some():
                text += f", and {missing.text} could not be checked because a date was not recorded"
                refs.append(missing.ref)
            out.append(_sentence(text + ".", refs))
    n, y = f.figure("moderation", 0, "Number of staff"), f.figure("moderation", 0, "Yes")
    if n and n.exact and y:
        out.append(_sentence(f"{_cap(y.text)} of the {n.text} reviews were moderated.", [n.ref, y.ref]))
    return out


def _effectiveness(f: _Figures) -> list[dict[str, Any]]:
    n, met = f.figure("assessment", 0, "Number of staff"), f.figure("assessment", 0, "Met")
    if n and n.exact and met:
        return [_sentence(f"{_cap(met.text)} of the {n.text} staff with a review (not the headteacher) met their "
                          "objectives.", [n.ref, met.ref])]
    if f.table("assessment") is not None:
        return [_sentence(f"How many staff met their objectives is not shown: {NOT_SHOWN_WHY}.", [])]
    return []


def _appeals(f: _Figures) -> list[dict[str, Any]]:
    n, none = f.figure("appeal-outcomes", 0, "Number of staff"), f.figure("appeal-outcomes", 0, "No appeal")
    if n and n.exact and none and none.exact and none.value == n.value:
        return [_sentence(f"Nobody appealed: all {n.text} staff (not counting the headteacher) had no appeal.",
                          [n.ref, none.ref])]
    if n and n.exact and none and none.exact:
        return [_sentence("There were appeals; they are too few to show their number or outcome without risking "
                          "identifying the people concerned.", [])]
    if n and n.exact and none:
        return [_sentence(f"{_cap(none.text)} of the {n.text} staff (not counting the headteacher) did not appeal; the "
                          "number of appeals and their outcomes are given only as ranges, so that nobody can be "
                          "identified.", [n.ref, none.ref])]
    if f.table("appeal-outcomes") is not None:
        return [_sentence(f"How many staff appealed, and the outcomes, are not shown: {NOT_SHOWN_WHY}.", [])]
    return []


def _development(f: _Figures) -> list[dict[str, Any]]:
    out = []
    n = f.figure("provision", 0, "Number of staff")
    full, short = f.figure("provision", 0, "All provided"), f.figure("provision", 0, "Not all provided")
    if n and n.exact and full and short:
        text = f"{_cap(full.text)} of the {n.text} staff with agreed development had all of it provided"
        text += "." if short.is_zero() else f"; for {short.text}, some was not provided, or only in part."
        out.append(_sentence(text, [n.ref, full.ref, short.ref]))
        reasons = f.table("reasons")
        if short.maybe_some() and reasons is not None and reasons["rows"]:
            named, few, refs = [], [], []
            for col in reasons["columns"][1:]:
                got = f.figure("reasons", 0, col["label"])
                if got is None or not got.maybe_some():
                    continue
                refs.append(got.ref)
                if got.surely_some():
                    named.append(f"{col['label'].lower()} ({got.text})")
                else:  # a band from 0: "5 or fewer", perhaps none
                    few.append((col["label"].lower(), got.text))
            if few and len({text for _, text in few}) == 1:
                labels = [label for label, _ in few]
                named.append(f"{listed(labels)} ({few[0][1]}{' each' if len(labels) > 1 else ''})")
            else:
                named += [f"{label} ({text})" for label, text in few]
            if named:
                out.append(_sentence("The reasons recorded: " + "; ".join(named) + ".", refs))
    return out


def _pay(f: _Figures) -> list[dict[str, Any]]:
    n, up = f.figure("pay", 0, "Number of staff"), f.figure("pay", 0, "Progressed")
    if n and n.exact and up:
        return [_sentence(f"{_cap(up.text)} of the {n.text} staff eligible for pay progression (not the headteacher) "
                          "progressed on pay.", [n.ref, up.ref])]
    return []


SUMMARY_HEADING = "Summary"
#: Above the head's own commentary and planned actions (pmreport/report/commentary.py) on the summary page.
COMMENTARY_HEADING = "The headteacher's commentary and planned actions"


def build_summary(sections: Sequence[Mapping[str, Any]], cycle: str, rule_titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """The summary's paragraphs, one per §10 item, each a list of sentences with the figures they quote."""
    f = _Figures(sections, cycle)
    headings = {s["id"]: s["heading"] for s in sections}
    parts = [("operation", _operation(f, rule_titles)), ("effectiveness", _effectiveness(f)),
             ("appeals", _appeals(f)), ("development", _development(f)), ("equality", _pay(f))]
    return [{"section": sid, "heading": headings.get(sid, code_label(sid)), "sentences": sentences}
            for sid, sentences in parts if sentences]
