"""The head's confidential companion to the governors' report: named breaches, the moderation list
and the equality detail behind the hidden figures. Every sheet opens with the CONFIDENTIAL banner
(:func:`pmreport.safe_output.write_tables`); it is written only under ``head_confidential/``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pmreport.compliance.workbook import exceptions_sheet, scope_sheet, summary_sheet
from pmreport.disclosure.labels import code_label, column_label, group_label
from pmreport.model import SchoolData
from pmreport.report.content import EQUALITY_BY, ReportContent
from pmreport.report.words import long_date
from pmreport.safe_output import write_tables

if TYPE_CHECKING:
    from pmreport.moderation.result import ModerationResult

MODERATION_SHEETS = {"Summary": "Moderation summary", "Flags": "Moderation flags",
                     "Points to look at": "Moderation points", "Moderation sample": "Moderation sample",
                     "Statements": "Statements", "Peer groups": "Peer groups", "Reviewers": "Reviewers",
                     "Equality": "Equality tests", "Equality by group": "Equality by group",
                     "Flag counts": "Flag counts", "Method": "Moderation method"}

#: The outcomes of the equality detail: (label, population column and value, outcome column, success codes).
OUTCOMES = (
    ("Pay progression", "pay_eligible", True, "pay_decision", ("progress",)),
    ("Met objectives", "has_review", True, "assessment", ("met",)),
    ("Agreed development all provided", "has_development", "yes", "development_provision", ("all_provided",)),
)


def equality_detail(content: ReportContent) -> pd.DataFrame:
    """The figures behind the equality tables, unsuppressed and unmerged: for the head only."""
    frame = content.md.rows(content.cycle)
    frame = frame[frame["in_scope"].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    rows = []
    for label, pop_col, pop_val, outcome, success in OUTCOMES:
        people = frame[(frame[pop_col] == pop_val).fillna(False).to_numpy(dtype=bool)]
        for by in EQUALITY_BY:
            codes = people[by].astype("string").fillna("not_known")
            for code in sorted(codes.unique()):
                group = people[(codes == code).to_numpy()]
                n = len(group)
                k = int(group[outcome].isin(success).sum())
                rows.append({"Outcome": label, "Characteristic": column_label(by).capitalize(),
                             "Group": group_label(by, code) if code != "not_known" else code_label(code),
                             "People": n, "With the outcome": k, "Rate": round(k / n, 3) if n else None})
    return pd.DataFrame(rows, columns=["Outcome", "Characteristic", "Group", "People", "With the outcome", "Rate"])


def set_aside(data: SchoolData) -> pd.DataFrame:
    """Rows validation set aside, with their reasons (the head can trace and fix them)."""
    parts = [pd.DataFrame({"Sheet": table, "File": q["_file"], "Excel row": q["_row"], "Reasons": q["_reasons"]})
             for table, q in data.quarantine.items() if len(q)]
    if not parts:
        return pd.DataFrame({"Sheet": [], "File": [], "Excel row": [], "Reasons": []})
    return pd.concat(parts, ignore_index=True)


def moderation_sheets(moderation: ModerationResult | None) -> dict[str, pd.DataFrame]:
    """The moderation workbook's sheets, under the pack's names (none when moderation could not be made)."""
    if moderation is None:
        return {}
    return {MODERATION_SHEETS.get(name, name)[:31]: frame for name, frame in moderation.sheets().items()}


def write_head_pack(data: SchoolData, content: ReportContent, path: Path, as_of: dt.date,
                    moderation: ModerationResult | None = None, notes: Sequence[str] = ()) -> Path:
    """Write head_pack.xlsx (confidential, every sheet bannered): the rules' named exceptions, the
    moderation list (``moderation``, made before), the equality detail and the rows set aside;
    ``notes`` (why a part is missing) go on its About sheet."""
    result = content.compliance[content.cycle]
    generated = long_date(as_of)
    about = [
        f"The headteacher's confidential pack for {content.school.get('name') or 'the school'}, cycle "
        f"{content.cycle}, written {generated}.",
        "It names staff. Keep it to the headteacher: it is not for governors, unions or anyone else. "
        "The governors' report (in the governors folder) is the anonymised version.",
        "Named exceptions: every breach of the policy, or missing date, by person, with where it is in the workbook.",
        "Equality detail: the figures behind the governors' equality tables, before any were hidden or combined.",
        *notes,
    ]
    sheets = {
        "About": pd.DataFrame({"About this pack": about}),
        "Compliance summary": summary_sheet(result),
        "Named exceptions": exceptions_sheet(result),
        "Scope": scope_sheet(result),
        **moderation_sheets(moderation),
        "Equality detail": equality_detail(content),
        "Rows set aside": set_aside(data),
    }
    write_tables(path, sheets, confidential=True)
    return path
