"""SchoolData: the typed, validated tables of one school, the hand-over from validation to analysis.

Contract for every analysis module:

* ``data.tables[sheet]`` exists for every sheet in :data:`pmreport.schema.SHEET_ORDER`
  (an absent optional sheet is an empty frame) and has every canonical column of that sheet,
  whether or not the workbook had it (absent columns are all missing).
* Column types by schema type: ``id``/``string``/``text``/``code``/``cycle`` -> pandas
  ``string``; ``date`` -> ``datetime64[ns]`` at midnight (``NaT`` when blank);
  ``boolean`` -> pandas ``boolean``; ``integer`` -> ``Int64``; ``number``/``fte`` -> ``float64``.
* Each row also carries ``_file``, ``_sheet`` and ``_row`` (the Excel row number) so that any
  finding can be traced back to a cell. Quarantined rows are not in ``tables``.
* ``staff`` may hold one row per person per cycle (with ``cycle``) or one row per person
  (``cycle`` missing); :meth:`SchoolData.staff_in` gives the rows for a cycle either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pmreport.schema import SHEET_ORDER, load_schemas

SOURCE_COLUMNS = ("_file", "_sheet", "_row")

PANDAS_DTYPES = {
    "id": "string",
    "string": "string",
    "text": "string",
    "code": "string",
    "cycle": "string",
    "date": "datetime64[ns]",
    "boolean": "boolean",
    "integer": "Int64",
    "number": "float64",
    "fte": "float64",
}


def empty_table(sheet: str) -> pd.DataFrame:
    sch = load_schemas()[sheet]
    cols = {f.name: pd.Series(dtype=PANDAS_DTYPES[f.type]) for f in sch.fields}
    cols.update({"_file": pd.Series(dtype="string"), "_sheet": pd.Series(dtype="string"), "_row": pd.Series(dtype="Int64")})
    return pd.DataFrame(cols)


@dataclass
class SchoolData:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Rows set aside by validation, per table, with a ``_reasons`` column (for the head only).
    quarantine: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for sheet in SHEET_ORDER:
            if sheet not in self.tables:
                self.tables[sheet] = empty_table(sheet)

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in SHEET_ORDER:
            return self.tables[name]
        raise AttributeError(name)

    @property
    def cycles(self) -> list[str]:
        """Cycles present, oldest first (from the school sheet, then the reviews)."""
        found = set(self.tables["school"]["cycle"].dropna()) | set(self.tables["reviews"]["cycle"].dropna())
        return sorted(str(c) for c in found)

    @property
    def latest_cycle(self) -> str | None:
        return self.cycles[-1] if self.cycles else None

    def school_row(self, cycle: str | None = None) -> pd.Series:
        """The school sheet's row for a cycle (the latest row when the cycle is not listed)."""
        school = self.tables["school"]
        if school.empty:
            raise ValueError("the school sheet has no rows")
        if cycle is not None:
            match = school[school["cycle"] == cycle]
            if not match.empty:
                return match.iloc[0]
        return school.sort_values("cycle").iloc[-1]

    def school_value(self, name: str, cycle: str | None = None) -> str | None:
        """A setting of the school sheet's row for ``cycle`` as text; None when the sheet gives none (the school's
        name, URN, phase and local authority are optional) or has no row."""
        if self.tables["school"].empty:
            return None
        value = self.school_row(cycle).get(name)
        return None if value is None or bool(pd.isna(value)) or not str(value).strip() else str(value)

    def school_name(self, cycle: str | None = None) -> str | None:
        """The school's name for ``cycle``, or None (see :meth:`school_value`)."""
        return self.school_value("school_name", cycle)

    def staff_in(self, cycle: str) -> pd.DataFrame:
        """Staff rows describing ``cycle``: the per-cycle rows when given, else all rows."""
        staff = self.tables["staff"]
        if staff["cycle"].notna().any():
            return staff[staff["cycle"] == cycle]
        return staff
