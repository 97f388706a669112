"""Person-level data handed to the gate: one row per person per cycle, under a pseudonymous key.

The key links a person's rows across cycles and tables; it is never published. The gate and
the audit both read people through :class:`Microdata`, so a table's private description can be
turned back into exactly the people it covered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from pmreport.disclosure.errors import MicrodataInvalid
from pmreport.disclosure.query import NOT_KNOWN, NOT_RECORDED, Members, norm_series
from pmreport.schema import load_schemas

#: The cycle label used when the data has no cycle column.
SINGLE_CYCLE = "current"

_STRICTNESS = ("direct_identifier", "free_text", "special_category", "quasi_identifier", "none")


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
        rows = self.rows(cycle)
        if self.scope is None:
            return len(rows)
        return int(rows[self.scope].astype("boolean").fillna(False).sum())

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

    def codes(self, cycle: str, column: str, missing: str = NOT_KNOWN) -> pd.Series:
        """A column of one cycle as codes, indexed by key."""
        cache = self._cache  # type: ignore[attr-defined]
        k = ("codes", cycle, column, missing)
        if k not in cache:
            rows = self.rows(cycle)
            if column not in rows.columns:
                raise MicrodataInvalid(f"The microdata has no column {column!r}.", "Check the column name.")
            cache[k] = norm_series(rows[column], missing)
        return cache[k]

    def code_map(self, cycle: str, column: str, missing: str = NOT_KNOWN) -> dict[str, str]:
        """A column of one cycle as codes, key -> code (fast to look people up in)."""
        cache = self._cache  # type: ignore[attr-defined]
        k = ("map", cycle, column, missing)
        if k not in cache:
            cache[k] = dict(self.codes(cycle, column, missing).items())
        return cache[k]

    def outcomes(self, cycle: str, column: str) -> dict[str, str]:
        """An outcome column as codes, key -> code, a missing outcome counted as ``not_recorded``."""
        return self.code_map(cycle, column, NOT_RECORDED)

    def members(self, spec: Members) -> frozenset[str]:
        """The keys of the people a description covers."""
        cache = self._cache  # type: ignore[attr-defined]
        if ("members", spec) in cache:
            return cache[("members", spec)]
        rows = self.rows(spec.cycle)
        keep = pd.Series(True, index=rows.index)
        if spec.population.in_scope_only and self.scope is not None:
            keep &= rows[self.scope].astype("boolean").fillna(False).to_numpy(dtype=bool)
        for column, allowed in spec.population.where:
            keep &= self.codes(spec.cycle, column).isin(allowed)
        if spec.group is not None:
            keep &= self.codes(spec.cycle, spec.group.column).isin(spec.group.values)
        if spec.requires is not None:
            keep &= rows[spec.requires].notna().to_numpy(dtype=bool)
        found = frozenset(rows.index[keep.to_numpy(dtype=bool)])
        cache[("members", spec)] = found
        return found

    def values(self, cycle: str, column: str) -> pd.Series:
        """A numeric column of one cycle, indexed by key."""
        return pd.to_numeric(self.rows(cycle)[column], errors="coerce").astype(float)

    def units(self, cycle: str) -> pd.Series | None:
        """The school of each person in pooled data (``None`` for one school)."""
        if self.unit is None:
            return None
        return self.rows(cycle)[self.unit].astype(str)


def _holds_dates(values: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    sample = values.dropna().head(20)
    import datetime as dt

    return any(isinstance(v, dt.date | pd.Timestamp) for v in sample)
