"""How sure a pooled percentage is, allowing for staff in the same school being alike.

Staff of one school share a head, a pay committee and a way of doing things, so their outcomes go
together: 600 staff in 30 schools tell less than 600 staff picked independently would. The
percentage itself is the plain ratio (everyone who progressed over everyone with a decision, all
schools added together); what changes is how sure it is:

* **variance by school** (the ratio estimator's linearisation, the "cluster-robust" or sandwich
  variance with the school as the cluster): each school's departure from the pooled rate,
  ``progressed_i - rate x eligible_i``, is one independent piece of evidence, so
  ``var = G / (G - 1) x sum_i (y_i - rate x n_i)^2 / N^2`` over ``G`` schools and ``N`` people. It is
  what statsmodels' OLS of the 0/1 outcome on a constant gives with ``cov_type="cluster"`` and the
  school as the group (a test checks that);
* **design effect**: that variance over the one people picked independently would give,
  ``rate x (1 - rate) / N``. A design effect of 2 means the figure is as precise as one from half as
  many independent people, and its interval is about 1.4 times (the square root of 2) as wide;
* **interval**: Wilson's interval for a percentage of ``N / design effect`` people (the *effective*
  number; the design effect is taken as at least 1, so the interval is never narrower than if
  people were independent), with Student's t on ``G - 1`` degrees of freedom in place of 1.96, since
  only ``G`` schools stand behind the variance (Korn and Graubard's approach for survey percentages).

Published intervals are rounded *outwards* to the step the disclosure policy rounds the percentage
itself to (5 points below 500 people, whole points from 500 in the union's policy), so an interval
says no more about the exact count than the published percentage does, and never less than 95%.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmreport.disclosure import DisclosureGate, DisclosurePolicy, Population, SafeTable
from pmreport.disclosure.grouping import choose_groups
from pmreport.disclosure.query import Group, Members

INTERVALS_TITLE = "How sure each percentage is, allowing for staff of the same school being alike"
INTERVALS_NOTE = ("The 95% interval of each percentage published above, with its ends rounded outwards as the "
                  "percentage is rounded. Staff of one school share a head, a pay committee and a way of doing "
                  "things, so their outcomes go together: 600 staff in 30 schools tell less than 600 people "
                  "picked independently would. The design effect says how much less: 2 means the figure "
                  "is as precise as one from half as many independent people, and its interval is about 1.4 "
                  "times as wide. It is measured from how far each school is from the pooled percentage; below "
                  "1 (schools closer together than chance alone would put them) the interval is not narrowed.")


@dataclass(frozen=True)
class ClusteredRate:
    """A pooled share with its 95% interval allowing for clustering by school (all as fractions, 0 to 1)."""

    rate: float
    low: float
    high: float
    se: float  # standard error by school (cluster-robust)
    design_effect: float  # NaN when it cannot be measured (everyone or no one had the outcome)
    people: int
    schools: int

    @property
    def effective_people(self) -> float:
        """How many independent people the figure is worth (``people`` divided by the design effect, at least 1)."""
        deff = self.design_effect if np.isfinite(self.design_effect) else 1.0
        return self.people / max(1.0, deff)


def clustered_rate(successes: Sequence[float] | np.ndarray, totals: Sequence[float] | np.ndarray,
                   level: float = 0.95) -> ClusteredRate | None:
    """The pooled share ``sum(successes) / sum(totals)`` over schools (one entry a school) with its interval.

    ``None`` with fewer than 2 schools with people (no variance between schools can be measured) or nobody.
    """
    from scipy.stats import t as student

    y = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    keep = n > 0
    y, n = y[keep], n[keep]
    g, total = len(n), float(n.sum())
    if g < 2 or total <= 0:
        return None
    rate = float(y.sum() / total)
    residual = y - rate * n
    var = g / (g - 1) * float(np.sum(residual ** 2)) / total ** 2
    srs = rate * (1 - rate) / total
    deff = var / srs if srs > 0 else float("nan")
    n_eff = total / max(1.0, deff if np.isfinite(deff) else 1.0)
    q = float(student.ppf(0.5 + level / 2, g - 1))
    low, high = wilson(rate, n_eff, q)
    return ClusteredRate(rate, low, high, math.sqrt(var), deff, int(round(total)), g)


def wilson(rate: float, n: float, q: float) -> tuple[float, float]:
    """Wilson's score interval for a share ``rate`` of ``n`` people (``n`` need not be whole), quantile ``q``."""
    centre = (rate + q * q / (2 * n)) / (1 + q * q / n)
    half = q / (1 + q * q / n) * math.sqrt(rate * (1 - rate) / n + q * q / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def naive_rate(successes: Sequence[float] | np.ndarray, totals: Sequence[float] | np.ndarray,
               level: float = 0.95) -> tuple[float, float]:
    """Wilson's interval treating every person as independent (what the clustering corrects; for comparison)."""
    from scipy.stats import norm

    y, n = float(np.sum(successes)), float(np.sum(totals))
    return wilson(y / n, n, float(norm.ppf(0.5 + level / 2)))


def outward(low: float, high: float, step: int) -> tuple[int, int]:
    """An interval in whole per cent, its ends rounded outwards to ``step`` points (0 to 100)."""
    lo = step * math.floor(100 * low / step + 1e-9)
    hi = step * math.ceil(100 * high / step - 1e-9)
    return max(0, lo), min(100, hi)


def _published_percent(table: SafeTable, label: str) -> bool:
    if label not in table.row_labels:
        return False
    row = table.cells[table.row_labels.index(label)]
    percents = [c for c, col in zip(row, table.columns, strict=True) if col.kind == "percent"]
    return bool(percents) and all(c.published and not isinstance(c.value, str) for c in percents)


def rate_intervals(gate: DisclosureGate, table: SafeTable, outcome: str, success: Sequence[str],
                   population: Population, cycle: str, by: str | None) -> pd.DataFrame:
    """For each row of a gated rate table whose percentage is published: its 95% interval allowing for
    clustering by school, rounded outwards as the policy rounds the percentage, and the design effect.

    The people of a row are the gate's own (``population`` and the row's group of ``by``; the gate counts each
    of them under one of the table's categories, a missing outcome as "not recorded"), counted school by school
    from the gate's microdata."""
    md, policy = gate.md, gate.policy
    groups: list[tuple[str, Group | None]] = [(table.row_labels[0], None)] if table.row_labels else []
    if by is not None:
        breakdown = choose_groups(md, [cycle], population, by, policy)
        groups += [(g.label, g) for g in breakdown.groups]
    rows = []
    for label, group in groups:
        if not _published_percent(table, label):
            continue
        per_school = md.unit_counts(Members(cycle, population, group), outcome)
        if per_school is None:
            continue
        coded = md.outcome_codes(cycle, outcome)
        totals = per_school.sum(axis=0)[1:]  # the first column: no school recorded
        successes = per_school[coded.among(success)].sum(axis=0)[1:]
        found = clustered_rate(successes, totals)
        if found is None:
            continue
        rows.append(interval_row(label, found, policy))
    return pd.DataFrame(rows)


def interval_row(label: str, found: ClusteredRate, policy: DisclosurePolicy) -> dict[str, object]:
    """One row of the intervals table, in the words and rounding the report publishes."""
    low, high = outward(found.low, found.high, policy.percent_base(found.people))
    deff = found.design_effect
    return {"Group": label, "95% interval from (%)": low, "95% interval to (%)": high,
            "Design effect": "not measurable" if not np.isfinite(deff) else f"{deff:.1f}",
            "What it means": design_words(deff)}


def design_words(deff: float) -> str:
    """A design effect in a union analyst's words."""
    if not np.isfinite(deff):
        return "everyone or no one had the outcome: no spread between schools to measure"
    if deff < 1.25:
        return "schools hardly differ: as sure as if staff were picked independently (the interval never assumes more)"
    return (f"staff of a school are alike: worth about {100 / deff:.0f} independent people in every 100 counted; "
            f"the interval is {math.sqrt(deff):.1f} times as wide as if they were independent")
