"""What a table counts: populations, groups and queries, written so the audit can rebuild them.

Everything here is a frozen, hashable description, never a list of people: the audit turns a
description back into the people it covers from the microdata (:meth:`Microdata.members`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

#: The category a missing outcome is counted under.
NOT_RECORDED = "not_recorded"
#: The category a missing characteristic is counted under.
NOT_KNOWN = "not_known"


def norm_value(value: Any, missing: str = NOT_KNOWN) -> str:
    """One value as the code the gate compares: missing -> ``missing``, booleans -> yes/no, else text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return missing
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


#: Kinds of object column (``pandas.api.types.infer_dtype``) whose equal values always have the same code, so
#: each distinct value need be coded once (not ``mixed``: ``True == 1`` but they are coded ``yes`` and ``1``).
_CODED_BY_VALUE = frozenset({"empty", "string", "boolean", "integer", "floating", "mixed-integer-float"})


def norm_codes(values: pd.Series, missing: str = NOT_KNOWN) -> tuple[np.ndarray, list[str]]:
    """A column as codes (see :func:`norm_value`): each value's position in a list of distinct codes, and the list.

    Each distinct value is coded once (a national pool has millions of rows and a few distinct values).
    """
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) not in _CODED_BY_VALUE:
        texts = [norm_value(v, missing) for v in values]
        found, labels = pd.factorize(np.array(texts, dtype=object), use_na_sentinel=False)
        return found.astype(np.intp, copy=False), [str(t) for t in labels]
    found, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = [norm_value(v, missing) for v in uniques] + [missing]  # the last for missing values (-1)
    labels = list(dict.fromkeys(texts))
    position = {t: i for i, t in enumerate(labels)}
    remap = np.array([position[t] for t in texts], dtype=np.intp)
    return remap[found], labels


def norm_series(values: pd.Series, missing: str = NOT_KNOWN) -> pd.Series:
    """A column as codes (see :func:`norm_value`)."""
    found, labels = norm_codes(values, missing)
    return pd.Series(np.array(labels, dtype=object)[found], index=values.index, dtype=object)


@dataclass(frozen=True)
class Population:
    """Who a table is about: a description for governors and the conditions that pick them out."""

    description: str
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()
    in_scope_only: bool = True

    @classmethod
    def of(cls, description: str, *, in_scope_only: bool = True, **where: Any) -> Population:
        """``Population.of("teachers eligible for pay progression", role_group="teacher", pay_eligible=True)``.

        A condition's value may be one value or a list of allowed values.
        """
        conditions = []
        for column, allowed in sorted(where.items()):
            values = allowed if isinstance(allowed, list | tuple | set | frozenset) else [allowed]
            conditions.append((column, tuple(sorted({norm_value(v) for v in values}))))
        return cls(description, tuple(conditions), in_scope_only)

    @classmethod
    def everyone(cls, description: str = "staff in scope of the policy") -> Population:
        return cls(description)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.where)


@dataclass(frozen=True)
class Group:
    """One row of a breakdown: the people whose ``column`` is one of ``values`` (after merging)."""

    column: str
    values: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Members:
    """The people one figure is about: a population in a cycle, optionally one group of it.

    ``requires`` names a column that must be present (the contributors to an average).
    """

    cycle: str
    population: Population
    group: Group | None = None
    requires: str | None = None

    def describe(self) -> str:
        text = self.population.description
        if self.group is not None:
            text += f" who are {self.group.label}" if self.group.label[:1].islower() else f" – {self.group.label}"
        return f"{text} ({self.cycle})"


@dataclass(frozen=True)
class Query:
    """One question put to the gate.

    ``outcome`` is the column counted (or averaged, when ``statistic`` is ``"mean"``);
    ``categories`` are every code it can take, in the order shown; ``adverse`` are the codes that
    are unfavourable to the person (used for group disclosure); ``by`` is at most one characteristic.
    """

    outcome: str
    population: Population
    categories: tuple[str, ...] = ()
    adverse: tuple[str, ...] = ()
    by: str | None = None
    statistic: Literal["count", "mean"] = "count"
    value_bounds: tuple[float, float | None] = (0.0, None)

    def __post_init__(self) -> None:
        if self.statistic not in ("count", "mean"):
            raise ValueError("the gate publishes counts, rates and means only (never minima, maxima or ranges)")
        if self.statistic == "count":
            unknown = set(self.adverse) - set(self.categories)
            if unknown:
                raise ValueError(f"adverse categories {sorted(unknown)} are not among the categories")

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the query reads."""
        return tuple(dict.fromkeys([self.outcome, *([self.by] if self.by else []), *self.population.columns]))


def as_tuple(values: str | Iterable[str] | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    return tuple(values)
