"""The codes a column can take, from the data schemas (the one source of truth)."""

from __future__ import annotations

from pmreport.schema import load_schemas


def schema_codes(column: str) -> tuple[str, ...]:
    """Every code of ``column`` in the first sheet that defines it, in the schema's order.

    A boolean column gives ``("no", "yes")``; a column the schemas do not define gives ``()``.
    """
    for sheet in load_schemas().values():
        for f in sheet.fields:
            if f.name == column:
                if f.type == "boolean":
                    return ("no", "yes")
                return tuple(f.codes)
    return ()
