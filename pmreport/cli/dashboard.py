"""`pmreport dashboard`: the governors' dashboard, one HTML file that opens offline."""

from __future__ import annotations

from pathlib import Path

import typer

from pmreport.cli.app import app, as_of_date, as_of_option, console, user_errors, warn_set_aside
from pmreport.errors import InputUnusable


@app.command()
@user_errors
def dashboard(
    path: Path = typer.Argument(..., help="The governors' report (report.json), or the school's workbook (.xlsx) or folder of CSV files."),
    out: Path = typer.Option(Path("dashboard.html"), "--out", help="The HTML file to write."),
    cycle: str | None = typer.Option(None, "--cycle", help="For a workbook: the cycle to report on, written like 2025/26. Default: the latest in the data."),
    as_of: str | None = as_of_option(),
) -> None:
    """Make the governors' dashboard: one HTML file of charts and tables that opens offline.

    It shows only the governors' report's figures, which have passed the disclosure check, and
    identifies nobody. Send it by email or on a USB stick; it needs no internet connection.
    """
    from pmreport.dashboard import write_dashboard
    from pmreport.dashboard.source import is_report_file, read_report_json, report_from_school

    if out.suffix.lower() not in (".html", ".htm"):
        raise InputUnusable(f"{out.name} is not an HTML file name.", "Give --out a name ending in .html.")
    run_on = as_of_date(as_of)  # the run date, read once
    if is_report_file(path):
        if cycle is not None:
            raise InputUnusable("--cycle is for a workbook: a report.json is already for one cycle.",
                                "Leave out --cycle, or give the school's workbook.")
        report = read_report_json(path)
    else:
        from pmreport.pipeline import load_school

        data, checked = load_school(path)
        report = report_from_school(data, cycle, run_on)
        warn_set_aside(checked, path)
    written = write_dashboard(report, out)
    size = written.stat().st_size / 1_000_000
    console.print(f"Written {written} ({size:.1f} MB). Open it in any web browser; it needs no internet connection.",
                  soft_wrap=True)
