"""The independent range attacker (tests/support/interval_attack.py) is not toothless, and is not fooled by bands.

Each report here is written by hand as report.json would hold it, with what a governor can work out from it.
The same attacker runs over 200 synthetic schools' reports in benchmarks/report_attack_sweep.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.interval_attack import attack

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def _cell(v: Any) -> dict[str, Any]:
    if v is None:
        return {"symbol": "c", "text": "[c]"}
    if isinstance(v, tuple):
        return {"low": v[0], "high": v[1], "text": f"{v[0]} to {v[1]}"}
    return {"value": v, "text": str(v)}


def _table(tid: str, counts: list[str], rows: list[tuple[str, list[Any]]], group: str = "all") -> dict[str, Any]:
    columns = [{"label": "Number of staff", "kind": "size"}] + [{"label": c, "kind": "count"} for c in counts]
    return {"id": f"{tid}-2025-26-{group}", "cycle": "2025/26", "staff_group": group, "columns": columns,
            "rows": [{"label": label, "cells": [_cell(v) for v in values]} for label, values in rows]}


def _report(*tables: dict[str, Any]) -> dict[str, Any]:
    return {"sections": [{"tables": list(tables)}]}


def _kinds(report: dict[str, Any], insider: bool = True) -> list[tuple[str, str]]:
    return [(f.kind, f.where.split(" / ")[-1]) for f in attack(report, insider=insider)]


ALL = "All staff in scope with a review (not the headteacher)"


def test_subtraction_within_a_row():
    # 20 staff: 17 met, [c] partly, 0 not met: the hidden one is 20 - 17 = 3
    report = _report(_table("assessment", ["Met", "Partly met", "Not met"], [(ALL, [20, 17, None, 0])]))
    assert _kinds(report, insider=False) == [("small", "Partly met")]


def test_bands_that_pin_a_small_number_down():
    """10 staff: "at least 6" met (6 to 10) and "5 or fewer" did not (0 to 5): together the second is 0 to 4."""
    report = _report(_table("assessment", ["Met", "Not met"], [(ALL, [10, (6, 10), (0, 5)])]))
    assert _kinds(report, insider=False) == [("narrowed", "Not met")]


def test_subtraction_across_the_groups_and_other_outcomes():
    """All staff = teachers + support: 40 = 25 + 15, 7 not met = 5 + [c], so support's hidden figure is 2. And
    "Other outcomes (partly met, not met)" of a breakdown's whole-school row gives the hidden "partly met"."""
    across = _report(_table("assessment", ["Met", "Not met"], [(ALL, [40, 33, 7])]),
                     _table("assessment", ["Met", "Not met"], [(ALL, [25, 20, 5])], "teachers"),
                     _table("assessment", ["Met", "Not met"], [(ALL, [15, None, None])], "support"))
    assert ("small", "Not met") in _kinds(across, insider=False)
    other = _report(_table("assessment", ["Met", "Partly met", "Not met"], [(ALL, [22, 18, None, 0])]),
                    _table("assessment-by-sex", ["Met", "Other outcomes (partly met, not met)"],
                           [(ALL, [22, 18, 4]), ("Female", [12, None, None]), ("Male", [10, None, None])]))
    assert ("small", "Partly met") in _kinds(other, insider=False)


def test_everyone_in_a_group_worked_out_from_a_breakdown():
    """Pay: 14 eligible, "at least 9" progressed; the breakdown's two groups show 8 of 8 and 6 of 6, so all 14
    progressed: every eligible person's pay decision."""
    report = _report(_table("pay-by-sex", ["Progressed", "Other outcomes (did not progress)"],
                            [("All staff eligible", [14, (9, 14), (0, 5)]), ("Female", [8, 8, 0]), ("Male", [6, 6, 0])]))
    assert ("everyone", "Progressed") in _kinds(report, insider=False)


def test_a_colleague_who_knows_their_own_record():
    """10 staff, "Met" 0 or 1 (worked out from elsewhere) and "not met" at least 9: a governor cannot tell whether
    everyone failed; the one who met theirs knows that all 9 others did not."""
    report = _report(_table("assessment", ["Met", "Not met"], [(ALL, [10, (0, 1), (9, 10)])]))
    assert _kinds(report, insider=False) == [("narrowed", "Met")]
    assert ("insider-everyone", "Not met") in _kinds(report)
    # 5 staff over two tables: "not met" is 0 or 1, so "partly met" is 4 or 5; the one who did not meet theirs
    # knows "partly met" is exactly 4
    report = _report(_table("assessment", ["Met", "Partly met", "Not met"], [(ALL, [25, 20, (4, 5), None])]),
                     _table("assessment-by-sex", ["Met", "Other outcomes (partly met, not met)"],
                            [(ALL, [25, 20, 5])]))
    assert _kinds(report, insider=False) == [("narrowed", "Not met")]
    assert ("insider-small", "Partly met") in _kinds(report)


def test_the_bands_the_gate_publishes_tell_nothing_more():
    """A row of 25 given as "at least 20" and "5 or fewer" (3 did not meet their objectives): nothing is found."""
    report = _report(_table("assessment", ["Met", "Not met"], [(ALL, [25, (20, 25), (0, 5)])]))
    assert attack(report) == []


def test_the_primary_samples_report_gives_nothing_away():
    report = json.loads((GOLDEN / "primary" / "report.json").read_text(encoding="utf-8"))
    assert attack(report) == []
