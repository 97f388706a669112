"""``pmreport template OUT.xlsx``: write the blank workbook a school fills in."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from pmreport.cli.app import app, console, user_errors


@app.command()
@user_errors
def template(
    out: Path = typer.Argument(..., metavar="OUT.xlsx", help="Where to save the blank workbook, for example pm-records.xlsx."),
    force: bool = typer.Option(False, "--force", help="Replace OUT.xlsx if it already exists."),
    as_json: bool = typer.Option(False, "--json", help="Print the file written as JSON."),
) -> None:
    """Write a blank workbook to fill in, with instructions, drop-down lists and date checks."""
    from pmreport.template import write_template  # openpyxl loads only when the command runs

    path = write_template(out, overwrite=force)
    if as_json:
        typer.echo(json.dumps({"command": "template", "file": str(path)}, indent=2, ensure_ascii=False))
        return
    console.print(f"Wrote a blank workbook to [bold]{path}[/bold].")
    console.print("Read its Instructions sheet, fill it in, then check it with:")
    shown = f'"{path}"' if " " in str(path) else str(path)
    console.print(f"  pmreport validate {shown}", markup=False)
