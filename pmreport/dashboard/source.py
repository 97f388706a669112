"""Where the dashboard's figures come from: a governors' report (``report.json``), or a school's
workbook made into that report in memory by pmreport's governors' report library."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from pmreport.errors import InputUnusable

REPORT_SUFFIXES = (".json",)


def read_report_json(path: Path) -> Any:
    """The content of a ``report.json`` file, or a clear error."""
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


def report_from_workbook(path: Path) -> Any:
    """Build the governors' report from a workbook or CSV folder, in memory."""
    if importlib.util.find_spec("pmreport.report") is None:
        raise InputUnusable(
            "Making a dashboard straight from a workbook needs pmreport's governors' report, "
            "which this version of pmreport does not have yet.",
            "Give the dashboard a governors' report (report.json) instead.",
        )
    from pmreport import report as governors_report  # noqa: PLC0415 - optional until it lands

    build = getattr(governors_report, "build_report", None)
    if build is None:  # pragma: no cover - depends on the report library's public name
        raise InputUnusable("This version of pmreport's governors' report cannot be called by the dashboard.",
                            "Give the dashboard a governors' report (report.json) instead.")
    return build(path)


def load_report(path: str | Path) -> Any:
    """The governors' report for ``path``: a ``report.json``, or a workbook / CSV folder."""
    path = Path(path)
    if path.suffix.lower() in REPORT_SUFFIXES:
        return read_report_json(path)
    if not path.exists():
        raise InputUnusable(f"There is no file or folder at {path}.", "Check the path and try again.")
    return report_from_workbook(path)
