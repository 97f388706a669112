"""The union report never fails on valid returns (issue 23, item 1).

Returns are made exactly as ``pmreport export-return`` makes them (the same library calls) from every
bundled sample, and drawn in the return's codes for invented schools of each phase and of very
different sizes (one too small to send any rows about people). They are loaded once; each
combination is a copy of that store keeping some schools' returns, and ``union report`` must write
its report for every combination.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.pipeline import load_school
from pmreport.union.analysis.union_report import report_from_store
from pmreport.union.cohort import Patterns, made_at, quick_people
from pmreport.union.export_return import build_return, return_from_school, write_return
from pmreport.union.ingest import ingest
from pmreport.union.keys import SchoolKey

SAMPLES = Path(__file__).resolve().parents[2] / "pmreport" / "sample_data"
#: (sample, cycle): the latest cycle of each sample, and an earlier one of the messy secondary (same school as
#: the tidy secondary, so the store holds that school in two cycles).
SAMPLE_RETURNS = (("primary", "2025/26"), ("secondary", "2025/26"), ("secondary_messy", "2024/25"))
#: (phase, staff): invented schools; 3 staff is fewer than k, so that return has no rows about people.
GENERATED = (("primary", 3), ("primary", 14), ("secondary", 150), ("special", 9), ("special", 60), ("secondary", 40))
CYCLES = ("2024/25", "2025/26")


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    """Every return loaded into one store; the store and the schools' (urn, cycle) pairs it holds."""
    out = tmp_path_factory.mktemp("valid-returns")
    folder = out / "returns"
    folder.mkdir()
    for i, (sample, cycle) in enumerate(SAMPLE_RETURNS):
        data, _ = load_school(SAMPLES / f"{sample}.xlsx")
        key = SchoolKey(f"test-key-for-{sample}-0123456789".encode(), "given")
        ret = return_from_school(data, cycle, key, None, f"2026-01-0{i + 1}T09:00:00Z")
        write_return(ret, folder / f"{sample}.xlsx")
    for i, (phase, staff) in enumerate(GENERATED):
        profile = {"index": 500 + i, "urn": f"97{i:05d}", "phase": phase, "n": staff, "effect": 0.0,
                   "local_authority": ("Kent", "Leeds", "Devon")[i % 3], "late": 0.1}
        for y, cycle in enumerate(CYCLES[i % 2:]):  # half the schools send two cycles, half the latest only
            people, compliance = quick_people(profile, cycle, y, 23, Patterns())
            school = {"urn": profile["urn"], "phase": phase, "local_authority": profile["local_authority"],
                      "cycle": cycle}
            ret = build_return(people, school, compliance, made_at=made_at(cycle))
            write_return(ret, folder / f"generated-{phase}-{staff}-{cycle.replace('/', '-')}.xlsx")
    summary = ingest(folder, out / "all.duckdb", workers=1)
    assert summary.files_rejected == 0 and summary.files_loaded == len(list(folder.glob("*.xlsx")))
    con = duckdb.connect(str(out / "all.duckdb"), read_only=True)
    held = sorted(con.execute("SELECT DISTINCT urn FROM schools").fetchall())
    con.close()
    return out, [u for (u,) in held]


def _store_of(master_store: Path, urns: list[str], path: Path) -> Path:
    """A copy of the store keeping only the returns of ``urns`` (as if only those had been loaded)."""
    shutil.copy(master_store, path)
    con = duckdb.connect(str(path))
    con.execute("CREATE TEMP TABLE keep AS SELECT unnest(?::VARCHAR[]) AS urn", [urns])
    for table in ("people", "schools", "compliance", "returns"):
        con.execute(f"DELETE FROM {table} WHERE urn NOT IN (SELECT urn FROM keep)")
    con.close()
    return path


def _report(out: Path, urns: list[str], name: str) -> list[Path]:
    db = _store_of(out / "all.duckdb", urns, out / f"{name}.duckdb")
    result = report_from_store(db, out / name)
    page = (out / name / "union-report.html").read_text(encoding="utf-8")
    assert "<h1>" in page and "schools" in page
    return result.files


def test_the_bundled_samples_together_give_a_report(master):
    """The failure reported in the issue: the primary's and the secondary's returns in one store."""
    out, urns = master
    db = _store_of(out / "all.duckdb", [u for u in urns if not u.startswith("97")], out / "samples.duckdb")
    result = CliRunner().invoke(app, ["union", "report", "--db", str(db), "--out", str(out / "samples")])
    assert result.exit_code == 0, result.output
    assert "not among its categories" not in result.output and "Wrote the union report" in result.output
    assert (out / "samples" / "union-report.html").exists()


def test_every_return_together_gives_a_report(master):
    out, urns = master
    assert len(urns) == 2 + len(GENERATED)
    files = _report(out, urns, "everything")
    assert any(f.name == "union-report.html" for f in files)


@settings(max_examples=6, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choice=st.data())
def test_any_combination_of_valid_returns_gives_a_report(master, choice):
    out, urns = master
    chosen = choice.draw(st.lists(st.sampled_from(urns), min_size=1, max_size=4, unique=True))
    _report(out, sorted(chosen), "combination-" + "-".join(sorted(chosen)))
