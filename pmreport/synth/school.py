"""``generate``: a whole synthetic school over several cycles, with its ground truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pmreport.model import SchoolData
from pmreport.synth import names
from pmreport.synth.calendar import WorkingDays, bank_holidays, cycle_closures, expand
from pmreport.synth.cycle import Cycle, stream
from pmreport.synth.effects import Effects, Truth, parse_group
from pmreport.synth.frames import school_data
from pmreport.synth.managers import assign_line_managers
from pmreport.synth.observations import observations
from pmreport.synth.people import Person, Roster
from pmreport.synth.posts import DEFAULT_SIZE
from pmreport.synth.records import appeals, development, objectives
from pmreport.synth.reviews import apply_review_effects, plan_reviews, reviewer_loads, set_assessment_and_pay

PHASES = tuple(DEFAULT_SIZE)
MIN_STAFF, MAX_STAFF = 8, 2000


@dataclass
class SyntheticSchool:
    """A generated school: typed tables (``data``), plain records and the ground truth."""

    phase: str
    seed: int
    records: dict[str, list[dict]]
    truth: dict
    file_name: str
    data: SchoolData = field(init=False)

    def __post_init__(self) -> None:
        self.data = school_data(self.records, self.file_name)

    @property
    def school_name(self) -> str:
        return self.records["school"][0]["school_name"]

    def data_for(self, file_name: str) -> SchoolData:
        """The same tables with ``_file`` set to another file name (e.g. the one written)."""
        return school_data(self.records, file_name)

    def write_xlsx(self, path: str | Path, messy: bool = False) -> Path:
        """Write the workbook (clean, or the way MIS exports look) and ``<path>.truth.json`` beside it."""
        from pmreport.synth.workbook_writer import write_truth, write_workbook

        path = Path(path)
        write_workbook(self, path, messy=messy)
        write_truth(self, path.with_suffix(".truth.json"))
        return path

    def write_csv_dir(self, path: str | Path) -> Path:
        """Write one CSV file per sheet into the folder ``path``, and ``<path>.truth.json`` beside it."""
        from pmreport.synth.workbook_writer import write_csv_dir, write_truth

        path = Path(path)
        write_csv_dir(self, path)
        write_truth(self, path.with_suffix(".truth.json"))
        return path


def staff_row(p: Person, cyc: Cycle) -> dict:
    return {
        "cycle": cyc.label,
        "staff_id": p.staff_id,
        "name": p.name,
        "role_group": p.role_group,
        "post": p.post,
        "responsibility": p.responsibility,
        "pay_range": p.pay_range,
        "pay_point": p.pay_point,
        "fte": p.fte,
        "contract_type": p.contract_type,
        "contract_start": p.contract_start,
        "contract_end": p.contract_end,
        "years_experience": p.years_experience,
        "qts": p.qts,
        "induction": p.induction_left > 0,
        "line_manager_id": p.line_manager_id,
        "in_capability": p.in_capability,
        "absence_days": p.absence_days,
        "sex": p.sex,
        "ethnicity": p.ethnicity,
        "disability": p.disability,
        "date_of_birth": p.date_of_birth,
        "age": p.age_on(cyc.start),
        "pregnancy_maternity": p.pregnancy_maternity,
        "religion_belief": p.religion_belief,
        "sexual_orientation": p.sexual_orientation,
    }


def _school_settings(rng, phase: str, effects: Effects) -> dict:
    capped = bool(effects.reviewer_overload) or rng.random() < 0.5
    sample = rng.random() < 0.4
    return {
        "urn": f"99{rng.randrange(0, 100000):05d}",
        "school_name": f"{rng.choice(names.PLACE_WORDS)} {rng.choice(names.SCHOOL_SUFFIX[phase])}",
        "phase": phase,
        "local_authority": rng.choice(names.LOCAL_AUTHORITIES),
        "reviewer_option": "capped" if capped else "line_managers",
        "moderation_option": "sample" if sample else "all",
        "moderation_sample_fraction": rng.choice([0.3, 0.4, 0.5]) if sample else None,
        "head_statement_qa": rng.choice(["chair", "nominated_governors"]),
        "observation_cap_hours": 3.0,
        "max_objectives": 3 if rng.random() < 0.8 else 4,
    }


def generate(
    phase: str = "primary",
    seed: int = 0,
    n_staff: int | None = None,
    cycles: int = 3,
    effects: Effects | None = None,
    first_cycle_year: int = 2023,
    canaries: bool = False,
    file_name: str | None = None,
) -> SyntheticSchool:
    """Generate a synthetic school. Same arguments, same school (byte for byte when written).

    ``n_staff`` is the number of staff rows in each cycle (8 to 2,000; default by phase: primary 25,
    secondary 120, special 40, all-through 180). Effects are planted per cycle; ``school.truth`` lists each one.
    """
    if phase not in PHASES:
        raise ValueError(f"phase must be one of {', '.join(PHASES)}")
    n_staff = DEFAULT_SIZE[phase] if n_staff is None else int(n_staff)
    if not MIN_STAFF <= n_staff <= MAX_STAFF:
        raise ValueError(f"n_staff must be between {MIN_STAFF} and {MAX_STAFF}")
    if not 1 <= cycles <= 10:
        raise ValueError("cycles must be between 1 and 10")
    effects = effects or Effects()
    file_name = file_name or f"pmreport-sample-{phase}-{seed}.xlsx"
    base = _school_settings(stream(seed, "school", phase), phase, effects)

    years = [first_cycle_year + i for i in range(cycles)]
    bank = bank_holidays(range(first_cycle_year - 1, first_cycle_year + cycles + 2))
    calendar_rows = [row for y in years for row in cycle_closures(y, stream(seed, "calendar", y), bank)]
    wd = WorkingDays(bank, expand(calendar_rows))
    roster = Roster(stream(seed, "roster"), phase, n_staff, first_cycle_year)
    truth = Truth()
    records: dict[str, list[dict]] = {s: [] for s in ("school", "staff", "reviews", "objectives", "observations",
                                                      "development", "appeals")}
    records["calendar"] = calendar_rows
    harsh: dict | None = None
    gap = {"predicate": parse_group(effects.pay_gap_group), "factor": effects.pay_gap} if effects.pay_gap else None
    stats: dict = {"harsh": {}, "gap": {}}

    for ci, year in enumerate(years):
        roster.set_cycle_state(ci)
        people = roster.people + roster.temps_for(ci)
        assign_line_managers(people)
        cyc = Cycle(ci, year, wd, {p.staff_id: p for p in people}, dict(base))
        cyc.settings["max_reviewees"] = None

        def rng_for(*parts, _ci=ci):
            return stream(seed, "effect", _ci, *parts)

        plans = plan_reviews(cyc, stream(seed, "reviews", ci))
        if base["reviewer_option"] == "capped":
            cyc.settings["max_reviewees"] = max(5, max(reviewer_loads(plans, cyc).values()) + 1)
        plans, early = apply_review_effects(cyc, plans, effects, truth, rng_for)
        if effects.harsh_reviewer and harsh is None:
            loads = reviewer_loads(plans)
            leaders = [r for r in loads if r in cyc.staff and cyc.staff[r].responsibility in ("middle_leader", "senior_leader")]
            if leaders:
                chosen = max(sorted(leaders), key=lambda r: loads[r])
                harsh = {"reviewer_id": chosen, "points": float(effects.harsh_reviewer)}
        set_assessment_and_pay(cyc, plans, stream(seed, "pay", ci), harsh, gap, lambda p, c=cyc: staff_row(p, c))
        _pay_stats(stats, cyc, plans, harsh, gap)

        reviewer_of = {r.staff_id: r.reviewer_id for r in plans}
        meeting_of = {r.staff_id: r.meeting for r in plans}
        records["reviews"] += [r.row(cyc) for r in plans]
        records["objectives"] += objectives(cyc, plans, effects, truth, stream(seed, "objectives", ci), rng_for)
        records["development"] += development(cyc, plans, effects, truth, stream(seed, "development", ci), rng_for)
        records["observations"] += observations(cyc, reviewer_of, meeting_of, effects, truth,
                                                stream(seed, "observations", ci), rng_for)
        records["appeals"] += appeals(cyc, plans, early, truth, stream(seed, "appeals", ci))
        roster.mark_leavers(ci, keep={harsh["reviewer_id"]} if harsh else set())
        records["staff"] += [staff_row(p, cyc) for p in sorted(people, key=lambda p: p.staff_id)]
        records["school"].append(_school_row(cyc))
        roster.advance(ci, {r.staff_id for r in plans if r.pay_decision == "progress"})

    canary_list = _plant_canaries(records, seed) if canaries else []
    labels = [r["cycle"] for r in records["school"]]
    truth_dict = {
        "generator": "pmreport.synth",
        "seed": seed,
        "phase": phase,
        "n_staff": n_staff,
        "cycles": labels,
        "first_cycle_year": first_cycle_year,
        "school_name": base["school_name"],
        "urn": base["urn"],
        "effects": effects.to_dict(),
        "effects_applied": dict(sorted(truth.applied.items())),
        "breaches": truth.sorted_entries(),
        "harsh_reviewer": _harsh_truth(harsh, stats["harsh"]),
        "pay_gap": _gap_truth(effects, stats["gap"]) if gap else None,
        "canaries": canary_list,
    }
    return SyntheticSchool(phase=phase, seed=seed, records=records, truth=truth_dict, file_name=file_name)


def _school_row(cyc: Cycle) -> dict:
    s = cyc.settings
    return {
        "urn": s["urn"], "school_name": s["school_name"], "phase": s["phase"], "local_authority": s["local_authority"],
        "cycle": cyc.label, "cycle_start": cyc.start, "cycle_end": cyc.end, "teacher_deadline": cyc.teacher_deadline,
        "head_deadline": cyc.head_deadline, "support_cycle_end": cyc.support_deadline, "starter_meeting_days": None,
        "reviewer_option": s["reviewer_option"], "max_reviewees": s["max_reviewees"], "head_adviser": None,
        "moderation_option": s["moderation_option"], "moderation_sample_fraction": s["moderation_sample_fraction"],
        "head_statement_qa": s["head_statement_qa"], "observation_cap_hours": s["observation_cap_hours"],
        "max_objectives": s["max_objectives"],
    }


def _tally(bucket: dict, key: str, progressed: bool) -> None:
    b = bucket.setdefault(key, {"eligible": 0, "progress": 0, "no_progress": 0})
    b["eligible"] += 1
    b["progress" if progressed else "no_progress"] += 1


def _pay_stats(stats: dict, cyc: Cycle, plans, harsh: dict | None, gap: dict | None) -> None:
    for r in plans:
        if not r.pay_eligible:
            continue
        progressed = r.pay_recommendation == "progress"
        if harsh:
            who = "reviewer" if r.reviewer_id == harsh["reviewer_id"] else "other_reviewers"
            _tally(stats["harsh"].setdefault(cyc.label, {}), who, progressed)
        if gap:
            who = "group" if gap["predicate"](staff_row(cyc.staff[r.staff_id], cyc)) else "others"
            _tally(stats["gap"].setdefault(cyc.label, {}), who, progressed)


def _harsh_truth(harsh: dict | None, stats: dict) -> dict | None:
    if not harsh:
        return None
    cycles = sorted(c for c, s in stats.items() if "reviewer" in s)
    return {
        "reviewer_id": harsh["reviewer_id"],
        "cycle": cycles[-1] if cycles else None,
        "cycles": cycles,
        "extra_no_progress_points": harsh["points"],
        "observed": stats,
    }


def _gap_truth(effects: Effects, stats: dict) -> dict:
    return {"group": effects.pay_gap_group, "odds_multiplier": effects.pay_gap, "outcome": "pay_recommendation",
            "cycles": sorted(stats), "observed": stats}


def _plant_canaries(records: dict[str, list[dict]], seed: int) -> list[dict]:
    """Recognisable strings in direct identifiers and free text, which must never reach governors."""
    out = []
    staff = records["staff"]
    target = next((r for r in staff if r["role_group"] == "teacher" and not r["induction"]), staff[0])
    name = f"Zebedee CANARYNAME{seed} Quux"
    for r in staff:
        if r["staff_id"] == target["staff_id"]:
            r["name"] = name
    out.append({"sheet": "staff", "field": "name", "staff_id": target["staff_id"], "value": name})
    if records["reviews"]:
        review = records["reviews"][len(records["reviews"]) // 2]
        review["notes"] = f"CANARY-FREE-TEXT-{seed} reviewee asked that this stays private"
        out.append({"sheet": "reviews", "field": "notes", "staff_id": review["staff_id"], "cycle": review["cycle"],
                    "value": f"CANARY-FREE-TEXT-{seed}"})
    if records["objectives"]:
        obj = records["objectives"][len(records["objectives"]) // 3]
        obj["description"] = f"CANARY-OBJECTIVE-TEXT-{seed} improve outcomes in the group"
        out.append({"sheet": "objectives", "field": "description", "staff_id": obj["staff_id"], "cycle": obj["cycle"],
                    "value": f"CANARY-OBJECTIVE-TEXT-{seed}"})
    return out
