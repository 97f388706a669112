"""The bundled sample workbooks, rebuilt reproducibly: ``python -m pmreport.samples [DIR]`` (default: ``pmreport/sample_data/``).

* ``primary.xlsx``: a compliant primary school (seed 11).
* ``secondary.xlsx``: a secondary school with known problems planted (seed 22): a few late
  or missing reviews and statements, observation over the cap, a harsh reviewer and a pay
  progression gap. Its ground truth is in ``secondary.truth.json``.
* ``secondary_messy.xlsx``: the same school written the way MIS exports look.
* ``invalid/NAME.xlsx``: the primary school with one known fault each, and beside it
  ``NAME.expected.json`` listing exactly the issues the fault must produce. The expected
  issues are worked out here from where the fault was put, not by running the validator.

Every name and school is invented.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from pmreport.safe_output import save_workbook
from pmreport.synth import Effects, generate

#: The bundled samples' folder, inside the package (package data), so that ``pmreport demo`` works
#: from an installed wheel as it does from a checkout.
SAMPLE_DIR = Path(__file__).resolve().parent / "sample_data"

SECONDARY_EFFECTS = Effects(
    late_reviews=2, missing_reviews=1, short_notice=2, late_draft=2, late_final=2, no_mid_year=2,
    observation_over_cap=2, late_feedback=1, teacher_reviews_support=2, development_not_provided=0.1,
    training_outside_hours=2, too_many_objectives=1, appeal_before_moderation=1, harsh_reviewer=40, pay_gap=0.35,
    pay_gap_group="fte<1",
)


def build_valid(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    primary = generate(phase="primary", seed=11)
    secondary = generate(phase="secondary", seed=22, effects=SECONDARY_EFFECTS)
    primary.write_xlsx(out / "primary.xlsx")
    secondary.write_xlsx(out / "secondary.xlsx")
    secondary.write_xlsx(out / "secondary_messy.xlsx", messy=True)
    return [out / "primary.xlsx", out / "secondary.xlsx", out / "secondary_messy.xlsx"]


# --- invalid cases: each takes the primary workbook, puts one fault in, and says what must be found


def _col(ws: Worksheet, name: str) -> tuple[int, str]:
    for cell in ws[1]:
        if cell.value == name:
            return cell.column, cell.column_letter
    raise KeyError(name)


def _rows_where(ws: Worksheet, **match: str) -> list[int]:
    cols = {k: _col(ws, k)[0] for k in match}
    return [r for r in range(2, ws.max_row + 1) if all(ws.cell(r, c).value == v for (k, c), v in zip(cols.items(), match.values(), strict=True))]


def _latest_review_row(wb: openpyxl.Workbook) -> int:
    ws = wb["reviews"]
    cycle = max(ws.cell(r, _col(ws, "cycle")[0]).value for r in range(2, ws.max_row + 1))
    teachers = _rows_where(ws, cycle=cycle)
    return teachers[len(teachers) // 2]


def _impossible_date(wb):
    ws, r = wb["reviews"], _latest_review_row(wb)
    c, letter = _col(ws, "meeting_date")
    ws.cell(r, c).value = "31/02/2025"
    return [["impossible_date", "reviews", r, letter]]


def _unknown_code(wb):
    ws, r = wb["reviews"], _latest_review_row(wb)
    c, letter = _col(ws, "assessment")
    ws.cell(r, c).value = "Exceeded"
    return [["unknown_code", "reviews", r, letter]]


def _fte_out_of_range(wb):
    ws = wb["staff"]
    id_col = _col(ws, "staff_id")[0]
    ids = [ws.cell(r, id_col).value for r in range(2, ws.max_row + 1)]
    r = next(r for r in range(2, ws.max_row + 1) if ids.count(ws.cell(r, id_col).value) > 1)
    c, letter = _col(ws, "fte")
    ws.cell(r, c).value = 1.5  # the person's rows for other cycles still stand, so nothing else refers to a row set aside
    return [["fte_out_of_range", "staff", r, letter]]


def _duplicate_review(wb):
    ws, r = wb["reviews"], _latest_review_row(wb)
    new = ws.max_row + 1
    for c in range(1, ws.max_column + 1):
        ws.cell(new, c).value = ws.cell(r, c).value
        ws.cell(new, c).number_format = ws.cell(r, c).number_format
    return [["duplicate_key", "reviews", r, "A"], ["duplicate_key", "reviews", new, "A"]]


def _unknown_reviewer(wb):
    ws, r = wb["reviews"], _latest_review_row(wb)
    c, letter = _col(ws, "reviewer_id")
    ws.cell(r, c).value = "999999"
    return [["unknown_reference", "reviews", r, letter]]


def _final_before_meeting(wb):
    ws, r = wb["reviews"], _latest_review_row(wb)
    meeting = ws.cell(r, _col(ws, "meeting_date")[0]).value
    c, letter = _col(ws, "final_statement_date")
    ws.cell(r, c).value = meeting - dt.timedelta(days=1)
    return [["dates_out_of_order", "reviews", r, letter]]


def _unknown_cycle(wb):
    ws = wb["objectives"]
    c, letter = _col(ws, "cycle")
    ws.cell(2, c).value = "2030/31"
    return [["unknown_cycle", "objectives", 2, letter]]


def _missing_category(wb):
    ws = wb["objectives"]
    c, letter = _col(ws, "category")
    ws.cell(3, c).value = None
    return [["missing_value", "objectives", 3, letter]]


def _duration_in_words(wb):
    ws = wb["observations"]
    c, letter = _col(ws, "duration_minutes")
    ws.cell(2, c).value = "an hour"
    return [["not_a_number", "observations", 2, letter]]


def _role_not_yes_no(wb):
    ws = wb["staff"]
    c, letter = _col(ws, "qts")
    ws.cell(2, c).value = "maybe"
    return [["not_yes_no", "staff", 2, letter]]


INVALID_CASES: dict[str, Callable[[openpyxl.Workbook], list[list]]] = {
    "impossible_date": _impossible_date,
    "unknown_assessment": _unknown_code,
    "fte_out_of_range": _fte_out_of_range,
    "duplicate_review": _duplicate_review,
    "unknown_reviewer": _unknown_reviewer,
    "final_before_meeting": _final_before_meeting,
    "unknown_cycle": _unknown_cycle,
    "missing_category": _missing_category,
    "duration_in_words": _duration_in_words,
    "qts_not_yes_no": _role_not_yes_no,
}


def _save(wb: openpyxl.Workbook, path: Path) -> None:
    save_workbook(wb, path)


def build_invalid(primary: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fault in INVALID_CASES.items():
        wb = openpyxl.load_workbook(primary)
        expected = fault(wb)
        _save(wb, out / f"{name}.xlsx")
        (out / f"{name}.expected.json").write_text(
            json.dumps({"exit_code": 1, "errors": expected}, indent=1) + "\n", encoding="utf-8")
        written.append(out / f"{name}.xlsx")
    return written


def build_all(out: Path = SAMPLE_DIR) -> list[Path]:
    valid = build_valid(out)
    return valid + build_invalid(out / "primary.xlsx", out / "invalid")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE_DIR
    for p in build_all(target):
        print(p)
