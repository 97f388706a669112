"""Run one function in a second process while this one goes on, and take its result later.

    job = Background(slow_function, argument)
    ...                     # other work, on the other core
    value = job.result()    # waits if need be

On Linux the second process is a fork of this one: it starts at once, shares the data already in
memory and imports nothing again. Anywhere else (Windows and macOS, where forking is not safe),
or with ``PMREPORT_ONE_PROCESS=1`` in the environment, nothing starts until :meth:`result`,
which then simply calls the function here. The same happens if the second process fails in any
way (an error, killed, a result that cannot be sent back): the function is then run again here,
so an error reaches the user exactly as it would have without the second process, and the second
process never prints anything itself.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")

#: Set to 1 to keep all the work in one process (tests compare both ways).
ONE_PROCESS = "PMREPORT_ONE_PROCESS"


def can_fork() -> bool:
    return sys.platform == "linux" and os.environ.get(ONE_PROCESS, "") not in ("1", "true", "yes")


class Background(Generic[T]):
    """``func(*args)`` in a forked process; :meth:`result` gives its value (or runs it here instead)."""

    def __init__(self, func: Callable[..., T], *args: Any) -> None:
        self._func, self._args = func, args
        self._conn: Connection | None = None
        self._proc: Any = None
        if can_fork():
            ctx = multiprocessing.get_context("fork")
            receive, send = ctx.Pipe(duplex=False)
            self._proc = ctx.Process(target=_child, args=(send, func, args), daemon=True, name="pmreport-background")
            self._proc.start()
            send.close()
            self._conn = receive

    @property
    def in_background(self) -> bool:
        return self._proc is not None

    def result(self) -> T:
        if self._conn is not None:
            try:
                status, value = self._conn.recv()
            except (EOFError, OSError):  # the process died or was killed
                status, value = "failed", None
            finally:
                self.close()
            if status == "ok":
                return value  # type: ignore[no-any-return]
        return self._func(*self._args)

    def close(self) -> None:
        """Stop the second process if it is still running (nothing it did is kept)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._proc is not None:
            if self._proc.is_alive():
                self._proc.terminate()
            self._proc.join()
            self._proc = None

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _child(send: Connection, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)  # no stray output or traceback from here: the main process reports
    try:
        message: tuple[str, Any] = ("ok", func(*args))
    except BaseException:  # noqa: BLE001 - the main process runs it again and reports the error itself
        message = ("failed", None)
    try:
        send.send(message)
    except Exception:  # noqa: BLE001 - a result that cannot be pickled: the main process runs it again
        send.send(("failed", None))
    send.close()
