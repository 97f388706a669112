"""File-system failures (issue 18) are plain messages with exit 2, and leave nothing half-written or empty.

Read-only folders and a full disk are simulated (the tests may run as an administrator, who can
write anywhere): the operating system's own error is raised where pmreport writes.
"""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pmreport.cli import app

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parent.parent / "pmreport" / "sample_data" / "primary.xlsx"


@pytest.fixture
def workbook(tmp_path) -> Path:
    path = tmp_path / "school.xlsx"
    path.write_bytes(SAMPLE.read_bytes())
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plain(result, code: int, *fragments: str) -> None:
    text = " ".join(result.output.split())
    assert result.exit_code == code, result.output[-2000:]
    assert "Traceback" not in text and "unexpected problem" not in text and "To fix it:" in text
    for f in fragments:
        assert f in text, text


def test_report_out_is_the_input_workbook(workbook):
    before = digest(workbook)
    result = runner.invoke(app, ["report", str(workbook), "--out", str(workbook), "--no-pdf"])
    plain(result, 2, "is a file, not a folder", "never your input workbook")
    assert digest(workbook) == before and sorted(p.name for p in workbook.parent.iterdir()) == ["school.xlsx"]


@pytest.mark.parametrize(("err", "words"), [(errno.EACCES, "not allowed to write there"),
                                            (errno.EROFS, "the disk is read-only"),
                                            (errno.ENOSPC, "the disk is full")])
def test_a_failed_write_is_plain_and_leaves_nothing_behind(workbook, tmp_path, monkeypatch, err, words):
    import pmreport.safe_output as so

    real = os.replace

    def failing(src, dst, *a, **k):
        if str(dst).endswith("exceptions.xlsx"):
            raise OSError(err, os.strerror(err))
        return real(src, dst, *a, **k)

    monkeypatch.setattr(so.os, "replace", failing)
    target = tmp_path / "new" / "folder" / "exceptions.xlsx"
    result = runner.invoke(app, ["check", str(workbook), "--exceptions-out", str(target)])
    plain(result, 2, words, "Nothing was left half-written")
    assert not (tmp_path / "new").exists(), "an empty or half-written output was left"


def test_a_second_ingest_into_a_store_in_use_is_plain(tmp_path):
    db = tmp_path / "union.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        (tmp_path / "returns").mkdir()
        result = runner.invoke(app, ["union", "ingest", str(tmp_path / "returns"), "--db", str(db)])
        plain(result, 2, "is in use by another pmreport run")
    finally:
        holder.kill()
        holder.wait()
