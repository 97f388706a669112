"""pmreport's exceptions. Each says what went wrong and what to do next.

Problems *in* the data are not exceptions: they are :class:`pmreport.validation.outcome.Issue`
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


class FileSystemFailed(PmreportError):
    """A file or folder could not be written (read-only, disk full, in use, a file where a folder should be ...)."""

    exit_code = 2


_WHY = {
    "EACCES": ("pmreport is not allowed to write there (the folder is read-only or belongs to someone else)",
               "Choose a folder you can write to, or ask whoever manages the computer for access."),
    "EPERM": ("pmreport is not allowed to write there (the folder is read-only or belongs to someone else)",
              "Choose a folder you can write to, or ask whoever manages the computer for access."),
    "EROFS": ("the disk is read-only", "Choose a folder on a disk you can write to."),
    "ENOSPC": ("the disk is full", "Free some space on the disk, or choose a folder on another disk, and run it again."),
    "EDQUOT": ("your share of the disk is used up", "Free some space, or choose a folder on another disk."),
    "EEXIST": ("a file of that name is in the way where a folder is needed",
               "Give --out a folder name that is not an existing file (never your input workbook)."),
    "ENOTDIR": ("a file of that name is in the way where a folder is needed",
                "Give --out a folder name that is not an existing file (never your input workbook)."),
    "EISDIR": ("a folder of that name is in the way where a file is needed", "Give the output a different name."),
    "ENAMETOOLONG": ("the name is too long for the disk", "Give a shorter name or folder."),
}


def file_system_failed(exc: OSError, path: object, doing: str = "write") -> FileSystemFailed:
    """A plain message for an ``OSError`` met while writing ``path`` (exit 2, no traceback)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    why, fix = _WHY.get(name, (exc.strerror or type(exc).__name__,
                               "Check the disk and the folder, then run it again."))
    return FileSystemFailed(f"pmreport could not {doing} {path}: {why}. Nothing was left half-written.", fix)
