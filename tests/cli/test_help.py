"""Every command has help, is listed by ``pmreport --help`` and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pmreport.cli import app

README = Path(__file__).resolve().parents[2] / "README.md"
COMMANDS = typer.main.get_command(app).commands  # name -> command, as typer registered them


def test_there_are_commands() -> None:
    assert "template" in COMMANDS


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_help(name: str) -> None:
    assert (COMMANDS[name].help or "").strip(), f"pmreport {name} needs a docstring"
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_root_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.skipif(not README.is_file(), reason="README.md is not written yet")
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_in_the_readme(name: str) -> None:
    assert f"pmreport {name}" in README.read_text(encoding="utf-8")
