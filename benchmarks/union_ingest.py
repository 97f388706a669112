"""Benchmark the union side: ingest N synthetic returns, against a bare calamine read of the same files.

    python benchmarks/union_ingest.py --sizes 100 1000 20000 --write-docs

For each size it measures, each in a fresh process so that peak memory is the run's own:

* a bare read of the same files with python-calamine (every sheet of every return, one process);
* ``pmreport union ingest`` (2 worker processes): wall time, rows a second, peak memory of the main
  process and of the largest worker;
* the union's Ibis queries on the store made (DuckDB): time of each;
* for sizes up to ``--report-max``, the whole gated report (``pmreport union report``).

The cohort is made once at the largest size (one return per school, one cycle) and the smaller
sizes take its first files. Results go to ``<work>/results.json`` and, with ``--write-docs``, to
the "Union" section of docs/performance.md (other sections are left as they are).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"

BARE = """
import json, resource, sys, time
from pathlib import Path
from python_calamine import CalamineWorkbook
files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
start = time.perf_counter(); rows = 0
for f in files:
    wb = CalamineWorkbook.from_path(str(f))
    for name in ("people", "school", "compliance"):
        rows += max(0, len(wb.get_sheet_by_name(name).to_python()) - 1)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rows": rows, "files": len(files),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

INGEST = """
import json, resource, sys, time
from pmreport.union.ingest import ingest
start = time.perf_counter()
s = ingest(sys.argv[1], sys.argv[2], workers=int(sys.argv[3]))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rows_read": s.rows_read, "rows_loaded": s.rows_loaded,
                  "rows_rejected": s.rows_rejected, "balanced": s.balanced, "files_loaded": s.files_loaded,
                  "peak_mb_main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "peak_mb_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

QUERIES = """
import json, sys, time
from pmreport.union.analysis import queries as q
from pmreport.union.analysis.models import mantel_haenszel
from pmreport.union.analysis.source import from_store
data = from_store(sys.argv[1])
p = data.people
cycle = q.cycles(p)[-1]
jobs = {
    "pay progression by working pattern (per school)": lambda: q.pay_counts(p, "working_pattern"),
    "pay progression by ethnic group (per school)": lambda: q.pay_counts(p, "ethnicity_group"),
    "school-adjusted odds ratio, part-time v. full-time": lambda: mantel_haenszel(
        q.pay_counts(p, "working_pattern", [cycle]), "working_pattern", ["part_time"], ["full_time"]),
    "compliance by rule and local authority": lambda: q.rule_counts(p, by=("cycle", "local_authority")),
    "workload indicators per school": lambda: q.school_indicators(p),
    "trends by cycle": lambda: q.trends(p),
    "person-level rows for the disclosure gate": lambda: q.microdata_frame(p, [cycle]),
}
out = {}
for name, job in jobs.items():
    start = time.perf_counter(); job(); first = time.perf_counter() - start
    start = time.perf_counter(); job(); second = time.perf_counter() - start
    out[name] = {"first": first, "again": second}
print(json.dumps(out))
"""

SPARK = """
import json, sys, time
start = time.perf_counter()
from pmreport.union.analysis import queries as q
from pmreport.union.analysis.source import from_parquet, spark_session
from pmreport.union.ingest import export_parquet
export_parquet(sys.argv[1], sys.argv[2] + "/pq", replace=True)
exported = time.perf_counter() - start
start = time.perf_counter()
spark = spark_session(sys.argv[2])
data = from_parquet(sys.argv[2] + "/pq", spark)
started = time.perf_counter() - start
p = data.people
jobs = {
    "pay progression by working pattern (per school)": lambda: q.pay_counts(p, "working_pattern"),
    "compliance by rule and local authority": lambda: q.rule_counts(p, by=("cycle", "local_authority")),
    "workload indicators per school": lambda: q.school_indicators(p),
    "person-level rows for the disclosure gate": lambda: q.microdata_frame(p),
}
out = {"export_parquet": exported, "spark_start": started}
for name, job in jobs.items():
    start = time.perf_counter(); job(); out[name] = time.perf_counter() - start
spark.stop()
print(json.dumps(out))
"""

REPORT = """
import json, sys, time
from pmreport.union.analysis.union_report import report_from_store
start = time.perf_counter()
r = report_from_store(sys.argv[1], sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - start, "tables": r.tables}))
"""


def run(code: str, *args: str, timeout: float | None = None) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def cohort(work: Path, size: int, seed: int) -> Path:
    from pmreport.union.cohort import make_cohort

    full = work / f"cohort-{size}"
    if not full.exists() or len(list(full.glob("*.xlsx"))) < size:
        start = time.perf_counter()
        make_cohort(size, full, cycles=1, seed=seed, workers=2)
        print(f"made {size} returns in {time.perf_counter() - start:.0f} s", flush=True)
    return full


def clone(source: Path, target: Path, n: int) -> Path:
    """``n`` returns made from ``source``'s by giving copies new URNs (a byte-level edit of the sheets' XML).

    Making 20,000 returns from scratch takes an hour on two cores (openpyxl writes about 10 a
    second); a copy under a new URN is a different return to the union (another hash, another school)
    with the same shape of content, and takes milliseconds.
    """
    import zipfile

    target.mkdir(parents=True, exist_ok=True)
    base = sorted(source.glob("return-*.xlsx"))
    have = len(list(target.glob("*.xlsx")))
    for j in range(have, n):
        original = base[j % len(base)]
        if j < len(base):
            os.link(original, target / original.name)
            continue
        urn = original.name.split("-")[1]
        new_urn = f"8{j:06d}"
        with zipfile.ZipFile(original) as src, zipfile.ZipFile(target / original.name.replace(urn, new_urn), "w",
                                                               zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml":
                    data = data.replace(urn.encode(), new_urn.encode())
                dst.writestr(info, data)
    return target


def subset(source: Path, target: Path, n: int) -> Path:
    if target.exists() and len(list(target.glob("*.xlsx"))) == n:
        return target
    target.mkdir(parents=True, exist_ok=True)
    for f in sorted(source.glob("*.xlsx"))[:n]:
        link = target / f.name
        if not link.exists():
            os.link(f, link)
    return target


def measure(work: Path, folder: Path, size: int, report_max: int, spark_max: int = 0) -> dict:
    db = work / f"union-{size}.duckdb"
    if db.exists():
        db.unlink()
    load_before = os.getloadavg()[0]
    bare = run(BARE, str(folder))
    ingest = run(INGEST, str(folder), str(db), "2")
    queries = run(QUERIES, str(db))
    result = {"returns": size, "bare": bare, "ingest": ingest, "queries": queries,
              "db_mb": db.stat().st_size / 2**20, "load": [load_before, os.getloadavg()[0]]}
    if size <= report_max:
        result["report"] = run(REPORT, str(db), str(work / f"report-{size}"))
    if size <= spark_max:
        result["spark"] = run(SPARK, str(db), str(work / f"spark-{size}"))
    print(json.dumps(result, indent=1), flush=True)
    return result


def markdown(results: list[dict]) -> str:
    lines = [
        "## Union",
        "",
        f"Measured with `python benchmarks/union_ingest.py` on {platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores. Synthetic returns (`pmreport union sample-cohort`, "
        "one return per school, one cycle; about 50 people and 18 rules a return; beyond the returns made from "
        "scratch, copies under new URNs). Ingest uses 2 worker processes; "
        "the bare read is python-calamine reading the same sheets of the same files in one process, with nothing "
        "else. Peak memory is the largest resident set of the main process and of any worker.",
        "",
        "| returns | rows | bare calamine read | ingest (2 workers) | rows a second | ingest ÷ bare | peak memory, main / worker | store |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        b, i = r["bare"], r["ingest"]
        lines.append(f"| {r['returns']:,} | {i['rows_read']:,} | {b['seconds']:.1f} s | {i['seconds']:.1f} s | "
                     f"{i['rows_read'] / i['seconds']:,.0f} | {i['seconds'] / b['seconds']:.2f} | "
                     f"{i['peak_mb_main']:.0f} / {i['peak_mb_worker']:.0f} MB | {r['db_mb']:.0f} MB |")
    loads = ", ".join(f"{r['returns']:,}: {r['load'][0]:.1f} to {r['load'][1]:.1f}" for r in results)
    lines += ["", "Every run balanced (rows read = rows loaded + rows refused). Load average on the machine during "
              f"each run (other work was running too): {loads}.", "",
              "Query times on the DuckDB store (Ibis; first run / again), in seconds:", ""]
    names = list(results[0]["queries"])
    lines.append("| query | " + " | ".join(f"{r['returns']:,} returns" for r in results) + " |")
    lines.append("|---|" + "---:|" * len(results))
    for name in names:
        cells = [f"{r['queries'][name]['first']:.2f} / {r['queries'][name]['again']:.2f}" for r in results]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    reports = [r for r in results if "report" in r]
    if reports:
        lines += ["", "The whole gated report (`pmreport union report`: every table through the disclosure gate and "
                  "its audit under the union policy):", ""]
        for r in reports:
            lines.append(f"- {r['returns']:,} returns: {r['report']['seconds']:.0f} s ({r['report']['tables']} tables)")
        lines += ["", "The tables are made with the quick gate and the full audit (with the colleague's attack) "
                  "runs once over all of them; see docs/union.md (Limits) for 5,000 and 20,000 returns."]
    sparks = [r for r in results if "spark" in r]
    if sparks:
        lines += ["", "The same queries on Spark 4.0 (local[2]) over the Parquet dataset, in seconds (the test "
                  "`tests/union/test_spark.py` checks they give the same figures as DuckDB):", ""]
        for r in sparks:
            sp = r["spark"]
            timed = "; ".join(f"{k} {v:.1f}" for k, v in sp.items() if k not in ("export_parquet", "spark_start"))
            lines.append(f"- {r['returns']:,} returns: export to Parquet {sp['export_parquet']:.1f}, Spark start "
                         f"{sp['spark_start']:.1f}; {timed}")
    return "\n".join(lines) + "\n"


def write_docs(text: str) -> None:
    """Replace the Union section of docs/performance.md (or add it), leaving every other section alone."""
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n\n"
    lines = doc.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.strip() == "## Union"), None)
    if start is None:
        doc = doc.rstrip("\n") + "\n\n" + text
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        doc = "".join(lines[:start]) + text + ("\n" + "".join(lines[end:]) if end < len(lines) else "")
    DOC.write_text(doc, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/pmreport-union-bench"))
    parser.add_argument("--cohort", type=Path, default=None, help="an existing folder of returns to start from")
    parser.add_argument("--generate", type=int, default=1000,
                        help="returns to make from scratch; larger sizes are made by copying them under new URNs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--report-max", type=int, default=100, help="time the gated report up to this many returns")
    parser.add_argument("--spark-max", type=int, default=0, help="time the queries on Spark up to this many returns")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--docs-only", action="store_true", help="rewrite the docs from <work>/results.json")
    args = parser.parse_args()
    if args.docs_only:
        write_docs(markdown(json.loads((args.work / "results.json").read_text(encoding="utf-8"))))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    made = min(max(args.sizes), args.generate)
    source = args.cohort or cohort(args.work, made, args.seed)
    available = len(list(source.glob("return-*.xlsx")))
    results = []
    for size in sorted(args.sizes):
        target = args.work / f"returns-{size}"
        folder = subset(source, target, size) if size <= available else clone(source, target, size)
        results.append(measure(args.work, folder, size, args.report_max, args.spark_max))
    (args.work / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    text = markdown(results)
    print(text)
    if args.write_docs:
        write_docs(text)


if __name__ == "__main__":
    main()
