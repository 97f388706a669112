"""Characteristics as the bands a return shows (the finest level before any is made less detailed)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pmreport.schema import schema
from pmreport.school_year import age_band
from pmreport.union.return_schema import NOT_KNOWN

__all__ = ["age_band", "ethnicity_group", "experience_band", "fte_band", "size_band", "yes_no", "sex_code"]


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def fte_band(fte: Any) -> str:
    if _missing(fte):
        return NOT_KNOWN
    fte = float(fte)
    if fte >= 0.999:
        return "full_time"
    return "part_time_half_or_more" if fte >= 0.5 else "part_time_under_half"


def experience_band(years: Any) -> str:
    if _missing(years):
        return NOT_KNOWN
    years = float(years)
    if years < 5:
        return "0_to_4"
    if years < 10:
        return "5_to_9"
    return "10_to_19" if years < 20 else "20_and_over"


def ethnicity_group(code: Any) -> str:
    if _missing(code):
        return NOT_KNOWN
    return schema("staff").field("ethnicity").group_of.get(str(code).upper(), NOT_KNOWN)


def sex_code(value: Any) -> str:
    return str(value) if not _missing(value) and str(value) in ("male", "female") else NOT_KNOWN


def yes_no(value: Any, missing: str = NOT_KNOWN) -> str:
    if _missing(value):
        return missing
    return "yes" if bool(value) else "no"


def size_band(staff: int) -> str:
    if staff < 20:
        return "under_20"
    if staff < 50:
        return "20_to_49"
    if staff < 100:
        return "50_to_99"
    return "100_to_149" if staff < 150 else "150_and_over"
