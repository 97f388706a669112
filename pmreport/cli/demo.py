"""`pmreport demo`: the main job on the bundled sample data, start to finish."""

from __future__ import annotations

from pathlib import Path

import typer

from pmreport.cli.app import app, as_of_date, as_of_option, console, show_values_enabled, user_errors


@app.command()
@user_errors
def demo(
    sample: str = typer.Option("secondary", "--sample", help="Which bundled sample school: primary, secondary or secondary_messy."),
    out: Path = typer.Option(Path("pmreport-demo"), "--out", help="Folder for the demo's outputs."),
    as_of: str | None = as_of_option(),
) -> None:
    """Run pmreport on a bundled synthetic school: check the data, then show what it finds.

    Every name and school in the sample data is invented.
    """
    from pmreport.cli.validate import print_summary
    from pmreport.errors import InputUnusable
    from pmreport.pipeline import load_school
    from pmreport.samples import SAMPLE_DIR

    run_on = as_of_date(as_of)  # the run date, read once
    path = SAMPLE_DIR / f"{sample}.xlsx"
    if not path.exists():
        choices = ", ".join(sorted(p.stem for p in SAMPLE_DIR.glob("*.xlsx"))) or "none"
        raise InputUnusable(f"There is no bundled sample called '{sample}'.", f"Choose one of: {choices}.")
    console.rule(f"[bold]1. Checking the data[/bold] ({path.name}, synthetic)")
    data, report = load_school(path, show_values=show_values_enabled())
    print_summary(report)
    out.mkdir(parents=True, exist_ok=True)
    confidential = out / "head_confidential"

    console.rule("[bold]2. Checking the policy's deadlines and safeguards[/bold]")
    from pmreport.compliance import run_checks
    from pmreport.compliance.display import summary_table
    from pmreport.compliance.workbook import write_exceptions

    result = run_checks(data)
    from rich.markup import escape

    console.print(summary_table(result, escape(str(data.school_row(result.cycle).get("school_name")))))
    written = write_exceptions(result, confidential / "exceptions.xlsx")
    console.print(f"Named exceptions for the head: {written}")

    console.rule("[bold]3. Writing the annual report to governors[/bold] (anonymised, audited)")
    from pmreport.cli.report import print_written
    from pmreport.report.writer import write_report

    done = write_report(data, out, result.cycle, as_of=run_on, warn=lambda m: console.print(f"[yellow]Warning:[/yellow] {m}"))
    print_written(done)

    console.rule("[bold]4. The governors' dashboard[/bold] (one file, opens offline)")
    console.print(f"Dashboard: {done.governors['dashboard.html']}")

    console.rule("[bold]5. Moderation: consistency and equality[/bold] (policy §5, for the head)")
    from pmreport.moderation import run_moderation
    from pmreport.safe_output import write_tables

    moderation = run_moderation(data, cycle=result.cycle, as_of=run_on)
    for line in moderation.summary_lines():
        console.print(line, soft_wrap=True)
    write_tables(confidential / "moderation.xlsx", moderation.sheets(), confidential=True)
    console.print(f"Named moderation workbook for the head: {confidential / 'moderation.xlsx'}")

    console.print(f"\nDemo finished. Outputs are in {out.resolve()}.")
