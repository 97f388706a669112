"""Validating many returns at once: each sheet type's rows from a whole batch in one great-expectations run.

The checks come from ``data_schemas/returns/`` through :func:`pmreport.validation.gx_checks.run_checks`
(required values, codes, ranges, formats, one row per key within each return). Then checks across
a return's sheets, over the whole batch at once: the same cycle everywhere, the row count the
school sheet gives, the return's format, and k-anonymity on the quasi-identifiers (a return that
is not k-anonymous is refused, so the union never holds one).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from pmreport.union.ingest.read import NUMERIC, Parsed
from pmreport.union.return_schema import ADDED_SHEETS, RETURN_FORMAT, RETURN_SHEETS, UPGRADABLE_FORMATS, return_format

MAX_REASONS = 5
WORDS = {"missing_value": "is blank", "unknown_code": "is not an allowed value", "out_of_range": "is out of range",
         "bad_format": "is not in the right format", "duplicate_key": "is repeated", "dates_out_of_order": "is out of order"}


@dataclass
class Batch:
    """The rows of a batch's readable returns, one frame per sheet, each row tagged with ``_return``."""

    frames: dict[str, pd.DataFrame]
    problems: dict[str, list[str]]  # file -> reasons (files with none are valid)


def batch_frames(parsed: list[Parsed]) -> dict[str, pd.DataFrame]:
    """One frame per sheet for the returns in ``parsed`` (text as Python objects: great-expectations is faster so)."""
    out = {}
    fmt = return_format()
    for sheet in RETURN_SHEETS:
        parts = [p for p in parsed if sheet in p.columns]
        schema = fmt.sheets[sheet]
        data: dict[str, object] = {}
        for f in schema.fields:
            values = [v for p in parts for v in p.columns[sheet][f.name]]
            data[f.name] = (np.array([np.nan if v is None else v for v in values], dtype=float) if f.type in NUMERIC
                            else np.array(values, dtype=object))
        n = [len(p.rows[sheet]) for p in parts]
        data["_file"] = np.repeat(np.array([p.file for p in parts], dtype=object), n)
        data["_sheet"] = sheet
        data["_row"] = np.array([r for p in parts for r in p.rows[sheet]], dtype=np.int64)
        data["_return"] = np.repeat(np.array([p.return_id for p in parts], dtype=object), n)
        out[sheet] = pd.DataFrame(data)
    return out


def _describe(finding) -> str:
    expected = f" (expected {finding.expected})" if finding.expected and finding.code not in ("duplicate_key", "unknown_code") else ""
    return f"sheet '{finding.sheet}' row {finding.row}: {finding.field} {WORDS.get(finding.code, finding.code)}{expected}"


def validate_batch(batch: list[Parsed]) -> Batch:
    """Validate every readable return of ``batch``; the problems found per file, and the batch's frames."""
    from pmreport.validation.gx_checks import run_checks

    problems: dict[str, list[str]] = defaultdict(list)
    for p in batch:
        problems[p.file].extend(p.problems)
    usable = [p for p in batch if p.ok]
    frames = batch_frames(usable)
    fmt = return_format()
    for sheet, frame in frames.items():
        if frame.empty:
            continue
        schema = fmt.sheets[sheet]
        keyed = replace(schema, key=("_return", *schema.key))
        present = frozenset([*schema.names, "_return"])
        for finding in run_checks(keyed, frame, present):
            problems[finding.file].append(_describe(finding))
    if usable:
        for file, reason in _cross_checks(frames):
            problems[file].append(reason)
        from pmreport.union.ingest.upgrade import check_equality, upgrade

        frames = upgrade(frames)
        for file, reason in check_equality(frames):
            problems[file].append(reason)
    return Batch(frames, {f: list(dict.fromkeys(v)) for f, v in problems.items() if v})


def _cross_checks(frames: dict[str, pd.DataFrame]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    school = frames["school"].set_index("_return")
    file_of = school["_file"]
    readable = (RETURN_FORMAT, *UPGRADABLE_FORMATS)
    bad_format = school[school["return_format"].notna() & ~school["return_format"].isin(readable)]
    for rid, row in bad_format.iterrows():
        out.append((file_of[rid], f"it is in return format {row['return_format']:g}, and this version of pmreport "
                                  f"reads formats {', '.join(str(f) for f in sorted(readable))}: the school should "
                                  "make it again with the union's version of pmreport (pmreport export-return)"))
    for sheet, since in ADDED_SHEETS.items():
        has = set(frames[sheet]["_return"]) if sheet in frames else set()
        lacking = school[(school["return_format"] >= since) & ~school.index.isin(has) & (school["people_rows"] > 0)]
        for rid in lacking.index:
            out.append((file_of[rid], f"it is in return format {int(lacking.at[rid, 'return_format'])} and has no "
                                      f"'{sheet}' sheet"))
    for sheet in ("people", "compliance"):
        frame = frames[sheet]
        other = frame["cycle"].notna() & (frame["cycle"].to_numpy() != frame["_return"].map(school["cycle"]).to_numpy())
        for rid in frame.loc[other, "_return"].unique():
            out.append((file_of[rid], f"sheet '{sheet}' has a cycle other than the school sheet's"))
    people = frames["people"]
    counts = people.groupby("_return").size().reindex(school.index, fill_value=0)
    said = school["people_rows"]
    for rid in school.index[said.notna() & (said != counts)]:
        out.append((file_of[rid], f"the school sheet says {said[rid]:g} people rows, and the people sheet has "
                                  f"{counts[rid]}"))
    qis = [q.field for q in return_format().quasi_identifiers]
    if len(people):
        sizes = people[["_return", *qis]].fillna("").groupby(["_return", *qis], sort=False).size()
        smallest = sizes.groupby(level=0).min()
        k = school["k"].reindex(smallest.index)
        for rid in smallest.index[k.notna() & (smallest < k)]:
            out.append((file_of[rid], f"it is not {int(k[rid])}-anonymous: some combination of characteristics is "
                                      f"shared by only {smallest[rid]} people (the school should make it again with "
                                      "pmreport export-return)"))
    return out
