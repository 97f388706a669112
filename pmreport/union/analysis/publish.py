"""Every published table of the union report as CSV files and as one accessible spreadsheet.

The spreadsheet follows the Government Statistical Service's guidance on releasing statistics in
spreadsheets: a cover sheet (title, what the figures are, contents with a link to each table), a
notes sheet (what each symbol means, the disclosure rules), then one table a sheet, each starting
in cell A1 with its title, with no merged cells and no blank rows inside the table, the table
marked as an Excel table with a header row, and symbols such as ``[c]`` in place of hidden figures.
Only what the gate published is written: the public form of each table.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pmreport.safe_output import neutralise, save_workbook, write_text
from pmreport.union.analysis.clustered_rates import INTERVALS_NOTE, INTERVALS_TITLE
from pmreport.union.analysis.figures import UnionFigures

SYMBOLS = (("[c]", "Not shown, to protect the confidentiality of individual members of staff or of a school."),
           ("[low]", "A figure that rounds to zero but is not zero."),
           ("[z]", "Not applicable."),
           ("[x]", "Not available."))


@dataclass
class Published:
    """One table as it is published: an id (sheet and file name), title, description, header and rows."""

    id: str
    title: str
    description: str
    header: list[str]
    rows: list[list[Any]]
    notes: list[str]


def from_safe_table(number: int, public: dict[str, Any]) -> Published:
    header = [public["row_header"] or "Group"] + [c["label"] for c in public["columns"]]
    rows = []
    for r in public["rows"]:
        rows.append([r["label"]] + [c["value"] if "value" in c else c["text"] for c in r["cells"]])
    if not rows:
        rows = [["Withheld: too few people to publish any figure"] + [""] * (len(header) - 1)]
    return Published(f"Table_{number}", public["title"], public["description"], header, rows, list(public["footnotes"]))


def from_frame(number: int, title: str, description: str, frame: pd.DataFrame) -> Published:
    rows = [[None if (not isinstance(v, str) and pd.isna(v)) else v for v in r] for r in frame.itertuples(index=False)]
    return Published(f"Table_{number}", title, description, [str(c) for c in frame.columns], rows, [])


def published_tables(result: UnionFigures) -> list[Published]:
    """The coverage, every gated table and the comparisons derived beside them, in the report's order."""
    out: list[Published] = []
    cov = result.coverage
    if cov is not None:
        for frame, title in ((cov.per_cycle, "Returns held in each cycle"),
                             (cov.by_phase, f"Schools and staff by phase, {result.cycle}"),
                             (cov.by_region, f"Schools and staff by region, {result.cycle}"),
                             (cov.by_area, f"Schools and staff by local authority, {result.cycle}")):
            if frame is not None and not frame.empty:
                out.append(from_frame(len(out) + 1, title, "The schools whose returns the figures stand on; staff "
                                      "rounded to the nearest 5, [c] for fewer than 3 schools or one school over "
                                      "half.", frame))
        if cov.not_shown is not None and not cov.not_shown.empty:
            out.append(from_frame(len(out) + 1, f"Characteristics not shown in the returns, {result.cycle}",
                                  "The share of staff whose value a return does not show, for all schools, by phase "
                                  "and by size band; [c] for fewer than 3 schools or one school over half. "
                                  + " ".join(cov.warnings), cov.not_shown))
    for f in result.figures:
        out.append(from_safe_table(len(out) + 1, f.table.to_public_dict()))
        if f.extra is not None and not f.extra.empty:
            out.append(from_frame(len(out) + 1, f"{f.table.title}: gaps and odds ratios within schools",
                                  f"{f.extra_title}. Only for groups whose counts are published in the table before.",
                                  f.extra))
        if f.intervals is not None and not f.intervals.empty:
            out.append(from_frame(len(out) + 1, f"{f.table.title}: {INTERVALS_TITLE.lower()}", INTERVALS_NOTE,
                                  f.intervals))
        if f.gaps is not None and not f.gaps.empty:
            out.append(from_frame(len(out) + 1, f"{f.table.title}: gaps by cycle, phase, region and local authority",
                                  "The gap in pay progression within schools, in percentage points, with its 95% "
                                  "interval; [c] where fewer than 3 schools have people in both groups, one school "
                                  "is more than half of the people compared, or a group has fewer than 10 people.",
                                  f.gaps))
    if result.trend is not None and not result.trend.empty:
        out.append(from_frame(len(out) + 1, "Trends across cycles", "The published percentage of each cycle's table; "
                              "a blank means it was not published.", result.trend))
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def write_csv(tables: list[Published], folder: Path) -> list[Path]:
    """One CSV file a table (UTF-8, a header row, the symbols as text)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for t in tables:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([neutralise(h) for h in t.header])
        for row in t.rows:
            writer.writerow(["" if v is None else neutralise(v) for v in row])
        path = folder / f"table-{int(t.id.split('_')[1]):02d}-{_slug(t.title)}.csv"
        write_text(path, buffer.getvalue())
        written.append(path)
    return written


def write_spreadsheet(tables: list[Published], path: Path, title: str, about: str, policy_words: str) -> Path:
    """The accessible spreadsheet: cover sheet, notes, then one table a sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.table import Table, TableStyleInfo

    wb = Workbook()
    cover = wb.active
    cover.title = "Cover_sheet"
    cover.append([title])
    cover["A1"].font = Font(bold=True, size=16)
    cover.append([about])
    cover.append(["Every figure has passed disclosure control for union reports: " + policy_words + "."])
    cover.append(["Contents"])
    cover["A4"].font = Font(bold=True, size=13)
    cover.append(["Sheet", "Table title"])
    for t in tables:
        cover.append([t.id, neutralise(t.title)])
        cell = cover.cell(row=cover.max_row, column=1)
        cell.hyperlink = f"#'{t.id}'!A1"
        cell.font = Font(underline="single", color="0563C1")
    cover.column_dimensions["A"].width = 14
    cover.column_dimensions["B"].width = 100
    notes = wb.create_sheet("Notes")
    notes.append(["Notes"])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append(["Symbol", "Meaning"])
    for symbol, meaning in SYMBOLS:
        notes.append([symbol, meaning])
    notes.column_dimensions["A"].width = 10
    notes.column_dimensions["B"].width = 100
    for t in tables:
        ws = wb.create_sheet(t.id)
        ws.append([neutralise(t.title)])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([neutralise(t.description)])
        for note in t.notes:
            ws.append([neutralise(note)])
        ws.append(["Symbols are explained on the Notes sheet."])
        first = ws.max_row + 1
        ws.append([neutralise(h) for h in _unique(t.header)])
        for cell in ws[first]:
            cell.font = Font(bold=True)
        for row in t.rows:
            ws.append([neutralise(v) for v in row])
        ref = f"A{first}:{_column(len(t.header))}{ws.max_row}"
        table = Table(displayName=t.id, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
        ws.add_table(table)
        ws.column_dimensions["A"].width = 45
        for i in range(2, len(t.header) + 1):
            ws.column_dimensions[_column(i)].width = 18
    save_workbook(wb, path)
    return path


def _unique(header: list[str]) -> list[str]:
    """Column headers made unique (an Excel table needs that)."""
    seen: dict[str, int] = {}
    out = []
    for h in header:
        n = seen.get(h, 0)
        seen[h] = n + 1
        out.append(h if n == 0 else f"{h} ({n + 1})")
    return out


def _column(n: int) -> str:
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters
