"""EarlyStart (great-expectations checking in a second process while the work goes on) gives exactly
what checking first gives: the same data, issues, counts, report files and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pmreport.background import ONE_PROCESS, Background
from pmreport.cli import app
from pmreport.model import SchoolData
from pmreport.pipeline import EarlyStart, load_school

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
#: great-expectations finds something the earlier checks did not (the early data is not the data) ...
CHANGED = ["duplicate_review", "final_before_meeting", "missing_category"]
#: ... or nothing more (the early data stands)
UNCHANGED = ["fte_out_of_range", "unknown_reviewer"]
CHECKER = "pmreport.validation.gx_checks:warm_up"


def same(a: tuple[SchoolData, object], b: tuple[SchoolData, object]) -> bool:
    (da, ra), (db, rb) = a, b
    return (ra.issues == rb.issues and ra.stats == rb.stats and da.tables.keys() == db.tables.keys()  # type: ignore[attr-defined]
            and all(da.tables[t].equals(db.tables[t]) for t in da.tables)
            and da.quarantine.keys() == db.quarantine.keys()
            and all(da.quarantine[t].equals(db.quarantine[t]) for t in da.quarantine))


@pytest.mark.parametrize("name", CHANGED + UNCHANGED)
def test_settled_data_is_load_schools(name: str) -> None:
    path = SAMPLES / "invalid" / f"{name}.xlsx"
    first = load_school(path)
    with Background.ready(CHECKER) as checker, EarlyStart(path, checker=checker) as school:
        changed = school.settle() is not None
        assert changed == (name in CHANGED)
        assert school.settle() is None  # settled once
    assert same(first, (school.data, school.report))
    with EarlyStart(path) as school:  # no process made ahead: forked with the parsed rows
        school.settle()
    assert same(first, (school.data, school.report))


def test_then_does_the_work_again_only_when_the_data_changed() -> None:
    seen: list[int] = []

    def work(data: SchoolData) -> int:
        seen.append(len(data.tables["reviews"]))
        return seen[-1]

    path = SAMPLES / "invalid" / "duplicate_review.xlsx"
    with EarlyStart(path) as school:
        assert school.then(work) == len(load_school(path)[0].tables["reviews"])
    assert len(seen) == 2 and seen[0] > seen[1]  # the duplicates were set aside after the first go
    seen.clear()
    with EarlyStart(SAMPLES / "invalid" / "unknown_reviewer.xlsx") as school:
        school.then(work)
    assert len(seen) == 1


def test_an_error_on_the_early_data_only_counts_if_it_is_the_data() -> None:
    def fussy(data: SchoolData) -> str:
        if len(data.tables["reviews"]) != len(set(map(tuple, data.tables["reviews"][["staff_id", "cycle"]].to_numpy()))):
            raise ValueError("two reviews for one person")
        return "fine"

    with EarlyStart(SAMPLES / "invalid" / "duplicate_review.xlsx") as school:
        assert school.then(fussy) == "fine"  # the duplicates are set aside in the settled data

    def always(data: SchoolData) -> None:
        raise ValueError("always")

    with EarlyStart(SAMPLES / "invalid" / "unknown_reviewer.xlsx") as school, pytest.raises(ValueError, match="always"):
        school.then(always)


COMMANDS = {
    "report": lambda path, out: ["report", str(path), "--out", str(out), "--no-pdf"],
    "check": lambda path, out: ["check", str(path), "--json"],
    "validate": lambda path, out: ["validate", str(path), "--json"],
    "moderate": lambda path, out: ["moderate", str(path), "--out", str(out)],
    "dashboard": lambda path, out: ["dashboard", str(path), "--out", str(out / "dashboard.html")],
}


@pytest.mark.parametrize("name", ["invalid/final_before_meeting", "primary"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_commands_give_the_same_with_and_without_the_second_process(
        name: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = SAMPLES / f"{name}.xlsx"
    results = {}
    for mode in ("two", "one"):
        if mode == "one":
            monkeypatch.setenv(ONE_PROCESS, "1")
        out = tmp_path / mode
        out.mkdir()
        result = CliRunner().invoke(app, COMMANDS[command](path, out))
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
                 if p.is_file() and p.suffix in (".json", ".html")}
        results[mode] = (result.exit_code, result.output.replace(str(out), "OUT"), files)
    assert results["two"] == results["one"]
    assert results["one"][0] in (0, 1)
    assert command in ("check", "validate") or results["one"][2]
