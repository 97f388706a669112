"""Each exit code means one thing, the help of every command reads plainly and states them, and
``--debug``, ``-h`` and ``--json`` errors behave as documented (README, pmreport.cli.exit_codes)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.cli.exit_codes import ExitCode, markdown_table
from pmreport.errors import InputUnusable
from pmreport.samples import SAMPLE_DIR

README = Path(__file__).resolve().parents[2] / "README.md"
ROOT_COMMAND = typer.main.get_command(app)


def _all_command_paths() -> list[list[str]]:
    paths: list[list[str]] = [[]]
    todo: list[tuple[list[str], object]] = [([], ROOT_COMMAND)]
    while todo:
        prefix, group = todo.pop()
        for name, command in getattr(group, "commands", {}).items():
            paths.append([*prefix, name])
            if getattr(command, "commands", None):
                todo.append(([*prefix, name], command))
    return sorted(paths)


COMMAND_PATHS = _all_command_paths()


def test_every_command_and_sub_command_is_found() -> None:
    assert {"validate", "report", "union"} <= {p[0] for p in COMMAND_PATHS if p}
    assert ["union", "ingest"] in COMMAND_PATHS


@pytest.mark.parametrize("words", COMMAND_PATHS, ids=lambda w: " ".join(w) or "pmreport")
def test_help_reads_plainly_and_states_the_exit_codes(words: list[str]) -> None:
    result = CliRunner().invoke(app, [*words, "-h"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    text = result.output
    assert "Usage: pmreport" in text
    assert "<bool>" not in text and "<path>" not in text and "<str>" not in text and "<int>" not in text
    assert not re.search(r"\{[a-zA-Z_]+\}", text), text  # no {path} in the usage line
    flat = " ".join(text.replace("│", " ").split())
    assert "Exit codes: 0 done" in flat
    for code in ExitCode:
        assert f"; {int(code)} " in flat or f": {int(code)} " in flat, (code, flat)
    assert "--help -h" in flat


def test_the_readme_table_is_the_one_in_the_code() -> None:
    assert markdown_table() in README.read_text(encoding="utf-8")


def test_a_usage_error_has_its_own_code() -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["validate"])
    unknown = runner.invoke(app, ["check", "x.xlsx", "--no-such-option"])
    bad_value = runner.invoke(app, ["sample", "x.xlsx", "--staff", "3"])  # below the minimum of 8
    no_command = runner.invoke(app, ["no-such-command"])
    assert [r.exit_code for r in (missing, unknown, bad_value, no_command)] == [64] * 4
    assert "Missing argument" in missing.output and "No such option" in unknown.output


def test_a_file_that_cannot_be_used_is_2_and_data_with_errors_is_1(tmp_path: Path) -> None:
    runner = CliRunner()
    absent = runner.invoke(app, ["validate", str(tmp_path / "absent.xlsx")])
    not_a_workbook = tmp_path / "notes.xlsx"
    not_a_workbook.write_text("just some text", encoding="utf-8")
    garbage = runner.invoke(app, ["validate", str(not_a_workbook)])
    faulty = runner.invoke(app, ["validate", str(SAMPLE_DIR / "invalid" / "impossible_date.xlsx")])
    assert (absent.exit_code, garbage.exit_code, faulty.exit_code) == (2, 2, 1)
    assert "Traceback" not in absent.output + garbage.output


def test_an_unexpected_error_is_3_and_debug_after_the_command_shows_it(monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("pmreport.template.write_template", broken)
    runner = CliRunner()
    plain = runner.invoke(app, ["template", str(tmp_path / "t.xlsx")])
    assert plain.exit_code == 3 and "unexpected problem" in plain.output and "--debug" in plain.output
    after = runner.invoke(app, ["template", str(tmp_path / "t.xlsx"), "--debug"])
    before = runner.invoke(app, ["--debug", "template", str(tmp_path / "t.xlsx")])
    assert isinstance(after.exception, ZeroDivisionError) and isinstance(before.exception, ZeroDivisionError)
    # and --debug does not stick to the next command run in the same process
    again = runner.invoke(app, ["template", str(tmp_path / "t.xlsx")])
    assert again.exit_code == 3 and not isinstance(again.exception, ZeroDivisionError)


def test_debug_after_the_command_raises_the_real_exception(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "absent.xlsx"), "--debug"])
    assert isinstance(result.exception, InputUnusable)


def test_a_fatal_error_with_json_is_a_json_object_on_stdout(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "absent.xlsx"), "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["exit_code"] == 2 and error["kind"] == "InputUnusable"
    assert "absent.xlsx" in error["message"] and error["fix"]
    usage = CliRunner().invoke(app, ["validate", "--json", "--no-such-option"])
    assert usage.exit_code == 64 and json.loads(usage.stdout)["error"]["exit_code"] == 64


def test_a_missing_extra_says_which_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in [m for m in sys.modules if m == "duckdb" or m.startswith("duckdb.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb now fails as if not installed
    (tmp_path / "returns").mkdir()
    result = CliRunner().invoke(app, ["union", "ingest", str(tmp_path / "returns"), "--db", str(tmp_path / "u.duckdb")])
    assert result.exit_code == 69, result.output
    assert 'pip install "pmreport[union]"' in " ".join(result.output.split())
