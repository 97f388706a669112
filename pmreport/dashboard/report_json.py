"""Where the dashboard's figures come from: a governors' report (``report.json``) and nothing else.
For a school's workbook, :func:`pmreport.jobs.dashboard` builds that report first (one disclosure
gate, audited as a whole, exactly as ``report.json`` is made) and hands its dictionary over."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pmreport.errors import InputUnusable

REPORT_SUFFIXES = (".json",)


def is_report_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in REPORT_SUFFIXES


def read_report_json(path: str | Path) -> Any:
    """The content of a ``report.json`` file, or a clear error."""
    path = Path(path)
    if not path.is_file():
        raise InputUnusable(f"There is no file at {path}.", "Check the path and try again.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputUnusable(f"{path.name} is not a text file, so it cannot be a governors' report (report.json).") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputUnusable(
            f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}).",
            "Give the report.json that pmreport wrote, unchanged.",
        ) from None


def load_report(path: str | Path) -> Any:
    """The governors' report in a ``report.json`` file (a workbook is made into one by
    :func:`pmreport.jobs.dashboard`, which builds the report first)."""
    if not is_report_file(path):
        raise InputUnusable(f"{Path(path).name} is not a governors' report (report.json).",
                            f"Run pmreport dashboard {Path(path).name} to build the report from the workbook first, "
                            "or give the report.json that pmreport report wrote.")
    return read_report_json(path)
