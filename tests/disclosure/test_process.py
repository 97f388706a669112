"""Process versus person: whole-school figures of what the school did are published exactly, and that
tells nobody anything about any person's outcome.

The attacker (tests/support/subtraction_attack.py) is written independently of the audit's own code: it reads
only the published report (report.json's dictionary), as a governor would, and tries subtraction within every
line of every table and across the per-group tables (all staff = teachers + support staff), with and
without knowing one hidden figure of their own (a colleague who knows their own record).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from pmreport.disclosure import GOVERNOR_POLICY, DisclosureGate, DisclosureRefused, Microdata, Population, audit
from pmreport.jobs import governors_content
from pmreport.report import publish
from pmreport.synth import generate
from tests.support.forgery import people_frame
from tests.support.subtraction_attack import attack, is_process, tables

NO_PROCESS = replace(GOVERNOR_POLICY, process_outcomes=frozenset())
SCHOOLS = [("primary", 26), ("secondary", 60)]


_tables = tables
_is_process = is_process


@pytest.fixture(scope="module", params=SCHOOLS, ids=[f"{p}-{n}" for p, n in SCHOOLS])
def built(request):
    phase, n = request.param
    school = generate(phase, seed=n, n_staff=n, cycles=2)
    content = governors_content(school.data, salt="fixed")
    before = publish(governors_content(school.data, salt="fixed", policy=NO_PROCESS), dt.date(2027, 1, 15))
    return school, content, publish(content, dt.date(2027, 1, 15)), before


# ------------------------------------------------------------------------------ the attacker (tests/support)


def test_the_attacker_catches_unsafe_tables():
    """The attacker is not toothless: a line with one hidden count, a line whose hidden counts add to 1, and a
    group's count that follows from the whole school and the other group."""
    def table(tid: str, group: str, cells: list[Any]) -> dict[str, Any]:
        cols = [{"label": "Number of staff", "kind": "size"}] + [{"label": f"c{i}", "kind": "count"}
                                                                 for i in range(len(cells) - 1)]
        return {"id": f"{tid}-2025-26-{group}", "cycle": "2025/26", "staff_group": group, "columns": cols,
                "rows": [{"label": "All", "cells": [{"value": v} if v is not None else {"symbol": "c"} for v in cells]}]}

    one_hidden = {"sections": [{"tables": [table("assessment", "all", [20, 17, None, 0])]}]}
    adds_to_one = {"sections": [{"tables": [table("assessment", "all", [20, 19, None, None])]}]}
    across = {"sections": [{"tables": [table("assessment", "all", [40, 33, 7]),
                                       table("assessment", "teachers", [25, 20, 5]),
                                       table("assessment", "support", [15, None, None])]}]}
    safe = {"sections": [{"tables": [table("assessment", "all", [40, 30, None, None])]}]}
    assert attack(one_hidden) == ["assessment-2025-26-all row 0: a hidden count is 3"]
    assert attack(adds_to_one) == ["assessment-2025-26-all row 0: hidden counts add up to 1"]
    assert attack(across) == ["assessment-2025-26 column 2: a hidden count is 2 (all = teachers + support)"]
    assert attack(safe) == []


def test_process_figures_are_exact_and_match_the_data(built):
    """Every whole-school process figure of the latest cycle is shown exactly, marked as such, and agrees with a
    count made here from the gate's own input (the microdata), not from the report's code."""
    school, content, report, _ = built
    cycle = report["cycle"]
    frame = content.md.frame
    rows = frame[frame["cycle"] == cycle]
    in_scope = rows[rows["in_scope"].astype(bool)]
    tables = {t["id"]: t for t in _tables(report)}
    coverage = tables[f"coverage-{cycle.replace('/', '-')}-all"]["rows"][0]["cells"]
    assert [c.get("value") for c in coverage[:3]] == [len(in_scope), int((in_scope["has_review"] == True).sum()),  # noqa: E712
                                                      int((in_scope["has_review"] == False).sum())]  # noqa: E712
    assert all(c["shown"] in ("exact", "interval") and c.get("process") for c in coverage)
    timeliness = tables[f"timeliness-{cycle.replace('/', '-')}-all"]
    kinds = [c["kind"] for c in timeliness["columns"]]
    for row in timeliness["rows"]:
        for kind, cell in zip(kinds, row["cells"], strict=True):
            if kind != "percent":
                assert cell.get("process") and cell["shown"] == "exact", cell
            elif row["cells"][0]["value"] >= 20:  # a percentage needs 20 people; below, it is withheld as unreliable
                assert cell.get("process") and "value" in cell, cell
    deadline = timeliness["rows"][0]["cells"]
    rule = rows["rule:deadline"]
    assert [c["value"] for c in deadline[:4]] == [int(rule.isin(["met", "breached", "not_recorded"]).sum()),
                                                  int((rule == "met").sum()), int((rule == "breached").sum()),
                                                  int((rule == "not_recorded").sum())]
    # process cells only in whole-school tables of the latest cycle; no personal table has one
    for t in _tables(report):
        flagged = any(c.get("process") for row in t["rows"] for c in row["cells"])
        if flagged:
            assert _is_process(t) and t["staff_group"] == "all" and t["cycle"] == cycle, t["id"]


def test_personal_outcomes_are_untouched_by_publishing_process_figures(built):
    """Every table of personal outcomes is exactly what it was when process figures went through every rule."""
    _, _, report, before = built
    old = {t["id"]: t for t in _tables(before)}
    for t in _tables(report):
        if not _is_process(t):
            assert [[c["text"] for c in r["cells"]] for r in t["rows"]] == \
                   [[c["text"] for c in r["cells"]] for r in old[t["id"]]["rows"]], t["id"]


def test_no_personal_outcome_can_be_worked_out(built):
    """With every process figure known exactly, the attacker recovers no hidden personal-outcome count."""
    _, _, report, _ = built
    assert attack(report) == []
    assert attack(report, personal_only=False) == []  # nor a small figure of a process breakdown


def test_more_is_published_than_before(built):
    _, _, report, before = built

    def shown(r: dict[str, Any]) -> int:
        return sum("value" in c for t in _tables(r) if _is_process(t) for row in t["rows"] for c in row["cells"])
    assert shown(report) >= shown(before)


# ------------------------------------------------------------------------------ the gate and the audit


def _school(late: int) -> Microdata:
    """30 staff: 20 teachers and 10 support staff; ``late`` support staff's meetings were late."""
    frame = people_frame([({"role_group": "teacher", "rule:deadline": "met", "assessment": "met"}, 20),
                          ({"role_group": "support", "rule:deadline": "met", "assessment": "met"}, 10 - late),
                          ({"role_group": "support", "rule:deadline": "breached", "assessment": "not_met"}, late)])
    return Microdata(frame)


def test_gate_publishes_a_small_whole_school_process_figure_and_protects_its_breakdown():
    gate = DisclosureGate(_school(late=2))
    whole = gate.compliance({"rule:deadline": "Meeting held by the deadline"}, public=True)
    assert [c.text for c in whole.cells[0]] == ["30", "28", "2", "0", "93%"]
    teachers = gate.frequency("rule:deadline", categories=["met", "breached"], adverse="breached",
                              population=Population.of("teachers", role_group="teacher"))
    # teachers' "breached 0" would tell every governor that the two late meetings were support staff's: it is given
    # only as the band "5 or fewer" (0 to 5), which the whole-school 2 already implies
    assert teachers.cells[0][2].value is None and teachers.cells[0][2].text == "5 or fewer"
    assert gate.audit().passed


def test_gate_refuses_an_exact_personal_outcome_or_breakdown():
    gate = DisclosureGate(_school(late=2))
    with pytest.raises(DisclosureRefused):
        gate.frequency("assessment", public=True)
    with pytest.raises(DisclosureRefused):
        gate.frequency("rule:deadline", by="role_group", public=True)


def test_audit_fails_a_personal_outcome_published_as_a_process_figure():
    """A gate told (wrongly) that assessment is a process outcome publishes it exactly; the governors' audit fails it."""
    md = _school(late=2)
    lax = replace(GOVERNOR_POLICY, process_outcomes=GOVERNOR_POLICY.process_outcomes | {"assessment"})
    table = DisclosureGate(md, lax).frequency("assessment", categories=["met", "not_met"], public=True)
    assert [c.text for c in table.cells[0]] == ["30", "28", "2"]
    result = audit([table], md, GOVERNOR_POLICY)
    assert not result.passed
    assert "public_not_process" in {f.code for f in result.findings}


# ------------------------------------------------------------------------------ every process figure is published

#: Whole-school process tables of the latest cycle: tables of rules (every row is the whole school) and tables of
#: one process outcome (the first row is the whole school).
RULE_TABLES = ("timeliness-", "reviewers-", "review-process-", "observations-", "development-rules-")
ONE_OUTCOME_TABLES = ("coverage-", "moderation-", "provision-", "observation-cap-")


def _whole_school_process_cells(report: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    out = []
    for t in _tables(report):
        if t["staff_group"] != "all" or t["cycle"] != report["cycle"]:
            continue
        if t["id"].startswith(RULE_TABLES):
            rows = t["rows"]
        elif t["id"].startswith(ONE_OUTCOME_TABLES):
            rows = t["rows"][:1]
        else:
            continue
        assert t["rows"], f"{t['id']} is withheld"
        for row in rows:
            for col, cell in zip(t["columns"], row["cells"], strict=True):
                if col["kind"] in ("size", "count"):
                    out.append((t["id"], row["label"], col["label"], cell))
    return out


def _check_all_published(report: dict[str, Any]) -> None:
    cells = _whole_school_process_cells(report)
    assert len(cells) > 20
    for tid, row, column, cell in cells:
        assert cell["shown"] in ("exact", "interval"), (tid, row, column, cell)
        assert ("value" in cell) == (cell["shown"] == "exact") and cell.get("process"), (tid, row, column, cell)


def test_every_whole_school_process_figure_is_published(built):
    _, _, report, _ = built
    _check_all_published(report)


@pytest.mark.parametrize("sample", ["secondary", "primary"])
def test_every_whole_school_process_figure_of_the_samples_is_published(sample):
    """The samples' report.json as pinned by the golden test (which checks the command writes exactly that)."""
    import json
    from pathlib import Path

    golden = Path(__file__).resolve().parents[1] / "golden" / sample / "report.json"
    _check_all_published(json.loads(golden.read_text(encoding="utf-8")))
