"""The catalogue of validation issues: one code each, with a title, a severity and a fix.

A message is made from the place (file, sheet, cell) and the code's text; the cell's value is
kept apart and shown only where it is not sensitive, or when the user asks for values.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True)
class IssueType:
    code: str
    severity: str
    title: str
    template: str  # formatted with field, expected, other, detail


ISSUES: dict[str, IssueType] = {
    t.code: t
    for t in [
        # sheets and headers
        IssueType("unknown_sheet", WARNING, "Sheet not used", "This sheet is not one pmreport uses, so it was not read.{detail}"),
        IssueType("duplicate_sheet", WARNING, "Sheet given twice", "Another sheet already holds the {field} table, so this one was not read. Keep one {field} sheet."),
        IssueType("hidden_sheet", INFO, "Hidden sheet read", "This sheet is hidden in Excel; pmreport read it all the same."),
        IssueType("no_header_row", ERROR, "Header row not found", "No header row was found in the first 100 rows. The first row of the table must hold the column names, for example {expected}."),
        IssueType("missing_column", ERROR, "Required column missing", "The required column {field} is missing.{detail} Add a column headed '{field}' ({expected}). The rows were kept{other}."),
        IssueType("missing_key_column", ERROR, "Column that places each row missing", "The column {field} is missing, so {expected}: all {other} set aside until it is there.{detail} Add a column headed '{field}'."),
        IssueType("unknown_column", WARNING, "Column not used", "The column headed '{other}' is not one pmreport knows, so it was not read.{detail}"),
        IssueType("duplicate_column", ERROR, "Column given twice", "Two columns both mean {field} (the other is column {other}). Delete or rename one of them."),
        IssueType("column_choice", INFO, "Column chosen", "Two columns could be {field}: {other} was read and {expected} was not. pmreport reads the column with a value in every row and none repeated (for a reference), then the one with more values, then the one whose heading comes first in the data contract. Rename or delete a column to choose the other."),
        IssueType("columns_joined", INFO, "Columns joined", "{field} was made by joining the columns {other}."),
        IssueType("empty_sheet", INFO, "Sheet has no rows", "The sheet has a header row but no data rows."),
        IssueType("unnamed_column", WARNING, "Column without a heading", "This column has values but no heading in the header row, so it was not read. Type one of pmreport's column names as its heading (see the data contract), or delete the column if it is not needed."),
        IssueType("not_data_row", INFO, "Not a person's row", "This row looks like a total, a filter or a note from the system that made the export, not a record, so it was not read (it is counted with the blank rows)."),
        IssueType("macros_not_run", INFO, "Macros not run", "The workbook contains macros. pmreport read only the values saved in its cells; it never runs macros."),
        # cells a reader would see as blank although the sheet shows something
        IssueType("formula_no_value", ERROR, "Formula with no saved result", "This cell holds a formula with no saved result, so pmreport cannot see its value: open the workbook in Excel and save it (or type the value in place of the formula)."),
        IssueType("cell_error", ERROR, "Excel error in the cell", "This cell shows the Excel error {other}, so it has no value pmreport can use. Correct the formula, or type the value in, and save the workbook."),
        IssueType("row_repeated", ERROR, "Row stored more than once", "The file stores this row {other} times (Excel stores each row once; the file was made or changed by another program), so pmreport cannot tell which copy is right: every copy was counted and set aside. Open the workbook in Excel, check the rows, and save a fresh copy, or export it again."),
        IssueType("row_out_of_order", WARNING, "Row stored out of order", "The file stores this row after row {other} (Excel stores rows in order; the file was made or changed by another program). pmreport read it at its own row number; check that the rows are as you expect."),
        IssueType("cell_repeated", ERROR, "Cell stored twice", "The file holds two values for this cell (Excel stores each cell once), so pmreport cannot tell which is right and set the row aside. Open the workbook in Excel, check the cell, and save a fresh copy."),
        IssueType("merged_cell", ERROR, "Merged cells", "This cell is merged into {other}; pmreport reads a merged block's value from its first cell only, so {field} is blank in this row. Unmerge the cells (Home > Merge & Center > Unmerge Cells) and type the value into every row."),
        # cell values that cannot be understood
        IssueType("not_an_id", ERROR, "Not a reference", "{field} must be a staff reference such as 000123 (letters and numbers, at most 64 characters)."),
        IssueType("not_a_number", ERROR, "Not a number", "{field} must be a number{expected}."),
        IssueType("not_a_whole_number", ERROR, "Not a whole number", "{field} must be a whole number{expected}."),
        IssueType("not_an_fte", ERROR, "Not an FTE", "{field} must be a full-time equivalent such as 0.6, 60% or 1."),
        IssueType("fte_out_of_range", ERROR, "FTE out of range", "{field} must be more than 0 and at most 1 (or a percentage up to 100%). Check for a typing slip."),
        IssueType("not_a_date", ERROR, "Not a date", "{field} must be a date written dd/mm/yyyy, for example 31/10/2025."),
        IssueType("impossible_date", ERROR, "Impossible date", "{field} is not a real date (for example 31/02). Enter it as dd/mm/yyyy, for example 31/10/2025."),
        IssueType("month_first_date", ERROR, "Date written month first", "{field} is a real date only if read month first (mm/dd/yyyy), but other dates in this column are day first. Write it dd/mm/yyyy, for example 13/10/2025 for 13 October."),
        IssueType("month_first_column", WARNING, "Column written month first", "This column's dates are written month first (mm/dd/yyyy, as a US-set computer writes them): {other} can only be read that way, so the whole column was read month first. If that is wrong, retype the dates as dd/mm/yyyy; to stop it, set Excel's region to United Kingdom before exporting."),
        IssueType("date_out_of_range", ERROR, "Date out of range", "{field} must be a date between 1900 and 2100{expected}."),
        IssueType("not_yes_no", ERROR, "Not Y or N", "{field} must be Y or N (Yes/No, True/False and 1/0 are accepted too)."),
        IssueType("unknown_code", ERROR, "Value not recognised", "{field} must be one of: {expected}.{detail}"),
        IssueType("not_known", WARNING, "Value not understood, kept as not known", "{field} could not be read ({other}), so it is counted as not known; the rest of the row is used.{detail}"),
        IssueType("not_a_cycle", ERROR, "Not a cycle", "{field} must be an academic year written like 2025/26."),
        IssueType("text_too_long", ERROR, "Text too long", "{field} is longer than pmreport accepts; shorten it."),
        # per-sheet rules (great-expectations)
        IssueType("missing_value", ERROR, "Required value missing", "{field} is required but blank.{detail}"),
        IssueType("out_of_range", ERROR, "Value out of range", "{field} must be {expected}."),
        IssueType("bad_format", ERROR, "Wrong format", "{field} must be {expected}."),
        IssueType("duplicate_key", ERROR, "Duplicate row", "Another row has the same {field}; {expected}. Remove or correct the duplicate."),
        IssueType("dates_out_of_order", ERROR, "Dates out of order", "{field} is earlier than {other}; {field} should be on or after it. Check both dates."),
        # across sheets
        IssueType("unknown_reference", ERROR, "Reference not found", "{field} names a member of staff who is not on the staff sheet. Add them to the staff sheet or correct the reference."),
        IssueType("reference_set_aside", ERROR, "Refers to a row set aside", "{field} names a member of staff whose row on the staff sheet was set aside because of its own errors (see the staff sheet). Fix that row first."),
        IssueType("reference_not_known", WARNING, "Reference not found, kept as not known", "{field} names a member of staff who is not on the staff sheet (or whose row there was set aside), so it is counted as not known; the rest of the row is used."),
        IssueType("unknown_cycle", ERROR, "Cycle not on the school sheet", "This cycle has no row on the school sheet. Add a school row for it (with its dates) or correct the cycle."),
        IssueType("cycle_dates_mismatch", ERROR, "Cycle dates do not match", "cycle_start and cycle_end must fall in the academic year named in cycle{detail}."),
        IssueType("head_reviewer_blank", INFO, "Headteacher's reviewer read as the governing body", "No reviewer is named on the headteacher's review, so it is read as the governing body's ({other}): the governing body reviews the headteacher (policy §4.2). Write {other} here to say so yourself."),
        IssueType("knock_on", ERROR, "Rows set aside because of another problem", "{other}"),
        IssueType("no_school_row", ERROR, "School details missing", "The school sheet has no usable row. Give one row per cycle with at least the cycle (such as 2025/26); the school's name, URN, phase, local authority and the cycle's dates may be left out (the union return needs URN, phase and local authority)."),
    ]
}


#: Problems with a sheet's shape: each is the cause of others, so each is listed first (on screen and in the issues workbook).
ROOT_CAUSES = frozenset({
    "no_header_row", "missing_key_column", "missing_column", "duplicate_column", "unknown_column", "unnamed_column",
    "month_first_column", "column_choice",
})
#: Problems that follow from another one (a staff row set aside, a column missing): counted, listed last.
KNOCK_ON = frozenset({"knock_on"})


def tier(code: str, severity: str) -> int:
    """Where an issue is listed: root causes, then errors at a cell, then knock-on errors, warnings, information."""
    if code in ROOT_CAUSES:
        return 0
    if code in KNOCK_ON:
        return 2
    return {ERROR: 1, WARNING: 3, INFO: 4}[severity]


def issue_type(code: str) -> IssueType:
    return ISSUES[code]
