"""Who the union's figures stand on: schools and staff in each cycle, by phase and by area.

Every report states its coverage, and the default cycle is the latest one whose returns can carry
figures at all: rows about people from at least ``min_units_per_cell`` schools (3 under the union
policy), none of them more than ``max_unit_share`` of those rows. The number of schools is shown
as it is (a school sending a return is not a fact about a person); numbers of staff follow the
same school rules as every other figure: a group's staff are shown, rounded, only when they come
from at least 3 schools with none more than half of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pmreport.disclosure import DisclosurePolicy

SUPPRESSED = "[c]"


@dataclass
class Coverage:
    """The store's coverage, and which cycles can carry figures."""

    per_cycle: pd.DataFrame  # Cycle, Schools, Schools with rows about people, Staff, Figures possible?
    by_phase: pd.DataFrame = field(default_factory=pd.DataFrame)  # for the reported cycle
    by_area: pd.DataFrame = field(default_factory=pd.DataFrame)
    enough: list[str] = field(default_factory=list)  # cycles that can carry figures, oldest first


def schools_frame(schools: pd.DataFrame) -> pd.DataFrame:
    """The store's schools table with numbers as numbers (one row per school per cycle)."""
    f = schools.copy()
    for column in ("staff", "people_rows"):
        f[column] = pd.to_numeric(f[column], errors="coerce").fillna(0).astype("int64")
    f["cycle"] = f["cycle"].astype(str)
    return f


def can_carry_figures(rows_by_school: pd.Series, policy: DisclosurePolicy) -> bool:
    """Whether people rows spread over schools like this could pass the union policy's school rules at all."""
    rows = rows_by_school[rows_by_school > 0]
    total = int(rows.sum())
    return len(rows) >= policy.min_units_per_cell and bool(total) and rows.max() <= policy.max_unit_share * total


def _staff(group: pd.DataFrame, policy: DisclosurePolicy) -> str:
    """A group's staff, rounded, when they pass the school rules; ``[c]`` otherwise."""
    staff = group["staff"]
    total = int(staff.sum())
    if not can_carry_figures(staff, policy) or total < policy.min_cell:
        return SUPPRESSED
    step = policy.count_rounding or 1
    return f"{int(step * round(total / step)):,}"


def _groups(frame: pd.DataFrame, by: str, label: str, policy: DisclosurePolicy) -> pd.DataFrame:
    rows = []
    for value, group in frame.groupby(by, sort=True):
        rows.append({label: str(value).replace("_", " ").capitalize() if by == "phase" else str(value),
                     "Schools": int(group["urn"].nunique()), "Staff": _staff(group, policy)})
    rows.append({label: "All schools", "Schools": int(frame["urn"].nunique()), "Staff": _staff(frame, policy)})
    return pd.DataFrame(rows)


def coverage(schools: pd.DataFrame, policy: DisclosurePolicy, cycle: str | None, la_min_schools: int) -> Coverage:
    """The coverage of every cycle held, and by phase and local authority for ``cycle`` (authorities with fewer
    than ``la_min_schools`` schools counted together, as in the report's tables)."""
    f = schools_frame(schools)
    per = []
    enough = []
    for c, group in f.groupby("cycle", sort=True):
        rows = group.groupby("urn")["people_rows"].sum()
        ok = can_carry_figures(rows, policy)
        if ok:
            enough.append(str(c))
        per.append({"Cycle": str(c), "Schools": int(group["urn"].nunique()),
                    "Schools with rows about people": int((rows > 0).sum()),
                    "Staff": _staff(group, policy), "Figures published?": "yes" if ok else "no: too few schools"})
    result = Coverage(pd.DataFrame(per), enough=enough)
    if cycle is not None:
        chosen = f[f["cycle"] == cycle].copy()
        per_la = chosen.groupby("local_authority")["urn"].transform("nunique")
        chosen["area"] = chosen["local_authority"].where(per_la >= la_min_schools, "Other local authorities")
        result.by_phase = _groups(chosen, "phase", "Phase", policy)
        result.by_area = _groups(chosen, "area", "Local authority", policy)
    return result
