"""`pmreport dashboard`: the governors' dashboard, one HTML file that opens offline."""

from __future__ import annotations

from pathlib import Path

import typer

from pmreport.cli.app import (
    app,
    as_of_date,
    as_of_option,
    console,
    mapping_option,
    stages,
    user_errors,
    warn_left_out,
    warn_set_aside,
)


@app.command()
@user_errors
def dashboard(
    path: Path = typer.Argument(..., help="The governors' report (report.json), or the school's workbook (.xlsx) or folder of CSV files."),
    out: Path = typer.Option(Path("dashboard.html"), "--out", help="The HTML file to write."),
    cycle: str | None = typer.Option(None, "--cycle", help="For a workbook: the cycle to report on, written like 2025/26. Default: the latest in the data."),
    as_of: str | None = as_of_option(),
    mapping: Path | None = mapping_option(),
    as_json: bool = typer.Option(False, "--json", help="Print the file written and its size as JSON."),
) -> None:
    """Make the governors' dashboard: one HTML file of charts and tables that opens offline.

    It shows only the governors' report's figures, which have passed the disclosure check, and
    identifies nobody. Send it by email or on a USB stick; it needs no internet connection.
    """
    from pmreport import jobs

    run_on = as_of_date(as_of)  # the run date, read once
    with stages(as_json) as progress:
        done = jobs.dashboard(path, out, cycle=cycle, as_of=run_on, mapping=mapping, progress=progress)
    warn_left_out(done.left_out)
    if done.validation is not None:
        warn_set_aside(done.validation, path)
    if as_json:
        typer.echo(done.to_json())
        raise typer.Exit(done.exit_code)
    size = done.path.stat().st_size / 1_000_000
    console.print(f"Written {done.path} ({size:.1f} MB). Open it in any web browser; it needs no internet connection.",
                  soft_wrap=True)
    raise typer.Exit(done.exit_code)
