"""The return's equality sheet: one small table per characteristic, each made on its own.

The people sheet must be k-anonymous on ten characteristics at once, which inside a school of
about 50 leaves many values out. The pooled analyses never need them together: each compares one
characteristic at a time within schools. So the return also carries, for each characteristic,
how many staff have each of its values within each group of role (teaching or support staff) and
working pattern (full or part time), with their outcomes as counts:

``characteristic, value, role_group, working_pattern, staff, in_scope, pay_decisions, progressed``

Protection, school by school:

* There is no code for the person and no other characteristic in a row, so the tables cannot be
  joined into a record of one person.
* Role and working pattern are what a colleague knows: every group of them holds at least ``k``
  people. Where one would not, the school's groups are made broader (working pattern ``any`` for
  that role; then role ``any`` too) -- chosen once for the school, so every table has the same groups
  and no table can be subtracted from another to split one.
* The characteristic is the thing analysed, not a quasi-identifier: it is shown in full within each
  group, even for a value only one or two people have. That is what lets disability or pregnancy
  and maternity be analysed at all; the cost is that someone who already knows a person's value
  (and role and working pattern) learns the outcome counts of a group that may be smaller than
  ``k``. :func:`residual_risk` measures how often; ``docs/union.md`` gives the figures.

A return of format 1 has no equality sheet: :func:`from_people` makes one from its people sheet
(values the people sheet left out stay ``not_shown``), which is how the union upgrades it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pmreport.union.return_schema import NOT_KNOWN, NOT_SHOWN, return_format

#: The characteristics with a table of their own, in the order the sheet lists them.
CHARACTERISTICS = ("sex", "ethnicity_group", "age_band", "disability", "pregnancy_maternity", "working_pattern")
COLUMNS = ("cycle", "characteristic", "value", "role_group", "working_pattern", "staff", "in_scope", "pay_decisions",
           "progressed")
ANY = "any"
TEACHING = ("teacher", "headteacher", "teaching")
PART_TIME = ("part_time", "part_time_half_or_more", "part_time_under_half")


def _role(role_group: pd.Series) -> np.ndarray:
    r = role_group.astype(str)
    return np.where(r.isin(TEACHING), "teaching", np.where(r == "support", "support", ANY)).astype(object)


def _pattern(fte_band: pd.Series) -> np.ndarray:
    f = fte_band.astype(str)
    return np.where(f == "full_time", "full_time", np.where(f.isin(PART_TIME), "part_time",
                                                           np.where(f == NOT_SHOWN, NOT_SHOWN, NOT_KNOWN))).astype(object)


def school_groups(role: np.ndarray, pattern: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The school's groups of role and working pattern, each of at least ``k`` people (broader where needed)."""
    role = role.copy()
    wp = np.where(np.isin(pattern, ("full_time", "part_time")), pattern, ANY).astype(object)
    for r in ("teaching", "support"):
        mine = role == r
        sizes = pd.Series(wp[mine]).value_counts()
        if (sizes < k).any():
            wp[mine] = ANY
    for r in ("teaching", "support"):
        mine = role == r
        if 0 < mine.sum() < k:
            role[mine], wp[mine] = ANY, ANY
    loose = role == ANY
    wp[loose] = ANY
    while 0 < loose.sum() < k and (~loose).any():
        # the people of no known role (or of a role too small) join the smallest other group of role and pattern
        others = pd.Series(list(zip(role[~loose], wp[~loose], strict=True))).value_counts(sort=False)
        smallest = others.sort_values(kind="stable").index[0]
        join = (role == smallest[0]) & (wp == smallest[1])
        role[join], wp[join] = ANY, ANY
        loose = role == ANY
    return role, wp


#: The ethnic groups the union analyses (the major groups, Chinese counted with any other group).
ETHNIC_GROUPS = {"white_british": "white", "white_other": "white", "mixed": "mixed", "asian": "asian",
                 "black": "black", "chinese": "other", "other": "other"}
UNDER_50 = ("under_30", "30_39", "40_49", "under_50")
OVER_50 = ("50_59", "60_and_over", "50_and_over")


def analysed_values(characteristic: str, values: pd.Series) -> pd.Series:
    """The values of one characteristic at the level the union analyses them, and no finer: age under 50 / 50 and
    over; the major ethnic groups; the rest as they are. (A return sends nothing the analyses do not use.)"""
    v = values.astype(str)
    if characteristic == "age_band":
        return v.where(~v.isin(UNDER_50), "under_50").where(~v.isin(OVER_50), "50_and_over")
    if characteristic == "ethnicity_group":
        return v.map(ETHNIC_GROUPS).fillna(v)
    return v


def equality_rows(people: pd.DataFrame, k: int) -> pd.DataFrame:
    """The equality sheet from a people frame (full detail from :func:`.people.person_rows`, or a return's
    people sheet). Empty when the school has fewer than ``k`` people (as the people sheet then is)."""
    if len(people) < k:
        return pd.DataFrame(columns=list(COLUMNS))
    role, wp = school_groups(_role(people["role_group"]), _pattern(people["fte_band"]), k)
    decided = (people["pay_eligible"].astype(str) == "yes") & people["pay_decision"].isin(["progress", "no_progress"])
    base = pd.DataFrame({
        "cycle": people["cycle"].astype(str).to_numpy(), "role_group": role, "working_pattern": wp,
        "staff": 1, "in_scope": (people["in_scope"].astype(str) == "yes").astype(int).to_numpy(),
        "pay_decisions": decided.astype(int).to_numpy(),
        "progressed": (decided & (people["pay_decision"] == "progress")).astype(int).to_numpy(),
    })
    parts = []
    for c in CHARACTERISTICS:
        value = (_pattern(people["fte_band"]) if c == "working_pattern"
                 else analysed_values(c, people[c]).to_numpy())
        parts.append(base.assign(characteristic=c, value=value))
    frame = pd.concat(parts, ignore_index=True)
    keys = ["cycle", "characteristic", "value", "role_group", "working_pattern"]
    out = frame.groupby(keys, sort=False, as_index=False)[["staff", "in_scope", "pay_decisions", "progressed"]].sum()
    order = {c: i for i, c in enumerate(CHARACTERISTICS)}
    codes = list(return_format().sheets["equality"].field("value").codes)
    out = out.assign(_c=out["characteristic"].map(order), _v=out["value"].map({v: i for i, v in enumerate(codes)}))
    out = out.sort_values(["_c", "_v", "role_group", "working_pattern"], kind="stable")
    return out[list(COLUMNS)].reset_index(drop=True)


def from_people(people: pd.DataFrame, k: int) -> pd.DataFrame:
    """A format-1 return's equality sheet, made from its (already k-anonymous) people sheet."""
    return equality_rows(people, k)


def not_shown_share(rows: pd.DataFrame, staff: int) -> dict[str, float]:
    """For each characteristic, the share of ``staff`` whose value is not shown (all of them when there are no rows)."""
    out = {}
    for c in CHARACTERISTICS:
        mine = rows[rows["characteristic"] == c]
        shown = int(mine.loc[mine["value"] != NOT_SHOWN, "staff"].sum())
        out[c] = 1 - shown / staff if staff else 0.0
    return out


def residual_risk(rows: pd.DataFrame, characteristics: Sequence[str] = CHARACTERISTICS) -> dict[str, int]:
    """Per characteristic, how many pay decisions are in a row whose decisions all went the same way, so that
    someone who knows a person's value, role and working pattern learns their decision."""
    out = {}
    for c in characteristics:
        mine = rows[rows["characteristic"] == c]
        same = mine[(mine["pay_decisions"] > 0)
                    & ((mine["progressed"] == 0) | (mine["progressed"] == mine["pay_decisions"]))]
        out[c] = int(same["pay_decisions"].sum())
    return out
