"""``pmreport check``: check the records against the policy, rule by rule."""

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
    mapping: Path | None = mapping_option(),
) -> None:
    """Check the appraisal records against the performance management policy, rule by rule.

    Shows, for each rule, how many reviews (or observations, reviewers ...) met it, breached it,
    or lack the date needed to tell. Nobody is named on screen; --exceptions-out writes the
    names to a confidential workbook for the headteacher. Rows with errors are left out of the
    checks: the command then says so and exits with 1 (run pmreport validate to see them).
    """
    from pmreport import jobs

    run_on = as_of_date(as_of)  # the run date, read once: dates after it cannot be true yet
    with stages(as_json) as progress:
        done = jobs.check(path, cycle=cycle, exceptions_out=exceptions_out, as_of=run_on, mapping=mapping, progress=progress)
    if as_json:
        typer.echo(done.to_json())
    else:
        from rich.markup import escape

        from pmreport.compliance.display import summary_table

        console.print(summary_table(done.compliance, escape(done.school_name) if done.school_name is not None else None))
    if done.exceptions_file is not None:
        (typer.echo if not as_json else _stderr)(
            f"Named exceptions written to {done.exceptions_file} (confidential: head only).")
    warn_left_out(done.left_out)
    warn_set_aside(done.validation, path, "are not in these checks")
    raise typer.Exit(done.exit_code)


def _stderr(message: str) -> None:
    typer.echo(message, err=True)
