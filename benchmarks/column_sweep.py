"""No command crashes on bad data, over every column of every sheet of the bundled samples (issue 16, item 9).

For each sample, each column of each sheet is deleted in turn, and one data cell of each column is blanked
(the cell picked with a fixed seed), each into a copy in a temporary folder (the samples are never changed).
Every command that reads a school's workbook then runs on the copy, in this process through typer's test
runner on ``pmreport.cli.app`` (a fresh process costs seconds of imports): ``validate``, ``check``,
``moderate``, ``report --no-pdf``, ``dashboard`` and ``export-return``. Each must end 0, 1 or 2, with no
traceback and no "unexpected problem". The result is in docs/reliability.md.

    nice -n 10 .venv/bin/python benchmarks/column_sweep.py --samples primary
    nice -n 10 .venv/bin/python benchmarks/column_sweep.py --samples secondary secondary_messy --kinds delete

Kept cheap, and said so in the summary: the report is written without PDF, Word charts or its own
dashboard; reading and validating a copy (the same for every command, and deterministic) is done once
per copy and shared by the commands unless ``--no-shared-validation``; ``dashboard`` runs on the copy
(its own reading, analysis and audit) unless ``--dashboard-from report-json``, when it draws the
report.json that ``report`` wrote (and is skipped when ``report`` wrote none). A crashing copy is kept
under ``--keep`` with the command's output. Deletions come first (every sample), then blanked cells.
``--json FILE`` is written after every copy; ``--resume`` skips the copies already in it, and
``--rerun-crashes`` runs again only the copies that crashed in it (after a fix). Exit code 0 when there
is no crash.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import openpyxl  # noqa: E402

from tests.support import mutations as m  # noqa: E402

SAMPLES = ["primary", "secondary", "secondary_messy"]
COMMANDS = ["validate", "check", "moderate", "report", "dashboard", "export-return"]
KINDS = ["delete", "blank"]
AS_OF = "31/08/2026"


def blank_cells(path: Path, seed: int) -> dict[tuple[str, int], int]:
    """For each (sheet, column) of the tables, one data row whose cell is not blank (fixed seed)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    rng = random.Random(seed)
    out: dict[tuple[str, int], int] = {}
    for ws in wb.worksheets:
        r0 = m.header_row(ws)
        filled: dict[int, list[int]] = defaultdict(list)
        for r, row in enumerate(ws.iter_rows(min_row=r0 + 1, values_only=True), start=r0 + 1):
            for c, v in enumerate(row, start=1):
                if v is not None and str(v).strip() != "":
                    filled[c].append(r)
        for c, rows in filled.items():
            out[(ws.title, c)] = rng.choice(rows)
    wb.close()
    return out


def variants(name: str, kind: str, seed: int) -> list[tuple[str, str, str, int, int | None]]:
    """(kind, sheet, heading, column, row) for every column of the sample: row is None for a deletion; a
    column with no filled data cell has nothing to blank."""
    src = m.SAMPLES / f"{name}.xlsx"
    cols = list(m.columns(src))
    if kind == "delete":
        return [(kind, sheet, heading, col, None) for sheet, col, heading in cols]
    rows = blank_cells(src, seed)
    return [(kind, sheet, heading, col, rows[(sheet, col)]) for sheet, col, heading in cols if (sheet, col) in rows]


def ident(name: str, kind: str, sheet: str, col: int) -> str:
    return f"{name}/{kind}/{sheet}/{col}"


def share_validation() -> Callable[[], None]:
    """Read and validate each copy once for all its commands: ``pmreport.pipeline.build`` memoised on the
    file (path, size, modification time) and the arguments, handing each command its own deep copy.
    Returns the function that empties the memo (called between copies)."""
    from pmreport import pipeline

    real = pipeline.build
    memo: dict[Any, Any] = {}

    def build(raw, *, show_values: bool = False, column_map=None):  # noqa: ANN001, ANN202
        path = Path(raw.path)
        st = path.stat() if path.exists() else None
        key = (str(path), None if st is None else (st.st_size, st.st_mtime_ns), show_values, column_map is None)
        if column_map is not None or key not in memo:
            result = real(raw, show_values=show_values, column_map=column_map)
            if column_map is not None:
                return result
            memo[key] = result
        return copy.deepcopy(memo[key])

    pipeline.build = build  # load_school, validate_path and jobs.validate look it up when called
    return memo.clear


def command_lines(path: Path, out: Path, key: Path, dashboard_from: str) -> dict[str, list[str]]:
    lines = m.commands(path, out, key)
    if dashboard_from == "report-json":
        lines["dashboard"][1] = str(out / "report" / "governors" / "report.json")
        lines["dashboard"] = [x for x in lines["dashboard"] if x not in ("--as-of", AS_OF)]
    return lines


def bad(code: int, text: str) -> str | None:
    """Why this run counts as a crash, or None."""
    if code not in (0, 1, 2):
        return f"exit {code}"
    if "Traceback" in text:
        return "traceback"
    if "unexpected problem" in text:
        return "unexpected problem"
    return None


def sweep(args: argparse.Namespace) -> dict[str, Any]:
    from pmreport.jobs import union_new_key

    clear = share_validation() if args.shared_validation else (lambda: None)
    work = Path(tempfile.mkdtemp(prefix="column-sweep-"))
    key = union_new_key(work / "school-key.txt").path
    keep = Path(args.keep)
    before: list[dict[str, Any]] = []
    if args.json_out and Path(args.json_out).exists() and (args.resume or args.rerun_crashes):
        before = json.loads(Path(args.json_out).read_text(encoding="utf-8"))["results"]
    plan = [(name, v) for kind in args.kinds for name in args.samples for v in variants(name, kind, args.seed)]
    if args.rerun_crashes:
        crashed = {ident(r["sample"], r["kind"], r["sheet"], r["column"]) for r in before if r["crashes"]}
        plan = [(name, v) for name, v in plan if ident(name, v[0], v[1], v[3]) in crashed]
        before = [r for r in before if ident(r["sample"], r["kind"], r["sheet"], r["column"]) not in crashed]
    elif args.resume:
        done_ids = {ident(r["sample"], r["kind"], r["sheet"], r["column"]) for r in before}
        plan = [(name, v) for name, v in plan if ident(name, v[0], v[1], v[3]) not in done_ids]
    k, n_shards = (int(x) for x in args.shard.split("/"))
    plan = plan[k - 1::n_shards]
    if args.limit:
        plan = plan[: args.limit]
    results: list[dict[str, Any]] = list(before)
    started = time.perf_counter()
    spent = sum(r["seconds"] for r in before)
    try:
        for n, (name, (kind, sheet, heading, col, row)) in enumerate(plan, start=1):
            t0 = time.perf_counter()
            folder = work / f"{n}"
            folder.mkdir()
            src = m.SAMPLES / f"{name}.xlsx"
            path = folder / f"{name}.xlsx"
            if kind == "delete":
                m.without_column(src, path, sheet, col)
                label = f"{name}: {sheet} without '{heading}'"
            else:
                m.with_blank_cell(src, path, sheet, row or 0, col)
                label = f"{name}: {sheet}!{openpyxl.utils.get_column_letter(col)}{row} ('{heading}') blank"
            clear()
            exits: dict[str, int] = {}
            crashes: dict[str, str] = {}
            timings: dict[str, float] = {}
            for command, line in command_lines(path, folder / "out", key, args.dashboard_from).items():
                if command not in args.commands:
                    continue
                if command == "dashboard" and args.dashboard_from == "report-json" and not Path(line[1]).exists():
                    continue  # report wrote nothing (exit 1): nothing to draw
                t1 = time.perf_counter()
                code, text = m.run(line)
                timings[command] = round(time.perf_counter() - t1, 2)
                exits[command] = code
                why = bad(code, text)
                if why is not None:
                    crashes[command] = why
                    where = keep / f"{n}-{name}-{kind}-{sheet}-{col}"
                    where.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, where / path.name)
                    (where / f"{command}.txt").write_text(" ".join(line) + "\n\n" + text, encoding="utf-8")
            seconds = time.perf_counter() - t0
            results.append({"sample": name, "kind": kind, "sheet": sheet, "heading": heading, "column": col, "row": row,
                            "exits": exits, "crashes": crashes, "seconds": round(seconds, 2), "timings": timings})
            if args.json_out:
                save(args.json_out, results, spent + time.perf_counter() - started)
            shown = " ".join(f"{c} {e}" for c, e in exits.items())
            flag = f"  CRASH {crashes}" if crashes else ""
            print(f"[{n}/{len(plan)}] {label}: {shown} ({seconds:.1f} s){flag}", flush=True)
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"results": results, "seconds": round(spent + time.perf_counter() - started, 1)}


def save(target: str, results: list[dict[str, Any]], seconds: float) -> None:
    tmp = Path(target).with_suffix(".part")
    tmp.write_text(json.dumps({"results": results, "seconds": round(seconds, 1)}, indent=1), encoding="utf-8")
    tmp.replace(target)


def summary(done: dict[str, Any], args: argparse.Namespace) -> str:
    rows = done["results"]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["sample"], r["kind"])].append(r)
    lines = ["| sample | change | copies | commands run | exit 0 | exit 1 | exit 2 | crashes | seconds |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    total: Counter[str] = Counter()
    for (sample, kind), rs in groups.items():
        codes = Counter(c for r in rs for c in r["exits"].values())
        runs = sum(len(r["exits"]) for r in rs)
        crashes = sum(len(r["crashes"]) for r in rs)
        secs = sum(r["seconds"] for r in rs)
        change = "a column deleted" if kind == "delete" else "a cell blanked (one per column)"
        lines.append(f"| {sample} | {change} | {len(rs)} | {runs} | {codes[0]} | {codes[1]} | {codes[2]} | {crashes} | "
                     f"{secs:.0f} |")
        total.update({"copies": len(rs), "runs": runs, "crashes": crashes, "0": codes[0], "1": codes[1], "2": codes[2]})
    lines.append(f"| all | | {total['copies']} | {total['runs']} | {total['0']} | {total['1']} | {total['2']} | "
                 f"{total['crashes']} | {done['seconds']:.0f} |")
    by_command = Counter((c, e) for r in rows for c, e in r["exits"].items())
    secs: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        for c, s in r.get("timings", {}).items():
            secs[c].append(s)
    lines += ["", "| command | runs | " + " | ".join(f"exit {e}" for e in (0, 1, 2)) + " | other | crashes | mean seconds |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for c in args.commands:
        runs = sum(n for (cc, _), n in by_command.items() if cc == c)
        other = sum(n for (cc, e), n in by_command.items() if cc == c and e not in (0, 1, 2))
        crashed = sum(1 for r in rows if c in r["crashes"])
        mean = sum(secs[c]) / len(secs[c]) if secs[c] else 0.0
        lines.append(f"| {c} | {runs} | " + " | ".join(str(by_command[(c, e)]) for e in (0, 1, 2))
                     + f" | {other} | {crashed} | {mean:.1f} |")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    machine = "" if args.summarise else f"load average {load:.1f} at the end; "
    lines += ["", f"Python {platform.python_version()}, {os.cpu_count()} cores, {machine}"
              f"validation {'shared by the commands of a copy' if args.shared_validation else 'run by each command'}; "
              f"dashboard from {'the copy' if args.dashboard_from == 'workbook' else 'the report.json report wrote'}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("--samples", nargs="+", choices=SAMPLES, default=SAMPLES, help="bundled samples to sweep (default: all)")
    p.add_argument("--kinds", nargs="+", choices=KINDS, default=KINDS,
                   help="delete: each column deleted; blank: one cell of each column blanked (default: both)")
    p.add_argument("--commands", nargs="+", choices=COMMANDS, default=COMMANDS, help="commands to run (default: all)")
    p.add_argument("--dashboard-from", choices=["workbook", "report-json"], default="workbook",
                   help="dashboard on the broken copy itself, or on the report.json report wrote from it (cheaper)")
    p.add_argument("--no-shared-validation", dest="shared_validation", action="store_false",
                   help="validate the copy again in every command (slower; the same result)")
    p.add_argument("--seed", type=int, default=16, help="picks the cell blanked in each column (default 16)")
    p.add_argument("--limit", type=int, default=0, help="stop after this many copies (for a quick try)")
    p.add_argument("--keep", default="column-sweep-crashes", help="folder for crashing copies and their output")
    p.add_argument("--json", dest="json_out", help="write every run's exit codes and times to this JSON file (after each copy)")
    p.add_argument("--resume", action="store_true", help="skip the copies already in the --json file")
    p.add_argument("--shard", default="1/1", help="K/N: run every Nth copy from the Kth (several processes, one --json each)")
    p.add_argument("--summarise", nargs="+", metavar="JSON", help="print the summary of earlier --json files and stop")
    p.add_argument("--rerun-crashes", action="store_true", help="run only the copies that crashed in the --json file")
    args = p.parse_args(argv)
    if args.summarise:
        parts = [json.loads(Path(f).read_text(encoding="utf-8")) for f in args.summarise]
        done = {"results": [r for x in parts for r in x["results"]], "seconds": sum(x["seconds"] for x in parts)}
        print(summary(done, args))
        return 1 if any(r["crashes"] for r in done["results"]) else 0
    done = sweep(args)
    table = summary(done, args)
    print()
    print(table)
    if args.json_out:
        save(args.json_out, done["results"], done["seconds"])
    crashes = sum(len(r["crashes"]) for r in done["results"])
    print(f"\n{len(done['results'])} copies, {crashes} crash(es)" + (f"; kept under {args.keep}" if crashes else ""))
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
