"""The school side: a pseudonymised, k-anonymous return for the union (``pmreport export-return``).

::

    result = export_return("school.xlsx", "return.xlsx", school_key_file="keys/pmreport-union-key.txt")
    ret = build_return(people, school_info, compliance, k=5)      # from any people frame (synthetic too)
    write_return(ret, "return.xlsx")

The return has four sheets: "About this return" (what is sent, in plain words), ``people`` (one
row per person: pseudonym, banded characteristics, outcomes, each rule's outcome), ``school``
(which school and cycle, its size band, what k-anonymity cost) and ``compliance`` (the school's
counts per rule). Its format is ``data_schemas/returns/*.yaml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pmreport import __version__
from pmreport.disclosure.labels import listed
from pmreport.errors import DataInvalid, PmreportError
from pmreport.run_date import now
from pmreport.schema import schema
from pmreport.union.about import about_rows, write_about
from pmreport.union.anonymise import Anonymised, k_anonymise
from pmreport.union.bands import size_band
from pmreport.union.equality_sheet import COLUMNS as EQUALITY_COLUMNS
from pmreport.union.equality_sheet import equality_rows
from pmreport.union.keys import SchoolKey, school_key
from pmreport.union.return_schema import RETURN_FORMAT, RETURN_SHEETS, return_format

COMPLIANCE_COLUMNS = ("cycle", "rule", "units", "met", "breached", "not_recorded", "not_applicable")


@dataclass
class SchoolReturn:
    people: pd.DataFrame
    school: pd.DataFrame  # one row
    compliance: pd.DataFrame
    anonymity: Anonymised
    key_fingerprint: str | None = None  # which school key made the codes (shown on the About sheet; not the key)
    equality: pd.DataFrame | None = None  # one table per characteristic (:mod:`pmreport.union.equality_sheet`)

    @property
    def sheets(self) -> dict[str, pd.DataFrame]:
        equality = self.equality if self.equality is not None else pd.DataFrame(columns=list(EQUALITY_COLUMNS))
        return {"people": self.people, "equality": equality, "school": self.school, "compliance": self.compliance}


@dataclass
class ExportResult:
    path: Path
    key: SchoolKey
    ret: SchoolReturn
    cycle: str
    warnings: list[str]


def made_at_now() -> str:
    return now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_return(people: pd.DataFrame, school: dict[str, Any], compliance: pd.DataFrame, k: int | None = None,
                 made_at: str | None = None) -> SchoolReturn:
    """A return from a full-detail people frame (see :func:`pmreport.union.person_rows.person_rows`).

    ``school`` needs ``urn``, ``phase``, ``local_authority`` and ``cycle``; ``compliance`` has one
    row per rule with ``rule`` and the counts of :data:`COMPLIANCE_COLUMNS`.
    """
    fmt = return_format()
    anonymity = k_anonymise(people, k)
    columns = [f.name for f in fmt.people.fields]
    frame = anonymity.frame[columns].sort_values("person", kind="stable").reset_index(drop=True)
    staff = len(people)
    row = {
        "urn": str(school["urn"]),
        "phase": str(school["phase"]),
        "local_authority": " ".join(str(school["local_authority"]).split()),
        "size_band": size_band(staff),
        "cycle": str(school["cycle"]),
        "staff": staff,
        "people_rows": len(frame),
        "k": anonymity.k,
        "values_generalised": anonymity.values_generalised,
        "values_suppressed": anonymity.values_suppressed,
        "rows_all_suppressed": anonymity.rows_all_suppressed,
        "made_at": made_at or made_at_now(),
        "return_format": RETURN_FORMAT,
        "pmreport_version": __version__,
    }
    school_frame = pd.DataFrame([row], columns=[f.name for f in fmt.sheets["school"].fields])
    comp = compliance.copy()
    comp["cycle"] = row["cycle"]
    comp = comp[list(COMPLIANCE_COLUMNS)].reset_index(drop=True)
    equality = equality_rows(people, anonymity.k)
    return SchoolReturn(frame, school_frame, comp, anonymity, equality=equality)


#: What the union return needs from the school sheet, in words (the school's own analyses need none of it).
RETURN_NEEDS = {"urn": "URN", "phase": "phase", "local_authority": "local authority"}


def return_from_school(data: Any, cycle: str | None, key: SchoolKey, k: int | None = None,
                       made_at: str | None = None, as_of: dt.date | None = None) -> SchoolReturn:
    """The return for one cycle of a school's validated data (the latest cycle by default); the policy's
    rules are checked on the run date ``as_of`` (dates after it cannot be true yet), as ``pmreport check`` does."""
    from pmreport.compliance import run_checks
    from pmreport.run_date import run_date
    from pmreport.union.person_rows import person_rows

    result = run_checks(data, cycle, as_of=run_date(as_of))
    school = {name: data.school_value(name, result.cycle) for name in RETURN_NEEDS}
    lacking = [name for name, value in school.items() if value is None]
    if lacking:  # before the people's rows are made: nothing can be sent without them
        them = "it" if len(lacking) == 1 else "them"
        words = [RETURN_NEEDS[name] for name in lacking]
        raise DataInvalid(
            f"The union return needs the school's {listed(words)}, and the school sheet gives no "
            f"{listed(words, 'or')} for {result.cycle}. "
            f"The school's own checks, moderation and report work without {them}.",
            f"Fill in {listed([repr(schema('school').field(name).heading) for name in lacking])} on the school sheet's row "
            f"for {result.cycle} (add the column" + ("s" if len(lacking) > 1 else "") + " if the sheet has none; "
            "`pmreport template` shows the layout), and run the command again.")
    people = person_rows(data, result.cycle, result, key.pseudonym)
    school["cycle"] = result.cycle
    ret = build_return(people, school, result.summary, k, made_at)
    ret.key_fingerprint = key.fingerprint
    return ret


def write_return(ret: SchoolReturn, path: str | Path) -> Path:
    """Write the return workbook atomically (the same content gives the same bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from pmreport.safe_output import neutralise, save_workbook

    path = Path(path)
    wb = Workbook()
    write_about(wb.active, about_rows(ret.school.iloc[0].to_dict(), ret.anonymity, ret.key_fingerprint))
    for name in RETURN_SHEETS:
        frame = ret.sheets[name]
        ws = wb.create_sheet(name)
        ws.append(list(frame.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for values in frame.itertuples(index=False):
            ws.append([_cell(v, neutralise) for v in values])
        ws.freeze_panes = "A2"
    save_workbook(wb, path)
    return path


def _cell(value: Any, neutralise: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, np.integer | np.bool_ | bool):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def export_return(source: str | Path, out: str | Path, *, school_key_file: str | Path | None = None, k: int | None = None,
                  cycle: str | None = None, allow_errors: bool = False, made_at: str | None = None,
                  mapping: str | Path | None = None, as_of: dt.date | None = None) -> ExportResult:
    """Read, check and validate the school's workbook, and write its union return to ``out``."""
    from pmreport.pipeline import load_school

    source, out = Path(source), Path(out)
    if out.suffix.lower() != ".xlsx":
        raise PmreportError(f"The return's name {out.name!r} does not end in .xlsx.", "Give a name such as return.xlsx.")
    if out.exists() and source.exists() and out.resolve() == source.resolve():
        raise PmreportError("The return would overwrite your own workbook.", "Give the return a different name.")
    key = school_key(school_key_file)  # before anything is read: no key file, no return
    if key.path is not None and out.resolve() == key.path.resolve():
        raise PmreportError("The return would overwrite your school's key file.", "Give the return a different name.")
    data, report = load_school(source, mapping=mapping)  # mapping: the school's column map (--mapping)
    warnings: list[str] = []
    if not report.valid:
        set_aside = sum(s.quarantined for s in report.stats.values())
        message = (f"{len(report.errors)} error(s) in the data; {set_aside} row(s) were set aside and would be "
                   "missing from the return.")
        if not allow_errors:
            raise DataInvalid(message, "Run pmreport validate on the same file and fix them, or add --allow-errors "
                                       "to send a return without those rows.")
        warnings.append(message)
    if key.path is not None and source.exists():
        folder = source.resolve() if source.is_dir() else source.resolve().parent
        if folder in key.path.resolve().parents:
            warnings.append(f"The key file {key.path} is in the same folder as your data. If you share or send that "
                            "folder, move the key somewhere only you can reach (and keep using the same file).")
    ret = return_from_school(data, cycle, key, k, made_at, as_of)
    if not ret.anonymity.achieved:
        warnings.append("The school has fewer staff than k in this cycle, so no rows about people are in the return.")
    write_return(ret, out)
    return ExportResult(out, key, ret, str(ret.school.at[0, "cycle"]), warnings)
