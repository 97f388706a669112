"""The union side's loading: idempotent, newer replaces older, bad returns refused by name, every row accounted for."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pmreport.union.cohort import make_cohort
from pmreport.union.ingest import export_parquet, ingest

CANARY = "Zebedee CANARYNAME Quux"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cohort")
    make_cohort(6, out / "returns", cycles=2, workers=1, seed=3)
    return out / "returns"


def _counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("people", "equality", "schools", "compliance")}
    finally:
        con.close()


def _edit(path: Path, target: Path, sheet: str, column: str, value, row: int = 2, made_at: str | None = None) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    ws.cell(row=row, column=header.index(column) + 1, value=value)
    if made_at:
        school = wb["school"]
        school.cell(row=2, column=[c.value for c in school[1]].index("made_at") + 1, value=made_at)
    wb.save(target)
    return target


def test_ingest_accounts_for_every_row_and_is_idempotent(cohort, tmp_path):
    db = tmp_path / "union.duckdb"
    first = ingest(cohort, db, workers=1, batch_size=5)  # three batches
    assert first.files_found == 12 and first.files_loaded == 12 and not first.rejections
    assert first.balanced and first.rows_read == first.rows_loaded > 0
    assert sum(_counts(db).values()) == first.rows_loaded
    again = ingest(cohort, db, workers=2)
    assert again.files_duplicate == 12 and again.files_loaded == 0 and again.rows_read == 0 and again.balanced
    assert sum(_counts(db).values()) == first.rows_loaded
    con = duckdb.connect(str(db), read_only=True)
    log = con.execute("SELECT run_id, files_loaded, files_duplicate, rows_read, rows_loaded, rows_rejected FROM ingest_log "
                      "ORDER BY run_id").fetchall()
    con.close()
    assert log == [(1, 12, 0, first.rows_read, first.rows_loaded, 0), (2, 0, 12, 0, 0, 0)]


def test_newer_return_replaces_older_and_older_is_superseded(cohort, tmp_path):
    db = tmp_path / "union.duckdb"
    ingest(cohort, db, workers=1)
    original = sorted(cohort.glob("*.xlsx"))[0]
    before = _counts(db)
    (tmp_path / "newer").mkdir()
    newer = _edit(original, tmp_path / "newer" / original.name, "people", "objectives", 6, made_at="2026-01-01T00:00:00Z")
    summary = ingest(newer.parent, db, workers=1, replace=True)
    assert summary.files_loaded == 1 and summary.returns_replaced == 1 and summary.balanced
    assert summary.rows_removed_by_replacement == summary.rows_loaded
    assert _counts(db) == before
    con = duckdb.connect(str(db), read_only=True)
    statuses = dict(con.execute("SELECT status, count(*) FROM returns GROUP BY status").fetchall())
    objectives = con.execute("SELECT objectives FROM people p JOIN returns r USING (return_id) "
                             "WHERE r.file = ?", [str(newer)]).fetchall()
    con.close()
    assert statuses == {"current": 12, "replaced": 1}
    assert (6,) in objectives
    # the older file again: already held, counted once
    assert ingest(original, db, workers=1).files_duplicate == 1
    # a different return made before the one held: refused as superseded, store unchanged
    (tmp_path / "older").mkdir()
    older = _edit(original, tmp_path / "older" / original.name, "people", "objectives", 5, made_at="2020-01-01T00:00:00Z")
    late = ingest(older.parent, db, workers=1)
    assert late.files_loaded == 0 and late.files_superseded == 1 and late.balanced
    assert late.rows_rejected == late.rows_read > 0
    assert "newer return" in late.rejections[0].reason
    assert _counts(db) == before


def test_corrupt_and_invalid_returns_are_reported_and_skipped(cohort, tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(cohort, folder)
    files = sorted(folder.glob("*.xlsx"))
    (folder / "garbage.xlsx").write_bytes(b"this is not a workbook")
    wb = openpyxl.load_workbook(files[0])
    del wb["people"]
    wb.save(folder / "no-people.xlsx")
    files[0].unlink()
    _edit(files[1], files[1], "people", "responsibility", CANARY)  # a name where a code belongs
    _edit(files[2], files[2], "people", "objectives", "lots")  # text where a number belongs
    summary = ingest(folder, tmp_path / "u.duckdb", workers=1)
    reasons = {Path(r.file).name: r.reason for r in summary.rejections}
    assert set(reasons) == {"garbage.xlsx", "no-people.xlsx", files[1].name, files[2].name}
    assert "not a readable .xlsx" in reasons["garbage.xlsx"]
    assert "no 'people' sheet" in reasons["no-people.xlsx"]
    assert "responsibility is not an allowed value" in reasons[files[1].name]
    assert "objectives is not a number" in reasons[files[2].name]
    assert not any("CANARY" in r for r in reasons.values())
    assert summary.files_loaded == 12 - 3
    assert summary.balanced and summary.rows_rejected > 0
    con = duckdb.connect(str(tmp_path / "u.duckdb"), read_only=True)
    stored = con.execute("SELECT file, reason FROM ingest_rejections").fetchall()
    con.close()
    assert {Path(f).name for f, _ in stored} == set(reasons)


def test_a_return_that_is_not_k_anonymous_is_refused(cohort, tmp_path):
    (tmp_path / "edited").mkdir()
    source = sorted(cohort.glob("*.xlsx"))[3]
    wb = openpyxl.load_workbook(source)
    ws = wb["people"]
    header = [c.value for c in ws[1]]
    for column, value in (("sex", "male"), ("age_band", "60_and_over"), ("fte_band", "part_time_under_half"),
                          ("role_group", "support"), ("ethnicity_group", "chinese")):
        ws.cell(row=2, column=header.index(column) + 1, value=value)
    wb.save(tmp_path / "edited" / source.name)
    summary = ingest(tmp_path / "edited", tmp_path / "u.duckdb", workers=1)
    assert summary.files_loaded == 0 and "not 5-anonymous" in summary.rejections[0].reason


def test_parquet_dataset_partitioned_by_cycle_and_local_authority(cohort, tmp_path):
    db = tmp_path / "u.duckdb"
    ingest(cohort, db, workers=1)
    counts = export_parquet(db, tmp_path / "pq")
    people = tmp_path / "pq" / "people"
    cycles = sorted(p.name for p in people.iterdir())
    assert cycles == ["cycle=2023%2F24", "cycle=2024%2F25"]
    assert all(p.name.startswith("local_authority=") for p in (people / cycles[0]).iterdir())
    con = duckdb.connect()
    back = con.execute(f"SELECT cycle, count(*) FROM read_parquet('{people}/**/*.parquet', hive_partitioning=true, "
                       "hive_types_autocast=false) GROUP BY cycle ORDER BY cycle").fetchall()
    assert [c for c, _ in back] == ["2023/24", "2024/25"] and sum(n for _, n in back) == counts["people"]
    with pytest.raises(Exception, match="not empty"):
        export_parquet(db, tmp_path / "pq")


def test_an_implausible_correction_is_described_before_and_after_the_choice(cohort, tmp_path):
    db = tmp_path / "union.duckdb"
    first = sorted(cohort.glob("*.xlsx"))[0]
    folder = tmp_path / "first"
    folder.mkdir()
    shutil.copy(first, folder / first.name)
    assert ingest(folder, db, workers=1).files_loaded == 1
    wb = openpyxl.load_workbook(first)
    people, equality = wb["people"], wb["equality"]
    header = [c.value for c in people[1]]
    decision = header.index("pay_decision") + 1
    for row in range(2, people.max_row + 1):  # every decision made "no progress": more likely a mistake
        if people.cell(row=row, column=decision).value == "progress":
            people.cell(row=row, column=decision, value="no_progress")
    eq_header = [c.value for c in equality[1]]
    for row in range(2, equality.max_row + 1):
        equality.cell(row=row, column=eq_header.index("progressed") + 1, value=0)
    school = wb["school"]
    made = school.cell(row=2, column=[c.value for c in school[1]].index("made_at") + 1)
    made.value = made.value.replace("-15T", "-16T")  # a day after the return held
    fix = tmp_path / "fix"
    fix.mkdir()
    wb.save(fix / "correction.xlsx")
    held = ingest(fix, db, workers=1)
    assert held.files_held_back == 1
    reason = held.rejections[0].reason if held.rejections else ""
    assert "Check it is a correction and not a mistake" in reason and "pay progression" in reason and "-> 0%" in reason
    loaded = ingest(fix, db, workers=1, replace=True)
    assert loaded.returns_replaced == 1
    assert "pay progression" in loaded.replacements[0].describe() and "-> 0%" in loaded.replacements[0].describe()
