"""`pmreport validate` and `pmreport demo`'s validation summary."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from pmreport.cli.app import app, console, mapping_option, show_values_enabled, shown, stages, user_errors
from pmreport.validation.catalogue import KNOCK_ON, tier
from pmreport.validation.outcome import Issue, ValidationReport

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def _line(issue: Issue) -> str:
    where = issue.place.split(", ", 1)[1] if ", " in issue.place else issue.place
    where = f"in {where}" + (f" ({issue.field})" if issue.field else "")
    value = f" [dim](value: {shown(issue.value)})[/dim]" if issue.value is not None else ""
    return f"[{SEVERITY_STYLE[issue.severity]}]{issue.severity.capitalize()}[/] {shown(where)}: {shown(issue.message)}{value}"


def print_summary(report: ValidationReport, max_issues: int = 50) -> None:
    """The readable summary: the root causes first (missing and unrecognised columns, with "did you mean"),
    then the row accounting per sheet, then each remaining issue at its cell, knock-on problems counted."""
    issues = report.sorted_issues()
    causes = [i for i in issues if tier(i.code, i.severity) == 0]
    rest = [i for i in issues if tier(i.code, i.severity) != 0]
    for issue in causes[:max_issues]:
        console.print(_line(issue), soft_wrap=False)
    table = Table(title=f"Rows in {shown(Path(report.source).name)}", title_justify="left")
    for col in ("Sheet", "Rows read", "Accepted", "Set aside", "Blank or not data"):
        table.add_column(col, justify="left" if col == "Sheet" else "right")
    for st in report.stats.values():
        table.add_row(shown(st.source_sheet or st.sheet), str(st.read), str(st.accepted),
                      f"[red]{st.quarantined}[/red]" if st.quarantined else "0", str(st.blank))
    console.print(table)
    room = max(max_issues - len(causes), 0)
    for issue in rest[:room]:
        console.print(_line(issue), soft_wrap=False)
    hidden = len(causes) - min(len(causes), max_issues) + len(rest) - min(len(rest), room)
    if hidden:
        console.print(f"... and {hidden} more. Use --issues-out issues.xlsx to get them all in a spreadsheet.")
    knock = [i for i in issues if i.code in KNOCK_ON]
    if knock:
        console.print(f"{len(knock)} of the errors are knock-on problems: fix the causes listed first and they go too.")
    n_err, n_warn = len(report.errors), len(report.warnings)
    set_aside = sum(s.quarantined for s in report.stats.values())
    if report.valid:
        tail = f" ({n_warn} warning{'s' if n_warn != 1 else ''} to look at)" if n_warn else ""
        console.print(f"[bold green]The data is valid.[/bold green]{tail}")
    else:
        console.print(
            f"[bold red]{n_err} error{'s' if n_err != 1 else ''}[/bold red] found; {set_aside} row{'s' if set_aside != 1 else ''} "
            "set aside until they are fixed. Correct them in the workbook and run pmreport validate again."
        )


def write_issues(report: ValidationReport, path: Path) -> None:
    from pmreport.validation.issues_workbook import rows, write

    write(path, rows(report))


@app.command()
@user_errors
def validate(
    path: Path = typer.Argument(..., help="The school's workbook (.xlsx or .xlsm) or a folder of CSV files named after the sheets."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON (for other programs)."),
    issues_out: Path | None = typer.Option(None, "--issues-out", help="Also write every issue to this .xlsx or .csv file."),
    show_values: bool = typer.Option(False, "--show-values", help="Show the values of sensitive cells (names, references, special category data) in messages (before or after the command name)."),
    max_issues: int = typer.Option(50, "--max-issues", min=1, help="Most issues to print on screen."),
    mapping: Path | None = mapping_option(),
) -> None:
    """Check a workbook cell by cell and say exactly what is wrong and how to fix it.

    Exit code 0 when the data is valid (warnings allowed), 1 when it has errors, 2 when the
    file cannot be used at all. The input file is never changed.
    """
    from pmreport import jobs
    from pmreport.errors import InputUnusable, PmreportError

    if issues_out is not None and issues_out.suffix.lower() not in (".xlsx", ".csv"):
        raise InputUnusable(f"--issues-out {issues_out.name}: the issues list must be a .xlsx or .csv file.", "For example --issues-out issues.xlsx")
    try:
        with stages(as_json) as progress:
            report = jobs.validate(path, show_values=show_values or show_values_enabled(), mapping=mapping,
                                   progress=progress)
    except PmreportError as exc:
        if issues_out is not None:  # the file cannot be used: the issues list still says why
            from pmreport.validation.issues_workbook import fatal_rows, write

            write(issues_out, fatal_rows(path.name, exc.message, exc.fix))
        raise
    if issues_out is not None:
        write_issues(report, issues_out)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2, default=str))
    else:
        print_summary(report, max_issues)
        if issues_out is not None:
            console.print(f"Issues written to {shown(issues_out)}.")
    raise typer.Exit(report.exit_code)
