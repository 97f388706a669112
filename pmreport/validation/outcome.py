"""The ValidationReport: every problem found, where it is, and the row accounting per sheet.

It is plain data (serialisable to JSON, a table, a spreadsheet). Sensitive cell values are
held back unless the report was made with ``show_values=True``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from pmreport.validation.catalogue import ERROR, INFO, WARNING, issue_type, tier


@dataclass
class Issue:
    code: str
    severity: str
    file: str
    sheet: str | None
    row: int | None
    column: str | None  # Excel column letter
    field: str | None  # canonical field name
    message: str
    value: str | None = None  # only when not sensitive, or when values were asked for

    @property
    def cell(self) -> str | None:
        if self.column and self.row:
            return f"{self.column}{self.row}"
        return None

    @property
    def place(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.cell:
            parts.append(f"cell {self.cell}")
        elif self.row:
            parts.append(f"row {self.row}")
        elif self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    @property
    def title(self) -> str:
        return issue_type(self.code).title

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["cell"] = self.cell
        d["title"] = self.title
        return d


@dataclass
class SheetStats:
    """Row accounting for one sheet: read = accepted + quarantined + blank."""

    sheet: str
    file: str
    source_sheet: str | None
    read: int = 0
    blank: int = 0
    accepted: int = 0
    quarantined: int = 0

    @property
    def balanced(self) -> bool:
        return self.read == self.accepted + self.quarantined + self.blank


@dataclass
class ValidationReport:
    source: str
    issues: list[Issue] = field(default_factory=list)
    stats: dict[str, SheetStats] = field(default_factory=dict)
    show_values: bool = False

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def infos(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == INFO]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def exit_code(self) -> int:
        return 0 if self.valid else 1

    def sorted_issues(self) -> list[Issue]:
        from pmreport.schema import SHEET_ORDER

        order = {s: i for i, s in enumerate(SHEET_ORDER)}
        for st in self.stats.values():
            if st.source_sheet:
                order.setdefault(st.source_sheet, order.get(st.sheet, 99))
        sev = {ERROR: 0, WARNING: 1, INFO: 2}

        def key(i: Issue) -> tuple[Any, ...]:
            return (tier(i.code, i.severity), sev[i.severity], order.get(i.sheet or "", 99), i.sheet or "", i.row or 0, i.column or "", i.code)

        return sorted(self.issues, key=key)

    def flatten(self, keys: tuple[str, ...] = ("code", "sheet", "row", "column")) -> list[list[Any]]:
        """The issues as lists of the named attributes, in a stable order (for tests and diffs)."""
        return [[getattr(i, k) for k in keys] for i in self.sorted_issues()]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "valid": self.valid,
            "counts": {"errors": len(self.errors), "warnings": len(self.warnings), "info": len(self.infos)},
            "sheets": {k: {**asdict(v), "balanced": v.balanced} for k, v in self.stats.items()},
            "issues": [i.to_dict() for i in self.sorted_issues()],
        }
