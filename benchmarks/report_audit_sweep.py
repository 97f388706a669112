"""Sweep: the governors' report's disclosure audit over many synthetic schools of 8 to 150 staff.

    .venv/bin/python benchmarks/report_audit_sweep.py                  # 220 schools, writes docs/disclosure.md
    .venv/bin/python benchmarks/report_audit_sweep.py --schools 20 --no-write

For every school (``pmreport.synth.generate`` with canaries planted, 1 to 3 cycles, some with
planted problems or a pay gap) it builds the whole report exactly as ``pmreport report`` does
(``build_content``: every table through one gate) and publishes it (``gate.publish()``: the full
adversarial audit of every table together, all years). The claim tested: the audit never finds a
way to recover a hidden figure or anyone's outcome from what the report publishes, and no
canary, staff id, name or individual date reaches report.json. Any school where that fails is
listed. The result is written into the "Sweep" section of docs/disclosure.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pmreport.errors import DisclosureRisk  # noqa: E402
from pmreport.jobs import governors_content  # noqa: E402
from pmreport.report import publish  # noqa: E402
from pmreport.report.writer import report_json  # noqa: E402
from pmreport.synth import Effects, generate  # noqa: E402

DOC = ROOT / "docs" / "disclosure.md"
TODAY = dt.date(2031, 1, 15)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
TOKENS = re.compile(rf"(?<![0-9])(?:\d{{1,2}}/\d{{1,2}}/\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} (?:{MONTHS}) \d{{4}}|\d{{6}})"
                    r"(?![0-9])")
DATE_FIELDS = {"staff": ("contract_start", "contract_end", "date_of_birth"),
               "reviews": ("notice_date", "meeting_date", "draft_statement_date", "final_statement_date",
                           "mid_year_review_date", "moderation_date", "revision_instructed_date", "revised_statement_date"),
               "objectives": ("target_date",), "observations": ("observation_date", "notice_date", "feedback_date",
                                                                "record_date"),
               "development": ("agreed_date",), "appeals": ("lodged_date", "outcome_date")}
SCHOOL_DATES = ("cycle_start", "cycle_end", "teacher_deadline", "head_deadline", "support_cycle_end")
EFFECTS = [
    Effects(),
    Effects(late_reviews=0.2, short_notice=0.1, no_mid_year=0.1, development_not_provided=0.2),
    Effects(observation_over_cap=0.2, late_feedback=0.2, appeal_before_moderation=1, training_outside_hours=0.2),
    Effects(pay_gap=1 / 3, pay_gap_group="sex=female", missing_reviews=0.1, late_moderation=0.2),
]


def plan(n: int) -> list[dict]:
    """``n`` schools, sizes spread evenly from 8 to 150 (a quarter under 20: the tiny schools)."""
    schools = []
    for i in range(n):
        size = 8 + round(i * 142 / max(1, n - 1)) if i % 4 else 8 + (i * 7) % 12  # every 4th school: 8 to 19 staff
        phase = "primary" if size < 40 else "special" if size < 60 else "secondary"
        schools.append({"seed": 1000 + i, "phase": phase, "n_staff": size, "cycles": 1 + i % 3, "effects": i % 4})
    return schools


def _forms(value) -> set[str]:
    ts = pd.Timestamp(value)
    return {f"{ts:%d/%m/%Y}", f"{ts.day}/{ts.month}/{ts.year}", f"{ts:%Y-%m-%d}", f"{ts.day} {ts:%B %Y}"}


def leaks(school, text: str) -> list[str]:
    """Canaries, staff ids, names and individual dates of the school found in ``text``."""
    words = {c["value"] for c in school.truth["canaries"]} | {str(r["name"]) for r in school.records["staff"]}
    ids = {str(r["staff_id"]) for r in school.records["staff"]}
    public = set().union(*(_forms(r[f]) for r in school.records["school"] for f in SCHOOL_DATES if r.get(f) is not None))
    public |= _forms(TODAY)
    dates = set()
    for sheet, fields in DATE_FIELDS.items():
        for row in school.records[sheet]:
            dates |= set().union(*(_forms(row[f]) for f in fields if row.get(f) is not None and not pd.isna(row[f])))
    found = set(TOKENS.findall(text)) & ((dates - public) | ids)
    found |= {w for w in words if re.search(rf"(?<![0-9A-Za-z]){re.escape(w)}(?![0-9A-Za-z])", text)}
    return sorted(found)


def one(spec: dict) -> dict:
    start = time.perf_counter()
    school = generate(spec["phase"], seed=spec["seed"], n_staff=spec["n_staff"], cycles=spec["cycles"],
                      effects=EFFECTS[spec["effects"]], canaries=True)
    row = dict(spec)
    try:
        content = governors_content(school.data)
        report = publish(content, TODAY)
    except DisclosureRisk as exc:
        return row | {"passed": False, "problem": exc.message, "seconds": time.perf_counter() - start}
    except Exception as exc:  # noqa: BLE001 - a bug is a result too
        return row | {"passed": False, "problem": f"{type(exc).__name__}: {exc}", "seconds": time.perf_counter() - start}
    tables = [t for s in report["sections"] for t in s["tables"]]
    found = leaks(school, report_json(report))
    return row | {
        "passed": not found, "problem": f"leaked: {found[:5]}" if found else "",
        "in_scope": content.md.staff_in_scope(content.cycle), "tables": len(tables), "remade": not content.gate.quick or bool(content.gate.thorough),
        "withheld": sum(1 for t in tables if not t["rows"]), "hidden": report["audit"]["hidden_cells"],
        "published": sum(1 for t in tables for r in t["rows"] for c in r["cells"] if "value" in c),
        "banded": sum(1 for t in tables for r in t["rows"] for c in r["cells"] if "low" in c),
        "cells": sum(len(r["cells"]) for t in tables for r in t["rows"]),
        "process": sum(1 for t in tables for r in t["rows"] for c in r["cells"] if c.get("process")),
        # whole-school process figures (counts) of the latest cycle not published, exactly or as a range
        "process_hidden": process_not_published(report),
        "seconds": time.perf_counter() - start,
    }


#: Whole-school process tables of the latest cycle: tables of rules (every row is the whole school) and tables
#: of one process outcome (the first row is the whole school), by the start of their id.
PROCESS_RULE_TABLES = ("timeliness-", "reviewers-", "review-process-", "observations-", "development-rules-")
PROCESS_TABLES = ("coverage-", "moderation-", "provision-", "observation-cap-")


def process_not_published(report: dict) -> int:
    """Counts of whole-school process figures of the latest cycle shown neither exactly nor as a range (and the
    rows of such a table if it is withheld)."""
    missing = 0
    for t in (t for s in report["sections"] for t in s["tables"]):
        if t["staff_group"] != "all" or t["cycle"] != report["cycle"]:
            continue
        if t["id"].startswith(PROCESS_RULE_TABLES):
            rows = t["rows"]
        elif t["id"].startswith(PROCESS_TABLES):
            rows = t["rows"][:1]
        else:
            continue
        if not t["rows"]:
            missing += 1
        for r in rows:
            missing += sum(1 for c, col in zip(r["cells"], t["columns"], strict=True)
                           if col["kind"] in ("count", "size") and c.get("shown") not in ("exact", "interval"))
    return missing


def markdown(results: list[dict], processes: int, wall: float) -> str:
    ok = [r for r in results if r["passed"]]
    bad = [r for r in results if not r["passed"]]
    sizes = [r["n_staff"] for r in results]
    secs = sorted(r["seconds"] for r in results)
    lines = [
        "## Sweep",
        "",
        f"`benchmarks/report_audit_sweep.py`, run {dt.date.today():%d %B %Y} on {processes} processes "
        f"({wall / 60:.1f} minutes; load average {os.getloadavg()[1]:.1f} on {os.cpu_count()} cores at the end, so "
        f"the times below include waiting for other jobs). For each of **{len(results)} synthetic schools** of {min(sizes)} to {max(sizes)} "
        f"staff ({sum(s < 20 for s in sizes)} with fewer than 20; 1 to 3 cycles; canaries planted; a quarter with "
        "no planted problems, the rest with late or missing reviews, breaches of the observation protocol, "
        "development not provided, appeals before moderation or a pay gap by sex) the whole governors' report was "
        "built through one gate and published with `gate.publish()`, the full audit of every table and year "
        "together (outsider and colleague-insider attacks). report.json was then searched for every canary, "
        "staff id, name and individual date of the school (as 31/10/2025, 2025-10-31 and 31 October 2025).",
        "",
        f"**Result: the audit passed on {len(ok)} of {len(results)} reports; nothing identifying was found in any "
        f"report.json.**" if not bad else
        f"**Result: {len(bad)} of {len(results)} reports FAILED** (listed below).",
        "",
        "| staff | schools | tables per report (median) | figures shown exactly (median) | shown as a range (median) "
        "| share of cells published, exactly or as a range (median) | share shown exactly (median) | process figures "
        "shown exactly (median) | hidden (median) | tables withheld | seconds per report (median / max) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for low, high in ((8, 19), (20, 39), (40, 79), (80, 150)):
        group = [r for r in ok if low <= r["n_staff"] <= high]
        if not group:
            continue
        s = [r["seconds"] for r in group]
        lines.append(f"| {low}–{high} | {len(group)} | {statistics.median(r['tables'] for r in group):.0f} | "
                     f"{statistics.median(r['published'] for r in group):.0f} | "
                     f"{statistics.median(r['banded'] for r in group):.0f} | "
                     f"{statistics.median((r['published'] + r['banded']) / r['cells'] for r in group if r['cells']):.0%} | "
                     f"{statistics.median(r['published'] / r['cells'] for r in group if r['cells']):.0%} | "
                     f"{statistics.median(r['process'] for r in group):.0f} | "
                     f"{statistics.median(r['hidden'] for r in group):.0f} | {sum(r['withheld'] for r in group)} | "
                     f"{statistics.median(s):.1f} / {max(s):.1f} |")
    lines += ["", f"Whole-school process figures of the latest cycle (counts and numbers of staff) published neither "
              f"exactly nor as a range: {sum(r['process_hidden'] for r in ok)} in all {len(ok)} reports (each is "
              "marked `\"process\": true` in report.json; an earlier cycle's figure in a comparison between years "
              "is not one, and goes through every rule)."]
    remade = sum(1 for r in ok if r.get("remade"))
    lines += ["", f"The tables were made with the quick gate (the colleague's attack left to the full audit) and "
              f"passed the full audit first time for {len(ok) - remade} of {len(ok)} reports; for {remade} the tables of "
              "the outcomes it objected to were made again with every check on each table (`DisclosureGate.remake`; "
              "see docs/performance.md)."]
    lines += ["", f"Median {statistics.median(secs):.1f} s per school, slowest {secs[-1]:.1f} s (synthetic data, "
              "building every table and auditing them; rendering is not included)."]
    if bad:
        lines += ["", "| seed | phase | staff | cycles | problem |", "|---|---|---|---|---|"]
        lines += [f"| {r['seed']} | {r['phase']} | {r['n_staff']} | {r['cycles']} | {r['problem']} |" for r in bad]
    lines += ["", "Rerun with `.venv/bin/python benchmarks/report_audit_sweep.py` (`--schools N` for a quick look, "
              "`--no-write` to leave this section alone). The unit tests run the same checks on five schools "
              "(8, 15, 25, 60 and 150 staff, `tests/report/test_content.py`).", ""]
    return "\n".join(lines)


def write_section(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    at = doc.find("\n## Sweep\n")
    if at >= 0:
        end = doc.find("\n## ", at + 1)
        doc = doc[:at + 1] + text + (doc[end + 1:] if end >= 0 else "")
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    DOC.write_text(doc, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=220)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="print the result; leave docs/disclosure.md alone")
    args = parser.parse_args()
    specs = plan(args.schools)
    start = time.perf_counter()
    results = []
    with Pool(args.processes) as pool:
        for i, r in enumerate(pool.imap_unordered(one, specs), start=1):
            results.append(r)
            mark = ("ok, remade" if r.get("remade") else "ok") if r["passed"] else f"FAILED: {r['problem']}"
            print(f"[{i}/{len(specs)}] seed {r['seed']} {r['phase']} {r['n_staff']} staff {r['cycles']} cycles "
                  f"{r['seconds']:.1f}s {mark}", flush=True)
    results.sort(key=lambda r: r["seed"])
    text = markdown(results, args.processes, time.perf_counter() - start)
    print(text)
    if not args.no_write:
        write_section(text)
        print(f"Written to {DOC.relative_to(ROOT)}.")
    sys.exit(0 if all(r["passed"] for r in results) else 1)


if __name__ == "__main__":
    main()
