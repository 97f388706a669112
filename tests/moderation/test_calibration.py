"""A small run of the calibration study in benchmarks/calibrate_moderation.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from pmreport.moderation import FLAG_TYPES

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "calibrate_moderation.py"


def _module():
    spec = importlib.util.spec_from_file_location("calibrate_moderation", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_small_calibration_run_gives_every_table():
    cm = _module()
    res = cm.run(schools=2, sizes=(15,), processes=1, controlled=3, power_schools=1, coverage=2)
    text = cm.tables(res)
    for ft in FLAG_TYPES:
        assert f"| {ft} |" in text
    assert "**Power in synthetic schools**" in text and "**Controlled: harsh reviewer**" in text
    assert "**Coverage of the reviewer's 95% odds-ratio interval**" in text
    assert len(res["by"][("persistent", 15)]) == 2 and len(res["by"][("harsh", 15)]) == 1


def test_controlled_harsh_reviewer_with_many_reviewees_is_usually_found():
    cm = _module()
    hits = [cm.controlled_reviewer((40, 60.0, s, 5)) for s in range(5)]
    assert sum(hits) >= 4
