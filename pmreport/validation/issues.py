"""Making issues: the one place that words a message and decides whether a value may be shown."""

from __future__ import annotations

from typing import Any

from pmreport.schema import Field
from pmreport.validation.catalogue import issue_type
from pmreport.validation.outcome import Issue


def shown_value(value: Any, f: Field | None, show_values: bool) -> str | None:
    """The cell's value as text, unless the field is sensitive and values were not asked for."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if f is not None and f.is_sensitive and not show_values:
        return None
    text = value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def new_issue(
    code: str,
    *,
    file: str,
    sheet: str | None,
    row: int | None = None,
    column: str | None = None,
    field: Field | None = None,
    field_name: str | None = None,
    value: Any = None,
    show_values: bool = False,
    expected: str = "",
    other: str = "",
    detail: str = "",
) -> Issue:
    t = issue_type(code)
    name = field.name if field is not None else field_name
    message = t.template.format(field=name or "", expected=expected, other=other, detail=detail)
    return Issue(
        code=code, severity=t.severity, file=file, sheet=sheet, row=row, column=column, field=name,
        message=message, value=shown_value(value, field, show_values),
    )


def row_ranges(rows: list[int]) -> str:
    """``[3, 4, 5, 9]`` -> ``"3-5, 9"``."""
    out: list[str] = []
    rows = sorted(set(rows))
    start = prev = rows[0] if rows else 0
    for r in rows[1:] + [None]:  # type: ignore[list-item]
        if r is not None and r == prev + 1:
            prev = r
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if r is not None:
            start = prev = r
    return ", ".join(out) if rows else ""
