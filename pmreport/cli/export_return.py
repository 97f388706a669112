"""``pmreport export-return``: the school's anonymised return for its union."""

from __future__ import annotations

from pathlib import Path

import typer

from pmreport.cli.app import app, as_of_date, as_of_option, console, mapping_option, shown, stages, user_errors
from pmreport.errors import PmreportError


@app.command(
    "export-return",
    help=(
        "Make your school's anonymised return for the union: one workbook you can read before you send it.\n\n"
        "Nobody is named: each person is a code made with your school's secret key, characteristics are in "
        "bands, and values are made less detailed or left out until every combination is shared by at least "
        "k people (5 unless you say). No free text and no dates (only the month of each review meeting).\n\n"
        "The codes need your school's key file, given with --school-key. Make it once, the first year only, with "
        "'pmreport union new-key FILE', keep it away from the workbooks you share, use it every year so that the "
        "union can follow trends, and never send it. The return's About sheet shows the key's fingerprint, not "
        "the key.\n\n"
        "Examples:\n\n"
        "  pmreport union new-key ~/keys/pmreport-union-key.txt     (once, the first year)\n\n"
        "  pmreport export-return school.xlsx --out return.xlsx --school-key ~/keys/pmreport-union-key.txt\n\n"
        "  pmreport export-return school.xlsx --out return.xlsx --school-key ~/keys/pmreport-union-key.txt "
        "--cycle 2025/26"
    ),
)
@user_errors
def export_return_command(
    path: Path = typer.Argument(..., help="Your school's workbook (.xlsx) or folder of CSV files."),
    out: Path = typer.Option(..., "--out", help="Where to save the return (.xlsx)."),
    school_key: Path | None = typer.Option(
        None, "--school-key", help="Your school's key file (made once with pmreport union new-key). Required."),
    cycle: str | None = typer.Option(None, "--cycle", help="The cycle to send, written 2025/26. Default: the latest."),
    k: int | None = typer.Option(None, "--k", min=2, max=50, help="Every combination of characteristics is shared by at "
                                 "least this many people (default 5)."),
    allow_errors: bool = typer.Option(False, "--allow-errors", help="Make the return even if some rows have errors "
                                      "(those rows are left out)."),
    force: bool = typer.Option(False, "--force", help="Replace the return if the file already exists."),
    as_json: bool = typer.Option(False, "--json", help="Print what was written (file, counts, key used) as JSON."),
    mapping: Path | None = mapping_option(),
    as_of: str | None = as_of_option(),
) -> None:
    from pmreport import jobs

    if out.exists() and not force:
        raise PmreportError(f"{out} already exists, so nothing was written.", "Choose another name, or add --force.")
    with stages(as_json) as progress:
        done = jobs.export_return(path, out, school_key=school_key, k=k, cycle=cycle, allow_errors=allow_errors,
                                   mapping=mapping, as_of=as_of_date(as_of), progress=progress)
    if as_json:
        typer.echo(done.to_json())
        return
    result = done.result
    ret = result.ret
    school = ret.school.iloc[0]
    console.print(f"Wrote the union return for URN {shown(school['urn'])}, cycle {shown(result.cycle)}, to "
                  f"{shown(result.path)}: {len(ret.people)} people, {len(ret.compliance)} rules.", soft_wrap=True)
    a = ret.anonymity
    if len(ret.people):
        console.print(f"Every combination of characteristics is shared by at least {a.k} people: {a.values_generalised} "
                      f"values were made less detailed and {a.values_suppressed} left out (shown as not_shown).", soft_wrap=True)
    console.print(f"Used the school key in {shown(result.key.path)}, fingerprint {result.key.fingerprint} (shown on the "
                  "return's About sheet; keep using this key every year; never send it).", soft_wrap=True)
    for warning in result.warnings:
        console.print(f"[yellow]Warning:[/yellow] {shown(warning)}", soft_wrap=True)
    console.print("Open the return and read the sheet 'About this return' before you send it: it is exactly what the "
                  "union receives.", soft_wrap=True)
