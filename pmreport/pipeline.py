"""read -> locate -> normalise -> validate -> SchoolData, with every row accounted for.

``load_school`` is the front door for every command and notebook:

    data, report = load_school("school.xlsx")

Rows with errors are set aside (``data.quarantine``) with their reasons, never dropped
silently; ``report.stats`` proves rows read = accepted + set aside + blank for every sheet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from pmreport.column_map import ColumnMap, apply_map, read_map
from pmreport.errors import DataInvalid, RequiredSheetMissing
from pmreport.header_search import SheetLayout, locate, match_sheets, suggest_field, suggest_sheet
from pmreport.model import SchoolData, empty_table
from pmreport.normalise import is_blank
from pmreport.reading import RawWorkbook, read_input
from pmreport.schema import SHEET_ORDER, header_key, load_schemas
from pmreport.tracker_shape import advice, looked_for
from pmreport.validation import cross_checks, knock_on
from pmreport.validation.catalogue import ERROR
from pmreport.validation.gx_checks import ExpectationFinding, run_sheets
from pmreport.validation.issues import new_issue
from pmreport.validation.left_out import ANALYSIS_NAMES, left_out, lost_without
from pmreport.validation.outcome import Issue, SheetStats, ValidationReport
from pmreport.validation.sheet_parsing import ParsedSheet, parse_sheet


def load_school(path: str | Path, *, show_values: bool = False, analysis: str | None = None,
                mapping: str | Path | None = None, raw: RawWorkbook | None = None) -> tuple[SchoolData, ValidationReport]:
    """Read, normalise and validate one school's workbook or CSV folder, for analysis.

    Raises :class:`~pmreport.errors.DataInvalid` (exit 1) when nothing is left to analyse: no school
    row or no staff row was accepted, or a required column is missing that ``analysis`` (one of
    :data:`pmreport.schema.ANALYSES`) cannot do without. With no ``analysis``, any missing required
    column stops it. Rows set aside otherwise are in ``data.quarantine``; what the analysis must leave
    out is :func:`pmreport.validation.left_out.left_out`. ``mapping`` is the school's column map
    (:mod:`pmreport.column_map`), read before the workbook. ``raw``: the workbook at ``path`` when it
    has been read already (:func:`pmreport.reading.read_input`; it is only read, never changed).
    """
    cmap = read_map(mapping) if mapping is not None else None
    data, report = build(raw if raw is not None else read_input(path), show_values=show_values, column_map=cmap)
    require_usable(data, report, Path(path), analysis)
    return data, report


def validate_path(path: str | Path, *, show_values: bool = False, mapping: str | Path | None = None) -> ValidationReport:
    """Read and validate, whatever is found: the report of every problem (never raises on bad data).
    ``mapping``: the school's column map (:mod:`pmreport.column_map`)."""
    cmap = read_map(mapping) if mapping is not None else None
    return build(read_input(path), show_values=show_values, column_map=cmap)[1]


def require_usable(data: SchoolData, report: ValidationReport, path: Path, analysis: str | None = None) -> None:
    """Stop, with the first cause, when no school row or no staff row survived validation, or when a
    required column is missing that the analysis cannot do without (``needed_by: {analysis: all}`` in
    data_schemas; with no analysis named, any required column). Validate lists the rest."""
    if analysis is None:
        missing = [(i.sheet, i.field) for i in report.sorted_issues() if i.code == "missing_column"]
        lost = "no check, table or report can be made"
    else:
        missing = [(x.sheet, x.field) for x in left_out(report, analysis) if x.whole and x.field is not None]
        lost = f"the {ANALYSIS_NAMES[analysis]} cannot be made"
    if missing:
        names = "; ".join(f"sheet '{sheet}' has no {name} column" for sheet, name in missing)
        raise DataInvalid(
            f"{path.name}: {names}, so {lost} until {'it is' if len(missing) == 1 else 'they are'} added.",
            f"Add the column{'s' if len(missing) > 1 else ''}, or run pmreport validate {path} to see every problem.",
        )
    empty = [t for t in ("school", "staff") if data.tables[t].empty]
    if not empty:
        return
    what = " and ".join(f"the {t} sheet" for t in empty)
    first = next((i for i in report.sorted_issues() if i.severity == ERROR and i.sheet is not None
                  and report.stats.get(empty[0]) is not None and i.sheet == report.stats[empty[0]].source_sheet), None)
    first = first or next(iter(report.errors), None)
    cause = f" The first problem: {first.place}: {first.message}" if first is not None else ""
    raise DataInvalid(
        f"Nothing to analyse: no row of {what} could be used, so no check, table or report can be made.{cause}",
        f"Run pmreport validate {path} to see every problem, fix them in the workbook, and run this command again.",
    )


def build(raw: RawWorkbook, *, show_values: bool = False,
          column_map: ColumnMap | None = None) -> tuple[SchoolData, ValidationReport]:
    front = _front(raw, show_values, column_map)
    return _finish(front, _gx_findings(front.parsed))


def _front(raw: RawWorkbook, show_values: bool, column_map: ColumnMap | None = None) -> _Front:
    schemas = apply_map(load_schemas(), column_map)
    report = ValidationReport(source=str(raw.path), show_values=show_values)
    found, unused, dupes = match_sheets(raw, schemas, column_map.assigned if column_map is not None else None)
    missing = [s for s in SHEET_ORDER if schemas[s].required and s not in found]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        where = "sheet" if raw.kind == "xlsx" else "CSV file"
        have = ", ".join(f"'{s.name}'" for s in raw.sheets) or "none"
        shape = advice(raw, schemas)
        if shape is not None:  # a tracker of another shape: how to move it into the template
            raise RequiredSheetMissing(f"{raw.path.name} has no {names} {where}{'s' if len(missing) > 1 else ''} "
                                       f"(it has: {have}). {shape}", looked_for(schemas))
        raise RequiredSheetMissing(
            f"{raw.path.name} has no {names} {where}{'s' if len(missing) > 1 else ''} (it has: {have}).",
            f"Add the missing {where}{'s' if len(missing) > 1 else ''}, named exactly as above, or write a column map "
            "for your own sheet names with `pmreport map`. `pmreport template blank.xlsx` writes a workbook with every "
            "sheet set out.",
        )
    for sheet in unused:
        hint = suggest_sheet(sheet.name, schemas)
        detail = f" Did you mean '{hint}'? Rename the sheet if so." if hint else f" pmreport reads: {', '.join(SHEET_ORDER)}."
        report.issues.append(new_issue("unknown_sheet", file=sheet.file, sheet=sheet.name, detail=detail))
    for sheet, table in dupes:
        report.issues.append(new_issue("duplicate_sheet", file=sheet.file, sheet=sheet.name, field_name=table))
    if raw.macros:
        report.issues.append(new_issue("macros_not_run", file=raw.path.name, sheet=None))

    parsed: dict[str, ParsedSheet] = {}
    headerless: dict[str, pd.DataFrame] = {}
    for table in SHEET_ORDER:
        if table not in found:
            continue
        layout = locate(found[table], schemas[table])
        if found[table].hidden:
            report.issues.append(new_issue("hidden_sheet", file=layout.raw.file, sheet=layout.raw.name))
        if layout.header_index is None and not layout.key_value:
            headerless[table] = _headerless(table, layout, report)
            continue
        ps = parse_sheet(table, layout, show_values)
        _header_issues(layout, report, len(ps.frame))
        report.issues.extend(ps.issues)
        parsed[table] = ps
    _governing_body_reviewer(parsed, report)
    return _Front(parsed, headerless, _row_errors(parsed, report), report, show_values)


@dataclass
class _Front:
    """Everything before great-expectations' checks: parsed sheets and the rows set aside so far."""

    parsed: dict[str, ParsedSheet]
    headerless: dict[str, pd.DataFrame]
    rejected: dict[str, dict[int, list[str]]]
    report: ValidationReport
    show_values: bool


def _gx_sheets(parsed: dict[str, ParsedSheet]) -> dict[str, tuple[pd.DataFrame, frozenset[str]]]:
    return {table: (ps.frame, frozenset(ps.layout.columns)) for table, ps in parsed.items()}


def _gx_findings(parsed: dict[str, ParsedSheet]) -> dict[str, list[ExpectationFinding]]:
    """great-expectations' findings per sheet."""
    return run_sheets(_gx_sheets(parsed))


def _finish(front: _Front, findings: dict[str, list[ExpectationFinding]]) -> tuple[SchoolData, ValidationReport]:
    """The rest of :func:`build` after great-expectations."""
    rejected: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for table, rows in front.rejected.items():
        rejected[table].update({row: list(codes) for row, codes in rows.items()})
    report = replace(front.report, issues=list(front.report.issues), stats=dict(front.report.stats))
    _gx(front.parsed, findings, rejected, report)
    _cross(front.parsed, rejected, report, front.show_values)
    data, report = _assemble(front.parsed, rejected, report)
    data.quarantine.update(front.headerless)
    return data, report


def _headerless(table: str, layout: SheetLayout, report: ValidationReport) -> pd.DataFrame:
    """A sheet whose header row was not found: every non-blank row is set aside, and listed as such."""
    raw = layout.raw
    example = ", ".join(f.name for f in layout.schema.fields if f.required)
    report.issues.append(new_issue("no_header_row", file=raw.file, sheet=raw.name, expected=example))
    kept = [num for num, r in zip(raw.row_numbers, raw.rows, strict=True) if not all(is_blank(v) for v in r)]
    report.stats[table] = SheetStats(table, raw.file, raw.name, read=len(raw.rows), blank=len(raw.rows) - len(kept),
                                     quarantined=len(kept))
    frame = empty_table(table).reindex(range(len(kept)))
    frame["_file"] = pd.array([raw.file] * len(kept), dtype="string")
    frame["_sheet"] = pd.array([raw.name] * len(kept), dtype="string")
    frame["_row"] = pd.array(kept, dtype="Int64")
    frame["_reasons"] = "no_header_row"
    return frame


_PLACES = {"staff_id": "no row of this sheet can be matched to a member of staff",
           "cycle": "no row of this sheet can be matched to a cycle"}


def _header_issues(layout: SheetLayout, report: ValidationReport, rows: int) -> None:
    raw = layout.raw
    header_row = raw.row_numbers[layout.header_index] if layout.header_index is not None else None
    from openpyxl.utils import get_column_letter

    unknown_hints = {col: suggest_field(header, layout.schema) for col, header in layout.unknown}
    for name in layout.missing_required:
        f = layout.schema.field(name)
        near = [(col, header) for col, header in layout.unknown if unknown_hints[col] == name]
        detail = "".join(f" The column headed '{h}' (column {get_column_letter(c + 1)}) may be it: if so, rename it '{name}'."
                         for c, h in near[:1])
        if name in layout.schema.identity:
            report.issues.append(new_issue("missing_key_column", file=raw.file, sheet=raw.name, row=header_row, field=f,
                                           expected=_PLACES.get(name, "the school's details for each cycle are incomplete"),
                                           other=f"{rows} rows were" if rows != 1 else "1 row was",
                                           detail=detail))
        else:
            lost = f"; until it is added, {lost_without(f)}" if f.needed_by else ""
            report.issues.append(new_issue("missing_column", file=raw.file, sheet=raw.name, row=header_row, field=f,
                                           expected=f.description.rstrip("."), other=lost, detail=detail))
    for col, header in layout.unknown:
        hint = unknown_hints[col]
        detail = f" Did you mean '{hint}'? Rename the column if so." if hint else ""
        report.issues.append(new_issue("unknown_column", file=raw.file, sheet=raw.name, row=header_row,
                                       column=get_column_letter(col + 1), other=header, detail=detail))
    for name, used, ignored in layout.choices:
        report.issues.append(new_issue("column_choice", file=raw.file, sheet=raw.name, row=header_row,
                                       column=get_column_letter(used + 1), field_name=name,
                                       other=f"'{_heading(layout, used)}' (column {get_column_letter(used + 1)})",
                                       expected=f"'{_heading(layout, ignored)}' (column {get_column_letter(ignored + 1)})"))
    for name, cols in layout.joined.items():
        heads = " and ".join(f"'{_heading(layout, c)}'" for c in cols)
        report.issues.append(new_issue("columns_joined", file=raw.file, sheet=raw.name, row=header_row,
                                       column=get_column_letter(cols[0] + 1), field_name=name, other=heads))
    for col in layout.unnamed:
        report.issues.append(new_issue("unnamed_column", file=raw.file, sheet=raw.name, row=header_row, column=get_column_letter(col + 1)))
    for name, kept, ignored in layout.duplicates:
        report.issues.append(new_issue("duplicate_column", file=raw.file, sheet=raw.name, row=header_row,
                                       column=get_column_letter(ignored + 1), field_name=name, other=get_column_letter(kept + 1)))


def _heading(layout: SheetLayout, col: int) -> str:
    assert layout.header_index is not None
    return " ".join(str(layout.raw.rows[layout.header_index][col]).split())


def _missing_identity(ps: ParsedSheet) -> list[str]:
    """The columns that place each row (staff_id, cycle) that this sheet lacks."""
    return [name for name in ps.layout.missing_required if name in ps.layout.schema.identity]


def _governing_body_reviewer(parsed: dict[str, ParsedSheet], report: ValidationReport) -> None:
    """The headteacher is reviewed by the governing body (policy §4.2). On the reviews sheet, the words
    schools use for it ("Governing Body", "Chair of Governors" ...; data_schemas/reviews.yaml) become the
    one reference the analyses know (the first of them, GOV), and a headteacher's review with no reviewer
    is read as the governing body's, with a note saying so."""
    if "reviews" not in parsed or "reviewer_id" not in parsed["reviews"].layout.columns:
        return
    ps = parsed["reviews"]
    f = ps.layout.schema.field("reviewer_id")
    if not f.reference_exempt:
        return
    words = {header_key(w) for w in f.reference_exempt}
    gov = f.reference_exempt[0]
    reviewer = ps.frame["reviewer_id"]
    named_gov = reviewer.map(lambda v: v if pd.isna(v) else header_key(v) in words).astype("boolean").fillna(False)
    heads: set[str] = set()
    if "staff" in parsed:
        staff = parsed["staff"].frame
        is_head = (staff["role_group"] == "headteacher") | (staff["responsibility"] == "headteacher")
        heads = set(staff.loc[is_head.fillna(False).to_numpy(), "staff_id"].dropna().astype(str))
    blank_head = reviewer.isna() & ps.frame["staff_id"].astype("string").isin(heads).fillna(False)
    ps.frame.loc[(named_gov | blank_head).to_numpy(), "reviewer_id"] = gov
    for row in ps.frame.loc[blank_head.to_numpy(), "_row"]:
        report.issues.append(new_issue("head_reviewer_blank", file=ps.layout.raw.file, sheet=ps.layout.raw.name,
                                       row=int(row), column=ps.layout.letter("reviewer_id"), field=f, other=gov))


def _row_errors(parsed: dict[str, ParsedSheet], report: ValidationReport) -> dict[str, dict[int, list[str]]]:
    """Excel rows set aside so far, per table, with the codes of their errors."""
    rejected: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for table, ps in parsed.items():
        # school details written as label/value pairs are one row, whichever pair has the error
        kv_row = int(ps.frame["_row"].iloc[0]) if ps.layout.key_value and len(ps.frame) else None
        for issue in ps.issues:
            if issue.severity == ERROR and issue.row is not None:
                rejected[table][kv_row or issue.row].append(issue.code)
        if _missing_identity(ps):
            for row in ps.frame["_row"]:
                rejected[table][int(row)].append("missing_key_column")
    return rejected


def _gx(parsed: dict[str, ParsedSheet], findings: dict[str, list[ExpectationFinding]], rejected: dict[str, dict[int, list[str]]],
        report: ValidationReport) -> None:
    seen = {(i.sheet, i.row, i.field) for i in report.issues}
    for table, ps in parsed.items():
        if _missing_identity(ps):
            continue  # every row is already set aside, for one reason given once
        for hit in findings.get(table, ()):
            if (hit.sheet, hit.row, hit.field) in seen:
                continue  # the cell already has a clearer issue (for example, not a date)
            seen.add((hit.sheet, hit.row, hit.field))
            f = ps.layout.schema.field(hit.field) if hit.field in ps.layout.schema.names else None
            column = ps.layout.letter(hit.field.split(" and ")[0])
            value = None
            if f is not None:
                match = ps.frame.loc[ps.frame["_row"] == hit.row, hit.field]
                value = match.iloc[0] if len(match) and pd.notna(match.iloc[0]) else None
            issue = new_issue(hit.code, file=hit.file, sheet=hit.sheet, row=hit.row, column=column, field=f,
                              field_name=hit.field, value=value, show_values=report.show_values,
                              expected=hit.expected, other=hit.other)
            report.issues.append(issue)
            rejected[table][hit.row].append(hit.code)


def _accepted_mask(ps: ParsedSheet, rejected: dict[int, list[str]]) -> pd.Series:
    return ~ps.frame["_row"].astype(int).isin(list(rejected))


def _cross(parsed: dict[str, ParsedSheet], rejected: dict[str, dict[int, list[str]]], report: ValidationReport, show_values: bool) -> None:
    hits: list[tuple[str, int, Issue]] = []
    if "school" in parsed:
        hits.extend(cross_checks.school_cycle_dates(parsed["school"], parsed["school"].layout.schema))
        for table, _pos, issue in hits:
            rejected[table][issue.row or 0].append(issue.code)
    accepted = {t: _accepted_mask(ps, rejected[t]) for t, ps in parsed.items()}
    school_cycles: set[str] = set()
    if "school" in parsed:
        sf = parsed["school"].frame
        school_cycles = set(sf.loc[accepted["school"].to_numpy(), "cycle"].dropna())
    new = list(cross_checks.reference_checks(parsed, accepted, show_values))
    new += list(cross_checks.cycle_checks(parsed, school_cycles, show_values))
    for table, _pos, issue in new:
        if issue.severity == ERROR:
            rejected[table][issue.row or 0].append(issue.code)
    new = [h for h in new if not _missing_identity(parsed[h[0]])]  # rows already set aside, for a reason given once
    report.issues.extend(i for _, _, i in hits)
    report.issues.extend(knock_on.grouped([i for _, _, i in new], parsed))


def _assemble(parsed: dict[str, ParsedSheet], rejected: dict[str, dict[int, list[str]]], report: ValidationReport) -> tuple[SchoolData, ValidationReport]:
    tables: dict[str, pd.DataFrame] = {}
    quarantine: dict[str, pd.DataFrame] = {}
    for table, ps in parsed.items():
        mask = _accepted_mask(ps, rejected[table])
        tables[table] = ps.frame[mask.to_numpy()].reset_index(drop=True)
        q = ps.frame[~mask.to_numpy()].reset_index(drop=True)
        q["_reasons"] = [", ".join(dict.fromkeys(rejected[table][int(r)])) for r in q["_row"]]
        quarantine[table] = q
        report.stats[table] = SheetStats(table, ps.layout.raw.file, ps.layout.raw.name, read=ps.read, blank=ps.blank,
                                         accepted=int(mask.sum()), quarantined=int((~mask).sum()))
        if ps.read == ps.blank:
            report.issues.append(new_issue("empty_sheet", file=ps.layout.raw.file, sheet=ps.layout.raw.name))
    if "school" in tables and tables["school"].empty and "school" in parsed:
        raw = parsed["school"].layout.raw
        report.issues.append(new_issue("no_school_row", file=raw.file, sheet=raw.name))
    return SchoolData(tables=tables, quarantine=quarantine), report
