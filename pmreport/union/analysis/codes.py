"""What each column of a return can hold, read from ``data_schemas/returns/people.yaml`` (the one source).

The analyses never list a column's categories themselves: a rate counts the people a column
*applies to* (every code but ``not_applicable``), so a valid return can never bring a value the
report does not expect.
"""

from __future__ import annotations

from dataclasses import replace

from pmreport.disclosure import Population
from pmreport.union.return_schema import return_format

NOT_APPLICABLE = "not_applicable"
NOT_RECORDED = "not_recorded"


def codes(column: str) -> tuple[str, ...]:
    """Every code the people sheet allows in ``column``."""
    found = return_format().people.field(column).codes
    if not found:
        raise ValueError(f"data_schemas/returns/people.yaml: {column!r} has no list of codes")
    return tuple(found)


def applies(column: str) -> tuple[str, ...]:
    """The codes of ``column`` for people the question applies to (all but ``not_applicable``)."""
    return tuple(c for c in codes(column) if c != NOT_APPLICABLE)


def shown(column: str) -> tuple[str, ...]:
    """The categories a table of ``column`` shows: those that apply, ``not_recorded`` left to the gate (it adds
    that column only where someone has no record)."""
    return tuple(c for c in applies(column) if c != NOT_RECORDED)


def bounds(column: str) -> tuple[float, float | None]:
    """The least and greatest value the people sheet allows in a numeric ``column``."""
    f = return_format().people.field(column)
    return (float(f.minimum) if f.minimum is not None else 0.0, float(f.maximum) if f.maximum is not None else None)


def among_applicable(population: Population, column: str) -> Population:
    """``population`` narrowed to the people ``column`` applies to (values outside the schema's codes: nobody)."""
    kept = tuple(w for w in population.where if w[0] != column)
    allowed = dict(population.where).get(column)
    values = tuple(sorted(set(applies(column)) & set(allowed) if allowed is not None else applies(column)))
    return replace(population, where=tuple(sorted((*kept, (column, values)))))
