"""The head's confidential exceptions workbook: named breaches and unrecorded dates, for the headteacher only.

Written through :func:`pmreport.safe_output.write_tables`, so it is atomic, every sheet opens with
the confidential banner, and text a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pmreport.compliance.outcomes import BREACHED, MET, NOT_APPLICABLE, NOT_RECORDED, OUTCOME_LABELS
from pmreport.compliance.results import ComplianceResult
from pmreport.compliance.rules.base import FLAG
from pmreport.compliance.scope import SCOPE_REASONS
from pmreport.safe_output import write_tables


def _pct(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.0%}"


def summary_sheet(result: ComplianceResult) -> pd.DataFrame:
    """One row per rule; a workload indicator's hits are under "Worth a look", never under "Not met (breached)"."""
    rows = []
    for r in result.rules:
        c, rt = result.counts(r.id), result.rates(r.id)
        flag = r.kind == FLAG
        rows.append({
            "Rule": r.title, "Citation": r.citation, "Kind": "worth a look (not a breach)" if flag else "requirement",
            "Checked": c["in_scope"], MET.label: c["met"], BREACHED.label: None if flag else c["breached"],
            "Worth a look": c["breached"] if flag else None, NOT_RECORDED.label: c["not_recorded"],
            NOT_APPLICABLE.label: c["not_applicable"], f"{MET.label} %": _pct(rt["met_rate"]),
            f"{BREACHED.label} %": "" if flag else _pct(rt["breached_rate"]),
            f"{NOT_RECORDED.label} %": _pct(rt["not_recorded_rate"]),
        })
    return pd.DataFrame(rows)


def exceptions_sheet(result: ComplianceResult) -> pd.DataFrame:
    """The named breaches and unrecorded dates under the policy's requirements."""
    return _named(result, result.exceptions())


def worth_a_look_sheet(result: ComplianceResult) -> pd.DataFrame:
    """What the workload indicators flag, each with its source: worth a look, not a breach of the policy."""
    rules = {r.id: r for r in result.rules}
    frame = _named(result, result.worth_a_look())
    frame.insert(2, "Source", result.worth_a_look()["rule"].map(lambda rid: rules[rid].source))
    frame["Outcome"] = "worth a look"
    return frame


def _named(result: ComplianceResult, exc: pd.DataFrame) -> pd.DataFrame:
    rules = {r.id: r for r in result.rules}
    names = result.staff.drop_duplicates("staff_id").set_index("staff_id")["name"]
    return pd.DataFrame({
        "Rule": exc["rule"].map(lambda rid: rules[rid].title),
        "Citation": exc["rule"].map(lambda rid: rules[rid].citation),
        "Staff ID": exc["staff_id"],
        "Name": exc["staff_id"].map(names),
        "Item": exc["item"],
        "Outcome": exc["outcome"].map(OUTCOME_LABELS),
        "Reason": exc["reason"],
        "File": exc["_file"],
        "Sheet": exc["_sheet"],
        "Row": exc["_row"],
    })


def scope_sheet(result: ComplianceResult) -> pd.DataFrame:
    staff = result.staff
    noted = staff[staff["scope_reason"].notna() | staff["long_absence"]]
    return pd.DataFrame({
        "Staff ID": noted["staff_id"],
        "Name": noted["name"],
        "Scope": noted["scope_reason"].map(SCOPE_REASONS).fillna("in scope"),
        "Long absence noted (§4.4)": noted["long_absence"].map({True: "yes", False: ""}),
        "File": noted["_file"],
        "Sheet": noted["_sheet"],
        "Row": noted["_row"],
    })


def write_exceptions(result: ComplianceResult, path: str | Path) -> Path:
    """Write the summary, the named exceptions, the workload indicators and the scope list to ``path``
    (.xlsx), confidential."""
    path = Path(path)
    write_tables(
        path,
        {"Summary": summary_sheet(result), "Exceptions": exceptions_sheet(result),
         "Worth a look": worth_a_look_sheet(result), "Scope": scope_sheet(result)},
        confidential=True,
    )
    return path
