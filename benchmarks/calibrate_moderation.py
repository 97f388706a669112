"""Calibrate the moderation flags: false-positive rate with nothing planted, power with a known effect.

    .venv/bin/python benchmarks/calibrate_moderation.py                 # the full study (docs/moderation.md)
    .venv/bin/python benchmarks/calibrate_moderation.py --schools 20    # a quick look

Part A - synthetic schools (``pmreport.synth.generate``) of about 15, 30, 60 and 120 staff, three
cycles each, analysed exactly as ``run_moderation`` analyses them (same functions, no words):
  * no effect planted: the share of schools with at least one flag of each type (false positives);
  * ``Effects(harsh_reviewer=40)``: the share where the planted reviewer is flagged on pay;
  * ``Effects(pay_gap=1/3)`` (odds of progression a third for women): the share where sex is
    flagged on pay progression.
  Each is measured for the latest cycle alone and for three cycles pooled (``pool_cycles=3``).

Part B - controlled studies of the same tests, where the numbers the generator does not reach
can be set: a harsh reviewer (+40 points of no-progression) with k pay-eligible reviewees among
other reviewers; a group with a third of the odds of progression among N pay-eligible staff, with
six other characteristics (no effect) in the same multiple-comparison family.

Runs in parallel (``--processes``, default 2). Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmreport.moderation import FLAG_TYPES, ModerationSettings  # noqa: E402
from pmreport.moderation.equality import compare_groups  # noqa: E402
from pmreport.moderation.exact import wilson  # noqa: E402
from pmreport.moderation.peers import assign_peer_groups, compare_peers  # noqa: E402
from pmreport.moderation.reviewers import compare_reviewers  # noqa: E402
from pmreport.moderation.statements import build_statements  # noqa: E402

SIZES = (15, 30, 60, 120)
SETTINGS = ModerationSettings()
HARSH_POINTS = 40.0
GAP_ODDS = 1 / 3
P_NO_PROGRESS = {"met": 0.05, "partly_met": 0.4, "not_met": 0.9}  # as pmreport.synth.reviews
ASSESSMENT_WEIGHTS = {"met": 80, "partly_met": 14, "not_met": 3}


def phase_for(n: int) -> str:
    return "primary" if n <= 30 else "secondary"


# -- part A: synthetic schools ---------------------------------------------------------------


def analyse(data, cycles: int) -> dict[str, pd.DataFrame]:
    """What run_moderation computes, without words: single cycle (latest) and pooled."""
    latest = data.latest_cycle
    frames = {c: assign_peer_groups(build_statements(data, c, SETTINGS), SETTINGS) for c in data.cycles[-cycles:]}
    st = frames[latest]
    pooled = pd.concat(frames.values(), ignore_index=True)
    out = {
        "peers": compare_peers(st, SETTINGS, explain=False),
        "reviewers": compare_reviewers(st, SETTINGS, explain=False),
        "equality": compare_groups(st, SETTINGS, explain=False),
        "reviewers_pooled": compare_reviewers(pooled, SETTINGS, explain=False),
        "equality_pooled": compare_groups(pooled, SETTINGS, explain=False),
    }
    return out


def flagged(parts: dict[str, pd.DataFrame], pooled: bool) -> set[str]:
    keys = ("peers", "reviewers_pooled", "equality_pooled") if pooled else ("peers", "reviewers", "equality")
    out = set()
    for k in keys:
        d = parts[k]
        if not d.empty:
            out |= set(d.loc[d["verdict"] == "flag", "flag_type"])
    return out


def one_school(job: tuple[str, int, int]) -> dict:
    from pmreport.synth import Effects, generate

    kind, n, seed = job
    effects = {"null": Effects(), "harsh": Effects(harsh_reviewer=HARSH_POINTS),
               "gap": Effects(pay_gap=GAP_ODDS, pay_gap_group="sex=female")}[kind]
    school = generate(phase_for(n), seed, n_staff=n, cycles=3, effects=effects)
    parts = analyse(school.data, 3)
    res = {"kind": kind, "n": n, "seed": seed, "flags": sorted(flagged(parts, False)),
           "flags_pooled": sorted(flagged(parts, True))}
    if kind == "harsh":
        truth = school.truth.get("harsh_reviewer") or {}
        rid = truth.get("reviewer_id")
        for tag, key in (("", "reviewers"), ("_pooled", "reviewers_pooled")):
            d = parts[key]
            d = d[(d["flag_type"] == "reviewer_pay")] if not d.empty else d
            me = d[d["reviewer_id"] == rid] if rid is not None and not d.empty else d.iloc[0:0]
            res["hit" + tag] = bool(((me["verdict"] == "flag") & (me["odds_ratio"] > 1)).any()) if rid else None
            res["size" + tag] = int(me["reviewees"].iloc[0]) if len(me) else 0
            res["other_flag" + tag] = bool(((d["verdict"] == "flag") & (d["reviewer_id"] != rid)).any()) if len(d) else False
    if kind == "gap":
        for tag, key in (("", "equality"), ("_pooled", "equality_pooled")):
            d = parts[key]
            d = d[d["flag_type"] == "equality_pay"] if not d.empty else d
            me = d[d["characteristic"] == "sex"] if not d.empty else d
            res["hit" + tag] = bool(((me["verdict"] == "flag") & (me["rate_ratio"] < 1)).any())
            res["size" + tag] = int((me["n_group"] + me["n_comparison"]).iloc[0]) if len(me) else 0
            res["other_flag" + tag] = bool(((d["verdict"] == "flag") & (d["characteristic"] != "sex")).any()) if len(d) else False
    return res


# -- part B: controlled studies --------------------------------------------------------------


def _eligible_people(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    levels = list(ASSESSMENT_WEIGHTS)
    w = np.array(list(ASSESSMENT_WEIGHTS.values()), dtype=float)
    assess = rng.choice(levels, size=n, p=w / w.sum())
    p_no = np.array([P_NO_PROGRESS[a] for a in assess])
    return assess, p_no


def controlled_reviewer(job: tuple[int, float, int]) -> bool:
    """A harsh reviewer with k pay-eligible reviewees, four other reviewers with 8 each, three peer groups."""
    k, points, seed = job
    rng = np.random.default_rng([k, int(points), seed])
    reviewers = ["HARSH"] * k + [f"R{j}" for j in range(4) for _ in range(8)]
    n = len(reviewers)
    assess, p_no = _eligible_people(rng, n)
    harsh = np.array([r == "HARSH" for r in reviewers])
    p_no = np.where(harsh, np.minimum(1.0, p_no + points / 100), p_no)
    no = rng.random(n) < p_no
    st = pd.DataFrame({"staff_id": [f"P{i}" for i in range(n)], "cycle": "2025/26", "reviewer_id": reviewers,
                       "reviewer_name": reviewers, "peer_group": rng.choice(["a", "b", "c"], size=n),
                       "pay_recommended": np.where(no, "no_progress", "progress"), "assessment": assess,
                       "n_objectives": 3})
    d = compare_reviewers(st, SETTINGS, explain=False)
    d = d[(d["flag_type"] == "reviewer_pay") & (d["verdict"] == "flag")]
    return bool((d["reviewer_id"] == "HARSH").any()) if points else bool(len(d))


def controlled_group(job: tuple[int, float, int]) -> bool:
    """N pay-eligible staff, half of them in a group whose odds of progression are ``odds`` times the
    others' (the others progress at the generator's overall rate, about 88%); six other
    characteristics with no effect share the multiple-comparison family."""
    n, odds, seed = job
    rng = np.random.default_rng([n, int(1000 * odds), seed])
    assess, p_no = _eligible_people(rng, n)
    women = rng.random(n) < 0.5
    base = 1 - sum(w * P_NO_PROGRESS[a] for a, w in ASSESSMENT_WEIGHTS.items()) / sum(ASSESSMENT_WEIGHTS.values())
    o = base / (1 - base) * odds
    # the rest keep their assessment-linked chances; the group's overall odds are a third of that rate's
    progress = np.where(women, rng.random(n) < o / (1 + o), rng.random(n) >= p_no)
    st = pd.DataFrame({
        "cycle": "2025/26", "role_group": rng.choice(["teacher", "support"], size=n, p=[0.6, 0.4]),
        "sex": np.where(women, "female", "male"),
        "ethnicity_group": rng.choice(["white_british", "asian", "black", "mixed"], size=n, p=[0.75, 0.1, 0.08, 0.07]),
        "disability": rng.random(n) < 0.08, "age_band": rng.choice(["under 30", "30-39", "40-49", "50 and over"], size=n),
        "part_time": rng.random(n) < 0.25, "pregnancy_maternity": rng.random(n) < 0.05,
        "religion_belief": rng.choice(["Christian", "No religion", "Muslim"], size=n, p=[0.5, 0.4, 0.1]),
        "sexual_orientation": pd.NA,
        "pay_outcome": np.where(progress, "progress", "no_progress"), "assessment": assess,
        "development_agreed": np.nan, "development_not_provided": np.nan,
    })
    d = compare_groups(st, SETTINGS, explain=False)
    d = d[(d["flag_type"] == "equality_pay") & (d["verdict"] == "flag")]
    return bool((d["characteristic"] == "sex").any()) if odds != 1 else bool(len(d))


# -- tables ----------------------------------------------------------------------------------


def pct_ci(k: int, n: int) -> str:
    if n == 0:
        return "-"
    lo, hi = wilson(k, n)
    return f"{100 * k / n:.1f}% ({100 * lo:.1f}-{100 * hi:.1f})"


def run(schools: int = 200, sizes=SIZES, processes: int = 2, controlled: int = 400, seed0: int = 0) -> dict:
    jobs = [(kind, n, seed0 + s) for kind in ("null", "harsh", "gap") for n in sizes for s in range(schools)]
    rev_jobs = [(k, p, s) for k in (5, 10, 15, 20, 30, 45, 60) for p in (0.0, HARSH_POINTS) for s in range(controlled)]
    grp_jobs = [(n, o, s) for n in (30, 60, 120, 240, 360) for o in (1.0, GAP_ODDS) for s in range(controlled)]
    t0 = time.time()
    if processes <= 1:
        results = [one_school(j) for j in jobs]
        rev = [controlled_reviewer(j) for j in rev_jobs]
        grp = [controlled_group(j) for j in grp_jobs]
    else:
        with Pool(processes) as pool:
            results = list(pool.imap_unordered(one_school, jobs, chunksize=4))
            rev = pool.map(controlled_reviewer, rev_jobs, chunksize=20)
            grp = pool.map(controlled_group, grp_jobs, chunksize=20)
    seconds = time.time() - t0
    by = defaultdict(list)
    for r in results:
        by[(r["kind"], r["n"])].append(r)
    rev_by = defaultdict(list)
    for (k, p, _), hit in zip(rev_jobs, rev, strict=True):
        rev_by[(k, p)].append(hit)
    grp_by = defaultdict(list)
    for (n, o, _), hit in zip(grp_jobs, grp, strict=True):
        grp_by[(n, o)].append(hit)
    return {"by": by, "rev": rev_by, "grp": grp_by, "sizes": sizes, "schools": schools, "seconds": seconds,
            "controlled": controlled}


def tables(res: dict) -> str:
    by, sizes = res["by"], res["sizes"]
    lines = []
    head = "| flag type | " + " | ".join(f"{n} staff" for n in sizes) + " |"
    rule = "|---|" + "---|" * len(sizes)
    lines += ["**False-positive rate** (share of schools with nothing planted that get at least one flag of the type; "
              "95% interval). Latest cycle alone; for reviewer and equality flags also three cycles pooled.", "",
              head, rule]
    for ft in FLAG_TYPES:
        cells = []
        for n in sizes:
            rs = by[("null", n)]
            c = Counter(f for r in rs for f in r["flags"])
            cells.append(pct_ci(c[ft], len(rs)))
        lines.append(f"| {ft} | " + " | ".join(cells) + " |")
        if ft.startswith(("reviewer", "equality")):
            cells = []
            for n in sizes:
                rs = by[("null", n)]
                c = Counter(f for r in rs for f in r["flags_pooled"])
                cells.append(pct_ci(c[ft], len(rs)))
            lines.append(f"| {ft}, 3 cycles pooled | " + " | ".join(cells) + " |")
    for tag, words in (("flags", "any flag of any type, latest cycle"), ("flags_pooled", "any flag of any type, pooled")):
        cells = [pct_ci(sum(1 for r in by[("null", n)] if r[tag]), len(by[("null", n)])) for n in sizes]
        lines.append(f"| *{words}* | " + " | ".join(cells) + " |")
    lines += ["", "**Power in synthetic schools** (share of schools where the planted effect is flagged; median size "
              "of what is compared in brackets).", "", head, rule]
    for kind, words, unit in (("harsh", "harsh reviewer (+40 points no-progression), latest cycle", "eligible reviewees"),
                              ("gap", "women's odds of progression x 1/3, latest cycle", "eligible staff")):
        for tag, suffix in (("", ""), ("_pooled", ", 3 cycles pooled")):
            cells = []
            for n in sizes:
                rs = [r for r in by[(kind, n)] if r.get("hit" + tag) is not None]
                hits = sum(r["hit" + tag] for r in rs)
                med = float(np.median([r["size" + tag] for r in rs])) if rs else math.nan
                cells.append(f"{pct_ci(hits, len(rs))} [{med:g} {unit}]")
            lines.append(f"| {words.replace(', latest cycle', '') + (suffix or ', latest cycle')} | " + " | ".join(cells) + " |")
        for tag, suffix in (("", "latest cycle"), ("_pooled", "3 cycles pooled")):
            cells = []
            for n in sizes:
                rs = by[(kind, n)]
                cells.append(pct_ci(sum(1 for r in rs if r.get("other_flag" + tag)), len(rs)))
            who = "another reviewer" if kind == "harsh" else "another characteristic"
            lines.append(f"| *{who} flagged on pay ({suffix})* | " + " | ".join(cells) + " |")
    lines += ["", f"**Controlled: harsh reviewer** (+40 points no-progression; four other reviewers with 8 eligible "
              f"reviewees each; three peer groups; {res['controlled']} simulations each).", "",
              "| harsh reviewer's eligible reviewees | false-positive rate (no effect) | power |", "|---|---|---|"]
    for k in sorted({k for k, _ in res["rev"]}):
        fp, pw = res["rev"][(k, 0.0)], res["rev"][(k, HARSH_POINTS)]
        lines.append(f"| {k} | {pct_ci(sum(fp), len(fp))} | {pct_ci(sum(pw), len(pw))} |")
    lines += ["", f"**Controlled: group effect** (half the eligible staff in a group whose odds of progression are a "
              f"third of the others' - about 70% against 88%; six other characteristics with no effect in the same "
              f"family; {res['controlled']} simulations each).", "",
              "| pay-eligible staff | false-positive rate (no effect) | power |", "|---|---|---|"]
    for n in sorted({n for n, _ in res["grp"]}):
        fp, pw = res["grp"][(n, 1.0)], res["grp"][(n, GAP_ODDS)]
        lines.append(f"| {n} | {pct_ci(sum(fp), len(fp))} | {pct_ci(sum(pw), len(pw))} |")
    lines += ["", f"{res['schools']} synthetic schools per size and condition; run time {res['seconds'] / 60:.1f} minutes."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--schools", type=int, default=200, help="synthetic schools per size and condition (default 200)")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="staff numbers, comma-separated")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--controlled", type=int, default=400, help="simulations per row of the controlled studies")
    ap.add_argument("--seed", type=int, default=0, help="first generator seed")
    args = ap.parse_args(argv)
    res = run(args.schools, tuple(int(x) for x in args.sizes.split(",")), args.processes, args.controlled, args.seed)
    print(tables(res))


if __name__ == "__main__":
    main()
