"""What the generator's writers take: sheets of plain cell values, and a school's records.

The writers (:mod:`pmreport.synth.workbook_writer`) and the messy mode (:mod:`pmreport.synth.messy`)
depend on this module, never on each other's callers: :class:`SchoolRecords` is what they need of
:class:`pmreport.synth.school.SyntheticSchool`, which calls them.
"""

from __future__ import annotations

from typing import Any, Protocol


class Sheet:
    """A sheet to write: rows of plain cell values, and which rows are headers."""

    def __init__(self, title: str, rows: list[list], header_row: int | None = 0):
        self.title, self.rows, self.header_row = title, rows, header_row


class SchoolRecords(Protocol):
    """A generated school as the writers see it: its rows per sheet, its name, seed and phase, and the truth."""

    @property
    def records(self) -> dict[str, list[dict[str, Any]]]: ...

    @property
    def school_name(self) -> str: ...

    @property
    def seed(self) -> int: ...

    @property
    def phase(self) -> str: ...

    @property
    def truth(self) -> dict[str, Any]: ...
