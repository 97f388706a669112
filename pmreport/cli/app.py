"""The typer application and the one place where library exceptions become exit codes.

Commands live one per module beside this one and only parse arguments, call the library
and print. Each exit code means one thing (:mod:`pmreport.cli.exit_codes`): 0 done, 1 the data
has errors, 2 a file cannot be used, 3 an unexpected internal error (run with --debug), 64 the
command was mistyped, 69 a part of pmreport that is not installed, 130 stopped with Ctrl+C.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import typer
from rich.console import Console
from typer._click.exceptions import UsageError  # typer's own copy of click: its usage errors
from typer.core import TyperCommand, TyperGroup

from pmreport.cli.exit_codes import ExitCode, help_text
from pmreport.errors import PmreportError

#: Options every command accepts before or after the command name (taken out before parsing).
GLOBAL_FLAGS = ("--debug", "--quiet", "-q", "--show-values")

#: Modules that come with an extra, and the extra that installs them.
EXTRAS = {"duckdb": "union", "ibis": "union", "statsmodels": "union", "pyspark": "spark"}

#: Metavars shown in help for a value's type, in place of typer's ``<path>``, ``<int>`` ...
_METAVARS = {"<path>": "PATH", "<str>": "TEXT", "<int>": "NUMBER", "<float>": "NUMBER", "<int range>": "NUMBER",
             "<float range>": "NUMBER"}


def _reflow(text: str | None) -> str | None:
    """Join the lines of each paragraph of a docstring (rich help keeps single line breaks), leaving
    indented example lines as they are."""
    if not text:
        return text
    import inspect

    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(p if p.startswith((" ", "\b")) else " ".join(p.split()) for p in paragraphs)


def _tidy(params: list[Any], ctx: Any) -> list[Any]:
    """Plain help: no ``<bool>`` against a flag, ``PATH`` rather than ``{path}`` or ``<path>``."""
    for param in params:
        if param.param_type_name == "argument":
            param.display_type_rich = lambda ctx: None  # its name says it: no "<path>" beside "PATH"
        if param.metavar is not None:
            continue
        if getattr(param, "is_flag", False):
            param.metavar = ""
        elif param.param_type_name == "argument":
            param.metavar = (param.name or "value").upper()
        else:
            shown_type = param.display_type(ctx)
            if shown_type in _METAVARS:
                param.metavar = _METAVARS[shown_type]
            elif shown_type and "|" in shown_type:  # the choices, without brackets
                param.metavar = shown_type.strip("<>")
    return params


class _PlainHelp:
    """Help that reads plainly (reflowed paragraphs, tidy metavars) and ends with what each exit code means;
    shared by commands and groups."""

    help: str | None
    epilog: str | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = _reflow(self.help)
        if self.epilog is None:
            self.epilog = help_text()

    def get_params(self, ctx: Any) -> list[Any]:
        return _tidy(super().get_params(ctx), ctx)  # type: ignore[misc]


class PmCommand(_PlainHelp, TyperCommand):
    """A command whose help reads plainly and ends with what each exit code means."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """``pmreport report [OPTIONS] PATH``: the arguments by name, optional ones in brackets."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = param.metavar or (param.name or "value").upper()
                pieces.append(name if param.required else f"[{name}]")
        return pieces


class PmGroup(_PlainHelp, TyperGroup):
    """The root (and ``union``) group: ``--debug`` anywhere on the line, ``-h``, and usage errors with
    their own exit code (64), as JSON on standard output when ``--json`` was asked for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["context_settings"] = {"help_option_names": ["-h", "--help"], **(kwargs.get("context_settings") or {})}
        super().__init__(*args, **kwargs)

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        if parent is None:  # the root: take the global flags out wherever they are
            args = _take_global_flags(args)
            _state["json"] = "--json" in _before_separator(args)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except UsageError as exc:
            raise _usage(exc) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise _usage(exc) from None


def _before_separator(args: Sequence[str]) -> list[str]:
    args = list(args)
    return args[: args.index("--")] if "--" in args else args


def _take_global_flags(args: list[str]) -> list[str]:
    head = _before_separator(args)
    _state["debug"] = "--debug" in head
    _state["quiet"] = "--quiet" in head or "-q" in head
    _state["show_values"] = "--show-values" in head
    return [a for a in head if a not in GLOBAL_FLAGS] + args[len(head):]


def _usage(exc: UsageError) -> UsageError:
    exc.exit_code = int(ExitCode.USAGE)
    if _state["json"]:  # --json was on the line: the error as JSON on standard output too
        print_json_error(ExitCode.USAGE, exc.format_message(), "See the command's --help.", "UsageError")
        raise typer.Exit(int(ExitCode.USAGE))
    return exc


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
    cls=PmGroup,
)

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)
_state = {"debug": False, "json": False, "quiet": False, "show_values": False}

F = TypeVar("F", bound=Callable[..., Any])


def debug_enabled() -> bool:
    return _state["debug"]


def quiet_enabled() -> bool:
    """``--quiet`` (``-q``) was given, before or after the command name."""
    return _state["quiet"]


def show_values_enabled() -> bool:
    """``--show-values`` was given, before or after the command name."""
    return _state["show_values"]


@contextlib.contextmanager
def stages(as_json: bool = False, console: Console | None = None) -> Iterator[Callable[[str], None]]:
    """Progress for a long command: a spinner on standard error naming the stage it is at (reading,
    checking the data, the policy's rules, analyses, writing each file), with the time each stage
    took. Silent when standard error is not a terminal (piped, in a script), with --json or --quiet.

    Yields the function a job calls with each stage's name (``progress=`` of :mod:`pmreport.jobs`).
    """
    import time

    out = console or err_console
    if as_json or _state["quiet"] or not out.is_terminal:
        yield lambda _text: None
        return
    current: dict[str, Any] = {}

    def finish() -> None:
        if current:
            out.print(f"[dim]{current['text']} ({time.perf_counter() - current['start']:.1f} s)[/dim]", highlight=False,
                      soft_wrap=True)

    with out.status("Starting", spinner="dots") as status:
        def update(text: str) -> None:
            finish()
            text = shown(text)  # a stage may name a file: no markup from it
            current.update(text=text, start=time.perf_counter())
            status.update(f"{text} ...")

        try:
            yield update
        finally:
            finish()


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

    ``report`` is the :class:`~pmreport.validation.outcome.ValidationReport` of ``path``.
    """
    if not report.errors:
        return
    set_aside = sum(s.quarantined for s in report.stats.values())
    if not set_aside:  # a missing column, say: every row was kept
        err_console.print(f"[yellow]Warning:[/yellow] {plural(len(report.errors), 'error')} in the data (no row was set "
                          f"aside). Run pmreport validate {shown(path)} to see and fix {'it' if len(report.errors) == 1 else 'them'}.",
                          soft_wrap=True)
        return
    err_console.print(
        f"[yellow]Warning:[/yellow] {plural(len(report.errors), 'error')} in the data: "
        f"{plural(set_aside, 'row')} with errors {'was' if set_aside == 1 else 'were'} set aside and {what}. "
        f"Run pmreport validate {shown(path)} to see and fix them.", soft_wrap=True)


def warn_left_out(items: Sequence[Any]) -> None:
    """Say (on stderr, before the warning about rows set aside) what the analysis could not make and why:
    ``items`` are :class:`~pmreport.validation.left_out.LeftOut`."""
    for item in items:
        err_console.print(f"[yellow]Left out:[/yellow] {shown(item.text)}", soft_wrap=True)


def _check_as_of(value: str | None) -> str | None:
    from pmreport.run_date import parse_as_of

    try:
        parse_as_of(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{exc} Write it like 31/10/2025 (day/month/year) or 2025-10-31.") from None
    return value


def mapping_option() -> Any:
    """The ``--mapping FILE`` option of every command that reads a school's workbook."""
    return typer.Option(
        None, "--mapping", metavar="FILE",
        help="Your school's column map (YAML, made once with pmreport map): which of your sheets, columns and "
             "codes are which of pmreport's.",
    )


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


def print_json_error(code: int, message: str, fix: str | None, kind: str) -> None:
    """A fatal error as one JSON object on standard output (for ``--json``); the exit code is ``code``."""
    typer.echo(json.dumps({"error": {"exit_code": int(code), "kind": kind, "message": message, "fix": fix}},
                          indent=2, ensure_ascii=False))


def _missing_extra(exc: ModuleNotFoundError) -> PmreportError | None:
    extra = EXTRAS.get((exc.name or "").split(".")[0])
    if extra is None:
        return None
    error = PmreportError(f"This command needs pmreport's {extra} part ({exc.name}), which is not installed.",
                          f'Install it with: pip install "pmreport[{extra}]"')
    error.exit_code = int(ExitCode.EXTRA_MISSING)
    return error


def user_errors(func: F) -> F:
    """Turn pmreport's exceptions into a short message and an exit code; no traceback unless --debug.

    With ``--json`` (a keyword argument ``as_json``) the message goes to standard output as a JSON
    object, ``{"error": {"exit_code", "kind", "message", "fix"}}``, as well as to standard error.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = bool(kwargs.get("as_json"))

        def fail(code: int, message: str, fix: str | None, kind: str) -> typer.Exit:
            fix_text = f" [bold]To fix it:[/bold] {shown(fix)}" if fix else ""
            err_console.print(f"[bold red]Error:[/bold red] {shown(message)}{fix_text}", soft_wrap=True)
            if as_json:
                print_json_error(code, message, fix, kind)
            return typer.Exit(code)

        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except PmreportError as exc:
            if _state["debug"]:
                raise
            raise fail(exc.exit_code, exc.message, exc.fix, type(exc).__name__) from None
        except KeyboardInterrupt:
            err_console.print("Stopped. Nothing was changed in your input files.")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            if _state["debug"]:
                raise
            missing = _missing_extra(exc) if isinstance(exc, ModuleNotFoundError) else None
            if missing is not None:
                raise fail(missing.exit_code, missing.message, missing.fix, "ExtraNotInstalled") from None
            raise fail(int(ExitCode.INTERNAL_ERROR),
                       f"pmreport hit an unexpected problem ({type(exc).__name__}). Your input files were not changed.",
                       "Run the same command again with --debug and send the output to whoever supports pmreport.",
                       "InternalError") from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        from pmreport import __version__

        console.print(f"pmreport {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    debug: bool = typer.Option(False, "--debug", help="Show full Python tracebacks when something goes wrong "
                                                      "(before or after the command name)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Show no progress while a command works (before or after "
                                                            "the command name). Progress is never shown when the "
                                                            "output goes to a file or another program, or with --json."),
    show_values: bool = typer.Option(False, "--show-values", help="Show the values of sensitive cells (names, "
                                                                  "references, special category data) in the messages "
                                                                  "about the data, for the head's eyes only (before "
                                                                  "or after the command name)."),
) -> None:
    _state["debug"] = _state["debug"] or debug
    _state["show_values"] = _state["show_values"] or show_values


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except SystemExit:
        raise
    except BaseException:  # pragma: no cover - typer already handled everything user-facing
        if _state["debug"]:
            raise
        sys.exit(int(ExitCode.INTERNAL_ERROR))
