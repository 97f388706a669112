"""`pmreport moderate`: the head's moderation workbook (policy §5) - peer comparisons, reviewer
consistency, equality and the option (b) sample."""

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

#: The moderation package's DEFAULT_SEED, repeated here so that `pmreport --help` does not import
#: scipy (a test keeps the two equal).
DEFAULT_SEED = 20250901


@app.command()
@user_errors
def moderate(
    path: Path = typer.Argument(..., help="The school's workbook (.xlsx or .xlsm) or a folder of CSV files named after the sheets."),
    out: Path = typer.Option(..., "--out", help="Folder for moderation.xlsx and moderation.json (created if needed)."),
    cycle: str | None = typer.Option(None, "--cycle", help="The cycle to moderate, written like 2025/26. Default: the latest in the data."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Seed for the random moderation sample: the same seed gives the same sample."),
    pool_cycles: int = typer.Option(1, "--pool-cycles", min=1, max=10, help="Compare reviewers and protected groups over this many cycles up to --cycle (more data, more power)."),
    sample_fraction: float | None = typer.Option(None, "--sample-fraction", min=0.0, max=1.0, help="Share of statements to moderate. Default: the school sheet's moderation_sample_fraction."),
    as_of: str | None = as_of_option(),
    mapping: Path | None = mapping_option(),
    as_json: bool = typer.Option(False, "--json", help="Print what was written, the cycle and the number of flags as JSON."),
) -> None:
    """Check planning and review statements for consistency and fairness (policy section 5).

    Writes moderation.xlsx (named, CONFIDENTIAL: for the headteacher only) and moderation.json.
    A flag is a difference unlikely to be chance; the chance of any false flag of one kind in a
    school where nothing is wrong is at most 5%. "Too few to say" is said where that is the truth.
    """
    from pmreport import jobs

    run_on = as_of_date(as_of)  # the run date, read once
    with stages(as_json) as progress:
        done = jobs.moderate(path, out, cycle=cycle, seed=seed, pool_cycles=pool_cycles, sample_fraction=sample_fraction,
                             as_of=run_on, mapping=mapping, progress=progress)
    warn_left_out(done.left_out)
    warn_set_aside(done.validation, path)
    if as_json:
        typer.echo(done.to_json())
        raise typer.Exit(done.exit_code)
    result = done.moderation
    console.rule(f"[bold]Moderation, {result.cycle}[/bold]")
    for line in result.summary_lines():
        console.print(line, soft_wrap=True)
    flags = result.flags
    if not flags.empty:
        console.print("\n[bold]Flags[/bold] (differences unlikely to be chance):")
        for row in flags.head(10).itertuples(index=False):
            who = f"{row.name} ({row.staff_id}): " if row.about == "statement" else ""
            console.print(f"- {who}{row.reason}", soft_wrap=True)
        if len(flags) > 10:
            console.print(f"... and {len(flags) - 10} more in the workbook.")
    console.print(f"\nWritten {done.files['moderation.xlsx']} (CONFIDENTIAL: for the headteacher only) and "
                  f"{done.files['moderation.json']}.")
    raise typer.Exit(done.exit_code)
