"""The typer application and the one place where library exceptions become exit codes.

Commands live one per module beside this one and only parse arguments, call the library
and print. Exit codes: 0 done (warnings allowed), 1 the data has errors, 2 the input cannot
be used or the command was mistyped, 3 an unexpected internal error (run with --debug).
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from pmreport.errors import PmreportError

app = typer.Typer(
    name="pmreport",
    help=(
        "Check your school's performance management (appraisal) records against the policy, "
        "and produce the anonymised annual report to governors.\n\n"
        "Start with [bold]pmreport demo[/bold] to see it work on sample data, or "
        "[bold]pmreport template[/bold] to get a blank workbook to fill in."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)
_state = {"debug": False}

F = TypeVar("F", bound=Callable[..., Any])


def debug_enabled() -> bool:
    return _state["debug"]


def shown(text: object) -> str:
    """Text from the input (file, sheet and header names, cell values, messages quoting them) made
    safe to print: control characters replaced and rich markup escaped, so "[/b]" in a cell can
    neither break the output nor restyle it."""
    from rich.markup import escape

    from pmreport.safe_output import printable

    return escape(printable(text))


def plural(n: int, word: str) -> str:
    """``1 row``, ``2 rows``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def warn_set_aside(report: Any, path: object, what: str = "the rest were used") -> None:
    """The one warning every command gives (on stderr) when rows with errors were set aside.

    ``report`` is the :class:`~pmreport.validation.report.ValidationReport` of ``path``.
    """
    if not report.errors:
        return
    set_aside = sum(s.quarantined for s in report.stats.values())
    err_console.print(
        f"[yellow]Warning:[/yellow] {plural(len(report.errors), 'error')} in the data: "
        f"{plural(set_aside, 'row')} with errors {'was' if set_aside == 1 else 'were'} set aside and {what}. "
        f"Run pmreport validate {shown(path)} to see and fix them.", soft_wrap=True)


def _check_as_of(value: str | None) -> str | None:
    from pmreport.run_date import parse_as_of

    try:
        parse_as_of(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{exc} Write it like 31/10/2025 (day/month/year) or 2025-10-31.") from None
    return value


def as_of_option() -> Any:
    """The ``--as-of DATE`` option of every command whose output depends on the date it is run."""
    return typer.Option(
        None, "--as-of", metavar="DATE", callback=_check_as_of,
        help="The date to run as, like 31/10/2025: the date the outputs say they were written, and the date "
             "moderation is judged overdue against. Default: today (or SOURCE_DATE_EPOCH when set).",
    )


def as_of_date(value: str | None) -> dt.date:
    """The command's run date: ``--as-of`` when given, else read from the clock, once (pmreport.run_date)."""
    from pmreport.run_date import parse_as_of, run_date

    try:
        return run_date(parse_as_of(value))
    except ValueError as exc:  # a bad SOURCE_DATE_EPOCH
        raise PmreportError(str(exc), "Unset SOURCE_DATE_EPOCH, or give --as-of DATE.") from None


def user_errors(func: F) -> F:
    """Turn pmreport's exceptions into a short message and an exit code; no traceback unless --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except PmreportError as exc:
            if _state["debug"]:
                raise
            fix = f" [bold]To fix it:[/bold] {shown(exc.fix)}" if exc.fix else ""
            err_console.print(f"[bold red]Error:[/bold red] {shown(exc.message)}{fix}", soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err_console.print("Stopped. Nothing was changed in your input files.")
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            if _state["debug"]:
                raise
            err_console.print(
                f"[bold red]Error:[/bold red] pmreport hit an unexpected problem ({type(exc).__name__}). "
                "Your input files were not changed. Run the same command again with --debug "
                "and send the output to whoever supports pmreport.",
                soft_wrap=True,
            )
            raise typer.Exit(3) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        from pmreport import __version__

        console.print(f"pmreport {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    debug: bool = typer.Option(False, "--debug", help="Show full Python tracebacks when something goes wrong."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    _state["debug"] = debug


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except SystemExit:
        raise
    except BaseException:  # pragma: no cover - typer already handled everything user-facing
        if _state["debug"]:
            raise
        sys.exit(3)
