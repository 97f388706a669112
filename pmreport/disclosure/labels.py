"""Plain-English labels for columns and codes, for titles governors read."""

from __future__ import annotations

from collections.abc import Sequence

from pmreport.compliance.outcomes import Outcome


def listed(words: Sequence[str], last: str = "and") -> str:
    """Words as a sentence lists them: "a", "a and b", "a, b and c" (or "a, b or c" with ``last="or"``)."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {last} " + words[-1]

COLUMN_LABELS = {
    "assessment": "assessment against objectives",
    "pay_decision": "pay progression decision",
    "pay_recommendation": "pay recommendation",
    "sex": "sex",
    "ethnicity": "ethnic group",
    "ethnicity_group": "ethnic group",
    "disability": "disability",
    "age_band": "age",
    "age": "age",
    "role_group": "role",
    "responsibility": "level of responsibility",
    "contract_type": "contract type",
    "working_pattern": "working pattern",
    "pregnancy_maternity": "pregnancy or maternity",
    "religion_belief": "religion or belief",
    "sexual_orientation": "sexual orientation",
    "objectives_count": "number of objectives",
    "workload_concern_raised": "workload concern raised",
    "scope_reason": "reason out of scope",
}

CODE_LABELS = {
    "met": "Met",
    "partly_met": "Partly met",
    "not_met": "Not met",
    "not_assessed": "Not assessed",
    "progress": "Progressed",
    "no_progress": "Did not progress",
    "pending": "Decision pending",
    **{o.value: o.label for o in Outcome},  # the rules' outcomes: one wording, the rules' own
    "not_known": "Not known",
    "male": "Male",
    "female": "Female",
    "unknown": "Not known",
    "yes": "Yes",
    "no": "No",
    "teacher": "Teachers",
    "headteacher": "Headteacher",
    "support": "Support staff",
    "white_british": "White British",
    "white_other": "White (other)",
    "mixed": "Mixed or multiple ethnic groups",
    "asian": "Asian or Asian British",
    "black": "Black, Black British, Caribbean or African",
    "chinese": "Chinese",
    "other": "Other",
    "under_30": "Under 30",
    "30_39": "30 to 39",
    "40_49": "40 to 49",
    "50_59": "50 to 59",
    "60_and_over": "60 and over",
    "full_time": "Full time",
    "part_time": "Part time",
}


def column_label(column: str) -> str:
    """``pay_decision`` -> ``pay progression decision``."""
    if column.startswith("rule:"):
        return column.removeprefix("rule:").replace("_", " ")
    return COLUMN_LABELS.get(column, column.replace("_", " "))


def code_label(code: str, extra: dict[str, str] | None = None) -> str:
    """``partly_met`` -> ``Partly met``."""
    if extra and code in extra:
        return extra[code]
    return CODE_LABELS.get(code, code.replace("_", " ").capitalize())


def people(n: int) -> str:
    """``1 person``, ``3 people``."""
    return f"{n} person" if n == 1 else f"{n} people"


#: Labels of a characteristic's codes where the code alone would read badly (``yes`` for disability).
GROUP_LABELS = {
    ("disability", "yes"): "Disabled",
    ("disability", "no"): "Not disabled",
    ("pregnancy_maternity", "yes"): "Pregnant or on maternity leave",
    ("pregnancy_maternity", "no"): "Not pregnant or on maternity leave",
    ("qts", "yes"): "Qualified teacher status",
    ("qts", "no"): "Without qualified teacher status",
    ("workload_concern_raised", "yes"): "Raised a workload concern",
    ("workload_concern_raised", "no"): "Raised no workload concern",
    ("ethnicity_group", "other"): "Other ethnic group",
    ("ethnicity", "other"): "Other ethnic group",
}


def group_label(column: str, code: str) -> str:
    """The label of one code of a characteristic, for a row of a breakdown."""
    return GROUP_LABELS.get((column, code)) or code_label(code)
