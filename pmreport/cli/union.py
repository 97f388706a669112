"""``pmreport union ...``: the union side (load returns, export Parquet, report, make a synthetic cohort)."""

from __future__ import annotations

from pathlib import Path

import typer

from pmreport.cli.app import app, console, err_console, quiet_enabled, shown, stages, user_errors

union_app = typer.Typer(
    name="union",
    help=(
        "For union officers: load many schools' anonymised returns, and report on workload and fairness across "
        "schools.\n\n"
        "  pmreport union ingest returns/ --db union.duckdb\n\n"
        "  pmreport union report --db union.duckdb --out report/ --school 123456\n\n"
        "  pmreport union export-parquet --db union.duckdb --out parquet/\n\n"
        "  pmreport union sample-cohort 40 --out cohort/   (made-up returns to try it on)"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(union_app, name="union")


@union_app.command("new-key")
@user_errors
def new_key_command(
    file: Path = typer.Argument(..., help="Where to save the key, for example ~/keys/pmreport-union-key.txt. Never "
                                          "an existing file."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON (for other programs)."),
) -> None:
    """Make your school's secret key for union returns (once, the first year only).

    A random 256-bit key is saved in FILE, readable by you only. Give it to every export-return with --school-key
    FILE. Keep it away from the workbooks you share, back it up, and never send it: with the same key the same
    person has the same code every year. A new key means codes no longer match earlier returns.
    """
    from pmreport import jobs

    key = jobs.union_new_key(file)
    if as_json:
        typer.echo(key.to_json())
        return
    console.print(f"Made a new school key in {shown(key.path)} (readable by you only), fingerprint {key.fingerprint}. "
                  "Use it with: pmreport export-return WORKBOOK --out RETURN.xlsx --school-key "
                  f"{shown(key.path)}. Back it up and never send it.", soft_wrap=True)


@union_app.command("ingest")
@user_errors
def ingest_command(
    folder: Path = typer.Argument(..., help="The folder of returns (.xlsx; sub-folders are searched too)."),
    db: Path = typer.Option(..., "--db", help="The union's store (a DuckDB file, made if it does not exist)."),
    workers: int = typer.Option(2, "--workers", min=1, max=64, help="Returns read at the same time."),
    batch: int = typer.Option(2000, "--batch", min=1, max=100000, help="Returns validated together."),
    replace: bool = typer.Option(False, "--replace", help="Let a different return replace the one held for the same "
                                 "school and cycle (check with the school first)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON (for other programs)."),
) -> None:
    """Load every return in a folder into the union's store.

    The same return loaded twice counts once. A different return for a school and cycle already held is held back,
    with both files' fingerprints, sizes and row counts, until you check it with the school and load it with
    --replace (then the newer replaces the older). A return dated in the future is refused. A return that cannot be
    read or is not valid is listed with the reason and left out, and the rest load. Every row is accounted for:
    rows read = rows loaded + rows refused. Every version of each school's return is kept in return_history.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from pmreport import jobs

    quiet = as_json or quiet_enabled()
    with Progress(TextColumn("Loading returns"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=err_console, transient=False, disable=quiet) as progress:
        task = progress.add_task("returns", total=None)
        done = jobs.union_ingest(folder, db, workers=workers, batch=batch, replace=replace,
                                 progress=lambda n: progress.advance(task, n),
                                 on_total=lambda total: progress.update(task, total=total))
    summary = done.summary
    if as_json:
        typer.echo(done.to_json())
        raise typer.Exit(done.exit_code)
    console.print(f"Returns found: {summary.files_found}; loaded: {summary.files_loaded} "
                  f"(replacing {summary.returns_replaced} older); already held: {summary.files_duplicate}; "
                  f"older than one held: {summary.files_superseded}; held back (need --replace): "
                  f"{summary.files_held_back}; refused: {summary.files_rejected}.", soft_wrap=True)
    for r in summary.replacements:
        console.print(f"[bold]Replaced:[/bold] {shown(r.describe())}", soft_wrap=True)
    console.print(f"Rows read: {summary.rows_read:,} = loaded {summary.rows_loaded:,} + refused {summary.rows_rejected:,}"
                  f"{'' if summary.balanced else '  [bold red]DO NOT BALANCE[/bold red]'}. "
                  f"({summary.rows_per_second:,.0f} rows a second; this run is number {summary.run_id} in ingest_log.)", soft_wrap=True)
    for r in summary.rejections:
        err_console.print(f"[yellow]Not loaded:[/yellow] {shown(r.file)}: {shown(r.reason)}", soft_wrap=True)
    if summary.notes:
        err_console.print(f"Note: {len(summary.notes)} column(s) not part of the return format were ignored, for "
                          f"example {shown(summary.notes[0])}.", soft_wrap=True)
    raise typer.Exit(done.exit_code)


@union_app.command("export-parquet")
@user_errors
def export_parquet_command(
    db: Path = typer.Option(..., "--db", help="The union's store (made by pmreport union ingest)."),
    out: Path = typer.Option(..., "--out", help="The folder to write the Parquet dataset into."),
    replace: bool = typer.Option(False, "--replace", help="Write over the folder if it is not empty."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON (for other programs)."),
) -> None:
    """Write the store as a Parquet dataset partitioned by cycle and local authority (for Spark and other engines)."""
    from pmreport import jobs

    done = jobs.union_export_parquet(db, out, replace=replace)
    if as_json:
        typer.echo(done.to_json())
        return
    counts = done.counts["rows"]
    console.print(f"Wrote {shown(out)}: " + ", ".join(f"{t} {n:,} rows" for t, n in counts.items())
                  + ". people/ and compliance/ are partitioned by cycle and local authority (hive style).", soft_wrap=True)


@union_app.command("report")
@user_errors
def report_command(
    db: Path = typer.Option(..., "--db", help="The union's store (made by pmreport union ingest)."),
    out: Path = typer.Option(..., "--out", help="The folder to write the report into."),
    school: str | None = typer.Option(None, "--school", help="Also compare this school (its URN) with similar schools."),
    cycle: str | None = typer.Option(None, "--cycle", help="The cycle to report on, written 2025/26. Default: the "
                                     "latest with returns from enough schools to publish figures (at least 3)."),
    la: str | None = typer.Option(None, "--la", help="Keep the report to the schools of one local authority, "
                                  "written as the returns write it (for example 'Kent')."),
    region: str | None = typer.Option(None, "--region", help="Keep the report to the schools of one of England's "
                                      "nine regions (for example 'South West'), found from each return's local "
                                      "authority."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON (for other programs)."),
) -> None:
    """Write the union report, web pages you can open offline.

    Pay progression by sex, ethnic group, working pattern, age, disability and pregnancy, taking account of
    differences between schools; workload and how schools differ; how well the policy's rules were kept;
    trends; who the figures cover. Every table also as CSV and as an accessible spreadsheet, and in
    union-dashboard.html: the same published tables as charts with a table beside each, filtered by cycle and
    by breakdown (sex, phase, local authority ...), made from union-tables.json alone. With --school, that
    school beside similar schools, in files of its own; with --la or --region, one local authority's or one
    region's schools only. Every
    figure passes disclosure control, the rule of at least 3 schools included.
    """
    from pmreport import jobs

    with stages(as_json) as progress:
        progress("Reading the store, making every table through the disclosure gate and writing the report")
        done = jobs.union_report(db, out, school=school, cycle=cycle, la=la, region=region)
    if as_json:
        typer.echo(done.to_json())
        return
    result = done.result
    if result.withheld:
        console.print(f"Wrote the union report for {shown(result.cycle)}, with its coverage only. "
                      f"{shown(result.withheld)}", soft_wrap=True)
    else:
        console.print(f"Wrote the union report for {shown(result.cycle)} ({result.tables} tables, each passed the "
                      f"disclosure audit), from {result.coverage_words}:", soft_wrap=True)
    cov = result.figures.coverage if result.figures else None
    for warning in (cov.warnings if cov else []):
        err_console.print(f"[yellow]Warning:[/yellow] {shown(warning)}", soft_wrap=True)
    csv_files = [f for f in result.files if f.suffix == ".csv"]
    for f in result.files:
        if f.suffix != ".csv":
            console.print(f"  {shown(f)}", soft_wrap=True)
    if csv_files:
        console.print(f"  {shown(csv_files[0].parent)} ({len(csv_files)} CSV files, one a table)", soft_wrap=True)


@union_app.command("sample-cohort")
@user_errors
def sample_cohort_command(
    schools: int = typer.Argument(..., min=1, max=100000, help="Number of invented schools."),
    out: Path = typer.Option(..., "--out", help="The folder to write the returns into."),
    cycles: int = typer.Option(3, "--cycles", min=1, max=10, help="Cycles per school (one return each)."),
    first_year: int = typer.Option(2023, "--first-year", min=2000, max=2090, help="Year the first cycle starts."),
    seed: int = typer.Option(1, "--seed", help="The same number always makes the same cohort."),
    realistic: bool = typer.Option(False, "--realistic", help="Make each school in full and export it as a school "
                                   "would (slower: about a second a school and cycle)."),
    workers: int = typer.Option(2, "--workers", min=1, max=64, help="Schools made at the same time."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON (for other programs)."),
) -> None:
    """Make invented schools' returns, with patterns planted across schools for the report to find: part-time
    staff progress less often, and one local authority's schools miss the review deadline more often
    (written to cohort.truth.json)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pmreport import jobs

    with Progress(TextColumn("Making schools"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, disable=as_json or quiet_enabled()) as progress:
        task = progress.add_task("schools", total=schools)
        done = jobs.union_sample_cohort(schools, out, cycles=cycles, first_year=first_year, seed=seed,
                                        realistic=realistic, workers=workers,
                                        progress=lambda n: progress.advance(task, n))
    if as_json:
        typer.echo(done.to_json())
        return
    console.print(f"Wrote {done.counts['returns']} returns from {schools} invented schools to {shown(out)}, and the "
                  f"planted patterns to {shown(Path(out) / 'cohort.truth.json')}.", soft_wrap=True)
