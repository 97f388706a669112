"""The adversarial audit: everything published, in every table and cycle of a report, attacked at once.

Run it on every report before any file is written for governors or a union::

    result = audit(tables, microdata)
    result.raise_for_failure()   # DisclosureRisk: no governor files are written

Two kinds of check. *Rules*: each published figure is rebuilt from the microdata (through the
private description the gate kept) and checked against the policy (no count from 1 to 4, no
group under 10, no percentage on fewer than 20 ...). *Inference*: every published figure becomes
a linear constraint on the unknown outcomes of the people it covers, and the solver looks for
anything hidden, or any person or group, that can be pinned down (see :mod:`.engine` and
:mod:`.means`), including by a colleague who knows their own record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from pmreport.disclosure import versions
from pmreport.disclosure.engine import CountAudit
from pmreport.disclosure.findings import Fact, Finding, Hidden, HiddenRange, Ref, Term
from pmreport.disclosure.labels import people
from pmreport.disclosure.means import MeanAudit, dominated
from pmreport.disclosure.microdata import Microdata
from pmreport.disclosure.policy import GOVERNOR_POLICY, DisclosurePolicy, Symbols
from pmreport.disclosure.query import Members, Query
from pmreport.disclosure.refusals import DisclosureRisk
from pmreport.disclosure.rounding import LOW, count_range, mean_total_range, percent_count_range
from pmreport.disclosure.sensitivity import query_problems
from pmreport.disclosure.tables import Cell, CellSpec, SafeTable, private_specs, private_symbols
from pmreport.disclosure.versions import PriorVersion


@dataclass(frozen=True)
class AuditResult:
    """Whether the report may be published, why not, and how far each hidden figure can be pinned down."""

    passed: bool
    findings: tuple[Finding, ...]
    ranges: tuple[HiddenRange, ...]
    tables: int
    figures: int
    hidden: int
    #: outcome columns whose figures the attacks found something in (a broken rule of the policy is not listed)
    failed_columns: frozenset[str] = frozenset()

    @property
    def intervals(self) -> tuple[HiddenRange, ...]:
        """The same as :attr:`ranges`: the feasible interval of every hidden figure."""
        return self.ranges

    @property
    def failures(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "failure")

    def summary(self) -> str:
        if self.passed:
            return (f"Disclosure audit passed: {self.tables} tables, {self.figures} published figures and "
                    f"{self.hidden} hidden figures checked; nobody can be identified from them.")
        lines = [f"Disclosure audit FAILED: {len(self.failures)} problem(s) in {self.tables} tables."]
        lines += [f"- {f.message}" for f in self.failures]
        return "\n".join(lines)

    def raise_for_failure(self) -> None:
        """Raise :class:`~pmreport.errors.DisclosureRisk` unless the audit passed."""
        if not self.passed:
            raise DisclosureRisk(self.summary(), "No governor or union files have been written. Remove or coarsen "
                                 "the tables named above, or use the tables exactly as the disclosure gate made them.")

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "tables": self.tables, "figures": self.figures, "hidden": self.hidden,
                "findings": [f.to_dict() for f in self.findings], "ranges": [r.to_dict() for r in self.ranges]}


@dataclass
class _Block:
    kind: str
    categories: list[str] = field(default_factory=list)
    adverse: set[str] = field(default_factory=set)
    bounds: tuple[float, float | None] = (0.0, None)
    facts: list[Fact] = field(default_factory=list)
    hidden: list[Hidden] = field(default_factory=list)
    public: set[Members] = field(default_factory=set)  #: whole-school process figures' people, published by design


class _Collector:
    """Turns tables into facts, hidden figures and rule findings."""

    def __init__(self, md: Microdata, policy: DisclosurePolicy):
        self.md, self.policy = md, policy
        self.blocks: dict[tuple[str, str], _Block] = {}
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, str]] = set()
        self._queries: set[Query] = set()
        self._counts: dict[tuple[Members, str], tuple[int, dict[str, int]]] = {}
        self._mean_values: dict[tuple[Members, str], list[float]] = {}
        self.figures = 0
        self.hidden = 0

    def add(self, finding: Finding) -> None:
        if (finding.code, finding.message) not in self._seen:
            self._seen.add((finding.code, finding.message))
            self.findings.append(finding)

    def block(self, spec: CellSpec) -> _Block:
        q = spec.query
        kind = "mean" if q.statistic == "mean" else "count"
        b = self.blocks.setdefault((kind, q.outcome), _Block(kind))
        b.categories += [c for c in q.categories if c not in b.categories]
        b.adverse |= set(q.adverse)
        if kind == "mean":
            b.bounds = q.value_bounds
        return b

    def table(self, table: SafeTable, rules: bool = True, only: set[str] | None = None) -> None:
        """Collect a table's figures; with ``only`` (and no rules to check), just those of these outcome columns."""
        specs = private_specs(table)
        for r, row in enumerate(specs):
            for c, spec in enumerate(row):
                if spec is None or (only is not None and not rules and spec.query.outcome not in only):
                    continue
                ref = Ref(table.title, table.row_labels[r], table.column_labels[c])
                self.cell(table.cells[r][c], spec, ref, private_symbols(table), rules)

    def cell(self, cell: Cell, spec: CellSpec, ref: Ref, symbols: Symbols, rules: bool = True) -> None:
        if rules and spec.query not in self._queries:
            self._queries.add(spec.query)
            for code, message in query_problems(self.md, spec.query, self.policy):
                self.add(Finding(code, f"{message} (table \"{ref.table}\")", (ref.table,)))
        if cell.published:
            self.figures += 1
            if rules:
                self._rules(cell, spec, ref)
        elif cell.symbol == symbols.suppressed or cell.interval is not None:
            self.hidden += 1
        if spec.kind == "size":
            return
        block = self.block(spec)
        members, cats = spec.members, frozenset(spec.categories)
        if spec.public and cell.published:
            block.public.add(members)
        if cell.interval is not None:
            # a band in place of a count: the exact figure is hidden (and must stay uncertain enough), and the
            # band is a constraint like any published figure
            block.hidden.append(Hidden(members, cats, ref))
            if spec.kind == "count":
                block.facts.append(Fact((Term(1, members, cats),), cell.interval[0], cell.interval[1], ref))
            return
        if cell.symbol is not None and cell.symbol != symbols.low:
            if cell.symbol == symbols.suppressed and spec.kind in ("count", "percent", "mean"):
                block.hidden.append(Hidden(members, cats, ref))
            return
        value = LOW if cell.symbol is not None else cell.value
        if spec.kind == "count":
            lo, hi = count_range(value, spec.base)  # type: ignore[arg-type]
            block.facts.append(Fact((Term(1, members, cats),), lo, hi, ref, direct=lo == hi))
        elif spec.kind == "percent":
            n = self.md.count(members)
            if n:
                lo, hi = percent_count_range(value, n, spec.base or 1)  # type: ignore[arg-type]
                block.facts.append(Fact((Term(1, members, cats),), lo, hi, ref))
        elif spec.kind == "mean":
            n = self.md.count(members)
            lo_t, hi_t = mean_total_range(float(value), n, spec.decimals)  # type: ignore[arg-type]
            block.facts.append(Fact((Term(1, members),), lo_t, hi_t, ref))
        elif spec.kind == "change" and spec.earlier is not None:
            self._change(block, spec, float(value), ref)  # type: ignore[arg-type]

    def _change(self, block: _Block, spec: CellSpec, delta: float, ref: Ref) -> None:
        cats = frozenset(spec.categories)
        assert spec.earlier is not None
        if spec.change_unit == "percent":
            n_now, n_then = self.md.count(spec.members), self.md.count(spec.earlier)
            if not n_now or not n_then:
                return
            slack = float(spec.base or 1)
            terms = (Term(100 / n_now, spec.members, cats), Term(-100 / n_then, spec.earlier, cats))
        else:
            slack = float(spec.base - 1) if spec.base and spec.base > 1 else 0.0
            terms = (Term(1, spec.members, cats), Term(-1, spec.earlier, cats))
        block.facts.append(Fact(terms, delta - slack, delta + slack, ref))

    # ------------------------------------------------------------------ rules

    def _rules(self, cell: Cell, spec: CellSpec, ref: Ref) -> None:
        p = self.policy
        tables = (ref.table,)
        if spec.members.group is not None:
            self._group_rules(spec.members, ref)
        if spec.public:
            if (spec.query.outcome not in p.process_outcomes or spec.members.group is not None
                    or spec.members.cycle != self.md.cycles[-1]):
                self.add(Finding("public_not_process", f"The figure in {ref.where()} is published exactly as a "
                                 "whole-school process figure, but it is not one (a personal outcome, a breakdown or "
                                 "an earlier cycle).", tables))
            elif spec.kind == "percent" and self.md.count(spec.members) < p.percent_min_denominator:
                self.add(Finding("percentage_small_base", f"The percentage in {ref.where()} is of "
                                 f"{people(self.md.count(spec.members))}, fewer than {p.percent_min_denominator}.",
                                 tables))
            return  # what the school did for all its staff: shown exactly, by design
        if spec.kind == "count":
            n, found = self._outcome_counts(spec)
            v = self._among(found, spec.categories)
            if 1 <= v < p.min_cell or (v == 0 and p.suppress_zero_cells and n):
                self.add(Finding("small_figure_published", f"The figure in {ref.where()} counts fewer than "
                                 f"{p.min_cell} people.", tables))
            if n and self._group_disclosed(spec, n, found, v):
                self.add(Finding("group_disclosure_published", f"The figure in {ref.where()} shows that everyone "
                                 "in the group had an unfavourable outcome.", tables))
            elif (n and p.hide_unanimous and v == n and spec.query.outcome not in p.process_outcomes
                  and not set(spec.categories) & set(spec.query.adverse or spec.query.categories)):
                self.add(Finding("unanimous_published", f"The figure in {ref.where()} shows that everyone in the "
                                 "group had the same outcome.", tables))
            if v > 0 and self.md.too_few_units(spec.members, spec.query.outcome, spec.categories,
                                               p.min_units_per_cell, p.max_unit_share):
                self.add(Finding("too_few_units", f"The figure in {ref.where()} comes from fewer than "
                                 f"{p.min_units_per_cell} schools, or one school is more than "
                                 f"{p.max_unit_share:.0%} of it.", tables))
        elif spec.kind == "percent":
            n = self.md.count(spec.members)
            if n < p.percent_min_denominator:
                self.add(Finding("percentage_small_base", f"The percentage in {ref.where()} is of {people(n)}, "
                                 f"fewer than {p.percent_min_denominator}.", tables))
            if isinstance(cell.value, int) and not spec.public and cell.value % p.percent_base(n):
                self.add(Finding("percentage_not_rounded", f"The percentage in {ref.where()} is not rounded to "
                                 f"the nearest {p.percent_base(n)}.", tables))
            self._school_rule(spec, spec.categories, ref)
        elif spec.kind == "mean":
            values = self._values(spec)
            if len(values) < p.mean_min_contributors:
                self.add(Finding("mean_too_few", f"The average in {ref.where()} is of {people(len(values))}, fewer "
                                 f"than {p.mean_min_contributors}.", tables))
            elif dominated(values, p) or min(values, default=0) < 0:
                self.add(Finding("mean_dominance", f"The average in {ref.where()} is dominated by one or two "
                                 "people's values (p% or NK rule).", tables))
            if values:
                self._school_rule(spec, self.md.outcome_codes(spec.members.cycle, spec.query.outcome).labels, ref)
        elif spec.kind == "change" and spec.earlier is not None:
            changed = self.md.changed(spec.members, spec.earlier)
            if 1 <= changed < p.yoy_min_membership_change:
                self.add(Finding("yoy_membership", f"The change in {ref.where()} is for a group whose membership "
                                 f"changed by {people(changed)} between the years.", tables))

    def _school_rule(self, spec: CellSpec, categories: Iterable[str], ref: Ref) -> None:
        """The union's rule for a percentage or an average: at least ``min_units_per_cell`` schools, none more
        than ``max_unit_share`` of the people behind it (counts are checked above)."""
        p = self.policy
        if p.min_units_per_cell <= 1 and p.max_unit_share >= 1:
            return
        if self.md.too_few_units(spec.members, spec.query.outcome, categories, p.min_units_per_cell,
                                 p.max_unit_share):
            self.add(Finding("too_few_units", f"The {'average' if spec.kind == 'mean' else 'percentage'} in "
                             f"{ref.where()} comes from fewer than {p.min_units_per_cell} schools, or one school "
                             f"is more than {p.max_unit_share:.0%} of it.", (ref.table,)))

    def _outcome_counts(self, spec: CellSpec) -> tuple[int, dict[str, int]]:
        """How many people a cell is about, and how many of them had each outcome (each outcome found once)."""
        key = (spec.members, spec.query.outcome)
        if key not in self._counts:
            coded = self.md.outcome_codes(spec.members.cycle, spec.query.outcome)
            found = np.bincount(coded.codes[self.md.mask(spec.members)], minlength=len(coded.labels))
            self._counts[key] = (self.md.count(spec.members),
                                 {coded.labels[i]: int(found[i]) for i in np.flatnonzero(found)})
        return self._counts[key]

    @staticmethod
    def _among(found: dict[str, int], categories: Iterable[str]) -> int:
        return sum(found.get(c, 0) for c in set(categories))

    def _values(self, spec: CellSpec) -> list[float]:
        """The values behind an average, in the order of the people's keys."""
        key = (spec.members, spec.query.outcome)
        if key not in self._mean_values:
            positions = self.md.sorted_positions(spec.members)
            self._mean_values[key] = self.md.values(spec.members.cycle, spec.query.outcome).iloc[positions].tolist()
        return self._mean_values[key]

    @classmethod
    def _group_disclosed(cls, spec: CellSpec, n: int, found: dict[str, int], v: int) -> bool:
        """A shown count that says everyone had an unfavourable outcome (or, as a zero, that nobody had a good one)."""
        named = set(spec.query.adverse)
        adverse = named or set(spec.query.categories) | set(found)
        cats = set(spec.categories)
        if cats <= adverse and v == n:
            return True
        n_adverse = cls._among(found, adverse)
        return bool(named) and not cats & adverse and v == 0 and n_adverse == n

    def _group_rules(self, members: Members, ref: Ref) -> None:
        p = self.policy
        whole = Members(members.cycle, members.population)
        group = Members(members.cycle, members.population, members.group)
        n_group, n_whole = self.md.count(group), self.md.count(whole)
        if n_group < p.min_group or n_whole - n_group < p.min_group:
            self.add(Finding("group_too_small", f"The breakdown in \"{ref.table}\" shows a group of "
                             f"{people(n_group)} out of {n_whole}; each group and the rest must have at least "
                             f"{p.min_group}.", (ref.table,)))
        staff = self.md.staff_in_scope(members.cycle)
        if staff < p.min_staff_for_breakdowns:
            self.add(Finding("breakdown_in_small_school", f"The breakdown in \"{ref.table}\" is for a school with "
                             f"{staff} staff in scope; below {p.min_staff_for_breakdowns} only whole-school figures "
                             "may be shown.", (ref.table,)))


#: Columns that say who people are, not what happened to them in the cycle (with the protected characteristics).
_ATTRIBUTES = frozenset({"role_group", "not_head", "pay_eligible", "responsibility", "pay_range", "contract_type",
                         "working_pattern"})


def _records(members: Members, attributes: set[str]) -> bool:
    """Whether ``members`` is picked out by a record of the cycle rather than only by who people are."""
    return any(c not in attributes for c, _ in members.population.where)


def _by_records(inner: Members, outer: Members, attributes: set[str]) -> Members | None:
    """``outer`` narrowed by the conditions on records of the cycle that ``inner`` adds (``None``: it adds none)."""
    own, theirs = dict(inner.population.where), dict(outer.population.where)
    records = {c: allowed for c, allowed in own.items() if theirs.get(c) != allowed and c not in attributes}
    if not records:
        return None
    where = tuple(sorted({**theirs, **records}.items()))
    return replace(outer, population=replace(outer.population, where=where))


def _population_differences(tables: list[SafeTable], md: Microdata, policy: DisclosurePolicy) -> list[Finding]:
    """Subtraction between tables over different populations: a hidden small count of a personal outcome whose
    people are exactly a population some table counts, or exactly what is left of one population when another
    (inside it) is taken away, is worked out from the two tables' numbers of staff, whatever the outcome columns.

    Each outcome column is otherwise modelled on its own; this check models every table's populations as sets
    of the same people (for example teachers under the observation cap, 18, and teachers who were observed, 17:
    the first table's hidden "none recorded" is 1).

    A reader can only use such a subtraction where the two populations differ by a record of the cycle (who was
    observed, who had a review, whose development was not all provided), which may be tied to the hidden
    outcome by definition. Where they differ only by who people are (role, characteristics, eligibility: for
    example all staff and all staff but the headteacher), the hidden figure's people being the same people is
    chance, which the reader cannot see, and is not reported."""
    attributes = set(policy.characteristics) | _ATTRIBUTES
    sizes: dict[tuple[str, bytes], tuple[Ref, Members]] = {}
    by_cycle: dict[str, list[tuple[np.ndarray, Ref, Members]]] = {}
    hidden: list[tuple[CellSpec, Ref]] = []
    for t in tables:
        symbols = private_symbols(t)
        for r, row in enumerate(private_specs(t)):
            for c, spec in enumerate(row):
                if spec is None:
                    continue
                cell = t.cells[r][c]
                ref = Ref(t.title, t.row_labels[r], t.column_labels[c])
                if spec.kind == "size" and cell.published and spec.base in (None, 1):
                    mask = md.mask(spec.members)
                    key = (spec.members.cycle, mask.tobytes())
                    if key not in sizes:
                        sizes[key] = (ref, spec.members)
                        by_cycle.setdefault(spec.members.cycle, []).append((mask, ref, spec.members))
                elif (spec.kind == "count" and (cell.symbol == symbols.suppressed or cell.interval is not None)
                      and spec.query.outcome not in policy.process_outcomes):
                    hidden.append((spec, ref))
    found: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for spec, ref in hidden:
        cycle = spec.members.cycle
        inside = md.mask(spec.members) & md.outcome_codes(cycle, spec.query.outcome).isin(spec.categories)
        v = int(inside.sum())
        if not 1 <= v < policy.min_cell or (ref.table, ref.row, ref.column) in seen:
            continue
        how = None
        same = sizes.get((cycle, inside.tobytes()))
        if same is not None and _records(same[1], attributes):
            how = f"it is the number of staff in \"{same[0].table}\" ({same[0].row})"
        else:
            for mask, outer, members in by_cycle.get(cycle, []):
                if int(mask[inside].sum()) == v and int(mask.sum()) > v:
                    found_inner = sizes.get((cycle, (mask & ~inside).tobytes()))
                    by_record = None if found_inner is None else _by_records(found_inner[1], members, attributes)
                    # the people the records alone take away (not who people are) are the hidden figure's people
                    if found_inner is not None and by_record is not None \
                            and np.array_equal(mask & ~md.mask(by_record), inside):
                        inner = found_inner[0]
                        how = (f"it is the number of staff in \"{outer.table}\" ({outer.row}) minus the number in "
                               f"\"{inner.table}\" ({inner.row})")
                        break
        if how is not None:
            seen.add((ref.table, ref.row, ref.column))
            found.append(Finding("population_difference", f"The hidden figure in {ref.where()} can be worked out "
                                 f"by subtraction between tables over different populations: {how}.",
                                 tuple(dict.fromkeys([ref.table]))))
    return found


#: What the attacks found in one block of figures, by everything they depend on (see ``memo`` below).
Memo = dict[tuple, tuple[tuple[Finding, ...], tuple[HiddenRange, ...]]]


def _with_prior(blocks: dict[tuple[str, str], _Block], prior: PriorVersion, md: Microdata, policy: DisclosurePolicy,
                wanted: set[str] | None) -> dict[tuple[str, str], tuple[_Block, Microdata]]:
    """The blocks of the new tables and of an earlier version's, each over the people of both versions
    (:mod:`.versions`), with the microdata to attack it on.

    Process outcomes are left as they are: what the school did is published exactly by design."""
    before = _Collector(prior.md, policy)
    for t in prior.tables:
        before.table(t, rules=False, only=wanted)
    out: dict[tuple[str, str], tuple[_Block, Microdata]] = {}
    for key, block in blocks.items():
        if key[1] in policy.process_outcomes:
            out[key] = (block, md)
    for key in dict.fromkeys([*blocks, *before.blocks]):
        kind, column = key
        if column in policy.process_outcomes or (wanted is not None and column not in wanted):
            continue
        now, then = blocks.get(key), before.blocks.get(key)
        mine = _moved(now, versions.later, "") if now is not None else _Block(kind, bounds=then.bounds)  # type: ignore[union-attr]
        if then is not None:
            moved = _moved(then, versions.earlier, f" ({versions.EARLIER_LABEL})")
            mine.categories += [c for c in moved.categories if c not in mine.categories]
            mine.adverse |= moved.adverse
            mine.facts += moved.facts
            mine.hidden += moved.hidden
            mine.public |= moved.public
        columns = {column} | ({md.scope} if md.scope else set())
        for b in (now, then):
            for m in _block_members(b):
                columns |= set(m.population.columns) | ({m.group.column} if m.group else set())
                columns |= {m.requires} if m.requires else set()
        out[key] = (mine, prior.combined(md, columns))
    return out


def _block_members(block: _Block | None) -> list[Members]:
    if block is None:
        return []
    return [t.members for f in block.facts for t in f.terms] + [h.members for h in block.hidden] + list(block.public)


def _moved(block: _Block, where: Callable[[Members], Members], label: str) -> _Block:
    """A block's figures, about the same people of one version in the combined microdata."""
    def ref(r: Ref) -> Ref:
        return replace(r, table=r.table + label) if label else r

    facts = [replace(f, terms=tuple(replace(t, members=where(t.members)) for t in f.terms), ref=ref(f.ref))
             for f in block.facts]
    hidden = [replace(h, members=where(h.members), ref=ref(h.ref)) for h in block.hidden]
    return _Block(block.kind, list(block.categories), set(block.adverse), block.bounds, facts, hidden,
                  {where(m) for m in block.public})


def audit(tables: Iterable[SafeTable], microdata: Microdata, policy: DisclosurePolicy = GOVERNOR_POLICY, *,
          exact_ranges: bool = True, columns: Iterable[str] | None = None, rules_checked: int = 0,
          memo: Memo | None = None, prior: PriorVersion | None = None) -> AuditResult:
    """Attack every figure in ``tables`` at once (all tables and cycles of a report).

    ``exact_ranges=False`` is the gate's quick check: it skips working out the exact range of
    hidden figures that need no protection and stops at the first finding. ``columns`` limits the
    inference checks to some outcome columns (the rules are always checked; the counts of figures
    and hidden figures in the result then cover only those columns and the tables checked by
    rules). ``rules_checked``: the first tables' rules were checked already (the gate's earlier
    tables), so only the rest's are.
    ``memo`` (for one ``microdata`` only) remembers what the attacks found in each outcome column's
    block of figures: a block with exactly the same figures, checked the same way, is not attacked
    again (the gate passes one when it makes the same tables again, :meth:`DisclosureGate.remake`).
    ``prior``: what an earlier version of the same report published (:mod:`.versions`); its figures are
    attacked together with these, over the people of both versions, so that a re-issue cannot reveal by
    difference what either version hides.
    """
    tables = list(tables)
    collect = _Collector(microdata, policy)
    wanted = None if columns is None else set(columns)
    for i, t in enumerate(tables):
        collect.table(t, rules=i >= rules_checked, only=wanted)
    findings = list(collect.findings)
    findings += _population_differences(tables, microdata, policy)
    ranges: list[HiddenRange] = []
    failed: set[str] = set()
    blocks = {key: (block, microdata) for key, block in collect.blocks.items()}
    if prior is not None:
        blocks = _with_prior(collect.blocks, prior, microdata, policy, wanted)
    for (kind, column), (block, engine_md) in blocks.items():
        if wanted is not None and column not in wanted:
            continue
        if not exact_ranges and any(f.severity == "failure" for f in findings):
            break
        if not block.facts and not block.hidden:
            continue
        key = (kind, column, tuple(block.categories), frozenset(block.adverse), block.bounds, tuple(block.facts),
               tuple(block.hidden), frozenset(block.public), exact_ranges, repr(policy))
        if memo is None or key not in memo:
            engine: CountAudit | MeanAudit
            if kind == "count":
                engine = CountAudit(engine_md, column, block.categories, block.adverse, block.facts, block.hidden,
                                    policy, public=block.public)
                engine.run(exact_ranges, first_only=not exact_ranges)
            else:
                engine = MeanAudit(engine_md, column, block.bounds, block.facts, block.hidden, policy)
                engine.run()
            found = (tuple(engine.findings), tuple(engine.ranges))
            if memo is not None:
                memo[key] = found
        else:
            found = memo[key]
        findings += found[0]
        ranges += found[1]
        if any(f.severity == "failure" for f in found[0]):
            failed.add(column)
    passed = not any(f.severity == "failure" for f in findings)
    return AuditResult(passed, tuple(findings), tuple(ranges), len(tables), collect.figures, collect.hidden,
                       frozenset(failed))
