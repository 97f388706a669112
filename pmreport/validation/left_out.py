"""What an analysis cannot make from this workbook, and why: the columns it needs that are missing,
and the sheets none of whose rows could be used.

Which analysis needs which column or sheet is written once, as ``needed_by`` in
``data_schemas/*.yaml`` (and listed in docs/data-contract.md). An analysis that needs a missing
column for everything (``all``) is not run; otherwise it runs on what is there, and its output says
what was left out.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from pmreport.schema import ANALYSES, SHEET_ORDER, WHOLE, Field, load_schemas
from pmreport.validation.outcome import ValidationReport


@dataclass(frozen=True)
class LeftOut:
    """One part of an analysis that could not be made."""

    analysis: str
    sheet: str  # the sheet as the workbook names it
    field: str | None  # the missing column; None when no row of the sheet could be used
    what: str  # what could not be made ("all" is spelt out in :attr:`text`)
    whole: bool  # the analysis cannot be made at all
    #: the sheet's name in pmreport (data_schemas), whatever the workbook calls it
    table: str = dataclasses.field(default="", compare=False)

    @property
    def why(self) -> str:
        return self._why(self.sheet)

    def _why(self, sheet: str) -> str:
        if self.field is None:
            return f"no row of the sheet '{sheet}' could be used"
        return f"the sheet '{sheet}' has no {self.field} column"

    @property
    def text(self) -> str:
        """"the timing of appeals, because the sheet 'appeals' has no lodged_date column." """
        what = f"all of the {ANALYSIS_NAMES[self.analysis]}" if self.whole else self.what
        return f"{what}, because {self.why}."

    def to_dict(self) -> dict[str, Any]:
        return {"analysis": self.analysis, "sheet": self.sheet, "field": self.field, "left_out": self.what,
                "why": self.why, "whole": self.whole}

    def public_dict(self) -> dict[str, Any]:
        """For the governors' report.json: pmreport's own sheet and column names and what the schema says is
        left out, never the workbook's own sheet names (which a school may have typed anything into)."""
        sheet = self.table or self.sheet
        return {"analysis": self.analysis, "sheet": sheet, "field": self.field, "left_out": self.what,
                "why": self._why(sheet), "whole": self.whole}


#: What each analysis is called in a sentence.
ANALYSIS_NAMES = {"check": "policy checks", "moderate": "moderation", "report": "report to governors"}


def left_out(report: ValidationReport, analysis: str) -> list[LeftOut]:
    """The parts of ``analysis`` (one of :data:`pmreport.schema.ANALYSES`) that this workbook cannot give,
    missing columns first, in the order of the sheets."""
    if analysis not in ANALYSES:
        raise ValueError(f"unknown analysis {analysis!r}")
    schemas = load_schemas()
    tables = {st.source_sheet: t for t, st in report.stats.items()}
    out: list[LeftOut] = []
    for issue in report.sorted_issues():
        table = tables.get(issue.sheet)
        if issue.code != "missing_column" or table is None or issue.field is None:
            continue
        f = schemas[table].field(issue.field)
        need = f.needed_by.get(analysis)
        if need:
            out.append(LeftOut(analysis, issue.sheet or table, f.name, need, need == WHOLE, table))
    for table in SHEET_ORDER:
        st = report.stats.get(table)
        need = schemas[table].needed_by.get(analysis)
        if st is not None and need and st.accepted == 0 and st.quarantined > 0:
            out.append(LeftOut(analysis, st.source_sheet or table, None, need, need == WHOLE, table))
    return out


def lost_without(f: Field) -> str:
    """What the analyses cannot make while this column is missing, in one sentence from its ``needed_by``:
    "the policy checks leave out the observation cap pro rata ..., and the report to governors leaves out ..."."""
    whole = [f"the {ANALYSIS_NAMES[a]}" for a in ANALYSES if f.needed_by.get(a) == WHOLE]
    parts = [(", ".join(whole[:-1]) + " and " if len(whole) > 1 else "") + f"{whole[-1]} cannot be made"] if whole else []
    parts += [f"the {ANALYSIS_NAMES[a]} {'leave' if a == 'check' else 'leaves'} out {f.needed_by[a]}"
              for a in ANALYSES if f.needed_by.get(a) not in (None, WHOLE)]
    return "; ".join(parts[:-1]) + ("; and " if len(parts) > 1 else "") + parts[-1] if parts else ""
