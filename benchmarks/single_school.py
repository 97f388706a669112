"""Single-school benchmark: `pmreport report` end to end against a fixed floor, from 15 to 1,500 staff.

    .venv/bin/python benchmarks/single_school.py [--sizes 15 60 150 400 1500] [--repeats 3]
                                                 [--big-repeats 1] [--no-pdf] [--write]

For each size a synthetic school (3 cycles, planted problems; secondary up to 400 staff, an
all-through school the size of a multi-academy trust above that) is written to a workbook. Then,
each in a fresh Python process and alternating (floor, report, floor, report, ...):

* **floor**: a process that imports pandas, great_expectations and plotly and reads every sheet of
  the same workbook with ``pandas.read_excel(engine="calamine", sheet_name=None)``. Nothing else.
  The floor is fixed: it does not grow with what pmreport happens to import.
* **report**: ``pmreport report`` (with the PDF when a browser is found, unless ``--no-pdf``): read,
  validate, the policy's rules, the analyses, every table through the disclosure gate, the full
  audit, then HTML, PDF, Word with its charts, the dashboard, report.json and the head's pack.

Median, lowest and highest of the repeats (``--big-repeats`` for sizes above 400), the peak memory of
each (its largest process), the stages of one more run made in this process (libraries already
imported), and the load average of the machine before and after each size. ``--write`` puts the
result into docs/performance.md (the "Single school" section).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
EXE = str(Path(PY).with_name("pmreport"))

FLOOR = """
import sys
import pandas, great_expectations, plotly
sheets = pandas.read_excel(sys.argv[1], engine="calamine", sheet_name=None)
print(sum(len(frame) for frame in sheets.values()))
"""


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB, the largest of the process and the children it waited for)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} failed ({code}): {err.read()[-2000:].decode()}")
    return seconds, usage.ru_maxrss / 1024


def stages(path: Path, pdf: bool) -> dict[str, float]:
    """Seconds per stage of the report, in this process."""
    import pmreport.jobs as jobs
    import pmreport.pipeline as pipeline
    from pmreport.jobs import write_governors_report
    from pmreport.report import content as report_content

    spent: dict[str, float] = {}

    def timed(name: str, func):  # noqa: ANN001, ANN202 - a benchmark's wrapper
        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start
        return wrapper

    originals = {
        (pipeline, "read_input"): "read", (pipeline, "_gx_findings"): "validate", (pipeline, "_cross"): "validate",
        (pipeline, "build"): "_build", (jobs, "checks_for_report"): "rules",
        (report_content.m, "report_microdata"): "analyses", (report_content, "_make_tables"): "_tables",
        (report_content.DisclosureGate, "check"): "audit",
    }
    saved = {key: getattr(*key) for key in originals}
    for (owner, attr), name in originals.items():
        setattr(owner, attr, timed(name, saved[(owner, attr)]))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            data, _ = pipeline.load_school(path)
            done = write_governors_report(data, Path(tmp), pdf=pdf)
            total = time.perf_counter() - start
    finally:
        for (owner, attr), func in saved.items():
            setattr(owner, attr, func)
    t = done.timings
    validate = spent.get("validate", 0.0)
    return {
        "read": spent.get("read", 0.0),
        "normalise": spent.get("_build", 0.0) - validate,
        "validate": validate,
        "rules": spent.get("rules", 0.0),
        "analyses and tables": spent.get("_tables", 0.0) + spent.get("analyses", 0.0),
        "disclosure audit": spent.get("audit", 0.0),
        "files": sum(t.get(k, 0.0) for k in ("report.json", "html", "dashboard", "docx", "head pack")),
        "PDF (beside the files)": t.get("pdf (browser, beside the other files)", 0.0),
        "total": total,
    }


def make_school(n: int, path: Path) -> None:
    from pmreport.synth import Effects, generate

    phase = "secondary" if n <= 400 else "all_through"
    generate(phase=phase, seed=n, n_staff=n, effects=Effects.all_breaches(0.05)).write_xlsx(path)


def measure(path: Path, out: Path, repeats: int, pdf: bool) -> dict[str, list[float]]:
    """Floor and report, alternating, ``repeats`` times each."""
    floor_cmd = [PY, "-c", FLOOR, str(path)]
    report_cmd = [EXE, "report", str(path), "--out", str(out), *([] if pdf else ["--no-pdf"])]
    got: dict[str, list[float]] = {"floor": [], "floor_mb": [], "report": [], "report_mb": []}
    for _ in range(repeats):
        for name, cmd in (("floor", floor_cmd), ("report", report_cmd)):
            seconds, mb = run(cmd)
            got[name].append(seconds)
            got[f"{name}_mb"].append(mb)
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[15, 60, 150, 400, 1500])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--big-repeats", type=int, default=1, help="repeats for sizes above 400 staff")
    ap.add_argument("--no-pdf", action="store_true", help="measure `report --no-pdf`")
    ap.add_argument("--stages-max", type=int, default=100_000,
                    help="time the stages (one more run in this process) only up to this many staff")
    ap.add_argument("--save", type=Path, help="also save the results as JSON (to render several runs together)")
    ap.add_argument("--render", type=Path, nargs="+", help="render results saved by --save (no measuring)")
    ap.add_argument("--write", action="store_true", help="write the results into docs/performance.md")
    args = ap.parse_args()
    if args.render:
        saved = [json.loads(p.read_text()) for p in args.render]
        rows = sorted((row for s in saved for row in s["rows"]), key=lambda row: row[0])
        text = render(rows, argparse.Namespace(**saved[0]["args"]), saved[0]["pdf"])
        print(text)
        if args.write:
            write_section(text)
        return

    from pmreport.report.pdf import find_chromium

    pdf = not args.no_pdf and find_chromium() is not None
    rows = []
    warmed = False
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for n in args.sizes:
            path = tmp / f"school_{n}.xlsx"
            make_school(n, path)
            load_before = os.getloadavg()
            got = measure(path, tmp / f"out_{n}", args.repeats if n <= 400 else args.big_repeats, pdf)
            st: dict[str, float] = {}
            if n <= args.stages_max:
                if not warmed:  # the first run in this process imports what pmreport imports lazily
                    stages(path, pdf)
                    warmed = True
                st = stages(path, pdf)
            load_after = os.getloadavg()
            rows.append((n, got, st, load_before, load_after))
            med = statistics.median
            print(f"{n:5d} staff: floor {med(got['floor']):.2f}s  report {med(got['report']):.2f}s "
                  f"({med(got['report']) / med(got['floor']):.2f}x)  audit {st.get('disclosure audit', 0):.2f}s  "
                  f"peak {max(got['report_mb']):.0f} MB  load {load_before[0]:.1f} -> {load_after[0]:.1f}",
                  flush=True)
    if args.save:
        args.save.write_text(json.dumps({"rows": rows, "pdf": pdf, "args": {
            "repeats": args.repeats, "big_repeats": args.big_repeats}}))
    text = render(rows, args, pdf)
    print(text)
    if args.write:
        write_section(text)


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def render(rows, args, pdf: bool) -> str:  # noqa: ANN001
    what = "`pmreport report` (with the PDF)" if pdf else "`pmreport report --no-pdf`"
    big = [n for n, *_ in rows if n > 400]
    busiest = max(max(before[0], after[0]) for *_, before, after in rows)
    lines = [
        "## Single school", "",
        f"`python benchmarks/single_school.py --write`, run {dt.date.today():%d %B %Y} on {platform.system()} "  # noqa: DTZ011
        f"{platform.release()}, Python {platform.python_version()}, {os.cpu_count()} cores. "
        + (f"**The machine was busy**: other work was running (the highest one-minute load average was {busiest:.1f}; "
           "the load averages over 1, 5 and 15 minutes, before and after each size, are in the last column; on "
           f"{os.cpu_count()} cores anything above {os.cpu_count()} means the runs waited for a core), so the seconds "
           "are longer than on a quiet machine and the ratios noisier. "
           if busiest > (os.cpu_count() or 1) + 0.5 else
           f"The machine was quiet: nothing else ran (the highest one-minute load average was {busiest:.1f}, the "
           "benchmark's own processes included; the load averages over 1, 5 and 15 minutes, before and after each "
           "size, are in the last column). ")
        + (f"Median (lowest–highest) of {args.repeats} runs" if args.repeats > 1 else "One run")
        + (f" ({args.big_repeats} at {', '.join(f'{n:,}' for n in big)} staff)" if big else "")
        + " of each, each in a fresh process, the floor and the report alternating. Synthetic schools with 3 cycles and planted problems (secondary; all-through, "
        "the size of a multi-academy trust, above 400 staff). The **floor** is fixed: a process that imports "
        "pandas, great_expectations and plotly and reads every sheet of the same workbook with "
        "`pandas.read_excel(engine=\"calamine\", sheet_name=None)`. **Report** is "
        f"{what}: read, validate, the policy's rules, the analyses, every table through the disclosure gate, the "
        "full audit, then HTML, Word with its charts, the dashboard, report.json, the head's pack"
        + (" and the PDF (printed by the browser beside the other files)" if pdf else "") + ". Peak memory is "
        "the largest process's resident set.", "",
        "| staff | floor (s) | report (s) | × floor | floor peak MB | report peak MB | load before → after |",
        "|---:|---:|---:|---:|---:|---:|---|"]
    for n, got, _, before, after in rows:
        ratio = statistics.median(got["report"]) / statistics.median(got["floor"])
        lines.append(f"| {n:,} | {_spread(got['floor'])} | {_spread(got['report'])} | **{ratio:.2f}** | "
                     f"{max(got['floor_mb']):.0f} | {max(got['report_mb']):.0f} | "
                     f"{' / '.join(f'{v:.1f}' for v in before)} → {' / '.join(f'{v:.1f}' for v in after)} |")
    staged = [row for row in rows if row[2]]
    names = [k for k in staged[0][2] if k != "total"] if staged else []
    lines += ["", "Stages in seconds, from one more run in the benchmark's own process (libraries already "
                  "imported; the PDF is printed while the Word file and the head's pack are written, so it "
                  "overlaps \"files\"):", "",
              "| staff | " + " | ".join(names) + " | total |", "|---:|" + "---:|" * (len(names) + 1)]
    for n, _, st, _, _ in staged:
        lines.append(f"| {n:,} | " + " | ".join(f"{st[k]:.2f}" for k in names) + f" | {st['total']:.2f} |")
    unstaged = [f"{n:,}" for n, _, st, _, _ in rows if not st]
    if unstaged:
        lines += ["", f"Stages were not timed at {', '.join(unstaged)} staff in this run (each run there takes long "
                      "when the machine is busy)."]
    audits = [(n, st["disclosure audit"]) for n, _, st, _, _ in staged]
    growth = [f"{a[0]:,} → {b[0]:,} staff: ×{b[0] / a[0]:.1f} staff, ×{b[1] / a[1]:.1f} audit time"
              for a, b in zip(audits, audits[1:], strict=False) if a[1] > 0]
    if growth:
        lines += ["", "How the audit's time grows: " + "; ".join(growth) + "."]
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    doc = ROOT / "docs" / "performance.md"
    current = doc.read_text(encoding="utf-8")
    pattern = re.compile(r"## Single school\n.*?(?=\n## |\Z)", re.S)
    current = pattern.sub(lambda _: text.rstrip("\n") + "\n", current) if pattern.search(current) \
        else current.rstrip("\n") + "\n\n" + text
    doc.write_text(current, encoding="utf-8")


if __name__ == "__main__":
    main()
