"""Run work in a second process while this one goes on, and take its result later.

    job = Background(slow_function, argument)   # starts now, on the other core
    ...                                         # other work here
    value = job.result()                        # waits if need be

or, to have the second process import what it needs while this one is still starting::

    job = Background.ready("package.module:warm_up")  # starts now and runs warm_up()
    ...
    job.send(slow_function, argument)                   # pickled and sent over
    value = job.result()

On Linux the second process is a fork of this one: it starts at once, shares what is already in
memory and imports nothing again. Anywhere else (Windows and macOS, where forking is not safe),
or with ``PMREPORT_ONE_PROCESS=1`` in the environment, no process starts and :meth:`result`
simply calls the function here. The same happens if the second process fails in any way (an
error, killed, a result that cannot be sent back): the function is then run again here, so an
error reaches the user exactly as it would have without the second process, which never prints
anything itself.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import signal
import sys
import threading
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

    def __init__(self, func: Callable[..., T] | None = None, *args: Any) -> None:
        self._func, self._args = func, args
        self._results: Connection | None = None
        self._jobs: Connection | None = None
        self._proc: Any = None
        if func is not None and can_fork():
            self._start(func, args)

    @classmethod
    def ready(cls, warm: str) -> Background[Any]:
        """A second process started now; it calls ``warm`` ("module:function") and waits for :meth:`send`."""
        job: Background[Any] = cls()
        if can_fork():
            jobs_in, jobs_out = multiprocessing.get_context("fork").Pipe(duplex=False)
            job._start(_wait, (warm, jobs_in, jobs_out))
            jobs_in.close()
            job._jobs = jobs_out
        return job

    def send(self, func: Callable[..., T], *args: Any) -> Background[T]:
        """Give the process from :meth:`ready` its work (``func`` must be importable, ``args`` picklable)."""
        self._func, self._args = func, args
        if self._jobs is not None:
            try:
                self._jobs.send((func, args))
            except Exception:  # noqa: BLE001 - cannot be sent (or the process is gone): it will run here
                self.close()
            else:
                self._jobs.close()
                self._jobs = None
        return self

    def _start(self, target: Callable[..., Any], args: tuple[Any, ...]) -> None:
        ctx = multiprocessing.get_context("fork")
        receive, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_child, args=(send, receive, target, args), daemon=True,
                                 name="pmreport-background")
        self._proc.start()
        send.close()
        self._results = receive

    @property
    def in_background(self) -> bool:
        return self._proc is not None

    def result(self) -> T:
        if self._func is None:
            raise RuntimeError("Background.result() before send()")
        if self._results is not None:
            try:
                status, value = self._results.recv()
            except (EOFError, OSError):  # the process died or was killed
                status, value = "failed", None
            finally:
                self._results.close()
                self._results = None
            if status == "ok":
                return value  # type: ignore[no-any-return]
        return self._func(*self._args)

    def close(self) -> None:
        """Let the second process finish if its result was taken; otherwise stop it (nothing it did is kept)."""
        answered = self._results is None and self._jobs is None
        for conn in (self._results, self._jobs):
            if conn is not None:
                conn.close()
        self._results = self._jobs = None
        if self._proc is not None:
            self._proc.join(timeout=5 if answered else 0)
            if self._proc.is_alive():
                self._proc.terminate()
                self._proc.join()
            self._proc = None

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _child(send: Connection, receive: Connection, target: Callable[..., Any], args: tuple[Any, ...]) -> None:
    receive.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)  # no stray output or traceback from here: the main process reports
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for as long as the process lives
    try:
        message: tuple[str, Any] = ("ok", target(*args))
    except BaseException:  # noqa: BLE001 - the main process runs it again and reports the error itself
        message = ("failed", None)
    try:
        send.send(message)
    except Exception:  # noqa: BLE001 - a result that cannot be pickled: the main process runs it again
        send.send(("failed", None))
    send.close()


def _wait(warm: str, jobs_in: Connection, jobs_out: Connection) -> Any:
    jobs_out.close()  # so that the main process going away ends the wait below
    job: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
    # the work is taken in as soon as it is sent (a pipe holds only 64 KB: the sender must not wait)
    reader = threading.Thread(target=lambda: job.append(jobs_in.recv()), daemon=True)
    reader.start()
    module, _, name = warm.partition(":")
    with contextlib.suppress(Exception):  # warming up is only a head start; the work itself will say
        getattr(importlib.import_module(module), name)()
    reader.join()
    jobs_in.close()
    func, args = job[0]  # nothing received (the main process went away): IndexError, reported as failed
    return func(*args)
