"""The union commands through the real CLI (typer's CliRunner on pmreport.cli.app)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.synth import generate
from pmreport.union.keys import KEY_FILE_NAME

runner = CliRunner()


def test_export_return_command_uses_the_key_file_made_by_new_key(tmp_path):
    workbook = generate(phase="special", seed=4, n_staff=20, cycles=1).write_xlsx(tmp_path / "school.xlsx")
    (tmp_path / "keys").mkdir()
    key = tmp_path / "keys" / KEY_FILE_NAME
    made = runner.invoke(app, ["union", "new-key", str(key)])
    assert made.exit_code == 0, made.output
    assert "fingerprint" in made.output and "never send" in made.output.lower()
    result = runner.invoke(app, ["export-return", str(workbook), "--out", str(tmp_path / "return.xlsx"),
                                 "--school-key", str(key)])
    assert result.exit_code == 0, result.output
    assert KEY_FILE_NAME in result.output and "never send" in result.output.lower()
    assert not (tmp_path / KEY_FILE_NAME).exists() and (tmp_path / "return.xlsx").exists()
    again = runner.invoke(app, ["export-return", str(workbook), "--out", str(tmp_path / "return.xlsx"),
                                "--school-key", str(key)])
    assert again.exit_code == 2 and "already exists" in again.output
    bad = runner.invoke(app, ["export-return", str(workbook), "--out", str(tmp_path / "r.csv"), "--school-key", str(key)])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_union_commands_from_sample_cohort_to_report(tmp_path):
    cohort = tmp_path / "cohort"
    made = runner.invoke(app, ["union", "sample-cohort", "6", "--out", str(cohort), "--cycles", "1", "--workers", "1"])
    assert made.exit_code == 0, made.output
    truth = json.loads((cohort / "cohort.truth.json").read_text())
    assert truth["returns"] == 6 and truth["patterns"]["part_time_odds"] == 0.5
    (cohort / "broken.xlsx").write_bytes(b"PK not really")
    db = tmp_path / "union.duckdb"
    loaded = runner.invoke(app, ["union", "ingest", str(cohort), "--db", str(db), "--workers", "1"])
    assert loaded.exit_code == 1, loaded.output  # one return refused
    assert "loaded: 6" in loaded.output and "broken.xlsx" in loaded.output and "= loaded" in loaded.output
    again = runner.invoke(app, ["union", "ingest", str(cohort), "--db", str(db), "--workers", "1"])
    assert "already held: 6" in again.output
    parquet = runner.invoke(app, ["union", "export-parquet", "--db", str(db), "--out", str(tmp_path / "pq")])
    assert parquet.exit_code == 0, parquet.output
    assert (tmp_path / "pq" / "people").is_dir()
    report = runner.invoke(app, ["union", "report", "--db", str(db), "--out", str(tmp_path / "report"),
                                 "--school", "9900001"])
    assert report.exit_code == 0, report.output
    assert (tmp_path / "report" / "union-report.html").exists() and (tmp_path / "report" / "school-9900001.html").exists()
    missing = runner.invoke(app, ["union", "report", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "x")])
    assert missing.exit_code == 2 and "no union store" in missing.output
    unknown = runner.invoke(app, ["union", "report", "--db", str(db), "--out", str(tmp_path / "r2"), "--school", "123456"])
    assert unknown.exit_code == 2 and "no return from the school" in unknown.output
