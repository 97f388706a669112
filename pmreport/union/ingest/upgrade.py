"""Returns of an earlier format, upgraded on the way in; and the checks of the equality sheet.

Format 1 (before the equality sheet): its equality sheet is made from its people sheet exactly as
a school's pmreport makes it (:func:`pmreport.union.equality_sheet.from_people`), so every return held
has one. Values the people sheet left out stay ``not_shown``. The rows made are marked with
:data:`MADE_ROW` in ``_row`` (no row of the file) and are not counted as rows read or loaded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pmreport.union.equality_sheet import CHARACTERISTICS, from_people

#: ``_row`` of a row made while upgrading (a row read from a sheet has its Excel row, 2 or more).
MADE_ROW = 0


def upgrade(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``frames`` with an equality sheet made for every format-1 return that has people rows."""
    school = frames["school"].set_index("_return")
    old = school.index[school["return_format"] == 1]
    people = frames["people"]
    people = people[people["_return"].isin(old)]
    if people.empty:
        return frames
    made = []
    for rid, rows in people.groupby("_return", sort=False):
        k = school.at[rid, "k"]
        eq = from_people(rows, int(k) if pd.notna(k) else 5)
        made.append(eq.assign(_file=school.at[rid, "_file"], _sheet="equality", _row=MADE_ROW, _return=rid))
    out = dict(frames)
    equality = frames["equality"]
    added = pd.concat(made, ignore_index=True)
    for column in ("staff", "in_scope", "pay_decisions", "progressed"):
        added[column] = added[column].astype(float)
    out["equality"] = pd.concat([equality, added[equality.columns]], ignore_index=True) if len(equality) else added
    return out


def check_equality(frames: dict[str, pd.DataFrame]) -> list[tuple[str, str]]:
    """Each return's equality sheet against its school and people sheets: every characteristic counts every person
    once, and the same pay decisions and progressions as the people sheet; the same groups of role and working pattern
    in every table, each of at least k people; and no count above its base."""
    eq = frames["equality"]
    if eq.empty:
        return []
    school = frames["school"].set_index("_return")
    file_of = eq.groupby("_return")["_file"].first()
    out: list[tuple[str, str]] = []
    staff = eq.groupby(["_return", "characteristic"])["staff"].sum().unstack()
    expected = school["people_rows"].reindex(staff.index)
    for c in CHARACTERISTICS:
        got = staff[c] if c in staff.columns else pd.Series(0.0, index=staff.index)
        for rid in got.index[got.fillna(0).to_numpy() != expected.to_numpy()]:
            out.append((file_of[rid], f"the equality sheet's {c} table counts {int(np.nan_to_num(got[rid]))} people, "
                                      f"and the people sheet has {int(expected[rid])}"))
    people = frames["people"]
    decided = (people["pay_eligible"] == "yes") & people["pay_decision"].isin(["progress", "no_progress"])
    said = pd.DataFrame({"_return": people["_return"], "pay_decisions": decided.astype(int),
                         "progressed": (decided & (people["pay_decision"] == "progress")).astype(int)})
    said = said.groupby("_return")[["pay_decisions", "progressed"]].sum()
    sums = eq.groupby(["_return", "characteristic"])[["pay_decisions", "progressed"]].sum()
    for (rid, c), row in sums.iterrows():
        if rid in said.index and (row != said.loc[rid]).any():
            out.append((file_of[rid], f"the equality sheet's {c} table counts {int(row['pay_decisions'])} pay decisions "
                                      f"and {int(row['progressed'])} progressions, and the people sheet "
                                      f"{int(said.at[rid, 'pay_decisions'])} and {int(said.at[rid, 'progressed'])}"))
    groups = eq.groupby(["_return", "characteristic", "role_group", "working_pattern"])["staff"].sum()
    per = groups.unstack("characteristic")
    differ = per.nunique(axis=1, dropna=False) > 1
    for rid in dict.fromkeys(per.index[differ].get_level_values(0)):
        out.append((file_of[rid], "the equality sheet's tables do not all have the same groups of role and "
                                  "working pattern (the school should make it again with pmreport export-return)"))
    k = school["k"]
    smallest = per.max(axis=1).groupby(level=0).min()
    for rid in smallest.index[smallest < k.reindex(smallest.index).fillna(5)]:
        out.append((file_of[rid], f"the equality sheet has a group of role and working pattern of only "
                                  f"{int(smallest[rid])} people (fewer than k)"))
    over = eq[(eq["in_scope"] > eq["staff"]) | (eq["pay_decisions"] > eq["staff"]) | (eq["progressed"] > eq["pay_decisions"])]
    for rid in over["_return"].unique():
        out.append((file_of[rid], "the equality sheet has a count larger than the count it is part of"))
    return out
