"""Equality: pay progression, assessments and development not provided, by each protected
characteristic present in the data (policy §5 "with regard to equality legislation"; Equality
Act 2010).

For each characteristic one comparison is tested, fixed in advance so that the number of tests
does not grow with the data: women / men; all other ethnic groups / White British (major groups
from data_schemas/staff.yaml, "not known" left out); disabled / not disabled; staff aged
``age_test_from`` (50) and over / everyone younger; part-time / full-time; pregnant or on
maternity leave / not; and for religion or belief and sexual orientation, everyone else / the
largest recorded group. Every group (each age band of pmreport.school_year) is also shown on
its own with its rate and interval.

* Rates with Wilson 95% intervals; rate ratios (group / comparison) stratified the same way as the
  test: the Mantel-Haenszel rate ratio over role groups (and cycles) with the Greenland-Robins
  interval (0.5 added to every cell when a side has no events), so that a different mix of role
  groups cannot reverse the comparison (Simpson's paradox).
* The test is exact and conditional: Fisher's exact test, stratified by role group (teachers and
  support staff have different pay systems) - the exact conditional test of a common odds ratio
  (the exact form of the Cochran-Mantel-Haenszel test) when there is more than one. With pooled
  cycles each person is one unit (:mod:`pmreport.moderation.clustered`).
* **Too few to say**: either side has fewer than ``min_group`` people with the outcome
  recorded, or the numbers are so small that even the most lopsided possible split of the
  outcomes could not reach the type's share of the 5% - decided for each comparison on its own,
  whatever else is in the family. Such comparisons get no verdict. Tarone's rule (see
  :func:`pmreport.moderation.exact.tarone`) then chooses the family from the rest; one it leaves
  out is "no flag" with no adjusted p-value.
* Holm's method over all characteristics tested for one outcome keeps that flag type's share of
  the run's 5% (:mod:`pmreport.moderation.allotment`).

Flag types: ``equality_pay``, ``equality_assessment`` (tested as "fully met" against anything
less; the other outcomes are described), ``equality_development``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmreport.moderation.allotment import CROWDED, Allotment, verdict
from pmreport.moderation.clustered import is_pooled, latest_per_unit, person_sum_test
from pmreport.moderation.exact import mh_rate_ratio, stratified_exact, wilson
from pmreport.moderation.settings import ModerationSettings
from pmreport.moderation.text import interval, num, p_words, pct

ETHNIC_WORDS = {"white_british": "White British", "white_other": "White other", "mixed": "Mixed", "asian": "Asian",
                "black": "Black", "chinese": "Chinese", "other": "Other ethnic group"}


@dataclass(frozen=True)
class EqualityOutcome:
    flag_type: str
    key: str
    label: str
    eligible: pd.Series   # bool: counted for this outcome
    event: pd.Series      # bool: had the outcome
    tested: bool = True


@dataclass(frozen=True)
class _Split:
    """A contrast as plain arrays, one entry per statement."""

    key: str
    label: str
    focus: str
    reference: str
    groups: np.ndarray    # object: the statement's group in words, None where not recorded
    known: np.ndarray     # bool: whether the statement is in the focus group is known
    in_focus: np.ndarray  # bool (False where not known)


@dataclass(frozen=True)
class _Result:
    """An outcome as plain arrays, one entry per statement."""

    outcome: EqualityOutcome
    eligible: np.ndarray  # bool
    event: np.ndarray     # bool


def _text(values: pd.Series | list) -> np.ndarray:
    """Values as text (as ``astype("string")`` gives them), None where missing."""
    s = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    return s.astype("string").to_numpy(dtype=object, na_value=None)


def _yes_no(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(yes, known) of a yes/no column."""
    b = series.astype("boolean")
    return b.to_numpy(dtype=bool, na_value=False), b.notna().to_numpy(dtype=bool)


def _present(values: np.ndarray) -> np.ndarray:
    return np.array([v is not None for v in values.tolist()], dtype=bool)


def _splits(st: pd.DataFrame, settings: ModerationSettings) -> list[_Split]:
    """The comparisons the data supports: a characteristic needs at least two recorded groups."""
    out: list[_Split] = []

    def add(key: str, label: str, groups: np.ndarray, in_focus: np.ndarray, focus_known: np.ndarray, focus: str,
            reference: str) -> None:
        has = _present(groups)
        if len(set(groups[has].tolist())) < 2:
            return
        known = has & focus_known
        out.append(_Split(key, label, focus, reference, groups, known, in_focus & known))

    def yes_no(key: str, label: str, yes_words: str, no_words: str, focus: str, reference: str) -> None:
        yes, known = _yes_no(st[key])
        groups = np.array([(yes_words if y else no_words) if k else None
                           for y, k in zip(yes.tolist(), known.tolist(), strict=True)], dtype=object)
        add(key, label, groups, yes, known, focus, reference)

    text = _text(st["sex"])
    sex = np.array([t if ok else None for t, ok in
                    zip(text.tolist(), st["sex"].isin(["male", "female"]).fillna(False).tolist(), strict=True)],
                   dtype=object)
    add("sex", "Sex", _text([{"male": "men", "female": "women"}.get(x) for x in sex.tolist()]), sex == "female",
        _present(sex), "women", "men")
    eth = np.array([None if g is None or g == "not_known" else g
                    for g in st["ethnicity_group"].to_numpy(dtype=object, na_value=None).tolist()], dtype=object)
    add("ethnicity", "Ethnicity", _text([ETHNIC_WORDS.get(g, g) if g is not None else None for g in eth.tolist()]),
        eth != "white_british", _present(eth), "all other ethnic groups", "White British")
    yes_no("disability", "Disability", "disabled", "not disabled", "disabled", "not disabled")
    age = _text(st["age_band"])
    years = st["age_years"] if "age_years" in st.columns else pd.Series(np.nan, index=st.index)  # absent: not known
    older = (pd.to_numeric(years, errors="coerce") >= settings.age_test_from).to_numpy(dtype=bool)
    add("age", "Age", age, older, _present(age), f"{settings.age_test_from} and over", f"under {settings.age_test_from}")
    yes_no("part_time", "Working pattern", "part-time", "full-time", "part-time", "full-time")
    yes_no("pregnancy_maternity", "Pregnancy and maternity", "pregnant or on maternity leave", "not",
           "pregnant or on maternity leave", "everyone else")
    for key, label in (("religion_belief", "Religion or belief"), ("sexual_orientation", "Sexual orientation")):
        vals = st[key].astype("string").str.strip().to_numpy(dtype=object, na_value=None)
        counts = Counter(v for v in vals.tolist() if v is not None)
        if len(counts) < 2:
            continue
        most = max(counts.values())
        largest = min(v for v, c in counts.items() if c == most)  # the most common; the first in order if tied
        add(key, label, vals, vals != largest, _present(vals), f"all other than '{largest}'", str(largest))
    return out


def outcomes(st: pd.DataFrame) -> list[EqualityOutcome]:
    out = [EqualityOutcome("equality_pay", "pay_progression", "pay progression (of those eligible)",
                   st["pay_outcome"].notna(), st["pay_outcome"] == "progress")]
    assessed = st["assessment"].isin(["met", "partly_met", "not_met"]).fillna(False)
    for level, words, tested in (("met", "assessed as fully met", True), ("partly_met", "assessed as partly met", False),
                                 ("not_met", "assessed as not met", False)):
        out.append(EqualityOutcome("equality_assessment", f"assessment_{level}", words, assessed, st["assessment"] == level, tested))
    if st["development_agreed"].notna().any():
        agreed = st["development_agreed"].fillna(0) > 0
        out.append(EqualityOutcome("equality_development", "development_not_provided",
                           "agreed development not (fully) provided (of those with development agreed)",
                           agreed, st["development_not_provided"].fillna(0) > 0))
    return out


def _results(st: pd.DataFrame) -> list[_Result]:
    return [_Result(o, o.eligible.fillna(False).to_numpy(dtype=bool), o.event.fillna(False).to_numpy(dtype=bool))
            for o in outcomes(st)]


def _test_row(c: _Split, r: _Result, strata: np.ndarray, settings: ModerationSettings,
              people: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> dict:
    """One contrast on one outcome. ``people`` (staff reference, cycle, role group per statement)
    when several cycles are pooled: then each person is one unit on each side."""
    o = r.outcome
    use = r.eligible & c.known
    focus = c.in_focus[use]
    ev = r.event[use]
    strata = strata[use]
    n1, a = int(focus.sum()), int((focus & ev).sum())
    n0, b = int((~focus).sum()), int((~focus & ev).sum())
    # the size, stratified as the test is (with pooled cycles, each person once per side)
    once = latest_per_unit(people[0][use], people[1][use], focus) if people is not None else np.ones(len(ev), dtype=bool)
    k = int(strata.max()) + 1 if len(strata) else 0
    rr, lo, hi = mh_rate_ratio(list(zip(np.bincount(strata[once & focus & ev], minlength=k),
                                        np.bincount(strata[once & focus], minlength=k),
                                        np.bincount(strata[once & ~focus & ev], minlength=k),
                                        np.bincount(strata[once & ~focus], minlength=k), strict=True)), settings.level)
    row = {"flag_type": o.flag_type, "outcome": o.key, "outcome_words": o.label, "characteristic": c.key,
           "characteristic_words": c.label, "group": c.focus, "comparison": c.reference,
           "n_group": n1, "events_group": a, "rate_group": a / n1 if n1 else math.nan,
           "n_comparison": n0, "events_comparison": b, "rate_comparison": b / n0 if n0 else math.nan,
           "rate_ratio": rr, "rr_low": lo, "rr_high": hi, "tested": o.tested}
    row["rate_group_low"], row["rate_group_high"] = wilson(a, n1, settings.level)
    row["rate_comparison_low"], row["rate_comparison_high"] = wilson(b, n0, settings.level)
    if not o.tested or n1 < settings.min_group or n0 < settings.min_group:
        row.update(p_value=math.nan, p_min=math.nan)
        return row
    g_s = np.bincount(strata[focus], minlength=k)
    o_s = np.bincount(strata[~focus], minlength=k)
    e_s = np.bincount(strata[ev], minlength=k)
    if people is not None:
        person, cycle, role = (x[use] for x in people)
        test = person_sum_test(person, cycle, role, focus, ev.astype(int))
    else:
        test = stratified_exact(list(zip(g_s, o_s, e_s, strict=True)), a)
    row.update(p_value=test.p_value, p_min=test.p_min)
    return row


def _words(row: pd.Series, span: str = "") -> str:
    g = (f"{row['group']}: {row['events_group']} of {row['n_group']} ({pct(row['rate_group'])}, 95% interval "
         f"{interval(row['rate_group_low'], row['rate_group_high'], pct)})")
    r = (f"{row['comparison']}: {row['events_comparison']} of {row['n_comparison']} ({pct(row['rate_comparison'])}, "
         f"{interval(row['rate_comparison_low'], row['rate_comparison_high'], pct)})")
    head = f"{row['characteristic_words']}, {row['outcome_words']}{span} - {g}; {r}"
    if not math.isnan(row["rate_ratio"]):
        head += (f"; rate ratio within role groups {num(row['rate_ratio'], 2)} (95% interval "
                 f"{interval(row['rr_low'], row['rr_high'], lambda x: num(x, 2))})")
    v = row["verdict"]
    if v == "described only":
        return f"{head}. Described only: the test for assessments is of 'fully met' against anything less."
    if v == "too few to say":
        why = (f"fewer than {row['min_group']} people on one side" if min(row["n_group"], row["n_comparison"]) < row["min_group"]
               else "the numbers are so small that no split of the outcomes could stand out from chance")
        return f"{head}. Too few to say ({why})."
    tail = p_words(row["p_adjusted"], int(row["family_size"]), int(row.get("kinds", 1))) or CROWDED
    if v == "flag":
        return f"{head}. A difference unlikely to be chance ({tail}); the head should look into it."
    wide = ""
    if row["rr_low"] < 0.67 and row["rr_high"] > 1.5:
        wide = " The interval is wide: a real difference of some size is not ruled out, so keep watching over the years."
    return f"{head}. No clear difference; could be chance ({tail}).{wide}"


EQUALITY_COLUMNS = ["flag_type", "outcome", "characteristic", "group", "comparison", "n_group", "events_group",
                    "rate_group", "n_comparison", "events_comparison", "rate_comparison", "rate_ratio", "rr_low",
                    "rr_high", "p_value", "p_min", "p_adjusted", "family_size", "verdict", "reason"]
RATE_COLUMNS = ["characteristic", "group", "outcome", "people", "with_outcome", "rate", "rate_low", "rate_high"]


def _compare(st: pd.DataFrame, splits: list[_Split], results: list[_Result], settings: ModerationSettings,
             explain: bool, allotment: Allotment | None = None) -> pd.DataFrame:
    allot = allotment or Allotment(settings.alpha)
    strata = pd.factorize(st["cycle"].astype(str) + " | " + st["role_group"].astype(str))[0]
    people = None
    if is_pooled(st["cycle"].to_numpy(dtype=object)):
        people = (st["staff_id"].to_numpy(dtype=object), st["cycle"].to_numpy(dtype=object),
                  st["role_group"].astype(str).to_numpy(dtype=object))
    rows = [_test_row(c, r, strata, settings, people) for r in results for c in splits]
    if not rows:
        return pd.DataFrame(columns=EQUALITY_COLUMNS)
    by_type: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_type.setdefault(row["flag_type"], []).append(i)
    for idx in by_type.values():
        p = np.array([rows[i]["p_value"] for i in idx], dtype=float)
        p_min = np.array([rows[i]["p_min"] for i in idx], dtype=float)
        adjusted = allot.adjust(p, p_min).tolist()
        family = sum(not math.isnan(x) for x in adjusted)
        for i, adj in zip(idx, adjusted, strict=True):
            rows[i].update(p_adjusted=adj, family_size=family)
    for row in rows:
        row["verdict"] = "described only" if not row["tested"] else verdict(row["p_adjusted"], row["p_min"], allot)
    cycles = sorted(st["cycle"].dropna().astype(str).unique())
    span = f", {cycles[0]} to {cycles[-1]} (each person counted once per cycle)" if len(cycles) > 1 else ""
    for row in rows:
        row["reason"] = _words({**row, "min_group": settings.min_group, "kinds": allot.kinds}, span) if explain else ""
    extra = [c for c in rows[0] if c not in EQUALITY_COLUMNS]
    return pd.DataFrame(rows, columns=EQUALITY_COLUMNS + extra)


def _rates(splits: list[_Split], results: list[_Result], settings: ModerationSettings) -> pd.DataFrame:
    rows = []
    for c in splits:
        has = _present(c.groups)
        names = sorted(set(c.groups[has].tolist()))
        code = {g: i for i, g in enumerate(names)}
        codes = np.array([code.get(g, -1) for g in c.groups.tolist()], dtype=np.intp)
        for r in results:
            use = r.eligible & has
            people = np.bincount(codes[use], minlength=len(names))
            events = np.bincount(codes[use & r.event], minlength=len(names))
            for i, grp in enumerate(names):
                n, k = int(people[i]), int(events[i])
                if not n:
                    continue
                lo, hi = wilson(k, n, settings.level)
                rows.append({"characteristic": c.key, "group": grp, "outcome": r.outcome.key, "people": n,
                             "with_outcome": k, "rate": k / n if n else math.nan, "rate_low": lo, "rate_high": hi})
    return pd.DataFrame(rows, columns=RATE_COLUMNS)


def compare_groups(st: pd.DataFrame, settings: ModerationSettings, explain: bool = True,
                   allotment: Allotment | None = None) -> pd.DataFrame:
    """One row per outcome and characteristic contrast, with verdict and reason (``allotment``: the
    share of the run's 5% each flag type has; default each type on its own)."""
    return _compare(st, _splits(st, settings), _results(st), settings, explain, allotment)


def group_rates(st: pd.DataFrame, settings: ModerationSettings) -> pd.DataFrame:
    """Every recorded group of every characteristic on its own: counts and rates (no names).
    The figures for governors and unions, once the disclosure gate has suppressed small cells."""
    return _rates(_splits(st, settings), _results(st), settings)


def compare_groups_and_rates(st: pd.DataFrame, settings: ModerationSettings, explain: bool = True,
                             allotment: Allotment | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`compare_groups` and (when ``explain``) :func:`group_rates` of the same statements, sharing
    the work; without ``explain`` the rates table is empty."""
    splits, results = _splits(st, settings), _results(st)
    rates = _rates(splits, results, settings) if explain else pd.DataFrame([], columns=RATE_COLUMNS)
    return _compare(st, splits, results, settings, explain, allotment), rates
