"""A return that claims another school's URN (issue 18): never a silent replacement of that school's data.

School B's return is edited to say it is school A's, first dated 2030 (which, before this was
fixed, replaced A's 144 rows with B's and then made A's real returns look "older"), then dated in
the past. Neither replaces A's data without --replace; both are reported by file, and the
history keeps every version with what became of it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pytest
from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.union.cohort import make_cohort
from pmreport.union.ingest import ingest

runner = CliRunner()
CYCLE = "2024/25"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cohort") / "returns"
    make_cohort(4, out, cycles=1, first_year=2024, workers=1, seed=5)
    return out


def school_cell(path: Path, column: str):
    ws = openpyxl.load_workbook(path)["school"]
    return ws.cell(row=2, column=[c.value for c in ws[1]].index(column) + 1).value


def forge(source: Path, target: Path, urn: str, made_at: str) -> Path:
    """``source`` claiming to be school ``urn``'s return, made at ``made_at``."""
    wb = openpyxl.load_workbook(source)
    ws = wb["school"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("urn") + 1, value=urn)
    ws.cell(row=2, column=header.index("made_at") + 1, value=made_at)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def rows_of(db: Path, urn: str) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t} WHERE urn = ?", [urn]).fetchone()[0]
                for t in ("people", "schools", "compliance")}
    finally:
        con.close()


def test_a_return_claiming_another_schools_urn_does_not_replace_it(cohort, tmp_path):
    files = sorted(cohort.glob("*.xlsx"))
    victim, other = files[0], files[1]
    urn = str(school_cell(victim, "urn"))
    assert str(school_cell(other, "urn")) != urn
    db = tmp_path / "union.duckdb"
    first = ingest(cohort, db, workers=1)
    assert first.files_loaded == 4
    held = rows_of(db, urn)
    victim_people = len(openpyxl.load_workbook(victim)["people"]["A"]) - 1
    assert held["people"] == victim_people and held["schools"] == 1  # figures from the file itself

    # 1. dated 2030: refused as made in the future, whatever --replace says
    future = forge(other, tmp_path / "future" / "forged.xlsx", urn, "2030-01-01T00:00:00Z")
    for replace in (False, True):
        summary = ingest(future.parent, db, workers=1, **({"replace": True} if replace else {}))
        assert summary.files_loaded == 0 and summary.returns_replaced == 0 and summary.balanced
        assert summary.files_rejected == 1 and "in the future" in summary.rejections[0].reason
        assert rows_of(db, urn) == held

    # 2. dated in the past but after the one held: held back, with both files' fingerprints, sizes and rows
    forged = forge(other, tmp_path / "forged" / "forged.xlsx", urn, "2026-02-01T00:00:00Z")
    result = runner.invoke(app, ["union", "ingest", str(forged.parent), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    assert "held back (need --replace): 1" in text and "--replace" in text
    import hashlib

    for path in (victim, forged):
        assert hashlib.sha256(path.read_bytes()).hexdigest()[:12] in text
        assert f"{path.stat().st_size:,} bytes" in text
    assert rows_of(db, urn) == held

    # 3. the school's real return still loads afterwards (it was not made "older" by the forgery)
    con = duckdb.connect(str(db), read_only=True)
    history = con.execute("SELECT status, file FROM return_history WHERE urn = ? ORDER BY run_id, status",
                          [urn]).fetchall()
    current = con.execute("SELECT file FROM returns WHERE urn = ? AND status = 'current'", [urn]).fetchall()
    con.close()
    assert current == [(str(victim),)]
    assert [s for s, _ in history] == ["loaded", "refused", "refused", "held_back"]

    # 4. with --replace, after checking with the school: replaced, and reported with both versions
    done = ingest(forged.parent, db, workers=1, replace=True)
    assert done.files_loaded == 1 and done.returns_replaced == 1 and len(done.replacements) == 1
    r = done.replacements[0]
    assert (r.old.file, r.new.file) == (str(victim), str(forged))
    assert (r.old.size, r.new.size) == (victim.stat().st_size, forged.stat().st_size)
    assert rows_of(db, urn)["people"] == len(openpyxl.load_workbook(forged)["people"]["A"]) - 1
    con = duckdb.connect(str(db), read_only=True)
    statuses = con.execute("SELECT status FROM return_history WHERE urn = ? ORDER BY seen_at", [urn]).fetchall()
    con.close()
    assert sorted(s for (s,) in statuses[-2:]) == ["loaded", "replaced"]


def test_two_different_returns_for_one_school_in_one_run_are_both_held_back(cohort, tmp_path):
    files = sorted(cohort.glob("*.xlsx"))
    urn = str(school_cell(files[0], "urn"))
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "real.xlsx").write_bytes(files[0].read_bytes())
    forge(files[1], folder / "forged.xlsx", urn, "2026-02-01T00:00:00Z")
    db = tmp_path / "u.duckdb"
    summary = ingest(folder, db, workers=1)
    assert summary.files_loaded == 0 and summary.files_held_back == 2 and summary.balanced
    assert rows_of(db, urn) == {"people": 0, "schools": 0, "compliance": 0}
