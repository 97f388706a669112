"""Peer groups and the statements that stand out from them (policy §5: "consistent between those
who have similar experience and similar levels of responsibility").

Peer group = role group x responsibility x experience band. A band with fewer than
``min_peer_group`` statements is merged with the adjacent band that has fewer statements, until
every group is big enough or the whole responsibility level is one group; statements in a group
still too small are "too few to compare".

Counts and minutes (objectives, observation minutes per FTE, development agreed) are compared with
the *other* statements of the peer group: the gap from their average against the spread between
similar colleagues, pooled over the peer groups of the same role group and leaving the statement
out (an externally studentised residual), never taken below a floor; the chance of a gap at least
this big is from Student's t. Shares of objectives (about pupil progress, linked to priorities,
determined by the reviewer) are compared with Fisher's exact test of the statement's objectives
against its peers' objectives. Tarone's rule and Holm's method then allow for every statement
compared, so the chance of *any* false flag of one kind in a school is at most 5%. A statement is
flagged only when that adjusted chance is below 5% *and* the gap is big enough to matter
(``material_difference``). A gap that matters but could be chance is a "note": worth a look in
moderation, not evidence of inconsistency.

A single assessment or pay recommendation cannot on its own be shown to be out of line (one
outcome of one person is never unlikely enough); the statement is noted when its outcome is rare
among its peers, and the statistical question is asked of reviewers and groups instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from pmreport.moderation.exact import holm, stratified_exact, tarone, wilson
from pmreport.moderation.settings import ModerationSettings
from pmreport.moderation.text import interval, num, p_words, pct, plural, values_words


@dataclass(frozen=True)
class Measure:
    key: str
    column: str
    label: str  # flag type
    unit: str   # 'count' or 'share' or 'minutes'
    what: str   # words: "{value} objectives"


MEASURES = (
    Measure("objectives", "n_objectives", "peer_objectives", "count", "objectives"),
    Measure("pupil_progress_share", "pupil_progress_share", "peer_pupil_progress", "share", "about pupil progress"),
    Measure("priority_share", "priority_share", "peer_priority", "share", "linked to school priorities"),
    Measure("determined_share", "determined_share", "peer_determined", "share", "determined by the reviewer without agreement"),
    Measure("observation_minutes", "observation_minutes", "peer_observation", "minutes", "minutes of performance management observation per full-time equivalent"),
    Measure("development_agreed", "development_agreed", "peer_development", "count", "development needs agreed"),
)

RESPONSIBILITY_WORDS = {
    "classroom_teacher": "classroom teacher", "tlr_holder": "TLR holder", "middle_leader": "middle leader",
    "senior_leader": "senior leader", "headteacher": "headteacher", "support": "support staff",
    "support_supervisor": "support supervisor",
}


def _segments(counts: dict[int, int], min_size: int) -> list[list[int]]:
    """Merge adjacent experience bands (those with statements) until each segment is big enough."""
    segs = [[b] for b in sorted(counts)]
    size = [counts[b] for b in sorted(counts)]
    while len(segs) > 1 and min(size) < min_size:
        i = int(np.argmin(size))  # the smallest segment (first if tied)
        if i == 0:
            j = 1
        elif i == len(segs) - 1:
            j = i - 1
        else:
            j = i - 1 if size[i - 1] <= size[i + 1] else i + 1
        a, b = min(i, j), max(i, j)
        segs[a:b + 1] = [segs[a] + segs[b]]
        size[a:b + 1] = [size[a] + size[b]]
    return segs


def _band_words(bands: list[int], settings: ModerationSettings) -> str:
    if bands == [-1]:
        return "experience not recorded"
    lo = settings.experience_bands[bands[0]][0]
    hi = settings.experience_bands[bands[-1]][1]
    if bands[0] == 0 and bands[-1] == len(settings.experience_bands) - 1:
        return "any experience"
    return f"{lo:g}+ years" if hi is None else f"{lo:g}-{hi:g} years"


def assign_peer_groups(st: pd.DataFrame, settings: ModerationSettings) -> pd.DataFrame:
    """Add ``peer_group`` (words), ``peer_size`` and ``peer_ok`` (big enough to compare) to the statements."""
    st = st.copy()
    st["peer_group"] = pd.Series(pd.NA, index=st.index, dtype="string")
    role = st["role_group"].astype("string").fillna("role not recorded")
    resp = st["responsibility"].astype("string").fillna("responsibility not recorded")
    for (r, s), idx in st.groupby([role, resp], sort=True).groups.items():
        sub = st.loc[idx]
        counts = sub["experience_band"].value_counts().to_dict()
        known = {b: c for b, c in counts.items() if b >= 0}
        segs = _segments(known, settings.min_peer_group) if known else []
        if -1 in counts:
            segs.append([-1])
        for seg in segs:
            label = f"{r}, {RESPONSIBILITY_WORDS.get(s, s)}, {_band_words(seg, settings)}"
            st.loc[sub.index[sub["experience_band"].isin(seg)], "peer_group"] = label
    st["peer_size"] = st.groupby("peer_group")["staff_id"].transform("size").astype(int)
    st["peer_ok"] = st["peer_size"] >= settings.min_peer_group
    return st


def peer_group_table(st: pd.DataFrame) -> pd.DataFrame:
    """Aggregate figures per peer group (no names): for moderation and, after disclosure control, governors."""
    agg = {"statements": ("staff_id", "size")}
    for m in MEASURES:
        if st[m.column].notna().any():
            agg[m.key + "_mean"] = (m.column, "mean")
    out = st.groupby("peer_group", dropna=False).agg(**agg).reset_index()
    out["comparable"] = out["peer_group"].map(st.groupby("peer_group")["peer_ok"].first()).fillna(False).astype(bool)
    return out


SHARE_PARTS = {  # share measure -> (objectives counted, objectives of the kind)
    "pupil_progress_share": ("n_objectives", "n_pupil_progress"),
    "priority_share": ("n_linked_known", "n_linked"),
    "determined_share": ("n_agreed_known", "n_determined"),
}


def _spread_test(d: pd.DataFrame, m: Measure, settings: ModerationSettings, too_small: pd.Series) -> pd.DataFrame:
    """Counts and minutes: the gap from the peers' average against the pooled spread (Student's t)."""
    n = d["n_group"].astype(float)
    d["resid"] = d["value"] - d["group_mean"]
    ok = d[~too_small]
    ss = (ok["resid"] ** 2).groupby(ok["role_group"]).sum()
    dfs = (ok.groupby(["role_group", "peer_group"])["value"].size() - 1).groupby(level=0).sum()
    ss_pool = d["role_group"].map(ss).astype(float)
    df_i = d["role_group"].map(dfs).astype(float) - 1
    # leave the statement out of the spread (externally studentised)
    ss_i = (ss_pool - d["resid"] ** 2 * n / (n - 1).where(n > 1)).clip(lower=0)
    spread = np.sqrt(ss_i / df_i.where(df_i > 0))
    floor = settings.spread_floor.get(m.key, 0.0)
    d["spread"] = np.maximum(spread.fillna(floor), floor) if floor > 0 else spread
    d["df"] = df_i
    t = d["difference"] / (d["spread"] * np.sqrt(1 + 1 / (n - 1).where(n > 1)))
    p = 2 * stats.t.sf(t.abs(), df_i.clip(lower=1))
    d["p_value"] = np.where(too_small | (df_i < 1) | ~np.isfinite(t), np.nan, p)
    d["p_min"] = np.where(d["p_value"].notna(), 0.0, np.nan)  # a t statistic can reach any level
    tq = stats.t.ppf(0.5 + settings.level / 2, df_i.clip(lower=1))
    half = tq * d["spread"] / np.sqrt((n - 1).clip(lower=1))
    d["peer_ci_low"] = (d["peer_mean"] - half).clip(lower=0)
    d["peer_ci_high"] = d["peer_mean"] + half
    return d


def _share_test(d: pd.DataFrame, st: pd.DataFrame, m: Measure, settings: ModerationSettings,
                too_small: pd.Series) -> pd.DataFrame:
    """Shares of objectives: Fisher's exact test of this statement's objectives against its peers' objectives."""
    n_col, k_col = SHARE_PARTS[m.key]
    n_i = st.loc[d.index, n_col].astype(int)
    k_i = st.loc[d.index, k_col].astype(int)
    n_peers = n_i.groupby(d["peer_group"]).transform("sum") - n_i
    k_peers = k_i.groupby(d["peer_group"]).transform("sum") - k_i
    d["peer_mean"] = (k_peers / n_peers.where(n_peers > 0)).astype(float)
    d["difference"] = d["value"] - d["peer_mean"]
    d["spread"], d["df"] = np.nan, np.nan
    p, pmin = [], []
    for a, n1, c, n0, small in zip(k_i, n_i, k_peers, n_peers, too_small, strict=True):
        if small or n0 <= 0 or n1 <= 0:
            p.append(np.nan)
            pmin.append(np.nan)
            continue
        test = stratified_exact([(int(n1), int(n0), int(a + c))], int(a))
        p.append(test.p_value)
        pmin.append(test.p_min)
    d["p_value"] = p
    d["p_min"] = pmin
    ci = [wilson(int(c), int(n0), settings.level) if n0 > 0 else (np.nan, np.nan) for c, n0 in zip(k_peers, n_peers, strict=True)]
    d["peer_ci_low"] = [x[0] for x in ci]
    d["peer_ci_high"] = [x[1] for x in ci]
    return d


def compare_measure(st: pd.DataFrame, m: Measure, settings: ModerationSettings, explain: bool = True) -> pd.DataFrame:
    """Each statement against its peers on one measure (statements in groups too small are 'too few to compare')."""
    vals = pd.to_numeric(st[m.column], errors="coerce").astype(float)
    use = vals.notna()
    d = st.loc[use, ["staff_id", "name", "reviewer_id", "role_group", "peer_group", "peer_ok"]].copy()
    d["value"] = vals[use]
    d["n_group"] = d.groupby("peer_group")["value"].transform("size")
    too_small = ~d.pop("peer_ok").astype(bool) | (d["n_group"] < settings.min_peer_group)
    n = d["n_group"].astype(float)
    d["group_mean"] = d.groupby("peer_group")["value"].transform("mean")
    d["peer_mean"] = (d["group_mean"] * n - d["value"]) / (n - 1).where(n > 1)
    d["difference"] = d["value"] - d["peer_mean"]
    d = _share_test(d, st, m, settings, too_small) if m.unit == "share" else _spread_test(d, m, settings, too_small)
    d["p_adjusted"] = holm(d["p_value"].to_numpy(), tarone(d["p_min"].to_numpy(), settings.alpha))
    family = int(d["p_adjusted"].notna().sum())
    material = d["difference"].abs() >= settings.material_difference.get(m.key, 0.0)
    flag = (d["p_adjusted"] <= settings.alpha) & material
    d["verdict"] = np.where(too_small, "too few to compare",
                            np.where(flag, "flag", np.where(material, "note", "in line with peers")))
    d["flag_type"] = m.label
    d["measure"] = m.key
    d["family_size"] = family
    d["reason"] = _reasons(d, st, m, family) if explain else ""
    cols = ["flag_type", "measure", "staff_id", "name", "reviewer_id", "peer_group", "value", "n_group", "peer_mean",
            "peer_ci_low", "peer_ci_high", "difference", "spread", "df", "p_value", "p_adjusted", "family_size",
            "verdict", "reason"]
    return d[cols].reset_index(drop=True)


def _reasons(d: pd.DataFrame, st: pd.DataFrame, m: Measure, family: int) -> list[str]:
    """Why, in words, for each statement compared on one measure."""
    fmt = pct if m.unit == "share" else (lambda x: num(x, 0)) if m.unit == "minutes" else num
    if m.unit == "share":
        n_col, k_col = SHARE_PARTS[m.key]
        mine = [f"{k} of {n} objectives ({pct(v)}) {m.what}" for k, n, v in
                zip(st.loc[d.index, k_col], st.loc[d.index, n_col], d["value"], strict=True)]
    else:
        mine = [f"{fmt(v)} {m.what}" for v in d["value"]]
    groups = {k: (v.index.to_numpy(), v.to_numpy()) for k, v in d.groupby("peer_group")["value"]}
    out = []
    for i, (idx, row) in enumerate(zip(d.index, d.itertuples(index=False), strict=True)):
        if row.verdict == "too few to compare":
            out.append(f"{mine[i]}; too few similar colleagues with figures to compare.")
            continue
        where, vals = groups[row.peer_group]
        peer_vals = vals[where != idx]
        who = f"{plural(len(peer_vals), 'similar colleague')} ({row.peer_group})"
        base = f"{mine[i]} where {who} have {values_words(peer_vals, fmt)}"
        kind = "share" if m.unit == "share" else "average"
        avg = f"their {kind} is {fmt(row.peer_mean)} (95% interval {interval(row.peer_ci_low, row.peer_ci_high, fmt)})"
        if row.verdict == "flag":
            out.append(f"{base}; {avg}. Unlikely to be chance ({p_words(row.p_adjusted, family)}).")
        elif row.verdict == "note":
            chance = p_words(row.p_adjusted, family) if not np.isnan(row.p_adjusted) else "too few objectives to test"
            out.append(f"{base}; {avg}. A gap worth a look, but it could be chance ({chance}).")
        else:
            out.append(f"{base}; in line with them.")
    return out


def outcome_notes(st: pd.DataFrame, settings: ModerationSettings) -> pd.DataFrame:
    """Notes (never flags) for an assessment or pay recommendation that is rare among peers."""
    rows = []
    specs = (
        ("peer_assessment", "assessment", ["met", "partly_met", "not_met"], "assessed as {v}", "were"),
        ("peer_pay", "pay_recommended", ["progress", "no_progress"], "recommended for {v}", "were"),
    )
    words = {"met": "met", "partly_met": "partly met", "not_met": "not met", "progress": "pay progression",
             "no_progress": "no pay progression"}
    for flag_type, col, levels, phrase, _ in specs:
        vals = st[col].where(st[col].isin(levels).fillna(False))
        d = st.loc[st["peer_ok"] & vals.notna()]
        if d.empty:
            continue
        v = vals[d.index]
        for grp, sub in d.groupby("peer_group"):
            sv = v[sub.index]
            for i, val in sv.items():
                peers = sv.drop(index=i)
                if len(peers) < settings.min_peer_group - 1:
                    continue
                k = int((peers == val).sum())
                share = k / len(peers)
                if share > 0.2:
                    continue
                chance = (k + 0.5) / (len(peers) + 1)
                reason = (f"{phrase.format(v=words[val])}; {k} of {len(peers)} similar colleagues ({grp}) were. "
                          f"If this statement were like theirs, an outcome like this would come up about "
                          f"1 time in {max(1, round(1 / chance))}: on its own one outcome cannot show inconsistency, "
                          "so look at it in moderation alongside the reviewer and equality comparisons.")
                rows.append({"flag_type": flag_type, "measure": col, "staff_id": sub.at[i, "staff_id"],
                             "name": sub.at[i, "name"], "reviewer_id": sub.at[i, "reviewer_id"], "peer_group": grp,
                             "value": val, "n_group": len(peers) + 1, "peers_same": k, "verdict": "note", "reason": reason})
    cols = ["flag_type", "measure", "staff_id", "name", "reviewer_id", "peer_group", "value", "n_group", "peers_same",
            "verdict", "reason"]
    return pd.DataFrame(rows, columns=cols)


def compare_peers(st: pd.DataFrame, settings: ModerationSettings, explain: bool = True) -> pd.DataFrame:
    """Every statement against its peers on every measure the data has (one row per statement and measure)."""
    # a measure with no figures at all (no sheet, or no objectives recorded) is not compared
    parts = [compare_measure(st, m, settings, explain) for m in MEASURES
             if st[m.column].notna().any() and not (m.unit == "count" and st[m.column].fillna(0).eq(0).all())]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=["flag_type", "measure", "staff_id", "verdict", "reason"])
    return pd.concat(parts, ignore_index=True)
