"""The rules recover the synthetic generator's planted breaches exactly: every one found, nothing else.

The generator (pmreport.synth, written independently from DESIGN.md) plants known breaches and
records them in ``truth["breaches"]``; everywhere else its schools follow the policy with margin.
So the set of (rule, cycle, staff id, outcome) that the engine reports as breached or not recorded
must equal the truth, both ways; and the generator's own re-check (``pmreport.synth.recheck``, written
from the policy without the engine) must report exactly the same set, person by person.

``benchmarks/synth_recovery.py`` runs the same comparison over more seeds and prints the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pmreport import synth
from pmreport.compliance import run_checks
from pmreport.synth.recheck import findings

PHASES = ("primary", "special", "secondary")
SEEDS = range(21)  # seven schools of each phase


def found(data) -> set[tuple[str, str, str, str]]:
    out = set()
    for cycle in data.cycles:
        d = run_checks(data, cycle).detail
        d = d[d["outcome"].isin(["breached", "not_recorded"])]
        out |= set(zip(d["rule"], d["cycle"], d["staff_id"], d["outcome"], strict=True))
    return out


def planted(school) -> set[tuple[str, str, str, str]]:
    return {(b["rule"], b["cycle"], b["staff_id"], b["outcome"]) for b in school.truth["breaches"]}


def assert_recovered(school) -> None:
    truth, got = planted(school), found(school.data)
    assert truth, "the generator planted nothing: the test would prove nothing"
    assert sorted(truth - got) == [], "planted but not found"
    assert sorted(got - truth) == [], "found but not planted"
    rechecked = findings(school.data)
    assert sorted(rechecked - got) == [], "the generator's re-check finds what the engine does not"
    assert sorted(got - rechecked) == [], "the engine finds what the generator's re-check does not"


@pytest.mark.parametrize("seed", SEEDS)
def test_every_planted_breach_is_found_and_nothing_else(seed: int) -> None:
    phase = PHASES[seed % len(PHASES)]
    school = synth.generate(phase, seed, n_staff=40 if phase == "secondary" else None, cycles=1,
                            effects=synth.Effects.all_breaches(0.1))
    assert_recovered(school)


@pytest.mark.parametrize("rate", [0.02, 2])
def test_recovered_over_several_cycles(rate: float) -> None:
    assert_recovered(synth.generate("primary", 101, cycles=3, effects=synth.Effects.all_breaches(rate)))


def test_a_compliant_school_has_no_findings() -> None:
    school = synth.generate("special", 7, cycles=2)
    assert planted(school) == set() and found(school.data) == set() and findings(school.data) == set()


def test_recovered_after_a_messy_workbook_round_trip(tmp_path: Path) -> None:
    from pmreport.pipeline import load_school

    school = synth.generate("primary", 3, cycles=2, effects=synth.Effects.all_breaches(0.1))
    data, report = load_school(school.write_xlsx(tmp_path / "school.xlsx", messy=True))
    assert report.valid
    assert found(data) == planted(school)
