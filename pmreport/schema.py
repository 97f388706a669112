"""The data contract, loaded from ``pmreport/data_schemas/*.yaml`` (the one source of truth).

Everything that needs to know what a sheet looks like (the reader, the normaliser, the
great-expectations suites, the template workbook, the data-contract docs) asks this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

#: The data contract's folder. It lives inside the package (package data), so that an installed
#: wheel finds it exactly where a checkout does: there is one copy, and no second place to look.
SCHEMA_DIR = Path(__file__).resolve().parent / "data_schemas"

FIELD_TYPES = ("id", "string", "text", "code", "boolean", "date", "integer", "number", "fte", "cycle")
SENSITIVITY_FILE = "sensitivity.yaml"


@dataclass(frozen=True)
class SensitivityClass:
    """One sensitivity class (data_schemas/sensitivity.yaml): what it means, and who sees such a field."""

    name: str
    meaning: str
    governors: str
    unions: str
    template: str


@cache
def sensitivity_classes() -> dict[str, SensitivityClass]:
    """The sensitivity classes, strictest first (data_schemas/sensitivity.yaml)."""
    raw = read_yaml(_schema_dir() / SENSITIVITY_FILE)
    return {c["name"]: SensitivityClass(**c) for c in raw["classes"]}


@cache
def derived_sensitivity() -> dict[str, str]:
    """The class of each column pmreport derives from the records (no school types it)."""
    return {str(k): str(v) for k, v in read_yaml(_schema_dir() / SENSITIVITY_FILE)["derived"].items()}
#: The analyses a field or sheet can be needed by (``needed_by`` in the schemas): the policy checks
#: (``check``), moderation (``moderate``) and the report to governors with its dashboard (``report``).
ANALYSES = ("check", "moderate", "report")
#: In ``needed_by``, the word that says the analysis cannot be made at all without the column.
WHOLE = "all"

#: The order sheets are read, validated and documented in.
SHEET_ORDER = ("school", "calendar", "staff", "reviews", "objectives", "observations", "development", "appeals")
#: Optional sheets that are not records of staff: the report reads them itself (the head's commentary,
#: pmreport/report/commentary.py). Documented and in the template after the record sheets; never in SchoolData.
REPORT_SHEETS = ("commentary",)


def header_key(text: object) -> str:
    """Fold a header for matching: case, spaces, underscores and punctuation are ignored."""
    return re.sub(r"[^0-9a-z%]+", "", str(text).lower().replace("%", " percent "))


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    sensitivity: str
    description: str
    aliases: tuple[str, ...] = ()
    #: The column's heading in words, as the template writes it (``name`` stays the canonical key).
    heading: str = ""
    codes: tuple[str, ...] = ()
    code_aliases: dict[str, str] = field(default_factory=dict)
    code_case: str = "lower"
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    references: str | None = None
    reference_exempt: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()
    unique: bool = False
    #: Analysis -> what of it cannot be made without this column ("all": none of it), data_schemas/*.yaml.
    needed_by: dict[str, str] = field(default_factory=dict)
    #: An optional field whose unreadable value is kept as "not known" (a warning), never costing the row.
    lenient: bool = False
    #: Headers of several source columns joined (with a space) to make this field, e.g. forename + surname.
    joined_from: tuple[tuple[str, ...], ...] = ()
    #: Headings and value spellings of school systems' exports (data_schemas/vocabulary.yaml).
    export_headers: tuple[str, ...] = ()
    export_values: dict[str, str] = field(default_factory=dict)
    #: The policy's value where the school leaves the setting blank (pmreport.school_year reads it).
    default: Any = None

    @property
    def header_keys(self) -> tuple[str, ...]:
        """Every heading that means this field, folded, in order of preference (its name, its aliases,
        then the headings of exports): when two columns match, the one listed first is preferred."""
        names = (self.name, self.heading, *self.aliases, *self.export_headers)
        return tuple(dict.fromkeys(header_key(x) for x in names if x))

    @cached_property
    def folded_values(self) -> dict[str, str]:
        """Every known spelling of a value (code aliases and export spellings), folded like a heading."""
        out = {header_key(k): v for k, v in self.export_values.items()}
        out.update({header_key(k): v for k, v in self.code_aliases.items()})
        return out

    @property
    def group_of(self) -> dict[str, str]:
        return {code: group for group, codes in self.groups.items() for code in codes}

    @property
    def is_sensitive(self) -> bool:
        return self.sensitivity in ("direct_identifier", "special_category", "free_text")

    @property
    def title(self) -> str:
        """The column's heading in words (the template's heading row)."""
        return self.heading or self.name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class SheetSchema:
    sheet: str
    title: str
    description: str
    required: bool
    key: tuple[str, ...]
    fields: tuple[Field, ...]
    layout: str = "rows"
    aliases: tuple[str, ...] = ()
    #: Analysis -> what of it cannot be made when no row of this sheet can be used.
    needed_by: dict[str, str] = field(default_factory=dict)
    #: A school's own column map (``--mapping``): folded heading -> field, or None for a column not to read.
    #: It comes before every alias.
    header_map: dict[str, str | None] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.sheet} has no field {name!r}")

    @property
    def header_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(header_key(x) for x in (self.sheet, self.title, *self.aliases)))

    @property
    def identity(self) -> tuple[str, ...]:
        """The required fields that place a row (whose person, which cycle): without one of these
        columns no row of the sheet can be used. Any other missing column costs only that field."""
        if self.layout == "row_or_key_value":  # a row of settings (the school sheet) is unusable without any of them
            return tuple(f.name for f in self.fields if f.required)
        return tuple(f.name for f in self.fields if f.required and f.name in IDENTITY_FIELDS)


#: Fields that say whose row it is and for which cycle.
IDENTITY_FIELDS = ("staff_id", "cycle")


def _no_yaml_booleans(raw: dict[str, Any], sheet: str) -> None:
    """YAML reads unquoted yes/no/on/off as booleans: insist such words are quoted in the schemas."""
    name = raw.get("name")
    values = list(raw.get("aliases", ())) + list(raw.get("codes", ()))
    values += [x for kv in (raw.get("code_aliases") or {}).items() for x in kv]
    if any(isinstance(v, bool) for v in values):
        raise ValueError(f"data_schemas/{sheet}.yaml: field {name!r} has an unquoted yes/no/true/false; put it in quotes")


def _field(raw: dict[str, Any], sheet: str) -> Field:
    _no_yaml_booleans(raw, sheet)
    unknown = set(raw) - {
        "name", "type", "required", "sensitivity", "description", "aliases", "codes", "code_aliases",
        "code_case", "groups", "min", "max", "pattern", "references", "reference_exempt", "unique", "not_before",
        "needed_by", "bad_value", "joined_from", "heading", "default",
    }
    if unknown:
        raise ValueError(f"data_schemas/{sheet}.yaml: field {raw.get('name')!r} has unknown keys {sorted(unknown)}")
    if raw["type"] not in FIELD_TYPES:
        raise ValueError(f"data_schemas/{sheet}.yaml: field {raw['name']!r} has unknown type {raw['type']!r}")
    if raw["sensitivity"] not in sensitivity_classes():
        raise ValueError(f"data_schemas/{sheet}.yaml: field {raw['name']!r} has unknown sensitivity")
    codes = tuple(str(c) for c in raw.get("codes", ()))
    if raw["type"] == "code" and not codes:
        raise ValueError(f"data_schemas/{sheet}.yaml: code field {raw['name']!r} lists no codes")
    return Field(
        name=raw["name"],
        type=raw["type"],
        required=bool(raw.get("required", False)),
        sensitivity=raw["sensitivity"],
        description=" ".join(str(raw.get("description", "")).split()),
        aliases=tuple(str(a) for a in raw.get("aliases", ())),
        heading=str(raw.get("heading", "")),
        codes=codes,
        code_aliases={str(k).lower(): str(v) for k, v in (raw.get("code_aliases") or {}).items()},
        code_case=raw.get("code_case", "lower"),
        groups={str(g): tuple(str(c) for c in cs) for g, cs in (raw.get("groups") or {}).items()},
        minimum=raw.get("min"),
        maximum=raw.get("max"),
        pattern=raw.get("pattern"),
        references=raw.get("references"),
        reference_exempt=tuple(str(x) for x in raw.get("reference_exempt", ())),
        not_before=tuple(raw.get("not_before", ())),
        unique=bool(raw.get("unique", False)),
        needed_by=_needed_by(raw.get("needed_by"), f"{sheet}.{raw['name']}"),
        lenient=_lenient(raw, sheet),
        joined_from=tuple(tuple(str(h) for h in group) for group in raw.get("joined_from", ())),
        default=raw.get("default"),
    )


def _needed_by(raw: Any, where: str) -> dict[str, str]:
    """``needed_by``: which analyses need a column (or a sheet), and what of each is lost without it."""
    out = {str(k): " ".join(str(v).split()) for k, v in (raw or {}).items()}
    if set(out) - set(ANALYSES):
        raise ValueError(f"data_schemas: {where}: needed_by names {sorted(set(out) - set(ANALYSES))}; "
                         f"the analyses are {', '.join(ANALYSES)}")
    return out


def _lenient(raw: dict[str, Any], sheet: str) -> bool:
    rule = raw.get("bad_value", "error")
    if rule not in ("error", "not_known"):
        raise ValueError(f"data_schemas/{sheet}.yaml: field {raw['name']!r}: bad_value must be error or not_known")
    if rule == "not_known" and raw.get("required"):
        raise ValueError(f"data_schemas/{sheet}.yaml: field {raw['name']!r} is required, so a bad value cannot be not known")
    return rule == "not_known"


def _schema_dir() -> Path:
    return SCHEMA_DIR


def read_yaml(path: Path) -> Any:
    """One YAML file, parsed by libyaml when PyYAML has it (ten times faster than pure Python)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader


VOCABULARY_FILE = "vocabulary.yaml"


def _with_vocabulary(f: Field, entry: dict[str, Any] | None, sheet: str) -> Field:
    """``f`` with the export headings, value spellings and joined columns of data_schemas/vocabulary.yaml."""
    if not entry:
        return f
    unknown = set(entry) - {"headers", "values", "joined_from"}
    if unknown:
        raise ValueError(f"data_schemas/{VOCABULARY_FILE}: {sheet}.{f.name} has unknown keys {sorted(unknown)}")
    values = {str(k): str(v) for k, v in (entry.get("values") or {}).items()}
    if any(isinstance(v, bool) for v in (entry.get("values") or {}).values()):
        raise ValueError(f"data_schemas/{VOCABULARY_FILE}: {sheet}.{f.name} has an unquoted yes/no; put it in quotes")
    allowed = set(f.codes) if f.type == "code" else {"y", "n", "unknown"} if f.type == "boolean" else set()
    bad = sorted({v for v in values.values() if v not in allowed})
    if bad:
        raise ValueError(f"data_schemas/{VOCABULARY_FILE}: {sheet}.{f.name} maps values to {bad}, which are not its codes")
    joined = tuple(tuple(str(h) for h in group) for group in entry.get("joined_from") or ())
    return replace(f, export_headers=tuple(str(h) for h in entry.get("headers") or ()), export_values=values,
                   joined_from=f.joined_from + joined)


@cache
def load_schemas() -> dict[str, SheetSchema]:
    """All sheet schemas, in :data:`SHEET_ORDER` then :data:`REPORT_SHEETS`, with the export vocabulary merged in."""
    out: dict[str, SheetSchema] = {}
    vocab_path = _schema_dir() / VOCABULARY_FILE
    vocabulary = read_yaml(vocab_path) if vocab_path.is_file() else {}
    for name in SHEET_ORDER + REPORT_SHEETS:
        raw = read_yaml(_schema_dir() / f"{name}.yaml")
        names = {f["name"] for f in raw["fields"]}
        everywhere = {k: v for k, v in (vocabulary.get("every_sheet") or {}).items() if k in names}
        words = {**everywhere, **(vocabulary.get(name) or {})}
        if set(words) - names:
            raise ValueError(f"data_schemas/{VOCABULARY_FILE}: {name} has no fields {sorted(set(words) - names)}")
        out[name] = SheetSchema(
            sheet=raw["sheet"],
            title=raw["title"],
            description=" ".join(str(raw["description"]).split()),
            required=bool(raw["required"]),
            key=tuple(raw.get("key", ())),
            fields=tuple(_with_vocabulary(_field(f, name), words.get(f["name"]), name) for f in raw["fields"]),
            layout=raw.get("layout", "rows"),
            aliases=tuple(str(a) for a in raw.get("aliases", ())),
            needed_by=_needed_by(raw.get("needed_by"), name),
        )
    return out


def schema(sheet: str) -> SheetSchema:
    return load_schemas()[sheet]
