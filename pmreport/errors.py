"""pmreport's exceptions. Each says what went wrong and what to do next.

Problems *in* the data are not exceptions: they are :class:`pmreport.validation.report.Issue`
rows in a ``ValidationReport``. These exceptions are for inputs that cannot be used at all.
"""

from __future__ import annotations


class PmreportError(Exception):
    """Base class: a message for the user and an exit code for the CLI."""

    exit_code = 2

    def __init__(self, message: str, fix: str | None = None):
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} {self.fix}" if self.fix else self.message


class InputUnusable(PmreportError):
    """The input cannot be read at all (missing, not a workbook, encrypted, old .xls ...)."""


class RequiredSheetMissing(InputUnusable):
    """A sheet the data contract requires is not in the workbook."""


class DataInvalid(PmreportError):
    """The data was read but has errors, so the requested output cannot be produced."""

    exit_code = 1


class DisclosureRisk(PmreportError):
    """The disclosure audit could identify somebody from what would be published."""

    exit_code = 1
