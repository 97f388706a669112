"""The gate and the audit read people with numpy (codes, masks, bit signatures); these tests hold them to
the plain per-person reading they replaced, on awkward columns and random populations."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmreport.disclosure.engine import Partition
from pmreport.disclosure.grouping import _counts
from pmreport.disclosure.layout import ColDef, CountLayout, RowDef
from pmreport.disclosure.microdata import Microdata
from pmreport.disclosure.policy import UNION_POLICY
from pmreport.disclosure.query import (
    NOT_KNOWN,
    NOT_RECORDED,
    Group,
    Members,
    Population,
    Query,
    norm_series,
    norm_value,
)


def reference_series(values: pd.Series, missing: str = NOT_KNOWN) -> pd.Series:
    return pd.Series([norm_value(v, missing) for v in values], index=values.index, dtype=object)


COLUMNS = {
    "bool": pd.Series([True, False, True, False]),
    "nullable_bool": pd.Series([True, None, False, True], dtype="boolean"),
    "int": pd.Series(np.array([1, 2, 2, 30], dtype=np.int32)),
    "nullable_int": pd.Series([1, None, 3, 3], dtype="Int64"),
    "float": pd.Series([1.0, 2.5, np.nan, 1.0]),
    "float32": pd.Series(np.array([1.0, 2.5, np.nan, 3.0], dtype=np.float32)),
    "str": pd.Series(["a", None, "b", "a"], dtype="str"),
    "object_text": pd.Series(["a", None, "b", float("nan")], dtype=object),
    "object_mixed": pd.Series([True, 1, 1.0, "1", None, False, 0], dtype=object),
    "object_numbers": pd.Series([1, 1.0, 2.5, None], dtype=object),
    "object_decimal_like": pd.Series([dt.date(2024, 1, 1), dt.date(2024, 1, 1), None], dtype=object),
    "datetime": pd.Series(pd.to_datetime(["2024-01-01", None, "2024-01-01"])),
    "category": pd.Series(pd.Categorical(["x", "y", None, "x"])),
    "empty": pd.Series([], dtype=object),
    "all_missing": pd.Series([None, None], dtype=object),
}


@pytest.mark.parametrize("name", sorted(COLUMNS))
@pytest.mark.parametrize("missing", [NOT_KNOWN, NOT_RECORDED])
def test_codes_match_per_value_coding(name: str, missing: str) -> None:
    values = COLUMNS[name]
    values.index = [f"k{i}" for i in range(len(values))]
    pd.testing.assert_series_equal(norm_series(values, missing), reference_series(values, missing))


def random_people(seed: int, n: int, cycles: int = 2, units: bool = True) -> Microdata:
    rng = np.random.default_rng(seed)
    frames = []
    for c in range(cycles):
        ids = rng.choice(np.arange(n + 20), size=n, replace=False)
        frame = pd.DataFrame({"person": [f"p{i:04d}" for i in ids], "cycle": f"202{c}/2{c + 1}"})
        frame["in_scope"] = pd.array(rng.choice([True, False, None], size=n, p=[0.8, 0.15, 0.05]), dtype="boolean")
        frame["sex"] = rng.choice(["female", "male", None], size=n, p=[0.6, 0.35, 0.05])
        frame["phase"] = rng.choice(["primary", "secondary", "special"], size=n)
        frame["teacher"] = rng.random(n) > 0.4
        frame["outcome"] = rng.choice(["met", "partly_met", "not_met", None], size=n, p=[0.6, 0.2, 0.15, 0.05])
        frame["value"] = np.where(rng.random(n) > 0.1, rng.integers(0, 9, size=n).astype(float), np.nan)
        frame["school"] = rng.choice([f"s{i}" for i in range(6)], size=n)
        frames.append(frame)
    return Microdata(pd.concat(frames, ignore_index=True), unit="school" if units else None)


def reference_members(md: Microdata, spec: Members) -> frozenset[str]:
    rows = md.rows(spec.cycle)
    keep = pd.Series(True, index=rows.index)
    if spec.population.in_scope_only and md.scope is not None:
        keep &= rows[md.scope].astype("boolean").fillna(False).to_numpy(dtype=bool)
    for column, allowed in spec.population.where:
        keep &= reference_series(rows[column]).isin(allowed)
    if spec.group is not None:
        keep &= reference_series(rows[spec.group.column]).isin(spec.group.values)
    if spec.requires is not None:
        keep &= rows[spec.requires].notna().to_numpy(dtype=bool)
    return frozenset(rows.index[keep.to_numpy(dtype=bool)])


POPULATIONS = [
    Population("everyone"),
    Population("all rows", in_scope_only=False),
    Population.of("teachers", teacher=True),
    Population.of("primary or special", phase=["primary", "special"]),
    Population.of("secondary teachers", teacher=True, phase="secondary"),
]
GROUPS = [None, Group("sex", ("female",), "women"), Group("sex", ("male", NOT_KNOWN), "men or not known"),
          Group("phase", ("special",), "special")]


def all_specs(md: Microdata) -> list[Members]:
    return [Members(cycle, population, group, requires)
            for cycle in md.cycles for population in POPULATIONS for group in GROUPS for requires in (None, "value")]


@pytest.mark.parametrize("seed", range(3))
def test_members_masks_and_counts_agree(seed: int) -> None:
    md = random_people(seed, 120)
    for spec in all_specs(md):
        expected = reference_members(md, spec)
        assert md.members(spec) == expected
        assert md.count(spec) == len(expected)
        assert md.keys(spec.cycle)[md.mask(spec)].tolist() == [k for k in md.rows(spec.cycle).index if k in expected]
        assert md.keys(spec.cycle)[md.sorted_positions(spec)].tolist() == sorted(expected)
        codes = md.code_map(spec.cycle, "sex")
        assert md.present(spec, "sex") == {codes[k] for k in expected}
    specs = all_specs(md)
    for a, b in itertools.product(specs[::7], specs[::5]):
        assert md.changed(a, b) == len(md.members(a) ^ md.members(b))
    for a, b in itertools.product(specs, specs[::3]):
        same = a.cycle == b.cycle and md.members(a) == md.members(b)
        assert (md.member_id(a) == md.member_id(b)) == same


def reference_atoms(md: Microdata, set_keys: list[frozenset[str]], set_cycle: list[str]) -> list[tuple]:
    atoms = []
    for cycle in sorted(set(set_cycle)):
        signature: dict[str, set[int]] = {}
        for s, c in enumerate(set_cycle):
            if c == cycle:
                for key in set_keys[s]:
                    signature.setdefault(key, set()).add(s)
        groups: dict[frozenset[int], list[str]] = {}
        for key, member_of in signature.items():
            groups.setdefault(frozenset(member_of), []).append(key)
        for sig, keys in sorted(groups.items(), key=lambda kv: sorted(kv[0])):
            atoms.append((cycle, frozenset(keys), sig))
    return atoms


def reference_describe(atoms: list[tuple], set_keys: list[frozenset[str]], set_cycle: list[str], set_desc: list[str],
                       a: int) -> str:
    from pmreport.disclosure.labels import people

    cycle, keys, sig = atoms[a]
    for s in sig:
        if set_keys[s] == keys:
            return f"{set_desc[s]} ({people(len(keys))})"
    inside = [set_desc[s] for s in sorted(sig)]
    near = set().union(*(set_keys[t] for t in sig))
    outside = [set_desc[s] for s, c in enumerate(set_cycle) if c == cycle and s not in sig and set_keys[s] & near]
    text = f"the {people(len(keys))} counted in {' and in '.join(inside)}"
    if outside:
        text += f" but not in {' or in '.join(dict.fromkeys(outside))}"
    return text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), picks=st.lists(st.integers(0, 79), min_size=1, max_size=70))
def test_partition_matches_per_person_signatures(seed: int, picks: list[int]) -> None:
    """Atoms, their order, the sets' atoms and the words for each atom are those of the per-person reading
    (more than 64 sets in a cycle uses two words of bits)."""
    md = random_people(seed, 60)
    specs = all_specs(md)
    chosen = [specs[i % len(specs)] for i in picks]
    part = Partition(md, chosen)
    assert part.set_keys == [md.members(s) for s in part.set_specs]
    assert len(set(zip(part.set_cycle, part.set_keys, strict=True))) == len(part.set_keys)  # each set once
    expected = reference_atoms(md, part.set_keys, part.set_cycle)
    assert [tuple(a) for a in part.atoms] == expected
    assert [a.size for a in part.atoms] == [len(keys) for _, keys, _ in expected]
    assert part.set_atoms == [tuple(a for a, (_, _, sig) in enumerate(expected) if s in sig)
                              for s in range(len(part.set_keys))]
    for a in range(len(expected)):
        assert part.describe_atom(a) == reference_describe(expected, part.set_keys, part.set_cycle, part.set_desc, a)


def test_partition_with_many_sets_in_one_cycle() -> None:
    """130 different sets of one cycle: the signatures take three 64-bit words."""
    md = random_people(7, 300, cycles=1)
    cycle = md.cycles[0]
    rng = np.random.default_rng(3)
    keys = md.keys(cycle).tolist()
    specs = [Members(cycle, Population.of(f"set {i}", in_scope_only=False,
                                          person=sorted(rng.choice(keys, size=int(rng.integers(1, 40)), replace=False))))
             for i in range(130)]
    part = Partition(md, specs + [Members(cycle, Population("everyone"))])
    assert len(part.set_keys) == 131
    expected = reference_atoms(md, part.set_keys, part.set_cycle)
    assert [tuple(a) for a in part.atoms] == expected
    for a in range(0, len(expected), 7):
        assert part.describe_atom(a) == reference_describe(expected, part.set_keys, part.set_cycle, part.set_desc, a)


def reference_grid(layout: CountLayout, md: Microdata) -> tuple[np.ndarray, list[int], np.ndarray]:
    values = np.zeros((len(layout.rows), len(layout.cols)), dtype=int)
    bad = np.zeros_like(values, dtype=bool)
    sizes = []
    for r, row in enumerate(layout.rows):
        keys = md.members(row.members)
        sizes.append(len(keys))
        codes = reference_series(md.rows(row.members.cycle)[row.query.outcome], NOT_RECORDED)
        units = md.units(row.members.cycle)
        assert units is not None
        for c, col in enumerate(layout.cols):
            inside = [k for k in keys if codes[k] in col.categories]
            values[r, c] = len(inside)
            if inside:
                counts = units.loc[inside].value_counts()
                bad[r, c] = (len(counts) < UNION_POLICY.min_units_per_cell
                             or counts.max() > UNION_POLICY.max_unit_share * len(inside))
    return values, sizes, bad


@pytest.mark.parametrize("seed", range(3))
def test_grid_and_group_counts_agree(seed: int) -> None:
    md = random_people(seed, 150)
    cycle = md.latest_cycle
    population = Population.of("teachers", teacher=True)
    query = Query("outcome", population, ("met", "partly_met", "not_met", NOT_RECORDED), ("not_met",), "sex")
    rows = [RowDef("All", query, Members(cycle, population), True)]
    rows += [RowDef(g.label, query, Members(cycle, population, g)) for g in GROUPS[1:3]]
    cols = [ColDef("Met", ("met",)), ColDef("Other", ("partly_met", "not_met", NOT_RECORDED))]
    grid = CountLayout("t", "d", "Sex", rows, cols).grid(md, UNION_POLICY)
    values, sizes, bad = reference_grid(CountLayout("t", "d", "Sex", rows, cols), md)
    assert np.array_equal(grid.values, values)
    assert list(grid.sizes) == sizes
    assert grid.unit_sensitive is not None and np.array_equal(grid.unit_sensitive, bad)
    codes = md.code_map(cycle, "sex")
    expected: dict[str, int] = {}
    for k in md.members(Members(cycle, population)):
        expected[codes[k]] = expected.get(codes[k], 0) + 1
    assert _counts(md, cycle, population, "sex") == expected


@pytest.mark.parametrize("seed", range(3))
def test_units_counted_as_value_counts_did(seed: int) -> None:
    """Schools per cell from the outcome-by-school table, with some people's school not recorded."""
    md = random_people(seed, 150)
    rng = np.random.default_rng(seed)
    md.frame.loc[rng.random(len(md.frame)) < 0.1, "school"] = None
    md = Microdata(md.frame.drop(columns=["_cycle", "_key"]), unit="school")
    outcomes = [("met",), ("not_met",), ("met", "partly_met"), (NOT_RECORDED,), ("nobody",)]
    for spec in all_specs(md):
        codes = md.outcomes(spec.cycle, "outcome")
        units = md.units(spec.cycle)
        assert units is not None
        for categories in outcomes:
            inside = [k for k in md.members(spec) if codes[k] in categories]
            for min_units, share in ((3, 0.5), (5, 0.3), (0, 1.0)):
                expected = False
                if inside:
                    counts = units.loc[inside].value_counts()
                    expected = bool(len(counts) < min_units or counts.max() > share * len(inside))
                assert md.too_few_units(spec, "outcome", categories, min_units, share) == expected
