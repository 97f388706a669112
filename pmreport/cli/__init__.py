"""pmreport's command-line interface: one module per command, all thin over the library."""

from __future__ import annotations

from typer.core import TyperCommand, TyperGroup
from typer.models import DefaultPlaceholder

from pmreport.cli.app import PmCommand, PmGroup, app, run

# Each import registers its command(s) on ``app``.
from pmreport.cli import validate  # noqa: E402,F401  isort: skip
from pmreport.cli import sample  # noqa: E402,F401  isort: skip
from pmreport.cli import demo  # noqa: E402,F401  isort: skip
from pmreport.cli import template  # noqa: E402,F401  isort: skip
from pmreport.cli import check  # noqa: E402,F401  isort: skip
from pmreport.cli import moderate  # noqa: E402,F401  isort: skip
from pmreport.cli import report  # noqa: E402,F401  isort: skip
from pmreport.cli import dashboard  # noqa: E402,F401  isort: skip
from pmreport.cli import export_return  # noqa: E402,F401  isort: skip
from pmreport.cli import column_map  # noqa: E402,F401  isort: skip
from pmreport.cli import union  # noqa: E402,F401  isort: skip


def _plain_help_everywhere() -> None:
    """Every command and sub-group is built with pmreport's classes (plain help, exit codes, -h)."""
    todo = [app]
    while todo:
        typer_app = todo.pop()
        for command in typer_app.registered_commands:
            if command.cls in (None, TyperCommand):
                command.cls = PmCommand
        for group in typer_app.registered_groups:
            if group.cls in (None, TyperGroup) or isinstance(group.cls, DefaultPlaceholder):
                group.cls = PmGroup
            if group.typer_instance is not None:
                todo.append(group.typer_instance)
                todo.append(group.typer_instance)


_plain_help_everywhere()

main = run

__all__ = ["app", "main"]
