"""The school side of union returns: pseudonyms, k-anonymity, and nothing identifying in the file."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from pmreport.compliance import RULES, run_checks
from pmreport.errors import PmreportError
from pmreport.synth import Effects, generate
from pmreport.union.anonymise import k_anonymise, smallest_group
from pmreport.union.export_return import export_return, return_from_school, write_return
from pmreport.union.keys import KEY_FILE_NAME, SchoolKey, new_key_file, school_key
from pmreport.union.person_rows import person_rows
from pmreport.union.return_schema import NOT_SHOWN, return_format

MADE_AT = "2026-01-15T12:00:00Z"
QIS = [q.field for q in return_format().quasi_identifiers]


def key(text: str) -> SchoolKey:
    return SchoolKey(text.encode(), "given")


@pytest.fixture(scope="module")
def school():
    return generate(phase="primary", seed=11, cycles=2, canaries=True)


def test_pseudonyms_stable_across_years_with_the_same_key(school):
    first, second = school.data.cycles
    a = return_from_school(school.data, first, key("the-same-key-0123456789"), made_at=MADE_AT).people
    b = return_from_school(school.data, second, key("the-same-key-0123456789"), made_at=MADE_AT).people
    staff = school.data.staff
    both = set(staff.loc[staff["cycle"] == first, "staff_id"]) & set(staff.loc[staff["cycle"] == second, "staff_id"])
    assert len(both) >= 10
    shared = set(a["person"]) & set(b["person"])
    assert len(shared) == len(both)  # everyone employed in both years has one code in both returns


def test_pseudonyms_differ_with_another_key(school):
    cycle = school.data.cycles[-1]
    a = return_from_school(school.data, cycle, key("the-first-key-0123456789"), made_at=MADE_AT).people
    b = return_from_school(school.data, cycle, key("another-key-9876543210xx"), made_at=MADE_AT).people
    assert len(a) == len(b)
    assert not set(a["person"]) & set(b["person"])
    assert all(re.fullmatch(r"[0-9a-f]{24}", p) for p in a["person"])


@pytest.mark.parametrize(("phase", "seed", "n_staff", "k"), [
    ("primary", 1, None, 5), ("secondary", 2, None, 5), ("special", 6, None, 10), ("primary", 4, 12, 3),
])
def test_k_anonymity_holds(phase, seed, n_staff, k):
    s = generate(phase=phase, seed=seed, n_staff=n_staff, cycles=1, effects=Effects.all_breaches(0.05))
    cycle = s.data.cycles[-1]
    full = person_rows(s.data, cycle, run_checks(s.data, cycle), key("k-anon-test-key-000000").pseudonym)
    anon = k_anonymise(full, k)
    assert anon.achieved and len(anon.frame) == len(full)
    assert smallest_group(anon.frame, QIS) >= k
    # what is reported as changed is exactly what changed
    merged = full.set_index("person")[QIS].join(anon.frame.set_index("person")[QIS], rsuffix="_out")
    changed = sum(int((merged[q] != merged[f"{q}_out"]).sum()) for q in QIS)
    hidden = sum(int(((merged[f"{q}_out"] == NOT_SHOWN) & (merged[q] != NOT_SHOWN)).sum()) for q in QIS)
    assert anon.values_suppressed == hidden
    assert anon.values_generalised == changed - hidden
    # outcomes are never touched
    outcomes = [c for c in full.columns if c not in QIS]
    pd.testing.assert_frame_equal(full.set_index("person")[outcomes[1:]].sort_index(),
                                  anon.frame.set_index("person")[outcomes[1:]].sort_index())


def test_too_few_staff_for_k_gives_no_people_rows():
    s = generate(phase="primary", seed=9, n_staff=8, cycles=1)
    ret = return_from_school(s.data, None, key("tiny-school-key-0000000"), k=10, made_at=MADE_AT)
    assert ret.people.empty and not ret.anonymity.achieved
    assert int(ret.school.at[0, "people_rows"]) == 0 and int(ret.school.at[0, "staff"]) == 8


def _all_cells(path) -> list[tuple[str, str, object]]:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return [(ws.title, cell.coordinate, cell.value) for ws in wb.worksheets for row in ws.iter_rows() for cell in row
            if cell.value is not None]


@pytest.fixture(scope="module")
def exported(tmp_path_factory, school):
    folder = tmp_path_factory.mktemp("export")
    workbook = school.write_xlsx(folder / "school.xlsx")
    keys = tmp_path_factory.mktemp("keys")
    new_key_file(keys / KEY_FILE_NAME)
    return workbook, export_return(workbook, folder / "return.xlsx", school_key_file=keys / KEY_FILE_NAME,
                                   made_at=MADE_AT)


def test_canary_no_names_ids_free_text_or_dates_in_the_return(school, exported):
    _, result = exported
    cells = _all_cells(result.path)
    text = "\n".join(str(v) for _, _, v in cells)
    for canary in school.truth["canaries"]:
        assert canary["value"] not in text
    assert "CANARY" not in text.upper()
    names = {str(n) for n in school.data.staff["name"].dropna()}
    ids = {str(i) for i in school.data.staff["staff_id"].dropna()}
    values = {str(v) for _, _, v in cells}
    assert not names & values and not ids & values
    for name in names:
        assert name not in text
    assert not any(isinstance(v, dt.datetime | dt.date) for _, _, v in cells)
    dated = [(s, c, v) for s, c, v in cells if re.search(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}", str(v))]
    assert {s for s, _, _ in dated} <= {"school", "About this return"}  # only when the return was made
    people = pd.read_excel(result.path, sheet_name="people", engine="calamine", dtype=str)
    assert set(people.columns) == {f.name for f in return_format().people.fields}
    assert people["meeting_month"].dropna().str.fullmatch(r"\d{4}-\d{2}").all()


def test_key_file_reused_and_nothing_written_beside_the_workbook(tmp_path, school, exported):
    workbook, first = exported
    assert KEY_FILE_NAME not in {p.name for p in workbook.parent.iterdir()}
    assert first.key.path.stat().st_mode & 0o077 == 0
    given = school_key(str(first.key.path))
    assert given.source == "file" and given.secret == first.key.secret
    ret = return_from_school(school.data, first.cycle, given, made_at=MADE_AT)
    assert list(ret.people["person"]) == list(first.ret.people["person"])
    write_return(ret, tmp_path / "again.xlsx")
    assert (tmp_path / "again.xlsx").read_bytes() == first.path.read_bytes()  # same data and key: same bytes
    with pytest.raises(PmreportError):
        school_key("short")


def test_return_sheets_follow_the_schema(tmp_path, school):
    ret = return_from_school(school.data, None, key("schema-key-000000000000"), made_at=MADE_AT)
    path = write_return(ret, tmp_path / "r.xlsx")
    sheets = pd.read_excel(path, sheet_name=None, engine="calamine")
    assert list(sheets) == ["About this return", "people", "equality", "school", "compliance"]
    fmt = return_format()
    for name in ("people", "equality", "school", "compliance"):
        assert list(sheets[name].columns) == fmt.sheets[name].names
    assert len(sheets["compliance"]) == len(RULES)  # one row per rule of the policy
    about = " ".join(str(v) for v in sheets["About this return"].fillna("").to_numpy().ravel())
    assert "k = 5" in about and "never sent" in about


def test_people_rows_agree_with_the_school_records(school):
    cycle = school.data.cycles[-1]
    result = run_checks(school.data, cycle)
    people = person_rows(school.data, cycle, result, key("agree-key-0000000000000").pseudonym)
    d = school.data
    assert len(people) == len(d.staff_in(cycle))
    assert people["objectives"].sum() == int((d.objectives["cycle"] == cycle).sum())
    obs = d.observations[(d.observations["cycle"] == cycle) & d.observations["purpose"].isin(["performance_management",
                                                                                                "additional"])]
    assert people["pm_observation_minutes"].sum() == int(obs["duration_minutes"].sum())
    summary = result.summary.set_index("rule")
    for rule in ("coverage", "deadline", "notice", "teacher_reviews_support", "mid_year"):  # one unit per person
        counts = people[f"rule_{rule}"].value_counts()
        for outcome in ("met", "breached", "not_recorded"):
            assert int(counts.get(outcome, 0)) == int(summary.at[rule, outcome]), (rule, outcome)
    flagged = people["reviewed_by_teacher"] == "yes"
    assert flagged.sum() == int(summary.at["teacher_reviews_support", "breached"])


def test_realistic_cohort_returns_load_cleanly(tmp_path):
    from pmreport.union.cohort import make_cohort
    from pmreport.union.ingest import ingest

    cohort = make_cohort(2, tmp_path / "returns", cycles=1, realistic=True, workers=1, seed=2)
    summary = ingest(tmp_path / "returns", tmp_path / "u.duckdb", workers=1)
    assert len(cohort.files) == 2 and summary.files_loaded == 2 and not summary.rejections and summary.balanced


def test_a_school_sheet_without_urn_phase_or_local_authority_gets_one_plain_refusal(tmp_path, exported):
    """The union return needs the school's URN, phase and local authority (the school's own analyses do not): a
    school sheet typed without them is refused once, naming what to fill in, and nothing is written."""
    from pmreport.errors import DataInvalid
    from tests.support.mutations import with_school_details

    one_cycle = generate(phase="primary", seed=11, n_staff=10, cycles=1)
    workbook = one_cycle.write_xlsx(tmp_path / "school.xlsx")
    cycle = one_cycle.data.cycles[-1]
    start = int(cycle[:4])
    path = with_school_details(workbook, tmp_path / "details.xlsx",
                               [("Academic Year", cycle), ("Cycle Start Date", f"01/09/{start}"),
                                ("Cycle End Date", f"31/08/{start + 1}"), ("School", "Oakfield Primary")])
    with pytest.raises(DataInvalid) as info:
        export_return(path, tmp_path / "return.xlsx", school_key_file=exported[1].key.path, made_at=MADE_AT)
    assert info.value.message.startswith("The union return needs the school's URN, phase and local authority")
    assert "Fill in 'URN', 'Phase' and 'Local authority'" in info.value.fix
    assert not (tmp_path / "return.xlsx").exists()

