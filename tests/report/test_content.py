"""The report's content: every table from one gate, the audit passes on what is published, and
nothing that identifies anyone reaches report.json (schools of 8 to 150 staff)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pmreport.jobs import governors_content
from pmreport.report import publish
from pmreport.report.charts import chart_spec
from pmreport.report.writer import report_json
from pmreport.synth import generate
from tests.support.leaks import forbidden_strings, leaks

SCHOOLS = [("primary", 8, 3), ("primary", 15, 2), ("primary", 25, 3), ("secondary", 60, 2), ("secondary", 150, 1)]
TABLE_KEYS = ["id", "cycle", "staff_group", "chart", "title", "description", "policy", "row_header", "columns", "rows",
              "footnotes", "symbols"]
@pytest.mark.parametrize("phase, n_staff, cycles", SCHOOLS, ids=[f"{p}-{n}-staff-{c}-cycles" for p, n, c in SCHOOLS])
def test_report_content(phase, n_staff, cycles):
    """One test per school (so parallel runs build each school once): every check below on its report."""
    school = generate(phase, seed=n_staff, n_staff=n_staff, cycles=cycles, canaries=True)
    content = governors_content(school.data)
    report = publish(content, dt.date(2031, 1, 15))  # gate.publish(): the audit of every table together
    built = (school, content, report)
    check_audit(built)
    check_nothing_identifying(built)
    check_shape(built)
    check_charts(built)
    check_small_schools(built)
    check_trends(built)


def check_audit(school_report) -> None:
    school, content, report = school_report
    gate = content.gate  # publish() ran gate.publish(): the full audit of every table together, or DisclosureRisk
    assert report["audit"] == {"passed": True, "tables_checked": len(gate.tables),
                               "hidden_cells": report["audit"]["hidden_cells"]}
    published = [t for s in report["sections"] for t in s["tables"]]
    # every table the gate made is in the report, once, built section by section; before them the gate made the
    # whole-school process tables (so that later tables give way to them), whose figures the sections show again
    made = gate.tables[content.made_first:]
    assert len(published) == len(made)
    assert [t["title"] for t in published] == [t.title for t in made]
    shown = {(row["label"], col["label"], cell["text"]) for t in published for row in t["rows"]
             for col, cell in zip(t["columns"], row["cells"], strict=True) if col["kind"] == "count"}
    for first in gate.tables[:content.made_first]:
        for label, row in zip(first.row_labels, first.cells, strict=True):
            for col, cell in zip(first.columns, row, strict=True):
                if col.kind == "count":
                    assert (label, col.label, cell.text) in shown, (first.title, label, col.label)


def check_nothing_identifying(school_report) -> None:
    school, _, report = school_report
    text = report_json(report)
    assert school.truth["canaries"], "the school should have canaries planted"
    assert leaks(text, forbidden_strings(school, dt.date(2031, 1, 15))) == []


def check_shape(school_report) -> None:
    school, content, report = school_report
    assert list(report) == ["title", "draft", "left_out", "school", "cycle", "cycles", "generated", "policy",
                            "symbols", "summary", "sections", "method", "audit"]
    assert report["draft"] is None  # the synthetic schools have no rows set aside
    assert report["left_out"] == []  # ... and every column: nothing the report could not make
    assert report["title"] == "Performance management: annual report to governors"
    assert set(report["school"]) == {"name", "phase", "local_authority"}
    assert report["school"]["name"] == school.school_name
    assert report["cycle"] == school.truth["cycles"][-1] and report["cycles"] == school.truth["cycles"][-3:]
    assert report["generated"] == "15 January 2031"
    assert report["policy"] == "governor" and set(report["symbols"]) == {"c", "u", "low", "x", "z"}
    assert [s["id"] for s in report["sections"]] == ["operation", "effectiveness", "appeals", "development",
                                                     "equality", "trends"]
    ids = [t["id"] for s in report["sections"] for t in s["tables"]]
    assert len(ids) == len(set(ids))
    for section in report["sections"]:
        assert set(section) == {"id", "heading", "intro", "tables"} and section["intro"]
        for t in section["tables"]:
            assert list(t) == TABLE_KEYS
            assert t["staff_group"] in ("all", "teachers", "support")
            assert t["chart"]["type"] in ("bar", "stacked_bar", "line", "none")
            labels = [c["label"] for c in t["columns"]]
            assert t["chart"]["value_column"] is None if t["chart"]["type"] == "none" else t["chart"]["value_column"] in labels
            for row in t["rows"]:
                assert len(row["cells"]) == len(t["columns"])
                for cell, column in zip(row["cells"], t["columns"], strict=True):
                    assert set(cell) - {"process"} in ({"value", "text", "shown"}, {"symbol", "text", "shown"},
                                                       {"low", "high", "text", "shown"})
                    if "low" in cell and column["kind"] == "percent":  # a percentage band, beside a count's band
                        assert cell["shown"] == "interval" and 0 <= cell["low"] < cell["high"] <= 100
                    elif "low" in cell:  # a count given as its band, within the row's number of staff
                        assert column["kind"] == "count"
                        sizes = [c["value"] for c, col in zip(row["cells"], t["columns"], strict=True)
                                 if col["kind"] == "size" and "value" in c]
                        assert cell["shown"] == "interval" and 0 <= cell["low"] < cell["high"] <= max(sizes)
    json.dumps(report)  # plain JSON all the way down


def check_charts(school_report) -> None:
    _, _, report = school_report
    for t in (t for s in report["sections"] for t in s["tables"]):
        spec = t["chart"]
        if spec["type"] == "none":
            continue
        col = [c["label"] for c in t["columns"]].index(spec["value_column"])
        if spec["type"] == "stacked_bar":
            counts = [i for i, c in enumerate(t["columns"]) if c["kind"] == "count"]
            assert any(row["cells"][i].get("value") for row in t["rows"] for i in counts)
        else:
            assert any("value" in row["cells"][col] for row in t["rows"])
        if spec["type"] == "line":
            assert chart_spec(t, "yoy") == spec


def check_small_schools(school_report) -> None:
    school, content, report = school_report
    in_scope = content.md.staff_in_scope(report["cycle"])
    tables = [t for s in report["sections"] for t in s["tables"]]
    groups = {t["staff_group"] for t in tables}
    equality = next(s for s in report["sections"] if s["id"] == "equality")
    if in_scope < 20:
        assert groups == {"all"}
        assert [t["id"].split("-20")[0] for t in equality["tables"]] == ["pay"]
        assert "fewer than 20 staff in scope" in equality["intro"]
    for t in tables:
        for row in t["rows"]:
            for col, cell in zip(t["columns"], row["cells"], strict=True):
                if col["kind"] == "count" and "value" in cell and not cell.get("process"):
                    assert cell["value"] == 0 or cell["value"] >= 5, (t["id"], row["label"], cell)
                if cell.get("process"):  # only whole-school figures of the latest cycle, never a staff group's
                    assert t["staff_group"] == "all" and t["cycle"] == report["cycle"], (t["id"], cell)


def check_trends(school_report) -> None:
    school, _, report = school_report
    trends = next(s for s in report["sections"] if s["id"] == "trends")
    if len(report["cycles"]) == 1:
        assert trends["tables"] == [] and "no earlier cycle" in trends["intro"]
    else:
        pairs = {(t["columns"][0]["label"].split(":")[0], t["cycle"]) for t in trends["tables"]}
        cycles = report["cycles"]
        assert pairs == set(zip(cycles[:-1], cycles[1:], strict=True))


def test_an_earlier_cycle_can_be_reported_and_an_unknown_one_is_refused():
    from pmreport.errors import InputUnusable

    school = generate("primary", seed=3, n_staff=12, cycles=3)
    report = publish(governors_content(school.data, "2024/25"))
    assert report["cycle"] == "2024/25" and report["cycles"] == ["2023/24", "2024/25"]
    assert {t["cycle"] for s in report["sections"] for t in s["tables"]} == {"2024/25"}
    with pytest.raises(InputUnusable, match="no cycle 2030/31"):
        governors_content(school.data, "2030/31")


@pytest.mark.parametrize(("appealed", "shown"), [(0, False), (2, False), (4, False), (5, True), (9, True)])
def test_appeals_heard_after_moderation_only_with_at_least_five_formal_appeals(appealed, shown):
    """The rule on appeals applies to people because they appealed, so its "Number of staff" says how many
    appealed: 2 would tell the governors exactly that (the appeals tables give only "5 or fewer"). The table is
    there only when at least 5 formal appeals were heard, so that it tells none from a few no more than a
    rule of what the school did (meetings by the deadline) is held back for being small."""
    from pmreport.disclosure import DisclosureGate, Microdata
    from pmreport.report.content import Builder
    from tests.support.forgery import people_frame

    frame = people_frame([({"rule:appeal_after_moderation": "met", "rule:deadline": "met"}, appealed),
                          ({"rule:appeal_after_moderation": "not_applicable", "rule:deadline": "breached"}, 2),
                          ({"rule:appeal_after_moderation": None, "rule:deadline": "met"}, 20 - appealed)])
    builder = Builder(DisclosureGate(Microdata(frame)), "2025/26", ["all"])
    assert builder.applies_to_enough("appeal_after_moderation") is shown
    assert builder.applies_to_enough("deadline")  # a process rule: shown however few it applied to
