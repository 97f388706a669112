"""Reviewer consistency: is one reviewer harsher or more lenient than the others, once the mix of
their reviewees is allowed for?

Each reviewer with enough reviewees is compared with all the other reviewers together, within
peer groups (role group x responsibility x experience band), so that a reviewer of newly
qualified teachers is compared with how other reviewers treat newly qualified teachers.

* ``reviewer_pay``: share of pay-eligible reviewees recommended for no pay progression.
* ``reviewer_assessment``: share of assessed reviewees assessed as less than fully met.
* ``reviewer_objectives``: objectives per reviewee.

Tests are exact and conditional on the peer-group mix: for yes/no outcomes the stratified exact
test (Fisher's exact test when there is one peer group), for objectives the exact permutation
test of the reviewer's total with reviewer labels shuffled within peer groups. A comparison is
"too few to say" when either side has fewer than ``min_group`` reviewees, or when no possible
split of the outcomes could reach this kind's share of the run's 5% (the test cannot see anything
with these numbers; decided for each comparison on its own). Holm's method over the remaining reviewers keeps that share
(:mod:`pmreport.moderation.allotment`).

For yes/no outcomes the size of a difference is the common odds ratio against the other reviewers
within peer groups, with its exact conditional interval (both sides' counts are uncertain; an
observed/expected ratio with a Poisson interval treated the expected count as known and covered
the true ratio only about 82% of the time). What the reviewer's reviewees would be expected to get
at the other reviewers' rates in their peer groups is shown too, as a description.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pmreport.moderation.allotment import CROWDED, Allotment, verdict
from pmreport.moderation.clustered import is_pooled, latest_per_unit, person_sum_test
from pmreport.moderation.exact import ExactTest, conditional_odds_ratio, stratified_exact, stratified_sum_test, z_value
from pmreport.moderation.settings import ModerationSettings
from pmreport.moderation.text import interval, num, p_words, pct, plural

BINARY = (
    # flag type, column, values counted, event values, words for the event, who is counted
    ("reviewer_pay", "pay_recommended", ("progress", "no_progress"), ("no_progress",),
     "recommended no pay progression for", "pay-eligible reviewees"),
    ("reviewer_assessment", "assessment", ("met", "partly_met", "not_met"), ("partly_met", "not_met"),
     "assessed as less than fully met", "assessed reviewees"),
)


def _strata(d: pd.DataFrame) -> pd.Series:
    """Peer group, and the cycle when several cycles are pooled."""
    return d["cycle"].astype(str) + " | " + d["peer_group"].astype(str)


def _who(row: Mapping[str, Any]) -> str:
    name = row.get("reviewer_name")
    rid = row["reviewer_id"]
    return f"{name} ({rid})" if isinstance(name, str) and name else f"reviewer {rid}"


@dataclass
class _Reviews:
    """The columns every reviewer comparison needs, worked out once."""

    st: pd.DataFrame
    has_reviewer: np.ndarray  # bool
    reviewer: np.ndarray      # reviewer_id as text (object)
    strata: np.ndarray        # object: "cycle | peer group"
    strata_codes: np.ndarray  # codes of ``strata``
    pooled: bool              # several cycles: each person is one unit (pmreport.moderation.clustered)


def _reviews(st: pd.DataFrame) -> _Reviews:
    strata = _strata(st).to_numpy(dtype=object)
    return _Reviews(st=st, has_reviewer=st["reviewer_id"].notna().to_numpy(dtype=bool),
                    reviewer=st["reviewer_id"].astype(str).to_numpy(dtype=object), strata=strata,
                    strata_codes=pd.factorize(strata)[0], pooled=is_pooled(st["cycle"].to_numpy(dtype=object)))


def _person_test(R: _Reviews, keep: np.ndarray, mine: np.ndarray, value: np.ndarray) -> ExactTest:
    """Pooled cycles: the reviewer's reviewees against the others, each person one unit per side."""
    st = R.st
    return person_sum_test(st["staff_id"].to_numpy(dtype=object)[keep], st["cycle"].to_numpy(dtype=object)[keep],
                           st["peer_group"].astype(str).to_numpy(dtype=object)[keep], mine, value)


def _names(R: _Reviews, keep: np.ndarray) -> Mapping[Any, Any]:
    """Each reviewer's name: the first one recorded among the rows kept (as ``groupby(...).first()``)."""
    ids = R.st["reviewer_id"].to_numpy(dtype=object)[keep].tolist()
    name = R.st["reviewer_name"]
    known = name.notna().to_numpy(dtype=bool)[keep].tolist()
    values = name.to_numpy(dtype=object)[keep].tolist()
    out: dict[Any, Any] = {}
    for r, v, k in zip(ids, values, known, strict=True):
        if k and r not in out:
            out[r] = v
    if len(out) < len(set(ids)):  # a reviewer with no name recorded: missing, as pandas reports it
        if not isinstance(name.dtype, pd.StringDtype):
            return R.st[keep].groupby("reviewer_id")["reviewer_name"].first()
        for r in ids:
            out.setdefault(r, name.dtype.na_value)
    return out


def _binary(R: _Reviews, flag_type: str, col: str, counted: tuple, events: tuple, verb: str, who: str,
            settings: ModerationSettings) -> list[dict]:
    values = R.st[col]
    keep = values.isin(counted).fillna(False).to_numpy(dtype=bool) & R.has_reviewer
    if not keep.any():
        return []
    y = values.isin(events).to_numpy(dtype=bool)[keep]
    strata = R.strata_codes[keep]
    s_codes, _ = pd.factorize(strata)  # numbered in order of appearance, as factorizing the strata themselves
    s_codes[strata < 0] = -1
    r_codes, reviewers = pd.factorize(R.reviewer[keep], sort=True)
    shape = (s_codes.max() + 1, len(reviewers))
    n_sr = np.zeros(shape, dtype=int)
    e_sr = np.zeros(shape, dtype=int)
    np.add.at(n_sr, (s_codes, r_codes), 1)
    np.add.at(e_sr, (s_codes, r_codes), y.astype(int))
    n_s, e_s = n_sr.sum(axis=1), e_sr.sum(axis=1)
    names = _names(R, keep)
    n_all, e_all = len(y), int(y.sum())
    rows = []
    for j, r in enumerate(reviewers.tolist()):
        n_rs, o_rs = n_sr[:, j], e_sr[:, j]
        n_os, e_os = n_s - n_rs, e_s - o_rs
        n_r, o_r = int(n_rs.sum()), int(o_rs.sum())
        n_other = n_all - n_r
        inf = (n_rs > 0) & (n_os > 0)
        expected = float((n_rs[inf] * e_os[inf] / n_os[inf]).sum())
        n_inf = int(n_rs[inf].sum())
        row = {"flag_type": flag_type, "reviewer_id": r, "reviewer_name": names.get(r, pd.NA), "reviewees": n_r,
               "events": o_r, "rate": o_r / n_r if n_r else math.nan, "others": n_other,
               "others_events": e_all - o_r, "comparable_reviewees": n_inf, "expected": expected,
               "others_rate_standardised": expected / n_inf if n_inf else math.nan}
        row["odds_ratio"], row["or_low"], row["or_high"] = _odds_ratio(R, keep, y, s_codes, r_codes == j, settings)
        if n_r < settings.min_group or n_other < settings.min_group:
            row.update(p_value=math.nan, p_min=math.nan)
        else:
            used = n_rs > 0
            test = (_person_test(R, keep, r_codes == j, y.astype(int)) if R.pooled else
                    stratified_exact(list(zip(n_rs[used], n_os[used], e_s[used], strict=True)), o_r))
            row.update(p_value=test.p_value, p_min=test.p_min)
        row["_verb"], row["_who"] = verb, who
        rows.append(row)
    return rows


def _odds_ratio(R: _Reviews, keep: np.ndarray, y: np.ndarray, strata: np.ndarray, mine: np.ndarray,
                settings: ModerationSettings) -> tuple[float, float, float]:
    """The reviewer's common odds ratio against the other reviewers within strata, with its exact
    conditional interval (:func:`conditional_odds_ratio`). With pooled cycles each person counts
    once per side, at their latest cycle, so that people in several cycles do not narrow it."""
    use = np.ones(len(y), dtype=bool)
    if R.pooled:
        use = latest_per_unit(R.st["staff_id"].to_numpy(dtype=object)[keep], R.st["cycle"].to_numpy(dtype=object)[keep],
                              mine)
    k = int(strata.max()) + 1 if len(strata) else 0
    n_r = np.bincount(strata[use & mine], minlength=k)
    n_o = np.bincount(strata[use & ~mine], minlength=k)
    e = np.bincount(strata[use & y], minlength=k)
    both = (n_r > 0) & (n_o > 0)
    if not both.any():
        return (math.nan, math.nan, math.nan)
    observed = int((use & mine & y).sum()) - int(np.bincount(strata[use & mine & y], minlength=k)[~both].sum())
    return conditional_odds_ratio(list(zip(n_r[both], n_o[both], e[both], strict=True)), observed, settings.level)


def _binary_words(row: Mapping[str, Any], family: int, span: str = "") -> str:
    who = _who(row)
    base = (f"{who} {row['_verb']} {row['events']} of {plural(int(row['reviewees']), row['_who'][:-1], row['_who'])} "
            f"({pct(row['rate'])}){span}")
    if row["comparable_reviewees"] == 0:
        return f"{base}; no other reviewer has reviewees like theirs to compare with."
    if row["verdict"] == "too few to say":
        return f"{base}; too few to say how this compares with the other reviewers."
    exp = (f"the other reviewers, with reviewees like theirs, did so for {pct(row['others_rate_standardised'])} "
           f"(about {num(row['expected'])} of {row['comparable_reviewees']} expected)")
    if math.isnan(row["odds_ratio"]):
        size = "the numbers leave the size of any difference open"
    else:
        shown = lambda x: "infinity" if math.isinf(x) else num(x, 2)  # noqa: E731
        size = (f"odds ratio against the other reviewers {shown(row['odds_ratio'])} (95% interval "
                f"{interval(row['or_low'], row['or_high'], shown)})")
    tail = {"flag": "Unlikely to be chance", "no flag": "Could be chance"}[row["verdict"]]
    wide = ""
    if row["verdict"] == "no flag" and row["or_low"] < 0.67 and row["or_high"] > 1.5:
        wide = "; the interval is wide, so a real difference is not ruled out either"
    return f"{base}; {exp}; {size}. {tail} ({p_words(row['p_adjusted'], family, row['_kinds']) or CROWDED}){wide}."


def _objectives(R: _Reviews, settings: ModerationSettings) -> list[dict]:
    keep = R.has_reviewer
    if not keep.any():
        return []
    vals = R.st["n_objectives"].to_numpy()[keep].astype(int)
    if int(vals.sum()) == 0:
        return []
    rev = R.reviewer[keep]
    strata = R.strata[keep]
    names = _names(R, keep)
    codes, uniques = pd.factorize(strata, sort=True)
    in_stratum = [codes == c for c in range(len(uniques))]
    by_stratum = [vals[m] for m in in_stratum]
    # pooled within-stratum variance, for an approximate interval on the difference
    size = np.bincount(codes, minlength=len(uniques))
    mean = np.bincount(codes, weights=vals.astype(float), minlength=len(uniques)) / size
    resid = vals - mean[codes]
    df_pool = len(vals) - len(uniques)
    var = float((resid ** 2).sum() / df_pool) if df_pool > 0 else math.nan
    rows = []
    for r in sorted(set(rev.tolist())):
        mask = rev == r
        n_r = int(mask.sum())
        row = {"flag_type": "reviewer_objectives", "reviewer_id": r, "reviewer_name": names.get(r, pd.NA),
               "reviewees": n_r, "mean": float(vals[mask].mean()), "others": len(vals) - n_r}
        args, exp_sum, n_inf, obs_inf, var_sum = [], 0.0, 0, 0.0, 0.0
        for c in np.unique(codes[mask]).tolist():
            in_s = in_stratum[c]
            k = int((mask & in_s).sum())
            args.append((by_stratum[c], k))
            others = vals[in_s & ~mask]
            if len(others):
                exp_sum += k * others.mean()
                n_inf += k
                obs_inf += vals[mask & in_s].sum()
                var_sum += var * k * k / len(others)
        row["comparable_reviewees"] = n_inf
        row["expected_mean"] = exp_sum / n_inf if n_inf else math.nan
        row["difference"] = obs_inf / n_inf - row["expected_mean"] if n_inf else math.nan
        half = z_value(settings.level) * math.sqrt(var / n_inf + var_sum / n_inf ** 2) if n_inf and not math.isnan(var) else math.nan
        row["difference_low"], row["difference_high"] = row["difference"] - half, row["difference"] + half
        if n_r < settings.min_group or row["others"] < settings.min_group:
            row.update(p_value=math.nan, p_min=math.nan)
        else:
            test = (_person_test(R, keep, mask, vals) if R.pooled else
                    stratified_sum_test(args, int(vals[mask].sum())))
            row.update(p_value=test.p_value, p_min=test.p_min)
        rows.append(row)
    return rows


def _objectives_words(row: Mapping[str, Any], family: int, span: str = "") -> str:
    who = _who(row)
    n = int(row["reviewees"])
    base = (f"{who}'s {plural(n, 'reviewee')} {'has' if n == 1 else 'have'} {num(row['mean'])} "
            f"objective{'' if row['mean'] == 1 else 's'}{'' if n == 1 else ' each on average'}{span}")
    if row["comparable_reviewees"] == 0:
        return f"{base}; no other reviewer has reviewees like theirs to compare with."
    if row["verdict"] == "too few to say":
        return f"{base}; too few to say how this compares with the other reviewers."
    diff = row["difference"]
    more = "more" if diff >= 0 else "fewer"
    tail = {"flag": "Unlikely to be chance", "no flag": "Could be chance"}[row["verdict"]]
    return (f"{base}; the other reviewers give reviewees like theirs {num(row['expected_mean'])}, "
            f"so {num(abs(diff))} {more} per reviewee (95% interval about "
            f"{interval(row['difference_low'], row['difference_high'], lambda x: f'{x:+.1f}')}). "
            f"{tail} ({p_words(row['p_adjusted'], family, row['_kinds']) or CROWDED}).")


def compare_reviewers(st: pd.DataFrame, settings: ModerationSettings, explain: bool = True,
                      allotment: Allotment | None = None) -> pd.DataFrame:
    """One row per reviewer and flag type, with verdict ('flag', 'no flag', 'too few to say') and reason.

    When ``st`` holds several cycles they are pooled (each reviewee one unit per side, see
    :mod:`pmreport.moderation.clustered`). ``allotment``: the share of the run's 5% each flag type
    has (default: each type on its own)."""
    allot = allotment or Allotment(settings.alpha)
    cycles = sorted(st["cycle"].dropna().astype(str).unique())
    span = f" over {cycles[0]} to {cycles[-1]} (each cycle's reviews counted)" if len(cycles) > 1 else ""
    R = _reviews(st)
    parts: list[tuple[list[dict], Callable[..., str]]] = []
    for flag_type, col, counted, events, verb, who in BINARY:
        parts.append((_binary(R, flag_type, col, counted, events, verb, who, settings), _binary_words))
    parts.append((_objectives(R, settings), _objectives_words))
    out: list[dict] = []
    for rows, words in parts:
        if not rows:
            continue
        p = np.array([row["p_value"] for row in rows], dtype=float)
        p_min = np.array([row["p_min"] for row in rows], dtype=float)
        adjusted = allot.adjust(p, p_min).tolist()
        family = sum(not math.isnan(x) for x in adjusted)
        for row, adj in zip(rows, adjusted, strict=True):
            row.update(p_adjusted=adj, family_size=family, _kinds=allot.kinds,
                       verdict=verdict(adj, row["p_min"], allot))
            row["reason"] = words(row, family, span) if explain else ""
            row.pop("_verb", None)
            row.pop("_who", None)
            row.pop("_kinds", None)
        out.extend(rows)
    if not out:
        return pd.DataFrame(columns=["flag_type", "reviewer_id", "verdict", "reason"])
    return pd.DataFrame(out)
