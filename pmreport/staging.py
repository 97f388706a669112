"""The staging folder a report is rendered into before its files are moved into place.

It lives inside the confidential folder (``OUT/head_confidential/.pmreport-staging-PID-XXXX``,
readable by its owner only), so that a run stopped at any moment, even by a power cut or
``kill -9``, never leaves the head's pack (which names staff) beside the governors' files. It is
removed when the run ends, however it ends: normally, on an error, on Ctrl+C (SIGINT) or on SIGTERM
(turned into an orderly stop while the folder exists). A folder left by a run that was killed
outright is removed by the next run into the same output folder, once its process has gone;
folders left by earlier versions of pmreport (``OUT/.pmreport-report-XXXX``) are removed too.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path
from typing import Any

PREFIX = ".pmreport-staging-"
LEGACY_PREFIX = ".pmreport-report-"  # beside the governors' files: what earlier versions left when killed

_previous: dict[Path, Any] = {}
_owner: list[int] = []  # the process that installed the handler (a forked helper process inherits it)


class Stopped(SystemExit):
    """SIGTERM while a report was being written: unwinds like Ctrl+C, so the staging folder is removed."""

    def __init__(self, signum: int):
        super().__init__(128 + signum)


def _on_term(signum: int, frame: Any) -> None:
    if _owner and os.getpid() != _owner[-1]:
        os._exit(128 + signum)  # a helper process forked from the run: just stop, the run cleans up
    raise Stopped(signum)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: leave its folder alone
    return True


def clear_stale(out: Path, confidential: Path) -> list[Path]:
    """Remove staging folders left by killed runs (their process has gone); the folders removed."""
    removed: list[Path] = []
    candidates = [p for p in out.glob(LEGACY_PREFIX + "*") if p.is_dir() and not p.is_symlink()]
    for p in confidential.glob(PREFIX + "*"):
        pid = p.name[len(PREFIX):].split("-", 1)[0]
        if p.is_dir() and not p.is_symlink() and pid.isdigit() and not _alive(int(pid)):
            candidates.append(p)
    for p in candidates:
        shutil.rmtree(p, ignore_errors=True)
        if not p.exists():
            removed.append(p)
    return removed


def make_staging(out: Path, confidential_name: str) -> Path:
    """A new owner-only staging folder inside ``out/confidential_name``; SIGTERM now stops the run cleanly."""
    from pmreport.errors import FileSystemFailed, file_system_failed

    confidential = out / confidential_name
    if out.exists() and not out.is_dir():
        raise FileSystemFailed(f"--out {out} is a file, not a folder, so nothing was written.",
                               "Give a folder for the report (never your input workbook), for example report/.")
    try:
        confidential.mkdir(parents=True, exist_ok=True)
        clear_stale(out, confidential)
        staging = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=confidential))  # mode 0700
    except OSError as exc:
        raise file_system_failed(exc, confidential, "make the folder") from None
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
        with contextlib.suppress(ValueError, OSError):
            _previous[staging] = signal.signal(signal.SIGTERM, _on_term)
            _owner.append(os.getpid())
    return staging


def remove_staging(staging: Path) -> None:
    """Remove the staging folder and put SIGTERM's handling back as it was."""
    try:
        shutil.rmtree(staging, ignore_errors=True)
    finally:
        if staging in _previous:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signal.SIGTERM, _previous.pop(staging))
                _owner.pop()
