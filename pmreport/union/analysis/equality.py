"""Pay progression by each characteristic, from the returns' equality sheets (one table per characteristic).

Each school's equality sheet counts, for one characteristic at a time, the staff with each value
within groups of role and working pattern, and how many had a pay decision and progressed
(:mod:`pmreport.union.equality_sheet`). These are exactly what the comparisons within schools need: a
2x2 table per school for the Mantel-Haenszel estimates, and, for the disclosure gate, the people
counted (each row stands for ``staff`` people of one school). Values are harmonised for everyone:

* ``age_band``: under 50 / 50 and over (format-1 returns may hold only those);
* ``ethnicity_group``: the major groups White, Mixed, Asian, Black, Other (Chinese and any other
  group), then Not known; ``all_other_or_not_known`` survives only from format-1 returns;
* the rest as returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from pmreport.union.equality_sheet import analysed_values

COUNTS = ("staff", "in_scope", "pay_decisions", "progressed")
CONTEXT = ("cycle", "urn", "phase", "size_band", "local_authority")


def harmonise(characteristic: str, values: pd.Series) -> pd.Series:
    """The values of one characteristic at the level every analysis uses (a format-1 return's finer codes
    brought to it; see :func:`pmreport.union.equality_sheet.analysed_values`)."""
    return analysed_values(characteristic, values)


def equality_frame(table: Any, characteristic: str, cycles: Sequence[str] | None = None) -> pd.DataFrame:
    """The equality rows of ``characteristic`` (an Ibis table of the store's ``equality``), values harmonised."""
    t = table.filter(table.characteristic == characteristic)
    if cycles:
        t = t.filter(t.cycle.isin(list(cycles)))
    f = t.select(*CONTEXT, "value", "role_group", "working_pattern", *COUNTS).to_pandas()
    for column in COUNTS:
        f[column] = pd.to_numeric(f[column]).fillna(0).astype("int64")
    f["value"] = harmonise(characteristic, f["value"])
    for column in CONTEXT:
        f[column] = f[column].astype(str)
    return f


def pay_counts(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per cycle, school and value: staff with a pay decision (``eligible``) and how many progressed, as
    :func:`.queries.pay_counts` gives them from the people sheet."""
    f = frame[frame["pay_decisions"] > 0]
    out = (f.groupby(["cycle", "urn", "value"], as_index=False)[["pay_decisions", "progressed"]].sum()
           .rename(columns={"value": by, "pay_decisions": "eligible"}))
    return out.sort_values(["cycle", "urn", by], kind="stable").reset_index(drop=True)


def pay_counts_within(frame: pd.DataFrame, by: str, pattern: str) -> pd.DataFrame:
    """:func:`pay_counts` among the rows of one working pattern (``full_time`` or ``part_time``)."""
    return pay_counts(frame[frame["working_pattern"] == pattern], by)


def microdata_frame(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per person the equality rows count (no person is named: a row's people are numbered), with the
    columns :func:`.figures.person_microdata` gives the gate."""
    n = frame["staff"].to_numpy()
    rows = frame.loc[frame.index.repeat(n)].reset_index(drop=True)
    rank = np.concatenate([np.arange(k) for k in n]) if len(n) else np.array([], dtype=int)
    decided = rank < np.repeat(frame["pay_decisions"].to_numpy(), n)
    progressed = rank < np.repeat(frame["progressed"].to_numpy(), n)
    in_scope = rank < np.repeat(frame["in_scope"].to_numpy(), n)
    row_id = np.repeat(np.arange(len(frame)), n)
    return pd.DataFrame({
        "cycle": rows["cycle"], "urn": rows["urn"], "person": [f"e{r}-{i}" for r, i in zip(row_id, rank, strict=True)],
        "phase": rows["phase"], "size_band": rows["size_band"], "local_authority": rows["local_authority"],
        "in_scope": np.where(in_scope, "yes", "no"),
        "pay_eligible": np.where(decided, "yes", "not_recorded"),
        "pay_decision": np.where(progressed, "progress", np.where(decided, "no_progress", "not_recorded")),
        "pattern_group": rows["working_pattern"],  # the row's group of working pattern (``any``: not told apart)
        by: rows["value"],
    })
