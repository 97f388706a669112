"""A governor who works out ranges, written for the tests and independent of the audit's code: it reads only the
published report (report.json's dictionary), and knows nothing the report does not say.

Every count of every table (a row's number of staff and each outcome's count) is an unknown whole number with a
range: a figure shown exactly is itself; a band ("5 or fewer", "at least 106") is its range; a percentage shown
exactly or as a band gives the counts it could be a rounding of; a hidden figure is anything from 0 to the row's
number of staff. The attacker then adds every sum it can read off the report:

- within a row, the counts share out the row's staff;
- the per-group tables: all staff = teachers + support staff, figure by figure (where the numbers of staff agree);
- a breakdown: the whole-population row = the sum of its groups (where the groups' numbers of staff add up);
- the same row (same label, same number of staff) in two tables of the same cycle: a column with the same label
  is the same figure, and "Other outcomes (a, b, c)" is the sum of the columns a, b and c of the other table;

and narrows every range by these sums until nothing changes (interval propagation). It reports, for every count
the report hides (not shown exactly):

- ``small``: it is known to be from 1 to 4 people;
- ``narrowed``: it is known to be at most 1 to 4 people (0 to k): the hidden figures around it add up to a small
  number;
- ``everyone``: it is known to be everyone in the row, in a table of people's outcomes (or, in a breakdown of what
  the school did, an unfavourable outcome: every column but the first).

The insider is a colleague who knows their own record: for each hidden count that could include them, they know
it is at least 1, and that the others in their row with that outcome are one fewer. It reports where that lets
them work out a hidden figure of 1 to 4 exactly (``insider-small``), or that everyone else in their row had an
unfavourable outcome (``insider-everyone``; every column but the first is taken as unfavourable).

Used by tests/disclosure/test_interval_attack.py and benchmarks/report_attack_sweep.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from tests.support.subtraction_attack import PROCESS_TABLES

Var = tuple[str, int, int]  #: (table id, row, column)


class Infeasible(Exception):
    """The sums read off the report contradict each other: one of the attacker's assumptions is wrong."""


@dataclass
class System:
    lo: dict[Var, int] = field(default_factory=dict)
    hi: dict[Var, int] = field(default_factory=dict)
    #: each sum is (total, parts): total = sum of parts
    sums: list[tuple[Var, tuple[Var, ...]]] = field(default_factory=list)
    #: hidden counts: var -> (row's size var, column index among the row's counts, personal table?)
    hidden: dict[Var, tuple[Var, int, bool]] = field(default_factory=dict)
    rows: dict[tuple[str, int], tuple[Var, list[Var]]] = field(default_factory=dict)

    def narrow(self, v: Var, lo: int, hi: int) -> bool:
        new_lo, new_hi = max(self.lo[v], lo), min(self.hi[v], hi)
        if new_lo > new_hi:
            raise Infeasible(f"{v}: {new_lo} > {new_hi}")
        changed = (new_lo, new_hi) != (self.lo[v], self.hi[v])
        self.lo[v], self.hi[v] = new_lo, new_hi
        return changed

    def propagate(self, rounds: int = 500) -> None:
        for _ in range(rounds):
            changed = False
            for total, parts in self.sums:
                lo_sum = sum(self.lo[p] for p in parts)
                hi_sum = sum(self.hi[p] for p in parts)
                changed |= self.narrow(total, lo_sum, hi_sum)
                for p in parts:
                    rest_lo, rest_hi = lo_sum - self.lo[p], hi_sum - self.hi[p]
                    changed |= self.narrow(p, self.lo[total] - rest_hi, self.hi[total] - rest_lo)
            if not changed:
                return

    def copy(self) -> System:
        return System(dict(self.lo), dict(self.hi), self.sums, self.hidden, self.rows)


def _round_half_up(value: Fraction, base: int) -> int:
    return base * math.floor(value / base + Fraction(1, 2))


def _percent_counts(cell: dict[str, Any], n: int) -> tuple[int, int] | None:
    """The counts of ``n`` people a published percentage could be (exact: rounded to 1% for a process figure,
    else 5%; a band: from low% to high%; [low]: not zero, rounding to 0%)."""
    if n <= 0:
        return None
    if "low" in cell and "high" in cell:
        return math.ceil(Fraction(cell["low"] * n, 100)), math.floor(Fraction(cell["high"] * n, 100))
    base = 1 if cell.get("process") else 5
    if cell.get("symbol") == "low":
        ks = [k for k in range(1, n + 1) if _round_half_up(Fraction(100 * k, n), base) == 0]
    elif isinstance(cell.get("value"), int):
        ks = [k for k in range(n + 1) if _round_half_up(Fraction(100 * k, n), base) == cell["value"]]
    else:
        return None
    return (min(ks), max(ks)) if ks else None


def _tables(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for s in report["sections"] for t in s["tables"]]


def build(report: dict[str, Any]) -> System:
    """Every count of the report as an unknown with its range, and every sum the attacker can read off it."""
    s = System()
    usable = []
    for t in _tables(report):
        kinds = [c["kind"] for c in t["columns"]]
        if t["id"].startswith("trend-") or not t["rows"] or kinds[0] != "size" or "count" not in kinds:
            continue
        usable.append(t)
        labels = [c["label"] for c in t["columns"]]
        personal = not t["id"].startswith(PROCESS_TABLES)
        for r, row in enumerate(t["rows"]):
            size_cell = row["cells"][0]
            if "value" not in size_cell:  # a row of [c] standing for a breakdown that cannot be shown
                continue
            size = int(size_cell["value"])
            sv: Var = (t["id"], r, 0)
            s.lo[sv] = s.hi[sv] = size
            counts = []
            for c, (kind, cell) in enumerate(zip(kinds, row["cells"], strict=True)):
                if kind != "count":
                    continue
                v: Var = (t["id"], r, c)
                counts.append(v)
                if "value" in cell:
                    s.lo[v] = s.hi[v] = int(cell["value"])
                    continue
                s.lo[v], s.hi[v] = (int(cell["low"]), int(cell["high"])) if "low" in cell else (0, size)
                s.hidden[v] = (sv, len(counts) - 1, personal)
            for c, (kind, cell) in enumerate(zip(kinds, row["cells"], strict=True)):
                if kind != "percent" or not labels[c].endswith(" (%)"):
                    continue
                base = labels[c].removesuffix(" (%)")
                if base in labels and (t["id"], r, labels.index(base)) in s.lo:
                    found = _percent_counts(cell, size)
                    if found is not None:
                        s.narrow((t["id"], r, labels.index(base)), *found)
            s.sums.append((sv, tuple(counts)))
            s.rows[(t["id"], r)] = (sv, counts)
    _per_group(s, usable)
    _breakdowns(s, usable)
    _same_rows(s, usable)
    return s


def _key(table: dict[str, Any]) -> str:
    return str(table["id"]).rsplit("-", 1)[0]


def _per_group(s: System, usable: list[dict[str, Any]]) -> None:
    by_key: dict[str, dict[str, dict[str, Any]]] = {}
    for t in usable:
        by_key.setdefault(_key(t), {})[t.get("staff_group", "all")] = t
    for groups in by_key.values():
        if not {"all", "teachers", "support"} <= set(groups):
            continue
        whole, parts = groups["all"], [groups["teachers"], groups["support"]]
        if not all([c["label"] for c in p["columns"]] == [c["label"] for c in whole["columns"]] for p in parts):
            continue
        for r, row in enumerate(whole["rows"]):
            found = [next((i for i, x in enumerate(p["rows"]) if x["label"] == row["label"]), None) for p in parts]
            if None in found or (whole["id"], r, 0) not in s.lo:
                continue
            keys = [(p["id"], i) for p, i in zip(parts, found, strict=True)]
            if any((tid, i, 0) not in s.lo for tid, i in keys):
                continue
            if s.lo[(whole["id"], r, 0)] != sum(s.lo[(tid, i, 0)] for tid, i in keys):
                continue  # the groups do not make up the whole (someone in neither)
            for c, col in enumerate(whole["columns"]):
                if col["kind"] == "count":
                    s.sums.append(((whole["id"], r, c), tuple((tid, i, c) for tid, i in keys)))


def _breakdowns(s: System, usable: list[dict[str, Any]]) -> None:
    for t in usable:
        rows = [r for r in range(1, len(t["rows"])) if (t["id"], r, 0) in s.lo]
        if len(rows) < 2 or (t["id"], 0, 0) not in s.lo:
            continue
        if s.lo[(t["id"], 0, 0)] != sum(s.lo[(t["id"], r, 0)] for r in rows):
            continue
        for c, col in enumerate(t["columns"]):
            if col["kind"] == "count":
                s.sums.append(((t["id"], 0, c), tuple((t["id"], r, c) for r in rows)))


_OTHER = re.compile(r"^Other outcomes \((.*)\)$")


def _same_rows(s: System, usable: list[dict[str, Any]]) -> None:
    """The same row in two tables of one cycle and staff group: equal columns, and "Other outcomes (...)"."""
    seen: dict[tuple[str, str, str, int], list[tuple[dict[str, Any], int]]] = {}
    for t in usable:
        for r, row in enumerate(t["rows"]):
            if (t["id"], r, 0) in s.lo:
                seen.setdefault((t.get("cycle", ""), t.get("staff_group", ""), row["label"], s.lo[(t["id"], r, 0)]),
                                []).append((t, r))
    for found in seen.values():
        for i, (a, ra) in enumerate(found):
            a_cols = {c["label"].lower(): j for j, c in enumerate(a["columns"]) if c["kind"] == "count"}
            for b, rb in found[i + 1:]:
                b_cols = {c["label"].lower(): j for j, c in enumerate(b["columns"]) if c["kind"] == "count"}
                for one, r1, cols1, other, r2, cols2 in ((a, ra, a_cols, b, rb, b_cols), (b, rb, b_cols, a, ra, a_cols)):
                    for label, j in cols1.items():
                        if label in cols2 and one is a:
                            s.sums.append(((one["id"], r1, j), ((other["id"], r2, cols2[label]),)))
                        m = _OTHER.match(one["columns"][j]["label"])
                        if m:
                            names = [x.strip().lower() for x in m.group(1).split(",")]
                            if all(n in cols2 for n in names):
                                s.sums.append(((one["id"], r1, j), tuple((other["id"], r2, cols2[n]) for n in names)))


@dataclass(frozen=True)
class Finding:
    kind: str
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.where}: {self.what}"


def _where(v: Var, report_tables: dict[str, dict[str, Any]]) -> str:
    t = report_tables[v[0]]
    return f"{v[0]} / {t['rows'][v[1]]['label']} / {t['columns'][v[2]]['label']}"


def _outsider(s: System, names: dict[str, dict[str, Any]]) -> Iterable[Finding]:
    for v, (sv, k, personal) in s.hidden.items():
        lo, hi, size = s.lo[v], s.hi[v], s.lo[sv]
        if lo >= 1 and hi <= 4:
            yield Finding("small", _where(v, names), f"{lo} to {hi} people" if lo < hi else f"exactly {lo}")
        elif lo == 0 and 1 <= hi <= 4:
            yield Finding("narrowed", _where(v, names), f"0 to {hi} people")
        if size >= 1 and lo == size and (personal or k > 0):
            yield Finding("everyone", _where(v, names), f"all {size} in the row")


def attack(report: dict[str, Any], insider: bool = True) -> list[Finding]:
    """Everything the governor, and a colleague who knows their own record, can work out (see the module)."""
    names = {t["id"]: t for t in _tables(report)}
    s = build(report)
    s.propagate()
    found = list(_outsider(s, names))
    if not insider:
        return found
    before = {v: (s.lo[v], s.hi[v]) for v in s.hidden}
    for v in s.hidden:
        if s.hi[v] < 1 or s.lo[v] >= 1:
            continue  # nobody to be, or already known to be someone: the insider learns nothing new
        t = s.copy()
        t.narrow(v, 1, s.hi[v])
        try:
            t.propagate()
        except Infeasible:
            continue
        size_var, counts = s.rows[(v[0], v[1])]
        size = t.lo[size_var]
        for j, w in enumerate(counts):
            if w != v and w in s.hidden and j > 0 and size >= 2 and t.lo[w] == size - 1:
                found.append(Finding("insider-everyone", _where(w, names), f"all {size - 1} others in the row"))
        for w in s.hidden:
            if w != v and t.lo[w] == t.hi[w] and 1 <= t.lo[w] <= 4 and before[w][0] != before[w][1]:
                found.append(Finding("insider-small", _where(w, names), f"exactly {t.lo[w]} (knowing "
                                     f"{_where(v, names)} includes them)"))
    return list(dict.fromkeys(found))
