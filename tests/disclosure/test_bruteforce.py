"""The audit's solver against an independent attacker who tries every possible set of outcomes.

For ten people with a yes/no outcome there are 1,024 possibilities. The brute-force attacker keeps
those that reproduce every published figure, and reads off the range of each hidden figure. The
audit (atoms, integer programming) must report exactly the same ranges.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from pmreport.disclosure import Microdata, Population, audit
from pmreport.disclosure.query import Group, Members, Query
from pmreport.disclosure.tables import CellSpec
from tests.support.forgery import forge_table, people_frame

CYCLE = "2025/26"


def build(seed: int):
    rng = np.random.default_rng(seed)
    n = 10
    sexes = rng.choice(["female", "male"], size=n)
    roles = rng.choice(["teacher", "support"], size=n, p=[0.7, 0.3])
    outcome = rng.choice(["met", "not_met"], size=n, p=[0.6, 0.4])
    frame = people_frame([({"sex": s, "role_group": r, "assessment": o}, 1)
                          for s, r, o in zip(sexes, roles, outcome, strict=True)])
    md = Microdata(frame)
    everyone = Population("staff")
    teachers = Population.of("teachers", role_group="teacher")
    q_all = Query("assessment", everyone, ("met", "not_met"), ("not_met",), "sex")
    q_t = Query("assessment", teachers, ("met", "not_met"), ("not_met",))
    rows = [("All staff", q_all, Members(CYCLE, everyone)),
            ("Female", q_all, Members(CYCLE, everyone, Group("sex", ("female",), "Female"))),
            ("Male", q_all, Members(CYCLE, everyone, Group("sex", ("male",), "Male"))),
            ("Teachers", q_t, Members(CYCLE, teachers))]
    hide = rng.random((len(rows), 2)) < 0.45
    return md, frame, rows, hide


def member_mask(frame, members: Members) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    for column, allowed in members.population.where:
        mask &= frame[column].isin(allowed).to_numpy()
    if members.group is not None:
        mask &= frame[members.group.column].isin(members.group.values).to_numpy()
    return mask


@pytest.mark.parametrize("seed", range(12))
def test_audit_ranges_equal_brute_force(seed):
    md, frame, rows, hide = build(seed)
    truth = (frame["assessment"] == "not_met").to_numpy().astype(int)
    values, specs = [], []
    for r, (_, q, members) in enumerate(rows):
        mask = member_mask(frame, members)
        counts = [int(((1 - truth) * mask).sum()), int((truth * mask).sum())]
        values.append([int(mask.sum())] + ["c" if hide[r, c] else counts[c] for c in range(2)])
        specs.append([CellSpec("size", q, members)] + [CellSpec("count", q, members, (cat,)) for cat in q.categories])
    table = forge_table("Assessment", [r[0] for r in rows], [("Staff", "size"), ("Met", "count"),
                                                             ("Not met", "count")], values, specs)
    result = audit([table], md)

    masks = [member_mask(frame, m) for _, _, m in rows]
    seen: dict[tuple[int, int], list[int]] = {}
    for bits in itertools.product((0, 1), repeat=len(frame)):
        x = np.array(bits)
        cells = [[int(((1 - x) * m).sum()), int((x * m).sum())] for m in masks]
        if all(hide[r, c] or cells[r][c] == values[r][c + 1] for r in range(len(rows)) for c in range(2)):
            for r in range(len(rows)):
                for c in range(2):
                    if hide[r, c]:
                        seen.setdefault((r, c), []).append(cells[r][c])
    expected = {(rows[r][0], ("Met", "Not met")[c]): (min(v), max(v)) for (r, c), v in seen.items()}
    got = {(x.row, x.column): (x.low, x.high) for x in result.ranges}
    assert got == expected
