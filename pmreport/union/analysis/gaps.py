"""The gap in pay progression for each characteristic, by phase, by region, by local authority and cycle by cycle.

A gap compares one group with the reference group *within schools* (:func:`.models.risk_difference`),
using the groups the gate published in the national table of that characteristic. A gap is derived
from counts, not counted itself, so the union policy's rules are applied to it here: it is shown only
where the schools with people in both groups number at least ``min_units_per_cell``, none of them
holds more than ``max_unit_share`` of the people compared, and each group has at least ``min_cell``
people. Otherwise the row says ``[c]``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pmreport.disclosure import DisclosurePolicy
from pmreport.disclosure.query import Group
from pmreport.union.analysis.models import points_step, risk_difference, rounded_points
from pmreport.union.regions import region_of

SUPPRESSED = "[c]"


def safe_for_gap(counts: pd.DataFrame, by: str, group: Sequence[str], reference: Sequence[str],
                 policy: DisclosurePolicy) -> bool:
    """Whether the people behind a gap pass the union policy's rules (schools with both groups only)."""
    c = counts[counts[by].isin([*group, *reference])]
    sides = c.assign(_g=c[by].isin(group)).groupby(["urn", "_g"])["eligible"].sum().unstack(fill_value=0)
    if True not in sides.columns or False not in sides.columns:
        return False
    both = sides[(sides[True] > 0) & (sides[False] > 0)]
    people = both.sum(axis=1)
    total = int(people.sum())
    return (len(both) >= policy.min_units_per_cell and total > 0
            and people.max() <= policy.max_unit_share * total
            and int(both[True].sum()) >= policy.min_cell and int(both[False].sum()) >= policy.min_cell)


def gap_row(counts: pd.DataFrame, by: str, group: Group, reference: Group, policy: DisclosurePolicy,
            where: str) -> dict[str, object]:
    row: dict[str, object] = {"Schools compared": where, "Group": group.label, "Compared with": reference.label}
    gap = risk_difference(counts, by, group.values, reference.values) if safe_for_gap(
        counts, by, group.values, reference.values, policy) else None
    if gap is None:
        return row | {"Gap (percentage points)": SUPPRESSED, "95% interval from": SUPPRESSED,
                      "95% interval to": SUPPRESSED, "Clear difference?": SUPPRESSED}
    step = points_step(gap.people)
    clear = gap.high < 0 or gap.low > 0
    return row | {"Gap (percentage points)": rounded_points(gap.points, step),
                  "95% interval from": rounded_points(gap.low, step), "95% interval to": rounded_points(gap.high, step),
                  "Clear difference?": "yes" if clear else "no"}


def gap_breakdowns(counts: pd.DataFrame, schools: pd.DataFrame, by: str, groups: Sequence[Group], reference: Group,
                   cycle: str, policy: DisclosurePolicy, la_min_schools: int) -> pd.DataFrame:
    """Gaps for each group against ``reference``: all schools in each cycle (the trend), then by phase, by region
    (England's, from the local authority) and by local authority in ``cycle``. ``counts``: :func:`.queries.pay_counts` over every cycle shown;
    ``schools``: the store's schools table (for each school's phase and local authority)."""
    info = schools[["urn", "cycle", "phase", "local_authority"]].astype(str).drop_duplicates(["urn", "cycle"])
    info["region"] = info["local_authority"].map(region_of)
    c = counts.assign(urn=counts["urn"].astype(str), cycle=counts["cycle"].astype(str)).merge(
        info, on=["urn", "cycle"], how="left")
    rows = []
    for g in groups:
        if g is reference:
            continue
        for each in sorted(c["cycle"].unique()):
            rows.append(gap_row(c[c["cycle"] == each], by, g, reference, policy, f"All schools, {each}"))
        now = c[c["cycle"] == cycle]
        for phase in sorted(now["phase"].dropna().unique()):
            rows.append(gap_row(now[now["phase"] == phase], by, g, reference, policy,
                                f"{phase.replace('_', ' ').capitalize()} schools, {cycle}"))
        for region in sorted(now["region"].dropna().unique()):
            rows.append(gap_row(now[now["region"] == region], by, g, reference, policy, f"{region}, {cycle}"))
        per_la = now.groupby("local_authority")["urn"].nunique()
        for la in sorted(per_la[per_la >= la_min_schools].index):
            rows.append(gap_row(now[now["local_authority"] == la], by, g, reference, policy, f"{la}, {cycle}"))
    return pd.DataFrame(rows)
