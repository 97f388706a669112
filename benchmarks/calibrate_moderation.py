"""Calibrate the moderation flags: the chance of any flag in a school where nothing is wrong, power
for the documented effects, and the coverage of the reviewer effect size's interval.

    .venv/bin/python benchmarks/calibrate_moderation.py                       # the study in docs/moderation.md
    .venv/bin/python benchmarks/calibrate_moderation.py --schools 20 --power-schools 10 --controlled 50   # a quick look

Part A - synthetic schools (``pmreport.synth.generate``) of about 15, 30, 60 and 120 staff, three
cycles each, analysed as ``run_moderation`` analyses them (``pmreport.moderation.checks.run_checks``:
every flag type sharing the run's 5%), for the latest cycle alone and with three cycles pooled:
  * nothing planted, **independent** people: assessments and pay re-drawn each cycle;
  * nothing planted, **persistent** people: a share of staff (``--strugglers``, default 8%) are
    assessed as less than fully met, and so mostly refused progression, in every cycle; the rest
    are assessed at random, with the same overall rates (no group or reviewer effect);
  * ``Effects(harsh_reviewer=40)`` and ``Effects(pay_gap=1/3)``: power.
  The any-flag rate is the share of null schools with at least one flag of any type.

Part B - controlled studies where the numbers can be set: a harsh reviewer (+40 points of
no-progression) with k pay-eligible reviewees; a group with a third of the odds of progression
among N pay-eligible staff, with six other characteristics in the family. Each type gets its share
of the run's 5% when ``--kinds`` types share it (default 5, the median in the 120-staff schools).

Part C - coverage of the reviewer's odds-ratio interval: a reviewer with 12 reviewees (one cycle,
independent people) or 12 a cycle over three pooled cycles with persistent people, true common odds
ratio 1 or 2.5.

Runs in parallel (``--processes``). Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import defaultdict
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmreport.moderation import FLAG_TYPES, ModerationSettings  # noqa: E402
from pmreport.moderation.allotment import Allotment  # noqa: E402
from pmreport.moderation.checks import run_checks  # noqa: E402
from pmreport.moderation.equality import compare_groups  # noqa: E402
from pmreport.moderation.exact import wilson  # noqa: E402
from pmreport.moderation.peers import assign_peer_groups  # noqa: E402
from pmreport.moderation.reviewer_effects import compare_reviewers  # noqa: E402
from pmreport.moderation.statements import build_statements  # noqa: E402
from pmreport.school_year import AGE_BAND_WORDS, age_band  # noqa: E402

SIZES = (15, 30, 60, 120)
SETTINGS = ModerationSettings()
HARSH_POINTS = 40.0
GAP_ODDS = 1 / 3
P_NO_PROGRESS = {"met": 0.05, "partly_met": 0.4, "not_met": 0.9}  # as pmreport.synth.reviews
ASSESSMENT_WEIGHTS = {"met": 80, "partly_met": 14, "not_met": 3}
KINDS = {"null": "nothing planted, independent people", "persistent": "nothing planted, persistent people",
         "harsh": "harsh reviewer", "gap": "pay gap"}


def phase_for(n: int) -> str:
    return "primary" if n <= 30 else "secondary"


# -- part A: synthetic schools ---------------------------------------------------------------


def make_persistent(data, seed: int, strugglers: float) -> None:
    """Re-draw assessments and pay so that a fixed share of people struggle in every cycle."""
    reviews = data.tables["reviews"]
    rng = np.random.default_rng([seed, 7])
    people = sorted(reviews["staff_id"].astype(str).unique())
    struggler = dict(zip(people, (rng.random(len(people)) < strugglers).tolist(), strict=True))
    assessed = reviews["assessment"].isin(["met", "partly_met", "not_met"]).fillna(False).to_numpy(dtype=bool)
    met = ASSESSMENT_WEIGHTS["met"] / sum(ASSESSMENT_WEIGHTS.values())
    p_met_rest = min(1.0, met / (1 - strugglers))  # the same share fully met overall
    new = []
    for sid, ok in zip(reviews["staff_id"].astype(str).tolist(), assessed.tolist(), strict=True):
        if not ok:
            new.append(None)
        elif struggler[sid]:
            new.append("partly_met" if rng.random() < 0.75 else "not_met")
        else:
            u = rng.random()
            new.append("met" if u < p_met_rest else "partly_met" if u < p_met_rest + (1 - p_met_rest) * 0.8 else "not_met")
    a = pd.Series(new, index=reviews.index, dtype=object)
    reviews.loc[assessed, "assessment"] = a[assessed].to_numpy()
    paid = reviews["pay_recommendation"].isin(["progress", "no_progress"]).fillna(False).to_numpy(dtype=bool)
    p_no = np.array([P_NO_PROGRESS.get(x, 0.0) for x in reviews["assessment"].astype(str).tolist()])
    rec = np.where(rng.random(len(reviews)) < p_no, "no_progress", "progress")
    reviews.loc[paid, "pay_recommendation"] = rec[paid]
    reviews.loc[paid, "pay_decision"] = rec[paid]


def analyse(data, cycles: int = 3) -> dict:
    """What run_moderation computes, without words: latest cycle alone and ``cycles`` pooled."""
    frames = {c: assign_peer_groups(build_statements(data, c, SETTINGS), SETTINGS) for c in data.cycles[-cycles:]}
    st = frames[data.latest_cycle]
    pooled = pd.concat(frames.values(), ignore_index=True)
    return {"single": run_checks(st, st, SETTINGS, explain=False), "pooled": run_checks(st, pooled, SETTINGS, explain=False)}


def flagged(c) -> set[str]:
    out: set[str] = set()
    for d in (c.peers, c.reviewers, c.equality):
        if not d.empty:
            out |= set(d.loc[d["verdict"] == "flag", "flag_type"])
    return out


def one_school(job: tuple[str, int, int, float]) -> dict:
    from pmreport.synth import Effects, generate

    kind, n, seed, strugglers = job
    effects = {"null": Effects(), "persistent": Effects(), "harsh": Effects(harsh_reviewer=HARSH_POINTS),
               "gap": Effects(pay_gap=GAP_ODDS, pay_gap_group="sex=female")}[kind]
    school = generate(phase_for(n), seed, n_staff=n, cycles=3, effects=effects)
    if kind == "persistent":
        make_persistent(school.data, seed, strugglers)
    parts = analyse(school.data, 3)
    res: dict = {"kind": kind, "n": n, "seed": seed}
    for tag, c in parts.items():
        res["flags_" + tag] = sorted(flagged(c))
        res["kinds_" + tag] = c.allotment.kinds
    if kind == "harsh":
        rid = (school.truth.get("harsh_reviewer") or {}).get("reviewer_id")
        for tag, c in parts.items():
            d = c.reviewers
            d = d[d["flag_type"] == "reviewer_pay"] if not d.empty else d
            me = d[d["reviewer_id"] == rid] if rid is not None and not d.empty else d.iloc[0:0]
            res["hit_" + tag] = bool(((me["verdict"] == "flag") & (me["odds_ratio"] > 1)).any()) if rid else None
            res["size_" + tag] = int(me["reviewees"].iloc[0]) if len(me) else 0
    if kind == "gap":
        for tag, c in parts.items():
            d = c.equality
            d = d[d["flag_type"] == "equality_pay"] if not d.empty else d
            me = d[d["characteristic"] == "sex"] if not d.empty else d
            res["hit_" + tag] = bool(((me["verdict"] == "flag") & (me["rate_ratio"] < 1)).any())
            res["size_" + tag] = int((me["n_group"] + me["n_comparison"]).iloc[0]) if len(me) else 0
    return res


# -- part B: controlled studies --------------------------------------------------------------


def _eligible_people(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    levels = list(ASSESSMENT_WEIGHTS)
    w = np.array(list(ASSESSMENT_WEIGHTS.values()), dtype=float)
    assess = rng.choice(levels, size=n, p=w / w.sum())
    p_no = np.array([P_NO_PROGRESS[a] for a in assess])
    return assess, p_no


def controlled_reviewer(job: tuple[int, float, int, int]) -> bool:
    """A harsh reviewer with k pay-eligible reviewees, four other reviewers with 8 each, three peer
    groups; the reviewer type has its share of the 5% when ``kinds`` types share it."""
    k, points, seed, kinds = job
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
    d = compare_reviewers(st, SETTINGS, explain=False, allotment=Allotment(SETTINGS.alpha, kinds))
    d = d[(d["flag_type"] == "reviewer_pay") & (d["verdict"] == "flag")]
    return bool((d["reviewer_id"] == "HARSH").any()) if points else bool(len(d))


def controlled_group(job: tuple[int, float, int, int]) -> bool:
    """N pay-eligible staff, half of them in a group whose odds of progression are ``odds`` times the
    others' (the others progress at the generator's overall rate, about 88%); six other
    characteristics with no effect share the multiple-comparison family."""
    n, odds, seed, kinds = job
    rng = np.random.default_rng([n, int(1000 * odds), seed])
    assess, p_no = _eligible_people(rng, n)
    women = rng.random(n) < 0.5
    base = 1 - sum(w * P_NO_PROGRESS[a] for a, w in ASSESSMENT_WEIGHTS.items()) / sum(ASSESSMENT_WEIGHTS.values())
    o = base / (1 - base) * odds
    progress = np.where(women, rng.random(n) < o / (1 + o), rng.random(n) >= p_no)
    st = pd.DataFrame({
        "staff_id": [f"P{i}" for i in range(n)],
        "cycle": "2025/26", "role_group": rng.choice(["teacher", "support"], size=n, p=[0.6, 0.4]),
        "sex": np.where(women, "female", "male"),
        "ethnicity_group": rng.choice(["white_british", "asian", "black", "mixed"], size=n, p=[0.75, 0.1, 0.08, 0.07]),
        "disability": rng.random(n) < 0.08, "age_years": rng.choice([25, 35, 45, 55], size=n),
        "part_time": rng.random(n) < 0.25, "pregnancy_maternity": rng.random(n) < 0.05,
        "religion_belief": rng.choice(["Christian", "No religion", "Muslim"], size=n, p=[0.5, 0.4, 0.1]),
        "sexual_orientation": pd.NA,
        "pay_outcome": np.where(progress, "progress", "no_progress"), "assessment": assess,
        "development_agreed": np.nan, "development_not_provided": np.nan,
    })
    st["age_band"] = [AGE_BAND_WORDS[age_band(a)] for a in st["age_years"]]
    d = compare_groups(st, SETTINGS, explain=False, allotment=Allotment(SETTINGS.alpha, kinds))
    d = d[(d["flag_type"] == "equality_pay") & (d["verdict"] == "flag")]
    return bool((d["characteristic"] == "sex").any()) if odds != 1 else bool(len(d))


# -- part C: coverage of the reviewer's odds-ratio interval ----------------------------------


def coverage_run(job: tuple[str, float, int, float]) -> tuple[bool, bool]:
    """(interval covers the true odds ratio, the ratio is finite). ``design``: 'single' (one cycle,
    independent people) or 'pooled' (three cycles, the same people, persistent strugglers)."""
    design, true_or, seed, strugglers = job
    rng = np.random.default_rng([int(100 * true_or), seed, 11])
    base = {"a": 0.1, "b": 0.25, "c": 0.4}
    people = 12 + 32
    reviewer = np.array(["R"] * 12 + [f"O{j}" for j in range(4) for _ in range(8)])
    group = rng.choice(list(base), size=people)
    cycles = 1 if design == "single" else 3
    struggle = rng.random(people) < (strugglers if design == "pooled" else 0.0)
    rows = []
    for c in range(cycles):
        p0 = np.where(struggle, 0.85, np.array([base[g] for g in group]))
        odds = p0 / (1 - p0) * np.where(reviewer == "R", true_or, 1.0)
        no = rng.random(people) < odds / (1 + odds)
        rows.append(pd.DataFrame({"staff_id": [f"P{i}" for i in range(people)], "cycle": f"{2023 + c}/{24 + c}",
                                  "reviewer_id": reviewer, "reviewer_name": reviewer, "peer_group": group,
                                  "pay_recommended": np.where(no, "no_progress", "progress"), "assessment": pd.NA,
                                  "n_objectives": 0}))
    d = compare_reviewers(pd.concat(rows, ignore_index=True), SETTINGS, explain=False)
    row = d[(d["flag_type"] == "reviewer_pay") & (d["reviewer_id"] == "R")].iloc[0]
    return bool(row["or_low"] <= true_or <= row["or_high"]), bool(np.isfinite(row["odds_ratio"]))


# -- tables ----------------------------------------------------------------------------------


def pct_ci(k: int, n: int) -> str:
    if n == 0:
        return "-"
    lo, hi = wilson(k, n)
    return f"{100 * k / n:.1f}% ({100 * lo:.1f}-{100 * hi:.1f})"


def run(schools: int = 150, sizes=SIZES, processes: int = 2, controlled: int = 200, seed0: int = 0,
        power_schools: int = 40, kinds: int = 5, strugglers: float = 0.08, coverage: int = 400) -> dict:
    jobs = [(kind, n, seed0 + s, strugglers) for kind in ("null", "persistent") for n in sizes for s in range(schools)]
    jobs += [(kind, n, seed0 + s, strugglers) for kind in ("harsh", "gap") for n in sizes for s in range(power_schools)]
    rev_jobs = [(k, p, s, kinds) for k in (10, 20, 30, 45, 60) for p in (0.0, HARSH_POINTS) for s in range(controlled)]
    grp_jobs = [(n, o, s, kinds) for n in (60, 120, 240, 360) for o in (1.0, GAP_ODDS) for s in range(controlled)]
    cov_jobs = [(d, r, s, strugglers) for d in ("single", "pooled") for r in (1.0, 2.5) for s in range(coverage)]
    t0 = time.time()
    if processes <= 1:
        results = [one_school(j) for j in jobs]
        rev = [controlled_reviewer(j) for j in rev_jobs]
        grp = [controlled_group(j) for j in grp_jobs]
        cov = [coverage_run(j) for j in cov_jobs]
    else:
        with Pool(processes) as pool:
            results = list(pool.imap_unordered(one_school, jobs, chunksize=2))
            rev = pool.map(controlled_reviewer, rev_jobs, chunksize=20)
            grp = pool.map(controlled_group, grp_jobs, chunksize=20)
            cov = pool.map(coverage_run, cov_jobs, chunksize=20)
    seconds = time.time() - t0
    by = defaultdict(list)
    for r in results:
        by[(r["kind"], r["n"])].append(r)
    rev_by = defaultdict(list)
    for (k, p, _, _), hit in zip(rev_jobs, rev, strict=True):
        rev_by[(k, p)].append(hit)
    grp_by = defaultdict(list)
    for (n, o, _, _), hit in zip(grp_jobs, grp, strict=True):
        grp_by[(n, o)].append(hit)
    cov_by = defaultdict(list)
    for (d, r, _, _), res in zip(cov_jobs, cov, strict=True):
        cov_by[(d, r)].append(res)
    return {"by": by, "rev": rev_by, "grp": grp_by, "cov": cov_by, "sizes": sizes, "schools": schools,
            "power_schools": power_schools, "seconds": seconds, "controlled": controlled, "kinds": kinds,
            "strugglers": strugglers, "coverage": coverage}


def tables(res: dict) -> str:
    by, sizes = res["by"], res["sizes"]
    lines = []
    head = "| | " + " | ".join(f"{n} staff" for n in sizes) + " |"
    rule = "|---|" + "---|" * len(sizes)
    lines += [f"**Any flag at all in a school where nothing is wrong** (share of {res['schools']} null schools per "
              "cell with at least one flag of any type; 95% interval). The promise: at most 5%.", "", head, rule]
    for kind in ("null", "persistent"):
        for tag, words in (("single", "latest cycle"), ("pooled", "3 cycles pooled")):
            cells = [pct_ci(sum(1 for r in by[(kind, n)] if r["flags_" + tag]), len(by[(kind, n)])) for n in sizes]
            lines.append(f"| {KINDS[kind]}, {words} | " + " | ".join(cells) + " |")
    cells = []
    for n in sizes:
        ks = [r["kinds_pooled"] for kind in ("null", "persistent") for r in by[(kind, n)]]
        cells.append(f"{float(np.median(ks)):g} ({min(ks)}-{max(ks)})" if ks else "-")
    lines.append("| *kinds of check sharing the 5% (median, range; pooled)* | " + " | ".join(cells) + " |")
    lines += ["", "**By flag type** (nothing planted; share of null schools with a flag of the type, independent and "
              "persistent people together, latest cycle / 3 cycles pooled).", "", head, rule]
    for ft in FLAG_TYPES:
        cells = []
        for n in sizes:
            rs = by[("null", n)] + by[("persistent", n)]
            a = sum(ft in r["flags_single"] for r in rs)
            b = sum(ft in r["flags_pooled"] for r in rs)
            cells.append(f"{100 * a / max(1, len(rs)):.1f}% / {100 * b / max(1, len(rs)):.1f}%")
        lines.append(f"| {ft} | " + " | ".join(cells) + " |")
    lines += ["", f"**Power in synthetic schools** ({res['power_schools']} schools per cell; share where the planted "
              "effect is flagged; median size of what is compared in brackets).", "", head, rule]
    for kind, words, unit in (("harsh", "harsh reviewer (+40 points no-progression)", "eligible reviewees"),
                              ("gap", "women's odds of progression x 1/3", "eligible staff")):
        for tag, suffix in (("single", "latest cycle"), ("pooled", "3 cycles pooled")):
            cells = []
            for n in sizes:
                rs = [r for r in by[(kind, n)] if r.get("hit_" + tag) is not None]
                hits = sum(r["hit_" + tag] for r in rs)
                med = float(np.median([r["size_" + tag] for r in rs])) if rs else math.nan
                cells.append(f"{pct_ci(hits, len(rs))} [{med:g} {unit}]")
            lines.append(f"| {words}, {suffix} | " + " | ".join(cells) + " |")
    lines += ["", f"**Controlled: harsh reviewer** (+40 points no-progression; four other reviewers with 8 eligible "
              f"reviewees each; three peer groups; the reviewer type's share of the 5% when {res['kinds']} types share "
              f"it; {res['controlled']} simulations each).", "",
              "| harsh reviewer's eligible reviewees | false-positive rate (no effect) | power |", "|---|---|---|"]
    for k in sorted({k for k, _ in res["rev"]}):
        fp, pw = res["rev"][(k, 0.0)], res["rev"][(k, HARSH_POINTS)]
        lines.append(f"| {k} | {pct_ci(sum(fp), len(fp))} | {pct_ci(sum(pw), len(pw))} |")
    lines += ["", f"**Controlled: group effect** (half the eligible staff in a group whose odds of progression are a "
              f"third of the others' - about 70% against 88%; six other characteristics with no effect in the same "
              f"family; share of the 5% when {res['kinds']} types share it; {res['controlled']} simulations each).", "",
              "| pay-eligible staff | false-positive rate (no effect) | power |", "|---|---|---|"]
    for n in sorted({n for n, _ in res["grp"]}):
        fp, pw = res["grp"][(n, 1.0)], res["grp"][(n, GAP_ODDS)]
        lines.append(f"| {n} | {pct_ci(sum(fp), len(fp))} | {pct_ci(sum(pw), len(pw))} |")
    lines += ["", f"**Coverage of the reviewer's 95% odds-ratio interval** (a reviewer with 12 reviewees against four "
              f"with 8 each, three peer groups; {res['coverage']} simulations each; pooled: the same people in three "
              f"cycles, {100 * res['strugglers']:.0f}% struggling every cycle).", "",
              "| design | true odds ratio | coverage | finite ratio |", "|---|---|---|---|"]
    for (d, r), vals in sorted(res["cov"].items()):
        cov = sum(v[0] for v in vals)
        fin = sum(v[1] for v in vals)
        words = "one cycle, independent people" if d == "single" else "3 cycles pooled, persistent people"
        lines.append(f"| {words} | {r:g} | {pct_ci(cov, len(vals))} | {pct_ci(fin, len(vals))} |")
    lines += ["", f"Run time {res['seconds'] / 60:.1f} minutes."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--schools", type=int, default=150, help="null schools per size and kind of null (default 150)")
    ap.add_argument("--power-schools", type=int, default=40, help="schools per size with an effect planted (default 40)")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="staff numbers, comma-separated")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--controlled", type=int, default=200, help="simulations per row of the controlled studies")
    ap.add_argument("--coverage", type=int, default=400, help="simulations per row of the coverage study")
    ap.add_argument("--kinds", type=int, default=5, help="flag types sharing the 5%% in the controlled studies")
    ap.add_argument("--strugglers", type=float, default=0.08, help="share of people struggling every cycle")
    ap.add_argument("--seed", type=int, default=0, help="first generator seed")
    args = ap.parse_args(argv)
    res = run(args.schools, tuple(int(x) for x in args.sizes.split(",")), args.processes, args.controlled, args.seed,
              args.power_schools, args.kinds, args.strugglers, args.coverage)
    print(tables(res))


if __name__ == "__main__":
    main()
