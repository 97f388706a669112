"""Real exports get in: hand-built SIMS, Arbor, Bromcom and ScholarPack-style exports validate with every
staff row accepted and only their real quirks reported, and `pmreport report` runs on them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pmreport.pipeline import load_school, validate_path
from tests.exports.builders import BUILDERS, HEAD, PEOPLE, build
from tests.support.mutations import run

KINDS = sorted(BUILDERS)


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    return {kind: build(kind, folder) for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_every_staff_row_is_accepted_and_nothing_is_an_error(exports, kind):
    report = validate_path(exports[kind])
    assert report.errors == [], report.flatten(("code", "sheet", "row", "column", "message"))
    assert report.warnings == [], report.flatten(("code", "sheet", "row", "column", "message"))
    stats = {name: (s.accepted, s.quarantined) for name, s in report.stats.items()}
    assert stats == {"school": (1, 0), "staff": (12, 0), "reviews": (11, 0), "objectives": (22, 0)}
    assert all(s.balanced for s in report.stats.values())


@pytest.mark.parametrize("kind", KINDS)
def test_values_are_read_as_the_export_meant_them(exports, kind):
    data, _ = load_school(exports[kind])
    staff = data.staff.set_index("name")
    for p in PEOPLE:
        row = staff.loc[f"{p.forename} {p.surname}"]
        assert row["ethnicity"] == p.ethnicity, (kind, p.code)
        assert row["sex"] == p.sex
        assert row["role_group"] == p.role
        assert row["responsibility"] == p.responsibility
        assert row["pay_range"] == p.pay
        assert row["contract_type"] == p.contract
        assert row["fte"] == pytest.approx(p.fte)
        assert row["contract_start"] == dt.datetime.combine(p.start, dt.time())
        assert bool(row["qts"]) is p.qts and bool(row["induction"]) is p.ect
    head = data.reviews[data.reviews["staff_id"] == staff.loc[f"{HEAD.forename} {HEAD.surname}", "staff_id"]]
    assert head["reviewer_id"].tolist() == ["GOV"]  # blank, "Governing Body" or "Chair of Governors": the governing body


def test_sims_export_says_which_id_column_it_read_and_what_it_set_aside(exports):
    report = validate_path(exports["sims"])
    assert report.flatten(("code", "sheet", "row", "column")) == [
        ["column_choice", "Staff Details", 4, "A"],  # Staff Code read, Payroll No not: root causes first
        ["columns_joined", "Staff Details", 4, "C"],
        ["not_data_row", "Staff Details", 18, None],  # "Total: 12 staff"
        ["head_reviewer_blank", "Appraisals", 2, "C"],
    ]
    choice = report.sorted_issues()[0]
    assert "'Staff Code' (column A) was read and 'Payroll No' (column D) was not" in choice.message
    data, _ = load_school(exports["sims"])
    assert sorted(data.staff["staff_id"]) == sorted(p.code for p in PEOPLE)


def test_bromcom_header_on_row_40_is_found(exports):
    report = validate_path(exports["bromcom"])
    assert [i.code for i in report.infos] == ["columns_joined", "not_data_row"]
    assert report.infos[0].row == 40 and report.infos[1].row == 53


@pytest.mark.parametrize("kind", KINDS)
def test_report_runs_on_each_export(exports, kind, tmp_path):
    code, text = run(["report", str(exports[kind]), "--out", str(tmp_path / "out"), "--no-pdf", "--no-word-charts",
                      "--no-dashboard", "--as-of", "31/08/2026"])
    assert code == 0, text
    assert (tmp_path / "out" / "governors" / "report.json").is_file()
