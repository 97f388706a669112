"""``pmreport check``: check the records against the policy, rule by rule."""

from __future__ import annotations

from pathlib import Path

import typer

from pmreport.cli.app import app, as_of_date, as_of_option, console, user_errors, warn_set_aside
from pmreport.errors import PmreportError


@app.command("check")
@user_errors
def check(
    path: Path = typer.Argument(..., help="The workbook (.xlsx) or folder of CSV files with your appraisal records."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON (names staff by id: confidential)."),
    cycle: str | None = typer.Option(None, "--cycle", help="The cycle to check, written 2025/26. Default: the latest."),
    exceptions_out: Path | None = typer.Option(
        None, "--exceptions-out", help="Also write the named exceptions to this .xlsx workbook, for the head only."
    ),
    as_of: str | None = as_of_option(),
) -> None:
    """Check the appraisal records against the performance management policy, rule by rule.

    Shows, for each rule, how many reviews (or observations, reviewers ...) met it, breached it,
    or lack the date needed to tell. Nobody is named on screen; --exceptions-out writes the
    names to a confidential workbook for the headteacher. Rows with errors are left out of the
    checks: the command then says so and exits with 1 (run pmreport validate to see them).
    """
    if exceptions_out is not None:
        _check_output(path, exceptions_out)
    run_on = as_of_date(as_of)  # the run date, read once: dates after it cannot be true yet
    from pmreport.compliance import run_checks
    from pmreport.pipeline import load_school

    data, report = load_school(path)
    result = run_checks(data, cycle, as_of=run_on)
    if as_json:
        typer.echo(result.to_json())
    else:
        from pmreport.compliance.display import summary_table

        school = data.school_row(result.cycle).get("school_name")
        from rich.markup import escape

        console.print(summary_table(result, escape(str(school)) if school is not None else None))
    if exceptions_out is not None:
        from pmreport.compliance.workbook import write_exceptions

        written = write_exceptions(result, exceptions_out)
        (typer.echo if not as_json else _stderr)(f"Named exceptions written to {written} (confidential: head only).")
    warn_set_aside(report, path, "are not in these checks")
    raise typer.Exit(report.exit_code)


def _check_output(source: Path, target: Path) -> None:
    if target.suffix.lower() != ".xlsx":
        raise PmreportError(f"The exceptions file {target} must end in .xlsx.", "Give a name like exceptions.xlsx.")
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise PmreportError(
            "The exceptions file would overwrite your input workbook.", "Give the exceptions file a different name."
        )


def _stderr(message: str) -> None:
    typer.echo(message, err=True)
