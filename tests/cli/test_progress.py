"""Progress on the long commands: each job names its stages as it starts them, and the command shows
them on a terminal only (never when piped, with --json or --quiet)."""

from __future__ import annotations

import io

from rich.console import Console
from typer.testing import CliRunner

from pmreport import jobs
from pmreport.cli import app
from pmreport.cli.app import _state, stages
from pmreport.samples import SAMPLE_DIR

PRIMARY = SAMPLE_DIR / "primary.xlsx"


def test_check_names_its_stages_in_order(tmp_path) -> None:
    seen: list[str] = []
    jobs.check(PRIMARY, exceptions_out=tmp_path / "exceptions.xlsx", progress=seen.append)
    assert seen == ["Reading the workbook and checking the data", "Checking the policy's rules",
                    "Writing exceptions.xlsx"]


def test_moderate_names_its_stages_in_order(tmp_path) -> None:
    seen: list[str] = []
    jobs.moderate(PRIMARY, tmp_path, progress=seen.append)
    assert seen == ["Reading the workbook and checking the data",
                    "Comparing statements, reviewers and groups (moderation)",
                    "Writing moderation.xlsx and moderation.json"]


def _terminal() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=100), buffer


def test_on_a_terminal_each_stage_is_shown_with_its_time() -> None:
    console, buffer = _terminal()
    _state["quiet"] = False
    with stages(console=console) as progress:
        progress("Reading the workbook and checking the data")
        progress("Checking the policy's rules")
    text = buffer.getvalue()
    assert "Reading the workbook and checking the data (" in text and "Checking the policy's rules (" in text
    assert text.index("Reading the workbook") < text.index("Checking the policy's rules (")


def test_silent_with_json_quiet_or_not_a_terminal() -> None:
    for as_json, quiet, terminal in ((True, False, True), (False, True, True), (False, False, False)):
        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=terminal, width=100)
        _state["quiet"] = quiet
        try:
            with stages(as_json, console=console) as progress:
                progress("Checking the policy's rules")
        finally:
            _state["quiet"] = False
        assert buffer.getvalue() == "", (as_json, quiet, terminal)


def test_quiet_is_accepted_before_or_after_the_command(tmp_path) -> None:
    runner = CliRunner()
    after = runner.invoke(app, ["template", str(tmp_path / "a.xlsx"), "--quiet"])
    before = runner.invoke(app, ["-q", "template", str(tmp_path / "b.xlsx")])
    assert after.exit_code == 0 and before.exit_code == 0, after.output + before.output
