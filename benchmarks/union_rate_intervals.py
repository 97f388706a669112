"""Coverage of the union report's intervals for pooled percentages (clustered by school) against Wilson's
interval that treats every person as independent.

    .venv/bin/python benchmarks/union_rate_intervals.py                 # the table in docs/union.md
    .venv/bin/python benchmarks/union_rate_intervals.py --runs 300      # a quick look

Each simulated cohort has G schools of 10 to 60 staff with a decision; each school's own rate is drawn from a
beta distribution with mean ``--rate`` and intra-school correlation rho (rho 0: every school the same), and its
staff progress independently at that rate. The true pooled rate is the mean. Prints a Markdown table: coverage
of the true rate (95% Wilson interval of the coverage in brackets) and the median design effect.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmreport.moderation.exact import wilson  # noqa: E402
from pmreport.union.analysis.clustered_rates import clustered_rate, naive_rate  # noqa: E402


def one_setting(schools: int, rho: float, rate: float, runs: int, rng: np.random.Generator) -> tuple[int, int, float]:
    covered = naive = 0
    deffs = []
    for _ in range(runs):
        n = rng.integers(10, 61, size=schools)
        if rho > 0:
            total = 1 / rho - 1
            p = rng.beta(rate * total, (1 - rate) * total, size=schools)
        else:
            p = np.full(schools, rate)
        y = rng.binomial(n, p)
        found = clustered_rate(y, n)
        if found is None:
            continue
        covered += found.low <= rate <= found.high
        lo, hi = naive_rate(y, n)
        naive += lo <= rate <= hi
        deffs.append(found.design_effect)
    return covered, naive, float(np.nanmedian(deffs))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=2000, help="cohorts per row (default 2000)")
    ap.add_argument("--rate", type=float, default=0.8, help="true pooled rate (default 0.8)")
    ap.add_argument("--seed", type=int, default=19)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    print("| schools | intra-school correlation | median design effect | clustered interval covers | "
          "people as independent covers |")
    print("|---|---|---|---|---|")
    for schools in (5, 10, 30, 100):
        for rho in (0.0, 0.02, 0.045, 0.1):
            cov, naive, deff = one_setting(schools, rho, args.rate, args.runs, rng)
            cells = []
            for k in (cov, naive):
                lo, hi = wilson(k, args.runs)
                cells.append(f"{100 * k / args.runs:.1f}% ({100 * lo:.1f}-{100 * hi:.1f})")
            print(f"| {schools} | {rho:g} | {deff:.1f} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
