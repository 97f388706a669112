"""``pmreport demo``: every step on a bundled synthetic school, with what each one finds."""

from __future__ import annotations

from pathlib import Path

import typer

from pmreport.cli.app import (
    app,
    as_of_date,
    as_of_option,
    console,
    err_console,
    show_values_enabled,
    shown,
    stages,
    user_errors,
)


@app.command()
@user_errors
def demo(
    sample: str = typer.Option("secondary", "--sample", help="Which bundled sample school: primary, secondary or secondary_messy."),
    out: Path = typer.Option(Path("pmreport-demo"), "--out", help="Folder for the demo's outputs."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Also print the report to PDF with a browser (default: yes)."),
    as_json: bool = typer.Option(False, "--json", help="Print what was written, and the audit, as JSON (for other programs)."),
    as_of: str | None = as_of_option(),
) -> None:
    """Run pmreport on a bundled synthetic school: check the data, then show what it finds.

    Every name and school in the sample data is invented.
    """
    from rich.markup import escape

    from pmreport import jobs
    from pmreport.cli.report import print_written
    from pmreport.cli.validate import print_summary
    from pmreport.compliance.display import summary_table

    run_on = as_of_date(as_of)  # the run date, read once
    warnings: list[str] = []
    with stages(as_json) as progress:
        done = jobs.demo(sample, out, pdf=pdf, as_of=run_on, show_values=show_values_enabled(), warn=warnings.append,
                         progress=progress)
    if as_json:
        typer.echo(done.to_json())
        for message in warnings:
            err_console.print(f"[yellow]Warning:[/yellow] {shown(message)}", soft_wrap=True)
        return
    console.rule(f"[bold]1. Checking the data[/bold] ({done.sample.name}, synthetic)")
    print_summary(done.validation)

    console.rule("[bold]2. Checking the policy's deadlines and safeguards[/bold]")
    console.print(summary_table(done.compliance, escape(done.school_name) if done.school_name is not None else None))
    console.print(f"Named exceptions for the head: {shown(done.files['exceptions.xlsx'])}")

    console.rule("[bold]3. Writing the annual report to governors[/bold] (anonymised, audited)")
    for message in warnings:
        console.print(f"[yellow]Warning:[/yellow] {shown(message)}", soft_wrap=True)
    print_written(done.written)

    console.rule("[bold]4. The governors' dashboard[/bold] (one file, opens offline)")
    console.print(f"Dashboard: {shown(done.written.governors['dashboard.html'])}")

    console.rule("[bold]5. Moderation: consistency and equality[/bold] (policy §5, for the head)")
    for line in done.moderation.summary_lines():
        console.print(line, soft_wrap=True)
    console.print(f"Named moderation workbook for the head: {shown(done.files['moderation.xlsx'])}")

    console.print(f"\nDemo finished. Outputs are in {shown(Path(out).resolve())}.")
