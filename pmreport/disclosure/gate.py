"""The disclosure gate: the one way person-level data becomes a table for governors or a union.

::

    md = Microdata(frame, key="person", cycle="cycle")          # one row per person per cycle
    gate = DisclosureGate(md)                                     # GOVERNOR_POLICY by default
    gate.frequency("assessment", by="sex")                        # met / partly met / not met
    gate.rate("pay_decision", success="progress",
              population=Population.of("teachers eligible for pay progression", pay_eligible=True))
    gate.mean("objectives_count")
    gate.compliance({"rule:deadline": "Planning and review meeting by the deadline"})
    gate.year_on_year("assessment", counted="met")
    for public in gate.publish():                                 # audits first; DisclosureRisk if it fails
        render(public)

Each table is built in four steps: refuse what the policy never allows (names, ids, dates, free
text, two characteristics); choose the groups (merging small ones, or no breakdown); hide cells
(primary, then complementary suppression, :mod:`.suppression`); then attack the new table
together with every table already made (:func:`.audit.audit`) and, if anything can be worked out,
hide more, up to withholding the table. A figure already published by an earlier table is shown
the same way again, so two tables never disagree about it.

``quick=True`` leaves out, in step four only, the costliest attack: a colleague who knows their own
outcome (:meth:`.engine.CountAudit._check_insiders`), except for the outcome columns named in
``thorough``. The full audit in :meth:`publish` and :meth:`audit` always includes it, so a quick
gate is exactly as safe; its tables can only fail that audit more often. A caller that makes its
tables with a quick gate therefore checks ``gate.check().passed`` and, if not, makes the same
tables again with ``gate.remake()``, which checks every attack on each new table for the columns
the audit found something in; :func:`make_quickly` does exactly that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from pmreport.disclosure import notes
from pmreport.disclosure.audit import AuditResult, Memo, audit
from pmreport.disclosure.grouping import Breakdown, choose_groups
from pmreport.disclosure.intervals import band
from pmreport.disclosure.labels import code_label, column_label
from pmreport.disclosure.layout import (
    ColDef,
    CountLayout,
    MeanLayout,
    RowDef,
    assemble_counts,
    assemble_means,
    withheld_table,
)
from pmreport.disclosure.means import dominated
from pmreport.disclosure.microdata import Microdata
from pmreport.disclosure.policy import GOVERNOR_POLICY, DisclosurePolicy
from pmreport.disclosure.query import NOT_RECORDED, Members, Population, Query, as_tuple
from pmreport.disclosure.refusals import DisclosureRefused
from pmreport.disclosure.schema_codes import schema_codes
from pmreport.disclosure.sensitivity import check_query
from pmreport.disclosure.suppression import Grid, Pos, patterns
from pmreport.disclosure.tables import CellSpec, SafeTable, private_specs
from pmreport.disclosure.versions import PriorVersion
from pmreport.disclosure.yoy import build_year_on_year

T = TypeVar("T")

#: A table with more hidden counts than this that cannot have all its bands (or all its small ones) at once keeps
#: them as [c], rather than try them one at a time (each try is an audit).
_MAX_BANDS_ONE_BY_ONE = 6

#: Compliance outcomes, as pmreport.compliance gives them, in the order shown.
COMPLIANCE_OUTCOMES = ("met", "breached", "not_recorded")


class DisclosureGate:
    """Makes :class:`SafeTable` objects from microdata under one policy, and remembers what it published."""

    def __init__(self, microdata: Microdata, policy: DisclosurePolicy = GOVERNOR_POLICY, *, quick: bool = False,
                 thorough: Iterable[str] = (), memo: Memo | None = None, prior: PriorVersion | None = None):
        self.md = microdata
        self.policy = policy
        #: what an earlier version of the same report published: every audit includes it (:mod:`.versions`)
        self.prior = prior
        self.quick = quick and policy.check_insider
        self.thorough = frozenset(thorough)
        #: the policy each new table is checked under (the insider's attack left to the full audit when quick)
        self._table_policy = replace(policy, check_insider=False) if self.quick else policy
        self._tables: list[SafeTable] = []
        self._shown: dict[tuple, bool] = {}  # a count's identity -> published (True) or hidden (False)
        self._public: set[tuple] = set()  # identities of counts published exactly as whole-school process figures
        self._audited: tuple[int, AuditResult] | None = None  # the last full audit, and of how many tables
        self._checked: tuple[int, AuditResult] | None = None  # the last verdict (check), and of how many tables
        self._memo: Memo = {} if memo is None else memo  # what the attacks found, per block of figures

    @property
    def tables(self) -> tuple[SafeTable, ...]:
        """Every table made so far, in order."""
        return tuple(self._tables)

    def audit(self) -> AuditResult:
        """The full adversarial audit of every table made so far, with the range every hidden figure could
        take (remembered until another table is made)."""
        if self._audited is None or self._audited[0] != len(self._tables):
            self._audited = (len(self._tables), audit(self._tables, self.md, self.policy, memo=self._memo,
                                                      prior=self.prior))
        return self._audited[1]

    def check(self) -> AuditResult:
        """The full audit's verdict on every table made so far: every attack, stopping at the first problem.

        The same checks as :meth:`audit`, so it passes exactly when the audit passes; it only leaves out
        working out the exact range of hidden figures that need no protection, which the verdict does not
        use (and lists the first problem only). Remembered until another table is made.
        """
        if self._audited is not None and self._audited[0] == len(self._tables):
            return self._audited[1]
        if self._checked is None or self._checked[0] != len(self._tables):
            self._checked = (len(self._tables),
                             audit(self._tables, self.md, self.policy, exact_ranges=False, memo=self._memo,
                                   prior=self.prior))
        return self._checked[1]

    def remake(self) -> DisclosureGate:
        """A new, empty gate for making the same tables again after the full audit of a quick gate's tables failed.

        It checks every attack on each new table for the columns the audit found something in (for
        every column when the audit cannot say which, or when those were checked fully already).
        """
        failed = self.check().failed_columns
        if self.quick and failed and not failed <= self.thorough:
            return DisclosureGate(self.md, self.policy, quick=True, thorough=self.thorough | failed, memo=self._memo,
                                  prior=self.prior)
        return DisclosureGate(self.md, self.policy, memo=self._memo, prior=self.prior)

    def publish(self) -> list[dict[str, Any]]:
        """Audit every table made so far and return their public forms; raise DisclosureRisk unless the audit passes."""
        verdict = self.check()
        if not verdict.passed:
            full = self.audit()  # the full audit, for every problem in the message
            (full if not full.passed else verdict).raise_for_failure()
        return [t.to_public_dict() for t in self._tables]

    # ------------------------------------------------------------------ builders

    def frequency(self, outcome: str, *, categories: Sequence[str] | None = None, adverse: str | Iterable[str] | None = None,
                  population: Population | None = None, by: str | None = None, cycle: str | None = None,
                  title: str | None = None, description: str | None = None, percentages: bool = False,
                  public: bool = False) -> SafeTable:
        """How many people had each outcome (for example met / partly met / not met), whole school or by one characteristic.

        ``adverse`` are the unfavourable outcomes; by default every category but the first. ``public``: the
        whole-population row is a process figure (:attr:`DisclosurePolicy.process_outcomes`) published exactly.
        """
        cycle = self._cycle(cycle)
        population = population or Population.everyone()
        cats = self._categories(outcome, categories, population, [cycle])
        bad = as_tuple(adverse) if adverse is not None else tuple(c for c in cats[1:])
        query = Query(outcome, population, cats, tuple(c for c in bad if c in cats), by)
        check_query(self.md, query, self.policy)
        title = title or f"{column_label(outcome).capitalize()}: {population.description}" + (
            f", by {column_label(by)}" if by else "")
        description = description or (f"The number of {population.description} with each {column_label(outcome)} in "
                                      f"{cycle}" + (f", by {column_label(by)}." if by else "."))
        cols = [ColDef(code_label(c), (c,)) for c in cats]
        pct = tuple(range(len(cols))) if percentages else ()
        if public:
            self._check_public(outcome, by, cycle)
        return self._counts(query, [cycle], cols, pct, title, description,
                           public and bool(self.policy.process_outcomes))

    def rate(self, outcome: str, *, success: str | Iterable[str], population: Population | None = None,
             categories: Sequence[str] | None = None, adverse: str | Iterable[str] | None = None,
             by: str | None = None, cycle: str | None = None, title: str | None = None,
             description: str | None = None, success_label: str | None = None, rest_label: str | None = None) -> SafeTable:
        """The share of a population with a favourable outcome (pay progression among the pay-eligible), with counts."""
        cycle = self._cycle(cycle)
        population = population or Population.everyone()
        good = as_tuple(success)
        cats = self._categories(outcome, categories, population, [cycle])
        rest = tuple(c for c in cats if c not in good)
        bad = as_tuple(adverse) if adverse is not None else rest
        query = Query(outcome, population, cats, tuple(c for c in bad if c in cats), by)
        check_query(self.md, query, self.policy)
        good_label = success_label or " or ".join(code_label(c) for c in good)
        cols = [ColDef(good_label, good), ColDef(rest_label or _rest_label(rest), rest)]
        title = title or (f"{column_label(outcome).capitalize()}: share '{good_label.lower()}' among "
                          f"{population.description}" + (f", by {column_label(by)}" if by else ""))
        description = description or (f"How many {population.description} had the outcome '{good_label}' "
                                      f"({column_label(outcome)}) in {cycle}, and what share of them that is.")
        return self._counts(query, [cycle], cols, (0,), title, description)

    def compliance(self, rules: Mapping[str, str], *, cycle: str | None = None, title: str | None = None,
                   description: str | None = None, percentages: bool = True, public: bool = False) -> SafeTable:
        """For each rule (a column of met / breached / not_recorded per person), how many people it was met for.

        ``rules`` maps each column (for example ``rule:deadline``) to the rule's title. People whose
        outcome is not applicable or missing are not counted under that rule. ``public``: the rows of rules
        that are process figures (:attr:`DisclosurePolicy.process_outcomes`) are published exactly.
        """
        cycle = self._cycle(cycle)
        rows = []
        for column, rule_title in rules.items():
            population = Population(f"staff the rule '{rule_title}' applies to",
                                    ((column, COMPLIANCE_OUTCOMES),), in_scope_only=False)
            query = Query(column, population, COMPLIANCE_OUTCOMES, ("breached", "not_recorded"))
            check_query(self.md, query, self.policy)
            rows.append(RowDef(rule_title, query, Members(cycle, population)))
        cols = [ColDef(code_label(c), (c,)) for c in COMPLIANCE_OUTCOMES]
        layout = CountLayout(
            title or f"How well the policy's rules were kept, {cycle}",
            description or "For each rule of the performance management policy, the number of staff it applied to "
                           "and how many of them it was met for.",
            "Rule", rows, cols, (0,) if percentages else (), [notes.compliance()],
            public_rows=frozenset(r for r, row in enumerate(rows)
                                  if public and self._is_public(row.query.outcome, None, cycle)))
        return self._decide_counts(layout, {r.query.outcome for r in rows})

    def mean(self, value: str, *, population: Population | None = None, by: str | None = None,
             cycle: str | None = None, title: str | None = None, description: str | None = None,
             bounds: tuple[float, float | None] = (0.0, None)) -> SafeTable:
        """The average of a number per person (for example objectives per person), whole school or by one characteristic."""
        cycle = self._cycle(cycle)
        population = population or Population.everyone()
        query = Query(value, population, by=by, statistic="mean", value_bounds=bounds)
        check_query(self.md, query, self.policy)
        values = self.md.values(cycle, value)
        if (values.dropna() < 0).any() or (bounds[0] < 0):
            raise DisclosureRefused(f"{value!r} has negative values; averages are published only of counts and "
                                    "other values that cannot be negative.")
        label = column_label(value)
        rows, layout_notes = self._rows(query, [cycle], requires=value)
        layout = MeanLayout(title or f"Average {label}: {population.description}",
                            description or f"The average {label} per person among {population.description} in {cycle}.",
                            column_label(by).capitalize() if by else "", rows, label, layout_notes,
                            placeholder=self._placeholder(query, [cycle]))
        return self._decide_means(layout)

    def year_on_year(self, outcome: str, *, counted: str | Iterable[str], categories: Sequence[str] | None = None,
                     adverse: str | Iterable[str] | None = None, population: Population | None = None,
                     by: str | None = None, cycles: Sequence[str] | None = None, title: str | None = None,
                     description: str | None = None, counted_label: str | None = None) -> SafeTable:
        """How the number and share with an outcome changed between two cycles (the latest two by default)."""
        chosen = list(cycles) if cycles else self.md.cycles[-2:]
        if len(chosen) != 2:
            raise DisclosureRefused("A year-on-year table needs two cycles, and the data has "
                                    f"{len(self.md.cycles)}.", "Give two cycles with cycles=(earlier, later).")
        for c in chosen:
            self._cycle(c)
        population = population or Population.everyone()
        good = as_tuple(counted)
        cats = self._categories(outcome, categories, population, chosen)
        rest = tuple(c for c in cats if c not in good)
        bad = as_tuple(adverse) if adverse is not None else rest
        query = Query(outcome, population, cats, tuple(c for c in bad if c in cats), by)
        check_query(self.md, query, self.policy)
        label = counted_label or " or ".join(code_label(c) for c in good)
        rows, layout_notes = self._rows(query, chosen)
        table = build_year_on_year(self, query, chosen, rows, good, rest, label, layout_notes,
                                   title or f"{label}: change from {chosen[0]} to {chosen[1]}, {population.description}",
                                   description or f"How many {population.description} had the outcome '{label}' "
                                                  f"({column_label(outcome)}) in {chosen[0]} and in {chosen[1]}, and "
                                                  "the change.", self._placeholder(query, chosen))
        return self._accept(table)

    # ------------------------------------------------------------------ shared steps

    def _cycle(self, cycle: str | None) -> str:
        cycles = self.md.cycles
        if cycle is None:
            return cycles[-1]
        if cycle not in cycles:
            raise DisclosureRefused(f"The data has no cycle {cycle}.", f"Cycles in the data: {', '.join(cycles)}.")
        return cycle

    def _categories(self, outcome: str, given: Sequence[str] | None, population: Population,
                    cycles: Sequence[str]) -> tuple[str, ...]:
        if outcome not in self.md.frame.columns:
            raise DisclosureRefused(f"The data has no column {outcome!r}.")
        found: set[str] = set()
        for cycle in cycles:
            found |= self.md.present(Members(cycle, population), outcome, NOT_RECORDED)
        cats = list(given) if given is not None else list(schema_codes(outcome) or sorted(found - {NOT_RECORDED}))
        unknown = found - set(cats) - {NOT_RECORDED}
        if unknown:
            raise DisclosureRefused(f"{outcome!r} has values that are not among its categories: {sorted(unknown)}.",
                                    "List every category the column can take.")
        if NOT_RECORDED in found and NOT_RECORDED not in cats:
            cats.append(NOT_RECORDED)
        return tuple(cats)

    def _breakdown(self, query: Query, cycles: Sequence[str]) -> tuple[Breakdown | None, list[str]]:
        if query.by is None:
            return None, []
        if any(self.md.staff_in_scope(c) < self.policy.min_staff_for_breakdowns for c in cycles):
            return Breakdown((), False), [notes.small_school(self.policy)]
        found = choose_groups(self.md, cycles, query.population, query.by, self.policy)
        if not found.groups:
            return found, [notes.no_breakdown(query.by, self.policy)]
        if found.merged:
            return found, [notes.merged(query.by, [g.label for g in found.groups], self.policy)]
        return found, []

    def _placeholder(self, query: Query, cycles: Sequence[str]) -> str | None:
        """The label of a row of [c] when a breakdown had to be suppressed as a whole."""
        breakdown, _ = self._breakdown(query, cycles)
        if breakdown is not None and not breakdown.groups and breakdown.merged:
            return f"By {column_label(query.by or '')}"
        return None

    def _rows(self, query: Query, cycles: Sequence[str], requires: str | None = None) -> tuple[list[RowDef], list[str]]:
        """The whole-population row and, when allowed, a row per group, for the last of ``cycles``."""
        breakdown, layout_notes = self._breakdown(query, cycles)
        cycle = cycles[-1]
        rows = [RowDef(_total_label(query.population), query, Members(cycle, query.population, None, requires), True)]
        for g in breakdown.groups if breakdown else ():
            rows.append(RowDef(g.label, query, Members(cycle, query.population, g, requires)))
        return rows, layout_notes

    def _is_public(self, outcome: str, by: str | None, cycle: str) -> bool:
        """Whether a whole-population figure of ``outcome`` may be published exactly: a process outcome of the
        policy, with no breakdown, in the latest cycle."""
        return outcome in self.policy.process_outcomes and by is None and cycle == self.md.cycles[-1]

    def _check_public(self, outcome: str, by: str | None, cycle: str) -> None:
        """Refuse ``public=True`` for anything but a whole-school process figure of the latest cycle (a policy
        that publishes no process figure exactly, such as the union's, puts every figure through every rule)."""
        if self.policy.process_outcomes and not self._is_public(outcome, by, cycle):
            raise DisclosureRefused(f"Only a whole-school figure of the latest cycle of what the school did (a process "
                                    f"outcome of the policy) is published exactly; {outcome!r}"
                                    + (f" by {by}" if by else "") + f" in {cycle} is not one.",
                                    "Leave out public=True: the figure then goes through every rule.")

    def _counts(self, query: Query, cycles: list[str], cols: list[ColDef], pct: tuple[int, ...], title: str,
                description: str, public: bool = False) -> SafeTable:
        rows, layout_notes = self._rows(query, cycles)
        header = column_label(query.by).capitalize() if query.by else ""
        layout = CountLayout(title, description, header, rows, cols, pct, layout_notes,
                             placeholder=self._placeholder(query, cycles),
                             public_rows=frozenset(r for r, row in enumerate(rows) if public and row.is_total))
        return self._decide_counts(layout, {query.outcome})

    def is_public(self, spec: CellSpec) -> bool:
        """Whether an earlier table published this count exactly as a whole-school process figure."""
        return spec.kind == "count" and self.identity(spec) in self._public

    def identity(self, spec: CellSpec) -> tuple:
        """What makes two cells the same figure: the same outcomes counted over the same people."""
        return (spec.kind, spec.query.outcome, spec.members.cycle, frozenset(spec.categories),
                self.md.member_id(spec.members))

    def decide_counts(self, layout: CountLayout, columns: set[str]) -> tuple[SafeTable, set[Pos]] | None:
        """The least-hidden version of ``layout`` the audit passes, with its hidden cells (``None``: none passes)."""
        grid = layout.grid(self.md, self.policy)
        forced_public: set[Pos] = set()
        forced_hidden: set[Pos] = set()
        again = frozenset(r for r, row in enumerate(layout.rows)  # a process row an earlier table published exactly
                          if all(self.is_public(CellSpec("count", row.query, row.members, col.categories))
                                 for col in layout.cols))
        if again - layout.public_rows:
            layout = replace(layout, public_rows=layout.public_rows | again)
        for r, row in enumerate(layout.rows):
            for c, col in enumerate(layout.cols):
                seen = self._shown.get(self.identity(CellSpec("count", row.query, row.members, col.categories)))
                if seen is True or r in layout.public_rows:
                    forced_public.add((r, c))
                elif seen is False:
                    forced_hidden.add((r, c))
        for hidden in patterns(grid, self.policy, forced_public, forced_hidden):
            table = assemble_counts(layout, grid, hidden, self.policy)
            if self.passes(table, columns):
                return self._with_bands(layout, grid, hidden, columns) or table, hidden
        return None

    def _with_bands(self, layout: CountLayout, grid: Grid, hidden: set[Pos], columns: set[str]) -> SafeTable | None:
        """The table with its hidden counts given as bands (:mod:`.intervals`), if the audit, with the bands as
        constraints, still passes; ``None`` when there is nothing to band or it does not pass."""
        if not self.policy.intervals:
            return None
        bands = {}
        for r, c in hidden:
            found = band(int(grid.values[r, c]), int(grid.sizes[r]), self.policy.protection)
            if found is not None:
                bands[(r, c)] = found
        small = {pos: b for pos, b in bands.items() if b[0] == 0}
        # every band; else only the small numbers' ("5 or fewer"): the others' range then follows from the row
        for chosen in (bands, small) if small != bands else (bands,):
            if chosen:
                table = assemble_counts(layout, grid, hidden, self.policy, chosen)
                if self.passes(table, columns):
                    return table
        if len(bands) > _MAX_BANDS_ONE_BY_ONE:
            return None
        # else as many as pass, one at a time (two bands may together pin a figure down that either alone does not)
        kept: dict[Pos, tuple[int, int]] = {}
        best = None
        for pos in sorted(bands, key=lambda q: (bands[q][0] == 0, q)):
            table = assemble_counts(layout, grid, hidden, self.policy, kept | {pos: bands[pos]})
            if self.passes(table, columns):
                kept[pos] = bands[pos]
                best = table
        return best

    def _decide_counts(self, layout: CountLayout, columns: set[str]) -> SafeTable:
        found = self.decide_counts(layout, columns)
        if found is None:
            return self._accept(withheld_table(layout.title, layout.description, layout.notes, self.policy))
        return self._accept(found[0])

    def _decide_means(self, layout: MeanLayout) -> SafeTable:
        p = self.policy
        hidden0 = set()
        sizes = []
        for r, row in enumerate(layout.rows):
            positions = self.md.sorted_positions(row.members)  # in the order of the people's keys
            values = self.md.values(row.members.cycle, row.query.outcome).iloc[positions].tolist()
            sizes.append(len(values))
            if values and (len(values) < p.mean_min_contributors or dominated(values, p)):
                hidden0.add(r)
        candidates = [hidden0]
        if len(layout.rows) > 1 and len(hidden0) == 1:
            others = sorted((r for r in range(len(layout.rows)) if r not in hidden0 and sizes[r]),
                            key=lambda r: (layout.rows[r].is_total, sizes[r]))
            candidates = [hidden0 | set(others[:1])] if others else []
        candidates += [hidden0 | {r for r, row in enumerate(layout.rows) if not row.is_total},
                       set(range(len(layout.rows)))]
        for hidden in candidates:
            table = assemble_means(layout, self.md, hidden, p)
            if self.passes(table, {layout.rows[0].query.outcome}):
                return self._accept(table)
        return self._accept(withheld_table(layout.title, layout.description, layout.notes, p))

    def passes(self, table: SafeTable, columns: set[str]) -> bool:
        """Whether ``table``, with every table already made, passes the audit (for ``columns``)."""
        policy = self.policy if columns & self.thorough else self._table_policy
        return audit([*self._tables, table], self.md, policy, exact_ranges=False, columns=columns,
                     rules_checked=len(self._tables), memo=self._memo, prior=self.prior).passed

    def _accept(self, table: SafeTable) -> SafeTable:
        for r, row in enumerate(private_specs(table)):
            for c, spec in enumerate(row):
                if spec is not None and spec.kind == "count":
                    cell = table.cells[r][c]
                    shown = cell.symbol != self.policy.symbols.suppressed and cell.interval is None
                    self._shown.setdefault(self.identity(spec), shown)
                    if spec.public:
                        self._public.add(self.identity(spec))
        self._tables.append(table)
        return table


def make_quickly(microdata: Microdata, policy: DisclosurePolicy,
                 make: Callable[[DisclosureGate], T], prior: PriorVersion | None = None) -> tuple[DisclosureGate, T]:
    """Make tables with ``make(gate)`` through a quick gate and, while the full audit's verdict objects,
    make them again through ``gate.remake()``. Returns the last gate (its tables pass) and what ``make`` gave.
    ``prior``: an earlier version of the same report, audited with every table (:mod:`.versions`)."""
    gate = DisclosureGate(microdata, policy, quick=True, prior=prior)
    made = make(gate)
    while gate.quick and not gate.check().passed:
        gate = gate.remake()
        made = make(gate)
    return gate, made


def _total_label(population: Population) -> str:
    text = population.description
    return text[0].upper() + text[1:] if text.lower().startswith("all ") else f"All {text}"


def _rest_label(rest: Sequence[str]) -> str:
    if len(rest) == 1:
        return code_label(rest[0])
    return "Other outcomes (" + ", ".join(code_label(c).lower() for c in rest) + ")"
