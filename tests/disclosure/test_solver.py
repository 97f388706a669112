"""The integer model under the count audit: independent blocks, the pool and the remembered optima give the
same answers as the problem worked out by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from pmreport.disclosure.solver import IntegerModel

# Two independent blocks: x0 + x1 = 3 (each 0..3) and x2 + x3 = 2 (x2 0..1, x3 0..2); the truth is (2, 1, 1, 1).
UPPER = np.array([3, 3, 1, 2])
ROWS = np.array([[1, 1, 0, 0], [0, 0, 1, 1]], dtype=float)
LO = HI = np.array([3.0, 2.0])
TRUTH = np.array([2.0, 1.0, 1.0, 1.0])


def _model() -> IntegerModel:
    return IntegerModel(UPPER, ROWS, LO, HI, TRUTH)


def _form(*ones: int) -> np.ndarray:
    f = np.zeros(4)
    f[list(ones)] = 1
    return f


def _brute(form: np.ndarray, lower: dict[int, int] | None = None) -> tuple[float, float] | None:
    """Every integer point, by enumeration."""
    values = []
    for x in itertools.product(*(range(int(u) + 1) for u in UPPER)):
        x_arr = np.array(x, dtype=float)
        if np.all(ROWS @ x_arr == LO) and all(x[i] >= v for i, v in (lower or {}).items()):
            values.append(float(form @ x_arr))
    return (min(values), max(values)) if values else None


def test_the_blocks_are_found() -> None:
    model = _model()
    assert len(model.blocks) == 2
    assert [b.n for b in model.blocks] == [2, 2]


@pytest.mark.parametrize("ones", [(0,), (2,), (3,), (0, 2), (1, 3), (0, 1), (0, 1, 2, 3), (1, 2)])
@pytest.mark.parametrize("lower", [None, {1: 1}, {3: 2}, {0: 2, 2: 1}])
def test_ranges_match_enumeration(ones: tuple[int, ...], lower: dict[int, int] | None) -> None:
    form = _form(*ones)
    expected = _brute(form, lower)
    model = _model()
    assert model.range(form, lower) == expected
    low, high = expected
    value = float(form @ TRUTH)
    assert model.below(form, value, lower) == (low < value - 0.5)
    assert model.above(form, value, lower) == (high > value + 0.5)
    assert model.varies(form, value, lower) == (low < value - 0.5 or high > value + 0.5)  # another value than the truth's
    assert model.width_at_least(form, high - low, lower)
    assert not model.width_at_least(form, high - low + 1, lower)


def test_hand_worked_figures() -> None:
    model = _model()
    assert model.range(_form(0, 2)) == (0.0, 4.0)  # 0..3 plus 0..1: blocks add up
    assert model.range(_form(0), {1: 1}) == (0.0, 2.0)  # a colleague in x1 narrows x0
    assert model.range(_form(2), {1: 1}) == (0.0, 1.0)  # but not the other block
    assert model.range(_form(2), {3: 2}) == (0.0, 0.0)  # a bound the truth breaks still counts
    assert not model.varies(_form(0, 1), 3)  # fixed by a published total


def test_an_impossible_lower_bound_has_no_solution() -> None:
    model = _model()
    assert model.solve(_form(0), {2: 2}) is None  # x2 is at most 1
    with pytest.raises(RuntimeError):
        model.range(_form(0), {2: 2})


def test_pooled_solutions_keep_every_constraint_and_blocks_are_shared() -> None:
    model = _model()
    for ones in [(0,), (2,), (0, 2)]:
        model.range(_form(*ones))
    for block in model.blocks:
        rows = block.pool.rows(())
        assert len(rows) >= 2  # the truth and at least one solution found
        assert all(block.feasible(x) for x in rows)
    again = _model()
    assert again.blocks[0] is model.blocks[0] and again.blocks[1] is model.blocks[1]
    solves = again.solves
    again.range(_form(0, 2))  # asked before, of the same blocks: no new solve
    assert again.solves == solves


def test_a_block_over_the_same_unknowns_takes_only_the_solutions_that_keep_its_constraints() -> None:
    # x0 + x1 = 3 (x0 0..3, x1 0..4: unlike any other test's block), truth (2, 1); then one more figure: x0 <= 2
    upper, truth = np.array([3.0, 4.0]), np.array([2.0, 1.0])
    first = IntegerModel(upper, np.array([[1.0, 1.0]]), np.array([3.0]), np.array([3.0]), truth)
    assert first.range(np.array([1.0, 0.0])) == (0.0, 3.0)  # pools (0, 3) and (3, 0) besides the truth
    second = IntegerModel(upper, np.array([[1.0, 1.0], [1.0, 0.0]]), np.array([3.0, 0.0]), np.array([3.0, 2.0]),
                          truth)
    assert second.blocks[0] is not first.blocks[0]
    pooled = {tuple(x) for x in second.blocks[0].pool.rows(())}
    assert pooled == {(2.0, 1.0), (0.0, 3.0)}  # (3, 0) breaks x0 <= 2 and is left out
    solves = second.solves
    assert second.below(np.array([1.0, 0.0]), 2)  # answered by the carried (0, 3)
    assert second.solves == solves
    assert second.range(np.array([1.0, 0.0])) == (0.0, 2.0)  # worked out by hand: x0 from 0 to 2


def test_pooled_solutions_keep_every_constraint_after_colleagues_questions() -> None:
    model = _model()
    for ones, lower in [((0,), {1: 1}), ((2,), {3: 2}), ((0, 2), {0: 2, 2: 1}), ((1,), {0: 1})]:
        assert model.range(_form(*ones), lower) == _brute(_form(*ones), lower)
    for block in model.blocks:
        assert all(block.feasible(x) for x in block.pool.rows(()))
