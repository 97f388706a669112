"""The union return's format, loaded from ``data_schemas/returns/*.yaml`` (one file per sheet).

The files use the same format as ``data_schemas/*.yaml``, so each sheet loads as a
:class:`pmreport.schema.SheetSchema` (fields checked by the same rules). ``people.yaml`` also
lists the quasi-identifiers and how each is made less detailed (:class:`QuasiIdentifier`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pmreport.schema import SCHEMA_DIR, SheetSchema, read_yaml
from pmreport.schema import _field as schema_field  # the one field parser, shared on purpose

RETURN_SCHEMA_DIR = SCHEMA_DIR / "returns"
_PACKAGED_DIR = Path(__file__).resolve().parent.parent / "_schemas" / "returns"

#: The sheets of a return, in the order they are written (after "About this return").
RETURN_SHEETS = ("people", "equality", "school", "compliance")
ABOUT_SHEET = "About this return"
#: Shown in place of a value left out to keep people anonymous.
NOT_SHOWN = "not_shown"
#: Shown where the school did not record a value.
NOT_KNOWN = "not_known"
#: The version of the return's layout. Format 2 added the equality sheet.
RETURN_FORMAT = 2
#: Earlier formats the union still reads, each upgraded on the way in (format 1: the equality sheet is made
#: from the people sheet, see :func:`pmreport.union.equality_sheet.from_people`). Any other format is refused.
UPGRADABLE_FORMATS = (1,)
#: Sheets a return of an earlier format may lack (they are made when it is upgraded).
ADDED_SHEETS = {"equality": 2}


@dataclass(frozen=True)
class QuasiIdentifier:
    """A field a colleague could know, and its ladder of less detailed versions (finest first).

    Each step maps a broader code to the finer codes it covers; a code not named in a step is
    kept as it is. After the last step comes ``not_shown``.
    """

    field: str
    ladder: tuple[dict[str, str], ...]  # each step: finer code -> broader code

    @property
    def levels(self) -> int:
        """Number of levels, from 0 (as recorded) to the last (not shown)."""
        return len(self.ladder) + 2

    def at_level(self, code: str, level: int) -> str:
        """``code`` made less detailed to ``level`` (0: unchanged; the last level: not shown)."""
        if level >= self.levels - 1:
            return NOT_SHOWN
        for step in self.ladder[:level]:
            code = step.get(code, code)
        return code


@dataclass(frozen=True)
class ReturnFormat:
    sheets: dict[str, SheetSchema]
    quasi_identifiers: tuple[QuasiIdentifier, ...]
    default_k: int

    @property
    def people(self) -> SheetSchema:
        return self.sheets["people"]

    @property
    def rule_columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.people.fields if f.name.startswith("rule_"))


def _dir() -> Path:
    return RETURN_SCHEMA_DIR if RETURN_SCHEMA_DIR.is_dir() else _PACKAGED_DIR


def _sheet(raw: dict[str, Any], name: str) -> SheetSchema:
    return SheetSchema(
        sheet=raw["sheet"],
        title=raw["title"],
        description=" ".join(str(raw["description"]).split()),
        required=bool(raw["required"]),
        key=tuple(raw.get("key", ())),
        fields=tuple(schema_field(f, f"returns/{name}") for f in raw["fields"]),
        layout=raw.get("layout", "rows"),
        aliases=tuple(str(a) for a in raw.get("aliases", ())),
    )


def _quasi(raw: dict[str, Any], sheet: SheetSchema) -> QuasiIdentifier:
    name = raw["field"]
    f = sheet.field(name)
    steps = []
    for step in raw.get("ladder") or []:
        mapping: dict[str, str] = {}
        for broad, finer in step.items():
            if isinstance(broad, bool) or any(isinstance(x, bool) for x in finer):
                raise ValueError(f"data_schemas/returns/people.yaml: quote yes/no in the ladder of {name!r}")
            for code in finer:
                mapping[str(code)] = str(broad)
        unknown = (set(mapping) | set(mapping.values())) - set(f.codes)
        if unknown:
            raise ValueError(f"data_schemas/returns/people.yaml: ladder of {name!r} uses codes not in its list: {sorted(unknown)}")
        steps.append(mapping)
    if NOT_SHOWN not in f.codes:
        raise ValueError(f"data_schemas/returns/people.yaml: {name!r} must list {NOT_SHOWN!r} among its codes")
    return QuasiIdentifier(name, tuple(steps))


@cache
def return_format() -> ReturnFormat:
    """Every sheet of the return and its quasi-identifiers."""
    sheets = {}
    extra: dict[str, Any] = {}
    for name in RETURN_SHEETS:
        raw = read_yaml(_dir() / f"{name}.yaml")
        sheets[name] = _sheet(raw, name)
        if name == "people":
            extra = raw.get("k_anonymity") or {}
    qis = tuple(_quasi(q, sheets["people"]) for q in extra.get("quasi_identifiers", ()))
    return ReturnFormat(sheets=sheets, quasi_identifiers=qis, default_k=int(extra.get("default_k", 5)))


def return_schema(sheet: str) -> SheetSchema:
    return return_format().sheets[sheet]
