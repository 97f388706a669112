"""Where the dashboard's figures come from: a governors' report (``report.json``), or a school's
data made into that report in memory by pmreport's governors' report library (one disclosure gate,
audited as a whole, exactly as ``report.json`` is made)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmreport.errors import InputUnusable

if TYPE_CHECKING:
    from pmreport.model import SchoolData

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


def report_from_school(data: SchoolData, cycle: str | None = None, as_of: dt.date | None = None) -> dict[str, Any]:
    """The governors' report's content for ``data`` (the latest cycle by default), audited as a whole,
    written on ``as_of`` (the run date)."""
    if importlib.util.find_spec("pmreport.report") is None:
        raise InputUnusable(
            "Making a dashboard straight from a workbook needs pmreport's governors' report, "
            "which this version of pmreport does not have.",
            "Give the dashboard a governors' report (report.json) instead.",
        )
    from pmreport.report import build_content, publish

    return publish(build_content(data, cycle, as_of=as_of), as_of)


def load_report(path: str | Path, cycle: str | None = None, as_of: dt.date | None = None) -> Any:
    """The governors' report for ``path``: a ``report.json``, or a workbook or CSV folder."""
    if is_report_file(path):
        return read_report_json(path)
    from pmreport.pipeline import load_school

    data, _ = load_school(path)
    return report_from_school(data, cycle, as_of)
