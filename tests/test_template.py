"""The blank workbook: generated from the schemas, usable in Excel, and valid once filled in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pmreport.errors import InputUnusable
from pmreport.schema import Field, load_schemas, sensitivity_classes
from pmreport.template import (
    DATE_FORMAT,
    FIXED_TIME,
    INSTRUCTIONS_SHEET,
    LAST_ROW,
    sheet_heading,
    template_bytes,
    write_template,
)

SCHEMAS = load_schemas()
FIELDS = [(sheet, f) for sheet, sch in SCHEMAS.items() for f in sch.fields]


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "blank.xlsx")


@pytest.fixture(scope="module")
def workbook(template_path: Path):
    return load_workbook(template_path)


def _checks_by_column(ws: Worksheet) -> dict[int, object]:
    """Each column's data validation, keyed by column number."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for cells in dv.sqref.ranges:
            assert (cells.min_row, cells.max_row) == (2, LAST_ROW), "checks cover the whole column below the header"
            assert cells.min_col == cells.max_col
            assert cells.min_col not in out, "one check per column"
            out[cells.min_col] = dv
    return out


def test_sheets_are_instructions_then_every_schema_sheet(workbook) -> None:
    assert workbook.sheetnames == [INSTRUCTIONS_SHEET, *SCHEMAS]


@pytest.mark.parametrize("sheet", list(SCHEMAS))
def test_header_row_is_every_field_in_schema_order(workbook, sheet: str) -> None:
    ws = workbook[sheet]
    header = [cell.value for cell in ws[1]]
    assert header == [f.title for f in SCHEMAS[sheet].fields]
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 1, "the template has no data rows"
    for cell, f in zip(ws[1], SCHEMAS[sheet].fields, strict=True):
        assert cell.font.b, f"{sheet}.{f.name} heading is bold"
        assert cell.comment is not None and f.description in cell.comment.text
        assert f"Column name for pmreport: {f.name}" in cell.comment.text


@pytest.mark.parametrize("sheet", list(SCHEMAS))
def test_headings_are_words_that_mean_one_column(sheet: str) -> None:
    """A person reads the heading; pmreport reads it back as exactly one field."""
    from pmreport.schema import header_key

    fields = SCHEMAS[sheet].fields
    for f in fields:
        assert f.heading, f"{sheet}.{f.name} has a heading in words"
        assert "_" not in f.heading and f.heading[0].isupper(), f.heading
        others = [g.name for g in fields if g is not f and header_key(f.heading) in g.header_keys]
        assert others == [], f"{sheet}: the heading {f.heading!r} could also mean {others}"
    assert len({header_key(f.heading) for f in fields}) == len(fields)


@pytest.mark.parametrize("sheet", list(SCHEMAS))
def test_every_sheet_prints_on_a4_fitted_to_the_width(workbook, sheet: str) -> None:
    for ws in (workbook[sheet], workbook[INSTRUCTIONS_SHEET]):
        assert int(ws.page_setup.paperSize) == 9, "A4"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), "one page wide, as many down as needed"


@pytest.mark.parametrize("sheet", list(SCHEMAS))
def test_required_columns_look_different(workbook, sheet: str) -> None:
    fills: dict[bool, set[str]] = {True: set(), False: set()}
    for cell, f in zip(workbook[sheet][1], SCHEMAS[sheet].fields, strict=True):
        fills[f.required].add(cell.fill.fgColor.rgb)
    assert len(fills[True]) == 1, "every required heading has the same colour"
    assert len(fills[False]) <= 1 and not fills[True] & fills[False], "optional headings have another colour"


def _expected_check(f: Field) -> tuple | None:
    if f.type == "code":
        return ("list", '"' + ",".join(f.codes) + '"', None)
    if f.type == "boolean":
        return ("list", '"Y,N"', None)
    if f.type == "date":
        return ("date", "32874", "73415")  # 1/1/1990 and 31/12/2100 as Excel serial numbers
    if f.type in ("integer", "number") and f.minimum is not None and f.maximum is not None:
        return ("whole" if f.type == "integer" else "decimal", f"{f.minimum:g}", f"{f.maximum:g}")
    return None


@pytest.mark.parametrize("sheet", list(SCHEMAS))
def test_every_column_has_the_schema_check(workbook, sheet: str) -> None:
    checks = _checks_by_column(workbook[sheet])
    for col, f in enumerate(SCHEMAS[sheet].fields, start=1):
        dv = checks.get(col)
        found = None if dv is None else (dv.type, dv.formula1, dv.formula2)
        assert found == _expected_check(f), f"{sheet}.{f.name}"


def test_drop_downs_list_exactly_the_schema_codes(workbook) -> None:
    for sheet, f in FIELDS:
        if f.type != "code":
            continue
        col = SCHEMAS[sheet].names.index(f.name) + 1
        dv = _checks_by_column(workbook[sheet])[col]
        assert dv.formula1.strip('"').split(",") == list(f.codes), f"{sheet}.{f.name}"


@pytest.mark.parametrize(("sheet", "f"), FIELDS, ids=[f"{s}.{f.name}" for s, f in FIELDS])
def test_column_formats(workbook, sheet: str, f: Field) -> None:
    letter = get_column_letter(SCHEMAS[sheet].names.index(f.name) + 1)
    column = workbook[sheet].column_dimensions[letter]
    expected = {"id": "@", "cycle": "@", "date": DATE_FORMAT}.get(f.type)
    if expected:
        assert column.number_format == expected
    assert column.width >= len(f.name)


def _instruction_sections(ws: Worksheet) -> dict[str, list[str]]:
    """Column A of the Instructions sheet, split into the sections headed by sheet_heading()."""
    headings = {sheet_heading(sch): sheet for sheet, sch in SCHEMAS.items()}
    sections: dict[str, list[str]] = {}
    current = None
    for (value,) in ws.iter_rows(min_col=1, max_col=1, values_only=True):
        if value in headings:
            current = headings[value]
            sections[current] = []
        elif current is not None and value is not None:
            sections[current].append(value)
    return sections


def test_instructions_describe_every_sheet_and_field_in_order(workbook) -> None:
    sections = _instruction_sections(workbook[INSTRUCTIONS_SHEET])
    assert list(sections) == list(SCHEMAS)
    for sheet, sch in SCHEMAS.items():
        wanted = [f"{f.title} ({f.name})" for f in sch.fields]
        names = [v for v in sections[sheet] if v in wanted]
        assert names == wanted, sheet
        assert sch.description in sections[sheet]


def test_instructions_explain_dates_codes_and_who_sees_what(workbook) -> None:
    ws = workbook[INSTRUCTIONS_SHEET]
    text = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    for phrase in ("31/10/2025", "Y or N", "dark blue heading", "drop-down", "pmreport validate", "governors"):
        assert phrase in text
    for sheet, f in FIELDS:
        if f.type == "code":
            assert ", ".join(f.codes) in text, f"{sheet}.{f.name} codes listed"
        if f.sensitivity in ("direct_identifier", "free_text"):
            assert sensitivity_classes()[f.sensitivity].template in text
    assert "Never shown to governors" in sensitivity_classes()["direct_identifier"].template


def test_output_is_deterministic(template_path: Path, workbook) -> None:
    assert template_bytes() == template_bytes() == template_path.read_bytes()
    assert workbook.properties.created == FIXED_TIME
    assert workbook.properties.modified == FIXED_TIME


def test_write_template_refuses_to_overwrite_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "mine.xlsx"
    target.write_bytes(b"precious")
    with pytest.raises(InputUnusable, match="already exists"):
        write_template(target, overwrite=False)
    assert target.read_bytes() == b"precious"
    write_template(target)
    assert target.read_bytes() == template_bytes()


@pytest.mark.parametrize(
    ("name", "message"),
    [("blank.csv", "does not end in .xlsx"), ("no-such-folder/blank.xlsx", "does not exist")],
)
def test_write_template_rejects_bad_paths(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(InputUnusable, match=message):
        write_template(tmp_path / name)


# --- the command -------------------------------------------------------------------------


def _run(*args: str):
    from typer.testing import CliRunner

    from pmreport.cli import app

    result = CliRunner().invoke(app, ["template", *args])
    return result, " ".join(result.output.split())


def test_cli_writes_the_template(tmp_path: Path) -> None:
    out = tmp_path / "school.xlsx"
    result, text = _run(str(out))
    assert result.exit_code == 0, text
    assert out.read_bytes() == template_bytes()
    assert "pmreport validate" in text


def test_cli_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "school.xlsx"
    out.write_bytes(b"precious")
    result, text = _run(str(out))
    assert result.exit_code == 2
    assert "already exists" in text and "--force" in text
    assert "Traceback" not in text
    assert out.read_bytes() == b"precious"
    result, text = _run(str(out), "--force")
    assert result.exit_code == 0, text
    assert out.read_bytes() == template_bytes()


@pytest.mark.parametrize("name", ["missing-folder/school.xlsx", "school.txt"])
def test_cli_bad_path_exits_2(tmp_path: Path, name: str) -> None:
    result, text = _run(str(tmp_path / name))
    assert result.exit_code == 2, text
    assert "Error:" in text and "fix it:" in text
    assert not (tmp_path / name).exists()


# --- a filled-in template validates clean ------------------------------------------------

D = date
SCHOOL_ROWS = [
    {
        "urn": "100123", "school_name": "Brookside Primary School", "phase": "primary", "local_authority": "Kent",
        "cycle": "2025/26", "cycle_start": D(2025, 9, 1), "cycle_end": D(2026, 8, 31),
        "teacher_deadline": D(2025, 10, 31), "head_deadline": D(2025, 12, 31), "support_cycle_end": D(2026, 7, 31),
        "reviewer_option": "line_managers", "max_reviewees": 6, "moderation_option": "all",
        "head_statement_qa": "chair", "observation_cap_hours": 3, "max_objectives": 3,
    }
]
CALENDAR_ROWS = [
    {"start_date": D(2025, 9, 1), "kind": "inset"},
    {"start_date": D(2025, 10, 27), "end_date": D(2025, 10, 31), "kind": "holiday"},
]
_STAFF_COMMON = {"cycle": "2025/26", "contract_type": "permanent", "induction": "N", "in_capability": "N"}
STAFF_ROWS = [
    {**_STAFF_COMMON, "staff_id": "00101", "name": "Alex Head", "role_group": "headteacher", "post": "Headteacher",
     "responsibility": "headteacher", "pay_range": "leadership", "pay_point": "L18", "fte": 1,
     "contract_start": D(2018, 9, 1), "years_experience": 20, "qts": "Y", "sex": "female", "ethnicity": "WBRI", "age": 51},
    {**_STAFF_COMMON, "staff_id": "00102", "name": "Sam Teacher", "role_group": "teacher", "post": "Class Teacher",
     "responsibility": "classroom_teacher", "pay_range": "main", "pay_point": "M4", "fte": 0.6,
     "contract_start": D(2021, 9, 1), "years_experience": 5, "qts": "Y", "line_manager_id": "00101",
     "sex": "male", "ethnicity": "APKN", "date_of_birth": D(1994, 3, 14), "disability": "N"},
    {**_STAFF_COMMON, "staff_id": "00103", "name": "Jo Leader", "role_group": "teacher", "post": "Maths Lead",
     "responsibility": "middle_leader", "pay_range": "upper", "pay_point": "U2", "fte": 1,
     "contract_start": D(2015, 1, 5), "years_experience": 12, "qts": "Y", "line_manager_id": "00101", "absence_days": 2},
    {**_STAFF_COMMON, "staff_id": "00104", "name": "Pat Assistant", "role_group": "support", "post": "Teaching Assistant",
     "responsibility": "support", "pay_range": "support", "pay_point": "SCP 5", "fte": 0.8,
     "contract_start": D(2022, 9, 1), "years_experience": 3, "qts": "N", "line_manager_id": "00103"},
]


def _review(staff_id: str, reviewer_id: str, eligible: bool) -> dict:
    return {
        "staff_id": staff_id, "cycle": "2025/26", "reviewer_id": reviewer_id,
        "notice_date": D(2025, 9, 22), "meeting_date": D(2025, 10, 1), "draft_statement_date": D(2025, 10, 6),
        "final_statement_date": D(2025, 10, 13), "mid_year_review_date": D(2026, 2, 10), "assessment": "met",
        "pay_eligible": "Y" if eligible else "N",
        "pay_recommendation": "progress" if eligible else "not_applicable",
        "pay_decision": "progress" if eligible else None,
        "moderated": "Y", "moderation_date": D(2025, 10, 10), "moderation_outcome": "consistent",
        "workload_concern_raised": "N", "notes": "Agreed at the meeting.",
    }


REVIEW_ROWS = [
    {**_review("00101", "GOV", eligible=True), "meeting_date": D(2025, 12, 1), "notice_date": D(2025, 11, 20),
     "draft_statement_date": D(2025, 12, 3), "final_statement_date": D(2025, 12, 10), "moderation_date": D(2025, 12, 9)},
    _review("00102", "00101", eligible=True),
    _review("00103", "00101", eligible=False),
    _review("00104", "00103", eligible=False),
]
OBJECTIVE_ROWS = [
    {"staff_id": staff_id, "cycle": "2025/26", "objective_no": n, "category": category, "linked_to_priority": "Y",
     "target_date": D(2026, 7, 17), "spans_cycles": "N", "agreed": "Y", "outcome": "met", "description": f"Objective {n}."}
    for staff_id in ("00101", "00102", "00103", "00104")
    for n, category in enumerate(("pupil_progress", "teaching_practice", "professional_development"), start=1)
]
OBSERVATION_ROWS = [
    {"staff_id": "00102", "cycle": "2025/26", "observation_date": D(2025, 11, 12), "duration_minutes": 60,
     "purpose": "performance_management", "observer_id": "00101", "notice_date": D(2025, 11, 3),
     "feedback_date": D(2025, 11, 13), "record_date": D(2025, 11, 14), "in_plan": "Y"},
    {"staff_id": "00103", "cycle": "2025/26", "observation_date": D(2026, 1, 20), "duration_minutes": 20,
     "purpose": "drop_in", "observer_id": "EXTERNAL", "feedback_date": D(2026, 1, 21), "in_plan": "N"},
]
DEVELOPMENT_ROWS = [
    {"staff_id": "00102", "cycle": "2025/26", "need_category": "send", "agreed_date": D(2025, 10, 1),
     "provided": "yes", "outside_school_hours": "N"},
    {"staff_id": "00104", "cycle": "2025/26", "need_category": "safeguarding", "agreed_date": D(2025, 10, 1),
     "provided": "no", "reason_not_provided": "cover", "outside_school_hours": "N"},
]
APPEAL_ROWS = [
    {"staff_id": "00103", "cycle": "2025/26", "lodged_date": D(2025, 10, 20), "stage": "informal",
     "subject": "objectives", "outcome": "withdrawn", "outcome_date": D(2025, 11, 3)},
]
FILLED = {
    "school": SCHOOL_ROWS, "calendar": CALENDAR_ROWS, "staff": STAFF_ROWS, "reviews": REVIEW_ROWS,
    "objectives": OBJECTIVE_ROWS, "observations": OBSERVATION_ROWS, "development": DEVELOPMENT_ROWS,
    "appeals": APPEAL_ROWS,
}


def _fill(ws: Worksheet, rows: list[dict]) -> None:
    by_heading = {cell.value: cell.column for cell in ws[1]}
    columns = {f.name: by_heading[f.title] for f in SCHEMAS[ws.title].fields}
    for r, row in enumerate(rows, start=2):
        for name, value in row.items():
            cell = ws.cell(row=r, column=columns[name], value=value)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT  # as Excel stores a date typed as 31/10/2025


def test_sample_rows_are_consistent() -> None:
    """The rows below are only a fair test if they agree with each other."""
    staff_ids = {row["staff_id"] for row in STAFF_ROWS}
    for sheet, rows in FILLED.items():
        for row in rows:
            assert set(row) <= set(SCHEMAS[sheet].names), sheet
            if "staff_id" in row and sheet != "staff":
                assert row["staff_id"] in staff_ids
    for row in REVIEW_ROWS:
        assert row["notice_date"] <= row["meeting_date"] <= row["draft_statement_date"] <= row["final_statement_date"]
        assert row["reviewer_id"] in staff_ids | {"GOV"}


def test_filled_template_validates_clean(tmp_path: Path) -> None:
    from pmreport import pipeline
    path = write_template(tmp_path / "school.xlsx")
    wb = load_workbook(path)
    for sheet, rows in FILLED.items():
        _fill(wb[sheet], rows)
    wb.save(path)
    report = pipeline.validate_path(path)
    assert report.errors == []


def _as_read(value: object) -> object:
    """What a typed value should be once read back: Y/N as True/False, dates as dates, numbers as floats."""
    if value in ("Y", "N"):
        return value == "Y"
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return value


def _read_value(value: object) -> object:
    import pandas as pd

    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if hasattr(value, "item"):  # numpy scalars
        return _read_value(value.item())
    return value


def test_filled_template_reads_back_exactly(tmp_path: Path) -> None:
    """Headings in words, read back: every value typed lands in its own field, unchanged."""
    from pmreport import pipeline

    path = write_template(tmp_path / "school.xlsx")
    wb = load_workbook(path)
    for sheet, rows in FILLED.items():
        _fill(wb[sheet], rows)
    wb.save(path)
    data, report = pipeline.load_school(path)
    assert report.errors == []
    for sheet, rows in FILLED.items():
        table = data.tables[sheet]
        assert len(table) == len(rows), sheet
        for i, row in enumerate(rows):
            for name, value in row.items():
                if value is None:
                    continue
                got = _read_value(table.iloc[i][name])
                assert got == _as_read(value), f"{sheet} row {i + 2} {name}: typed {value!r}, read {got!r}"
