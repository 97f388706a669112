"""pmreport.background: work in a second process, with the same result (or error) as doing it here."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from pmreport.background import ONE_PROCESS, Background

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the second process is a Linux fork")

MAIN = os.getpid()


def where() -> int:
    return os.getpid()


def only_here() -> str:
    """Fails in any process but the test's own: a result from it proves the work was done again here."""
    if os.getpid() != MAIN:
        raise RuntimeError("not in the main process")
    return "done here"


def unpicklable() -> object:
    return (lambda: None) if os.getpid() != MAIN else "done here"


def fails(message: str) -> None:
    raise ValueError(message)


def chatty() -> int:
    print("from the second process")
    print("to stderr", file=sys.stderr)
    return 1


def killed() -> str:
    if os.getpid() != MAIN:
        os.kill(os.getpid(), signal.SIGKILL)
    return "done here"


def slow() -> None:
    time.sleep(60)


def test_the_work_runs_in_another_process() -> None:
    job = Background(where)
    assert job.in_background
    assert job.result() not in (MAIN, None)


def test_a_failure_there_is_run_again_here() -> None:
    assert Background(only_here).result() == "done here"
    assert Background(unpicklable).result() == "done here"
    assert Background(killed).result() == "done here"


def test_an_error_reaches_the_caller_as_it_would_without_the_second_process() -> None:
    with pytest.raises(ValueError, match="bad row"):
        Background(fails, "bad row").result()


def test_the_second_process_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    assert Background(chatty).result() == 1
    out, err = capfd.readouterr()
    assert "second process" not in out and "stderr" not in err


def test_one_process_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ONE_PROCESS, "1")
    job = Background(where)
    assert not job.in_background
    assert job.result() == MAIN


def test_ready_warms_up_then_takes_its_work() -> None:
    job = Background.ready("tests.test_background:where")  # warming up calls where(): harmless
    assert job.in_background
    assert job.send(where).result() not in (MAIN, None)
    job = Background.ready("no.such.module:warm")  # a failed warm-up is only a lost head start
    assert job.send(fails, "still reported").in_background
    with pytest.raises(ValueError, match="still reported"):
        job.result()


def test_closing_stops_a_process_that_was_never_given_work_or_is_still_busy() -> None:
    waiting = Background.ready("tests.test_background:where")
    process = waiting._proc
    waiting.close()
    assert not process.is_alive()
    with Background(slow) as busy:
        process = busy._proc
        started = time.perf_counter()
    assert not process.is_alive() and time.perf_counter() - started < 10


def test_result_before_send_is_a_programming_error() -> None:
    with Background.ready("tests.test_background:where") as job, pytest.raises(RuntimeError):
        job.result()
