"""Errors of the disclosure gate. Each says what to do next."""

from __future__ import annotations

from pmreport.errors import DisclosureRisk, PmreportError

__all__ = ["DisclosureRefused", "DisclosureRisk", "MicrodataInvalid"]


class DisclosureRefused(PmreportError):
    """The gate was asked for a figure the policy never allows (a name, a date, free text, a cross-tabulation)."""

    exit_code = 1


class MicrodataInvalid(PmreportError):
    """The person-level data handed to the gate is not one row per person per cycle with a key."""
