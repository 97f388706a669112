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


@pytest.fixture
def workbook(minimal_workbook) -> Path:
    """A small valid school (three staff): what these tests check is how files are written, not what is in them."""
    return minimal_workbook


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


def test_union_report_on_a_store_in_use_is_plain(tmp_path):
    """Another program holds the store's lock while the union report opens it: exit 2, a plain message, nothing written."""
    db = tmp_path / "union.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "c.execute('CREATE TABLE people (a INTEGER)'); print('held', flush=True); time.sleep(60)",
                               str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = runner.invoke(app, ["union", "report", "--db", str(db), "--out", str(tmp_path / "out")])
        plain(result, 2, "is in use by another pmreport run", "Wait for the other run to finish")
        assert not (tmp_path / "out").exists()
    finally:
        holder.kill()
        holder.wait()


def _disk_full(monkeypatch, stage: str) -> None:
    """The disk fills up while the report writes the file of this stage."""
    import pathlib

    import pmreport.report.writer as writer
    import pmreport.safe_output as so

    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if stage == "html":
        real_text = pathlib.Path.write_text

        def write_text(self, *a, **k):
            if self.name == "governors_report.html":
                raise full
            return real_text(self, *a, **k)
        monkeypatch.setattr(pathlib.Path, "write_text", write_text)
    elif stage == "docx":
        def render_docx(*a, **k):
            raise full
        monkeypatch.setattr(writer, "render_docx", render_docx)
    else:  # the head's pack, written last, through safe_output's atomic rename
        real_replace = os.replace

        def replace(src, dst, *a, **k):
            if str(dst).endswith("head_pack.xlsx") and ".pmreport-staging-" in str(dst):
                raise full
            return real_replace(src, dst, *a, **k)
        monkeypatch.setattr(so.os, "replace", replace)


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): digest(p) if p.is_file() else "dir" for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("stage", ["html", "docx", "head pack"])
def test_a_full_disk_during_the_report_leaves_nothing_behind(workbook, tmp_path, monkeypatch, stage):
    _disk_full(monkeypatch, stage)
    out = tmp_path / "report"
    result = runner.invoke(app, ["report", str(workbook), "--out", str(out), "--no-pdf"])
    plain(result, 2, "the disk is full", "Nothing was left half-written")
    assert not out.exists(), tree(out)  # not even an empty folder


def test_a_full_disk_leaves_the_previous_report_as_it_was(workbook, tmp_path, monkeypatch):
    out = tmp_path / "report"
    first = runner.invoke(app, ["report", str(workbook), "--out", str(out), "--no-pdf"])
    assert first.exit_code == 0, first.output
    before = tree(out)
    assert "head_confidential/head_pack.xlsx" in before and "governors/governors_report.html" in before
    _disk_full(monkeypatch, "head pack")
    result = runner.invoke(app, ["report", str(workbook), "--out", str(out), "--no-pdf"])
    plain(result, 2, "the disk is full")
    assert tree(out) == before  # every earlier file unchanged, no staging folder left
