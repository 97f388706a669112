"""Validation: per-sheet checks (great-expectations), cross-sheet checks, the ValidationReport."""

from pmreport.validation.outcome import Issue, SheetStats, ValidationReport

__all__ = ["Issue", "SheetStats", "ValidationReport"]
