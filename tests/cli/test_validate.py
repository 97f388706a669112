"""`pmreport validate` in-process, and one smoke test of the installed entry point."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.pipeline import validate_path
from tests.conftest import STAFF_HEADER, build_workbook

runner = CliRunner()


def test_valid_workbook_exits_0(minimal_workbook):
    result = runner.invoke(app, ["validate", str(minimal_workbook)])
    assert result.exit_code == 0, result.output
    assert "The data is valid" in result.output


def test_json_equals_the_library_result(minimal_workbook):
    result = runner.invoke(app, ["validate", str(minimal_workbook), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads(json.dumps(validate_path(minimal_workbook).to_dict(), default=str))


def test_errors_exit_1_and_issues_out_lists_them(tmp_path, minimal_sheets):
    minimal_sheets["reviews"][2][7] = "@HYPERLINK(1)"
    path = build_workbook(tmp_path / "bad.xlsx", minimal_sheets)
    out = tmp_path / "issues.xlsx"
    result = runner.invoke(app, ["validate", str(path), "--issues-out", str(out), "--show-values"])
    assert result.exit_code == 1, result.output
    assert "sheet 'reviews', cell H3" in result.output
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value.startswith("CONFIDENTIAL")
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert any(str(v).startswith("'@HYPERLINK") for v in values)  # formula neutralised
    assert not any(str(v).startswith(("=", "@")) for v in values)


def test_unusable_input_exits_2_with_one_line_and_no_traceback(tmp_path):
    fake = tmp_path / "renamed.xlsx"
    fake.write_text("staff_id,name\n1,A\n")
    for target in (fake, tmp_path / "missing.xlsx"):
        result = runner.invoke(app, ["validate", str(target)])
        assert result.exit_code == 2
        assert "Traceback" not in result.output
        lines = [ln for ln in result.output.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("Error:") and target.name in lines[0]


def test_help_lists_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "validate" in result.output and "demo" in result.output


def test_installed_entry_point_smoke(minimal_workbook):
    exe = shutil.which("pmreport", path=str(Path(sys.executable).parent))
    assert exe, "the pmreport console script is not installed beside this Python"
    started = time.perf_counter()
    help_run = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    help_seconds = time.perf_counter() - started
    assert help_run.returncode == 0 and "validate" in help_run.stdout
    print(f"pmreport --help took {help_seconds:.2f} s")  # recorded, not asserted (no timing asserts)
    # a whole run through a console script is tested on the installed wheel (tests/test_wheel.py)
    bad = subprocess.run([exe, "validate", str(minimal_workbook.with_name("nope.xlsx"))], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_help_does_not_import_heavy_libraries():
    code = "import sys; from pmreport.cli import app; from typer.main import get_command; get_command(app); " \
           "print(','.join(m for m in ('great_expectations', 'pandas', 'scipy', 'plotly') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"heavy libraries imported by the CLI at start-up: {out.stdout}"


def test_moderate_default_seed_matches_the_library():
    from pmreport.cli.moderate import DEFAULT_SEED as cli_seed
    from pmreport.moderation import DEFAULT_SEED

    assert cli_seed == DEFAULT_SEED


def test_show_values_before_or_after_the_command(tmp_path, minimal_sheets):
    """A sensitive cell's value is held back unless --show-values is given, wherever it is on the line."""
    column = STAFF_HEADER.index("line_manager_id")
    minimal_sheets["staff"][2][column] = "SECRET-999"  # refers to nobody on the staff sheet
    path = build_workbook(tmp_path / "bad.xlsx", minimal_sheets)
    held_back = runner.invoke(app, ["validate", str(path)])
    after = runner.invoke(app, ["validate", str(path), "--show-values"])
    before = runner.invoke(app, ["--show-values", "validate", str(path)])
    assert held_back.exit_code == after.exit_code == before.exit_code == 0  # a warning: the row is kept
    assert "SECRET-999" not in held_back.output
    assert "SECRET-999" in after.output and "SECRET-999" in before.output


def test_validate_names_its_stages_in_order(minimal_workbook):
    from pmreport import jobs

    seen: list[str] = []
    jobs.validate(minimal_workbook, progress=seen.append)
    assert seen == ["Reading the workbook", "Checking the data, cell by cell and across sheets"]
