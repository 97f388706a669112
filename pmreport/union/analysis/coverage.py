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
from pmreport.union.regions import region_of

SUPPRESSED = "[c]"


@dataclass
class Coverage:
    """The store's coverage, and which cycles can carry figures."""

    per_cycle: pd.DataFrame  # Cycle, Schools, Schools with rows about people, Staff, Figures possible?
    by_phase: pd.DataFrame = field(default_factory=pd.DataFrame)  # for the reported cycle
    by_area: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_region: pd.DataFrame = field(default_factory=pd.DataFrame)
    enough: list[str] = field(default_factory=list)  # cycles that can carry figures, oldest first
    not_shown: pd.DataFrame = field(default_factory=pd.DataFrame)  # share of values not shown, by phase and size
    warnings: list[str] = field(default_factory=list)  # where "not shown" is uneven enough to bend a comparison


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
        chosen["region"] = chosen["local_authority"].map(region_of).fillna("Outside England's list")
        result.by_region = _groups(chosen, "region", "Region", policy)
    return result


#: "Not shown" this much more common in one phase or size band than another (percentage points) earns a warning.
UNEVEN_POINTS = 10.0


def not_shown(frames: dict[str, pd.DataFrame], words: dict[str, str], policy: DisclosurePolicy) -> tuple[pd.DataFrame, list[str]]:
    """For each characteristic, the share of staff whose value the returns do not show (equality rows of the cycle
    reported, see :mod:`.equality`), for all schools and by phase and size band; a group is shown only when its
    staff come from at least 3 schools, none more than half. With a warning where the share differs by more than
    :data:`UNEVEN_POINTS` points between phases or size bands (the comparisons then lean towards the others)."""
    rows, warnings = [], []
    for by, frame in frames.items():
        if frame.empty:
            continue
        f = frame.assign(hidden=frame["staff"].where(frame["value"] == "not_shown", 0))
        row: dict[str, object] = {"Characteristic": words.get(by, by)}
        shares: dict[str, float] = {}
        for column, label in (("phase", ""), ("size_band", "size ")):
            for value, group in f.groupby(column, sort=True):
                per_school = group.groupby("urn")["staff"].sum()
                name = f"{label}{str(value).replace('_', ' ')}"
                if not can_carry_figures(per_school, policy) or per_school.sum() < policy.min_cell:
                    row[name.capitalize()] = SUPPRESSED
                    continue
                share = 100 * group["hidden"].sum() / group["staff"].sum()
                shares[name] = share
                row[name.capitalize()] = f"{share:.0f}%"
        total = 100 * f["hidden"].sum() / f["staff"].sum()
        row = {"Characteristic": row.pop("Characteristic"), "All schools": f"{total:.0f}%", **row}
        rows.append(row)
        if shares and max(shares.values()) - min(shares.values()) > UNEVEN_POINTS:
            high = max(shares, key=shares.__getitem__)
            low = min(shares, key=shares.__getitem__)
            warnings.append(f"{words.get(by, by).capitalize()} is not shown for {shares[high]:.0f}% of staff in {high} "
                            f"schools and {shares[low]:.0f}% in {low} schools: comparisons by {words.get(by, by)} "
                            f"lean towards the schools where it is shown.")
    return pd.DataFrame(rows), warnings
