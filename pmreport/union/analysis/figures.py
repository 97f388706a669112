"""Everything the union report publishes, made by the disclosure gate under ``UNION_POLICY``.

Person-level figures come from one gate over the pooled people (one row per person per cycle,
keyed by school and pseudonym, the school as the unit): cells of at least 10 people from at least
3 schools, none more than half, counts rounded to 5. The spread of schools' averages comes from a
second gate whose rows are schools. Both are audited before anything is written.

Odds ratios (pay progression with school effects, :mod:`.models`) are not counts, so the gate
cannot check them itself; one is shown only beside a group whose counts the gate published in
the same table, for the same people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pmreport.compliance.rules import RULES
from pmreport.disclosure import UNION_POLICY, DisclosureGate, DisclosurePolicy, Microdata, Population, SafeTable
from pmreport.disclosure.audit import AuditResult
from pmreport.disclosure.gate import make_quickly
from pmreport.disclosure.grouping import choose_groups
from pmreport.disclosure.query import Group
from pmreport.errors import DisclosureRisk, PmreportError
from pmreport.schema import derived_sensitivity
from pmreport.union.analysis import queries as q
from pmreport.union.analysis.clustered_rates import rate_intervals
from pmreport.union.analysis.codes import among_applicable, applies, bounds, shown
from pmreport.union.analysis.coverage import Coverage, coverage, not_shown
from pmreport.union.analysis.equality import CONTEXT as EQ_CONTEXT
from pmreport.union.analysis.equality import COUNTS as EQ_COUNTS
from pmreport.union.analysis.equality import equality_frame, harmonise
from pmreport.union.analysis.equality import microdata_frame as eq_microdata
from pmreport.union.analysis.equality import pay_counts as eq_pay_counts
from pmreport.union.analysis.equality import pay_counts_within as eq_pay_counts_within
from pmreport.union.analysis.gaps import gap_breakdowns
from pmreport.union.analysis.models import mantel_haenszel, points_step, risk_difference, rounded_points
from pmreport.union.analysis.source import UnionData
from pmreport.union.analysis.views import CHARACTERISTICS, NOT_KNOWN, RULE_COLUMNS
from pmreport.union.return_schema import return_format

#: A local authority is shown by name only with at least this many schools in the cycle.
LA_MIN_SCHOOLS = 5
OTHER_LA = "other_local_authorities"
#: The group each characteristic is compared with (when the gate shows it).
REFERENCE = {"sex": "male", "ethnicity_group": "white", "working_pattern": "full_time", "age_band": "under_50",
             "disability": "no", "pregnancy_maternity": "no"}
#: Columns of the union's microdata and their sensitivity: the return's people sheet and pmreport's derived
#: columns (data_schemas/), and the columns made here, which identify nobody.
SENSITIVITY = ({c: "none" for c in ("phase", "size_band", "la_group", "pay_decided", "teacher", "support", "pm_observed",
                                    "reviews_support", "outside_hours", "in_scope_flag", "urn", "local_authority")}
               | {c: "none" for c in RULE_COLUMNS} | {f.name: f.sensitivity for f in return_format().people.fields}
               | derived_sensitivity())

#: The people sheet's coded columns (an outcome among them gets its categories from the schema).
SCHEMA_COLUMNS = frozenset(f.name for f in return_format().people.fields if f.codes)

GAP_WORDS = ("The gap in progression within the same schools, in percentage points, and the odds of progressing "
             "(both taking account of differences between schools)")
#: Sex within each working pattern: (the equality rows' working pattern, in words).
INTERSECTIONS = (("part_time", "part-time"), ("full_time", "full-time"))
PAY_POPULATION = Population.of("staff eligible for pay progression with a decision", pay_decided="yes")
BY_WORDS = {"sex": "sex", "ethnicity_group": "ethnic group", "working_pattern": "working pattern (full or part time)",
            "age_band": "age", "disability": "disability", "pregnancy_maternity": "pregnancy or maternity"}


@dataclass
class Figure:
    """One published table, how to draw it, and any figures derived from it."""

    section: str
    table: SafeTable
    chart: str | None = None  # "rate", "mean", "counts", "compliance" or None
    extra: pd.DataFrame | None = None  # odds ratios, only for groups the table publishes
    extra_title: str = ""
    gaps: pd.DataFrame | None = None  # the same gaps cycle by cycle, by phase, region and local authority
    #: each published percentage's 95% interval allowing for clustering by school, and the design effect
    intervals: pd.DataFrame | None = None


@dataclass
class UnionFigures:
    cycle: str
    cycles: list[str]
    figures: list[Figure] = field(default_factory=list)
    audits: list[AuditResult] = field(default_factory=list)
    trend: pd.DataFrame | None = None  # published trend figures, copied from gated tables
    coverage: Coverage | None = None  # the schools and staff the figures stand on
    withheld: str | None = None  # why no figure is published, when none is
    area: str | None = None  # the one local authority the figures are kept to, if any

    @property
    def area_words(self) -> str:
        return f" in {self.area}" if self.area else ""

    def section(self, name: str) -> list[Figure]:
        return [f for f in self.figures if f.section == name]

    @property
    def tables(self) -> list[SafeTable]:
        return [f.table for f in self.figures]


def person_microdata(frame: pd.DataFrame, la_min_schools: int = LA_MIN_SCHOOLS) -> Microdata:
    """The gate's microdata from :func:`.queries.microdata_frame`: one row per person per cycle."""
    f = frame.copy()
    f["key"] = f["urn"].astype(str) + ":" + f["person"].astype(str)
    f = f.drop(columns=["person"])
    f["in_scope_flag"] = f["in_scope"] == "yes"
    f["pay_decided"] = (f["pay_eligible"] == "yes") & f["pay_decision"].isin(["progress", "no_progress"])
    schools = f.groupby(["cycle", "local_authority"])["urn"].transform("nunique")
    f["la_group"] = np.where(schools >= la_min_schools, f["local_authority"], OTHER_LA)
    f = f.drop(columns=["local_authority", "in_scope", "pay_eligible"])
    return Microdata(f, key="key", cycle="cycle", scope="in_scope_flag", unit="urn", sensitivity=SENSITIVITY)


def _published_row(table: SafeTable, label: str) -> bool:
    if label not in table.row_labels:
        return False
    row = table.cells[table.row_labels.index(label)]
    return all(c.published for c in row if c.kind in ("count", "size"))


def compared_groups(gate: DisclosureGate, table: SafeTable, by: str, cycle: str,
                    population: Population = PAY_POPULATION) -> tuple[list[Group], Group | None]:
    """The groups of ``by`` the gate published in ``table`` (not-known and not-shown left out), and the reference."""
    breakdown = choose_groups(gate.md, [cycle], population, by, gate.policy)
    groups = [g for g in breakdown.groups if _published_row(table, g.label)]
    if len(groups) < 2:
        return [], None
    preferred = REFERENCE.get(by)
    reference = next((g for g in groups if preferred in g.values), max(groups, key=lambda g: len(g.values)))
    if _mixes_unknown(reference.values):
        return [], None
    # a group the gate merged with "not known" cannot be interpreted: no odds ratio or gap for it
    return [g for g in groups if g is reference or not _mixes_unknown(g.values)], reference


def odds_ratios(gate: DisclosureGate, table: SafeTable, counts: pd.DataFrame, by: str, cycle: str,
                population: Population = PAY_POPULATION) -> pd.DataFrame:
    """School-adjusted odds ratios and gaps for each group the gate published, against the reference group."""
    groups, reference = compared_groups(gate, table, by, cycle, population)
    if reference is None:
        return pd.DataFrame()
    rows = []
    for g in groups:
        if g is reference:
            continue
        found = mantel_haenszel(counts, by, g.values, reference.values)
        gap = risk_difference(counts, by, g.values, reference.values)
        if found is None or gap is None:
            continue
        het = found.heterogeneity_p
        step = points_step(gap.people)
        rows.append({"Group": g.label, "Compared with": reference.label,
                     "Gap (percentage points)": rounded_points(gap.points, step),
                     "Gap: 95% interval from": rounded_points(gap.low, step),
                     "Gap: 95% interval to": rounded_points(gap.high, step),
                     "Odds ratio": round(found.odds_ratio, 2), "95% interval": f"{found.low:.2f} to {found.high:.2f}",
                     "_p": found.p_value, "Clear difference?": "",
                     "Same in every school?": ("not tested" if np.isnan(het) else
                                               f"{'no' if het < 0.05 else 'no sign otherwise'} (Breslow-Day p {het:.2f})")})
    return pd.DataFrame(rows)


def _mixes_unknown(values: Sequence[str]) -> bool:
    return bool(set(values) & {NOT_KNOWN, "not_shown", "all_other_or_not_known"})


def clear_differences(extras: list[pd.DataFrame], alpha: float = 0.05) -> None:
    """"Clear difference?" for every odds ratio of the report at once: Holm's method over all of
    them (every characteristic compared), so that the chance of any false "yes" is at most ``alpha``."""
    parts = [e["_p"].to_numpy(dtype=float) for e in extras if not e.empty]
    p = np.concatenate(parts) if parts else np.array([])
    order = np.argsort(p, kind="stable")
    m = len(p)
    adj = np.empty(m)
    if m:
        adj[order] = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    i = 0
    for e in extras:
        if e.empty:
            continue
        k = len(e)
        e["Clear difference?"] = [f"{'yes' if a < alpha else 'no'} (adjusted p {a:.3f}, {m} comparisons)"
                                  for a in adj[i:i + k]]
        e.drop(columns="_p", inplace=True)
        i += k


def _resolved(outcome: str, population: Population,
              categories: Sequence[str] | None) -> tuple[Population, tuple[str, ...] | None]:
    """For a column of the return, the people it applies to and its categories (the schema's)."""
    if outcome in SCHEMA_COLUMNS:
        population = among_applicable(population, outcome)
        allowed = applies(outcome)
        categories = tuple(c for c in (categories if categories is not None else shown(outcome)) if c in allowed)
    return population, (tuple(categories) if categories is not None else None)


def rate_table(gate: DisclosureGate, outcome: str, success: str, population: Population, cycle: str, title: str,
          description: str, by: str | None = None, categories: Sequence[str] | None = None,
          success_label: str | None = None) -> SafeTable:
    """A rate among the people ``outcome`` applies to; for a column of the return, its categories are the schema's."""
    population, resolved = _resolved(outcome, population, categories)
    return gate.rate(outcome, success=success, population=population, by=by, cycle=cycle, title=title,
                     description=description, categories=resolved, success_label=success_label)


def rate_figure(section: str, gate: DisclosureGate, outcome: str, success: str, population: Population, cycle: str,
                title: str, description: str, by: str | None = None, categories: Sequence[str] | None = None,
                success_label: str | None = None, chart: str | None = "rate") -> Figure:
    """:func:`rate_table` as a figure, with each published percentage's interval allowing for clustering by
    school (:mod:`.clustered_rates`)."""
    table = rate_table(gate, outcome, success, population, cycle, title, description, by, categories, success_label)
    resolved, _ = _resolved(outcome, population, categories)
    return Figure(section, table, chart, intervals=rate_intervals(gate, table, outcome, (success,), resolved, cycle, by))


def equality_rows_for(data: UnionData, by: str, cycles: Sequence[str], schools: pd.DataFrame) -> pd.DataFrame:
    """The equality rows of characteristic ``by`` for ``cycles``; for a school whose return has none in the store
    (a store loaded before format 2), made from its people rows as an upgrade would make them."""
    from pmreport.union.equality_sheet import equality_rows

    have = (equality_frame(data.equality, by, cycles) if data.equality is not None
            else pd.DataFrame(columns=[*EQ_CONTEXT, "value", "role_group", "working_pattern", *EQ_COUNTS]))
    info = schools[schools["cycle"].astype(str).isin(list(cycles))].copy()
    info["urn"], info["cycle"] = info["urn"].astype(str), info["cycle"].astype(str)
    held = set(zip(have["urn"], have["cycle"], strict=True))
    missing = np.array([(u, c) not in held for u, c in zip(info["urn"], info["cycle"], strict=True)], dtype=bool)
    lacking = info[missing & (pd.to_numeric(info["people_rows"]).fillna(0) > 0).to_numpy()]
    if lacking.empty:
        return have
    people = data.people.filter(data.people.cycle.isin(list(cycles))).filter(
        data.people.urn.isin(sorted(set(lacking["urn"])))).to_pandas()
    made = []
    for _, school in lacking.iterrows():
        rows = people[(people["urn"].astype(str) == school["urn"]) & (people["cycle"].astype(str) == school["cycle"])]
        k = pd.to_numeric(school.get("k"), errors="coerce")
        eq = equality_rows(rows, int(k) if pd.notna(k) else 5)
        eq = eq[eq["characteristic"] == by]
        made.append(eq.assign(**{c: str(school[c]) for c in EQ_CONTEXT}))
    made_frame = pd.concat(made, ignore_index=True)
    made_frame["value"] = harmonise(by, made_frame["value"])
    return pd.concat([have, made_frame[have.columns]], ignore_index=True)


def pay_microdata(frame: pd.DataFrame, by: str, la_min_schools: int = LA_MIN_SCHOOLS) -> Microdata:
    """The gate's microdata for pay progression by ``by``: the people ``by``'s equality rows count."""
    return person_microdata(eq_microdata(frame, by), la_min_schools)


def pay_figures(data: UnionData, cycle: str, cycles: Sequence[str], schools: pd.DataFrame, policy: DisclosurePolicy,
                la_min_schools: int = LA_MIN_SCHOOLS) -> tuple[list[Figure], list[AuditResult], dict[str, pd.DataFrame]]:
    """Pay progression by each characteristic, from the equality sheets: a gate of its own for each (the people
    counted by one characteristic's table), its table, the gaps and odds ratios within schools, and the gaps
    cycle by cycle, by phase, by region and by local authority."""
    out, audits = [], []
    frames: dict[str, pd.DataFrame] = {}
    shown = list(cycles) or [cycle]
    for by in CHARACTERISTICS:
        frame = equality_rows_for(data, by, shown, schools)
        now = frames[by] = frame[frame["cycle"] == cycle]
        md = pay_microdata(now, by, la_min_schools)

        def make(gate: DisclosureGate, by: str = by, now: pd.DataFrame = now) -> list[Figure]:
            first = rate_figure("pay", gate, "pay_decision", "progress", PAY_POPULATION, cycle,
                                f"Pay progression by {BY_WORDS[by]}, {cycle}",
                                f"Of the staff eligible for pay progression who had a decision in {cycle}, how many "
                                f"progressed, by {BY_WORDS[by]}, across all schools.", by=by,
                                categories=("progress", "no_progress"))
            counts = eq_pay_counts(now, by)
            first.extra, first.extra_title = odds_ratios(gate, first.table, counts, by, cycle), GAP_WORDS
            made = [first]
            if by == "sex":  # the safe intersections: sex within each working pattern (e.g. part-time women)
                for pattern, words in INTERSECTIONS:
                    population = Population.of(f"{words} staff eligible for pay progression with a decision",
                                               pay_decided="yes", pattern_group=pattern)
                    f = rate_figure("pay", gate, "pay_decision", "progress", population, cycle,
                                    f"Pay progression of {words} staff by sex, {cycle}",
                                    f"Of the {words} staff eligible for pay progression who had a decision in {cycle}, "
                                    f"how many progressed, by sex, across all schools (schools whose {words} staff "
                                    "are too few to tell apart from the others are not in it).", by=by,
                                    categories=("progress", "no_progress"))
                    within = eq_pay_counts_within(now, by, pattern)
                    f.extra, f.extra_title = odds_ratios(gate, f.table, within, by, cycle, population), GAP_WORDS
                    made.append(f)
            return made

        gate, made = make_quickly(md, policy, make)
        figure = made[0]
        groups, reference = compared_groups(gate, figure.table, by, cycle)
        if reference is not None and len(groups) > 1:
            figure.gaps = gap_breakdowns(eq_pay_counts(frame, by), schools, by, groups, reference, cycle, gate.policy,
                                         la_min_schools)
        out += made
        audits.append(check_audit(gate))
    clear_differences([f.extra for f in out if f.extra is not None])
    return out, audits, frames


def workload_figures(gate: DisclosureGate, cycle: str) -> list[Figure]:
    teachers = Population.of("teachers in scope", teacher=True)
    observed = Population.of("teachers observed for performance management", teacher=True, pm_observed=True)
    support = Population.of("support staff in scope", support=True)
    return [
        Figure("workload", gate.mean("objectives", by="phase", cycle=cycle,
                                     title=f"Objectives per person, by phase, {cycle}",
                                     description="The average number of objectives set per member of staff in scope "
                                                 "of the policy.", bounds=bounds("objectives")), "mean"),
        Figure("workload", gate.mean("pm_observation_minutes", population=observed, by="phase", cycle=cycle,
                                     title=f"Minutes of performance management observation per observed teacher, {cycle}",
                                     description="The average minutes of classroom observation for performance "
                                                 "management (the policy's cap is 180 minutes a cycle, pro rata).",
                                     bounds=bounds("pm_observation_minutes")), "mean"),
        rate_figure("workload", gate, "reviews_support", "yes", teachers, cycle,
                                 f"Teachers made reviewers of support staff, by phase, {cycle}",
                                 "How many teachers review at least one member of support staff (NUT circular, "
                                 "February 2004: a workload flag).", by="phase", categories=("yes", "no"),
                                 success_label="Reviews support staff"),
        rate_figure("workload", gate, "reviewed_by_teacher", "yes", support, cycle,
                                 f"Support staff reviewed by a teacher, by phase, {cycle}",
                                 "How many support staff have a teacher (not the headteacher) as their reviewer.",
                                 by="phase", categories=("yes", "no"), success_label="Reviewed by a teacher"),
        rate_figure("workload", gate, "rule_training_outside_hours", "breached",
                                 Population.of("staff with development agreed", in_scope_only=False,
                                               rule_training_outside_hours=["met", "breached", "not_recorded"]),
                                 cycle, f"Development placed outside school hours, {cycle}",
                                 "How many staff with agreed development had some of it placed outside school hours "
                                 "(NUT conference 2001: a workload flag).", by="phase",
                                 categories=("breached", "met"), success_label="Some outside school hours"),
        rate_figure("workload", gate, "workload_concern_raised", "yes", Population.everyone(), cycle,
                                 f"Workload concerns raised at the review, {cycle}",
                                 "How many staff in scope raised a workload concern at their review.", by="phase",
                                 categories=("yes", "no"), success_label="Raised a concern"),
    ]


def compliance_figures(gate: DisclosureGate, cycle: str) -> list[Figure]:
    rules = {f"rule_{r.id}": r.title for r in RULES}
    table = gate.compliance(rules, cycle=cycle, title=f"How well each rule of the policy was kept, {cycle}",
                            description="For each rule, the staff it applied to and how many of them it was met for "
                                        "(a person counts as breached if any of their records breached it). Rules marked "
                                        "'workload flag' count the flag under 'Not met (breached)'.")
    deadline = Population.of("staff the deadline rule applies to", in_scope_only=False,
                             rule_deadline=["met", "breached", "not_recorded"])
    by_la = rate_figure("compliance", gate, "rule_deadline", "met", deadline, cycle,
                  f"Planning and review meeting held by the deadline, by local authority, {cycle}",
                  "How many reviews were held by the deadline (31 October for teachers, 31 December for heads, the "
                  f"support staff cycle end), by local authority. Authorities with fewer than {LA_MIN_SCHOOLS} schools "
                  "are counted together.", by="la_group", categories=("met", "breached", "not_recorded"),
                  success_label="By the deadline")
    return [Figure("compliance", table, "compliance"), by_la]


def trend_figures(gate: DisclosureGate, cycles: list[str]) -> tuple[list[Figure], pd.DataFrame]:
    figures: list[Figure] = []
    rows = []
    deadline = Population.of("staff the deadline rule applies to", in_scope_only=False,
                             rule_deadline=["met", "breached", "not_recorded"])
    for cycle in cycles:
        pay = rate_figure("trends", gate, "pay_decision", "progress", PAY_POPULATION, cycle, f"Pay progression, {cycle}",
                    f"Of the staff eligible for pay progression with a decision in {cycle}, how many progressed.",
                    categories=("progress", "no_progress"), chart=None)
        met = rate_figure("trends", gate, "rule_deadline", "met", deadline, cycle, f"Reviews held by the deadline, {cycle}",
                    f"How many planning and review meetings in {cycle} were held by the deadline.",
                    categories=("met", "breached", "not_recorded"), success_label="By the deadline", chart=None)
        figures += [pay, met]
        rows.append({"Cycle": cycle, "Pay progression (%)": _percent(pay.table),
                     "Reviews by the deadline (%)": _percent(met.table)})
    return figures, pd.DataFrame(rows)


def _percent(table: SafeTable) -> float | None:
    """The whole-population percentage of a rate table, when published."""
    if table.withheld:
        return None
    for cell, column in zip(table.cells[0], table.columns, strict=True):
        if column.kind == "percent":
            return float(cell.value) if cell.published and not isinstance(cell.value, str) else None
    return None


SPREAD_BANDS = {
    "objectives_band": ((2, 3, 4), ("fewer_than_2", "2_to_under_3", "3_to_under_4", "4_or_more")),
    "observation_band": ((60, 120, 180), ("under_60_minutes", "60_to_119_minutes", "120_to_179_minutes",
                                          "180_minutes_or_more")),
    "support_band": ((0.000001, 0.25, 0.5), ("none", "under_25_percent", "25_to_49_percent", "50_percent_or_more")),
}


def _band(values: pd.Series, column: str) -> pd.Series:
    edges, labels = SPREAD_BANDS[column]
    out = pd.Series(np.array(labels, dtype=object)[np.searchsorted(edges, values.fillna(-1), side="right")],
                    index=values.index)
    return out.where(values.notna(), None)


def school_microdata(indicators: pd.DataFrame) -> Microdata:
    """One row per school per cycle, with the bands of its averages (for the spread across schools)."""
    f = indicators.copy()
    f["objectives_band"] = _band(f["objectives_in_scope"] / f["in_scope"].replace(0, np.nan), "objectives_band")
    f["observation_band"] = _band(f["pm_minutes"] / f["teachers_observed"].replace(0, np.nan), "observation_band")
    f["support_band"] = _band(f["support_reviewed_by_teacher"] / f["support"].replace(0, np.nan), "support_band")
    f["school"] = f["urn"]
    keep = ["school", "urn", "cycle", "phase", *SPREAD_BANDS]
    return Microdata(f[keep], key="school", cycle="cycle", scope=None, unit="urn",
                     sensitivity={"phase": "none", **{c: "none" for c in SPREAD_BANDS}})


def spread_figures(gate: DisclosureGate, cycle: str) -> list[Figure]:
    words = {
        "objectives_band": ("Schools by average objectives per person",
                            "How many schools set each average number of objectives per member of staff in scope."),
        "observation_band": ("Schools by average observation time per observed teacher",
                             "How many schools observed their teachers for each average length of time for "
                             "performance management."),
        "support_band": ("Schools by share of support staff reviewed by a teacher",
                         "How many schools have each share of their support staff reviewed by a teacher."),
    }
    out = []
    for column, (title, description) in words.items():
        table = gate.frequency(column, categories=SPREAD_BANDS[column][1], adverse=(), cycle=cycle,
                               population=Population("schools", in_scope_only=False),
                               title=f"{title}, {cycle}", description=description)
        out.append(Figure("spread", table, "counts"))
    return out


def check_audit(gate: DisclosureGate) -> AuditResult:
    result = gate.audit()
    if not result.passed:
        raise DisclosureRisk("The disclosure audit found figures that could identify somebody, so no report was "
                             f"written: {result.summary()}", "Report this to whoever supports pmreport.")
    return result


def union_figures(data: UnionData, cycle: str | None = None, policy: DisclosurePolicy = UNION_POLICY,
                  la_min_schools: int = LA_MIN_SCHOOLS) -> UnionFigures:
    """Every figure of the union report, gated and audited, and the coverage they stand on.

    The default cycle is the latest whose returns can carry figures (rows about people from enough schools,
    :func:`.coverage.can_carry_figures`); trends cover such cycles only. When no cycle can, or the cycle asked
    for cannot, the result holds the coverage and the reason, and no figure.
    """
    schools = data.schools.to_pandas()
    held = sorted(schools["cycle"].astype(str).unique())
    if not held:
        raise PmreportError("The union store holds no returns yet, so there is nothing to report.",
                            "Load returns first with pmreport union ingest.")
    if cycle is not None and cycle not in held:
        raise PmreportError(f"The store has no return for the cycle {cycle}.", f"Cycles held: {', '.join(held)}.")
    enough = coverage(schools, policy, None, la_min_schools).enough
    chosen = cycle or (enough[-1] if enough else held[-1])
    result = UnionFigures(chosen, [c for c in enough if c <= chosen], area=data.area)
    result.coverage = coverage(schools, policy, chosen, la_min_schools)
    if chosen not in enough:
        result.withheld = (f"No figure can be published for {chosen}: the returns held for it have rows about people "
                           f"from fewer than {policy.min_units_per_cell} schools, or one school has more than "
                           f"{policy.max_unit_share:.0%} of them (returns from schools with fewer staff than k hold "
                           "no rows about people). Load more schools' returns for this cycle"
                           + (f", or report on {enough[-1]}." if enough else "."))
        return result
    shown = result.cycles
    md = person_microdata(q.microdata_frame(data.people, shown), la_min_schools)
    pay, audits, frames = pay_figures(data, chosen, shown, schools, policy, la_min_schools)
    result.coverage.not_shown, result.coverage.warnings = not_shown(frames, BY_WORDS, policy)
    gate, (figures, (trend, result.trend)) = make_quickly(md, policy, lambda g: (
        workload_figures(g, chosen) + compliance_figures(g, chosen), trend_figures(g, shown)))
    result.figures += pay + figures + trend
    result.audits += [*audits, check_audit(gate)]
    school_md = school_microdata(q.school_indicators(data.people, [chosen]))
    school_gate, spread = make_quickly(school_md, policy, lambda g: spread_figures(g, chosen))
    result.figures += spread
    result.audits.append(check_audit(school_gate))
    return result


def describe_policy(policy: DisclosurePolicy) -> str:
    return (f"cells of at least {policy.min_cell} people from at least {policy.min_units_per_cell} schools, no school "
            f"more than {policy.max_unit_share:.0%} of a cell, numbers rounded to the nearest "
            f"{policy.count_rounding or 1}, percentages {policy.percent_words()}")
