"""An attacker who subtracts, written for the tests and independent of the audit's code: it reads only the
published report (report.json's dictionary), as a governor would, and tries subtraction within every line of
every table and across the per-group tables (all staff = teachers + support staff), with and without knowing one
hidden figure of their own (a colleague who knows their own record: a line whose hidden counts add up to 1 to 4).

Used by tests/disclosure/test_process.py and benchmarks/report_attack_sweep.py.
"""

from __future__ import annotations

from typing import Any

#: Tables of process figures (what the school did), by the start of their id; every other table is a personal outcome.
#: Reviewers by their number of reviewees ("reviewer-load-") is the school's allocation of reviews (policy §10's
#: "operation of the policy"; the issue's own list of process figures names reviewer load), not a reviewer's outcome.
PROCESS_TABLES = ("coverage-", "timeliness-", "moderation-", "reviewers-", "reviewer-load-", "review-process-",
                  "observations-", "provision-", "development-rules-", "trend-coverage-", "trend-deadline-met-",
                  "observation-cap-")

SMALL = range(1, 5)  # a number of people from 1 to 4: what the governors' policy never lets anyone learn


def tables(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for s in report["sections"] for t in s["tables"]]


def is_process(table: dict[str, Any]) -> bool:
    return str(table["id"]).startswith(PROCESS_TABLES)


def _grid(table: dict[str, Any]) -> list[list[int | None]] | None:
    """A table's rows as [number of staff, count, count, ...] (``None``: hidden), for tables whose count columns
    share out each row's staff exactly (every table of counts but a year-on-year one)."""
    cols = [i for i, c in enumerate(table["columns"]) if c["kind"] == "count"]
    if table["id"].startswith("trend-") or not cols or not table["rows"] or table["columns"][0]["kind"] != "size":
        return None
    return [[row["cells"][0].get("value"), *(row["cells"][i].get("value") for i in cols)] for row in table["rows"]]


def attack(report: dict[str, Any], personal_only: bool = True) -> list[str]:
    """What a governor could work out of hidden counts by subtraction, repeated until nothing more follows:
    within each row (its counts add up to its number of staff) and across the per-group tables (all staff =
    teachers + support staff, cell by cell). Returns each hidden count worked out to be from 1 to 4, and each
    row whose hidden counts are pinned to add up to 1 to 4 (so a colleague who knows their own record, or
    anyone, learns a small number), unless every count of the row is hidden (then their sum is only the row's
    number of staff, which the reader knows anyway: a row of 4 people says nothing about their outcomes)."""
    grids = {}
    for t in tables(report):
        grid = _grid(t)
        if grid is not None and not (personal_only and is_process(t)):
            grids[t["id"]] = (t, grid)
    found: list[str] = []
    changed = True
    while changed:
        changed = False
        for tid, (_, grid) in grids.items():
            for r, row in enumerate(grid):
                hidden = [i for i in range(1, len(row)) if row[i] is None]
                if row[0] is None or not hidden:
                    continue
                rest = row[0] - sum(v for v in row[1:] if v is not None)
                if len(hidden) == 1:
                    row[hidden[0]] = rest
                    changed = True
                    if rest in SMALL:
                        found.append(f"{tid} row {r}: a hidden count is {rest}")
                elif (rest in SMALL and rest < row[0]  # every count hidden: their sum is the row's size, no news
                      and f"{tid} row {r}: hidden counts add up to {rest}" not in found):
                    found.append(f"{tid} row {r}: hidden counts add up to {rest}")
        by_key: dict[str, dict[str, list[list[int | None]]]] = {}
        for tid, (t, grid) in grids.items():
            by_key.setdefault(tid.rsplit("-", 1)[0], {})[t["staff_group"]] = grid
        for key, groups in by_key.items():
            if set(groups) != {"all", "teachers", "support"}:
                continue
            whole, parts = groups["all"][0], [groups["teachers"][0], groups["support"][0]]
            if not len(whole) == len(parts[0]) == len(parts[1]):
                continue
            for i in range(len(whole)):
                line = [whole[i], parts[0][i], parts[1][i]]
                if line.count(None) != 1:
                    continue
                k = line.index(None)
                value = whole[i] - parts[1 - (k - 1)][i] if k else parts[0][i] + parts[1][i]  # type: ignore[operator]
                (whole if k == 0 else parts[k - 1])[i] = value
                changed = True
                if value in SMALL:
                    found.append(f"{key} column {i}: a hidden count is {value} (all = teachers + support)")
    return found
