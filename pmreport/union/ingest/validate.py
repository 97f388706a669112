"""Validating many returns at once: each sheet type's rows from a whole batch in one great-expectations run.

The checks come from ``data_schemas/returns/`` through :func:`pmreport.validation.gx_checks.run_checks`
(required values, codes, ranges, formats, one row per key within each return). Then checks across
a return's sheets: the same cycle everywhere, the row count the school sheet gives, and
k-anonymity on the quasi-identifiers (a return that is not k-anonymous is refused, so the union
never holds one).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pandas as pd

from pmreport.union.anonymise import smallest_group
from pmreport.union.ingest.read import Parsed
from pmreport.union.schema import RETURN_FORMAT, RETURN_SHEETS, return_format

MAX_REASONS = 5


def _describe(finding) -> str:
    expected = f" (expected {finding.expected})" if finding.expected and finding.code != "duplicate_key" else ""
    words = {"missing_value": "is blank", "unknown_code": "is not an allowed value", "out_of_range": "is out of range",
             "bad_format": "is not in the right format", "duplicate_key": "is repeated",
             "dates_out_of_order": "is out of order"}.get(finding.code, finding.code)
    if finding.code == "unknown_code":
        expected = ""
    return f"sheet '{finding.sheet}' row {finding.row}: {finding.field} {words}{expected}"


def validate_batch(batch: list[Parsed]) -> dict[str, list[str]]:
    """Problems per file (files with none are valid). Adds to the problems already found by the reader."""
    from pmreport.validation.gx_checks import run_checks

    problems: dict[str, list[str]] = defaultdict(list)
    for p in batch:
        problems[p.file].extend(p.problems)
    usable = [p for p in batch if p.ok]
    fmt = return_format()
    for sheet in RETURN_SHEETS:
        frames = [p.frames[sheet].assign(_return=p.return_id) for p in usable if sheet in p.frames]
        if not frames:
            continue
        frame = pd.concat(frames, ignore_index=True)
        schema = fmt.sheets[sheet]
        keyed = replace(schema, key=("_return", *schema.key))
        present = frozenset(c for c in frame.columns if not c.startswith("_") or c == "_return")
        for finding in run_checks(keyed, frame, present):
            problems[finding.file].append(_describe(finding))
    for p in usable:
        problems[p.file].extend(_cross_checks(p))
    return {f: list(dict.fromkeys(v)) for f, v in problems.items() if v}


def _cross_checks(p: Parsed) -> list[str]:
    out = []
    school = p.frames["school"].iloc[0]
    cycle = school["cycle"]
    fmt_version = school["return_format"]
    if pd.notna(fmt_version) and int(fmt_version) != RETURN_FORMAT:
        out.append(f"it is in return format {fmt_version}, and this version of pmreport reads format {RETURN_FORMAT}")
    for sheet in ("people", "compliance"):
        other = p.frames[sheet]["cycle"].dropna().unique().tolist()
        if any(c != cycle for c in other):
            out.append(f"sheet '{sheet}' has a cycle other than the school sheet's")
    people = p.frames["people"]
    if pd.notna(school["people_rows"]) and int(school["people_rows"]) != len(people):
        out.append(f"the school sheet says {int(school['people_rows'])} people rows, and the people sheet has {len(people)}")
    k = school["k"]
    if len(people) and pd.notna(k):
        qis = [q.field for q in return_format().quasi_identifiers]
        smallest = smallest_group(people.fillna({c: "" for c in qis}), qis)
        if smallest < int(k):
            out.append(f"it is not {int(k)}-anonymous: some combination of characteristics is shared by only {smallest} "
                       "people (the school should export it again with pmreport export-return)")
    return out
