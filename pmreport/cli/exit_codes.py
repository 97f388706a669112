"""What each exit code of ``pmreport`` means: one meaning each, stated here once.

The README, ``pmreport --help`` and every command's help are written from :data:`MEANINGS`.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    DATA_ERRORS = 1
    INPUT_UNUSABLE = 2
    INTERNAL_ERROR = 3
    USAGE = 64  # as in sysexits.h, EX_USAGE
    EXTRA_MISSING = 69  # as in sysexits.h, EX_UNAVAILABLE
    INTERRUPTED = 130


MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "done (there may be warnings to read)",
    ExitCode.DATA_ERRORS: "done, but the data has errors (rows were set aside, or a column is missing and the "
                          "command says what it left out), or the output would identify someone and was not written",
    ExitCode.INPUT_UNUSABLE: "a file cannot be used at all (missing, not a workbook, a required sheet missing, "
                             "an output name that cannot be written); nothing was produced",
    ExitCode.INTERNAL_ERROR: "an unexpected problem in pmreport itself, not in your data (run the same command "
                             "again with --debug and send the output to whoever supports pmreport)",
    ExitCode.USAGE: "the command was mistyped: an unknown option, a missing argument or a value that is not "
                    "allowed (see the command's --help)",
    ExitCode.EXTRA_MISSING: "the command needs a part of pmreport that is not installed; the message says which "
                            "pip install to run",
    ExitCode.INTERRUPTED: "stopped with Ctrl+C; input files are never changed",
}


def help_text() -> str:
    """The exit codes as a paragraph for ``--help`` (rich markup)."""
    return "[bold]Exit codes:[/bold] " + "; ".join(f"{int(c)} {m}" for c, m in MEANINGS.items()) + "."


def markdown_table() -> str:
    """The exit codes as a Markdown table, for the README (a test keeps the README equal to it)."""
    rows = ["| Exit code | Meaning |", "| --- | --- |"]
    rows += [f"| {int(c)} | {m[0].upper()}{m[1:]}. |" for c, m in MEANINGS.items()]
    return "\n".join(rows)
