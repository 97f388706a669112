"""`pmreport validate` and `pmreport demo`'s validation summary."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from pmreport.cli.app import app, console, shown, user_errors
from pmreport.validation.report import ValidationReport

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def print_summary(report: ValidationReport, max_issues: int = 50) -> None:
    """The readable summary: row accounting per sheet, then each issue at its cell."""
    table = Table(title=f"Rows in {shown(Path(report.source).name)}", title_justify="left")
    for col in ("Sheet", "Rows read", "Accepted", "Set aside", "Blank"):
        table.add_column(col, justify="left" if col == "Sheet" else "right")
    for st in report.stats.values():
        table.add_row(shown(st.source_sheet or st.sheet), str(st.read), str(st.accepted),
                      f"[red]{st.quarantined}[/red]" if st.quarantined else "0", str(st.blank))
    console.print(table)
    issues = report.sorted_issues()
    for issue in issues[:max_issues]:
        where = issue.place.split(", ", 1)[1] if ", " in issue.place else issue.place
        where = f"in {where}" + (f" ({issue.field})" if issue.field else "")
        value = f" [dim](value: {shown(issue.value)})[/dim]" if issue.value is not None else ""
        console.print(f"[{SEVERITY_STYLE[issue.severity]}]{issue.severity.capitalize()}[/] {shown(where)}: {shown(issue.message)}{value}",
                      soft_wrap=False)
    if len(issues) > max_issues:
        console.print(f"... and {len(issues) - max_issues} more. Use --issues-out issues.xlsx to get them all in a spreadsheet.")
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
    import pandas as pd

    from pmreport.safe_output import write_tables

    rows = [{"Severity": i.severity, "File": i.file, "Sheet": i.sheet, "Cell": i.cell or (f"row {i.row}" if i.row else ""),
             "Column": i.field, "Problem": i.title, "What to do": i.message, "Value": i.value} for i in report.sorted_issues()]
    cols = ["Severity", "File", "Sheet", "Cell", "Column", "Problem", "What to do", "Value"]
    write_tables(path, {"Issues": pd.DataFrame(rows, columns=cols)}, confidential=True)


@app.command()
@user_errors
def validate(
    path: Path = typer.Argument(..., help="The school's workbook (.xlsx or .xlsm) or a folder of CSV files named after the sheets."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON (for other programs)."),
    issues_out: Path | None = typer.Option(None, "--issues-out", help="Also write every issue to this .xlsx or .csv file."),
    show_values: bool = typer.Option(False, "--show-values", help="Show the values of sensitive cells (names, references, special category data) in messages."),
    max_issues: int = typer.Option(50, "--max-issues", min=1, help="Most issues to print on screen."),
) -> None:
    """Check a workbook cell by cell and say exactly what is wrong and how to fix it.

    Exit code 0 when the data is valid (warnings allowed), 1 when it has errors, 2 when the
    file cannot be used at all. The input file is never changed.
    """
    from pmreport.pipeline import validate_path

    report = validate_path(path, show_values=show_values)
    if issues_out is not None:
        if issues_out.suffix.lower() not in (".xlsx", ".csv"):
            from pmreport.errors import InputUnusable

            raise InputUnusable(f"--issues-out {issues_out.name}: the issues list must be a .xlsx or .csv file.", "For example --issues-out issues.xlsx")
        write_issues(report, issues_out)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2, default=str))
    else:
        print_summary(report, max_issues)
        if issues_out is not None:
            console.print(f"Issues written to {shown(issues_out)}.")
    raise typer.Exit(report.exit_code)
