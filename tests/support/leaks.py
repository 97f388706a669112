"""What must never reach a governors' or union output from a synthetic school (canaries, staff ids, names,
individual dates written three ways), and how to find it in a text as whole words."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

DATE_FIELDS = {
    "staff": ("contract_start", "contract_end", "date_of_birth"),
    "reviews": ("notice_date", "meeting_date", "draft_statement_date", "final_statement_date", "mid_year_review_date",
                "moderation_date", "revision_instructed_date", "revised_statement_date"),
    "objectives": ("target_date",),
    "observations": ("observation_date", "notice_date", "feedback_date", "record_date"),
    "development": ("agreed_date",),
    "appeals": ("lodged_date", "outcome_date"),
}
SCHOOL_DATES = ("cycle_start", "cycle_end", "teacher_deadline", "head_deadline", "support_cycle_end")


def _forms(value) -> set[str]:
    ts = pd.Timestamp(value)
    return {f"{ts:%d/%m/%Y}", f"{ts.day}/{ts.month}/{ts.year}", f"{ts:%Y-%m-%d}", f"{ts.day} {ts:%B %Y}"}


def forbidden_strings(school, generated: dt.date | None = None) -> set[str]:
    """Canaries, staff ids, names and every individual date (three ways of writing it) of a synthetic school.

    Dates that are the school's own settings (cycle start and end, deadlines) and the report's
    generation date are public and are left out of the check.
    """
    found = {c["value"] for c in school.truth["canaries"]}
    for row in school.records["staff"]:
        found |= {str(row["staff_id"]), str(row["name"])}
    public = {generated} if generated else set()
    public |= {row[f] for row in school.records["school"] for f in SCHOOL_DATES if row.get(f) is not None}
    public_forms = set().union(*(_forms(d) for d in public)) if public else set()
    for sheet, fields in DATE_FIELDS.items():
        for row in school.records[sheet]:
            for f in fields:
                if row.get(f) is not None and not pd.isna(row[f]):
                    found |= _forms(row[f]) - public_forms
    return found


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATES_AND_IDS = re.compile(rf"(?<![0-9])(?:\d{{1,2}}/\d{{1,2}}/\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} (?:{MONTHS}) \d{{4}}"
                           r"|\d{6})(?![0-9])")


def leaks(text: str, forbidden: set[str]) -> list[str]:
    """The forbidden strings in ``text``, as whole words ("1 May 2025" is not in "31 May 2025")."""
    flat = " ".join(text.split())
    hits = (set(DATES_AND_IDS.findall(text)) | set(DATES_AND_IDS.findall(flat))) & forbidden
    words = [s for s in forbidden if not DATES_AND_IDS.fullmatch(s)]  # names and canaries
    hits |= {s for s in words if any(re.search(rf"(?<![0-9A-Za-z]){re.escape(s)}(?![0-9A-Za-z])", t)
                                     for t in (text, flat))}
    return sorted(hits)
