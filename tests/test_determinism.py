"""The same input gives the same outputs, byte for byte (issue 10): validate's JSON and issues
workbook, check's JSON and exceptions workbook. Run twice, in the same process, to different files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pmreport.cli import app
from tests.conftest import SAMPLES

runner = CliRunner()


@pytest.mark.parametrize(("command", "sample", "out_option", "suffix", "code"), [
    ("validate", "invalid/unknown_assessment.xlsx", "--issues-out", ".xlsx", 1),
    ("validate", "secondary_messy.xlsx", "--issues-out", ".csv", 0),
    ("check", "secondary.xlsx", "--exceptions-out", ".xlsx", 0),
])
def test_same_input_same_outputs(tmp_path: Path, command: str, sample: str, out_option: str, suffix: str, code: int):
    source = SAMPLES / sample
    printed, written = [], []
    for run in ("first", "second"):
        target = tmp_path / run / f"out{suffix}"
        result = runner.invoke(app, [command, str(source), "--json", out_option, str(target)])
        assert result.exit_code == code, result.output[-2000:]
        printed.append(result.stdout)
        written.append(target.read_bytes())
    assert json.loads(printed[0])  # it is JSON
    assert printed[0] == printed[1], f"{command} --json differs between two runs"
    assert written[0] == written[1], f"{command} {out_option} differs between two runs"
