"""``pmreport sample``: write a synthetic school's workbook (and its ground truth) to try pmreport on."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from pmreport.cli.app import app, console, user_errors
from pmreport.errors import PmreportError


class Phase(StrEnum):
    primary = "primary"
    secondary = "secondary"
    special = "special"
    all_through = "all_through"


def _check_effects(value: str) -> str:
    from pmreport.synth import Effects

    try:
        Effects.parse(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


@app.command(
    help=(
        "Make a sample workbook for an invented school, to try pmreport without real data.\n\n"
        "Everyone in it is made up. The same --seed always gives the same school. Beside the "
        "workbook it writes a [bold].truth.json[/bold] file listing every problem that was planted "
        "on purpose (for testing).\n\n"
        "Examples:\n\n"
        "  pmreport sample sample.xlsx\n\n"
        "  pmreport sample big.xlsx --phase secondary --seed 7 --effects all\n\n"
        "  pmreport sample export.xlsx --messy   (laid out like a real MIS export)"
    ),
)
@user_errors
def sample(
    out: Path = typer.Argument(..., help="Where to save the workbook (.xlsx), or the folder to create with --csv."),
    phase: Phase = typer.Option(Phase.primary, "--phase", help="Kind of school: primary (about 25 staff), secondary (about 120), special (about 40) or all_through (about 180; with --staff up to 2000, the size of a multi-academy trust)."),
    seed: int = typer.Option(1, "--seed", help="Any whole number. The same number always makes the same school."),
    staff: int | None = typer.Option(None, "--staff", min=8, max=2000, help="Number of staff (8 to 2000) instead of the usual size for the phase."),
    cycles: int = typer.Option(3, "--cycles", min=1, max=10, help="Number of appraisal years (cycles) to include."),
    first_year: int = typer.Option(2023, "--first-year", min=2000, max=2090, help="Year the first cycle starts (2023 means 2023/24)."),
    messy: bool = typer.Option(False, "--messy", help="Lay the workbook out like a real MIS export: title rows, other column names, dates as text."),
    csv: bool = typer.Option(False, "--csv", help="Write a folder of CSV files (one per sheet) instead of a workbook."),
    effects: str = typer.Option(
        "none", "--effects", callback=_check_effects,
        help="Problems to plant: none, all (every kind of breach in about 5% of records), or a list such as "
             "late_reviews=0.1,short_notice=2,harsh_reviewer=30,pay_gap=0.5,pay_gap_group=sex=female.",
    ),
    canaries: bool = typer.Option(False, "--canaries", help="Plant recognisable made-up names and notes, to prove they never reach governors' reports."),
    force: bool = typer.Option(False, "--force", help="Replace the output if it already exists."),
    as_json: bool = typer.Option(False, "--json", help="Print what was made (files, staff, cycles, planted problems) as JSON."),
) -> None:
    from pmreport.synth import Effects, generate

    planted = Effects.parse(effects)
    if messy and csv:
        raise PmreportError("--messy only applies to workbooks, not to CSV folders.", fix="Use --messy or --csv, not both.")
    if not csv and out.suffix.lower() != ".xlsx":
        raise PmreportError(f"The output name {out.name!r} does not end in .xlsx.", fix="Give a name such as sample.xlsx, or add --csv to write a folder.")
    if out.exists() and not force:
        raise PmreportError(f"{out} already exists, so nothing was written.", fix="Choose another name, or add --force to replace it.")
    school = generate(phase=phase.value, seed=seed, n_staff=staff, cycles=cycles, effects=planted,
                      first_cycle_year=first_year, canaries=canaries, file_name=out.name)
    if csv:
        school.write_csv_dir(out)
        what = "CSV files"
    else:
        school.write_xlsx(out, messy=messy)
        what = "messy workbook" if messy else "workbook"
    truth = school.truth
    if as_json:
        typer.echo(json.dumps({"command": "sample", "file": str(out), "truth": str(out.with_suffix(".truth.json")),
                               "school_name": school.school_name, "staff": truth["n_staff"],
                               "cycles": list(truth["cycles"]), "planted": len(truth["breaches"])},
                              indent=2, ensure_ascii=False))
        return
    console.print(f"Made [bold]{school.school_name}[/bold] (invented): {truth['n_staff']} staff, "
                  f"cycles {', '.join(truth['cycles'])}, {len(truth['breaches'])} planted problems.")
    console.print(f"Wrote the {what} to {out}")
    console.print(f"Wrote the ground truth to {out.with_suffix('.truth.json')}")
