"""``--json`` on the school's commands prints exactly the result of the library call that the
command makes (pmreport.jobs), and nothing else on standard output."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pmreport import jobs, pipeline, reading
from pmreport.cli import app
from pmreport.reading import RawWorkbook, read_input
from pmreport.samples import SAMPLE_DIR

PRIMARY = SAMPLE_DIR / "primary.xlsx"
FAULTY = SAMPLE_DIR / "invalid" / "impossible_date.xlsx"  # one impossible date: one row set aside
AS_OF = "15/01/2027"
AS_OF_DATE = dt.date(2027, 1, 15)


def _cli(*args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, json.loads(result.stdout)


def _same_but_folder(cli: Any, job: Any, cli_dir: Path, job_dir: Path) -> bool:
    return json.loads(json.dumps(cli).replace(str(cli_dir), str(job_dir))) == job


def test_check_json_is_the_job_result() -> None:
    code, printed = _cli("check", str(PRIMARY), "--json")
    done = jobs.check(PRIMARY)
    assert code == done.exit_code == 0
    assert printed == json.loads(done.to_json()) == done.to_dict()
    assert printed["cycle"] == "2025/26" and printed["rules"]


def test_moderate_json_is_the_job_result(tmp_path: Path) -> None:
    code, printed = _cli("moderate", str(FAULTY), "--out", str(tmp_path / "cli"), "--as-of", AS_OF, "--json")
    done = jobs.moderate(FAULTY, tmp_path / "job", as_of=AS_OF_DATE)
    assert code == done.exit_code == 1  # a row was set aside
    assert _same_but_folder(printed, done.to_dict(), tmp_path / "cli", tmp_path / "job")
    written = json.loads((tmp_path / "cli" / "moderation.json").read_text(encoding="utf-8"))
    assert printed["cycle"] == written["cycle"]
    assert printed["data"]["rows_set_aside"] == 1 and printed["data"]["errors"] == 1
    assert sorted(printed["files"]) == ["moderation.json", "moderation.xlsx"]


def test_report_and_dashboard_json_are_the_job_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = ("--no-pdf", "--no-word-charts", "--no-dashboard", "--as-of", AS_OF, "--json")
    code, printed = _cli("report", str(PRIMARY), "--out", str(tmp_path / "cli"), *options)
    reads: list[Path] = []

    def counted(path: str | Path) -> RawWorkbook:
        reads.append(Path(path))
        return read_input(path)

    for module in (reading, pipeline):  # wherever the report job could read the workbook from
        monkeypatch.setattr(module, "read_input", counted)
    done = jobs.build_report(PRIMARY, tmp_path / "job", pdf=False, images=False, dashboard=False, as_of=AS_OF_DATE)
    assert reads == [PRIMARY]  # read once: the commentary sheet and the data come from the same reading
    assert code == done.exit_code == 0
    assert _same_but_folder(printed, done.to_dict(), tmp_path / "cli", tmp_path / "job")
    assert Path(printed["governors"]["report.json"]).is_file()
    assert set(printed["confidential"]) == {"head_pack.xlsx", "published"}  # the pack, and what was published
    assert printed["version"] == 1
    assert printed["data"] == {"valid": True, "errors": 0, "warnings": printed["data"]["warnings"], "rows_set_aside": 0}

    report_json = printed["governors"]["report.json"]
    code, shown = _cli("dashboard", report_json, "--out", str(tmp_path / "cli.html"), "--json")
    board = jobs.dashboard(report_json, tmp_path / "job.html")
    assert code == 0 and shown["data"] is None
    assert shown["bytes"] == (tmp_path / "cli.html").stat().st_size == board.to_dict()["bytes"]


def test_export_return_json_is_the_job_result(tmp_path: Path) -> None:
    key = tmp_path / "keys" / "pmreport-union-key.txt"
    key.parent.mkdir()
    made = CliRunner().invoke(app, ["union", "new-key", str(key)])
    assert made.exit_code == 0 and key.is_file(), made.output
    code, printed = _cli("export-return", str(PRIMARY), "--out", str(tmp_path / "cli.xlsx"), "--school-key", str(key),
                         "--json")
    done = jobs.export_return(PRIMARY, tmp_path / "job.xlsx", school_key=key)
    assert code == 0
    assert _same_but_folder(printed, done.to_dict(), tmp_path / "cli.xlsx", tmp_path / "job.xlsx")
    assert printed["k"] == 5 and printed["key"]["source"] == "file" and printed["key"]["file"] == str(key)
    assert len(printed["key"]["fingerprint"].replace("-", "")) == 16 and key.read_text().strip() not in json.dumps(printed)


def test_template_and_sample_json_name_what_was_written(tmp_path: Path) -> None:
    code, made = _cli("template", str(tmp_path / "blank.xlsx"), "--json")
    assert code == 0 and made == {"command": "template", "file": str(tmp_path / "blank.xlsx")}
    assert (tmp_path / "blank.xlsx").is_file()
    code, sample = _cli("sample", str(tmp_path / "s.xlsx"), "--staff", "12", "--cycles", "2", "--json")
    truth = json.loads((tmp_path / "s.truth.json").read_text(encoding="utf-8"))
    assert code == 0 and sample["file"] == str(tmp_path / "s.xlsx") and sample["truth"] == str(tmp_path / "s.truth.json")
    assert (sample["staff"], len(sample["cycles"]), sample["planted"]) == (12, 2, 0)
    assert sample["cycles"] == truth["cycles"] and truth["n_staff"] == 12


def test_demo_json_is_the_job_result(tmp_path: Path) -> None:
    code, printed = _cli("demo", "--sample", "primary", "--out", str(tmp_path / "cli"), "--no-pdf", "--as-of", AS_OF,
                         "--json")
    done = jobs.demo("primary", tmp_path / "job", pdf=False, as_of=AS_OF_DATE)
    assert code == done.exit_code == 0
    assert _same_but_folder(printed, done.to_dict(), tmp_path / "cli", tmp_path / "job")
    assert set(printed["confidential"]) == {"head_pack.xlsx", "published", "exceptions.xlsx", "moderation.xlsx"}
    assert all(Path(p).is_file() for p in [*printed["governors"].values(), *printed["confidential"].values()])
    assert printed["sample"] == "primary.xlsx" and printed["audit"]["tables_checked"] > 0


def test_union_commands_json_are_the_job_results(tmp_path: Path) -> None:
    """new-key, sample-cohort, ingest and report: one JSON document each, as the job returns it."""
    (tmp_path / "keys").mkdir()
    code, key = _cli("union", "new-key", str(tmp_path / "keys" / "key.txt"), "--json")
    assert code == 0 and key["fingerprint"] and Path(key["file"]).is_file()
    other = jobs.union_new_key(tmp_path / "keys" / "other.txt").to_dict()
    assert set(other) == set(key) and other["fingerprint"] != key["fingerprint"]  # a new random key each time

    code, cohort = _cli("union", "sample-cohort", "6", "--out", str(tmp_path / "returns"), "--cycles", "1", "--json")
    made = jobs.union_sample_cohort(6, tmp_path / "job-returns", cycles=1)
    assert code == 0 and _same_but_folder(cohort, made.to_dict(), tmp_path / "returns", tmp_path / "job-returns")
    assert cohort["returns"] == 6

    code, loaded = _cli("union", "ingest", str(tmp_path / "returns"), "--db", str(tmp_path / "u.duckdb"), "--json")
    again = jobs.union_ingest(tmp_path / "returns", tmp_path / "u.duckdb")
    assert code == 0 and loaded["files"]["loaded"] == 6 and loaded["rows"]["balanced"]
    assert again.to_dict()["files"]["already_held"] == 6  # the same returns again: counted once

    code, report = _cli("union", "report", "--db", str(tmp_path / "u.duckdb"), "--out", str(tmp_path / "r"), "--json")
    assert code == 0
    assert report == jobs.union_report(tmp_path / "u.duckdb", tmp_path / "r").to_dict()
    assert all(Path(f).is_file() for f in report["files"])
