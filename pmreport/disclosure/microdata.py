"""Person-level data handed to the gate: one row per person per cycle, under a pseudonymous key.

The key links a person's rows across cycles and tables; it is never published. The gate and
the audit both read people through :class:`Microdata`, so a table's private description can be
turned back into exactly the people it covered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from pmreport.disclosure.query import NOT_KNOWN, NOT_RECORDED, Members, norm_codes
from pmreport.disclosure.refusals import MicrodataInvalid
from pmreport.schema import load_schemas, sensitivity_classes

#: The cycle label used when the data has no cycle column.
SINGLE_CYCLE = "current"

_STRICTNESS = tuple(sensitivity_classes())  # strictest first (data_schemas/sensitivity.yaml)


def schema_sensitivity(column: str) -> tuple[str | None, bool]:
    """The strictest sensitivity any sheet gives ``column``, and whether any sheet holds it as a date."""
    found: list[str] = []
    is_date = False
    for sheet in load_schemas().values():
        for f in sheet.fields:
            if f.name == column:
                found.append(f.sensitivity)
                is_date = is_date or f.type == "date"
    if not found:
        return None, False
    return min(found, key=_STRICTNESS.index), is_date


@dataclass(frozen=True)
class Coded:
    """A column of one cycle as codes: each row's position (in :meth:`Microdata.rows` order) in ``labels``."""

    codes: np.ndarray
    labels: tuple[str, ...]

    def among(self, wanted: Iterable[str]) -> np.ndarray:
        """Which labels are among ``wanted``, as a mask over ``labels``."""
        chosen = set(wanted)
        return np.array([label in chosen for label in self.labels], dtype=bool)

    def isin(self, wanted: Iterable[str]) -> np.ndarray:
        """Which rows have one of the codes ``wanted``."""
        return self.among(wanted)[self.codes]


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@dataclass(frozen=True)
class Microdata:
    """One row per person per cycle.

    ``key``: the pseudonymous person key. ``cycle``: the cycle column (``None`` when the data holds
    one cycle). ``scope``: a boolean column, true for staff in scope of the policy (``None``: all
    are). ``unit``: the school column in pooled data. ``sensitivity``: the sensitivity class of
    derived columns the data schemas do not name (for example ``ethnicity_group``).
    """

    frame: pd.DataFrame
    key: str = "person"
    cycle: str | None = "cycle"
    scope: str | None = "in_scope"
    unit: str | None = None
    sensitivity: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        frame = self.frame
        if self.key not in frame.columns:
            raise MicrodataInvalid(f"The microdata has no key column {self.key!r}.", "Add a pseudonymous person key.")
        if frame[self.key].isna().any():
            raise MicrodataInvalid("Some rows of the microdata have no person key.", "Give every row a key.")
        frame = frame.copy()
        if self.cycle is None or self.cycle not in frame.columns:
            frame["_cycle"] = SINGLE_CYCLE
        else:
            if frame[self.cycle].isna().any():
                raise MicrodataInvalid("Some rows of the microdata have no cycle.", "Fill in the cycle column.")
            frame["_cycle"] = frame[self.cycle].astype(str)
        frame["_key"] = frame[self.key].astype(str)
        if frame.duplicated(["_cycle", "_key"]).any():
            raise MicrodataInvalid(
                "The microdata has more than one row for a person in a cycle.",
                "Give one row per person per cycle (aggregate objectives or observations per person first).",
            )
        if self.scope is not None and self.scope not in frame.columns:
            object.__setattr__(self, "scope", None)
        if self.unit is not None and self.unit not in frame.columns:
            raise MicrodataInvalid(f"The microdata has no unit column {self.unit!r}.", "Name the school column.")
        object.__setattr__(self, "frame", frame)
        object.__setattr__(self, "sensitivity", MappingProxyType(dict(self.sensitivity)))
        object.__setattr__(self, "_cache", {})

    @property
    def cycles(self) -> list[str]:
        return sorted(self.frame["_cycle"].unique().tolist())

    @property
    def latest_cycle(self) -> str:
        return self.cycles[-1]

    def rows(self, cycle: str) -> pd.DataFrame:
        """The rows of one cycle, indexed by key."""
        cache = self._cache  # type: ignore[attr-defined]
        if ("rows", cycle) not in cache:
            cache[("rows", cycle)] = self.frame[self.frame["_cycle"] == cycle].set_index("_key", drop=False)
        return cache[("rows", cycle)]

    def staff_in_scope(self, cycle: str) -> int:
        if self.scope is None:
            return len(self.rows(cycle))
        return int(np.count_nonzero(self._in_scope(cycle)))

    def column_sensitivity(self, column: str) -> tuple[str, bool]:
        """The sensitivity class of a column and whether it holds individual dates."""
        cache = self._cache  # type: ignore[attr-defined]
        if ("sensitivity", column) not in cache:
            cache[("sensitivity", column)] = self._sensitivity(column)
        return cache[("sensitivity", column)]

    def _sensitivity(self, column: str) -> tuple[str, bool]:
        declared = self.sensitivity.get(column)
        schema_class, schema_date = schema_sensitivity(column)
        classes = [c for c in (declared, schema_class) if c is not None]
        sensitivity = min(classes, key=_STRICTNESS.index) if classes else "none"
        is_date = schema_date or (column in self.frame.columns and _holds_dates(self.frame[column]))
        if column == self.key:
            sensitivity = "direct_identifier"
        return sensitivity, is_date

    def coded(self, cycle: str, column: str, missing: str = NOT_KNOWN) -> Coded:
        """A column of one cycle as codes (see :class:`Coded`), each distinct value coded once."""
        cache = self._cache  # type: ignore[attr-defined]
        k = ("coded", cycle, column, missing)
        if k not in cache:
            rows = self.rows(cycle)
            if column not in rows.columns:
                raise MicrodataInvalid(f"The microdata has no column {column!r}.", "Check the column name.")
            found, labels = norm_codes(rows[column], missing)
            cache[k] = Coded(_frozen(found), tuple(labels))
        return cache[k]

    def outcome_codes(self, cycle: str, column: str) -> Coded:
        """An outcome column as codes, a missing outcome counted as ``not_recorded``."""
        return self.coded(cycle, column, NOT_RECORDED)

    def codes(self, cycle: str, column: str, missing: str = NOT_KNOWN) -> pd.Series:
        """A column of one cycle as codes, indexed by key."""
        cache = self._cache  # type: ignore[attr-defined]
        k = ("codes", cycle, column, missing)
        if k not in cache:
            coded = self.coded(cycle, column, missing)
            cache[k] = pd.Series(np.array(coded.labels, dtype=object)[coded.codes], index=self.rows(cycle).index,
                                 dtype=object)
        return cache[k]

    def code_map(self, cycle: str, column: str, missing: str = NOT_KNOWN) -> dict[str, str]:
        """A column of one cycle as codes, key -> code (fast to look people up in)."""
        cache = self._cache  # type: ignore[attr-defined]
        k = ("map", cycle, column, missing)
        if k not in cache:
            coded = self.coded(cycle, column, missing)
            texts = np.array(coded.labels, dtype=object)[coded.codes]
            cache[k] = dict(zip(self.keys(cycle).tolist(), texts.tolist(), strict=True))
        return cache[k]

    def outcomes(self, cycle: str, column: str) -> dict[str, str]:
        """An outcome column as codes, key -> code, a missing outcome counted as ``not_recorded``."""
        return self.code_map(cycle, column, NOT_RECORDED)

    def keys(self, cycle: str) -> np.ndarray:
        """The keys of one cycle's rows, in :meth:`rows` order."""
        cache = self._cache  # type: ignore[attr-defined]
        if ("keys", cycle) not in cache:
            cache[("keys", cycle)] = _frozen(np.asarray(self.rows(cycle).index.to_numpy(dtype=object)))
        return cache[("keys", cycle)]

    def key_order(self, cycle: str) -> np.ndarray:
        """The positions of one cycle's rows in the order of their keys (as ``sorted`` gives them)."""
        cache = self._cache  # type: ignore[attr-defined]
        if ("key_order", cycle) not in cache:
            keys = self.keys(cycle).tolist()
            order = sorted(range(len(keys)), key=keys.__getitem__)  # exactly as sorted() orders the keys
            cache[("key_order", cycle)] = _frozen(np.array(order, dtype=np.intp))
        return cache[("key_order", cycle)]

    def _in_scope(self, cycle: str) -> np.ndarray:
        cache = self._cache  # type: ignore[attr-defined]
        if ("in_scope", cycle) not in cache:
            assert self.scope is not None
            rows = self.rows(cycle)
            cache[("in_scope", cycle)] = _frozen(rows[self.scope].astype("boolean").fillna(False).to_numpy(dtype=bool))
        return cache[("in_scope", cycle)]

    def mask(self, spec: Members) -> np.ndarray:
        """Which rows of the cycle (in :meth:`rows` order) a description covers (read-only)."""
        cache = self._cache  # type: ignore[attr-defined]
        if ("mask", spec) in cache:
            return cache[("mask", spec)]
        rows = self.rows(spec.cycle)
        keep = np.ones(len(rows), dtype=bool)
        if spec.population.in_scope_only and self.scope is not None:
            keep &= self._in_scope(spec.cycle)
        for column, allowed in spec.population.where:
            keep &= self.coded(spec.cycle, column).isin(allowed)
        if spec.group is not None:
            keep &= self.coded(spec.cycle, spec.group.column).isin(spec.group.values)
        if spec.requires is not None:
            keep &= rows[spec.requires].notna().to_numpy(dtype=bool)
        cache[("mask", spec)] = _frozen(keep)
        return keep

    def member_id(self, spec: Members) -> tuple[str, bytes]:
        """A small stand-in for :meth:`members`: equal for two descriptions exactly when they cover the same
        people of the same cycle (cheap to make, hash and compare, unlike a set of a million keys)."""
        cache = self._cache  # type: ignore[attr-defined]
        if ("member_id", spec) not in cache:
            cache[("member_id", spec)] = (spec.cycle, np.packbits(self.mask(spec)).tobytes())
        return cache[("member_id", spec)]

    def present(self, spec: Members, column: str, missing: str = NOT_KNOWN) -> set[str]:
        """The codes of ``column`` that the people of a description have."""
        coded = self.coded(spec.cycle, column, missing)
        return {coded.labels[i] for i in np.flatnonzero(np.bincount(coded.codes[self.mask(spec)],
                                                                    minlength=len(coded.labels)))}

    def count(self, spec: Members) -> int:
        """How many people a description covers."""
        cache = self._cache  # type: ignore[attr-defined]
        if ("count", spec) not in cache:
            cache[("count", spec)] = int(np.count_nonzero(self.mask(spec)))
        return cache[("count", spec)]

    def members(self, spec: Members) -> frozenset[str]:
        """The keys of the people a description covers."""
        cache = self._cache  # type: ignore[attr-defined]
        if ("members", spec) not in cache:
            cache[("members", spec)] = frozenset(self.keys(spec.cycle)[self.mask(spec)].tolist())
        return cache[("members", spec)]

    def sorted_positions(self, spec: Members) -> np.ndarray:
        """The rows a description covers, in the order of their keys."""
        order = self.key_order(spec.cycle)
        return order[self.mask(spec)[order]]

    def changed(self, now: Members, then: Members) -> int:
        """How many people are covered by exactly one of two descriptions."""
        if now.cycle == then.cycle:
            return int(np.count_nonzero(self.mask(now) ^ self.mask(then)))
        return len(self.members(now) ^ self.members(then))

    def values(self, cycle: str, column: str) -> pd.Series:
        """A numeric column of one cycle, indexed by key."""
        return pd.to_numeric(self.rows(cycle)[column], errors="coerce").astype(float)

    def units(self, cycle: str) -> pd.Series | None:
        """The school of each person in pooled data (``None`` for one school)."""
        if self.unit is None:
            return None
        return self.rows(cycle)[self.unit].astype(str)

    def unit_codes(self, cycle: str) -> np.ndarray | None:
        """Each row's school as a number (-1 where none is recorded), ``None`` for one school."""
        if self.unit is None:
            return None
        cache = self._cache  # type: ignore[attr-defined]
        if ("unit_codes", cycle) not in cache:
            units = self.units(cycle)
            assert units is not None
            cache[("unit_codes", cycle)] = _frozen(pd.factorize(units, use_na_sentinel=True)[0].astype(np.intp))
        return cache[("unit_codes", cycle)]

    def unit_counts(self, spec: Members, column: str) -> np.ndarray | None:
        """How many of a description's people had each outcome (``column`` as codes, a missing outcome
        ``not_recorded``) in each school: outcomes by schools, the first column for people with no school
        recorded. ``None`` for one school."""
        units = self.unit_codes(spec.cycle)
        if units is None:
            return None
        cache = self._cache  # type: ignore[attr-defined]
        k = ("unit_counts", spec, column)
        if k not in cache:
            coded = self.outcome_codes(spec.cycle, column)
            mask = self.mask(spec)
            width = int(units.max(initial=-1)) + 2
            found = np.bincount(coded.codes[mask] * width + units[mask] + 1, minlength=len(coded.labels) * width)
            cache[k] = _frozen(found.reshape(len(coded.labels), width).astype(np.int32))
        return cache[k]

    def too_few_units(self, spec: Members, column: str, categories: Iterable[str], min_units: int,
                      max_share: float) -> bool:
        """Whether the people of a description with one of the outcomes ``categories`` come from fewer than
        ``min_units`` schools or one school holds more than ``max_share`` of them (``False`` for one school or
        nobody)."""
        table = self.unit_counts(spec, column)
        if table is None:
            return False
        per_unit = table[self.outcome_codes(spec.cycle, column).among(categories)].sum(axis=0)
        n = int(per_unit.sum())
        if n == 0:
            return False
        known = per_unit[1:]
        schools = int(np.count_nonzero(known))
        return schools < min_units or (schools > 0 and bool(known.max() > max_share * n))


def _holds_dates(values: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    sample = values.dropna().head(20)
    import datetime as dt

    return any(isinstance(v, dt.date | pd.Timestamp) for v in sample)
