"""Versions of one cycle's report: a re-issue is audited together with what was published before.

Governors do receive re-issued reports (a draft and the final; a correction; a leaver's rows deleted). Each
version alone may pass the audit and the two together still give someone away: removing one leaver turned
"Other outcomes" from 7 into 6 while "Met" stayed 14, so the leaver's outcome was "other". So the report
keeps, in the head's confidential folder, a record of what it last published for the cycle
(:func:`record`): every table as published, with the gate's private description of each figure, and the
microdata the figures were made from. The next version's gate is given that record as a
:class:`PriorVersion`, and every audit of the new tables includes the earlier tables as constraints:

- For each outcome, people are the same people in both versions when their key (the same salt is used
  again), their outcome and every fact that places them in the tables' populations and groups are the same;
  their outcome is then one unknown, shared by the two versions.
- Everyone else (a leaver, a joiner, a person whose record was corrected) has one unknown per version, and
  the attacker is assumed to know who they are (the strongest reading: a governor knows who left, and whose
  record was corrected).
- Every figure of the earlier version, and every figure the earlier version hid, is attacked again with the
  new ones: nothing either version hides may be worked out from the two together.

Whole-school process figures (what the school did) are not modelled across versions: they are published
exactly by design and describe the school, not a person (see docs/disclosure.md, "Process versus person").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from pmreport.disclosure.microdata import Microdata
from pmreport.disclosure.policy import Symbols
from pmreport.disclosure.query import Group, Members, Population, Query, norm_codes
from pmreport.disclosure.tables import Cell, CellSpec, Column, SafeTable, _issue, private_specs, private_symbols

#: The format of the record; a record of another format is refused with a plain message.
FORMAT = 1
#: The column of the combined microdata that says which version a row belongs to.
VERSION = "_version"
BOTH, EARLIER, LATER = "both", "earlier", "later"
#: How an earlier version's tables are named in the audit's findings.
EARLIER_LABEL = "the earlier version of this report"


class RecordUnreadable(ValueError):
    """The record of an earlier version cannot be used."""


@dataclass
class PriorVersion:
    """What an earlier version of the report published: its tables (with their private descriptions) and the
    microdata they were made from."""

    md: Microdata
    tables: list[SafeTable]
    salt: str
    number: int = 1
    written: str = ""
    #: for each table id, row and column, how the earlier version showed the figure (exact, interval, hidden)
    shown: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    _combined: dict[tuple[int, frozenset[str]], tuple[Microdata, Microdata]] = field(default_factory=dict, repr=False)

    def combined(self, md: Microdata, columns: Iterable[str]) -> Microdata:
        """The people of both versions as one microdata, with :data:`VERSION` saying whose row is whose: a person
        is one row for both versions when nothing in ``columns`` (an outcome and the columns that pick out the
        people its figures count) changed for them, and a row per version otherwise."""
        key = (id(md), frozenset(columns))
        found = self._combined.get(key)
        if found is None or found[0] is not md:
            found = (md, _combine(self.md, md, key[1]))
            self._combined[key] = found
        return found[1]


def later(members: Members) -> Members:
    """``members`` of the version being made, in the combined microdata."""
    return _in_version(members, (BOTH, LATER))


def earlier(members: Members) -> Members:
    """``members`` of the earlier version, in the combined microdata."""
    return _in_version(members, (BOTH, EARLIER))


def _in_version(members: Members, versions: tuple[str, ...]) -> Members:
    pop = members.population
    where = tuple(sorted((*(w for w in pop.where if w[0] != VERSION), (VERSION, versions))))
    return replace(members, population=replace(pop, where=where))


def _plain(md: Microdata) -> pd.DataFrame:
    frame = md.frame.drop(columns=[c for c in (md.key, md.cycle) if c is not None and c in md.frame.columns])
    return frame.rename(columns={"_cycle": "__cycle", "_key": "__person"})


def _combine(before: Microdata, now: Microdata, columns: frozenset[str]) -> Microdata:
    old, new = _plain(before), _plain(now)
    common = sorted(c for c in columns if c not in ("__cycle", "__person"))
    ids = ["__cycle", "__person"]
    joined = new[ids].reset_index(drop=True).merge(old[ids].reset_index().rename(columns={"index": "__old"}),
                                                   on=ids, how="left")
    same = joined["__old"].notna().to_numpy().copy()
    rows = np.flatnonzero(same)
    olds = joined["__old"].to_numpy()[rows].astype(int)
    for c in common:  # same person, same facts: one unknown for both versions
        if not len(rows):
            break
        if c not in new.columns or c not in old.columns:  # a column of one version only: nobody is the same
            same[rows] = False
            rows, olds = rows[:0], olds[:0]
            break
        a_codes, a_labels = norm_codes(new[c].iloc[rows].reset_index(drop=True))
        b_codes, b_labels = norm_codes(old[c].loc[olds].reset_index(drop=True))
        a = np.array(a_labels, dtype=object)[a_codes]
        b = np.array(b_labels, dtype=object)[b_codes]
        keep = a == b
        same[rows[~keep]] = False
        rows, olds = rows[keep], olds[keep]
    kept_old = set(olds.tolist())
    later_rows = new.reset_index(drop=True).assign(**{VERSION: np.where(same, BOTH, LATER)})
    earlier_rows = old.loc[[i for i in old.index if i not in kept_old]].copy()
    earlier_rows[VERSION] = EARLIER
    earlier_rows["__person"] = earlier_rows["__person"].astype(str) + "~earlier"
    frame = pd.concat([later_rows, earlier_rows], ignore_index=True)
    return Microdata(frame, key="__person", cycle="__cycle", scope=now.scope, unit=now.unit,
                     sensitivity=dict(now.sensitivity))


# ------------------------------------------------------------------------------------------ the record


def record(tables: Iterable[SafeTable], md: Microdata, salt: str, *, number: int = 1, written: str = "",
           shown: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None) -> str:
    """The confidential record of a published version, as JSON text (for the head's folder only: it holds
    the microdata under pseudonymous keys, and the salt that makes them)."""
    interned: dict[Any, int] = {}
    pool: list[Any] = []

    def ref(obj: Any) -> int:
        if obj not in interned:
            encoded = _encode(obj, ref)  # what it refers to first, so that reading in order finds it
            interned[obj] = len(pool)
            pool.append(encoded)
        return interned[obj]

    out_tables = []
    for t in tables:
        out_tables.append({
            "title": t.title, "description": t.description, "row_header": t.row_header,
            "rows": list(t.row_labels), "columns": [[c.label, c.kind] for c in t.columns],
            "cells": [[_cell(c) for c in row] for row in t.cells], "footnotes": list(t.footnotes),
            "policy": t.policy, "symbols": _symbols(private_symbols(t)),
            "specs": [[None if s is None else ref(s) for s in row] for row in private_specs(t)],
        })
    frame = _plain(md)
    return json.dumps({
        "format": FORMAT, "what": "CONFIDENTIAL: the record of a published report to governors, for the next "
                                  "version's disclosure audit. It holds staff data under pseudonymous keys: keep "
                                  "it in the headteacher's confidential folder.",
        "number": number, "written": written, "salt": salt, "key": md.key, "cycle": md.cycle, "scope": md.scope,
        "sensitivity": dict(md.sensitivity), "microdata": json.loads(frame.to_json(orient="split", date_format="iso")),
        "objects": pool, "tables": out_tables, "shown": shown or {},
    }, ensure_ascii=False)


def load(text: str) -> PriorVersion:
    """A :class:`PriorVersion` from :func:`record`'s text (:class:`RecordUnreadable` when it cannot be used)."""
    try:
        raw = json.loads(text)
        if raw.get("format") != FORMAT:
            raise RecordUnreadable(f"it is in format {raw.get('format')!r}, and this version of pmreport reads "
                                   f"format {FORMAT}")
        split = raw["microdata"]
        frame = pd.DataFrame(split["data"], columns=split["columns"])
        md = Microdata(frame, key="__person", cycle="__cycle", scope=raw.get("scope"),
                       sensitivity=raw.get("sensitivity") or {})
        objects: list[Any] = []
        for item in raw["objects"]:
            objects.append(_decode(item, objects))
        tables = [_table(t, objects) for t in raw["tables"]]
        return PriorVersion(md, tables, str(raw["salt"]), int(raw.get("number", 1)), str(raw.get("written", "")),
                            raw.get("shown") or {})
    except RecordUnreadable:
        raise
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise RecordUnreadable(f"it is damaged or incomplete ({type(exc).__name__})") from exc


def hidden_since(prior: PriorVersion, tables: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """Figures (table title, row, column) the earlier version showed more of than the new one does: exactly
    then and as a range or hidden now, or as a range then and hidden now."""
    rank = {"exact": 2, "interval": 1, "hidden": 0}
    out = []
    for t in tables:
        then = prior.shown.get(str(t.get("id", t.get("title"))), {})
        labels = [c["label"] for c in t["columns"]]
        for row in t["rows"]:
            before = then.get(row["label"], {})
            for label, cell in zip(labels, row["cells"], strict=True):
                was, now = before.get(label), cell.get("shown")
                if was in rank and now in rank and rank[now] < rank[was]:
                    out.append((t["title"], row["label"], label))
    return out


def shown_map(tables: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, dict[str, str]]]:
    """How each published figure was shown (by table id, row and column), for :func:`hidden_since` later."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for t in tables:
        labels = [c["label"] for c in t["columns"]]
        rows = out.setdefault(str(t.get("id", t.get("title"))), {})
        for row in t["rows"]:
            rows[row["label"]] = {label: cell.get("shown", "") for label, cell in zip(labels, row["cells"], strict=True)}
    return out


# ------------------------------------------------------------------------------------------ encoding


def _symbols(s: Symbols) -> dict[str, str]:
    return {"suppressed": s.suppressed, "low": s.low, "not_available": s.not_available,
            "not_applicable": s.not_applicable, "unreliable": s.unreliable}


def _cell(c: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": c.kind}
    if c.value is not None:
        out["value"] = c.value
    if c.symbol is not None:
        out["symbol"] = c.symbol
    if c.interval is not None:
        out["interval"] = list(c.interval)
    if c.change_unit is not None:
        out["change_unit"] = c.change_unit
    return out


def _encode(obj: Any, ref: Any) -> dict[str, Any]:
    if isinstance(obj, Population):
        return {"t": "population", "description": obj.description, "where": [[c, list(v)] for c, v in obj.where],
                "in_scope_only": obj.in_scope_only}
    if isinstance(obj, Group):
        return {"t": "group", "column": obj.column, "values": list(obj.values), "label": obj.label}
    if isinstance(obj, Members):
        return {"t": "members", "cycle": obj.cycle, "population": ref(obj.population),
                "group": None if obj.group is None else ref(obj.group), "requires": obj.requires}
    if isinstance(obj, Query):
        return {"t": "query", "outcome": obj.outcome, "population": ref(obj.population),
                "categories": list(obj.categories), "adverse": list(obj.adverse), "by": obj.by,
                "statistic": obj.statistic, "value_bounds": list(obj.value_bounds)}
    if isinstance(obj, CellSpec):
        return {"t": "spec", "kind": obj.kind, "query": ref(obj.query), "members": ref(obj.members),
                "categories": list(obj.categories), "earlier": None if obj.earlier is None else ref(obj.earlier),
                "change_unit": obj.change_unit, "base": obj.base, "decimals": obj.decimals, "public": obj.public}
    raise TypeError(f"cannot record {type(obj).__name__}")  # pragma: no cover - the gate's own objects only


def _decode(item: Mapping[str, Any], objects: list[Any]) -> Any:
    t = item["t"]
    if t == "population":
        return Population(item["description"], tuple((c, tuple(v)) for c, v in item["where"]),
                          bool(item["in_scope_only"]))
    if t == "group":
        return Group(item["column"], tuple(item["values"]), item["label"])
    if t == "members":
        return Members(item["cycle"], objects[item["population"]],
                       None if item["group"] is None else objects[item["group"]], item["requires"])
    if t == "query":
        return Query(item["outcome"], objects[item["population"]], tuple(item["categories"]), tuple(item["adverse"]),
                     item["by"], item["statistic"], tuple(item["value_bounds"]))  # type: ignore[arg-type]
    if t == "spec":
        return CellSpec(item["kind"], objects[item["query"]], objects[item["members"]], tuple(item["categories"]),
                        None if item["earlier"] is None else objects[item["earlier"]], item["change_unit"],
                        item["base"], int(item["decimals"]), bool(item["public"]))
    raise ValueError(f"unknown object {t!r}")


def _table(raw: Mapping[str, Any], objects: list[Any]) -> SafeTable:
    cells = [[Cell(c["kind"], value=c.get("value"), symbol=c.get("symbol"), change_unit=c.get("change_unit"),
                   interval=None if c.get("interval") is None else tuple(c["interval"]))  # type: ignore[arg-type]
              for c in row] for row in raw["cells"]]
    specs = [[None if s is None else objects[s] for s in row] for row in raw["specs"]]
    return _issue(title=raw["title"], description=raw["description"], row_header=raw["row_header"],
                  rows=raw["rows"], columns=[Column(label, kind) for label, kind in raw["columns"]], cells=cells,
                  footnotes=raw["footnotes"], symbols=Symbols(**raw["symbols"]), policy=raw["policy"], specs=specs)
