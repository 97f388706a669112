"""Whatever the gate publishes, from any school's data, the audit passes; and no key ever leaks."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmreport.disclosure import DisclosureGate, Microdata, Population, audit

CHARACTERISTICS = {
    "sex": ["female", "male", None],
    "ethnicity_group": ["white_british", "white_other", "asian", "black", "mixed", None],
    "disability": [True, False, None],
    "age_band": ["under_30", "30_39", "40_49", "50_59", "60_and_over"],
}
ASSESSMENT = ["met", "partly_met", "not_met", "not_assessed"]
PAY = ["progress", "no_progress", "pending"]
RULE = ["met", "breached", "not_recorded", "not_applicable"]


def school(n: int, seed: int, skew: float, two_cycles: bool) -> Microdata:
    """``n`` staff with random characteristics and outcomes; ``skew`` makes the favourable outcome commoner."""
    rng = np.random.default_rng(seed)
    frames = []
    cycles = ["2024/25", "2025/26"] if two_cycles else ["2025/26"]
    ids = np.arange(n + 10)
    for i, cycle in enumerate(cycles):
        people = rng.choice(ids, size=n, replace=False) if i else ids[:n]
        frame = pd.DataFrame({"person": [f"k{p:04d}" for p in people], "cycle": cycle})
        frame["in_scope"] = rng.random(n) > 0.05
        for column, values in CHARACTERISTICS.items():
            weights = rng.dirichlet(np.ones(len(values)) * 0.7)
            frame[column] = [values[j] for j in rng.choice(len(values), size=n, p=weights)]
        frame["role_group"] = rng.choice(["teacher", "support", "headteacher"], size=n, p=[0.6, 0.35, 0.05])
        good = [skew, *([(1 - skew) / 3] * 3)]
        frame["assessment"] = rng.choice(ASSESSMENT, size=n, p=good)
        frame["pay_eligible"] = rng.random(n) > 0.4
        frame["pay_decision"] = rng.choice(PAY, size=n, p=[skew, (1 - skew) * 0.7, (1 - skew) * 0.3])
        frame["objectives_count"] = rng.poisson(3, size=n) * (rng.random(n) > 0.02) + (rng.random(n) < 0.02) * 30
        for rule in ("rule:notice", "rule:deadline"):
            frame[rule] = rng.choice(RULE, size=n, p=[skew * 0.9, (1 - skew) / 2, (1 - skew) / 2, skew * 0.1])
        frames.append(frame)
    return Microdata(pd.concat(frames, ignore_index=True))


def publish_everything(md: Microdata, by: list[str]) -> DisclosureGate:
    gate = DisclosureGate(md)
    eligible = Population.of("staff eligible for pay progression", pay_eligible=True)
    gate.frequency("assessment", categories=ASSESSMENT, percentages=True)
    for characteristic in by:
        gate.frequency("assessment", categories=ASSESSMENT, by=characteristic)
    gate.rate("pay_decision", success="progress", categories=PAY, population=eligible, by=by[0])
    gate.rate("pay_decision", success="progress", categories=PAY, population=eligible,
              title="Pay progression among teachers", by=None)
    gate.mean("objectives_count")
    gate.mean("objectives_count", by=by[-1])
    gate.compliance({"rule:notice": "Notice of the meeting", "rule:deadline": "Deadline"})
    if len(md.cycles) == 2:
        gate.year_on_year("assessment", counted="met", categories=ASSESSMENT, by=by[0])
    return gate


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(8, 150),
    seed=st.integers(0, 2**32 - 1),
    skew=st.floats(0.5, 0.97),
    two_cycles=st.booleans(),
    by=st.lists(st.sampled_from(sorted(CHARACTERISTICS)), min_size=1, max_size=3, unique=True),
)
def test_whatever_the_gate_publishes_the_audit_passes(n, seed, skew, two_cycles, by):
    md = school(n, seed, skew, two_cycles)
    gate = publish_everything(md, by)
    result = audit(gate.tables, md)
    assert result.passed, result.summary()
    published = json.dumps([t.to_public_dict() for t in gate.tables])
    assert not any(key in published for key in md.frame["person"].unique())


def test_a_synthetic_school_passes_end_to_end():
    from pmreport import synth
    from pmreport.compliance.results import run_checks
    from pmreport.disclosure import microdata_from_school

    data = synth.generate("primary", 11, n_staff=35).data
    compliance = {c: run_checks(data, c) for c in data.cycles[-2:]}
    md = microdata_from_school(data, cycles=data.cycles[-2:], compliance=compliance, salt="test")
    gate = DisclosureGate(md)
    for characteristic in ("sex", "ethnicity_group", "age_band", "disability"):
        gate.frequency("assessment", by=characteristic)
    gate.rate("pay_decision", success="progress", population=Population.of("staff eligible for pay progression",
                                                                             pay_eligible=True), by="sex")
    gate.mean("objectives_count")
    rules = {c: c.removeprefix("rule:").replace("_", " ") for c in md.frame.columns if c.startswith("rule:")}
    gate.compliance(rules)
    gate.year_on_year("assessment", counted="met")
    result = gate.audit()
    assert result.passed, result.summary()
    published = json.dumps([t.to_public_dict() for t in gate.tables])
    names = data.staff["name"].dropna().unique()
    assert not any(name in published for name in names)
    assert not any(sid in published for sid in data.staff["staff_id"].dropna().unique() if len(str(sid)) > 3)
