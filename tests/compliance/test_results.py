"""The result as a whole: counts, rates, JSON, the confidential workbook, the docs, the registry, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pmreport.compliance import RULES, run_checks
from pmreport.compliance.docs import DOCS_PATH, render_rules_md
from pmreport.compliance.rules import RULE_ORDER
from pmreport.compliance.workbook import write_exceptions
from pmreport.errors import PmreportError
from tests.support.school_rows import school_data

ROOT = Path(__file__).resolve().parents[2]
#: Copies of the source documents (../shared/seeds/: the model policy, 002_…, and the union guidance the rules
#: also quote), committed so the quotation test always runs.
POLICY_TEXTS = ROOT / "tests" / "fixtures" / "policy"
SCHOOL = {"urn": "118234", "school_name": "Test School", "phase": "primary", "local_authority": "Kent",
          "cycle": "2025/26", "cycle_start": "2025-09-01", "cycle_end": "2026-08-31"}
OLD_SCHOOL = SCHOOL | {"cycle": "2024/25", "cycle_start": "2024-09-01", "cycle_end": "2025-08-31"}


def two_cycles():
    staff = [{"staff_id": "H", "name": "Ada Head", "role_group": "headteacher", "responsibility": "headteacher"},
             {"staff_id": "A", "name": "=HYPERLINK(\"http://x\")"}, {"staff_id": "B", "name": "Bea B"},
             {"staff_id": "N", "name": "Ned N", "induction": True}]
    reviews = [
        {"staff_id": "A", "cycle": "2024/25", "reviewer_id": "H", "meeting_date": "2024-11-05"},
        {"staff_id": "H", "cycle": "2025/26", "reviewer_id": "GOV", "meeting_date": "2025-12-01"},
        {"staff_id": "A", "cycle": "2025/26", "reviewer_id": "H", "meeting_date": "2025-11-05"},
    ]
    return school_data(school=[OLD_SCHOOL, SCHOOL], staff=staff, reviews=reviews)


def test_default_cycle_is_the_latest_and_others_can_be_chosen() -> None:
    data = two_cycles()
    assert run_checks(data).cycle == "2025/26"
    old = run_checks(data, "2024/25")
    assert old.cycle == "2024/25"
    # 2024/25's teacher deadline is 31 October 2024: A's meeting on 5 November 2024 is late
    assert old.ids("deadline", "breached") == ["A"]
    with pytest.raises(PmreportError, match="no cycle 2023/24"):
        run_checks(data, "2023/24")


def test_a_cycle_missing_from_the_school_sheet_uses_the_policys_dates() -> None:
    from pmreport.compliance.context import CheckContext

    data = two_cycles()
    data.tables["school"] = data.tables["school"].iloc[[1]]  # only 2025/26 is on the school sheet
    ctx = CheckContext.build(data, "2024/25")
    assert (str(ctx.cycle_start.date()), str(ctx.cycle_end.date())) == ("2024-09-01", "2025-08-31")
    assert run_checks(data, "2024/25", rules=["deadline"]).ids("deadline", "breached") == ["A"]  # 5 Nov 2024


def test_json_names_ids_per_rule_with_counts_and_rates() -> None:
    out = json.loads(run_checks(two_cycles()).to_json())
    assert out["cycle"] == "2025/26"
    assert out["confidential"].startswith("CONFIDENTIAL")
    assert out["scope"] == {"staff": 4, "in_scope": 3, "out_of_scope": 1,
                            "out_of_scope_by_reason": {"not_employed": 0, "induction": 1, "short_contract": 0,
                                                       "capability": 0},
                            "long_absence_noted": 0, "long_absence_days_over": 60}
    flags = ["teacher_reviews_support", "training_outside_hours"]
    assert [r["rule"] for r in out["rules"]] == [r for r in RULE_ORDER if r not in flags]
    assert [r["indicator"] for r in out["worth_a_look"]] == flags
    coverage = out["rules"][0]
    assert coverage == {
        "rule": "coverage", "title": "Every member of staff in scope has a review", "citation": "§3, §4.1",
        "kind": "requirement", "unit": "person",
        "counts": {"units": 4, "in_scope": 3, "met": 2, "breached": 1, "not_recorded": 0, "not_applicable": 1},
        "rates": {"met_rate": 0.6667, "breached_rate": 0.3333, "not_recorded_rate": 0.0},
        "breached": ["B"], "not_recorded": [],
        "exceptions": [{"staff_id": "B", "item": None, "outcome": "breached", "reason": "no review is recorded for "
                        "2025/26", "file": "test.xlsx", "sheet": "staff", "row": 4}],
    }
    deadline = out["rules"][1]
    assert deadline["breached"] == ["A"] and deadline["counts"]["met"] == 1  # the head's 1 December is on time
    assert all(set(r) >= {"rule", "citation", "counts", "breached", "not_recorded"} for r in out["rules"])


def test_rates_are_none_when_nothing_is_in_scope() -> None:
    result = run_checks(two_cycles())
    assert result.counts("observation_cap")["in_scope"] == 0
    assert result.rates("observation_cap") == {"met_rate": None, "breached_rate": None, "not_recorded_rate": None}


def test_detail_traces_every_finding_to_a_row() -> None:
    result = run_checks(two_cycles())
    d = result.detail
    assert list(d.columns) == ["rule", "cycle", "staff_id", "item", "outcome", "reason", "category", "_file",
                               "_sheet", "_row"]
    assert set(d["outcome"]) <= {"met", "breached", "not_recorded", "not_applicable"}
    assert d[["_file", "_sheet", "_row"]].notna().all().all()
    missing = d[(d["rule"] == "coverage") & (d["staff_id"] == "B")].iloc[0]
    assert (missing["_sheet"], missing["_row"]) == ("staff", 4)  # B is the third staff row, Excel row 4
    assert (d["reason"].str.len() > 0).all()


def test_exceptions_workbook_is_confidential_and_formula_safe(tmp_path: Path) -> None:
    path = write_exceptions(run_checks(two_cycles()), tmp_path / "exceptions.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Summary", "Exceptions", "Worth a look", "Scope"]
    for ws in wb:
        assert str(ws["A1"].value).startswith("CONFIDENTIAL - for the headteacher only")
    cells = [c.value for row in wb["Exceptions"].iter_rows() for c in row if c.value is not None]
    assert "Bea B" in cells                       # the head's own pack names people
    assert not any(isinstance(v, str) and v.startswith("=") for ws in wb for row in ws.iter_rows()
                   for v in (c.value for c in row))
    scope = [[c.value for c in row] for row in wb["Scope"].iter_rows(min_row=4)]
    assert scope == [["N", "Ned N", "in the statutory induction year (§3)", None, "test.xlsx", "staff", 5]]


def test_formula_like_names_are_neutralised(tmp_path: Path) -> None:
    data = school_data(school=[SCHOOL], staff=[{"staff_id": "A", "name": "=HYPERLINK(\"http://x\")"}])
    wb = openpyxl.load_workbook(write_exceptions(run_checks(data), tmp_path / "e.xlsx"))
    values = [c.value for row in wb["Exceptions"].iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://x\")" in values


# -- the registry and its documentation -----------------------------------------------------------

DESIGN_RULES = ["coverage", "deadline", "notice", "draft_statement", "final_statement", "mid_year",
                "objectives_reasonable", "observation_cap", "observation_notice", "observation_feedback",
                "observation_record", "observer_qualified", "observation_in_plan", "head_reviewer", "reviewer_load",
                "teacher_reviews_support",
                "moderation_timely", "appeal_after_moderation", "development_provided", "training_outside_hours"]


def test_every_rule_in_design_is_registered_and_described() -> None:
    assert [r.id for r in RULES] == DESIGN_RULES
    for r in RULES:
        assert r.title and r.citation and r.policy_text and r.applies_to and r.method and r.unit, r.id
        assert r.kind in ("requirement", "flag")


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_policy_text_is_quoted_word_for_word(rule) -> None:
    sources = _fold(" ".join(p.read_text(encoding="utf-8") for p in sorted(POLICY_TEXTS.glob("*.txt"))))
    assert len(list(POLICY_TEXTS.glob("*.txt"))) == 5
    for fragment in rule.policy_text.split(" … "):
        assert _fold(fragment) in sources, f"{rule.id}: not in the policy texts: {fragment!r}"


def test_rules_doc_is_current() -> None:
    assert DOCS_PATH == ROOT / "docs" / "rules.md"
    assert DOCS_PATH.read_text(encoding="utf-8") == render_rules_md(), (
        "docs/rules.md is stale: run python -m pmreport.compliance.docs")


def test_rules_doc_has_every_rule_with_its_citation() -> None:
    text = render_rules_md()
    for r in RULES:
        assert f'<a id="{r.id}"></a>' in text and r.citation in text
    assert re.search(r"\b182 days\b", text)


# -- the command ----------------------------------------------------------------------------------

def test_check_command(minimal_workbook: Path, tmp_path: Path, monkeypatch) -> None:
    from pmreport import pipeline
    from pmreport.cli import app

    runner = CliRunner()
    out = tmp_path / "exceptions.xlsx"
    shown = runner.invoke(app, ["check", str(minimal_workbook), "--exceptions-out", str(out)])
    assert shown.exit_code == 0, shown.output
    assert "3 staff, 3 in scope." in shown.output and "§4.9" in shown.output and "App. 3 ¶13" in shown.output
    assert "Ada Example" not in shown.output  # nobody is named on screen
    assert openpyxl.load_workbook(out)["Exceptions"]["A1"].value.startswith("CONFIDENTIAL")

    loaded = pipeline.load_school(minimal_workbook)  # validation is slow-ish: load once for the rest
    monkeypatch.setattr(pipeline, "load_school", lambda path, **kw: loaded)
    as_json = runner.invoke(app, ["check", str(minimal_workbook), "--json", "--as-of", "15/01/2027"])
    assert as_json.exit_code == 0, as_json.output
    printed = json.loads(as_json.output)
    assert printed.pop("left_out") == []  # every analysis could be made (see validation/left_out.py)
    assert printed == json.loads(run_checks(loaded[0], as_of="2027-01-15").to_json())

    wrong = runner.invoke(app, ["check", str(minimal_workbook), "--cycle", "2019/20"])
    assert wrong.exit_code == 2 and "no cycle 2019/20" in wrong.output
    bad_name = runner.invoke(app, ["check", str(minimal_workbook), "--exceptions-out", str(tmp_path / "x.csv")])
    assert bad_name.exit_code == 2 and ".xlsx" in bad_name.output


def test_check_command_says_when_rows_were_set_aside(minimal_sheets, tmp_path: Path) -> None:
    from pmreport.cli import app
    from tests.conftest import build_workbook

    minimal_sheets["reviews"][2][4] = "not a date"  # 000102's meeting date: the row is set aside
    book = build_workbook(tmp_path / "school.xlsx", minimal_sheets)
    result = CliRunner().invoke(app, ["check", str(book), "--json"])
    assert result.exit_code == 1
    assert "set aside" in result.stderr and "pmreport validate" in result.stderr
    coverage = json.loads(result.stdout)["rules"][0]
    assert coverage["breached"] == ["000102"]  # its review was set aside, so none is recorded
