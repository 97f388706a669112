"""The attacker's model of averages: can a small group's total be worked out from published means?

Each atom's total (the sum of its people's values) is an unknown between the atom's size times
the lowest and the highest value a person can have. A published mean of ``n`` people, rounded,
puts the total of its people in an interval. Linear programming then gives the range of every
hidden average's total and every small atom's total; a range narrower than the p% rule allows
(within p% of the largest value either side) is a finding.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pmreport.disclosure.engine import Partition
from pmreport.disclosure.findings import Fact, Finding, Hidden, HiddenRange
from pmreport.disclosure.labels import people
from pmreport.disclosure.microdata import Microdata
from pmreport.disclosure.policy import DisclosurePolicy

TOL = 1e-6


def dominated(values: Sequence[float], policy: DisclosurePolicy) -> bool:
    """Whether the largest values dominate the total: the p% rule or the (n, k) rule fails."""
    ordered = sorted((float(v) for v in values), reverse=True)
    total = sum(ordered)
    if total <= 0:
        return False
    x1 = ordered[0]
    x2 = ordered[1] if len(ordered) > 1 else 0.0
    if total - x1 - x2 < policy.p_percent / 100 * x1:
        return True
    return sum(ordered[: policy.nk_n]) > policy.nk_k / 100 * total


class MeanAudit:
    """The averages of one value column, over every cycle and table that shows them."""

    def __init__(self, md: Microdata, column: str, bounds: tuple[float, float | None], facts: Sequence[Fact],
                 hidden: Sequence[Hidden], policy: DisclosurePolicy):
        self.md, self.column, self.policy = md, column, policy
        self.facts, self.hidden = list(facts), list(hidden)
        self.findings: list[Finding] = []
        self.ranges: list[HiddenRange] = []
        self.part = Partition(md, [t.members for f in facts for t in f.terms] + [h.members for h in hidden])
        self.values: dict[str, dict[str, float]] = {}
        for cycle in sorted(set(self.part.set_cycle)):
            inside = self.part.rows(cycle)  # everyone in a set of the cycle, looked up at once
            found = md.values(cycle, column).to_numpy(dtype=float)[inside]
            self.values[cycle] = dict(zip(md.keys(cycle)[inside].tolist(), found.tolist(), strict=True))
        sizes = np.array([len(keys) for _, keys, _ in self.part.atoms], dtype=float)
        low, high = bounds
        self.bounds = [(low * s, None if high is None else high * s) for s in sizes]
        self.truth = np.array([sum(self.values[c][k] for k in keys) for c, keys, _ in self.part.atoms])
        rows, lo, hi = [], [], []
        self.consistent = True
        for fact in facts:
            r = np.zeros(len(self.part.atoms))
            for t in fact.terms:
                for a in self.part.set_atoms[self.part.set_of[t.members]]:
                    r[a] += t.coef
            value = r @ self.truth
            if value < fact.lo - TOL or value > fact.hi + TOL:
                self.consistent = False
                self.findings.append(Finding("inconsistent", f"The average in {fact.ref.where()} does not match the "
                                             "data it was made from.", (fact.ref.table,)))
                continue
            rows.append(r)
            lo.append(fact.lo)
            hi.append(fact.hi)
        self.rows = np.array(rows) if rows else np.zeros((0, len(self.part.atoms)))
        self.lo, self.hi = np.array(lo), np.array(hi)

    def _range(self, form: np.ndarray) -> tuple[float, float]:
        from scipy.optimize import linprog

        out = []
        for sign in (1, -1):
            kwargs = {}
            if len(self.rows):
                kwargs = {"A_ub": np.vstack([self.rows, -self.rows]), "b_ub": np.concatenate([self.hi, -self.lo])}
            res = linprog(sign * form, bounds=self.bounds, method="highs", **kwargs)
            if res.status == 3:  # unbounded: no limit in this direction
                out.append(float("-inf") if sign == 1 else float("inf"))
            elif res.status != 0:
                raise RuntimeError(f"the disclosure audit's solver failed: {res.message}")
            else:
                out.append(float(form @ res.x))
        return out[0], out[1]

    def _values(self, atoms: Sequence[int]) -> list[float]:
        return [self.values[self.part.atoms[a][0]][k] for a in atoms for k in self.part.atoms[a][1]]

    def _protected(self, atoms: Sequence[int]) -> tuple[bool, float, float]:
        form = np.zeros(len(self.part.atoms))
        form[list(atoms)] = 1
        low, high = self._range(form)
        total = float(form @ self.truth)
        x1 = max(self._values(atoms), default=0.0)
        margin = self.policy.p_percent / 100 * x1
        ok = high - low > TOL and high >= total + margin - TOL and low <= total - margin + TOL
        return ok, low, high

    def run(self) -> None:
        if not self.consistent or not self.part.atoms:
            return
        p = self.policy
        tables = tuple(dict.fromkeys([f.ref.table for f in self.facts] + [h.ref.table for h in self.hidden]))
        for h in self.hidden:
            atoms = self.part.set_atoms[self.part.set_of[h.members]]
            ok, low, high = self._protected(atoms)
            self.ranges.append(HiddenRange(h.ref.table, h.ref.row, h.ref.column, low, high, "total"))
            values = self._values(atoms)
            if values and (len(values) < p.mean_min_contributors or dominated(values, p)) and not ok:
                self.findings.append(Finding("mean_recoverable", f"The total behind the hidden average in "
                                             f"{h.ref.where()} can be worked out to within {p.p_percent:g}% of the "
                                             "largest value in it.", tables))
        for ks in self.part.known_sets():
            if 0 < ks.size < p.mean_min_contributors:
                ok, _, _ = self._protected(ks.atoms)
                if not ok:
                    self.findings.append(Finding("mean_recoverable", f"The total of {ks.description} "
                                                 f"({people(ks.size)}) can be worked out to within {p.p_percent:g}% "
                                                 "of the largest value in it from the published averages.", tables))
