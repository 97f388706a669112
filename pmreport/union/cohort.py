"""A synthetic cohort of union returns, with cross-school patterns planted for the analyses to find.

Two ways to make each school's returns:

* **quick** (the default): people are drawn directly in the return's codes (vectorised, a few
  milliseconds a school), then go through the same k-anonymity step and workbook writer as a
  real export. For benchmarks and tests at national scale.
* **realistic**: a whole school is made by :mod:`pmreport.synth` and exported by
  :func:`pmreport.union.export_return.return_from_school` exactly as a school would (about a
  second a school and cycle).

Planted patterns (:class:`Patterns`, written to ``cohort.truth.json``): part-time staff's odds of
pay progression are multiplied by ``part_time_odds`` in every school; schools in one local
authority (``late_la``) hold the planning and review meeting after the deadline far more often.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pmreport.compliance.rules import RULE_ORDER
from pmreport.school_year import AGE_BAND_EDGES, AGE_BANDS
from pmreport.synth.names import LOCAL_AUTHORITIES
from pmreport.union.export_return import build_return, write_return
from pmreport.union.keys import pseudonym
from pmreport.union.return_schema import return_format

PHASES = ("primary", "secondary", "special")
PHASE_SHARE = (0.6, 0.3, 0.1)
SIZES = {"primary": (12, 45), "secondary": (60, 150), "special": (20, 70)}
#: One school in this many is in the planted local authority (the others share the rest in turn).
LATE_LA_EVERY = 8
ETHNICITY = (("white_british", 0.78), ("white_other", 0.06), ("asian", 0.06), ("black", 0.04), ("mixed", 0.03),
             ("chinese", 0.005), ("other", 0.005), ("not_known", 0.02))


@dataclass(frozen=True)
class Patterns:
    """What is planted across schools (the ground truth the analyses must find)."""

    part_time_odds: float = 0.5  #: odds of pay progression for part-time staff, relative to full-time
    late_la: str = "Lancashire"  #: schools in this local authority miss the review deadline more often
    late_rate: float = 0.30  #: share of reviews after the deadline in ``late_la``
    base_late_rate: float = 0.04  #: ... and elsewhere
    base_progress_logit: float = 1.6  #: log-odds of progression for a full-time member of staff
    school_sd: float = 0.5  #: spread of schools' own effects on the log-odds


def school_key(seed: int, index: int) -> bytes:
    return f"pmreport-synthetic-cohort-{seed}-{index:06d}".encode()


def urn_for(index: int) -> str:
    return f"99{index:05d}"


def cycle_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def return_name(urn: str, cycle: str) -> str:
    return f"return-{urn}-{cycle.replace('/', '-')}.xlsx"


def made_at(cycle: str) -> str:
    """A fixed time for a synthetic return, so the same cohort gives the same bytes."""
    return f"{int(cycle[:4]) + 1}-01-15T12:00:00Z"


def _choice(rng: np.random.Generator, options: Iterable[tuple[str, float]], n: int) -> np.ndarray:
    names, weights = zip(*options, strict=True)
    p = np.array(weights, dtype=float)
    return rng.choice(np.array(names, dtype=object), size=n, p=p / p.sum())


def _school_profile(seed: int, index: int, las: tuple[str, ...], patterns: Patterns) -> dict:
    rng = np.random.default_rng([seed, index, 1])
    phase = str(rng.choice(PHASES, p=PHASE_SHARE))
    low, high = SIZES[phase]
    others = [x for x in las if x != patterns.late_la]
    la = patterns.late_la if index % LATE_LA_EVERY == 0 else others[(index - index // LATE_LA_EVERY - 1) % len(others)]
    return {"index": index, "urn": urn_for(index), "phase": phase, "local_authority": la,
            "n": int(rng.integers(low, high + 1)), "effect": float(rng.normal(0, patterns.school_sd)),
            "late": patterns.late_rate if la == patterns.late_la else patterns.base_late_rate}


def _roster(rng: np.random.Generator, phase: str, n: int) -> pd.DataFrame:
    teacher_share = {"primary": 0.5, "secondary": 0.62, "special": 0.4}[phase]
    role = np.where(rng.random(n) < teacher_share, "teacher", "support").astype(object)
    role[0] = "headteacher"
    teacher = role == "teacher"
    resp = np.where(teacher, _choice(rng, (("classroom_teacher", 0.6), ("tlr_holder", 0.15), ("middle_leader", 0.15),
                                           ("senior_leader", 0.1)), n),
                    _choice(rng, (("support", 0.85), ("support_supervisor", 0.15)), n)).astype(object)
    resp[0] = "headteacher"
    pay = np.where(teacher, _choice(rng, (("main", 0.55), ("upper", 0.4), ("unqualified", 0.03),
                                          ("leading_practitioner", 0.02)), n), "support").astype(object)
    pay[(resp == "senior_leader") | (resp == "headteacher")] = "leadership"
    female = rng.random(n) < np.where(teacher, 0.75, 0.87)
    sex = np.where(female, "female", "male").astype(object)
    sex[rng.random(n) < 0.02] = "not_known"
    age = np.clip(rng.normal(41, 10, n), 22, 66).round()
    experience = np.clip(age - 23 - rng.integers(0, 8, n), 0, None)
    fte = np.where(rng.random(n) < np.where(teacher, 0.78, 0.4), 1.0, rng.choice([0.4, 0.5, 0.6, 0.8], n))
    fte[0] = 1.0
    return pd.DataFrame({
        "staff_id": [f"S{i:05d}" for i in range(n)], "role_group": role, "responsibility": resp, "pay_range": pay,
        "sex": sex, "age": age, "experience": experience, "fte": fte,
        "ethnicity_group": _choice(rng, ETHNICITY, n),
        "disability": _choice(rng, (("no", 0.9), ("yes", 0.05), ("not_known", 0.05)), n),
    })


def _band(values: np.ndarray, edges: list[float], labels: list[str]) -> np.ndarray:
    return np.array(labels, dtype=object)[np.searchsorted(edges, values, side="right")]


def quick_people(profile: dict, cycle: str, year_index: int, seed: int, patterns: Patterns) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One school's people frame (full detail) and compliance counts for one cycle, drawn directly."""
    roster_rng = np.random.default_rng([seed, profile["index"], 2])
    staff = _roster(roster_rng, profile["phase"], profile["n"])
    rng = np.random.default_rng([seed, profile["index"], 3, year_index])
    n = len(staff)
    age = staff["age"].to_numpy() + year_index
    experience = staff["experience"].to_numpy() + year_index
    role = staff["role_group"].to_numpy()
    teacher = role != "support"
    part_time = staff["fte"].to_numpy() < 1
    key = school_key(seed, profile["index"])
    out = pd.DataFrame({"person": [pseudonym(s, key) for s in staff["staff_id"]], "cycle": cycle})
    for column in ("role_group", "responsibility", "pay_range", "sex", "ethnicity_group", "disability"):
        out[column] = staff[column].to_numpy()
    out["age_band"] = _band(age, list(AGE_BAND_EDGES), list(AGE_BANDS))
    out["fte_band"] = np.where(~part_time, "full_time", np.where(staff["fte"] >= 0.5, "part_time_half_or_more",
                                                                  "part_time_under_half"))
    out["experience_band"] = _band(experience, [5, 10, 20], ["0_to_4", "5_to_9", "10_to_19", "20_and_over"])
    out["pregnancy_maternity"] = np.where((staff["sex"].to_numpy() == "female") & (age < 42) & (rng.random(n) < 0.07),
                                          "yes", "no")
    in_scope = rng.random(n) > 0.07
    in_scope[0] = True
    out["in_scope"] = np.where(in_scope, "yes", "no")
    assessed = in_scope & (rng.random(n) > 0.02)
    out["assessment"] = np.where(assessed, _choice(rng, (("met", 0.8), ("partly_met", 0.15), ("not_met", 0.05)), n),
                                 np.where(in_scope, "not_assessed", "not_recorded"))
    eligible = assessed & (out["pay_range"].isin(["main", "upper", "leadership"]).to_numpy()) & (rng.random(n) < 0.6)
    out["pay_eligible"] = np.where(in_scope, np.where(eligible, "yes", "no"), "not_recorded")
    logit = patterns.base_progress_logit + profile["effect"] + np.where(part_time, math.log(patterns.part_time_odds), 0.0)
    progress = rng.random(n) < 1 / (1 + np.exp(-logit))
    decision = np.where(progress, "progress", "no_progress")
    out["pay_recommendation"] = np.where(eligible, decision, np.where(in_scope, "not_applicable", "not_recorded"))
    out["pay_decision"] = np.where(eligible, decision, "not_recorded")
    late = in_scope & (rng.random(n) < profile["late"])
    year = int(cycle[:4])
    month = np.where(late, rng.choice([11, 12], n), rng.choice([9, 10], n))
    out["meeting_month"] = [f"{year}-{m:02d}" if scoped else None for m, scoped in zip(month, in_scope, strict=True)]
    out["objectives"] = np.where(in_scope, np.clip(rng.poisson(np.where(teacher, 3.2, 2.4)), 1, 7), 0)
    out["objectives_not_agreed"] = np.where(rng.random(n) < 0.05, 1, 0) * (out["objectives"] > 0)
    observed = (role == "teacher") & in_scope
    minutes = np.where(observed, rng.choice([60, 90, 120, 150, 180, 240], n, p=[0.2, 0.25, 0.25, 0.15, 0.1, 0.05]), 0)
    out["pm_observation_minutes"] = minutes
    out["observations"] = np.where(observed, rng.integers(1, 5, n), 0)
    out["development_agreed"] = np.where(in_scope, rng.integers(0, 4, n), 0)
    out["development_not_provided"] = np.minimum(out["development_agreed"], (rng.random(n) < 0.1).astype(int))
    out["development_outside_hours"] = np.minimum(out["development_agreed"], (rng.random(n) < 0.08).astype(int))
    by_teacher_rate = {"primary": 0.35, "secondary": 0.1, "special": 0.2}[profile["phase"]]
    support = (role == "support") & in_scope
    by_teacher = support & (rng.random(n) < by_teacher_rate)
    out["reviewed_by_teacher"] = np.where(support, np.where(by_teacher, "yes", "no"), "not_applicable")
    reviewers = np.where(role == "teacher")[0]
    reviewed = np.zeros(n, dtype=int)
    if len(reviewers):
        np.add.at(reviewed, rng.choice(reviewers, int(by_teacher.sum())), 1)
    out["support_staff_reviewed"] = reviewed
    out["workload_concern_raised"] = np.where(in_scope, np.where(rng.random(n) < 0.1, "yes", "no"), "not_recorded")
    out["appeals"] = (rng.random(n) < 0.01).astype(int)
    rules = _rule_outcomes(out, rng, in_scope, late, observed, profile)
    for column, values in rules.items():
        out[column] = values
    columns = [f.name for f in return_format().people.fields]
    return out[columns], _compliance_counts(out)


def _rule_outcomes(out: pd.DataFrame, rng: np.random.Generator, in_scope: np.ndarray, late: np.ndarray,
                   observed: np.ndarray, profile: dict) -> dict[str, np.ndarray]:
    n = len(out)

    def outcome(applies: np.ndarray, breach_rate: float = 0.03, breached: np.ndarray | None = None) -> np.ndarray:
        hit = breached if breached is not None else rng.random(n) < breach_rate
        missing = rng.random(n) < 0.01
        return np.where(applies, np.where(hit, "breached", np.where(missing, "not_recorded", "met")), "not_applicable")

    rules = {f"rule_{r}": outcome(in_scope) for r in RULE_ORDER}
    rules["rule_coverage"] = np.where(in_scope, "met", "not_applicable")
    rules["rule_deadline"] = np.where(in_scope, np.where(late, "breached", "met"), "not_applicable")
    for r in ("observation_cap", "observation_notice", "observation_feedback", "observation_record", "observer_qualified"):
        rules[f"rule_{r}"] = outcome(observed, 0.04)
    over = out["pm_observation_minutes"].to_numpy() > 180
    rules["rule_observation_cap"] = np.where(observed, np.where(over, "breached", "met"), "not_applicable")
    rules["rule_teacher_reviews_support"] = np.where(out["reviewed_by_teacher"] == "yes", "breached",
                                                     np.where(out["reviewed_by_teacher"] == "no", "met", "not_applicable"))
    dev = (out["development_agreed"].to_numpy() > 0) & in_scope
    rules["rule_development_provided"] = outcome(dev, breached=out["development_not_provided"].to_numpy() > 0)
    rules["rule_training_outside_hours"] = outcome(dev, breached=out["development_outside_hours"].to_numpy() > 0)
    rules["rule_appeal_after_moderation"] = np.where(out["appeals"].to_numpy() > 0, "met", "not_applicable")
    return rules


def _compliance_counts(out: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in RULE_ORDER:
        counts = out[f"rule_{r}"].value_counts()
        tally = {o: int(counts.get(o, 0)) for o in ("met", "breached", "not_recorded", "not_applicable")}
        rows.append({"rule": r, "units": sum(tally.values())} | tally)
    return pd.DataFrame(rows)


def _quick_school(args: tuple) -> list[str]:
    profile, out_dir, cycles, seed, patterns, k = args
    written = []
    for y, cycle in enumerate(cycles):
        people, compliance = quick_people(profile, cycle, y, seed, patterns)
        school = {k_: profile[k_] for k_ in ("urn", "phase", "local_authority")} | {"cycle": cycle}
        ret = build_return(people, school, compliance, k=k, made_at=made_at(cycle))
        path = Path(out_dir) / return_name(profile["urn"], cycle)
        write_return(ret, path)
        written.append(str(path))
    return written


def _realistic_school(args: tuple) -> list[str]:
    profile, out_dir, cycles, seed, patterns, k = args
    from pmreport.synth import Effects, generate
    from pmreport.synth.frames import school_data
    from pmreport.union.export_return import return_from_school
    from pmreport.union.keys import SchoolKey

    effects = Effects(pay_gap=patterns.part_time_odds, pay_gap_group="fte<1", late_reviews=profile["late"])
    first = int(cycles[0][:4])
    size = int(min(max(profile["n"], 8), 150))
    school = generate(phase=profile["phase"], seed=seed * 100003 + profile["index"], n_staff=size, cycles=len(cycles),
                      effects=effects, first_cycle_year=first)
    for row in school.records["school"]:
        row["urn"], row["local_authority"] = profile["urn"], profile["local_authority"]
    data = school_data(school.records, school.file_name)
    key = SchoolKey(school_key(seed, profile["index"]), "given")
    written = []
    for cycle in cycles:
        ret = return_from_school(data, cycle, key, k, made_at(cycle))
        path = Path(out_dir) / return_name(profile["urn"], cycle)
        write_return(ret, path)
        written.append(str(path))
    return written


@dataclass
class Cohort:
    out: Path
    files: list[str]
    truth: dict


def make_cohort(n_schools: int, out: str | Path, *, cycles: int = 3, first_year: int = 2023, seed: int = 1,
                realistic: bool = False, patterns: Patterns | None = None, k: int | None = None, workers: int = 2,
                local_authorities: tuple[str, ...] = LOCAL_AUTHORITIES,
                progress: Callable[[int], None] | None = None) -> Cohort:
    """Write ``n_schools`` schools' returns (one per school per cycle) into ``out``, in parallel."""
    patterns = patterns or Patterns()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    labels = [cycle_label(first_year + i) for i in range(cycles)]
    las = tuple(dict.fromkeys((patterns.late_la, *local_authorities)))
    profiles = [_school_profile(seed, i, las, patterns) for i in range(n_schools)]
    jobs = [(p, str(out), labels, seed, patterns, k) for p in profiles]
    work = _realistic_school if realistic else _quick_school
    files: list[str] = []
    if workers <= 1 or n_schools < 4:
        for job in jobs:
            files += work(job)
            if progress:
                progress(1)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for written in pool.map(work, jobs, chunksize=max(1, min(50, n_schools // (workers * 8) or 1))):
                files += written
                if progress:
                    progress(1)
    truth = {
        "generator": "pmreport.union.cohort",
        "method": "realistic" if realistic else "quick",
        "schools": n_schools, "cycles": labels, "seed": seed, "patterns": asdict(patterns),
        "late_la_schools": [p["urn"] for p in profiles if p["local_authority"] == patterns.late_la],
        "returns": len(files),
    }
    (out / "cohort.truth.json").write_text(json.dumps(truth, indent=2), encoding="utf-8")
    return Cohort(out, sorted(files), truth)
