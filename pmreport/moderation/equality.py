"""Equality: pay progression, assessments and development not provided, by each protected
characteristic present in the data (policy §5 "with regard to equality legislation"; Equality
Act 2010).

For each characteristic one comparison is tested, fixed in advance so that the number of tests
does not grow with the data: women / men; all other ethnic groups / White British (major groups
from data_schemas/staff.yaml, "not known" left out); disabled / not disabled; the oldest age
band / everyone younger; part-time / full-time; pregnant or on maternity leave / not; and for
religion or belief and sexual orientation, everyone else / the largest recorded group. Every
group is also shown on its own with its rate and interval.

* Rates with Wilson 95% intervals; rate ratios (group / comparison) with the Katz log interval
  (0.5 added to every cell when one is empty).
* The test is exact and conditional: Fisher's exact test, stratified by role group (teachers and
  support staff have different pay systems) - Zelen's exact test when there is more than one.
* **Too few to say**: either side has fewer than ``min_group`` people with the outcome
  recorded, or the numbers are so small that even the most lopsided possible split of the
  outcomes could not be flagged (Tarone's rule, see :func:`pmreport.moderation.exact.tarone`).
  Such comparisons get no verdict and are not counted in the multiple-comparison family.
* Holm's method over all characteristics tested for one outcome keeps the chance of any false
  flag of that outcome in a school at most 5%.

Flag types: ``equality_pay``, ``equality_assessment`` (tested as "fully met" against anything
less; the other outcomes are described), ``equality_development``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmreport.moderation.exact import holm, katz_rate_ratio, stratified_exact, tarone, wilson
from pmreport.moderation.settings import ModerationSettings
from pmreport.moderation.statements import age_band_labels
from pmreport.moderation.text import interval, num, p_words, pct

ETHNIC_WORDS = {"white_british": "White British", "white_other": "White other", "mixed": "Mixed", "asian": "Asian",
                "black": "Black", "chinese": "Chinese", "other": "Other ethnic group"}


@dataclass(frozen=True)
class Contrast:
    key: str          # characteristic
    label: str        # words
    groups: pd.Series  # group label per statement (NA = not recorded)
    focus: str        # words for the group tested
    reference: str    # words for the comparison group
    in_focus: pd.Series  # bool per statement (NA where not recorded)


@dataclass(frozen=True)
class Outcome:
    flag_type: str
    key: str
    label: str
    eligible: pd.Series   # bool: counted for this outcome
    event: pd.Series      # bool: had the outcome
    tested: bool = True


def _yes_no(series: pd.Series) -> pd.Series:
    return series.astype("boolean")


def contrasts(st: pd.DataFrame, settings: ModerationSettings) -> list[Contrast]:
    """The comparisons the data supports: a characteristic needs at least two recorded groups."""
    out: list[Contrast] = []

    def add(key, label, groups, focus_mask, focus, reference):
        groups = groups.astype("string")
        if groups.dropna().nunique() < 2:
            return
        out.append(Contrast(key, label, groups, focus, reference, focus_mask.astype("boolean").where(groups.notna())))

    sex = st["sex"].astype("string").where(st["sex"].isin(["male", "female"]).fillna(False))
    add("sex", "Sex", sex.map({"male": "men", "female": "women"}), sex == "female", "women", "men")
    eth = st["ethnicity_group"].where(st["ethnicity_group"] != "not_known")
    add("ethnicity", "Ethnicity", eth.map(lambda g: ETHNIC_WORDS.get(g, g) if pd.notna(g) else pd.NA),
        eth != "white_british", "all other ethnic groups", "White British")
    dis = _yes_no(st["disability"])
    add("disability", "Disability", dis.map({True: "disabled", False: "not disabled"}), dis, "disabled", "not disabled")
    labels = age_band_labels(settings)
    add("age", "Age", st["age_band"], st["age_band"] == labels[-1], labels[-1], f"under {settings.age_bands[-1]}")
    pt = _yes_no(st["part_time"])
    add("part_time", "Working pattern", pt.map({True: "part-time", False: "full-time"}), pt, "part-time", "full-time")
    pm = _yes_no(st["pregnancy_maternity"])
    add("pregnancy_maternity", "Pregnancy and maternity", pm.map({True: "pregnant or on maternity leave", False: "not"}),
        pm, "pregnant or on maternity leave", "everyone else")
    for key, label in (("religion_belief", "Religion or belief"), ("sexual_orientation", "Sexual orientation")):
        vals = st[key].astype("string").str.strip()
        if vals.dropna().nunique() < 2:
            continue
        largest = vals.value_counts().sort_index().sort_values(ascending=False, kind="stable").index[0]
        add(key, label, vals, vals != largest, f"all other than '{largest}'", str(largest))
    return out


def outcomes(st: pd.DataFrame) -> list[Outcome]:
    out = [Outcome("equality_pay", "pay_progression", "pay progression (of those eligible)",
                   st["pay_outcome"].notna(), st["pay_outcome"] == "progress")]
    assessed = st["assessment"].isin(["met", "partly_met", "not_met"]).fillna(False)
    for level, words, tested in (("met", "assessed as fully met", True), ("partly_met", "assessed as partly met", False),
                                 ("not_met", "assessed as not met", False)):
        out.append(Outcome("equality_assessment", f"assessment_{level}", words, assessed, st["assessment"] == level, tested))
    if st["development_agreed"].notna().any():
        agreed = st["development_agreed"].fillna(0) > 0
        out.append(Outcome("equality_development", "development_not_provided",
                           "agreed development not (fully) provided (of those with development agreed)",
                           agreed, st["development_not_provided"].fillna(0) > 0))
    return out


def _test_row(c: Contrast, o: Outcome, strata: np.ndarray, settings: ModerationSettings) -> dict:
    known = c.in_focus.notna().to_numpy()
    use = o.eligible.fillna(False).to_numpy(dtype=bool) & known
    focus = c.in_focus.fillna(False).to_numpy(dtype=bool)[use]
    ev = o.event.fillna(False).to_numpy(dtype=bool)[use]
    strata = strata[use]
    n1, a = int(focus.sum()), int((focus & ev).sum())
    n0, b = int((~focus).sum()), int((~focus & ev).sum())
    rr, lo, hi = katz_rate_ratio(a, n1, b, n0, settings.level)
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
    k = int(strata.max()) + 1 if len(strata) else 0
    g_s = np.bincount(strata[focus], minlength=k)
    o_s = np.bincount(strata[~focus], minlength=k)
    e_s = np.bincount(strata[ev], minlength=k)
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
        head += (f"; rate ratio {num(row['rate_ratio'], 2)} (95% interval "
                 f"{interval(row['rr_low'], row['rr_high'], lambda x: num(x, 2))})")
    v = row["verdict"]
    if v == "described only":
        return f"{head}. Described only: the test for assessments is of 'fully met' against anything less."
    if v == "too few to say":
        why = (f"fewer than {row['min_group']} people on one side" if min(row["n_group"], row["n_comparison"]) < row["min_group"]
               else "the numbers are so small that no split of the outcomes could stand out from chance, "
                    "allowing for the other comparisons")
        return f"{head}. Too few to say ({why})."
    tail = p_words(row["p_adjusted"], int(row["family_size"]))
    if v == "flag":
        return f"{head}. A difference unlikely to be chance ({tail}); the head should look into it."
    wide = ""
    if row["rr_low"] < 0.67 and row["rr_high"] > 1.5:
        wide = " The interval is wide: a real difference of some size is not ruled out, so keep watching over the years."
    return f"{head}. No clear difference; could be chance ({tail}).{wide}"


def compare_groups(st: pd.DataFrame, settings: ModerationSettings, explain: bool = True) -> pd.DataFrame:
    """One row per outcome and characteristic contrast, with verdict and reason."""
    cs = contrasts(st, settings)
    strata = pd.factorize(st["cycle"].astype(str) + " | " + st["role_group"].astype(str))[0]
    rows = [_test_row(c, o, strata, settings) for o in outcomes(st) for c in cs]
    cols = ["flag_type", "outcome", "characteristic", "group", "comparison", "n_group", "events_group", "rate_group",
            "n_comparison", "events_comparison", "rate_comparison", "rate_ratio", "rr_low", "rr_high", "p_value",
            "p_min", "p_adjusted", "family_size", "verdict", "reason"]
    if not rows:
        return pd.DataFrame(columns=cols)
    d = pd.DataFrame(rows)
    d["p_adjusted"] = np.nan
    d["family_size"] = 0
    for _ft, idx in d.groupby("flag_type").groups.items():
        sub = d.loc[idx]
        keep = tarone(sub["p_min"].to_numpy(), settings.alpha)
        d.loc[idx, "p_adjusted"] = holm(sub["p_value"].to_numpy(), keep)
        d.loc[idx, "family_size"] = int(d.loc[idx, "p_adjusted"].notna().sum())
    d["min_group"] = settings.min_group
    d["verdict"] = np.where(~d["tested"], "described only",
                            np.where(d["p_adjusted"].isna(), "too few to say",
                                     np.where(d["p_adjusted"] <= settings.alpha, "flag", "no flag")))
    cycles = sorted(st["cycle"].dropna().astype(str).unique())
    span = f", {cycles[0]} to {cycles[-1]} (each person counted once per cycle)" if len(cycles) > 1 else ""
    d["reason"] = [_words(r, span) for _, r in d.iterrows()] if explain else ""
    extra = [c for c in d.columns if c not in cols]
    return d[cols + extra].drop(columns=["min_group"])


def group_rates(st: pd.DataFrame, settings: ModerationSettings) -> pd.DataFrame:
    """Every recorded group of every characteristic on its own: counts and rates (no names).
    The figures for governors and unions, once the disclosure gate has suppressed small cells."""
    rows = []
    for c in contrasts(st, settings):
        for o in outcomes(st):
            use = o.eligible.fillna(False).astype(bool) & c.groups.notna()
            g = c.groups[use]
            ev = o.event[use].fillna(False).astype(bool)
            for grp in sorted(g.unique()):
                m = (g == grp).to_numpy()
                n, k = int(m.sum()), int(ev.to_numpy()[m].sum())
                lo, hi = wilson(k, n, settings.level)
                rows.append({"characteristic": c.key, "group": grp, "outcome": o.key, "people": n, "with_outcome": k,
                             "rate": k / n if n else math.nan, "rate_low": lo, "rate_high": hi})
    return pd.DataFrame(rows, columns=["characteristic", "group", "outcome", "people", "with_outcome", "rate",
                                       "rate_low", "rate_high"])
