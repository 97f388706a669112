"""The school key under attack (issue 18): a wrong or missing --school-key path must never become the key.

An attacker who knows the staff references' format (here the synthetic school's ids) and guesses
the key from what was typed tries to turn each code of the return back into a staff reference.
Before this was fixed, a missing key file's path text was used as the key and every code was
reversed; now such a run stops with a message and writes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.synth import generate

KEY_FILE_NAME = "pmreport-union-key.txt"  # the name the documentation used to suggest

runner = CliRunner()


@pytest.fixture(scope="module")
def school():
    return generate(phase="primary", seed=21, n_staff=30, cycles=1)


@pytest.fixture
def workbook(tmp_path, school):
    folder = tmp_path / "school"
    folder.mkdir()
    path = school.write_xlsx(folder / "school.xlsx")
    (folder / "school.truth.json").unlink(missing_ok=True)  # only the workbook, as a school would have it
    return path


def reversed_codes(return_path, staff_ids, guesses) -> int:
    """How many people codes of the return an attacker turns back into staff references with the guessed keys."""
    people = pd.read_excel(return_path, sheet_name="people", engine="calamine", dtype=str)
    table = {hmac.new(g.encode(), str(s).strip().encode(), hashlib.sha256).hexdigest()[:24]: s
             for g in guesses for s in staff_ids}
    return sum(code in table for code in people["person"])


@pytest.mark.parametrize("given", [KEY_FILE_NAME, "keys/" + KEY_FILE_NAME, "the-school-secret-key-2026"])
def test_a_missing_key_path_is_refused_and_never_used_as_the_key(tmp_path, workbook, school, given, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the wrong folder: no key file here
    out = tmp_path / "return.xlsx"
    result = runner.invoke(app, ["export-return", str(workbook), "--out", str(out), "--school-key", given])
    ids = list(school.data.staff["staff_id"])
    guesses = [given, str(tmp_path / given), os.path.basename(given)]
    assert not out.exists() or reversed_codes(out, ids, guesses) == 0, "codes reversed from the path text"
    assert result.exit_code == 2, result.output
    assert "no key file" in result.output and "pmreport union new-key" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in workbook.parent.iterdir()) == ["school.xlsx"]


def test_no_key_given_is_refused_and_no_key_is_written_beside_the_workbook(tmp_path, workbook):
    out = tmp_path / "return.xlsx"
    result = runner.invoke(app, ["export-return", str(workbook), "--out", str(out)])
    assert sorted(p.name for p in workbook.parent.iterdir()) == ["school.xlsx"], "a key was written unasked"
    assert result.exit_code == 2, result.output
    assert "No school key was given" in result.output and "pmreport union new-key" in result.output
    assert not out.exists()


@pytest.mark.parametrize("bad", ["folder", "not_a_key", "short_key", "readable_by_others", "the_workbook"])
def test_a_wrong_key_file_is_refused(tmp_path, workbook, bad):
    target = {"folder": tmp_path, "the_workbook": workbook}.get(bad, tmp_path / "key.txt")
    if bad == "not_a_key":
        target.write_text("password123 and some other words\n")
    elif bad == "short_key":
        target.write_text("0123456789abcdef\n")
    elif bad == "readable_by_others":
        target.write_text("ab" * 32 + "\n")
    if target.is_file() and bad != "the_workbook":
        target.chmod(0o644 if bad == "readable_by_others" else 0o600)
    out = tmp_path / "return.xlsx"
    result = runner.invoke(app, ["export-return", str(workbook), "--out", str(out), "--school-key", str(target)])
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output and "To fix it:" in result.output and not out.exists()


def test_new_key_is_random_owner_only_never_overwritten_and_its_fingerprint_is_on_the_about_sheet(tmp_path, workbook,
                                                                                                    school):
    keys = tmp_path / "keys"
    keys.mkdir()
    first, second = keys / "a.txt", keys / "b.txt"
    for path in (first, second):
        made = runner.invoke(app, ["union", "new-key", str(path)])
        assert made.exit_code == 0, made.output
        assert path.stat().st_mode & 0o777 == 0o600
    lines = [[ln for ln in p.read_text().splitlines() if ln and not ln.startswith("#")] for p in (first, second)]
    assert all(len(x) == 1 and re.fullmatch(r"[0-9a-f]{64}", x[0]) for x in lines)  # 256 bits
    assert lines[0] != lines[1]
    again = runner.invoke(app, ["union", "new-key", str(first)])
    assert again.exit_code == 2 and "already exists" in again.output
    assert [ln for ln in first.read_text().splitlines() if ln and not ln.startswith("#")] == lines[0]

    from pmreport.union.keys import fingerprint

    out = tmp_path / "return.xlsx"
    result = runner.invoke(app, ["export-return", str(workbook), "--out", str(out), "--school-key", str(first)])
    assert result.exit_code == 0, result.output
    secret = lines[0][0]
    expected = hashlib.sha256(b"pmreport school key fingerprint\x00" + secret.encode()).hexdigest()[:16]
    assert fingerprint(secret.encode()).replace("-", "") == expected
    wb = openpyxl.load_workbook(out)
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    about = " ".join(str(c.value) for row in wb["About this return"].iter_rows() for c in row if c.value)
    assert fingerprint(secret.encode()) in about and fingerprint(secret.encode()) in result.output
    assert not any(secret in c for c in cells)
    # with the right key the codes are the staff references' codes; with the file name they are not
    ids = list(school.data.staff["staff_id"])
    assert reversed_codes(out, ids, [secret]) == 30
    assert reversed_codes(out, ids, [str(first), first.name, KEY_FILE_NAME]) == 0
