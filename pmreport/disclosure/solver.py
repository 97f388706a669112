"""The integer model behind the count audit: unknowns with bounds and linear constraints, solved in
independent blocks, with a pool of known solutions that answers most questions without the solver.

Speed, and why it keeps the guarantee:

* **Independent blocks.** Unknowns that no constraint links fall into separate *blocks* (in a report,
  typically one per cycle: nothing published adds up people of two cycles). The feasible set is the
  product of the blocks' feasible sets, so the lowest value of a sum of unknowns is the sum of each
  block's lowest value, and a block the question does not touch need not be solved at all (the true
  data fills it in, and the true data keeps every constraint). A colleague's own record (a lower bound
  on one unknown, kept by the true data) only matters to the block it is in.
* **A pool of solutions per block**, kept in a growing array (never re-stacked), with the rows that
  keep each lower bound remembered and extended as the pool grows. Because blocks are independent, any
  mix of pooled solutions, one per block, is a solution: a question the pool answers (two solutions
  that give different values, say) is not put to the solver.
* **Exact optima remembered**, per block, for each question (objective and lower bounds), so the same
  question asked by another check, another insider or a later audit of the same block is answered
  at once. Blocks are remembered across models by their content (constraints, bounds and true data),
  so when the gate adds a table that leaves a cycle's figures unchanged, that cycle's solutions and
  optima are reused (a bounded cache: a pure function of its key, so it never changes an answer).
  An optimum found without some lower bounds (or with weaker ones) that happens to keep them is also
  the optimum with them (a narrower problem whose feasible set still holds a point that is best over
  a wider one): a colleague's question is then answered from the outsider's optimum.
* **Witnesses for many colleagues at once.** When a colleague's question (a lower bound: they know
  their own record) reaches the solver, its answer is the solver's optimum exactly as before; then one
  more solve looks, among the solutions exactly as good, for one that leaves as many as possible of the
  unknowns the true data has at 1 or more at 1 or more, and pools it. Such a solution is a witness for
  every colleague whose own record it keeps, so the same question from the next colleague is answered
  by the pool. It is pooled only if it keeps every bound and constraint (:meth:`Block.feasible`).
* **Solutions carried between blocks over the same unknowns.** The gate tries several versions of a
  table (which cells to hide, which bands to give, year-on-year changes shown or not) over the same
  people, so the unknowns, their bounds and the true data are the same and only the constraints
  differ. A new block takes the pooled solutions of earlier blocks of the same *family* (same
  unknowns, bounds and true data) that keep every one of its own constraints, checked exactly as a
  solver's solution is (:meth:`Block.feasible`), so each is a genuine solution of the new block and
  may serve as a witness; a solution that breaks a constraint is left out. Which solutions are pooled
  never changes an answer, only how many questions reach the solver.

The solver is ``scipy.optimize.milp`` (HiGHS), exactly as before; only which questions reach it changed.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

import numpy as np

Lower = dict[int, int]

#: Blocks remembered across models (each holds its pool and its optima); the oldest is forgotten first.
_BLOCK_CACHE_SIZE = 48
_blocks: OrderedDict[bytes, Block] = OrderedDict()
#: The most solutions a new block takes from the earlier blocks of its family, and the most values they may hold
#: together (so a block of very many unknowns takes fewer).
_CARRIED_MAX = 1024
_CARRIED_VALUES = 4_000_000


class _Pool:
    """Known solutions of one block, as rows of a growing array."""

    def __init__(self, first: np.ndarray):
        self._rows = np.empty((8, len(first)))
        self._rows[0] = first
        self.size = 1
        #: lower bounds (local index, value) -> (rows keeping them, how many pool rows were looked at)
        self._kept: dict[tuple[tuple[int, int], ...], tuple[list[int], int]] = {}

    def add(self, x: np.ndarray) -> None:
        if self.size == len(self._rows):
            grown = np.empty((2 * len(self._rows), self._rows.shape[1]))
            grown[: self.size] = self._rows[: self.size]
            self._rows = grown
        self._rows[self.size] = x
        self.size += 1

    def all(self) -> np.ndarray:
        """Every pooled solution (a view)."""
        return self._rows[: self.size]

    def rows(self, lower: tuple[tuple[int, int], ...]) -> np.ndarray:
        """The pooled solutions that keep ``lower`` (a view when there is no lower bound)."""
        if not lower:
            return self._rows[: self.size]
        kept, seen = self._kept.get(lower, ([], 0))
        if seen < self.size:
            new = self._rows[seen: self.size]
            ok = np.ones(len(new), dtype=bool)
            for i, v in lower:
                ok &= new[:, i] >= v
            kept = kept + (np.flatnonzero(ok) + seen).tolist()
            self._kept[lower] = (kept, self.size)
        return self._rows[kept]


class Block:
    """Unknowns linked by constraints (and no others): their bounds, constraints, pool and remembered optima."""

    def __init__(self, upper: np.ndarray, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray, truth: np.ndarray,
                 family: bytes = b""):
        from scipy.optimize import LinearConstraint  # imported here: scipy.optimize takes most of a second

        self.upper, self.n = upper, len(upper)
        self.rows, self.lo, self.hi = rows, lo, hi
        #: blocks over the same unknowns (bounds and true data): their solutions may be solutions of this one
        self.family = family
        self.constraints = [LinearConstraint(rows, lo, hi)] if len(rows) else []
        self.pool = _Pool(truth)
        self._optima: dict[tuple[bytes, tuple[tuple[int, int], ...]], np.ndarray | None] = {}
        #: objective -> the lower bounds it was minimised under and the optimum found (``None``: no solution)
        self._by_objective: dict[bytes, list[tuple[tuple[tuple[int, int], ...], np.ndarray | None]]] = {}
        self.solves = 0

    def keeps(self, xs: np.ndarray) -> np.ndarray:
        """Which rows of ``xs`` keep every bound and constraint (as :meth:`feasible` checks one)."""
        ok = np.all((xs >= -1e-9) & (xs <= self.upper + 1e-9), axis=1)
        if len(self.rows) and len(xs):
            y = xs @ self.rows.T
            ok &= np.all((y >= self.lo - 1e-6) & (y <= self.hi + 1e-6), axis=1)
        return ok

    def take(self, others: list[Block]) -> None:
        """Pool the solutions of ``others`` (earlier blocks of the same family) that are solutions of this block."""
        most = max(1, min(_CARRIED_MAX, _CARRIED_VALUES // max(1, self.n)))
        found, count = [], 0
        for b in others:  # the most recent first
            rows = b.pool.all()[1:most - count + 1]  # the first row of every pool is the truth
            if len(rows):
                found.append(rows)
                count += len(rows)
            if count >= most:
                break
        if not found:
            return
        xs = np.unique(np.vstack(found), axis=0)
        for x in xs[self.keeps(xs)]:
            self.pool.add(x)

    def _from_wider(self, objective: bytes, lower: tuple[tuple[int, int], ...]) -> np.ndarray | None:
        """An optimum remembered under weaker lower bounds than ``lower`` that keeps ``lower``: the optimum under
        ``lower`` too (``None`` when there is none)."""
        need = dict(lower)
        for weaker, x in self._by_objective.get(objective, ()):
            if x is None or not all(i in need and need[i] >= v for i, v in weaker):
                continue
            if all(x[i] >= v for i, v in lower) and self.feasible(x):
                return x
        return None

    def feasible(self, x: np.ndarray) -> bool:
        if np.any(x < -1e-9) or np.any(x > self.upper + 1e-9):
            return False
        if not len(self.rows):
            return True
        y = self.rows @ x
        return bool(np.all(y >= self.lo - 1e-6) and np.all(y <= self.hi + 1e-6))

    def minimise(self, objective: np.ndarray, lower: tuple[tuple[int, int], ...]) -> np.ndarray | None:
        """A solution minimising ``objective`` that keeps ``lower`` (``None`` when there is none); remembered."""
        key = (objective.tobytes(), lower)
        if key in self._optima:
            return self._optima[key]
        wider = self._from_wider(key[0], lower)
        if wider is not None:
            self._remember(key, wider)
            return wider
        from scipy.optimize import Bounds, milp

        lb = np.zeros(self.n)
        for i, v in lower:
            lb[i] = max(lb[i], v)
        self.solves += 1
        res = milp(objective, integrality=np.ones(self.n), bounds=Bounds(lb, self.upper), constraints=self.constraints)
        if res.status == 2:
            self._remember(key, None)
            return None
        if res.x is None:
            raise RuntimeError(f"the disclosure audit's solver failed: {res.message}")
        x = np.round(res.x)
        if self.feasible(x):  # only a solution that keeps every constraint may serve as a witness later
            self.pool.add(x)
            if lower:
                self._broad_witness(objective, float(objective @ x), lb)
        self._remember(key, x)
        return x

    def _broad_witness(self, objective: np.ndarray, best: float, lb: np.ndarray) -> None:
        """Pool a solution as good as ``best`` for ``objective`` that keeps as many of the true data's
        non-zero unknowns at 1 or more as it can (a witness for as many colleagues as possible)."""
        from scipy.optimize import Bounds, LinearConstraint, milp

        truth = self.pool.all()[0]
        kept = np.flatnonzero(truth >= 1)
        m = len(kept)
        if not m:
            return
        n = self.n
        link = np.zeros((m, n + m))
        link[np.arange(m), kept] = -1
        link[np.arange(m), n + np.arange(m)] = 1
        cons = [LinearConstraint(link, -np.inf, 0),
                LinearConstraint(np.concatenate([objective, np.zeros(m)])[None, :], best - 0.5, best + 0.5)]
        if len(self.rows):
            cons.append(LinearConstraint(np.hstack([self.rows, np.zeros((len(self.rows), m))]), self.lo, self.hi))
        c = np.concatenate([np.zeros(n), -np.ones(m)])
        res = milp(c, integrality=np.ones(n + m), bounds=Bounds(np.concatenate([lb, np.zeros(m)]),
                                                                np.concatenate([self.upper, np.ones(m)])),
                   constraints=cons)
        self.solves += 1
        if res.x is not None:
            y = np.round(res.x[:n])
            if self.feasible(y):
                self.pool.add(y)

    def _remember(self, key: tuple[bytes, tuple[tuple[int, int], ...]], x: np.ndarray | None) -> None:
        self._optima[key] = x
        self._by_objective.setdefault(key[0], []).append((key[1], x))


def _block(upper: np.ndarray, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray, truth: np.ndarray) -> Block:
    """The block with this content, remembered from an earlier model when there is one."""
    family = _digest(upper, truth)
    key = _digest(upper, truth, rows, lo, hi)
    found = _blocks.get(key)
    if found is None:
        found = Block(upper, rows, lo, hi, truth, family)
        found.take([b for b in reversed(_blocks.values()) if b.family == family])
        _blocks[key] = found
        while len(_blocks) > _BLOCK_CACHE_SIZE:
            _blocks.popitem(last=False)
    else:
        _blocks.move_to_end(key)
    return found


def _digest(*parts: np.ndarray) -> bytes:
    """A digest of arrays' shapes and values."""
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        part = np.ascontiguousarray(part, dtype=float)
        digest.update(repr(part.shape).encode())
        digest.update(part.tobytes())
    return digest.digest()


def _components(rows: np.ndarray, n: int) -> tuple[int, np.ndarray]:
    """How many groups of linked unknowns there are, and each unknown's group (unknowns in one constraint are
    linked)."""
    if not len(rows) or n == 0:
        return n, np.arange(n)
    from scipy.sparse import bmat, csr_matrix
    from scipy.sparse.csgraph import connected_components

    links = csr_matrix(rows != 0)
    graph = bmat([[None, links.T], [links, None]], format="csr")
    count, labels = connected_components(graph, directed=False)
    own = labels[:n]
    renumbered = np.unique(own, return_inverse=True)[1]  # groups numbered by their first unknown
    return int(renumbered.max()) + 1, renumbered


class IntegerModel:
    """Integer unknowns with bounds and linear constraints, and a pool of known solutions (see the module)."""

    def __init__(self, upper: np.ndarray, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray, truth: np.ndarray):
        self.upper = upper.astype(float)
        self.n = len(upper)
        self.truth = truth.astype(float)
        rows = np.asarray(rows, dtype=float)
        lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
        if not rows.size:  # no constraints (or no unknowns at all)
            rows, lo, hi = np.zeros((0, self.n)), np.zeros(0), np.zeros(0)
        count, self._group = _components(rows, self.n)
        row_group = self._group[np.argmax(rows != 0, axis=1)] if len(rows) else np.zeros(0, dtype=int)
        self._vars: list[np.ndarray] = []
        self._local = np.zeros(self.n, dtype=np.intp)
        self.blocks: list[Block] = []
        for g in range(count):
            cols = np.flatnonzero(self._group == g)
            self._vars.append(cols)
            self._local[cols] = np.arange(len(cols))
            sel = np.flatnonzero(row_group == g)
            self.blocks.append(_block(self.upper[cols], rows[np.ix_(sel, cols)], lo[sel], hi[sel], self.truth[cols]))
        self._ranges: dict[tuple[bytes, tuple[tuple[int, int], ...]], tuple[float, float]] = {}

    @property
    def solves(self) -> int:
        """How many times the solver ran for this model's blocks (including for earlier models sharing them)."""
        return sum(b.solves for b in self.blocks)

    # ----------------------------------------------------------------- blocks a question touches

    def _split(self, form: np.ndarray, lower: Lower | None) -> list[tuple[int, np.ndarray, tuple[tuple[int, int], ...]]]:
        """The blocks that matter to ``form`` under ``lower``, each with the form and lower bounds in its own terms.

        A block the form does not touch matters only when the true data breaks a lower bound in it (then its
        feasibility is in question); otherwise the true data fills it in."""
        groups = set(np.unique(self._group[np.flatnonzero(form)]).tolist())
        by_group: dict[int, list[tuple[int, int]]] = {}
        for i, v in (lower or {}).items():
            g = int(self._group[i])
            if g in groups or self.truth[i] < v:
                groups.add(g)
                by_group.setdefault(g, []).append((int(self._local[i]), int(v)))
        return [(g, form[self._vars[g]], tuple(sorted(by_group.get(g, ())))) for g in sorted(groups)]

    def _seen(self, form: np.ndarray, lower: Lower | None) -> tuple[float, float] | None:
        """The lowest and highest value of ``form`` over every mix of pooled solutions (``None``: a block's pool
        has no solution keeping its lower bounds)."""
        low = high = float(form @ self.truth)
        for g, f, bounds in self._split(form, lower):
            pool = self.blocks[g].pool.rows(bounds)
            if not len(pool):
                return None
            values = pool @ f
            base = float(f @ self.truth[self._vars[g]])
            low += float(values.min()) - base
            high += float(values.max()) - base
        return low, high

    def solve(self, objective: np.ndarray, lower: Lower | None = None) -> np.ndarray | None:
        """A solution minimising ``objective`` (``None`` when there is none)."""
        x = self.truth.copy()
        for g, f, bounds in self._split(objective, lower):
            part = self.blocks[g].minimise(f, bounds)
            if part is None:
                return None
            x[self._vars[g]] = part
        return x

    # ----------------------------------------------------------------- the questions the audit asks

    def range(self, form: np.ndarray, lower: Lower | None = None) -> tuple[float, float]:
        """The lowest and highest value ``form`` can take (remembered: hidden counts and percentages share forms)."""
        key = (form.tobytes(), tuple(sorted((lower or {}).items())))
        if key not in self._ranges:
            low = self.solve(form, lower)
            high = self.solve(-form, lower)
            if low is None or high is None:
                raise RuntimeError("the published figures contradict each other")
            self._ranges[key] = (float(form @ low), float(form @ high))
        return self._ranges[key]

    def varies(self, form: np.ndarray, value: float, lower: Lower | None = None) -> bool:
        """Whether ``form`` can take a value other than ``value``."""
        seen = self._seen(form, lower)
        if seen is not None and (seen[0] < value - 0.5 or seen[1] > value + 0.5):
            return True
        return self.below(form, value, lower) or self.above(form, value, lower)

    def below(self, form: np.ndarray, value: float, lower: Lower | None = None) -> bool:
        """Whether ``form`` can be less than ``value``."""
        seen = self._seen(form, lower)
        if seen is not None and seen[0] < value - 0.5:
            return True
        x = self.solve(form, lower)
        return x is not None and form @ x < value - 0.5

    def above(self, form: np.ndarray, value: float, lower: Lower | None = None) -> bool:
        seen = self._seen(form, lower)
        if seen is not None and seen[1] > value + 0.5:
            return True
        x = self.solve(-form, lower)
        return x is not None and form @ x > value + 0.5

    def width_at_least(self, form: np.ndarray, width: float, lower: Lower | None = None) -> bool:
        """Whether ``form``'s range is at least ``width`` wide (answered from the pool when it can be)."""
        seen = self._seen(form, lower)
        if seen is not None and seen[1] - seen[0] >= width - 1e-9:
            return True
        high = self.solve(-form, lower)
        if high is not None and seen is not None and form @ high - seen[0] >= width - 1e-9:
            return True
        low, high_value = self.range(form, lower)
        return high_value - low >= width - 1e-9
