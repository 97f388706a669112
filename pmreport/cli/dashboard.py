"""`pmreport dashboard`: the governors' dashboard, one HTML file that opens offline."""

from __future__ import annotations

from pathlib import Path

import typer

from pmreport.cli.app import app, console, user_errors


@app.command()
@user_errors
def dashboard(
    path: Path = typer.Argument(..., help="The governors' report (report.json), or the school's workbook (.xlsx) or folder of CSV files."),
    out: Path = typer.Option(Path("dashboard.html"), "--out", help="The HTML file to write."),
) -> None:
    """Make the governors' dashboard: one HTML file of charts and tables that opens offline.

    It shows only the governors' report's figures, which have passed the disclosure check, and
    identifies nobody. Send it by email or on a USB stick; it needs no internet connection.
    """
    from pmreport.dashboard import load_report, write_dashboard

    if out.suffix.lower() not in (".html", ".htm"):
        raise typer.BadParameter("the dashboard is an HTML file: give --out a name ending in .html", param_hint="--out")
    written = write_dashboard(load_report(path), out)
    size = written.stat().st_size / 1_000_000
    console.print(f"Written {written} ({size:.1f} MB). Open it in any web browser; it needs no internet connection.", soft_wrap=True)
