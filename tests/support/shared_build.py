"""Build something expensive once per test run, even when pytest-xdist runs the tests in several workers.

The first worker to ask builds it and writes it into the run's shared temporary folder; the others
wait on a lock and read it back. What is built must survive a round trip through ``save``/``load``
(JSON by default), so every worker gets an equal copy and no test can change another's.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This run's temporary folder, the same for every xdist worker."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[], Any]) -> Any:
    """``build()``'s JSON value, built by the first worker that asks and read back by every other."""
    folder = shared_folder(tmp_path_factory)
    out = folder / f"{name}.json"
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not out.exists():
            made = build()
            out.with_suffix(".part").write_text(json.dumps(made), encoding="utf-8")
            out.with_suffix(".part").replace(out)
    return json.loads(out.read_text(encoding="utf-8"))
