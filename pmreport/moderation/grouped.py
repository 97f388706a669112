"""Sums and means by group over plain arrays, for the moderation analysis's small frames.

A school has a few hundred statements at most, so pandas' fixed cost per operation (not the
arithmetic) is what a ``groupby`` costs here. These helpers work on group codes (from
:func:`codes`) instead. Whole-number sums are done with numpy. Sums and means of fractional
numbers still go through pandas' own groupby on the same values in the same order, so they are
added up exactly as ``DataFrame.groupby(...).sum()/.mean()`` adds them (pandas chooses between
compensated and pairwise summation by the layout of the groups, and the last bit of a mean can
depend on that choice).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def codes(values: pd.Series | np.ndarray) -> tuple[np.ndarray, list]:
    """Group codes numbered in sorted order of the groups (as ``groupby(sort=True)`` orders them);
    -1 where the value is missing. Returns (codes, the groups as plain Python values)."""
    c, uniques = pd.factorize(values, sort=True)
    return np.asarray(c, dtype=np.intp), list(uniques)


def counts(group_codes: np.ndarray, n_groups: int) -> np.ndarray:
    """How many rows each group has (rows coded -1 are not counted)."""
    return np.bincount(group_codes[group_codes >= 0], minlength=n_groups)


def int_sums(values: np.ndarray, group_codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Exact per-group sums of whole numbers (int64)."""
    out = np.zeros(n_groups, dtype=np.int64)
    ok = group_codes >= 0
    np.add.at(out, group_codes[ok], np.asarray(values, dtype=np.int64)[ok])
    return out


def _by_pandas(values: np.ndarray, group_codes: np.ndarray, n_groups: int, how: str) -> np.ndarray:
    keys = group_codes.astype(float)
    keys[group_codes < 0] = np.nan  # left out, as pandas leaves out a missing group
    res = getattr(pd.Series(np.asarray(values, dtype=float)).groupby(keys), how)()
    out = np.full(n_groups, np.nan)
    out[res.index.to_numpy().astype(np.intp)] = res.to_numpy(dtype=float)
    return out


def float_sums(values: np.ndarray, group_codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Per-group sums of floats, bit for bit as pandas' groupby sum (NaN for a group with no rows)."""
    return _by_pandas(values, group_codes, n_groups, "sum")


def float_means(values: np.ndarray, group_codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Per-group means of floats, bit for bit as pandas' groupby mean (NaN for a group with no rows)."""
    return _by_pandas(values, group_codes, n_groups, "mean")


def at(per_group: np.ndarray, group_codes: np.ndarray, missing: float = np.nan) -> np.ndarray:
    """Each row's group figure (``missing`` for rows coded -1)."""
    return np.append(per_group.astype(float), missing)[group_codes]


def clip_lower(x: np.ndarray, lower: float) -> np.ndarray:
    """``Series.clip(lower=...)`` on an array: NaN stays NaN, -0.0 stays -0.0 when the bound is 0."""
    return np.where(np.isnan(x) | (x >= lower), x, lower)
