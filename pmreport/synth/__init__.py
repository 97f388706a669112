"""Seeded, deterministic synthetic schools for tests, demos and power studies.

Everything is invented: names come from generic lists of common first names and surnames,
school names from invented place words, URNs from a range no real school uses (99xxxxx).

>>> from pmreport.synth import generate, Effects
>>> school = generate(phase="secondary", seed=7, effects=Effects(late_reviews=0.1))
>>> school.data        # pmreport.model.SchoolData, typed per model.py
>>> school.truth       # JSON-able ground truth: every planted breach, harsh reviewer, pay gap
>>> school.write_xlsx("school.xlsx", messy=True)   # also writes school.truth.json
"""

from __future__ import annotations

from pmreport.synth.effects import BREACH_RULES, Effects
from pmreport.synth.school import PHASES, SyntheticSchool, generate

__all__ = ["BREACH_RULES", "PHASES", "Effects", "SyntheticSchool", "generate"]
