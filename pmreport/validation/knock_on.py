"""Knock-on problems counted, not listed: when one cause (a staff row set aside, a staff sheet without
its staff_id column) sets aside many rows elsewhere, the user gets one line per sheet and column that
says how many rows, which ones, and where the cause is, after the cause itself."""

from __future__ import annotations

from collections import defaultdict

from pmreport.validation.issues import new_issue, row_ranges
from pmreport.validation.outcome import Issue
from pmreport.validation.sheet_parsing import ParsedSheet

#: More problems of one kind in one column than this are one grouped line.
LISTED = 3
_CODES = ("reference_set_aside", "unknown_reference")


def grouped(issues: list[Issue], parsed: dict[str, ParsedSheet]) -> list[Issue]:
    """``issues`` with each large group of reference problems (same sheet, column and code) made one line."""
    groups: dict[tuple[str | None, str | None, str], list[Issue]] = defaultdict(list)
    out: list[Issue] = []
    for issue in issues:
        if issue.code in _CODES:
            groups[(issue.sheet, issue.field, issue.code)].append(issue)
        else:
            out.append(issue)
    staff = parsed.get("staff")
    no_ids = staff is not None and "staff_id" not in staff.layout.columns
    for (_sheet, field, code), members in groups.items():
        if len(members) <= LISTED and not no_ids:
            out.extend(members)
            continue
        first = members[0]
        n = len(members)
        rows = f"{n} row{'s' if n != 1 else ''} (row{'s' if n != 1 else ''} {row_ranges([i.row for i in members if i.row])})"
        if no_ids:
            why = (f"{rows} set aside: the staff sheet has no staff_id column, so the staff named in {field} cannot be "
                   "found. Fix the staff sheet (its error is listed first) and these rows come back.")
        elif code == "reference_set_aside":
            why = (f"{rows} set aside: {field} names a member of staff whose own row on the staff sheet was set aside. "
                   "Fix the staff sheet's errors (listed first) and these rows come back.")
        else:
            why = (f"{rows} set aside: {field} names staff who are not on the staff sheet. Check that this column and the "
                   "staff sheet's staff_id use the same references (payroll number or MIS code, with leading zeros).")
        out.append(new_issue("knock_on", file=first.file, sheet=first.sheet, column=first.column, field_name=field, other=why))
    return out
