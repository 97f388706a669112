"""Page 1 of the report: a short summary in plain words that answers policy §10, and the DRAFT mark.

The summary is built only from figures the disclosure gate published (report.json's tables, after the
audit), never from the data: a sentence quotes a figure only where the table shows it, and every figure
it quotes is listed beside it (``figures``: table id, row, column and value), so anyone can check the
summary against the tables, and a test does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pmreport.disclosure.labels import code_label


def draft_mark(left_out: Mapping[str, int]) -> dict[str, Any] | None:
    """The DRAFT mark when rows were set aside (``left_out``: sheet -> rows), or ``None``."""
    counts = {sheet: n for sheet, n in left_out.items() if n}
    if not counts:
        return None
    total = sum(counts.values())
    parts = [f"{n} row{'' if n == 1 else 's'} of the {sheet} sheet" for sheet, n in counts.items()]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return {"rows_left_out": counts, "total": total,
            "text": f"DRAFT: {listed} had errors and {'was' if total == 1 else 'were'} left out, so some figures "
                    "may be incomplete. Correct the records (pmreport validate lists every error) and write the "
                    "report again before it goes to governors."}


class _Figures:
    """The published figures of report.json's tables, looked up by table id (without cycle and group), row and column."""

    def __init__(self, sections: Sequence[Mapping[str, Any]], cycle: str, group: str = "all"):
        slug = cycle.replace("/", "-")
        self.tables = {t["id"]: t for s in sections for t in s["tables"]}
        self.suffix = f"-{slug}-{group}"

    def table(self, key: str) -> Mapping[str, Any] | None:
        return self.tables.get(f"{key}{self.suffix}")

    def get(self, key: str, row: int | str, column: str) -> tuple[int, dict[str, Any]] | None:
        """The figure and its reference, if the table shows it (``row``: index or label)."""
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
        if "value" not in cell or not isinstance(cell["value"], int):
            return None
        return cell["value"], {"table": t["id"], "row": found["label"], "column": column, "value": cell["value"]}


def _people(n: int, one: str = "member of staff", many: str = "staff") -> str:
    return f"{n} {one if n == 1 else many}"


def _sentence(text: str, refs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"text": text, "figures": refs}


def _operation(f: _Figures, titles: Mapping[str, str]) -> list[dict[str, Any]]:
    out = []
    n, y, no = (f.get("coverage", 0, c) for c in ("Number of staff", "Yes", "No"))
    if n and y and no:
        if no[0] == 0:
            out.append(_sentence(f"All {n[0]} staff in scope of the policy had a planning and review meeting.",
                                 [n[1], y[1], no[1]]))
        else:
            out.append(_sentence(f"{y[0]} of the {n[0]} staff in scope of the policy had a planning and review "
                                 f"meeting; {no[0]} did not.", [n[1], y[1], no[1]]))
    for rule, doing, late in (("deadline", "meetings were held by the deadline", "late"),
                              ("final_statement", "final statements were signed on time", "late")):
        label = titles.get(rule, "")
        applied, met, breached = (f.get("timeliness", label, c) for c in ("Number of staff", "Met", "Not met (breached)"))
        missing = f.get("timeliness", label, "Not recorded")
        if applied and met and breached:
            text = f"{met[0]} of {applied[0]} {doing}; {breached[0]} {'was' if breached[0] == 1 else 'were'} {late}"
            refs = [applied[1], met[1], breached[1]]
            if missing and missing[0]:
                text += f", and {missing[0]} could not be checked because a date was not recorded"
                refs.append(missing[1])
            out.append(_sentence(text + ".", refs))
    n, y = f.get("moderation", 0, "Number of staff"), f.get("moderation", 0, "Yes")
    if n and y:
        out.append(_sentence(f"{y[0]} of the {n[0]} reviews were moderated.", [n[1], y[1]]))
    return out


def _effectiveness(f: _Figures) -> list[dict[str, Any]]:
    n, met = f.get("assessment", 0, "Number of staff"), f.get("assessment", 0, "Met")
    if n and met:
        return [_sentence(f"{met[0]} of the {n[0]} staff with a review (not the headteacher) met their "
                          "objectives.", [n[1], met[1]])]
    if f.table("assessment") is not None:
        return [_sentence("How many staff met their objectives is not shown: the numbers are small enough that "
                          "it could identify someone.", [])]
    return []


def _appeals(f: _Figures) -> list[dict[str, Any]]:
    n, none = f.get("appeal-outcomes", 0, "Number of staff"), f.get("appeal-outcomes", 0, "No appeal")
    if n and none and none[0] == n[0]:
        return [_sentence(f"Nobody appealed: all {n[0]} staff (not counting the headteacher) had no appeal.",
                          [n[1], none[1]])]
    if f.table("appeal-outcomes") is not None:
        return [_sentence("There were appeals; they are too few to show their number or outcome without risking "
                          "identifying the people concerned.", [])]
    return []


def _development(f: _Figures) -> list[dict[str, Any]]:
    out = []
    n = f.get("provision", 0, "Number of staff")
    full, short = f.get("provision", 0, "All provided"), f.get("provision", 0, "Not all provided")
    if n and full and short:
        text = f"{full[0]} of the {n[0]} staff with agreed development had all of it provided"
        text += "." if short[0] == 0 else f"; for {short[0]}, some was not provided, or only in part."
        out.append(_sentence(text, [n[1], full[1], short[1]]))
        reasons = f.table("reasons")
        if short[0] and reasons is not None and reasons["rows"]:
            named = []
            refs = []
            for col in reasons["columns"][1:]:
                got = f.get("reasons", 0, col["label"])
                if got and got[0]:
                    named.append(f"{col['label'].lower()} ({got[0]})")
                    refs.append(got[1])
            if named:
                out.append(_sentence("The reasons recorded: " + "; ".join(named) + ".", refs))
    return out


def _pay(f: _Figures) -> list[dict[str, Any]]:
    n, up = f.get("pay", 0, "Number of staff"), f.get("pay", 0, "Progressed")
    if n and up:
        return [_sentence(f"{up[0]} of the {n[0]} staff eligible for pay progression (not the headteacher) "
                          "progressed on pay.", [n[1], up[1]])]
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
