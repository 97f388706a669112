"""Ground truth recovered over many generator seeds: the compliance engine against the planted breaches, and
against the generator's own re-check (pmreport.synth.recheck), person by person.

    .venv/bin/python benchmarks/synth_recovery.py --seeds 20 --cycles 2 --rate 0.1

For each seed a school is generated (phases in turn: primary, special, secondary) with every breach effect at
``--rate``; every (rule, cycle, staff id, outcome) the engine reports as breached or not recorded must equal the
truth, and the re-check's set must equal the engine's. Prints the totals, each rule's count and any difference;
exits 1 if there is one. tests/compliance/test_against_generator.py runs the same comparison on 21 one-cycle schools.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmreport import synth  # noqa: E402
from pmreport.compliance import run_checks  # noqa: E402
from pmreport.synth.recheck import findings  # noqa: E402

PHASES = ("primary", "special", "secondary")


def engine_findings(data) -> set[tuple[str, str, str, str]]:
    out = set()
    for cycle in data.cycles:
        d = run_checks(data, cycle).detail
        d = d[d["outcome"].isin(["breached", "not_recorded"])]
        out |= set(zip(d["rule"], d["cycle"], d["staff_id"], d["outcome"], strict=True))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--cycles", type=int, default=2)
    parser.add_argument("--rate", type=float, default=0.1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    per_rule: Counter[str] = Counter()
    problems: list[str] = []
    planted_total = staff_total = 0
    for seed in range(args.seeds):
        phase = PHASES[seed % len(PHASES)]
        school = synth.generate(phase, seed, cycles=args.cycles, effects=synth.Effects.all_breaches(args.rate))
        truth = {(b["rule"], b["cycle"], b["staff_id"], b["outcome"]) for b in school.truth["breaches"]}
        got, rechecked = engine_findings(school.data), findings(school.data)
        planted_total += len(truth)
        staff_total += len(school.data.staff.drop_duplicates("staff_id"))
        per_rule.update(f"{rule} ({outcome})" for rule, _, _, outcome in truth)
        for name, a, b in (("planted, not found", truth, got), ("found, not planted", got, truth),
                           ("re-check only", rechecked, got), ("engine only", got, rechecked)):
            problems += [f"seed {seed} ({phase}): {name}: {x}" for x in sorted(a - b)]
    print(f"schools: {args.seeds} (seeds 0-{args.seeds - 1}, {args.cycles} cycles each, every breach effect at "
          f"{args.rate}); staff: {staff_total}; planted findings: {planted_total}")
    for rule, n in sorted(per_rule.items()):
        print(f"  {rule}: {n}")
    print(f"differences (truth v engine, engine v re-check): {len(problems)}")
    for line in problems:
        print("  " + line)
    print(f"time: {time.perf_counter() - started:.0f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
