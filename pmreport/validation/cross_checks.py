"""Checks across sheets: references to staff, cycles known to the school sheet, cycle dates.

Plain pandas; each returns ``(table, row_index_in_frame, Issue)`` triples so the pipeline can
set the rows aside.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from pmreport.schema import SheetSchema
from pmreport.validation.issues import new_issue
from pmreport.validation.outcome import Issue
from pmreport.validation.sheet_parsing import ParsedSheet

Hit = tuple[str, int, Issue]


def reference_checks(parsed: dict[str, ParsedSheet], accepted: dict[str, pd.Series], show_values: bool) -> Iterator[Hit]:
    """Every staff reference must name a member of staff whose row was accepted.

    ``accepted`` maps each table to a boolean Series (by frame position) of rows not yet set aside.
    """
    if "staff" not in parsed:
        return
    staff = parsed["staff"].frame
    all_ids = set(staff["staff_id"].dropna().astype(str))
    ok_ids = set(staff.loc[accepted["staff"].to_numpy(), "staff_id"].dropna().astype(str))
    for table, ps in parsed.items():
        for f in ps.layout.schema.fields:
            if not f.references or f.name not in ps.layout.columns:
                continue
            exempt = {x.upper() for x in f.reference_exempt}
            values = ps.frame[f.name]
            for pos, value in values.items():
                if pd.isna(value) or str(value).upper() in exempt or str(value) in ok_ids:
                    continue
                code = "reference_set_aside" if str(value) in all_ids else "unknown_reference"
                if f.lenient:  # an optional reference (a line manager): noted, and the row is kept
                    code = "reference_not_known"
                yield table, int(pos), new_issue(
                    code, file=ps.layout.raw.file, sheet=ps.layout.raw.name, row=int(ps.frame.at[pos, "_row"]),
                    column=ps.layout.letter(f.name), field=f, value=value, show_values=show_values,
                )


def cycle_checks(parsed: dict[str, ParsedSheet], school_cycles: set[str], show_values: bool) -> Iterator[Hit]:
    """Every cycle named in another sheet must have a row on the school sheet."""
    if not school_cycles:
        return
    for table, ps in parsed.items():
        if table == "school" or "cycle" not in ps.layout.columns:
            continue
        f = ps.layout.schema.field("cycle")
        for pos, value in ps.frame["cycle"].items():
            if pd.notna(value) and value not in school_cycles:
                yield table, int(pos), new_issue(
                    "unknown_cycle", file=ps.layout.raw.file, sheet=ps.layout.raw.name, row=int(ps.frame.at[pos, "_row"]),
                    column=ps.layout.letter("cycle"), field=f, value=value, show_values=show_values,
                )


def school_cycle_dates(ps: ParsedSheet, schema: SheetSchema) -> Iterator[Hit]:
    """cycle_start must fall in the cycle's first calendar year or just before, cycle_end in its second."""
    df = ps.frame
    for pos, row in df.iterrows():
        if pd.isna(row["cycle"]) or pd.isna(row["cycle_start"]) or pd.isna(row["cycle_end"]):
            continue
        first = int(str(row["cycle"])[:4])
        start, end = row["cycle_start"], row["cycle_end"]
        if start.year in (first, first - 1) and end.year in (first, first + 1) and (end - start).days <= 400:
            continue
        yield "school", int(pos), new_issue(
            "cycle_dates_mismatch", file=ps.layout.raw.file, sheet=ps.layout.raw.name, row=int(row["_row"]),
            column=ps.layout.letter("cycle_start"), field=schema.field("cycle_start"),
            detail=f" (cycle {row['cycle']} runs from {start:%d/%m/%Y} to {end:%d/%m/%Y} here)",
        )
