"""Broken copies of a good workbook (one column deleted, one cell blanked) and the commands run on them,
in-process, for the property tests of bad input: every command ends 0, 1 or 2, never with a traceback."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from pmreport.schema import header_key

SAMPLES = Path(__file__).resolve().parents[2] / "pmreport" / "sample_data"


def header_row(ws) -> int:  # noqa: ANN001 - an openpyxl worksheet
    """The first row with two or more non-blank cells: the bundled samples' header row."""
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=40, values_only=True), start=1):
        if sum(v is not None and str(v).strip() != "" for v in row) >= 2:
            return r
    return 1


def columns(path: Path) -> Iterator[tuple[str, int, str]]:
    """Every (sheet, column number, heading) of a workbook's tables (the key/value school sheet excepted)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    for ws in wb.worksheets:
        if header_key(ws.title) in ("instructions", "readme"):
            continue
        r = header_row(ws)
        heads = next(ws.iter_rows(min_row=r, max_row=r, values_only=True), ())
        for c, h in enumerate(heads, start=1):
            if h is not None:
                yield ws.title, c, str(h)
    wb.close()


def without_column(source: Path, target: Path, sheet: str, col: int) -> Path:
    wb = openpyxl.load_workbook(source)
    wb[sheet].delete_cols(col)
    wb.save(target)
    return target


def cells(path: Path, n: int, seed: int) -> list[tuple[str, int, int]]:
    """``n`` data cells (sheet, row, column) of a workbook picked with a fixed seed."""
    wb = openpyxl.load_workbook(path, read_only=True)
    pool: list[tuple[str, int, int]] = []
    for ws in wb.worksheets:
        r0 = header_row(ws)
        for r, row in enumerate(ws.iter_rows(min_row=r0 + 1, values_only=True), start=r0 + 1):
            pool.extend((ws.title, r, c) for c, v in enumerate(row, start=1) if v is not None)
    wb.close()
    return random.Random(seed).sample(pool, min(n, len(pool)))


def with_blank_cell(source: Path, target: Path, sheet: str, row: int, col: int) -> Path:
    wb = openpyxl.load_workbook(source)
    wb[sheet].cell(row, col).value = None
    wb.save(target)
    return target


def copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def commands(path: Path, out: Path, key: Path) -> dict[str, list[str]]:
    """Every command that reads a school's workbook, set to be quick (no PDF, no chart images); ``key`` is a
    school key file (``pmreport union new-key``) for export-return."""
    return {
        "validate": ["validate", str(path)],
        "check": ["check", str(path)],
        "moderate": ["moderate", str(path), "--out", str(out / "moderation"), "--as-of", "31/08/2026"],
        "report": ["report", str(path), "--out", str(out / "report"), "--no-pdf", "--no-word-charts", "--no-dashboard",
                   "--as-of", "31/08/2026"],
        "dashboard": ["dashboard", str(path), "--out", str(out / "dashboard.html"), "--as-of", "31/08/2026"],
        "export-return": ["export-return", str(path), "--out", str(out / "return.xlsx"), "--allow-errors", "--force",
                          "--school-key", str(key)],
    }


def run(args: list[str]) -> tuple[int, str]:
    """One command in this process: its exit code and everything it printed."""
    from pmreport.cli import app

    result = CliRunner().invoke(app, args, catch_exceptions=True)
    text = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        text += f"\nEXCEPTION {type(result.exception).__name__}: {result.exception}"
        return 99, text
    return result.exit_code, text


def with_school_details(source: Path, target: Path, details: list[tuple[str, object]]) -> Path:
    """``source`` with its school sheet replaced by a key/value sheet as a head might type it: a title, then one
    label and value a row, in the order and words given (an MIS's "School Details" page copied by hand)."""
    wb = openpyxl.load_workbook(source)
    del wb["school"]
    ws = wb.create_sheet("School Details", 0)
    ws.append(["School details for appraisal"])
    ws.append([])
    for label, value in details:
        ws.append([label, value])
    wb.save(target)
    return target
