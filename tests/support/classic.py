"""The governors' policy without intervals or the unanimity rule: for tests that pin the [c] suppression
patterns worked by hand (the bands that replace [c] are tested in tests/disclosure/test_intervals.py)."""

from __future__ import annotations

from dataclasses import replace

from pmreport.disclosure import GOVERNOR_POLICY

CLASSIC = replace(GOVERNOR_POLICY, intervals=False, hide_unanimous=False)
