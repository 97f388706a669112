"""``pmreport report``: the annual report to governors (policy §10), anonymised and audited, and the
head's confidential pack."""

from __future__ import annotations

from pathlib import Path

import typer

from pmreport.cli.app import (
    app,
    as_of_date,
    as_of_option,
    console,
    err_console,
    mapping_option,
    stages,
    user_errors,
    warn_left_out,
    warn_set_aside,
)


def _warning(message: str) -> None:
    """A warning on standard error, through the console that shows progress (so the two do not mix)."""
    err_console.print(f"Warning: {message}", markup=False, soft_wrap=True, highlight=False)


def print_written(done) -> None:  # noqa: ANN001 - pmreport.report.writer.Written, imported lazily
    """Where everything went, and the audit in one line."""
    console.print("[bold]For governors[/bold] (anonymised):")
    for path in done.governors.values():
        console.print(f"  {path}", soft_wrap=True)
    console.print("[bold]For the headteacher only[/bold] (CONFIDENTIAL: names staff):")
    for path in done.confidential.values():
        console.print(f"  {path}", soft_wrap=True)
    console.print(done.audit_line(), soft_wrap=True)


@app.command("report")
@user_errors
def report(
    path: Path = typer.Argument(..., help="The school's workbook (.xlsx or .xlsm) or a folder of CSV files named after the sheets."),
    out: Path = typer.Option(..., "--out", help="Folder for the report: governors/ (anonymised) and head_confidential/ are made in it."),
    cycle: str | None = typer.Option(None, "--cycle", help="The cycle to report on, written like 2025/26. Default: the latest in the data."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Also print the report to PDF with chromium (default: yes)."),
    dashboard: bool = typer.Option(True, "--dashboard/--no-dashboard", help="Also write the governors' dashboard (governors/dashboard.html, opens offline; default: yes)."),
    images: bool = typer.Option(True, "--word-charts/--no-word-charts", "--chart-images/--no-chart-images",
                                help="Put the charts in the Word version, as Word charts (default: yes)."),
    commentary: Path | None = typer.Option(
        None, "--commentary", metavar="FILE.md",
        help="The headteacher's commentary and planned actions for the summary page: a short text file with "
             "'## Operation' (or another section) headings, paragraphs, and actions as lines starting '- '. "
             "Default: the workbook's commentary sheet, if it has one."),
    as_of: str | None = as_of_option(),
    mapping: Path | None = mapping_option(),
    as_json: bool = typer.Option(False, "--json", help="Print the files written, the audit and warnings as JSON."),
) -> None:
    """Write the headteacher's annual report to governors (policy section 10), and the head's confidential pack.

    governors/ gets the report as HTML (works offline), PDF and Word, the governors' dashboard
    (dashboard.html), and report.json with every figure published. Before anything is written, an
    audit tries to work out hidden figures and anyone's outcome from all the tables together: if it
    can, nothing is written and the command exits with 1. head_confidential/head_pack.xlsx names staff: it is for the headteacher only.
    Rows with errors are left out (the command then says so and exits with 1 at the end).
    """
    from pmreport import jobs

    run_on = as_of_date(as_of)  # the run date, read once
    with stages(as_json) as progress:
        done = jobs.build_report(path, out, cycle=cycle, pdf=pdf, images=images, dashboard=dashboard,
                                 as_of=run_on, warn=_warning, mapping=mapping, progress=progress,
                                 commentary=commentary)
    warn_left_out(done.left_out)
    warn_set_aside(done.validation, path, "are not in this report")
    if as_json:
        typer.echo(done.to_json())
    else:
        print_written(done.written)
    raise typer.Exit(done.exit_code)
