"""pmreport's command-line interface: one module per command, all thin over the library."""

from __future__ import annotations

from pmreport.cli.app import app, run

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
from pmreport.cli import union  # noqa: E402,F401  isort: skip

main = run

__all__ = ["app", "main"]
