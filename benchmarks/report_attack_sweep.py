"""Sweep: the tests' independent attackers against the governors' report of many synthetic schools.

    nice -n 10 .venv/bin/python benchmarks/report_attack_sweep.py                 # 200 schools, writes docs/disclosure.md
    nice -n 10 .venv/bin/python benchmarks/report_attack_sweep.py --schools 6 --no-write

The attackers are the tests' own (tests/support/), written independently of the audit's code; they read only
the published report.json, as a governor would:

- ``subtraction_attack.attack``: subtraction within every row and across the per-group tables (tests/disclosure/
  test_process.py);
- ``interval_attack.attack``: every published figure and band as a range, narrowed by every sum the attacker can
  read off the report (within rows, all staff = teachers + support staff, a breakdown's groups, the same row in two
  tables), as an outsider and as a colleague who knows their own record;
- ``version_attack.compare``: two versions of one cycle's report compared, knowing who left or whose record was
  corrected (tests/disclosure/test_versions.py).

For every school (the plan of benchmarks/report_audit_sweep.py: 8 to 150 staff, a quarter with no planted
problems; one cycle unless ``--cycles-as-planned``) the report is made as ``pmreport report`` makes it (every table
through one gate, audited with the record of the version before, published; the files are not rendered), then made
again after deleting one leaver's rows, then again after correcting one person's assessment; each version is
attacked, and each re-issue compared with the version before. Results go to the "Independent attackers" section of docs/disclosure.md; every school's result is also
appended to a JSON-lines file as it finishes (``--results``), so an interrupted run can go on (``--resume``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from report_audit_sweep import EFFECTS, plan  # noqa: E402

from pmreport.disclosure import versions  # noqa: E402
from pmreport.errors import DisclosureRisk  # noqa: E402
from pmreport.jobs import checks_for_report  # noqa: E402
from pmreport.report import publish  # noqa: E402
from pmreport.report.content import build_content  # noqa: E402
from pmreport.synth import generate  # noqa: E402
from tests.support import interval_attack, subtraction_attack, version_attack  # noqa: E402

DOC = ROOT / "docs" / "disclosure.md"
RESULTS = ROOT / "benchmarks" / "results" / "report_attack_sweep.jsonl"
TODAY = dt.date(2031, 1, 15)
#: what counts as learning something about a person (``narrowed``, "0 to k people", is recorded but is not one)
DISCLOSURES = ("small", "everyone", "insider-small", "insider-everyone")


def _people(data, cycle: str) -> tuple[list[str], list[str]]:
    """Staff (not the headteacher) with a review in ``cycle``: everyone, and those with an assessment."""
    staff = data.tables["staff"]
    head = set(staff.loc[staff["role_group"] == "headteacher", "staff_id"].astype(str))
    reviews = data.tables["reviews"]
    mine = reviews[reviews["cycle"] == cycle]
    ids = [s for s in dict.fromkeys(mine["staff_id"].astype(str)) if s not in head]
    assessed = [s for s in dict.fromkeys(mine.loc[mine["assessment"].isin(["met", "not_met", "partly_met"]),
                                                   "staff_id"].astype(str)) if s not in head]
    return ids, assessed


def _attacks(report: dict) -> dict:
    found = interval_attack.attack(report)
    kinds = Counter(f.kind for f in found)
    return {"subtraction": subtraction_attack.attack(report) + subtraction_attack.attack(report, personal_only=False),
            "disclosed": [str(f) for f in found if f.kind in DISCLOSURES],
            "narrowed": kinds.get("narrowed", 0),
            "hidden": sum(1 for t in subtraction_attack.tables(report) for r in t["rows"] for c in r["cells"]
                          if "value" not in c and c.get("shown") in ("hidden", "interval"))}


def _version(data, prior: versions.PriorVersion | None, salt: str) -> tuple[dict, versions.PriorVersion, bool]:
    """One version of the report as ``pmreport report`` makes it (pmreport/report/writer.py: every table through one
    gate, audited with the record of the version before, then published), without rendering the files: report.json's
    dictionary, the record of what it published, and whether it shows anything less exactly than the version
    before."""
    content = build_content(data, None, compliance=checks_for_report(data, as_of=TODAY), salt=salt, prior=prior)
    report = publish(content, TODAY)
    tables = [t for s in report["sections"] for t in s["tables"]]
    hid_more = bool(prior is not None and versions.hidden_since(prior, tables))
    record = versions.record(content.gate.tables, content.md, content.salt, number=1 if prior is None else
                             prior.number + 1, written=report["generated"], shown=versions.shown_map(tables))
    return report, versions.load(record), hid_more


def one(spec: dict) -> dict:
    start = time.perf_counter()
    row = dict(spec)
    school = generate(spec["phase"], seed=spec["seed"], n_staff=spec["n_staff"], cycles=spec["cycles"],
                      effects=EFFECTS[spec["effects"]])
    data = school.data
    rng = random.Random(spec["seed"])
    salt = f"sweep-{spec['seed']}"
    try:
        first, record, _ = _version(data, None, salt)
        cycle = first["cycle"]
        ids, assessed = _people(data, cycle)
        leaver = rng.choice(ids)
        after = version_attack.without(data, leaver)
        assessed = [s for s in assessed if s != leaver]
        second, record, hid2 = _version(after, record, salt)
        made = [first, second]
        hid_more = [hid2]
        if assessed:
            third, record, hid3 = _version(version_attack.corrected(after, rng.choice(assessed), cycle), record, salt)
            made.append(third)
            hid_more.append(hid3)
    except DisclosureRisk as exc:
        return row | {"error": f"the audit refused a version: {exc.message}", "seconds": time.perf_counter() - start}
    except Exception as exc:  # noqa: BLE001 - a bug is a result too
        return row | {"error": f"{type(exc).__name__}: {exc}", "seconds": time.perf_counter() - start}
    attacked = [_attacks(r) for r in made]
    compared = [version_attack.compare(a, b) for a, b in zip(made, made[1:], strict=False)]
    return row | {
        "error": "",
        "in_scope": len(ids) + 1, "versions": len(made), "hid_more": sum(hid_more),
        "subtraction": sorted({x for a in attacked for x in a["subtraction"]}),
        "disclosed": sorted({x for a in attacked for x in a["disclosed"]}),
        "narrowed": attacked[0]["narrowed"], "hidden": attacked[0]["hidden"],
        "reissue": [x for c in compared for x in c],
        "seconds": time.perf_counter() - start,
    }


def failed(r: dict) -> bool:
    return bool(r["error"] or r.get("subtraction") or r.get("disclosed") or r.get("reissue"))


def markdown(results: list[dict], processes: int, wall: float, planned: int | None = None) -> str:
    sizes = [r["n_staff"] for r in results]
    bad = [r for r in results if failed(r)]
    ok = [r for r in results if not r["error"]]
    secs = sorted(r["seconds"] for r in results)
    lines = [
        "## Independent attackers",
        "",
        f"`benchmarks/report_attack_sweep.py`, run {dt.date.today():%d %B %Y} with `nice -n 10` on {processes} "
        f"processes ({wall / 60:.1f} minutes; load average {os.getloadavg()[1]:.1f} on {os.cpu_count()} cores at the "
        f"end). "
        + (f"The run was stopped after {len(results)} of the {planned} schools planned (the machine was shared and "
           "busy; `--resume` goes on from where it stopped). " if planned and planned > len(results) else "")
        + f"For each of **{len(results)} synthetic schools** of {min(sizes)} to {max(sizes)} staff "
        f"({sum(s < 20 for s in sizes)} with fewer than 20; the plan of the sweep above, "
        f"{'1 to 3 cycles' if max(r['cycles'] for r in results) > 1 else 'one cycle each'}) the governors' report was "
        "made as `pmreport report` makes it (every table through one gate, audited, published; the files were not "
        "rendered), then re-issued after deleting one leaver's rows (a member of staff "
        "with a review, chosen at random), then re-issued again after correcting one person's assessment (met to "
        "not met, or to met), each re-issue audited with the record of the version before. The tests' attackers, "
        "which read only report.json and share no code with the audit (`tests/support/`), then attacked every "
        "version: subtraction within rows and across the staff groups (`subtraction_attack`); every figure and band "
        "as a range, narrowed by every sum that can be read off the report, as an outsider and as a colleague who "
        "knows their own record (`interval_attack`); and each re-issue against the version before, knowing who "
        "left or whose record was corrected (`version_attack`).",
        "",
        (f"**Result: over {len(ok)} schools ({sum(r['versions'] for r in ok)} versions of a report) no attacker "
         "learned anyone's outcome.**") if not bad else
        f"**Result: {len(bad)} of {len(results)} schools had a finding or an error** (listed below).",
        "",
        "| staff | schools | versions | subtraction findings | range findings (small number, everyone, insider) "
        "| re-issue findings | re-issues that had to hide more | hidden or banded figures of version 1 (median) "
        "| of them narrowed to \"0 to k\" (k ≤ 4; median) | seconds per school, three versions (median / max) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for low, high in ((8, 19), (20, 39), (40, 79), (80, 150)):
        group = [r for r in ok if low <= r["n_staff"] <= high]
        if not group:
            continue
        s = [r["seconds"] for r in group]
        lines.append(f"| {low}–{high} | {len(group)} | {sum(r['versions'] for r in group)} | "
                     f"{sum(len(r['subtraction']) for r in group)} | {sum(len(r['disclosed']) for r in group)} | "
                     f"{sum(len(r['reissue']) for r in group)} | {sum(r['hid_more'] for r in group)} | "
                     f"{statistics.median(r['hidden'] for r in group):.0f} | "
                     f"{statistics.median(r['narrowed'] for r in group):.0f} | "
                     f"{statistics.median(s):.1f} / {max(s):.1f} |")
    lines += ["", "\"Narrowed\" is not a finding: a hidden figure known to be from 0 to k people (a row of 7 given as "
              "\"at least 6\" and \"5 or fewer\" says at most 1 person had the second outcome, and possibly nobody) "
              "tells nobody's outcome; the audit, which knows the data, checks that a hidden figure of 1 to 4 people is "
              "never narrowed to fewer than 5 possible values.",
              "", f"Median {statistics.median(secs):.1f} s per school for three versions, slowest {secs[-1]:.1f} s "
              "(checking the rules, building and auditing each version's tables; no files rendered)."]
    if bad:
        lines += ["", "| seed | phase | staff | cycles | finding or error |", "|---|---|---|---|---|"]
        for r in bad:
            what = r["error"] or "; ".join((r["subtraction"] + r["disclosed"] + r["reissue"])[:3])
            lines.append(f"| {r['seed']} | {r['phase']} | {r['n_staff']} | {r['cycles']} | {what} |")
    lines += ["", "Rerun with `nice -n 10 .venv/bin/python benchmarks/report_attack_sweep.py` (`--schools N` for a "
              "quick look, `--no-write` to leave this section alone). The tests run the same attackers on the samples "
              "and on a few schools (`tests/disclosure/test_process.py`, `test_interval_attack.py`, "
              "`test_versions.py`).", ""]
    return "\n".join(lines)


def write_section(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    at = doc.find("\n## Independent attackers\n")
    if at >= 0:
        end = doc.find("\n## ", at + 1)
        doc = doc[:at + 1] + text + (doc[end + 1:] if end >= 0 else "")
    else:
        sweep = doc.find("\n## Sweep\n")
        end = doc.find("\n## ", sweep + 1) if sweep >= 0 else -1
        doc = doc[:end + 1] + text + "\n" + doc[end + 1:] if end >= 0 else doc.rstrip("\n") + "\n\n" + text
    DOC.write_text(doc, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--results", type=Path, default=RESULTS, help="JSON lines, one school per line")
    parser.add_argument("--resume", action="store_true", help="keep the schools already in --results")
    parser.add_argument("--cycles-as-planned", action="store_true",
                        help="1 to 3 cycles as in the audit sweep (by default one: the versions are of the latest cycle)")
    parser.add_argument("--summarise", action="store_true",
                        help="run nothing: write the section from the schools already in --results (an unfinished run)")
    parser.add_argument("--no-write", action="store_true", help="print the result; leave docs/disclosure.md alone")
    args = parser.parse_args()
    specs = plan(args.schools)
    if not args.cycles_as_planned:
        specs = [s | {"cycles": 1} for s in specs]
    done: dict[int, dict] = {}
    if args.resume and args.results.exists():
        for line in args.results.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            done[r["seed"]] = r
    elif args.results.exists() and not args.summarise:
        args.results.unlink()
    if args.summarise:
        for line in args.results.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            done[r["seed"]] = r
    args.results.parent.mkdir(parents=True, exist_ok=True)
    todo = [s for s in specs if s["seed"] not in done] if not args.summarise else []
    start = time.perf_counter()
    with Pool(args.processes) as pool, args.results.open("a", encoding="utf-8") as log:
        for i, r in enumerate(pool.imap_unordered(one, todo), start=1):
            done[r["seed"]] = r
            log.write(json.dumps(r) + "\n")
            log.flush()
            mark = "ok" if not failed(r) else f"FOUND: {r['error'] or (r['subtraction'] + r['disclosed'] + r['reissue'])[:3]}"
            print(f"[{i}/{len(todo)}] seed {r['seed']} {r['phase']} {r['n_staff']} staff {r['cycles']} cycles "
                  f"{r['seconds']:.1f}s {mark}", flush=True)
    results = sorted((done[s["seed"]] for s in specs if s["seed"] in done), key=lambda r: r["seed"])
    wall = sum(r["seconds"] for r in results) / args.processes if args.summarise else time.perf_counter() - start
    text = markdown(results, args.processes, wall, planned=len(specs))
    print(text)
    if not args.no_write:
        write_section(text)
        print(f"Written to {DOC.relative_to(ROOT)}.")
    sys.exit(0 if not any(failed(r) for r in results) else 1)


if __name__ == "__main__":
    main()
