"""Seeded, deterministic synthetic schools for tests, demos and power studies.

Everything is invented: names come from generic lists of common first names and surnames,
school names from invented place words, URNs from a range no real school uses (99xxxxx).

Usage::

    from pmreport.synth import generate, Effects

    school = generate(phase="secondary", seed=7, effects=Effects(late_reviews=0.1))
    school.data                                  # pmreport.model.SchoolData, typed per model.py
    school.truth                                 # JSON-able ground truth (planted breaches ...)
    school.write_xlsx("school.xlsx", messy=True)   # also writes school.truth.json
    school.write_csv_dir("school")               # school/staff.csv ... and school.truth.json

Modules: ``posts`` and ``people`` (who works there, cycle by cycle), ``managers`` (line
management), ``calendar`` (closures and working days), ``reviews``, ``records`` (objectives,
development, appeals) and ``observations`` (baseline plus planted breaches), ``effects``
(what can be planted, and the truth), ``frames`` (typed tables), ``writer`` and ``messy``
(workbooks and CSV), ``check`` (an independent re-derivation of every rule, used by the tests).
"""

from __future__ import annotations

from pmreport.synth.effects import BREACH_RULES, Effects
from pmreport.synth.school import PHASES, SyntheticSchool, generate

__all__ = ["BREACH_RULES", "PHASES", "Effects", "SyntheticSchool", "generate"]
