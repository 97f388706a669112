"""The governors' dashboard: one HTML file that opens offline and shows the governors' report's
figures as charts with tables beside them, filtered by cycle and staff group.

Its only input is the governors' report (``report.json``), whose figures have all passed the
disclosure gate; :func:`pmreport.dashboard.contract.clean_report` keeps nothing else.

>>> html = build_dashboard(load_report("governors/report.json"))   # doctest: +SKIP
>>> write_dashboard(load_report("governors/report.json"), "dashboard.html")    # doctest: +SKIP

From a school's workbook, ``pmreport.jobs.dashboard("school.xlsx")`` builds the report first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pmreport.dashboard.contract import ReportInvalid, clean_report
from pmreport.dashboard.page import render_page
from pmreport.dashboard.report_json import load_report


def build_dashboard(report: Any) -> str:
    """The dashboard HTML for a governors' report (the content of ``report.json``)."""
    return render_page(report)


def write_dashboard(report: Any, out: str | Path) -> Path:
    """Write the dashboard for ``report`` to ``out`` atomically; return the path written."""
    from pmreport.safe_output import write_text

    html = build_dashboard(report)
    write_text(out, html)
    return Path(out)


__all__ = ["ReportInvalid", "build_dashboard", "clean_report", "load_report", "write_dashboard"]
