"""Peer groups and the statements that stand out from them (policy §5: "consistent between those
who have similar experience and similar levels of responsibility").

Peer group = role group x responsibility x experience band. A band with fewer than
``min_peer_group`` statements is merged with the adjacent band that has fewer statements, until
every group is big enough or the whole responsibility level is one group; statements in a group
still too small are "too few to compare".

Counts and minutes (objectives, observation minutes per FTE, development agreed) are compared with
the *other* statements of the peer group: the gap from their average, with an interval on that
average from the spread between similar colleagues (pooled over the peer groups of the same role
group, never below a floor). The chance is from an exact permutation (rank) test within the peer
group, which assumes no spread: with n statements, even the most unusual one comes up by chance
2 times in n, so in a small peer group such a gap is a point to look at, never a flag. Shares of objectives (about pupil progress, linked to priorities,
determined by the reviewer) are compared with Fisher's exact test of the statement's objectives
against its peers' objectives. Tarone's rule and Holm's method then allow for every statement
compared, so each kind keeps its share of the run's 5% (:mod:`pmreport.moderation.allotment`). A statement is
flagged only when that adjusted chance is below 5% *and* the gap is big enough to matter
(``material_difference``). A gap that matters but could be chance is a "note": worth a look in
moderation, not evidence of inconsistency.

A single assessment or pay recommendation cannot on its own be shown to be out of line (one
outcome of one person is never unlikely enough); the statement is noted when its outcome is rare
among its peers, and the statistical question is asked of reviewers and groups instead.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import stdtrit  # scipy.stats.t.ppf, without importing scipy.stats

from pmreport.moderation import grouped
from pmreport.moderation.allotment import Allotment
from pmreport.moderation.exact import stratified_exact, wilson
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
    role = st["role_group"].astype("string").fillna("role not recorded").to_numpy(dtype=object)
    resp = st["responsibility"].astype("string").fillna("responsibility not recorded").to_numpy(dtype=object)
    band = st["experience_band"].to_numpy()
    rows: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(zip(role, resp, strict=True)):
        rows.setdefault(key, []).append(i)
    labels = np.full(len(st), None, dtype=object)
    for (r, s), where in rows.items():
        bands = band[where]
        counts = Counter(bands.tolist())
        known = {b: c for b, c in counts.items() if b >= 0}
        segs = _segments(known, settings.min_peer_group) if known else []
        if -1 in counts:
            segs.append([-1])
        for seg in segs:
            label = f"{r}, {RESPONSIBILITY_WORDS.get(s, s)}, {_band_words(seg, settings)}"
            labels[np.asarray(where)[np.isin(bands, seg)]] = label
    size = Counter(labels.tolist())
    st["peer_group"] = pd.array(labels, dtype="string")
    st["peer_size"] = np.array([size[g] for g in labels.tolist()], dtype=np.int64)
    st["peer_ok"] = st["peer_size"] >= settings.min_peer_group
    return st


def peer_group_table(st: pd.DataFrame) -> pd.DataFrame:
    """Aggregate figures per peer group (no names): for moderation and, after disclosure control, governors."""
    measures = [m for m in MEASURES if st[m.column].notna().any()]
    group, groups = grouped.codes(st["peer_group"])
    if not len(st) or group.min() < 0:  # (a statement without a peer group: pandas' own way)
        agg = {"statements": ("staff_id", "size")}
        for m in measures:
            agg[m.key + "_mean"] = (m.column, "mean")
        out = st.groupby("peer_group", dropna=False).agg(**agg).reset_index()
        out["comparable"] = out["peer_group"].map(st.groupby("peer_group")["peer_ok"].first()).fillna(False).astype(bool)
        return out
    k = len(groups)
    table: dict[str, Any] = {"peer_group": pd.array(groups, dtype=st["peer_group"].dtype),
                             "statements": grouped.counts(group, k).astype(np.int64)}
    for m in measures:
        table[m.key + "_mean"] = grouped.float_means(st[m.column].to_numpy(dtype=float), group, k)
    first = np.full(k, -1)
    for i, g in enumerate(group.tolist()):
        if first[g] < 0:
            first[g] = i
    table["comparable"] = st["peer_ok"].to_numpy(dtype=bool)[first]
    return pd.DataFrame(table)


SHARE_PARTS = {  # share measure -> (objectives counted, objectives of the kind)
    "pupil_progress_share": ("n_objectives", "n_pupil_progress"),
    "priority_share": ("n_linked_known", "n_linked"),
    "determined_share": ("n_agreed_known", "n_determined"),
}

#: The columns of the table of statements against peers, in order.
PEER_COLUMNS = ["flag_type", "measure", "staff_id", "name", "reviewer_id", "peer_group", "value", "n_group", "peer_mean",
                "peer_ci_low", "peer_ci_high", "difference", "spread", "df", "p_value", "p_min", "p_adjusted", "family_size",
                "verdict", "reason"]
#: Columns copied from the statements, one row per statement compared.
_COPIED = ("staff_id", "name", "reviewer_id", "peer_group")
_FLOATS = ("value", "peer_mean", "peer_ci_low", "peer_ci_high", "difference", "spread", "df", "p_value", "p_min",
           "p_adjusted")


@dataclass
class _Statements:
    """What every measure's comparison needs from the statements, worked out once."""

    st: pd.DataFrame
    group: np.ndarray        # peer group code of each statement (groups in sorted order)
    groups: list[str]        # the peer group of each code
    role: np.ndarray         # role group code (-1: not recorded)
    n_roles: int
    peer_ok: np.ndarray      # bool


def _statements(st: pd.DataFrame) -> _Statements:
    group, groups = grouped.codes(st["peer_group"])
    if len(group) and group.min() < 0:
        raise ValueError("every statement needs a peer group: run assign_peer_groups first")
    role, roles = grouped.codes(st["role_group"])
    return _Statements(st=st, group=group, groups=[str(g) for g in groups], role=role, n_roles=len(roles),
                       peer_ok=st["peer_ok"].to_numpy(dtype=bool))


@dataclass
class _Compared:
    """One measure compared: row positions in the statements and a column of figures each."""

    m: Measure
    pos: np.ndarray
    cols: dict[str, np.ndarray]
    family: int
    verdict: np.ndarray
    reason: list[str] | str


def rank_test(value: np.ndarray, group: np.ndarray, skip: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each statement against its peer group by an exact permutation test: if the statement were
    like its peers, its value would be equally likely to be any of the group's n values, so the
    chance of one at least this far out on either side is 2 x (values at least as high, or as low,
    as it, itself included) / n, at most 1. The smallest it can be is 2/n: a peer group of 20 can
    never show a statement is unlikely to be chance at 5% (returned as ``p_min``). No spread is
    assumed. NaN for statements in ``skip`` (groups too small to compare)."""
    p = np.full(len(value), np.nan)
    p_min = np.full(len(value), np.nan)
    use = ~skip & ~np.isnan(value)
    for g in np.unique(group[use]).tolist():
        here = np.flatnonzero(use & (group == g))
        v = np.sort(value[here])
        n = len(v)
        ge = n - np.searchsorted(v, value[here], side="left")
        le = np.searchsorted(v, value[here], side="right")
        p[here] = np.minimum(1.0, 2 * np.minimum(ge, le) / n)
        p_min[here] = min(1.0, 2 / n)
    return p, p_min


def _spread_test(S: _Statements, c: dict[str, np.ndarray], m: Measure, settings: ModerationSettings,
                 too_small: np.ndarray, gm: np.ndarray) -> None:
    """Counts and minutes: the spread between similar colleagues (pooled, never below a floor) for the
    interval on the peers' average, and the chance from :func:`rank_test`."""
    n, nm1, value = c["n"], c["nm1"], c["value"]
    role = S.role[c["pos"]]
    resid = value - gm
    ok = ~too_small
    ss = grouped.float_sums(resid[ok] ** 2, role[ok], S.n_roles)
    # degrees of freedom: per role group, the sum over its peer groups of (statements - 1)
    keyed = ok & (role >= 0)
    pair = role[keyed] * len(S.groups) + c["group"][keyed]
    per_pair = np.bincount(pair, minlength=S.n_roles * len(S.groups)).reshape(S.n_roles, len(S.groups))
    dfs = np.where(per_pair > 0, per_pair - 1, 0).sum(axis=1).astype(float)
    dfs[(per_pair > 0).sum(axis=1) == 0] = np.nan  # no statement of the role group compared
    ss_pool = grouped.at(ss, role)
    df_i = grouped.at(dfs, role) - 1
    # leave the statement out of the spread (externally studentised)
    ss_i = grouped.clip_lower(ss_pool - resid ** 2 * n / nm1, 0)
    spread = np.sqrt(ss_i / np.where(df_i > 0, df_i, np.nan))
    floor = settings.spread_floor.get(m.key, 0.0)
    if floor > 0:
        spread = np.maximum(np.where(np.isnan(spread), floor, spread), floor)
    c["spread"] = spread
    c["df"] = df_i
    df_t = grouped.clip_lower(df_i, 1)
    # The chance: an exact permutation (rank) test within the peer group, assuming no spread.
    c["p_value"], c["p_min"] = rank_test(value, c["group"], too_small)
    tq = stdtrit(df_t, 0.5 + settings.level / 2)  # = scipy.stats.t.ppf
    half = tq * spread / np.sqrt(grouped.clip_lower(n - 1, 1))
    c["peer_ci_low"] = grouped.clip_lower(c["peer_mean"] - half, 0)
    c["peer_ci_high"] = c["peer_mean"] + half


def _share_test(S: _Statements, c: dict[str, np.ndarray], m: Measure, settings: ModerationSettings,
                too_small: np.ndarray) -> None:
    """Shares of objectives: Fisher's exact test of this statement's objectives against its peers' objectives."""
    n_col, k_col = SHARE_PARTS[m.key]
    pos, group = c["pos"], c["group"]
    n_i = S.st[n_col].to_numpy()[pos].astype(int)
    k_i = S.st[k_col].to_numpy()[pos].astype(int)
    n_peers = grouped.int_sums(n_i, group, len(S.groups))[group] - n_i
    k_peers = grouped.int_sums(k_i, group, len(S.groups))[group] - k_i
    c["peer_mean"] = k_peers / np.where(n_peers > 0, n_peers, np.nan)
    c["difference"] = c["value"] - c["peer_mean"]
    c["spread"] = np.full(len(pos), np.nan)
    c["df"] = np.full(len(pos), np.nan)
    p = np.full(len(pos), np.nan)
    pmin = np.full(len(pos), np.nan)
    low = np.full(len(pos), np.nan)
    high = np.full(len(pos), np.nan)
    rows = zip(k_i.tolist(), n_i.tolist(), k_peers.tolist(), n_peers.tolist(), too_small.tolist(), strict=True)
    for j, (a, n1, k0, n0, small) in enumerate(rows):
        if n0 > 0:
            low[j], high[j] = wilson(k0, n0, settings.level)
        if small or n0 <= 0 or n1 <= 0:
            continue
        test = stratified_exact([(n1, n0, a + k0)], a)
        p[j], pmin[j] = test.p_value, test.p_min
    c["p_value"], c["p_min"] = p, pmin
    c["peer_ci_low"], c["peer_ci_high"] = low, high


def _compare(S: _Statements, m: Measure, settings: ModerationSettings, explain: bool,
             allotment: Allotment | None = None) -> _Compared:
    allot = allotment or Allotment(settings.alpha)
    vals = pd.to_numeric(S.st[m.column], errors="coerce").astype(float).to_numpy()
    pos = np.flatnonzero(~np.isnan(vals))
    group = S.group[pos]
    n_group = grouped.counts(group, len(S.groups))[group]
    too_small = ~S.peer_ok[pos] | (n_group < settings.min_peer_group)
    n = n_group.astype(float)
    nm1 = np.where(n > 1, n - 1, np.nan)
    value = vals[pos]
    c: dict[str, np.ndarray] = {"pos": pos, "group": group, "value": value, "n_group": n_group, "n": n, "nm1": nm1}
    with np.errstate(divide="ignore", invalid="ignore"):
        gm = grouped.at(grouped.float_means(value, group, len(S.groups)), group)
        c["peer_mean"] = (gm * n - value) / nm1
        c["difference"] = value - c["peer_mean"]
        if m.unit == "share":
            _share_test(S, c, m, settings, too_small)
        else:
            _spread_test(S, c, m, settings, too_small, gm)
    p_adjusted = allot.adjust(c["p_value"], c["p_min"])
    c["p_adjusted"] = p_adjusted
    family = int((~np.isnan(p_adjusted)).sum())
    material = np.abs(c["difference"]) >= settings.material_difference.get(m.key, 0.0)
    flag = (p_adjusted <= settings.alpha) & material
    verdict = np.where(too_small, "too few to compare",
                       np.where(flag, "flag", np.where(material, "note", "in line with peers")))
    reason: list[str] | str = _reasons(S, c, verdict, m, family, allot.kinds) if explain else ""
    return _Compared(m, pos, c, family, verdict, reason)


def _frame(S: _Statements, parts: list[_Compared]) -> pd.DataFrame:
    """The compared measures as one table (one row per statement and measure)."""
    pos = np.concatenate([p.pos for p in parts])
    out: dict[str, Any] = {
        "flag_type": np.concatenate([np.full(len(p.pos), p.m.label, dtype=object) for p in parts]),
        "measure": np.concatenate([np.full(len(p.pos), p.m.key, dtype=object) for p in parts]),
    }
    for col in _COPIED:
        out[col] = S.st[col].array.take(pos)
    for col in _FLOATS:
        out[col] = np.concatenate([p.cols[col] for p in parts]).astype(float)
    out["n_group"] = np.concatenate([p.cols["n_group"] for p in parts]).astype(np.int64)
    out["family_size"] = np.concatenate([np.full(len(p.pos), p.family, dtype=np.int64) for p in parts])
    out["verdict"] = np.concatenate([p.verdict.astype(object) for p in parts])
    out["reason"] = np.concatenate([np.asarray(p.reason, dtype=object) if isinstance(p.reason, list)
                                    else np.full(len(p.pos), p.reason, dtype=object) for p in parts])
    frame = pd.DataFrame({col: out[col] for col in PEER_COLUMNS})
    for col in ("flag_type", "measure", "verdict", "reason"):
        frame[col] = frame[col].astype("str")
    return frame


def compare_measure(st: pd.DataFrame, m: Measure, settings: ModerationSettings, explain: bool = True,
                    allotment: Allotment | None = None) -> pd.DataFrame:
    """Each statement against its peers on one measure (statements in groups too small are 'too few to compare')."""
    S = _statements(st)
    return _frame(S, [_compare(S, m, settings, explain, allotment)])


def _reasons(S: _Statements, c: dict[str, np.ndarray], verdict: np.ndarray, m: Measure, family: int,
             kinds: int = 1) -> list[str]:
    """Why, in words, for each statement compared on one measure."""
    fmt = pct if m.unit == "share" else (lambda x: num(x, 0)) if m.unit == "minutes" else num
    pos, group = c["pos"], c["group"]
    values = c["value"].tolist()
    if m.unit == "share":
        n_col, k_col = SHARE_PARTS[m.key]
        ks, ns = S.st[k_col].to_numpy()[pos].tolist(), S.st[n_col].to_numpy()[pos].tolist()
        mine = [f"{k} of {n} objectives ({pct(v)}) {m.what}" for k, n, v in zip(ks, ns, values, strict=True)]
    else:
        mine = [f"{fmt(v)} {m.what}" for v in values]
    members: dict[int, list[int]] = {}
    for j, g in enumerate(group.tolist()):
        members.setdefault(g, []).append(j)
    value_arr = c["value"]
    said: dict[tuple, str] = {}  # what the peers have, by group and the value left out (the same words)
    kind = "share" if m.unit == "share" else "average"
    rows = zip(group.tolist(), verdict.tolist(), c["peer_mean"].tolist(), c["peer_ci_low"].tolist(),
               c["peer_ci_high"].tolist(), c["p_adjusted"].tolist(), strict=True)
    out = []
    for j, (g, v, mean, lo, hi, p_adj) in enumerate(rows):
        if v == "too few to compare":
            out.append(f"{mine[j]}; too few similar colleagues with figures to compare.")
            continue
        mates = members[g]
        key = (g, math.copysign(1.0, values[j]), values[j])
        words = said.get(key)
        if words is None:
            words = said[key] = values_words(value_arr[[k for k in mates if k != j]], fmt)
        who = f"{plural(len(mates) - 1, 'similar colleague')} ({S.groups[g]})"
        base = f"{mine[j]} where {who} have {words}"
        avg = f"their {kind} is {fmt(mean)} (95% interval {interval(lo, hi, fmt)})"
        if v == "flag":
            out.append(f"{base}; {avg}. Unlikely to be chance ({p_words(p_adj, family, kinds)}).")
        elif v == "note":
            if not math.isnan(p_adj):
                chance = p_words(p_adj, family, kinds)
            elif m.unit == "share":
                chance = "too few objectives to test"
            else:
                chance = (f"with {plural(len(mates), 'statement')} in the peer group, even the most unusual one "
                          f"comes up by chance {min(2, len(mates))} times in {len(mates)}, so no test can tell")
            out.append(f"{base}; {avg}. A gap worth a look, but it could be chance ({chance}).")
            continue
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
    group, groups = grouped.codes(st["peer_group"])
    ids, names, reviewers = st["staff_id"].tolist(), st["name"].tolist(), st["reviewer_id"].tolist()
    for flag_type, col, levels, phrase, _ in specs:
        vals = st[col].where(st[col].isin(levels).fillna(False))
        use = (st["peer_ok"] & vals.notna()).to_numpy(dtype=bool)
        if not use.any():
            continue
        v = vals.tolist()
        members: dict[int, list[int]] = {}
        for i in np.flatnonzero(use & (group >= 0)).tolist():
            members.setdefault(int(group[i]), []).append(i)
        for g in sorted(members):
            mates = members[g]
            n_peers = len(mates) - 1
            if n_peers < settings.min_peer_group - 1:
                continue
            same = Counter(v[i] for i in mates)
            grp = groups[g]
            for i in mates:
                val = v[i]
                k = same[val] - 1
                share = k / n_peers
                if share > 0.2:
                    continue
                chance = (k + 0.5) / (n_peers + 1)
                reason = (f"{phrase.format(v=words[val])}; {k} of {n_peers} similar colleagues ({grp}) were. "
                          f"If this statement were like theirs, an outcome like this would come up about "
                          f"1 time in {max(1, round(1 / chance))}: on its own one outcome cannot show inconsistency, "
                          "so look at it in moderation alongside the reviewer and equality comparisons.")
                rows.append({"flag_type": flag_type, "measure": col, "staff_id": ids[i],
                             "name": names[i], "reviewer_id": reviewers[i], "peer_group": grp,
                             "value": val, "n_group": n_peers + 1, "peers_same": k, "verdict": "note", "reason": reason})
    cols = ["flag_type", "measure", "staff_id", "name", "reviewer_id", "peer_group", "value", "n_group", "peers_same",
            "verdict", "reason"]
    return pd.DataFrame(rows, columns=cols)


def compare_peers(st: pd.DataFrame, settings: ModerationSettings, explain: bool = True,
                  allotment: Allotment | None = None) -> pd.DataFrame:
    """Every statement against its peers on every measure the data has (one row per statement and measure);
    ``allotment``: the share of the run's 5% each flag type has (default: each type on its own)."""
    # a measure with no figures at all (no sheet, or no objectives recorded) is not compared
    measures = [m for m in MEASURES
                if st[m.column].notna().any() and not (m.unit == "count" and st[m.column].fillna(0).eq(0).all())]
    if measures:
        S = _statements(st)
        parts = [p for p in (_compare(S, m, settings, explain, allotment) for m in measures) if len(p.pos)]
        if parts:
            return _frame(S, parts)
    return pd.DataFrame(columns=["flag_type", "measure", "staff_id", "verdict", "reason"])
