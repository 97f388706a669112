"""`pmreport moderate` end to end on a small generated workbook."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.synth import generate


def _workbook(tmp_path):
    path = generate("primary", seed=4, n_staff=15, cycles=1).write_xlsx(tmp_path / "school.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["staff"]
    header = [c.value for c in ws[1]]
    name_col, fte_col = header.index("name") + 1, header.index("fte") + 1
    ws.cell(row=3, column=name_col, value="@SUM(1+1)*cmd")  # text a spreadsheet would run
    ws.cell(row=ws.max_row, column=fte_col, value="lots")  # an error: this row is set aside
    wb.save(path)
    return path


def test_moderate_writes_the_heads_workbook_and_json(tmp_path):
    path = _workbook(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["moderate", str(path), "--out", str(out), "--seed", "3"])
    assert result.exit_code == 1, result.output  # written, but rows with errors were set aside (exit code 1)
    text = " ".join(result.output.split())
    assert "set aside and the rest were used" in text
    assert "planning and review statements" in text
    assert "Moderation sample" in text
    wb = openpyxl.load_workbook(out / "moderation.xlsx")
    assert {"Summary", "Flags", "Moderation sample", "Statements", "Reviewers", "Equality", "Method"} <= set(wb.sheetnames)
    for ws in wb:
        assert str(ws["A1"].value).startswith("CONFIDENTIAL")
    cells = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith(("=", "+", "@")) for v in cells)
    assert any(v.startswith("'@SUM(1+1)*cmd") for v in cells)
    doc = json.loads((out / "moderation.json").read_text(encoding="utf-8"))
    assert doc["seed"] == 3 and doc["cycle"] == "2023/24"
    assert doc["sample"] and all(r["Status"] for r in doc["sample"])


def test_moderate_unknown_cycle_exits_2_without_traceback(tmp_path):
    path = generate("primary", seed=5, n_staff=10, cycles=1).write_xlsx(tmp_path / "school.xlsx")
    result = CliRunner().invoke(app, ["moderate", str(path), "--out", str(tmp_path / "o"), "--cycle", "1999/00"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_blank_moderation_option_uses_the_default_sample():
    import pandas as pd

    from pmreport.moderation import run_moderation
    from pmreport.pipeline import load_school
    from tests.conftest import SAMPLES

    data, _ = load_school(SAMPLES / "primary.xlsx")
    data.tables["school"]["moderation_option"] = pd.array([None] * len(data.school), dtype="string")
    result = run_moderation(data)
    assert len(result.sample) > 0
