"""The attacker's model of counts: what can be worked out about people from published figures.

Governors know everyone, so the model assumes a reader knows which people are in every
population and group a table uses. What the reader does not know is each person's outcome. The
people are split into *atoms*: people who fall in exactly the same populations and groups, so no
published figure can tell them apart. For each atom and each outcome the unknown is how many of
the atom's people had that outcome (an integer from 0 to the atom's size, summing to its size).
Every published figure is a linear constraint on these unknowns (an exact count is an equality,
a rounded figure an interval). ``scipy.optimize.milp`` then finds the lowest and highest value
anything can take, and the checks ask whether any hidden small figure, any group or any person's
outcome is pinned down, first for an outsider and then for a colleague who knows their own record.

Speed: see :mod:`.solver` (independent blocks, a pool of known solutions, remembered optima): a question
the pool already answers (two solutions that differ, say) is not put to the solver.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pmreport.disclosure.findings import Fact, Finding, Hidden, HiddenRange
from pmreport.disclosure.labels import code_label, people
from pmreport.disclosure.microdata import Microdata
from pmreport.disclosure.policy import DisclosurePolicy
from pmreport.disclosure.query import Members
from pmreport.disclosure.solver import IntegerModel, Lower


class _Stop(Exception):
    """Raised to stop checking at the first finding."""


@dataclass
class KnownSet:
    """People the reader can pick out: a population or group a table uses, or an atom."""

    cycle: str
    atoms: tuple[int, ...]
    size: int
    description: str
    is_atom: bool


class Atom:
    """People in exactly the same populations and groups of one cycle: ``(cycle, keys, sets)`` as a sequence.

    ``rows`` are the people's positions in :meth:`Microdata.rows`; their keys are made only when asked for.
    """

    __slots__ = ("cycle", "rows", "sig", "size", "_md", "_keys")

    def __init__(self, md: Microdata, cycle: str, rows: np.ndarray, sig: frozenset[int]):
        self._md, self.cycle, self.rows, self.sig = md, cycle, rows, sig
        self.size = len(rows)
        self._keys: frozenset[str] | None = None

    @property
    def keys(self) -> frozenset[str]:
        if self._keys is None:
            self._keys = frozenset(self._md.keys(self.cycle)[self.rows].tolist())
        return self._keys

    def __len__(self) -> int:
        return 3

    def __getitem__(self, i: int) -> Any:
        return (self.cycle, self.keys, self.sig)[i]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.cycle, self.keys, self.sig))


class Partition:
    """The populations and groups some tables use, and the atoms they split people into.

    A set is its cycle's rows it covers (a mask, :meth:`Microdata.mask`); each person gets a signature, one bit
    per set of the cycle, and people with the same signature make an atom.
    """

    def __init__(self, md: Microdata, specs: Iterable[Members]):
        self.md = md
        self.set_of: dict[Members, int] = {}
        self.set_specs: list[Members] = []
        self.set_cycle: list[str] = []
        self.set_desc: list[str] = []
        self.set_size: list[int] = []
        by_people: dict[tuple[str, bytes], int] = {}
        for spec in specs:
            if spec in self.set_of:
                continue
            people_id = md.member_id(spec)
            sid = by_people.get(people_id)
            if sid is None:
                sid = len(self.set_specs)
                by_people[people_id] = sid
                self.set_specs.append(spec)
                self.set_cycle.append(spec.cycle)
                self.set_desc.append(spec.describe())
                self.set_size.append(md.count(spec))
            self.set_of[spec] = sid
        atoms: list[Atom] = []
        for cycle in sorted(set(self.set_cycle)):
            atoms += self._cycle_atoms(cycle)
        self.atoms = atoms
        members: list[list[int]] = [[] for _ in self.set_specs]
        for a, atom in enumerate(atoms):
            for s in atom.sig:
                members[s].append(a)
        self.set_atoms = [tuple(m) for m in members]
        self._set_atom_sets = [frozenset(m) for m in members]

    def _cycle_atoms(self, cycle: str) -> list[Atom]:
        """The atoms of one cycle, ordered by the (sorted) sets they are in."""
        sids = [s for s, c in enumerate(self.set_cycle) if c == cycle]
        n = len(self.md.rows(cycle))
        words = np.zeros((n, (len(sids) + 63) // 64), dtype=np.uint64)
        for j, s in enumerate(sids):
            words[:, j // 64] |= self.md.mask(self.set_specs[s]).astype(np.uint64) << np.uint64(j % 64)
        inside = np.flatnonzero(words.any(axis=1))
        if not len(inside):
            return []
        group = np.zeros(len(inside), dtype=np.intp)
        for w in range(words.shape[1]):
            # each word's distinct values, combined with the groups so far (renumbered to stay small)
            codes, uniques = pd.factorize(words[inside, w])
            group = pd.factorize(group * len(uniques) + codes)[0]
        order = np.argsort(group, kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(group[order]) != 0])
        found = []
        for rows in np.split(inside[order], starts[1:]):
            first = words[rows[0]]
            sig = frozenset(s for j, s in enumerate(sids) if int(first[j // 64]) >> (j % 64) & 1)
            found.append((sorted(sig), Atom(self.md, cycle, rows, sig)))
        found.sort(key=lambda item: item[0])
        return [atom for _, atom in found]

    @property
    def set_keys(self) -> list[frozenset[str]]:
        """The keys of each set's people."""
        return [self.md.members(spec) for spec in self.set_specs]

    def size(self, atoms: Iterable[int]) -> int:
        return sum(self.atoms[a].size for a in atoms)

    def describe_atom(self, a: int) -> str:
        atom = self.atoms[a]
        cycle, sig = atom.cycle, atom.sig
        for s in sig:
            if self.set_size[s] == atom.size:  # the atom is in the set, so the set is exactly the atom
                return f"{self.set_desc[s]} ({people(atom.size)})"
        inside = [self.set_desc[s] for s in sorted(sig)]
        # a set meets the people of the sets the atom is in when they share an atom (atoms are never empty)
        near = frozenset().union(*(self._set_atom_sets[t] for t in sig))
        outside = [self.set_desc[s] for s, c in enumerate(self.set_cycle)
                   if c == cycle and s not in sig and not self._set_atom_sets[s].isdisjoint(near)]
        text = f"the {people(atom.size)} counted in {' and in '.join(inside)}"
        if outside:
            text += f" but not in {' or in '.join(dict.fromkeys(outside))}"
        return text

    def known_sets(self) -> list[KnownSet]:
        """Every published population or group, and every atom (each once)."""
        seen: dict[tuple[str, tuple[int, ...]], KnownSet] = {}
        for s, atoms in enumerate(self.set_atoms):
            key = (self.set_cycle[s], atoms)
            if atoms and key not in seen:
                seen[key] = KnownSet(self.set_cycle[s], atoms, self.size(atoms), self.set_desc[s], False)
        for a, atom in enumerate(self.atoms):
            key = (atom.cycle, (a,))
            if key not in seen:
                seen[key] = KnownSet(atom.cycle, (a,), atom.size, self.describe_atom(a), True)
        return list(seen.values())

    def rows(self, cycle: str) -> np.ndarray:
        """Which rows of a cycle are in any of its sets (a mask)."""
        mask = np.zeros(len(self.md.rows(cycle)), dtype=bool)
        for atom in self.atoms:
            if atom.cycle == cycle:
                mask[atom.rows] = True
        return mask


class CountAudit:
    """The counts of one outcome column, over every cycle and table that shows them."""

    def __init__(self, md: Microdata, column: str, categories: Sequence[str], adverse: Iterable[str],
                 facts: Sequence[Fact], hidden: Sequence[Hidden], policy: DisclosurePolicy,
                 public: Iterable[Members] = ()):
        self.md, self.column, self.policy = md, column, policy
        self.facts, self.hidden = list(facts), list(hidden)
        self._public_members = list(public)
        self.findings: list[Finding] = []
        self.ranges: list[HiddenRange] = []
        self._seen: set[tuple] = set()
        self._first_only = False
        self._build_sets()
        self._build_categories(categories, adverse)
        self._build_atoms()
        self._build_model()

    # ----------------------------------------------------------------- building

    def _build_sets(self) -> None:
        specs = [t.members for f in self.facts for t in f.terms] + [h.members for h in self.hidden]
        self.part = Partition(self.md, specs)
        self.set_of = self.part.set_of
        self.set_cycle, self.set_desc = self.part.set_cycle, self.part.set_desc

    def _build_categories(self, categories: Sequence[str], adverse: Iterable[str]) -> None:
        cats = list(dict.fromkeys(categories))
        for cycle in sorted(set(self.set_cycle)):
            coded = self.md.outcome_codes(cycle, self.column)
            present = np.flatnonzero(np.bincount(coded.codes[self.part.rows(cycle)], minlength=len(coded.labels)))
            cats += [c for c in sorted(coded.labels[i] for i in present) if c not in cats]
        self.cats = cats
        adverse = set(adverse)
        #: With no unfavourable outcome named, every outcome is treated as one (the cautious reading).
        self.adverse = [c in adverse for c in cats] if adverse else [True] * len(cats)
        self.has_favourable = not all(self.adverse)

    def _build_atoms(self) -> None:
        self.atoms, self.set_atoms = self.part.atoms, self.part.set_atoms

    def _build_model(self) -> None:
        k = len(self.cats)
        index = {c: i for i, c in enumerate(self.cats)}
        sizes = np.array([atom.size for atom in self.atoms], dtype=float)
        n = len(self.atoms) * k
        truth = np.zeros(n)
        for a, atom in enumerate(self.atoms):
            coded = self.md.outcome_codes(atom.cycle, self.column)
            found = np.bincount(coded.codes[atom.rows], minlength=len(coded.labels))
            for code in np.flatnonzero(found):
                truth[a * k + index[coded.labels[code]]] += found[code]
        self.truth = truth
        rows, lo, hi = [], [], []
        for a in range(len(self.atoms)):
            r = np.zeros(n)
            r[a * k:(a + 1) * k] = 1
            rows.append(r)
            lo.append(sizes[a])
            hi.append(sizes[a])
        self.consistent = True
        for fact in self.facts:
            r = np.zeros(n)
            for t in fact.terms:
                r += t.coef * self.form(self.set_atoms[self.set_of[t.members]], t.categories)
            if not r.any():
                continue
            value = r @ truth
            if value < fact.lo - 1e-6 or value > fact.hi + 1e-6:
                self.consistent = False
                self._add(Finding("inconsistent", f"The figure in {fact.ref.where()} does not match the data it was "
                                  "made from; the tables must be made again from the same data.", (fact.ref.table,)))
                continue
            rows.append(r)
            lo.append(fact.lo)
            hi.append(fact.hi)
        upper = np.repeat(sizes, k)
        #: the atoms of each whole-school process population whose figures are published exactly by design
        self.public_sets = list(dict.fromkeys(self.set_atoms[self.set_of[m]] for m in self._public_members
                                              if m in self.set_of))
        self.model = IntegerModel(upper, np.array(rows) if rows else np.zeros((0, n)), np.array(lo), np.array(hi), truth)
        self.known = self.part.known_sets()

    def form(self, atoms: Iterable[int], categories: Iterable[str] | None = None, adverse: bool = False) -> np.ndarray:
        """The unknowns summed for the people of ``atoms`` whose outcome is one of ``categories``."""
        k = len(self.cats)
        f = np.zeros(len(self.atoms) * k)
        if adverse:
            cols = [i for i in range(k) if self.adverse[i]]
        else:
            wanted = set(categories or ())
            cols = [i for i, c in enumerate(self.cats) if c in wanted]
        for a in atoms:
            for i in cols:
                f[a * k + i] = 1
        return f

    def _set_forms(self, ks: KnownSet) -> tuple[np.ndarray, int, list[tuple[np.ndarray, int]]]:
        """A known set's unfavourable-outcome form and its true total, and each outcome's form and true count
        (made once: the insider's checks ask about every set once per atom and outcome)."""
        cache = self.__dict__.setdefault("_set_form_cache", {})
        key = (ks.cycle, ks.atoms)
        if key not in cache:
            adverse_form = self.form(ks.atoms, adverse=True)
            per_category = []
            for c in self.cats:
                form = self.form(ks.atoms, [c])
                per_category.append((form, self.truth_of(form)))
            cache[key] = (adverse_form, self.truth_of(adverse_form), per_category)
        return cache[key]

    def _describe_atom(self, a: int) -> str:
        cache = self.__dict__.setdefault("_atom_words", {})
        if a not in cache:
            cache[a] = self.part.describe_atom(a)
        return cache[a]

    # ----------------------------------------------------------------- truth helpers

    def truth_of(self, form: np.ndarray) -> int:
        return int(np.rint(float(form @ self.truth)))

    def _add(self, finding: Finding) -> None:
        key = (finding.code, finding.message)
        if key not in self._seen:
            self._seen.add(key)
            self.findings.append(finding)
            if self._first_only:
                raise _Stop

    def _tables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([f.ref.table for f in self.facts] + [h.ref.table for h in self.hidden]))

    def _published_direct(self) -> set[tuple[tuple[int, ...], frozenset[str]]]:
        out = set()
        for f in self.facts:
            if f.direct:
                t = f.terms[0]
                out.add((self.set_atoms[self.set_of[t.members]], frozenset(t.categories)))
        return out

    def _group_disclosed(self, atoms: tuple[int, ...], size: int) -> bool:
        if size == 0:
            return False
        if self.has_favourable and self.truth_of(self.form(atoms, adverse=True)) == size:
            return True
        return any(self.adverse[i] and self.truth_of(self.form(atoms, [c])) == size for i, c in enumerate(self.cats))

    # ----------------------------------------------------------------- whole-school process figures

    def _by_public(self, atoms: Iterable[int], categories: Iterable[str] | None = None, adverse: bool = False,
                   insider: tuple[int, int] | None = None) -> bool:
        """Whether what can be known of the outcome ``categories`` (or the unfavourable ones) of the people of
        ``atoms`` follows from a whole-school process figure alone, which is published by design: the people are
        that whole population, or everyone in it (but the ``insider``, atom and outcome, who knows their own)
        had the outcome, or nobody did."""
        wanted = set(atoms)
        for e in self.public_sets:
            if not wanted <= set(e):
                continue
            if wanted == set(e):
                return True
            form = self.form(e, categories, adverse)
            v, n = self.truth_of(form), self.part.size(e)
            if insider is not None and insider[0] in e:
                n -= 1
                v -= int(form[insider[0] * len(self.cats) + insider[1]] > 0)
            if v in (0, n):
                return True
        return False

    def _public_width(self, atoms: tuple[int, ...], categories: Iterable[str],
                      insider: tuple[int, int] | None = None) -> int | None:
        """How far the whole-school process figures alone (and an ``insider``'s own record: atom, outcome) leave a
        figure of ``atoms`` uncertain (``None``: not covered by one): a hidden breakdown need not be more uncertain
        than the published whole already makes it."""
        wanted, size = set(atoms), self.part.size(atoms)
        k = len(self.cats)
        widths = []
        for e in self.public_sets:
            if not wanted <= set(e):
                continue
            form = self.form(e, categories)
            v, n, m, lo = self.truth_of(form), self.part.size(e), size, 0
            if insider is not None and insider[0] in e:  # take the insider out: they know their own outcome
                had = int(form[insider[0] * k + insider[1]] > 0)
                n, v = n - 1, v - had
                if insider[0] in wanted:
                    m, lo = m - 1, had
            widths.append((lo + min(m, v)) - (lo + max(0, v - (n - m))))
        return min(widths) if widths else None

    def sensitive(self, h: Hidden) -> bool:
        """Whether a hidden figure needs protecting: small, or part of a group's shared unfavourable outcome."""
        atoms = self.set_atoms[self.set_of[h.members]]
        size = self.part.size(atoms)
        value = self.truth_of(self.form(atoms, h.categories))
        if atoms in self.public_sets:
            return False  # a whole-school process figure: public by design
        if 1 <= value < self.policy.min_cell or (value == 0 and self.policy.suppress_zero_cells and size > 0):
            return True
        if self._group_disclosed(atoms, size):
            return True
        return self._too_few_units(h.members, h.categories, value)

    def _too_few_units(self, members: Members, categories: frozenset[str], value: int) -> bool:
        if self.md.unit is None or value == 0:
            return False
        return self.md.too_few_units(members, self.column, categories, self.policy.min_units_per_cell,
                                     self.policy.max_unit_share)

    # ----------------------------------------------------------------- checks

    def run(self, exact_ranges: bool = True, first_only: bool = False) -> None:
        """Every check; the insider's only when an outsider finds nothing (the simplest attack is reported).

        ``first_only`` stops at the first finding (the gate only needs to know whether a table passes).
        """
        if not self.consistent or not self.atoms:
            return
        self._first_only = first_only
        try:
            self._check_hidden(exact_ranges)
            self._check_sets()
            if self.policy.check_insider and not self.findings:
                self._check_insiders()
        except _Stop:
            pass

    def _check_hidden(self, exact_ranges: bool) -> None:
        self._sensitive_hidden: list[tuple[Hidden, np.ndarray, int]] = []
        for h in self.hidden:
            atoms = self.set_atoms[self.set_of[h.members]]
            size = self.part.size(atoms)
            form = self.form(atoms, h.categories)
            need = min(self.policy.protection, size)
            allowed = self._public_width(atoms, h.categories)
            if allowed is not None:
                need = min(need, allowed)
            is_sensitive = self.sensitive(h)
            if is_sensitive:
                self._sensitive_hidden.append((h, form, size if allowed is None else allowed))
            if exact_ranges:
                low, high = self.model.range(form)
                self.ranges.append(HiddenRange(h.ref.table, h.ref.row, h.ref.column, low, high))
                wide = high - low >= need
            elif is_sensitive:
                wide = self.model.width_at_least(form, need)
            else:
                continue
            if is_sensitive and not wide:
                how = "exactly" if exact_ranges and low == high else "too closely"
                if exact_ranges and low != high:
                    how = f"to between {int(low)} and {int(high)}"
                self._add(Finding("hidden_recoverable", f"The hidden figure in {h.ref.where()} can be worked out {how} "
                                  f"from the other published figures; a hidden small figure must stay uncertain by at "
                                  f"least {people(need)}.", self._tables()))

    def _covered(self, ks: KnownSet) -> bool:
        """Whether a published population or group containing ``ks`` is shown to have had no unfavourable outcome."""
        cache = self.__dict__.setdefault("_covered_cache", {})
        if (ks.cycle, ks.atoms) not in cache:
            cache[(ks.cycle, ks.atoms)] = self._find_cover(ks)
        return cache[(ks.cycle, ks.atoms)]

    def _find_cover(self, ks: KnownSet) -> bool:
        atoms = set(ks.atoms)
        for s, s_atoms in enumerate(self.set_atoms):
            if self.set_cycle[s] != ks.cycle or not atoms <= set(s_atoms):
                continue
            form = self.form(s_atoms, adverse=True)
            if self.truth_of(form) == 0 and not self.model.above(form, 0):
                return True
        return False

    def _check_sets(self) -> None:
        direct = self._published_direct()
        for ks in self.known:
            if ks.size > 0:
                self._check_set(ks, direct)

    def _check_set(self, ks: KnownSet, direct: set[tuple[tuple[int, ...], frozenset[str]]]) -> None:
        """Everyone with an unfavourable outcome; a small number known exactly; each of a few people's outcomes known."""
        p = self.policy
        adverse_form, adverse_total, per_category = self._set_forms(ks)
        if self.has_favourable and adverse_total == ks.size:
            if not self._by_public(ks.atoms, adverse=True) and not self.model.below(adverse_form, ks.size):
                self._group_finding(ks)
            return
        if (self.has_favourable and 1 <= adverse_total < p.min_cell and (ks.atoms, self._adverse_set()) not in direct
                and not self._by_public(ks.atoms, adverse=True) and not self.model.varies(adverse_form, adverse_total)):
            self._small_finding(ks, "an unfavourable outcome")
        for i, c in enumerate(self.cats):
            form, v = per_category[i]
            if self._by_public(ks.atoms, [c]):
                continue
            if v == ks.size and self.adverse[i]:
                if not self.model.below(form, v):
                    self._group_finding(ks)
            elif v == ks.size and p.hide_unanimous and self.column not in p.process_outcomes:
                if not self.model.varies(form, v):  # "all or all but a few" is as far as anyone may know
                    self._add(Finding("unanimous_outcome", f"The published figures show that every one of "
                                      f"{ks.description} had the same outcome ('{code_label(c)}').", self._tables()))
            elif v == ks.size:
                if ks.size < p.min_group and not self.model.varies(form, v) and not self._covered(ks):
                    self._add(Finding("individual_outcome", f"The published figures reveal the outcome of each of "
                                      f"{ks.description}, fewer than {p.min_group} people.", self._tables()))
            elif (1 <= v < p.min_cell and (ks.atoms, frozenset([c])) not in direct
                  and not self.model.varies(form, v)):
                self._small_finding(ks, f"the outcome '{code_label(c)}'")

    def _adverse_set(self) -> frozenset[str]:
        return frozenset(c for i, c in enumerate(self.cats) if self.adverse[i])

    def _group_finding(self, ks: KnownSet) -> None:
        self._add(Finding("group_disclosure", f"The published figures show that every one of {ks.description} "
                          "had the same unfavourable outcome.", self._tables()))

    def _small_finding(self, ks: KnownSet, what: str) -> None:
        self._add(Finding("small_number", f"The number of {ks.description} with {what} can be worked out exactly from "
                          f"the published figures, and it is under {self.policy.min_cell}.", self._tables()))

    def _check_insiders(self) -> None:
        """A colleague who knows their own outcome: fix one person of each atom and outcome, and look again."""
        k = len(self.cats)
        width = self.policy.insider_protection_width
        for a in range(len(self.atoms)):
            for i in range(k):
                if self.truth[a * k + i] < 1:
                    continue
                lower = {a * k + i: 1}
                for h, form, cap in self._sensitive_hidden:
                    allowed = self._public_width(self.set_atoms[self.set_of[h.members]], h.categories, (a, i))
                    need = min(width, cap) if allowed is None else min(width, cap, allowed)
                    if need > 0 and not self.model.width_at_least(form, need, lower):
                        self._add(Finding("insider_recovery", f"A member of staff among {self._describe_atom(a)} who "
                                          f"knows their own outcome could work out the hidden figure in {h.ref.where()}.",
                                          self._tables()))
                for ks in self.known:
                    self._insider_set(ks, a, i, lower)

    def _insider_set(self, ks: KnownSet, a: int, i: int, lower: Lower) -> None:
        own = a in ks.atoms
        rest = ks.size - int(own)
        if rest <= 0:
            return
        def insider() -> str:  # worded only when there is something to report (it is costly)
            return f"A member of staff who knows their own outcome (one of {self._describe_atom(a)})"

        adverse_form, adverse_total, per_category = self._set_forms(ks)
        if self.has_favourable and adverse_total - int(own and self.adverse[i]) == rest:
            if not self._by_public(ks.atoms, adverse=True, insider=(a, i)) and \
                    not self.model.below(adverse_form, adverse_total, lower):
                self._add(Finding("insider_group", f"{insider()} could tell that everyone else among {ks.description} "
                                  "had an unfavourable outcome.", self._tables()))
            return
        for j, (form, v) in enumerate(per_category):
            if self._by_public(ks.atoms, [self.cats[j]], insider=(a, i)):
                continue
            rest_v = v - int(own and i == j)
            if rest_v == rest and self.adverse[j] and not self.model.below(form, v, lower):
                self._add(Finding("insider_group", f"{insider()} could tell that everyone else among {ks.description} "
                                  "had the same unfavourable outcome.", self._tables()))
            elif rest == 1 and rest_v == 1:
                # a favourable outcome of a set shown to have no unfavourable one says nothing new: asked first,
                # as it is remembered per set while the solver would be asked again for every colleague
                if (not self.adverse[j] and self._covered(ks)) or self.model.varies(form, v, lower):
                    continue
                self._add(Finding("insider_individual", f"{insider()} could work out the outcome of the one other person "
                                  f"among {ks.description}.", self._tables()))
