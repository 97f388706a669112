"""Find each table in the workbook: which sheet holds it, where its header row is, which
column holds which field. Title rows above the header are skipped; headers match ignoring
case, spaces, underscores and punctuation, through the schema's aliases."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import get_close_matches

from openpyxl.utils import get_column_letter

from pmreport.normalise import is_blank
from pmreport.reading import RawSheet, RawWorkbook
from pmreport.schema import Field, SheetSchema, header_key

HEADER_SEARCH_ROWS = 100
#: Sheets that hold guidance for people, not data: skipped without a warning.
IGNORED_SHEETS = {"instructions", "readme", "notes", "guidance", "help"}


@dataclass
class SheetLayout:
    """Where one table sits in its raw sheet."""

    raw: RawSheet
    schema: SheetSchema
    header_index: int | None  # index into raw.rows; None when not found
    columns: dict[str, int] = field(default_factory=dict)  # field name -> column index
    percent_headers: set[str] = field(default_factory=set)  # fields whose header says "%"
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (column index, header text)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)  # (field, kept, ignored)
    unnamed: list[int] = field(default_factory=list)  # columns with values below a blank heading (not read)
    key_value: bool = False  # school details as label/value pairs down columns A and B
    kv_rows: dict[str, int] = field(default_factory=dict)  # field -> row index (key/value layout)
    notes: list[int] = field(default_factory=list)  # Excel rows of totals, filters and report notes (not data)
    choices: list[tuple[str, int, int]] = field(default_factory=list)  # (field, column read, column not read)
    joined: dict[str, list[int]] = field(default_factory=dict)  # field -> columns joined to make it

    def letter(self, field_name: str) -> str | None:
        if self.key_value:
            return "B"
        idx = self.columns.get(field_name)
        return get_column_letter(idx + 1) if idx is not None else None

    @property
    def missing_required(self) -> list[str]:
        present = self.kv_rows if self.key_value else self.columns
        return [f.name for f in self.schema.fields if f.required and f.name not in present]


def _field_lookup(schema: SheetSchema) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for f in schema.fields:
        for k in f.header_keys:
            lookup.setdefault(k, f.name)
    for k, name in schema.header_map.items():  # the school's own column map comes first
        if name is None:
            lookup.pop(k, None)
        else:
            lookup[k] = name
    return lookup


def match_sheets(wb: RawWorkbook, schemas: dict[str, SheetSchema], assigned: dict[str, str | None] | None = None,
                 ) -> tuple[dict[str, RawSheet], list[RawSheet], list[tuple[RawSheet, str]]]:
    """Assign raw sheets to tables: (found, unused sheets, duplicates as (sheet, table)). ``assigned`` (a
    column map's sheets, by folded name) comes first; a sheet assigned None is skipped like instructions."""
    by_key: dict[str, str | None] = {k: name for name, s in schemas.items() for k in s.header_keys}
    by_key.update(assigned or {})
    ignored = {k for k, v in (assigned or {}).items() if v is None}
    found: dict[str, RawSheet] = {}
    unused: list[RawSheet] = []
    dupes: list[tuple[RawSheet, str]] = []
    for raw in wb.sheets:
        if header_key(raw.name) in IGNORED_SHEETS or header_key(raw.name) in ignored:
            continue  # the template's own Instructions sheet and similar notes
        table = by_key.get(header_key(raw.name))
        if table is None:
            unused.append(raw)
        elif table in found:
            dupes.append((raw, table))
        else:
            found[table] = raw
    if wb.kind == "xlsx" and len(wb.sheets) == 1 and not found:
        # A single unnamed sheet: decide by its headers.
        raw = wb.sheets[0]
        best = max(schemas.values(), key=lambda s: _best_header(raw, s)[1])
        if _best_header(raw, best)[1] >= 3:
            found[best.sheet] = raw
            unused.clear()
    return found, unused, dupes


def _best_header(raw: RawSheet, schema: SheetSchema) -> tuple[int | None, int]:
    lookup = _field_lookup(schema)
    best_idx, best_hits = None, 0
    for idx, row in enumerate(raw.rows[:HEADER_SEARCH_ROWS]):
        hits = len({lookup[k] for v in row if not is_blank(v) and (k := header_key(v)) in lookup})
        if hits > best_hits:
            best_idx, best_hits = idx, hits
    return best_idx, best_hits


def locate(raw: RawSheet, schema: SheetSchema) -> SheetLayout:
    lookup = _field_lookup(schema)
    idx, hits = _best_header(raw, schema)
    needed = min(2, len(schema.fields))
    if schema.layout == "row_or_key_value":
        kv = _key_value_rows(raw, lookup)
        # One pair is enough when it is everything that places the row (the school sheet's cycle), with a value
        # beside it: "Academic Year | 2025/26" and nothing else (the policy's defaults give the rest).
        alone = (hits < needed and bool(schema.identity) and set(schema.identity) <= set(kv)
                 and all(len(raw.rows[kv[f]]) > 1 and not is_blank(raw.rows[kv[f]][1]) for f in schema.identity))
        if (len(kv) > hits and len(kv) >= needed) or alone:
            return SheetLayout(raw=raw, schema=schema, header_index=None, key_value=True, kv_rows=kv)
    if idx is None or hits < needed:
        return SheetLayout(raw=raw, schema=schema, header_index=None)
    layout = SheetLayout(raw=raw, schema=schema, header_index=idx)
    candidates: dict[str, list[int]] = {}
    for col, value in enumerate(raw.rows[idx]):
        if is_blank(value) or schema.header_map.get(header_key(value), "") is None:
            continue  # blank, or a column the school's column map says not to read
        name = lookup.get(header_key(value))
        if name is None:
            layout.unknown.append((col, " ".join(str(value).split())))
        else:
            candidates.setdefault(name, []).append(col)
    for name, cols in candidates.items():
        keys = [header_key(raw.rows[idx][c]) for c in cols]
        if len(set(keys)) < len(keys):  # the same heading twice: say so, read the first
            layout.columns[name] = cols[0]
            layout.duplicates.extend((name, cols[0], c) for c in cols[1:])
            continue
        chosen = _choose(raw, idx, schema.field(name), cols) if len(cols) > 1 else cols[0]
        layout.columns[name] = chosen
        layout.choices.extend((name, chosen, c) for c in cols if c != chosen)
        if "%" in str(raw.rows[idx][chosen]) or "percent" in str(raw.rows[idx][chosen]).lower():
            layout.percent_headers.add(name)
    _join_columns(layout, idx)
    layout.unnamed = _unnamed_columns(raw, idx)
    return layout


def _choose(raw: RawSheet, header_index: int, f: Field, cols: list[int]) -> int:
    """Which of several columns that all mean ``f`` (Staff Code and Payroll No both mean staff_id) to read:
    for a reference, one with a value in every row and no value twice; then the one with the most values;
    then the one whose heading comes first in the field's list of headings (data contract)."""
    order = {k: i for i, k in enumerate(f.header_keys)}

    def score(col: int) -> tuple[int, int, int]:
        values = [r[col] for r in raw.rows[header_index + 1 :] if col < len(r) and not is_blank(r[col])]
        rows = sum(1 for r in raw.rows[header_index + 1 :] if any(not is_blank(v) for v in r))
        complete_unique = f.type == "id" and len(values) == rows and len({str(v).strip() for v in values}) == len(values)
        return (-int(complete_unique), -len(values), order.get(header_key(raw.rows[header_index][col]), 99))

    return min(cols, key=score)


def _join_columns(layout: SheetLayout, header_index: int) -> None:
    """A field made of several columns (forename and surname make name), when the field has no column of its own."""
    heads = {header_key(h): col for col, h in layout.unknown}
    for f in layout.schema.fields:
        if f.name in layout.columns or not f.joined_from:
            continue
        for group in f.joined_from:
            cols = [heads.get(header_key(h)) for h in group]
            if all(c is not None for c in cols):
                layout.joined[f.name] = [c for c in cols if c is not None]
                layout.columns[f.name] = layout.joined[f.name][0]
                layout.unknown = [(c, h) for c, h in layout.unknown if c not in layout.joined[f.name]]
                break


def _unnamed_columns(raw: RawSheet, header_index: int) -> list[int]:
    """Columns with a blank heading but values below it: their data would otherwise vanish unremarked."""
    header = raw.rows[header_index]
    named = {c for c, v in enumerate(header) if not is_blank(v)}
    width = max((len(r) for r in raw.rows[header_index + 1 :]), default=0)
    candidates = {c for c in range(width) if c not in named}
    found: set[int] = set()
    for row in raw.rows[header_index + 1 :]:
        if not candidates:
            break
        hits = {c for c in candidates if c < len(row) and not is_blank(row[c])}
        found |= hits
        candidates -= hits
    return sorted(found)


def _key_value_rows(raw: RawSheet, lookup: dict[str, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for idx, row in enumerate(raw.rows[:200]):
        if row and not is_blank(row[0]):
            name = lookup.get(header_key(row[0]))
            if name is not None and name not in out:
                out[name] = idx
    return out


def suggest_field(header: str, schema: SheetSchema) -> str | None:
    """The canonical field a mistyped header most likely meant."""
    key = header_key(header)
    if len(key) > 80:  # no field name is this long; and matching very long text is slow
        return None
    lookup = _field_lookup(schema)
    match = get_close_matches(key, list(lookup), n=1, cutoff=0.75)
    return lookup[match[0]] if match else None


def suggest_sheet(name: str, schemas: dict[str, SheetSchema]) -> str | None:
    keys = {k: s for s, sch in schemas.items() for k in sch.header_keys}
    if len(header_key(name)) > 80:
        return None
    match = get_close_matches(header_key(name), list(keys), n=1, cutoff=0.7)
    return keys[match[0]] if match else None
