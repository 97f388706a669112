"""One school against similar schools (same phase, size band and local authority, widened when too few).

The similar schools' figures pass the gate under ``UNION_POLICY`` (the school itself left out).
The school's own figures cannot come from three schools, so they pass a gate whose policy is the
union's in every other respect (cells of at least 10, counts rounded to 5, no small groups, the
same audit) with the rules about several schools lifted: :data:`ONE_SCHOOL_POLICY`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from pmreport.disclosure import UNION_POLICY, DisclosureGate, DisclosurePolicy, Population, SafeTable
from pmreport.disclosure.audit import AuditResult
from pmreport.errors import PmreportError
from pmreport.union.analysis import queries as q
from pmreport.union.analysis.codes import bounds
from pmreport.union.analysis.figures import PAY_POPULATION, check_audit, person_microdata, rate_table
from pmreport.union.analysis.source import UnionData

#: The union policy for one school's own figures: the same thresholds, without the several-schools rules.
ONE_SCHOOL_POLICY = replace(UNION_POLICY, name="union, one school", min_units_per_cell=1, max_unit_share=1.0)
MIN_PEERS = 5
SIZE_WORDS = {"under_20": "fewer than 20 staff", "20_to_49": "20 to 49 staff", "50_to_99": "50 to 99 staff",
              "100_to_149": "100 to 149 staff", "150_and_over": "150 or more staff"}


@dataclass
class Comparison:
    title: str
    school: SafeTable
    peers: SafeTable
    kind: str  # "percent" or "mean"


@dataclass
class Benchmark:
    urn: str
    cycle: str
    peer_description: str
    peer_count: int
    comparisons: list[Comparison] = field(default_factory=list)
    audits: list[AuditResult] = field(default_factory=list)


def choose_peers(schools: pd.DataFrame, urn: str) -> tuple[list[str], str]:
    """The similar schools for ``urn`` (one cycle's schools table), and how they were chosen."""
    me = schools[schools["urn"] == urn].iloc[0]
    others = schools[schools["urn"] != urn]
    phase = str(me["phase"]).replace("_", " ")
    size = SIZE_WORDS.get(str(me["size_band"]), str(me["size_band"]))
    ladder = [
        (others[(others["phase"] == me["phase"]) & (others["size_band"] == me["size_band"])
                & (others["local_authority"] == me["local_authority"])],
         f"{phase} schools with {size} in {me['local_authority']}"),
        (others[(others["phase"] == me["phase"]) & (others["size_band"] == me["size_band"])],
         f"{phase} schools with {size}"),
        (others[others["phase"] == me["phase"]], f"{phase} schools"),
        (others, "all other schools"),
    ]
    for found, words in ladder:
        if len(found) >= MIN_PEERS:
            return sorted(found["urn"].astype(str)), words
    return sorted(others["urn"].astype(str)), "all other schools"


def _tables(gate: DisclosureGate, cycle: str, who: str) -> list[tuple[str, SafeTable, str]]:
    teachers = Population.of("teachers in scope", teacher=True)
    observed = Population.of("teachers observed for performance management", teacher=True, pm_observed=True)
    support = Population.of("support staff in scope", support=True)
    deadline = Population.of("staff the deadline rule applies to", in_scope_only=False,
                             rule_deadline=["met", "breached", "not_recorded"])
    outside = Population.of("staff with development agreed", in_scope_only=False,
                            rule_training_outside_hours=["met", "breached", "not_recorded"])
    out = [
        ("Pay progression (%)", rate_table(gate, "pay_decision", "progress", PAY_POPULATION, cycle,
                                           f"Pay progression: {who}", "Of the staff eligible for pay progression who "
                                           f"had a decision in {cycle}, how many progressed.",
                                           categories=("progress", "no_progress")), "percent"),
        ("Reviews held by the deadline (%)", rate_table(gate, "rule_deadline", "met", deadline, cycle,
                                                        f"Reviews by the deadline: {who}", "How many planning and "
                                                        f"review meetings in {cycle} were held by the deadline.",
                                                        success_label="By the deadline"), "percent"),
        ("Teachers reviewing support staff (%)", rate_table(gate, "reviews_support", "yes", teachers, cycle,
                                                            f"Teachers made reviewers of support staff: {who}",
                                                            "How many teachers review at least one member of support "
                                                            "staff.", categories=("yes", "no"),
                                                            success_label="Reviews support staff"), "percent"),
        ("Support staff reviewed by a teacher (%)", rate_table(gate, "reviewed_by_teacher", "yes", support, cycle,
                                                               f"Support staff reviewed by a teacher: {who}",
                                                               "How many support staff have a teacher (not the "
                                                               "headteacher) as their reviewer.",
                                                               success_label="Reviewed by a teacher"), "percent"),
        ("Development outside school hours (%)", rate_table(gate, "rule_training_outside_hours", "breached", outside,
                                                            cycle, f"Development outside school hours: {who}",
                                                            "How many staff with agreed development had some of it "
                                                            "placed outside school hours.",
                                                            categories=("breached", "met"),
                                                            success_label="Some outside school hours"), "percent"),
        ("Objectives per person", gate.mean("objectives", cycle=cycle, title=f"Objectives per person: {who}",
                                            bounds=bounds("objectives")), "mean"),
        ("Observation minutes per observed teacher", gate.mean("pm_observation_minutes", population=observed,
                                                               cycle=cycle, bounds=bounds("pm_observation_minutes"),
                                                               title=f"Observation minutes per observed teacher: {who}"),
         "mean"),
    ]
    return out


def benchmark(data: UnionData, urn: str, cycle: str | None = None, policy: DisclosurePolicy = UNION_POLICY) -> Benchmark:
    """Figures for the school ``urn`` beside the same figures for similar schools, both through the gate."""
    schools = data.schools.to_pandas()
    held = schools[schools["urn"].astype(str) == str(urn)]
    if held.empty:
        raise PmreportError(f"The union store holds no return from the school with URN {urn}.",
                            "Check the URN, or load that school's return first.")
    cycle = cycle or str(held["cycle"].max())
    schools = schools[schools["cycle"] == cycle]
    if str(urn) not in set(schools["urn"].astype(str)):
        raise PmreportError(f"The union store holds no return from URN {urn} for {cycle}.",
                            f"Cycles held for that school: {', '.join(sorted(held['cycle']))}.")
    peers, words = choose_peers(schools, str(urn))
    if len(peers) < policy.min_units_per_cell:
        raise PmreportError("There are too few other schools in the store to compare with.",
                            "Load more returns first.")
    mine = person_microdata(q.microdata_frame(data.people, [cycle], urns=[str(urn)]), la_min_schools=1)
    theirs = person_microdata(q.microdata_frame(data.people, [cycle], urns=peers))
    school_gate = DisclosureGate(mine, replace(policy, name="union, one school", min_units_per_cell=1,
                                               max_unit_share=1.0))
    peer_gate = DisclosureGate(theirs, policy)
    result = Benchmark(str(urn), cycle, words, len(peers))
    ours = _tables(school_gate, cycle, f"school {urn}")
    others = _tables(peer_gate, cycle, f"similar schools ({words})")
    for (title, a, kind), (_, b, _) in zip(ours, others, strict=True):
        result.comparisons.append(Comparison(title, a, b, kind))
    result.audits += [check_audit(school_gate), check_audit(peer_gate)]
    return result


def headline(table: SafeTable, kind: str) -> float | None:
    """The whole-population figure of a gated table (a percentage or an average), when published."""
    if table.withheld:
        return None
    for cell, column in zip(table.cells[0], table.columns, strict=True):
        if column.kind == kind and cell.published and not isinstance(cell.value, str):
            return float(cell.value)
    return None
