"""A school's own column map: which of its sheets and columns are which of pmreport's, and what its
codes mean, written once (``pmreport map``) and given to every command with ``--mapping``.

The file is YAML (docs/column-map.md):

    sheets:
      "Personnel":                 # the sheet as the workbook (or CSV file) names it
        table: staff               # pmreport's sheet; null: do not read this sheet
        columns:
          "Code": staff_id         # the column's heading: pmreport's field; null: do not read it
          "Notes": null
        values:
          role_group:              # a field with codes, or yes/no
            "Class Tchr": teacher  # the value as written: the code it means

A map adds to the data contract; it never takes away: headings and values pmreport already knows
still work. Its headings come before every alias, so a map can also move a heading to another field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from pmreport.errors import InputUnusable
from pmreport.header_search import HEADER_SEARCH_ROWS, locate, match_sheets, suggest_field, suggest_sheet
from pmreport.normalise import is_blank, parse_value
from pmreport.reading import RawSheet, RawWorkbook
from pmreport.schema import SheetSchema, header_key

#: Most unrecognised values listed for one field in a starter map.
MAX_VALUES = 50


@dataclass(frozen=True)
class SheetMap:
    """One source sheet's entry: its table (None: not read), columns and values."""

    sheet: str
    table: str | None
    columns: dict[str, str | None] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ColumnMap:
    source: Path
    sheets: tuple[SheetMap, ...] = ()

    @property
    def assigned(self) -> dict[str, str | None]:
        """Folded sheet name -> pmreport's sheet (None: not to be read)."""
        return {header_key(s.sheet): s.table for s in self.sheets}


def _bad(path: Path, where: str, problem: str, fix: str) -> InputUnusable:
    return InputUnusable(f"The column map {path.name}: {where}: {problem}", fix)


def read_map(path: str | Path) -> ColumnMap:
    """Read and check a column map against the data contract. Raises :class:`InputUnusable` (exit 2)
    naming the entry that is wrong and what it may be."""
    p = Path(path)
    if not p.is_file():
        raise InputUnusable(f"The column map {p} does not exist.", "Write one with: pmreport map WORKBOOK --out mapping.yaml")
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise InputUnusable(f"The column map {p.name} is not valid YAML{where}.",
                            "Check the indentation and quotes near that line, or write a fresh map with pmreport map.") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("sheets"), dict):
        raise InputUnusable(f"The column map {p.name} has no 'sheets:' section.", "Write a starter map with pmreport map WORKBOOK --out mapping.yaml")
    from pmreport.schema import load_schemas

    schemas = load_schemas()
    out = []
    for sheet, entry in raw["sheets"].items():
        entry = entry or {}
        if not isinstance(entry, dict):
            raise _bad(p, f"sheet '{sheet}'", "should have table:, columns: and values: under it.", "See docs/column-map.md.")
        table = entry.get("table")
        if table is not None and table not in schemas:
            raise _bad(p, f"sheet '{sheet}'", f"table '{table}' is not one of pmreport's sheets.",
                       f"Write one of: {', '.join(schemas)}; or null not to read the sheet.")
        columns: dict[str, str | None] = {}
        for heading, name in (entry.get("columns") or {}).items():
            if name is not None and (table is None or name not in schemas[table].names):
                hint = f"the {table} sheet's fields are: {', '.join(schemas[table].names)}" if table else "give the sheet a table first"
                raise _bad(p, f"sheet '{sheet}', column '{heading}'", f"'{name}' is not a field of the {table} sheet.",
                           f"Write one of its fields, or null not to read the column ({hint}).")
            columns[str(heading)] = None if name is None else str(name)
        values: dict[str, dict[str, str]] = {}
        for name, spellings in (entry.get("values") or {}).items():
            if table is None or name not in schemas[table].names:
                raise _bad(p, f"sheet '{sheet}', values of '{name}'", f"'{name}' is not a field of the {table} sheet.",
                           "Use the field names listed under columns:.")
            f = schemas[table].field(name)
            allowed = set(f.codes) if f.type == "code" else {"y", "n", "unknown"} if f.type == "boolean" else set()
            for written, code in (spellings or {}).items():
                if code is None:
                    continue  # not decided yet: the value stays unrecognised
                if str(code) not in allowed:
                    raise _bad(p, f"sheet '{sheet}', {name} value '{written}'", f"'{code}' is not one of its codes.",
                               f"Write one of: {', '.join(sorted(allowed)) or '(this field has no codes)'}.")
                values.setdefault(name, {})[str(written)] = str(code)
        out.append(SheetMap(str(sheet), table, columns, values))
    return ColumnMap(p, tuple(out))


def apply_map(schemas: dict[str, SheetSchema], cmap: ColumnMap | None) -> dict[str, SheetSchema]:
    """The data contract with a school's column map added: sheet names as aliases, headings first in
    the header lookup, values as more spellings of codes."""
    if cmap is None:
        return schemas
    out = dict(schemas)
    for entry in cmap.sheets:
        if entry.table is None:
            continue
        sch = out[entry.table]
        heads = {**sch.header_map, **{header_key(h): n for h, n in entry.columns.items()}}
        fields = tuple(
            replace(f, export_values={**f.export_values, **entry.values[f.name]}) if f.name in entry.values else f
            for f in sch.fields
        )
        out[entry.table] = replace(sch, aliases=(*sch.aliases, entry.sheet), header_map=heads, fields=fields)
    return out


def _header_row(raw: RawSheet) -> int | None:
    """The row most likely to be the headings when none is known: the one with the most text cells
    (title rows above a table have one or two)."""
    best, count = None, 1
    for idx, row in enumerate(raw.rows[:HEADER_SEARCH_ROWS]):
        n = sum(isinstance(v, str) and not is_blank(v) for v in row)
        if n > count:
            best, count = idx, n
    return best


def starter_map(raw: RawWorkbook, schemas: dict[str, SheetSchema], cmap: ColumnMap | None = None) -> list[dict[str, Any]]:
    """Every sheet and column of a workbook, the table and field each was matched to (or none, with
    suggestions), and every unrecognised value of a field with codes or yes/no. ``schemas`` and ``cmap``:
    the data contract with the map so far applied, and that map."""
    found, unused, dupes = match_sheets(raw, schemas, cmap.assigned if cmap is not None else None)
    skipped = {header_key(s.sheet) for s in (cmap.sheets if cmap is not None else ()) if s.table is None}
    table_of = {id(s): t for t, s in found.items()} | {id(s): None for s, _ in dupes}
    out: list[dict[str, Any]] = []
    for sheet in raw.sheets:
        if header_key(sheet.name) in skipped:
            out.append({"sheet": sheet.name, "table": None, "columns": [], "values": {}, "skipped": True})
            continue  # the map says not to read it
        if id(sheet) not in table_of and sheet not in unused:
            continue  # instructions and notes
        table = table_of.get(id(sheet))
        entry: dict[str, Any] = {"sheet": sheet.name, "table": table, "columns": [], "values": {}}
        if table is None:
            entry["suggest"] = suggest_sheet(sheet.name, schemas)
            idx = _header_row(sheet)
            heads = [] if idx is None else [(c, v) for c, v in enumerate(sheet.rows[idx]) if not is_blank(v)]
            entry["header_row"] = None if idx is None else sheet.row_numbers[idx]
            entry["columns"] = [(" ".join(str(v).split()), None, "TO DO: a field, or leave null") for _, v in heads]
            out.append(entry)
            continue
        sch = schemas[table]
        layout = locate(sheet, sch)
        if layout.key_value:  # details as label/value pairs: the labels in column A are the headings
            entry["header_row"], entry["pairs"] = None, True
            names = {i: n for n, i in layout.kv_rows.items()}
            entry["columns"] = [(" ".join(str(r[0]).split()), names.get(i), None if i in names else "not a field: leave null")
                                for i, r in enumerate(sheet.rows[:200]) if r and not is_blank(r[0])]
            out.append(entry)
            continue
        idx = layout.header_index if layout.header_index is not None else _header_row(sheet)
        entry["header_row"] = None if idx is None else sheet.row_numbers[idx]
        by_col = {c: n for n, c in layout.columns.items()}
        joined = {c: n for n, cols in layout.joined.items() for c in cols}
        other = {ignored: (n, used) for n, used, ignored in layout.choices}
        if idx is not None:
            for c, v in enumerate(sheet.rows[idx]):
                if is_blank(v):
                    continue
                heading = " ".join(str(v).split())
                if layout.header_index is not None and c in joined:
                    # read by joining: left out of the map (a map's heading is one column), said in a comment
                    entry["columns"].append((heading, "", f"joined with the others to make {joined[c]}"))
                    continue
                if layout.header_index is not None and c in other:
                    n, used = other[c]
                    entry["columns"].append((heading, None, f"also means {n}; '{_heading(sheet, idx, used)}' was read instead"))
                    continue
                name = by_col.get(c) if layout.header_index is not None else None
                hint = suggest_field(heading, sch)
                entry["columns"].append((heading, name, None if name else f"TO DO: {'perhaps ' + hint if hint else 'a field, or leave null'}"))
        if layout.header_index is not None:
            entry["values"] = _unmapped_values(layout.raw, layout.header_index, layout.columns, sch)
        out.append(entry)
    return out


def _heading(sheet: RawSheet, idx: int, col: int) -> str:
    return " ".join(str(sheet.rows[idx][col]).split())


def _unmapped_values(raw: RawSheet, header: int, columns: dict[str, int], sch: SheetSchema) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, col in columns.items():
        f = sch.field(name)
        if f.type not in ("code", "boolean"):
            continue
        seen: dict[str, None] = {}
        for row in raw.rows[header + 1 :]:
            v = row[col] if col < len(row) else None
            if is_blank(v) or " ".join(str(v).split()) in seen:
                continue
            if parse_value(v, f)[1] is not None:
                seen[" ".join(str(v).split())] = None
            if len(seen) >= MAX_VALUES:
                break
        if seen:
            out[name] = list(seen)
    return out


def _q(text: object) -> str:
    """A YAML scalar in double quotes (JSON's string syntax is YAML's)."""
    import json

    return json.dumps(str(text), ensure_ascii=False)


def render_map(entries: list[dict[str, Any]], source: str, schemas: dict[str, SheetSchema]) -> str:
    """The starter map as YAML, with a comment on each line a person has to decide."""
    lines = [
        f"# pmreport column map for {source}. Edit it once, keep it with the school's records, and give it",
        "# to every command: pmreport validate FILE --mapping this.yaml (and check, report, ...).",
        "# table: which of pmreport's sheets this is (null: do not read the sheet).",
        "# columns: heading as written: the field it holds (null: do not read the column).",
        "# values: for a field with codes, each value as written: the code it means.",
        "# Lines marked TO DO are what pmreport could not match; see docs/column-map.md.",
        "sheets:",
    ]
    for e in entries:
        table = e["table"]
        note = ""
        if e.get("skipped"):
            note = "  # not read"
        elif table is None:
            hint = f" Did you mean {e['suggest']}?" if e.get("suggest") else ""
            note = f"  # TO DO: one of {', '.join(schemas)}, or leave null.{hint}"
        row = (f"  # headings on row {e['header_row']}" if e.get("header_row") else
               "  # labels in column A, values in column B" if e.get("pairs") else "  # no heading row found")
        lines += [f"  {_q(e['sheet'])}:{row}", f"    table: {table if table else 'null'}{note}", "    columns:"]
        for heading, name, note in e["columns"]:
            if name == "":  # a column joined with others: a comment only
                lines.append(f"      # {_q(heading)}: {note}")
                continue
            lines.append(f"      {_q(heading)}: {name or 'null'}" + (f"  # {note}" if note else ""))
        if not e["columns"]:
            lines[-1] = "    columns: {}"
        if e["values"]:
            lines.append("    values:")
            for name, written in e["values"].items():
                f = schemas[table].field(name)
                codes = ", ".join(f.codes) if f.type == "code" else "y, n, unknown"
                lines.append(f"      {name}:  # codes: {codes}")
                lines += [f"        {_q(w)}: null  # TO DO" for w in written]
    return "\n".join(lines) + "\n"
