"""Shared test helpers: tiny workbooks built in the test, from rows written in the test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from pmreport.samples import SAMPLE_DIR

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = SAMPLE_DIR

SCHOOL = [
    ["urn", "school_name", "phase", "local_authority", "cycle", "cycle_start", "cycle_end"],
    ["118234", "Oakfield Primary School", "primary", "Kent", "2025/26", dt.date(2025, 9, 1), dt.date(2026, 8, 31)],
]
STAFF_HEADER = ["staff_id", "name", "role_group", "post", "responsibility", "pay_range", "fte", "contract_type",
                "contract_start", "years_experience", "qts", "induction", "in_capability", "line_manager_id", "sex"]
STAFF = [
    STAFF_HEADER,
    ["000101", "Ada Example", "headteacher", "Headteacher", "headteacher", "leadership", 1, "permanent", dt.date(2015, 9, 1), 20, "Y", "N", "N", None, "female"],
    ["000102", "Ben Example", "teacher", "Class Teacher", "classroom_teacher", "main", 0.6, "permanent", dt.date(2019, 9, 1), 6, "Y", "N", "N", "000101", "male"],
    ["000103", "Cal Example", "support", "Teaching Assistant", "support", "support", 0.8, "permanent", dt.date(2020, 1, 6), 4, "N", "N", "N", "000101", "female"],
]
REVIEWS = [
    ["staff_id", "cycle", "reviewer_id", "notice_date", "meeting_date", "draft_statement_date", "final_statement_date", "assessment"],
    ["000101", "2025/26", "GOV", dt.date(2025, 11, 3), dt.date(2025, 11, 17), dt.date(2025, 11, 18), dt.date(2025, 11, 21), "met"],
    ["000102", "2025/26", "000101", dt.date(2025, 9, 15), dt.date(2025, 10, 1), dt.date(2025, 10, 3), dt.date(2025, 10, 8), "met"],
    ["000103", "2025/26", "000101", dt.date(2025, 9, 15), dt.date(2025, 10, 2), dt.date(2025, 10, 3), dt.date(2025, 10, 9), "partly_met"],
]
OBJECTIVES = [
    ["staff_id", "cycle", "objective_no", "category", "linked_to_priority", "target_date", "agreed", "description"],
    ["000102", "2025/26", 1, "pupil_progress", "Y", dt.date(2026, 7, 17), "Y", "Raise reading in Year 4"],
    ["000103", "2025/26", 1, "professional_development", "Y", dt.date(2026, 7, 17), "Y", "Complete phonics training"],
]


def build_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def minimal_sheets() -> dict[str, list[list]]:
    return {"school": [r[:] for r in SCHOOL], "staff": [r[:] for r in STAFF], "reviews": [r[:] for r in REVIEWS],
            "objectives": [r[:] for r in OBJECTIVES]}


@pytest.fixture
def minimal_workbook(tmp_path: Path, minimal_sheets) -> Path:
    return build_workbook(tmp_path / "school.xlsx", minimal_sheets)


@pytest.fixture(scope="session")
def secondary_published(tmp_path_factory) -> dict:
    """report.json's dictionary for the bundled secondary sample (salt "s", made on 15 January 2027), built
    once per test run: the summary, headline-card and print tests all read it."""
    from pmreport.jobs import governors_content
    from pmreport.pipeline import load_school
    from pmreport.report import publish
    from tests.support.shared_build import built_once

    def build() -> dict:
        data, _ = load_school(SAMPLES / "secondary.xlsx")
        return publish(governors_content(data, salt="s"), dt.date(2027, 1, 15))

    return built_once(tmp_path_factory, "secondary_published", build)
