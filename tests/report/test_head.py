"""The headteacher's own appraisal and pay are not in the report to governors (policy §4.2: the governing
body is the head's reviewer; the outcome is for its appraisal panel). Process figures count the head's review."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmreport.jobs import governors_content
from pmreport.report import publish
from pmreport.report.words import HEAD_NOTE
from pmreport.synth import generate

#: Tables of people's outcomes, by the start of their id.
OUTCOMES = ("assessment-", "pay-", "pay", "appeal-outcomes-", "appeal-subjects-", "workload-concerns-",
            "trend-assessment-met-", "trend-pay-progression-")


def _tables(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for s in report["sections"] for t in s["tables"]]


def _texts(report: dict[str, Any]) -> dict[str, list[list[str]]]:
    return {t["id"]: [[c["text"] for c in r["cells"]] for r in t["rows"]] for t in _tables(report)}


def _with_head_outcome(school, assessment: str, pay: str):
    """The same school with the headteacher's assessment and pay decision of the latest cycle changed."""
    data = school.data
    staff, reviews = data.tables["staff"], data.tables["reviews"]
    cycle = data.cycles[-1]
    head = staff.loc[(staff["role_group"] == "headteacher").fillna(False) & (staff["cycle"] == cycle).fillna(False),
                     "staff_id"].astype(str)
    rows = reviews["staff_id"].astype(str).isin(set(head)) & (reviews["cycle"] == cycle).fillna(False)
    assert rows.sum() == 1, "the synthetic school has one headteacher with a review in the latest cycle"
    changed = reviews.copy()
    changed["assessment"] = changed["assessment"].astype(object)
    changed["pay_decision"] = changed["pay_decision"].astype(object)
    changed.loc[rows.to_numpy(), "assessment"] = assessment
    changed.loc[rows.to_numpy(), "pay_decision"] = pay
    data.tables["reviews"] = changed
    return data


@pytest.mark.parametrize("n_staff", [26])
def test_head_outcome_changes_no_outcome_table(n_staff):
    """Whatever the head's own assessment and pay decision, every table of people's outcomes is the same."""
    phase = "primary" if n_staff < 40 else "secondary"
    one = publish(governors_content(_with_head_outcome(generate(phase, seed=n_staff, n_staff=n_staff, cycles=2),
                                                   "met", "progress"), salt="s"), dt.date(2027, 1, 15))
    two = publish(governors_content(_with_head_outcome(generate(phase, seed=n_staff, n_staff=n_staff, cycles=2),
                                                   "not_met", "no_progress"), salt="s"), dt.date(2027, 1, 15))
    a, b = _texts(one), _texts(two)
    assert a.keys() == b.keys()
    outcome_ids = [t for t in a if t.startswith(OUTCOMES)]
    assert any(t.startswith("assessment-") for t in outcome_ids) and any(t.startswith("pay") for t in outcome_ids)
    for tid in outcome_ids:
        assert a[tid] == b[tid], tid
    for t in _tables(one):
        if t["id"].startswith(OUTCOMES) and not t["id"].startswith("trend-"):
            assert HEAD_NOTE in t["description"], t["id"]


def test_outcome_tables_leave_the_head_out_and_process_figures_count_them():
    school = generate("secondary", seed=60, n_staff=60, cycles=2)
    content = governors_content(school.data, salt="s")
    report = publish(content, dt.date(2027, 1, 15))
    frame = content.md.frame
    rows = frame[(frame["cycle"] == report["cycle"]) & frame["in_scope"].astype(bool)]
    reviewed = rows[rows["has_review"] == True]  # noqa: E712
    heads = int((reviewed["role_group"] == "headteacher").sum())
    assert heads == 1
    tables = {t["id"]: t for t in _tables(report)}
    cyc = report["cycle"].replace("/", "-")
    assert tables[f"assessment-{cyc}-all"]["rows"][0]["cells"][0]["value"] == len(reviewed) - heads
    assert tables[f"workload-concerns-{cyc}-all"]["rows"][0]["cells"][0]["value"] == len(reviewed) - heads
    assert "not the headteacher" in tables[f"assessment-{cyc}-all"]["title"]
    assert tables[f"moderation-{cyc}-all"]["rows"][0]["cells"][0]["value"] == len(reviewed)  # the head's review counts
    assert tables[f"coverage-{cyc}-all"]["rows"][0]["cells"][0]["value"] == len(rows)
