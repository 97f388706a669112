"""Single-school benchmark: pmreport end to end against the floor of reading the same workbook.

    .venv/bin/python benchmarks/single_school.py [--sizes 15 30 60 120 150] [--cycles 1 2 3 4 5]
                                                 [--repeats 3] [--write]

For each school size a synthetic secondary school (3 cycles, planted problems) is written to a
workbook. Then, each in a fresh Python process, repeated and the best time kept:

* **floor**: a process that imports exactly the libraries ``pmreport report`` imports (the
  third-party modules it loaded, recorded from a real run, in the order it loaded them) and reads every
  sheet of the workbook with calamine. Nothing else.
* **end to end**: ``pmreport report --no-pdf``: read, validate, the policy's rules, the report's
  analyses, every table through the disclosure gate, the full audit, then HTML, Word (with its
  charts), the dashboard, report.json and the head's pack. PDF printing is excluded, as issue 9 says.
  Everything runs in one process (the second process of issue 9 was removed in issue 15).
* **validate** and **check**: the commands on their own.

It also times the stages (libraries already imported), the peak memory of each child process (its maximum
resident set), the ratio to the floor, and how the cost grows with the
number of staff and, at 60 staff, with the number of cycles (least-squares slopes). ``--write``
puts the result into docs/performance.md (the "Single school" section).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
EXE = str(Path(PY).with_name("pmreport"))

#: Run pmreport's CLI in this process and write, at exit, every third-party module it loaded, in order
#: (with those of any child process it forked, should a command ever start one).
RECORD = """
import atexit, glob, os, sys, sysconfig
import multiprocessing.process as mp
site = sysconfig.get_paths()["purelib"]
target = sys.argv[1]
def loaded():
    return [n for n, m in list(sys.modules.items())
            if (getattr(m, "__file__", None) or "").startswith(site) and not n.startswith(("_", "pmreport"))
            and "editable" not in n]
def dump():
    names = loaded()
    for part in sorted(glob.glob(target + ".child.*")):
        seen = set(names)
        names += [n for n in open(part).read().split() if n not in seen]
        os.remove(part)
    open(target, "w").write("\\n".join(names))
bootstrap = mp.BaseProcess._bootstrap
def child(self, *args, **kwargs):  # a forked child leaves by os._exit: no atexit there
    try:
        return bootstrap(self, *args, **kwargs)
    finally:
        open(f"{target}.child.{os.getpid()}", "w").write("\\n".join(loaded()))
mp.BaseProcess._bootstrap = child
atexit.register(dump)
from pmreport.cli import main
sys.argv = ["pmreport", *sys.argv[2:]]
main()
"""

FLOOR = """
import importlib, sys
for name in open(sys.argv[1]).read().split():
    try:
        importlib.import_module(name)
    except Exception:
        pass
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[2])
print(sum(len(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names))
"""


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one child process (with a second process of its own,
    the larger of the two: the kernel reports the largest)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err.read()[-2000:].decode()}")
    return seconds, usage.ru_maxrss / 1024


def best(cmd: list[str], repeats: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    results = [run(cmd, env) for _ in range(repeats)]
    return min(r[0] for r in results), max(r[1] for r in results)


def record_modules(cmd: list[str], modules: Path) -> tuple[int, int]:
    """Record the third-party modules ``pmreport <cmd>`` loads; how many, and of how many packages."""
    proc = subprocess.run([PY, "-c", RECORD, str(modules), *cmd], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"pmreport {' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    names = modules.read_text().split()
    return len(names), len({n.split(".")[0] for n in names})


def stages(path: Path) -> dict[str, float]:
    """Seconds per stage of the report, in this process (libraries already imported by a first run)."""
    import pmreport.pipeline as pipeline
    from pmreport.jobs import write_governors_report
    from pmreport.moderation import run_moderation
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
        (pipeline, "build"): "_build", (report_content, "run_checks"): "rules",
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
            done = write_governors_report(data, Path(tmp), pdf=False)
            total = time.perf_counter() - start
            moderation_start = time.perf_counter()
            run_moderation(data, cycle=done.report["cycle"])  # the head's pack runs it; timed here on its own
            moderation = time.perf_counter() - moderation_start
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
        "analyses": spent.get("analyses", 0.0) + moderation,
        "disclosure gate": spent.get("_tables", 0.0),
        "disclosure audit": spent.get("audit", 0.0),
        "render": sum(t.get(k, 0.0) for k in ("report.json", "html", "dashboard", "docx", "head pack")) - moderation,
        "total": total,
    }


def slope(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else float("nan")


def measure(path: Path, tmp: Path, repeats: int) -> dict[str, float]:
    """Each command against its own floor: the same third-party modules it loads, and a calamine read."""
    out: dict[str, float] = {}
    commands = {"e2e": ["report", str(path), "--out", str(tmp / f"{path.stem}_out"), "--no-pdf"],
                "validate": ["validate", str(path)], "check": ["check", str(path)]}
    for name, cmd in commands.items():
        modules = tmp / f"{path.stem}.{name}.modules"
        count, packages = record_modules(cmd, modules)
        floor_s, floor_mb = best([PY, "-c", FLOOR, str(modules), str(path)], repeats)
        run_s, run_mb = best([EXE, *cmd], repeats)
        out |= {name: run_s, f"{name}_mb": run_mb, f"{name}_floor": floor_s, f"{name}_floor_mb": floor_mb,
                f"{name}_modules": count, f"{name}_packages": packages}
    out["floor"], out["floor_mb"] = out["e2e_floor"], out["e2e_floor_mb"]
    out["modules"], out["packages"] = out["e2e_modules"], out["e2e_packages"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[15, 30, 60, 120, 150])
    ap.add_argument("--cycles", type=int, nargs="+", default=[1, 2, 3, 4, 5], help="cycles to try at 60 staff")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="write the results into docs/performance.md")
    args = ap.parse_args()

    from pmreport.synth import Effects, generate

    load = [os.getloadavg()[0]]
    rows, cycle_rows, stage_rows = [], [], []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for n in args.sizes:
            path = tmp / f"school_{n}.xlsx"
            generate(phase="secondary", seed=n, n_staff=n, effects=Effects.all_breaches(0.05)).write_xlsx(path)
            r = measure(path, tmp, args.repeats)
            rows.append((n, r))
            stages(path)  # the first run imports what pmreport imports lazily
            stage_rows.append((n, stages(path)))
            print(f"{n:4d} staff: floor {r['floor']:.2f}s  end to end {r['e2e']:.2f}s ({r['e2e'] / r['floor']:.2f}x)  "
                  f"validate {r['validate']:.2f}s ({r['validate'] / r['validate_floor']:.2f}x)  "
                  f"check {r['check']:.2f}s ({r['check'] / r['check_floor']:.2f}x)", flush=True)
        for k in args.cycles:
            path = tmp / f"cycles_{k}.xlsx"
            generate(phase="secondary", seed=60 + k, n_staff=60, cycles=k,
                     effects=Effects.all_breaches(0.05)).write_xlsx(path)
            r = measure(path, tmp, args.repeats)
            cycle_rows.append((k, r))
            print(f"60 staff, {k} cycles: floor {r['floor']:.2f}s  end to end {r['e2e']:.2f}s", flush=True)
    load.append(os.getloadavg()[0])
    text = render(rows, cycle_rows, stage_rows, args.repeats, load)
    print(text)
    if args.write:
        write_section(text)


def render(rows, cycle_rows, stage_rows, repeats: int, load: list[float]) -> str:  # noqa: ANN001
    lines = [
        "## Single school", "",
        f"`python benchmarks/single_school.py --write`, run {dt.date.today():%d %B %Y} on {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, {os.cpu_count()} cores (load average "
        f"{load[0]:.1f} at the start, {load[-1]:.1f} at the end). Best of {repeats} runs, each in a fresh process; "
        "synthetic secondary schools with 3 cycles and planted problems. The **floor** imports the "
        f"{rows[0][1]['modules']:,} third-party modules (of {rows[0][1]['packages']} packages) that `pmreport report` "
        "loads, in the same order, and reads "
        "every sheet with calamine; nothing else. **End to end** is `pmreport report --no-pdf`: read, validate, "
        "the policy's rules, the analyses, every table through the disclosure gate, the full audit, then HTML, "
        "Word with its charts, the dashboard, report.json and the head's pack, all in one process.", "",
        "| staff | floor (s) | end to end (s) | × floor | floor peak MB | "
        "end to end peak MB | validate (s) | × its floor | check (s) | × its floor |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in rows:
        f = r["floor"]
        lines.append(f"| {n} | {f:.2f} | {r['e2e']:.2f} | **{r['e2e'] / f:.2f}** | {r['floor_mb']:.0f} | "
                     f"{r['e2e_mb']:.0f} | {r['validate']:.2f} | {r['validate'] / r['validate_floor']:.2f} | "
                     f"{r['check']:.2f} | {r['check'] / r['check_floor']:.2f} |")
    lines += ["", "`validate` and `check` load fewer libraries than `report`, so each is compared with its own floor "
                  f"(the {rows[0][1]['validate_modules']:,} and {rows[0][1]['check_modules']:,} modules they load, and "
                  "the same calamine read)."]
    xs = [float(n) for n, _ in rows]
    above = [r["e2e"] - r["floor"] for _, r in rows]
    lines += ["", "Scaling with staff (least squares over the sizes above): end to end above the floor grows by "
                  f"{slope(xs, above) * 1000:.1f} ms per member of staff; validate by "
                  f"{slope(xs, [r['validate'] - r['validate_floor'] for _, r in rows]) * 1000:.1f} ms; check by "
                  f"{slope(xs, [r['check'] - r['check_floor'] for _, r in rows]) * 1000:.1f} ms."]
    if cycle_rows:
        ks = [float(k) for k, _ in cycle_rows]
        lines += ["", "Scaling with cycles (60 staff; the report shows the latest cycle and the two before it):", "",
                  "| cycles | floor (s) | end to end (s) | × floor |", "|---:|---:|---:|---:|"]
        lines += [f"| {k} | {r['floor']:.2f} | {r['e2e']:.2f} | {r['e2e'] / r['floor']:.2f} |" for k, r in cycle_rows]
        lines += ["", f"Slope: {slope(ks, [r['e2e'] - r['floor'] for _, r in cycle_rows]):.2f} s per extra cycle "
                      "above the floor."]
    names = [k for k in stage_rows[0][1] if k != "total"]
    lines += ["", "Stages in seconds, measured in one process with the libraries already imported (the head's pack "
                  "includes the moderation analysis, counted under analyses):", "",
              "| staff | " + " | ".join(names) + " | total |", "|---:|" + "---:|" * (len(names) + 1)]
    for n, st in stage_rows:
        lines.append(f"| {n} | " + " | ".join(f"{st[k]:.2f}" for k in names) + f" | {st['total']:.2f} |")
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
