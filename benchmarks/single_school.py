"""Single-school benchmark: pmreport end to end against the floor of reading the same workbook.

    .venv/bin/python benchmarks/single_school.py [--sizes 15 30 60 120 150] [--repeats 3] [--write]

For each school size a synthetic school (3 cycles, planted problems) is written to a workbook.
Then, each in a fresh Python process, repeated and the best time kept:

* **floor**: import the same libraries pmreport imports on this path, then read every sheet of
  the workbook with calamine. Nothing else.
* **validate**, **check**, **report**: the real commands (`report` with `--no-pdf` when the
  report command offers it, since PDF printing is excluded from the target).

It also times the stages in-process (read, normalise and validate, rules, report), reports peak
memory (max RSS of the child), the ratio to the floor, and the slope of time against staff
count. `--write` puts the tables into docs/performance.md (the "Single school" section).
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
FLOOR = """
import sys, great_expectations, pandas, numpy, openpyxl, plotly, scipy.optimize, holidays, jinja2, docx
import pmreport.cli
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
rows = sum(len(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names)
print(rows)
"""


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def best(cmd: list[str], repeats: int) -> tuple[float, float]:
    results = [run(cmd) for _ in range(repeats)]
    return min(r[0] for r in results), max(r[1] for r in results)


def stages(path: Path) -> dict[str, float]:
    """Per-stage seconds, measured in this process (libraries already imported)."""
    from pmreport.compliance import run_checks
    from pmreport.pipeline import build
    from pmreport.reading import read_input

    out: dict[str, float] = {}
    t = time.perf_counter()
    raw = read_input(path)
    out["read"] = time.perf_counter() - t
    t = time.perf_counter()
    data, _ = build(raw)
    out["normalise + validate"] = time.perf_counter() - t
    t = time.perf_counter()
    for cycle in data.cycles:
        run_checks(data, cycle)
    out["rules (all cycles)"] = time.perf_counter() - t
    try:
        from pmreport.report import timed_stages  # type: ignore[attr-defined]
    except ImportError:
        return out
    out.update(timed_stages(data))
    return out


def report_command(path: Path, out: Path) -> list[str]:
    exe = str(Path(PY).with_name("pmreport"))
    help_text = subprocess.run([exe, "report", "--help"], capture_output=True, text=True).stdout
    if "report" not in subprocess.run([exe, "--help"], capture_output=True, text=True).stdout or not help_text:
        return []
    cmd = [exe, "report", str(path), "--out", str(out)]
    return cmd + (["--no-pdf"] if "--no-pdf" in help_text else [])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[15, 30, 60, 120, 150])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="write the results into docs/performance.md")
    args = ap.parse_args()

    from pmreport.synth import Effects, generate

    exe = str(Path(PY).with_name("pmreport"))
    rows, stage_rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"school_{n}.xlsx"
            generate(phase="secondary", seed=n, n_staff=n, effects=Effects.all_breaches(0.05)).write_xlsx(path)
            floor_s, floor_mb = best([PY, "-c", FLOOR, str(path)], args.repeats)
            val_s, val_mb = best([exe, "validate", str(path)], args.repeats)
            chk_s, chk_mb = best([exe, "check", str(path)], args.repeats)
            rep = report_command(path, Path(tmp) / f"out_{n}")
            rep_s, rep_mb = best(rep, args.repeats) if rep else (float("nan"), float("nan"))
            rows.append((n, floor_s, val_s, chk_s, rep_s, floor_mb, max(val_mb, chk_mb, rep_mb if rep else 0)))
            stage_rows.append((n, stages(path)))
            print(f"{n:4d} staff: floor {floor_s:.2f}s  validate {val_s:.2f}s ({val_s / floor_s:.2f}x)  "
                  f"check {chk_s:.2f}s ({chk_s / floor_s:.2f}x)  report {rep_s:.2f}s ({rep_s / floor_s:.2f}x)", flush=True)
    text = render(rows, stage_rows, args.repeats)
    print(text)
    if args.write:
        write_section(text)


def slope(xs: list[int], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else float("nan")


def render(rows, stage_rows, repeats: int) -> str:
    lines = ["## Single school", "",
             f"`python benchmarks/single_school.py --write` (best of {repeats} runs, each in a fresh process; "
             "synthetic secondary schools, 3 cycles, planted problems). The floor imports the same libraries "
             "and reads every sheet with calamine, nothing else.", "",
             "| staff | floor (s) | validate (s) | × floor | check (s) | × floor | report, no PDF (s) | × floor | floor peak MB | pmreport peak MB |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, f, v, c, r, fmb, pmb in rows:
        lines.append(f"| {n} | {f:.2f} | {v:.2f} | {v / f:.2f} | {c:.2f} | {c / f:.2f} | {r:.2f} | {r / f:.2f} | {fmb:.0f} | {pmb:.0f} |")
    xs = [r[0] for r in rows]
    lines += ["", f"Slope, seconds per extra member of staff: validate {slope(xs, [r[2] for r in rows]) * 1000:.1f} ms, "
                  f"check {slope(xs, [r[3] for r in rows]) * 1000:.1f} ms.", "",
              "Stages, measured in one process (libraries already imported):", ""]
    names = list(dict.fromkeys(k for _, st in stage_rows for k in st))
    lines += ["| staff | " + " | ".join(names) + " |", "|---:|" + "---:|" * len(names)]
    for n, st in stage_rows:
        lines.append(f"| {n} | " + " | ".join(f"{st.get(k, float('nan')):.2f}" for k in names) + " |")
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    doc = ROOT / "docs" / "performance.md"
    current = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n\nMeasured figures, each with the command that reproduces it.\n\n"
    pattern = re.compile(r"## Single school\n.*?(?=\n## |\Z)", re.S)
    current = pattern.sub(text.rstrip("\n"), current) if pattern.search(current) else current.rstrip("\n") + "\n\n" + text
    doc.write_text(current, encoding="utf-8")


if __name__ == "__main__":
    main()
