"""``pmreport map``: write a starter column map for a school's own export or tracker."""

from __future__ import annotations

from pathlib import Path

import typer

from pmreport.cli.app import app, console, mapping_option, shown, stages, user_errors


@app.command("map")
@user_errors
def map_command(
    path: Path = typer.Argument(..., help="The workbook (.xlsx) or folder of CSV files, as your MIS or tracker writes it."),
    out: Path = typer.Option(..., "--out", help="Where to write the map (.yaml), for example mapping.yaml."),
    mapping: Path | None = mapping_option(),
    force: bool = typer.Option(False, "--force", help="Replace the map if the file already exists."),
    as_json: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
) -> None:
    """Write a starter column map: every sheet and column of the workbook, which of pmreport's sheets and
    fields each was matched to (or nothing, with suggestions), and every value of a coded column that
    pmreport does not recognise.

    Edit the lines marked TO DO once, keep the file, and give it to every command with --mapping
    (validate, check, moderate, report, dashboard, export-return). With --mapping here too, the new
    map starts from the old one and lists what is still to decide. The workbook is never changed.
    """
    from pmreport import jobs
    from pmreport.errors import PmreportError

    if out.exists() and not force:
        raise PmreportError(f"{out} already exists, so nothing was written.", "Choose another name, or add --force.")
    with stages(as_json) as progress:
        done = jobs.write_map(path, out, mapping=mapping, progress=progress)
    if as_json:
        typer.echo(done.to_json())
    else:
        console.print(f"Column map written to {shown(done.path)}: {done.sheets} sheet{'s' if done.sheets != 1 else ''}, "
                      f"{done.matched} column{'s' if done.matched != 1 else ''} matched, "
                      f"{done.to_do} line{'s' if done.to_do != 1 else ''} marked TO DO for you to decide. "
                      f"Then run: pmreport validate {shown(path)} --mapping {shown(done.path)}", soft_wrap=True)
    raise typer.Exit(0)
