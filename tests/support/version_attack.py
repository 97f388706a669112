"""An attacker who compares two published versions of one cycle's report, written for the tests and
independent of the audit's code: it reads only the two report dictionaries, as a governor holding both would.

The governor knows who left between the versions, and whose record was corrected. For each table both
versions publish and each row in both, every count is known to lie in a range: a figure shown exactly is
itself; a band ("5 or fewer") is its range; a hidden figure is anything from 0 to the row's number of staff.
The counts of a row share out its staff, which narrows each range further. The difference between the two
versions' ranges is then what the people who changed contributed: if the row lost exactly one person, a
difference forced to 1 in a column is that person's outcome; if the row kept its people and one record was
corrected, a difference forced to be non-zero tells the corrected person's old (or new) outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pmreport.model import SchoolData
from tests.support.subtraction_attack import PROCESS_TABLES


def _ranges(table: dict[str, Any], row: dict[str, Any]) -> tuple[int, list[tuple[int, int]]] | None:
    """The row's number of staff and each count's range, narrowed by the counts sharing out the staff."""
    kinds = [c["kind"] for c in table["columns"]]
    if not kinds or kinds[0] != "size" or "value" not in row["cells"][0]:
        return None
    size = int(row["cells"][0]["value"])
    ranges = []
    for kind, cell in zip(kinds, row["cells"], strict=True):
        if kind != "count":
            continue
        if "value" in cell:
            ranges.append((int(cell["value"]), int(cell["value"])))
        elif "low" in cell:
            ranges.append((int(cell["low"]), int(cell["high"])))
        else:
            ranges.append((0, size))
    changed = True
    while changed:  # each count is the size minus the others
        changed = False
        for i, (lo, hi) in enumerate(ranges):
            others_lo = sum(r[0] for j, r in enumerate(ranges) if j != i)
            others_hi = sum(r[1] for j, r in enumerate(ranges) if j != i)
            new = (max(lo, size - others_hi), min(hi, size - others_lo))
            if new != (lo, hi):
                ranges[i] = new
                changed = True
    return size, ranges


def _tables(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["id"]: t for s in report["sections"] for t in s["tables"]}


def compare(first: dict[str, Any], second: dict[str, Any], *, personal_only: bool = True,
            skip: Iterable[str] = ("trend-",)) -> list[str]:
    """What a governor holding both versions learns about the one person who left or was corrected."""
    found = []
    before, after = _tables(first), _tables(second)
    for tid, t1 in before.items():
        t2 = after.get(tid)
        if t2 is None or tid.startswith(tuple(skip)) or (personal_only and tid.startswith(PROCESS_TABLES)):
            continue
        if [c["label"] for c in t1["columns"]] != [c["label"] for c in t2["columns"]]:
            continue
        labels = [c["label"] for c in t1["columns"] if c["kind"] == "count"]
        rows2 = {r["label"]: r for r in t2["rows"]}
        for r1 in t1["rows"]:
            r2 = rows2.get(r1["label"])
            a, b = _ranges(t1, r1), (None if r2 is None else _ranges(t2, r2))
            if a is None or b is None:
                continue
            left = a[0] - b[0]
            if left not in (0, 1):
                continue
            for label, (lo1, hi1), (lo2, hi2) in zip(labels, a[1], b[1], strict=True):
                low, high = lo1 - hi2, hi1 - lo2  # what the people who changed took out of this column
                if left == 1 and low >= 1:
                    found.append(f"{tid} / {r1['label']}: the leaver's outcome was '{label}'")
                elif left == 0 and (low >= 1 or high <= -1):
                    found.append(f"{tid} / {r1['label']}: the corrected record's outcome "
                                 f"{'was' if low >= 1 else 'is now'} '{label}'")
    return found


# ------------------------------------------------------------------------------ re-issues, as a school makes them


def without(data: SchoolData, staff_id: str) -> SchoolData:
    """The school's data with one person's rows deleted from every sheet (a leaver)."""
    return SchoolData({k: (t[t["staff_id"] != staff_id] if "staff_id" in t.columns else t)
                       for k, t in data.tables.items()}, data.quarantine)


def corrected(data: SchoolData, staff_id: str, cycle: str) -> SchoolData:
    """The school's data with one person's assessment of ``cycle`` corrected: met becomes not met, anything else met."""
    tables = dict(data.tables)
    reviews = tables["reviews"].copy()
    mask = (reviews["staff_id"] == staff_id) & (reviews["cycle"] == cycle)
    reviews.loc[mask, "assessment"] = reviews.loc[mask, "assessment"].map(
        lambda a: "not_met" if a == "met" else "met")
    tables["reviews"] = reviews
    return SchoolData(tables, data.quarantine)
