"""The report's sections, every table made by ONE disclosure gate from the school's data.

:func:`build_content` makes the gate and all the tables (nothing is published yet);
:func:`publish` audits them all at once (``gate.publish()``: :class:`DisclosureRisk` on failure) and
returns report.json's dictionary. Renderers receive that dictionary and nothing else.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pmreport.compliance import RULES, ComplianceResult
from pmreport.disclosure import GOVERNOR_POLICY, DisclosureGate, DisclosurePolicy, Microdata, Population, SafeTable
from pmreport.disclosure import person_measures as m
from pmreport.disclosure.gate import COMPLIANCE_OUTCOMES, make_quickly
from pmreport.disclosure.labels import column_label
from pmreport.disclosure.query import Members
from pmreport.disclosure.versions import PriorVersion
from pmreport.errors import InputUnusable
from pmreport.model import SchoolData
from pmreport.report.charts import chart_spec
from pmreport.report.summary import build_summary, draft_mark
from pmreport.report.words import HEAD_NOTE, SECTIONS, TITLE, Settings, intros, long_date, method_note
from pmreport.run_date import run_date

if TYPE_CHECKING:
    from pmreport.validation.left_out import LeftOut

#: Staff groups: who each covers (role_group codes); ``all`` is everyone.
GROUPS: dict[str, tuple[str, ...] | None] = {"all": None, "teachers": m.TEACHING_ROLES, "support": ("support",)}
#: Protected characteristics (and working pattern) the equality section breaks outcomes down by, one at a time.
EQUALITY_BY = ("sex", "ethnicity_group", "disability", "age_band", "working_pattern", "pregnancy_maternity")
#: Rules in each section's compliance table.
RULE_TABLES = {
    "operation": ("deadline", "notice", "draft_statement", "final_statement", "moderation_timely"),
    "reviewers": ("reviewer_load", "teacher_reviews_support"),
    "effectiveness": ("mid_year", "objectives_reasonable"),
    "observations": ("observation_cap", "observation_notice", "observation_feedback", "observation_record",
                     "observer_qualified"),
    "appeals": ("appeal_after_moderation",),
    "development": ("development_provided", "training_outside_hours"),
}
TITLES = {r.id: r.title for r in RULES}


@dataclass
class Entry:
    """One table of the report: where it goes and how it is charted (the table itself is the gate's)."""

    id: str
    cycle: str
    staff_group: str
    hint: str
    index: int  # position in gate.tables


@dataclass
class Section:
    id: str
    heading: str
    intro: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class ReportContent:
    gate: DisclosureGate
    cycle: str
    cycles: list[str]
    school: dict[str, str]
    settings: Settings
    sections: list[Section]
    compliance: dict[str, ComplianceResult]
    #: rows set aside by validation, per sheet (the report is then a DRAFT)
    left_out: dict[str, int] = field(default_factory=dict)
    #: the salt of the people's pseudonymous keys (kept, confidentially, for the next version's audit)
    salt: str = ""
    #: what an earlier version of this cycle's report published (its audit included it)
    prior: PriorVersion | None = None
    #: how many of the gate's first tables are the whole-school process tables made before the sections
    #: (:func:`_process_first`; audited, and shown again, the same, in their sections)
    made_first: int = 0
    #: what the report could not make from this workbook (missing columns, sheets with no usable row), as
    #: report.json's ``left_out``: pmreport's own sheet and column names, never a person's data
    not_made: list[dict[str, Any]] = field(default_factory=list)

    @property
    def md(self) -> Microdata:
        return self.gate.md


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def _who(group: str, phrase: str, head: bool = True) -> str:
    if group == "teachers":
        return f"teachers {phrase} ({'including' if head else 'not'} the headteacher)"
    if group == "support":
        return f"support staff {phrase}"
    return f"staff {phrase}" + ("" if head else " (not the headteacher)")


def population(group: str, phrase: str, *, in_scope_only: bool = True, head: bool = True, **where: Any) -> Population:
    """Who a table counts. ``head=False`` for people's outcomes: the headteacher's own appraisal and pay are for
    the governors' appraisal panel (policy §4.2), not for the report; process figures count the head's review."""
    roles = GROUPS[group]
    if roles is not None:
        where["role_group"] = list(roles)
    if not head:
        where["not_head"] = "yes"
    return Population.of(_who(group, phrase, head), in_scope_only=in_scope_only, **where)


def _outcome_words(description: str) -> str:
    """A personal-outcome table's description, with the note that the headteacher is not in it."""
    return f"{description} {HEAD_NOTE}"


def rule_population(rule: str, phrase: str) -> Population:
    return Population.of(phrase, in_scope_only=False, **{f"rule:{rule}": list(COMPLIANCE_OUTCOMES)})


class Builder:
    """Adds tables to the one gate and remembers where each belongs."""

    def __init__(self, gate: DisclosureGate, cycle: str, groups: Sequence[str]):
        self.gate, self.cycle, self.groups = gate, cycle, list(groups)
        self.sections: list[Section] = []

    def section(self, sid: str, intro: str) -> Section:
        self.sections.append(Section(sid, SECTIONS[sid], intro))
        return self.sections[-1]

    def add(self, key: str, table: SafeTable, hint: str, group: str = "all", cycle: str | None = None,
            tid: str | None = None) -> None:
        index = len(self.gate.tables) - 1
        if index < 0 or self.gate.tables[index] is not table:  # pragma: no cover - the gate's contract
            raise RuntimeError("the disclosure gate did not keep the table it made")
        cycle = cycle or self.cycle
        self.sections[-1].entries.append(Entry(tid or f"{key}-{_slug(cycle)}-{group}", cycle, group, hint, index))

    def per_group(self, key: str, hint: str, make: Callable[[str], SafeTable]) -> None:
        for group in self.groups:
            self.add(key, make(group), hint, group)

    def has(self, column: str) -> bool:
        return column in self.gate.md.frame.columns

    def applies(self, rule: str) -> bool:
        """Whether the rule applied to anybody this cycle (a rule column of only 'not applicable' is left out)."""
        column = f"rule:{rule}"
        if not self.has(column):
            return False
        codes = self.gate.md.codes(self.cycle, column)
        return bool(codes.isin(COMPLIANCE_OUTCOMES).any())

    def applies_to_enough(self, rule: str) -> bool:
        """Whether a rule's row may be shown: a rule of what the school did for all its staff, if it applied to
        anybody; a rule that applies to people because of something personal (a formal appeal), only if it applied
        to at least ``min_cell`` people. Its "Number of staff" counts them (2 would say exactly how many people
        appealed), and whether the table is there must not tell none from a few either."""
        if not self.applies(rule):
            return False
        column, policy = f"rule:{rule}", self.gate.policy
        if not policy.process_outcomes or column in policy.process_outcomes:
            return True
        codes = self.gate.md.codes(self.cycle, column)
        return int(codes.isin(COMPLIANCE_OUTCOMES).sum()) >= policy.min_cell

    def compliance(self, key: str, rules: Sequence[str], title: str, description: str) -> None:
        """A table of rules; the rows of process rules (what the school did) are published exactly."""
        chosen = {f"rule:{r}": TITLES[r] for r in rules if self.applies_to_enough(r)}
        if chosen:
            self.add(key, self.gate.compliance(chosen, cycle=self.cycle, title=title, description=description,
                                               public=True), "compliance")


# --------------------------------------------------------------------------------------------- sections


def _operation(b: Builder, g: DisclosureGate, c: str) -> None:
    b.per_group("coverage", "frequency", lambda grp: g.frequency(
        "has_review", categories=("yes", "no"), adverse="no", cycle=c, percentages=True, public=grp == "all",
        population=population(grp, "in scope of the policy"),
        title=f"Planning and review meetings held: {_who(grp, 'in scope of the policy')}",
        description=f"How many {_who(grp, 'in scope of the policy')} had a planning and review meeting recorded "
                    f"for {c} (Yes) and how many did not (No)."))
    b.compliance("timeliness", RULE_TABLES["operation"], f"Timescales of the policy, {c}",
                 "For each timescale the policy sets, the number of staff it applied to and how many of them it "
                 "was kept for (met), not kept for (not met) or could not be checked because a date was not "
                 "recorded.")
    b.add("moderation", g.frequency(
        "moderated", categories=("yes", "no"), adverse="no", cycle=c, public=True,
        population=population("all", "in scope with a review", has_review=True),
        title="Planning and review statements moderated",
        description=f"How many reviews in {c} were moderated (checked for consistency, policy section 5)."),
        "frequency")
    reviewers = Population.of("staff who reviewed colleagues", in_scope_only=False, is_reviewer="yes")
    b.add("reviewer-load", g.frequency(
        "reviewee_band", categories=m.REVIEWEE_BANDS, adverse=m.REVIEWEE_BANDS[-1:], cycle=c, population=reviewers,
        public=True, title="Reviewers by the number of colleagues they reviewed",
        description=f"How many reviewers in {c} reviewed one or two colleagues, three or four, five or six, or "
                    "seven or more (reviewees in scope of the policy)."), "frequency")
    b.add("reviewer-mean", g.mean(
        "reviewees_per_reviewer", population=reviewers, cycle=c, title="Average number of colleagues each reviewer reviewed",
        description=f"The average number of reviewees in scope per reviewer in {c}."), "mean")
    b.compliance("reviewers", RULE_TABLES["reviewers"], f"Reviewers' workload, {c}",
                 "How many reviewers kept within the school's maximum number of reviewees, and how many support "
                 "staff were reviewed by a classroom teacher (a workload flag, not a breach of the policy).")


def _effectiveness(b: Builder, g: DisclosureGate, c: str) -> None:
    b.per_group("objectives", "mean", lambda grp: g.mean(
        "objectives_count", cycle=c, population=population(grp, "in scope with a review", has_review=True),
        title=f"Average number of objectives: {_who(grp, 'in scope with a review')}",
        description=f"The average number of objectives per person in {c}."))
    reviewed = len(g.md.members(Members(c, population("all", "in scope with a review", has_review=True))))
    kinds = [k for k in m.OBJECTIVE_KINDS if g.md.values(c, m.kind_column(k)).sum() > 0]
    if reviewed < g.policy.mean_min_contributors:
        kinds = []  # too few people for any average: the overall table says so once
    for kind in kinds:
        words = m.kind_column(kind).removeprefix("objectives_about_").replace("_", " ")
        b.add(f"objectives-{_slug(kind)}", g.mean(
            m.kind_column(kind), cycle=c, population=population("all", "in scope with a review", has_review=True),
            title=f"Average number of objectives about {words}",
            description=f"The average number of objectives about {words} per person in {c}."), "mean")
    b.add("priorities", g.frequency(
        "priority_links", categories=m.PRIORITY_LINKS, cycle=c,
        population=population("all", "in scope with objectives", has_objectives="yes"),
        title="Objectives linked to the school's priorities",
        description=f"How many staff in {c} had all, some or none of their objectives linked to the school's "
                    "priorities."), "frequency")
    b.compliance("review-process", RULE_TABLES["effectiveness"], f"Review during the year and objectives, {c}",
                 "How many staff had at least one formal review meeting during the cycle, and how many had "
                 "objectives within the school's rules (number, timescale, link to priorities, agreed).")
    teachers = population("teachers", "in scope")
    b.add("observation-time", g.mean(
        "minutes_observed_for_performance_management", cycle=c, population=teachers,
        title="Average lesson observation for performance management (minutes)",
        description=f"The average number of minutes of observation for performance management per teacher in "
                    f"{c} (drop-ins and quality-assurance visits are not counted)."), "mean")
    b.add("observation-cap", g.frequency(
        "observation_band", categories=m.OBSERVATION_BANDS, adverse=m.OBSERVATION_BANDS[-1:], cycle=c, public=True,
        population=teachers, title="Lesson observation time against the cap",
        description=f"How many teachers in {c} had no observation for performance management, up to half of "
                    "their cap (3 hours a cycle, in proportion for part-time staff), more than half, or more than "
                    "the cap."), "frequency")
    b.compliance("observations", RULE_TABLES["observations"], f"The lesson observation protocol, {c}",
                 "For each part of the observation protocol (Appendix 3), the number of staff it applied to and "
                 "how many of them it was kept for.")
    b.per_group("assessment", "frequency", lambda grp: g.frequency(
        "assessment", cycle=c, percentages=True,
        population=population(grp, "in scope with a review", has_review=True, head=False),
        title=f"Assessment against objectives: {_who(grp, 'in scope with a review', False)}",
        description=_outcome_words(f"How many {_who(grp, 'in scope with a review', False)} met, partly met or did "
                                   f"not meet their objectives in {c}.")))


def _appeals(b: Builder, g: DisclosureGate, c: str) -> None:
    everyone = population("all", "in scope of the policy", head=False)
    b.add("appeal-outcomes", g.frequency(
        "appeal_outcome", categories=m.APPEAL_OUTCOMES, cycle=c, population=everyone,
        title="Appeals by outcome", description=_outcome_words(
            f"How many staff appealed in {c}, by the outcome of their appeal (the formal appeal where there was "
            "one).")), "frequency")
    b.add("appeal-subjects", g.frequency(
        "appeal_subject", categories=m.APPEAL_SUBJECTS, cycle=c, population=everyone,
        title="Appeals by subject",
        description=_outcome_words(f"How many staff appealed in {c}, by what the appeal was about.")),
        "frequency")
    b.add("workload-concerns", g.frequency(
        "workload_concern_raised", categories=("no", "yes"), adverse="yes", cycle=c,
        population=population("all", "in scope with a review", has_review=True, head=False),
        title="Workload concerns raised at reviews",
        description=_outcome_words(f"How many staff raised a concern about their workload at their review in {c} "
                                   "(Yes).")),
        "frequency")
    b.compliance("appeal-timing", RULE_TABLES["appeals"], f"Appeals heard after moderation, {c}",
                 "Formal appeals should be heard after moderation is complete (policy section 8).")


def _development(b: Builder, g: DisclosureGate, c: str) -> None:
    b.per_group("development-needs", "mean", lambda grp: g.mean(
        "agreed_development_needs", cycle=c, population=population(grp, "in scope with a review", has_review=True),
        title=f"Average number of agreed development needs: {_who(grp, 'in scope with a review')}",
        description=f"The average number of development needs agreed per person in {c}."))
    needing = population("all", "in scope with agreed development", has_development="yes")
    b.add("need-areas", g.frequency(
        "need_area", categories=m.NEED_AREAS, adverse=(), cycle=c, population=needing,
        title="Main area of agreed development",
        description=f"Staff with agreed development in {c}, by the area of most of their needs."), "frequency")
    b.per_group("provision", "frequency", lambda grp: g.frequency(
        "development_provision", categories=m.PROVISION, cycle=c, public=grp == "all",
        population=population(grp, "in scope with agreed development", has_development="yes"),
        title=f"Agreed development provided: {_who(grp, 'in scope with agreed development')}",
        description=f"How many staff in {c} had all their agreed development provided, and how many had some "
                    "that was not provided, or only partly."))
    b.add("reasons", g.frequency(
        "development_reason", categories=m.REASONS, adverse=(), cycle=c,
        population=population("all", "whose agreed development was not all provided", not_all_provided="yes"),
        title="Why agreed development was not provided",
        description=f"Staff in {c} with agreed development not provided in full, by the most common reason "
                    "recorded (not given: no reason was recorded)."), "frequency")
    b.compliance("development-rules", RULE_TABLES["development"], f"Development and training, {c}",
                 "How many staff had all their agreed development provided, and how many had development placed "
                 "outside school hours (a workload flag).")


def _present(md: Microdata, cycle: str, column: str) -> bool:
    if column not in md.frame.columns:
        return False
    codes = md.codes(cycle, column)
    return bool((codes != "not_known").any())


def _equality(b: Builder, g: DisclosureGate, c: str) -> None:
    eligible = population("all", "eligible for pay progression", pay_eligible=True, head=False)
    reviewed = population("all", "in scope with a review", has_review=True, head=False)
    developing = population("all", "in scope with agreed development", has_development="yes")
    b.add("pay", g.rate("pay_decision", success="progress", cycle=c, population=eligible,
                        title="Pay progression: staff eligible for pay progression (not the headteacher)",
                        description=_outcome_words(f"How many staff eligible for pay progression in {c} "
                                                   "progressed.")), "rate")
    if g.md.staff_in_scope(c) < g.policy.min_staff_for_breakdowns:
        return  # no breakdowns at all in a small school (the section's introduction says so)
    for by in (x for x in EQUALITY_BY if _present(g.md, c, x)):
        name = by.replace("_group", "").replace("_band", "").replace("_", "-")
        label = column_label(by)
        b.add(f"pay-by-{name}", g.rate(
            "pay_decision", success="progress", by=by, cycle=c, population=eligible,
            title=f"Pay progression by {label}",
            description=_outcome_words(f"How many staff eligible for pay progression in {c} progressed, by "
                                       f"{label}.")), "rate")
        b.add(f"assessment-by-{name}", g.rate(
            "assessment", success="met", by=by, cycle=c, population=reviewed,
            title=f"Objectives met by {label}",
            description=_outcome_words(f"How many staff with a review in {c} met their objectives, by {label}.")),
            "rate")
        b.add(f"provision-by-{name}", g.rate(
            "development_provision", success="all_provided", by=by, cycle=c, population=developing,
            categories=m.PROVISION, success_label="All provided", rest_label="Not all provided",
            title=f"Agreed development provided in full by {label}",
            description=f"How many staff with agreed development in {c} had all of it provided, by {label}."), "rate")


TRENDS: tuple[tuple[str, str, str | None, str, tuple[str, ...] | None, Population], ...] = (
    ("coverage", "has_review", None, "yes", ("yes", "no"), population("all", "in scope of the policy")),
    ("assessment-met", "assessment", None, "met", None,
     population("all", "in scope with a review", has_review=True, head=False)),
    ("pay-progression", "pay_decision", None, "progress", None,
     population("all", "eligible for pay progression", pay_eligible=True, head=False)),
    ("deadline-met", "rule:deadline", "deadline", "met", COMPLIANCE_OUTCOMES,
     rule_population("deadline", "staff the deadline for planning and review applied to")),
)
TREND_LABELS = {"coverage": "Had a planning and review meeting", "assessment-met": "Met their objectives",
                "pay-progression": "Progressed on pay", "deadline-met": "Meeting held by the deadline"}


def _trends(b: Builder, g: DisclosureGate, c: str, earlier: list[str]) -> None:
    chain = [*earlier, c]
    pairs = list(zip(chain[:-1], chain[1:], strict=True))
    for key, column, rule, counted, cats, pop in TRENDS:
        if rule is not None and not b.has(column):
            continue
        for before, after in reversed(pairs):
            table = g.year_on_year(column, counted=counted, categories=cats, population=pop, cycles=(before, after),
                                   counted_label=TREND_LABELS[key],
                                   title=f"{TREND_LABELS[key]}: {before} and {after}")
            b.add(key, table, "yoy", cycle=after, tid=f"trend-{key}-{_slug(before)}-{_slug(after)}-all")


def _process_first(b: Builder, g: DisclosureGate, c: str) -> None:
    """Every whole-school process figure of the cycle, made before any other table (and shown again, the same,
    in its section): what the school did is published exactly by design, so a table of people's outcomes made
    later must give way to it (hide more), never the other way round. These tables are audited with the rest
    but not shown on their own."""
    if not g.policy.process_outcomes:
        return
    rules = {f"rule:{r}": TITLES[r] for rules in RULE_TABLES.values() for r in rules
             if f"rule:{r}" in g.policy.process_outcomes and b.applies(r)}
    if rules:
        g.compliance(rules, cycle=c, public=True, percentages=False)
    g.frequency("has_review", categories=("yes", "no"), adverse="no", cycle=c, public=True,
                population=population("all", "in scope of the policy"))
    g.frequency("moderated", categories=("yes", "no"), adverse="no", cycle=c, public=True,
                population=population("all", "in scope with a review", has_review=True))
    g.frequency("observation_band", categories=m.OBSERVATION_BANDS, adverse=m.OBSERVATION_BANDS[-1:], cycle=c,
                public=True, population=population("teachers", "in scope"))
    g.frequency("development_provision", categories=m.PROVISION, cycle=c, public=True,
                population=population("all", "in scope with agreed development", has_development="yes"))


# --------------------------------------------------------------------------------------------- assembly


def _groups(md: Microdata, cycle: str, policy: DisclosurePolicy) -> list[str]:
    """``all``, and teachers and support separately when the school and both groups are big enough."""
    rows = md.rows(cycle)
    in_scope = rows[rows["in_scope"].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    teachers = int(in_scope["role_group"].isin(m.TEACHING_ROLES).sum())
    support = int((in_scope["role_group"] == "support").sum())
    if len(in_scope) >= policy.min_staff_for_breakdowns and min(teachers, support) >= policy.min_group:
        return ["all", "teachers", "support"]
    return ["all"]


def report_cycles(data: SchoolData, cycle: str | None = None, history: int = 3) -> list[str]:
    """The cycles a report on ``cycle`` (the latest by default) covers, oldest first, ``cycle`` last:
    up to ``history - 1`` cycles before it, for the trends. Raises :class:`InputUnusable` when there is
    no such cycle."""
    cycles_all = data.cycles
    if not cycles_all:
        raise InputUnusable("There is nothing to report: no cycle is recorded in the school or reviews sheet.",
                            "Add the year's reviews to the reviews sheet.")
    cycle = cycle or cycles_all[-1]
    if cycle not in cycles_all:
        raise InputUnusable(f"There is no cycle {cycle} in the data (cycles found: {', '.join(cycles_all)}).",
                            "Give one of those with --cycle, written like 2025/26.")
    return [x for x in cycles_all if x <= cycle][-history:]


def build_content(data: SchoolData, cycle: str | None = None, *, compliance: Mapping[str, ComplianceResult],
                  policy: DisclosurePolicy = GOVERNOR_POLICY, salt: str | None = None,
                  history: int = 3, prior: PriorVersion | None = None,
                  left_out: Sequence[LeftOut] = ()) -> ReportContent:
    """Make every table of the report with one gate (for ``cycle``, the latest by default, and up to
    ``history - 1`` cycles before it). Nothing is published until :func:`publish`.

    ``compliance`` holds the policy's rules checked for each of :func:`report_cycles` (the analysis is
    done before: :func:`pmreport.jobs.governors_content` does both).

    The tables are first made with a quick gate (each new table checked against the earlier ones
    for everything but a colleague's attack), then the full audit checks them all together. Only
    if that audit finds something are they made again, with every check on each table for the
    outcomes it found something in (``DisclosureGate.remake``). Either way what :func:`publish`
    returns has passed the full audit.

    ``prior``: what an earlier version of this cycle's report published (:mod:`pmreport.disclosure.versions`):
    people are keyed with its salt again, and every audit includes its figures.

    ``left_out``: what the report cannot make from this workbook (:func:`pmreport.validation.left_out.left_out`
    for ``"report"``); the report says so, and report.json lists it.
    """
    cycles = report_cycles(data, cycle, history)
    cycle = cycles[-1]
    missing = [x for x in cycles if x not in compliance]
    if missing:
        raise ValueError(f"build_content needs the policy's rules checked for {', '.join(missing)} too")
    results = {x: compliance[x] for x in cycles}
    salt = (prior.salt if prior is not None else salt) or secrets.token_hex(16)
    md = m.report_microdata(data, cycles, results, salt)
    _, content = make_quickly(md, policy, lambda gate: _make_tables(data, md, cycle, cycles, results, gate),
                              prior=prior)
    content.salt, content.prior = salt, prior
    content.not_made = [x.public_dict() for x in left_out if x.analysis == "report"]
    return content


def _make_tables(data: SchoolData, md: Microdata, cycle: str, cycles: list[str],
                 results: Mapping[str, ComplianceResult], gate: DisclosureGate) -> ReportContent:
    policy = gate.policy
    try:
        row = data.school_row(cycle)
    except ValueError:
        row = None
    settings = Settings.from_row(cycle, row)
    groups = _groups(md, cycle, policy)
    words = intros(settings, len(groups) > 1, cycles[:-1],
                   small=md.staff_in_scope(cycle) < policy.min_staff_for_breakdowns, policy=policy)
    b = Builder(gate, cycle, groups)
    _process_first(b, gate, cycle)
    made_first = len(gate.tables)
    b.section("operation", words["operation"])
    _operation(b, gate, cycle)
    b.section("effectiveness", words["effectiveness"])
    _effectiveness(b, gate, cycle)
    b.section("appeals", words["appeals"])
    _appeals(b, gate, cycle)
    b.section("development", words["development"])
    _development(b, gate, cycle)
    b.section("equality", words["equality"])
    _equality(b, gate, cycle)
    b.section("trends", words["trends"])
    _trends(b, gate, cycle, cycles[:-1])

    school = {key: data.school_value(name, cycle) or "" for key, name in
              (("name", "school_name"), ("phase", "phase"), ("local_authority", "local_authority"))}
    left_out = {sheet: len(rows) for sheet, rows in data.quarantine.items() if len(rows)}
    return ReportContent(gate, cycle, cycles, school, settings, b.sections, dict(results), left_out,
                         made_first=made_first)


def publish(content: ReportContent, generated: dt.date | None = None) -> dict[str, Any]:
    """Audit every table at once (``gate.publish()``; :class:`DisclosureRisk` if anything can be worked
    out) and return report.json's dictionary. The generation date is the only thing that varies."""
    publics = content.gate.publish()
    policy = content.gate.policy
    sym = policy.symbols
    sections = []
    hidden = 0
    for section in content.sections:
        tables = []
        for e in section.entries:
            public = publics[e.index]
            tables.append({"id": e.id, "cycle": e.cycle, "staff_group": e.staff_group,
                           "chart": chart_spec(public, e.hint), **public})
        sections.append({"id": section.id, "heading": section.heading, "intro": section.intro, "tables": tables})
    for public in publics:
        hidden += sum(1 for row in public["rows"] for cell in row["cells"] if cell.get("symbol") == sym.suppressed)
    return {
        "title": TITLE,
        "draft": draft_mark(content.left_out),
        "left_out": content.not_made,
        "school": content.school,
        "cycle": content.cycle,
        "cycles": content.cycles,
        "generated": long_date(run_date(generated)),
        "policy": policy.name,
        "symbols": {s: sym.meaning(s) for s in sym.all},
        "summary": build_summary(sections, content.cycle, TITLES),
        "sections": sections,
        "method": method_note(policy, content.cycle),
        "audit": {"passed": True, "tables_checked": len(publics), "hidden_cells": hidden},
    }
