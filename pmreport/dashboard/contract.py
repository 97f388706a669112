"""The governors' report (``report.json``) as the dashboard accepts it.

:func:`clean_report` checks a report against the shape ``pmreport.report`` writes and returns a
copy holding only the keys that shape names, so nothing outside it (a stray note, a person's
record) can reach the page, whatever the file holds. It refuses a report whose disclosure audit
did not pass, and any cell that carries a figure beside a symbol: a figure the gate hid must not
travel with the page, even where the page would not show it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pmreport.errors import InputUnusable

STAFF_GROUPS = ("all", "teachers", "support")
CHART_TYPES = ("bar", "stacked_bar", "line", "none")
COLUMN_KINDS = ("size", "count", "percent", "mean", "change")
POLICIES = ("governor", "union")


class ReportInvalid(InputUnusable):
    """The governors' report is not in the shape the dashboard reads, or failed its disclosure audit."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(
            f"The governors' report cannot be made into a dashboard: {where} {problem}.",
            "Make report.json again with pmreport's governors' report; do not edit it by hand.",
        )


def _get(obj: Mapping[str, Any], key: str, where: str, kind: type | tuple[type, ...], *, required: bool = True,
         default: Any = None) -> Any:
    if key not in obj or obj[key] is None:
        if required:
            raise ReportInvalid(where, f"has no {key!r}")
        return default
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool) and bool not in _as_tuple(kind):
        raise ReportInvalid(f"{where}.{key}", f"should be {_kind_name(kind)}")
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false", list: "a list",
             dict: "an object"}
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))


def _text(obj: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    return _get(obj, key, where, str, required=required, default="")


def _texts(obj: Mapping[str, Any], key: str, where: str) -> list[str]:
    items = _get(obj, key, where, list, required=False, default=[])
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise ReportInvalid(f"{where}.{key}[{i}]", "should be text")
    return list(items)


def _symbols(obj: Mapping[str, Any], where: str) -> dict[str, str]:
    raw = _get(obj, "symbols", where, dict, required=False, default={})
    out = {}
    for key, meaning in raw.items():
        if not isinstance(meaning, str):
            raise ReportInvalid(f"{where}.symbols.{key}", "should be text")
        out[str(key)] = meaning
    return out


def _cell(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ReportInvalid(where, "should be an object with a value, a symbol or a range (low and high)")
    text = _text(raw, "text", where)
    if "symbol" in raw and raw["symbol"] is not None:
        if raw.get("value") is not None:
            raise ReportInvalid(where, "has a figure as well as a symbol (a hidden figure must not be published)")
        symbol = _text(raw, "symbol", where)
        return {"symbol": symbol, "text": text}
    if "low" in raw and "high" in raw and raw.get("value") is None:  # a band in place of a count: "5 or fewer"
        low, high = _get(raw, "low", where, int), _get(raw, "high", where, int)
        if not 0 <= low <= high:
            raise ReportInvalid(where, "has a range whose low end is above its high end")
        return {"low": low, "high": high, "text": text}
    value = _get(raw, "value", where, (int, float))
    if not math.isfinite(value):
        raise ReportInvalid(f"{where}.value", "is not a finite number")
    return {"value": value, "text": text}


def _table(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ReportInvalid(where, "should be an object")
    columns = []
    for j, col in enumerate(_get(raw, "columns", where, list)):
        cw = f"{where}.columns[{j}]"
        if not isinstance(col, dict):
            raise ReportInvalid(cw, "should be an object")
        kind = _text(col, "kind", cw)
        if kind not in COLUMN_KINDS:
            raise ReportInvalid(f"{cw}.kind", f"should be one of {', '.join(COLUMN_KINDS)}")
        columns.append({"label": _text(col, "label", cw), "kind": kind})
    rows = []
    for i, row in enumerate(_get(raw, "rows", where, list)):
        rw = f"{where}.rows[{i}]"
        if not isinstance(row, dict):
            raise ReportInvalid(rw, "should be an object")
        cells = _get(row, "cells", rw, list)
        if len(cells) != len(columns):
            raise ReportInvalid(rw, f"has {len(cells)} cells for {len(columns)} columns")
        rows.append({"label": _text(row, "label", rw),
                     "cells": [_cell(c, f"{rw}.cells[{j}]") for j, c in enumerate(cells)]})
    chart_raw = _get(raw, "chart", where, dict, required=False, default={"type": "none"})
    chart_type = _text(chart_raw, "type", f"{where}.chart")
    if chart_type not in CHART_TYPES:
        raise ReportInvalid(f"{where}.chart.type", f"should be one of {', '.join(CHART_TYPES)}")
    value_column = _text(chart_raw, "value_column", f"{where}.chart", required=False)
    labels = [c["label"] for c in columns]
    if chart_type in ("bar", "line") and value_column not in labels:
        raise ReportInvalid(f"{where}.chart.value_column", f"{value_column!r} is not one of the table's columns")
    group = _text(raw, "staff_group", where, required=False) or "all"
    if group not in STAFF_GROUPS:
        raise ReportInvalid(f"{where}.staff_group", f"should be one of {', '.join(STAFF_GROUPS)}")
    policy = _text(raw, "policy", where)
    if policy not in POLICIES:
        raise ReportInvalid(f"{where}.policy", "is not a disclosure policy pmreport publishes under")
    return {
        "id": _text(raw, "id", where),
        "cycle": _text(raw, "cycle", where),
        "staff_group": group,
        "chart": {"type": chart_type, "value_column": value_column},
        "title": _text(raw, "title", where),
        "description": _text(raw, "description", where, required=False),
        "policy": policy,
        "row_header": _text(raw, "row_header", where, required=False),
        "columns": columns,
        "rows": rows,
        "footnotes": _texts(raw, "footnotes", where),
        "symbols": _symbols(raw, where),
    }


def _audit(raw: Mapping[str, Any]) -> dict[str, Any]:
    audit = _get(raw, "audit", "the report", dict)
    if audit.get("passed") is not True:
        raise ReportInvalid("the report's disclosure audit", "did not pass, so nothing from it may be shown to governors")
    return {"passed": True,
            "tables_checked": _get(audit, "tables_checked", "audit", int, required=False, default=0),
            "hidden_cells": _get(audit, "hidden_cells", "audit", int, required=False, default=0)}


def clean_report(raw: Any) -> dict[str, Any]:
    """Check ``raw`` against the report's shape; return a copy with only the keys the shape names."""
    if not isinstance(raw, dict):
        raise ReportInvalid("the file", "does not hold a report (it should be one JSON object)")
    school = _get(raw, "school", "the report", dict, required=False, default={})
    cycles = _texts(raw, "cycles", "the report")
    cycle = _text(raw, "cycle", "the report")
    if cycle not in cycles:
        cycles.append(cycle)
    sections = []
    seen: set[str] = set()
    for k, sec in enumerate(_get(raw, "sections", "the report", list)):
        sw = f"sections[{k}]"
        if not isinstance(sec, dict):
            raise ReportInvalid(sw, "should be an object")
        tables = [_table(t, f"{sw}.tables[{i}]") for i, t in enumerate(_get(sec, "tables", sw, list))]
        for t in tables:
            if t["id"] in seen:
                raise ReportInvalid(sw, f"repeats the table id {t['id']!r}")
            seen.add(t["id"])
        sections.append({"id": _text(sec, "id", sw), "heading": _text(sec, "heading", sw),
                         "intro": _text(sec, "intro", sw, required=False), "tables": tables})
    draft = raw.get("draft")
    return {
        "title": _text(raw, "title", "the report"),
        "draft": _text(draft, "text", "draft", required=False) if isinstance(draft, dict) else "",
        "school": {key: _text(school, key, "school", required=False) for key in ("name", "phase", "local_authority")},
        "cycle": cycle,
        "cycles": cycles,
        "generated": _text(raw, "generated", "the report", required=False),
        "policy": _text(raw, "policy", "the report", required=False),
        "symbols": _symbols(raw, "the report"),
        "sections": sections,
        "method": _text(raw, "method", "the report", required=False),
        "left_out": _left_out(raw),
        "audit": _audit(raw),
    }


def _left_out(raw: Mapping[str, Any]) -> list[dict[str, str]]:
    """What the report could not make from the workbook: for each item, what was left out and why (the two
    texts the report's sentence is made of; nothing else from the entry reaches the page)."""
    items = _get(raw, "left_out", "the report", list, required=False, default=[])
    out = []
    for i, item in enumerate(items):
        where = f"left_out[{i}]"
        if not isinstance(item, dict):
            raise ReportInvalid(where, "should be an object")
        out.append({"left_out": _text(item, "left_out", where), "why": _text(item, "why", where)})
    return out
