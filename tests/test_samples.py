"""The bundled samples: valid ones validate clean, each invalid one gives exactly its expected
errors (picked up automatically from pmreport/sample_data/invalid/), and the generator rebuilds them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.samples import build_all
from tests.conftest import SAMPLES

runner = CliRunner()
INVALID = sorted((SAMPLES / "invalid").glob("*.xlsx"))


@pytest.mark.parametrize("name", ["primary", "secondary", "secondary_messy"])
def test_valid_samples_exit_0(name):
    result = runner.invoke(app, ["validate", str(SAMPLES / f"{name}.xlsx"), "--json"])
    assert result.exit_code == 0, result.output[:2000]
    report = json.loads(result.output)
    assert report["counts"]["errors"] == 0 and report["counts"]["warnings"] == 0
    assert all(s["balanced"] and s["quarantined"] == 0 for s in report["sheets"].values())


def test_there_are_invalid_cases():
    assert len(INVALID) >= 8


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_sample_gives_exactly_its_expected_errors(path: Path):
    expected = json.loads(path.with_name(f"{path.stem}.expected.json").read_text())
    result = runner.invoke(app, ["validate", str(path), "--json"])
    assert result.exit_code == expected["exit_code"]
    report = json.loads(result.output)
    errors = [[i["code"], i["sheet"], i["row"], i["column"]] for i in report["issues"] if i["severity"] == "error"]
    assert errors == expected["errors"]
    assert all(s["balanced"] for s in report["sheets"].values())


def test_generator_reproduces_the_committed_samples(tmp_path):
    build_all(tmp_path)
    committed = sorted(p.relative_to(SAMPLES) for p in SAMPLES.rglob("*") if p.is_file())
    rebuilt = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert rebuilt == committed
    for rel in committed:
        assert (tmp_path / rel).read_bytes() == (SAMPLES / rel).read_bytes(), f"{rel} differs: run python -m pmreport.samples"
