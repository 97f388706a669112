"""Hypothesis strategies over the reader and the normaliser, and the invariants every input must keep.

Used by tests/test_fuzz_reader.py (a few examples each, in the suite) and by
benchmarks/fuzz_reader.py (the long run recorded in docs/reliability.md). Every ``check_*``
function runs pmreport on one drawn input and returns an outcome ("valid", "errors" or
"refused"); it raises ``AssertionError`` when an invariant breaks, and lets any other exception
out (that is a crash).

The invariants: pmreport either refuses the input with a message and a fix (PmreportError) or
reads it with every row accounted for (rows read = accepted + set aside + blank, per sheet, and
the tables hold exactly the accepted rows); the input's bytes are unchanged; the size scan never
under-estimates the area a spreadsheet reader materialises (A1 to its furthest value).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.badinput import zips
from tests.conftest import OBJECTIVES, REVIEWS, SCHOOL, STAFF, build_workbook

TRICKY = ["Y", "N", "yes", "60%", "0.6", "1.5", "0", "-1", "1e999", "nan", "inf", "31/02/2025", "29/02/2024", "01/01/1850",
          "31/12/9999", "2025/26", "2025-26", "met", "MET ", " ", "n/a", "#N/A", "#REF!", "=1+1", "@SUM(1)", "+1", "-0",
          "000101", "GOV", "EXTERNAL", "£1,000", "1,5", "٣", "１２", "\u202e1", "\x00", "\ufeffstaff_id", "[/b]", "<script>",
          "9" * 40, "1" * 400]
#: Headers: real field names and aliases, near misses, junk, blanks.
HEADERS = ["staff_id", "Staff ID", "Payroll Number", "name", "Full Name", "role_group", "Staff Type", "post", "Job Title",
           "responsibility", "pay_range", "fte", "FTE %", "contract_type", "contract_start", "Start Date", "years_experience",
           "qts", "QTSS", "induction", "in_capability", "line_manager_id", "sex", "Gender", "cycle", "", None, "staff id ",
           "STAFF_ID", "Shoe size", "=HYPERLINK(1)", "\x00", "%", "fte%"]

cell_values = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.text(st.characters(codec="utf-8"), max_size=8),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.sampled_from(TRICKY),
)
csv_text_values = st.one_of(st.text(max_size=16), st.sampled_from(TRICKY), st.integers(-10**6, 10**6).map(str),
                            st.dates().map(lambda d: d.strftime("%d/%m/%Y")))
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "mac_roman"]


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def check_load(path: Path) -> str:
    """Run the whole pipeline on ``path`` and check the invariants."""
    from pmreport.errors import PmreportError
    from pmreport.pipeline import load_school

    root = path if path.is_dir() else path.parent
    before = _digest(root)
    try:
        data, report = load_school(path)
    except PmreportError as exc:
        assert exc.message.strip() and exc.fix, f"a refusal without a fix: {exc!r}"
        outcome = "refused"
    else:
        for name, stats in report.stats.items():
            assert stats.balanced, (name, stats)
            if name in data.tables:
                assert len(data.tables[name]) == stats.accepted, name
                assert len(data.quarantine[name]) == stats.quarantined, name
        for issue in report.issues:
            assert issue.message.strip() and issue.severity in ("error", "warning", "info")
        json_text = __import__("json").dumps(report.to_dict(), default=str)
        assert json_text
        outcome = "errors" if report.errors else "valid"
    assert _digest(root) == before, "the input changed"
    return outcome


def check_read(path: Path) -> str:
    """Only the reader (and the package scan): refused cleanly, or read within the scanned area."""
    from pmreport.errors import PmreportError
    from pmreport.reading import read_input
    from pmreport.xlsx_scan import scan_workbook

    before = path.read_bytes()
    try:
        wb = read_input(path)
    except PmreportError as exc:
        assert exc.message.strip() and exc.fix
        outcome = "refused"
    else:
        scan = scan_workbook(path)
        for sheet in wb.sheets:
            found = scan.sheets.get(sheet.name)
            assert found is not None, f"sheet {sheet.name!r} was read but not scanned"
            # The grid a reader builds runs from A1 to its furthest value: the scan's area must take it in.
            # (Where a damaged sheet is read by the fallback reader, positions may differ; the size may not.)
            for num, row in zip(sheet.row_numbers, sheet.rows, strict=True):
                for col, value in enumerate(row):
                    if value is not None:
                        assert num <= found.height and col < found.width, (sheet.name, num, col, found.height, found.width)
        outcome = "read"
    assert path.read_bytes() == before, "the input changed"
    return outcome


# --------------------------------------------------------------------------- CSV folders

def _sheet_csv(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        w.writerow([v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in row])
    return buf.getvalue()


@st.composite
def csv_schools(draw) -> dict[str, bytes]:
    """A CSV folder: school, reviews and objectives as they should be; staff.csv drawn at random
    (random headers, values, delimiter, quoting, encoding, byte-order mark), or random bytes."""
    files = {f"{name}.csv": _sheet_csv(rows).encode() for name, rows in
             (("school", SCHOOL), ("reviews", REVIEWS), ("objectives", OBJECTIVES))}
    if draw(st.integers(0, 9)) == 0:
        files["staff.csv"] = draw(st.binary(max_size=2000))
        return files
    keep_header = draw(st.booleans())
    header = list(STAFF[0]) if keep_header else draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=18))
    header = [h if h is not None else "" for h in header]
    rows = [[v for v in r] for r in STAFF[1:]] if keep_header else []
    for _ in range(draw(st.integers(0, 6))):
        rows.append(draw(st.lists(csv_text_values, min_size=0, max_size=len(header) + 2)))
    for r, c, v in draw(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20), csv_text_values), max_size=6)):
        if r < len(rows) and c < len(rows[r]):
            rows[r][c] = v
    title = draw(st.lists(st.lists(csv_text_values, max_size=3), max_size=2))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])))
    for row in [*title, header, *rows]:
        w.writerow([v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in row])
    encoding = draw(st.sampled_from(ENCODINGS))
    files["staff.csv"] = buf.getvalue().encode(encoding, errors="replace")
    return files


def check_csv_school(files: dict[str, bytes], folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return check_load(folder)


# --------------------------------------------------------------------------- workbooks

@st.composite
def staff_grids(draw) -> list[list[Any]]:
    """The staff sheet with random headers and values (as openpyxl can write them)."""
    header = draw(st.one_of(st.just(list(STAFF[0])), st.lists(st.sampled_from(HEADERS), min_size=1, max_size=18)))
    rows = [list(r) for r in STAFF[1:]]
    for r, c, v in draw(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 17), cell_values), max_size=10)):
        while len(rows) <= r:
            rows.append([None] * len(header))
        row = rows[r]
        while len(row) <= c:
            row.append(None)
        row[c] = v
    safe = []
    for row in [header, *rows]:
        out = []
        for v in row:
            if isinstance(v, str):
                v = "".join(ch for ch in v if ch.isprintable() or ch in "\t\n")  # openpyxl refuses control characters
                if v.startswith("="):
                    v = " " + v
            if isinstance(v, (dt.time, dt.timedelta)) or (isinstance(v, dt.datetime) and v.tzinfo):
                v = str(v)
            if isinstance(v, dt.date) and not dt.date(1900, 3, 1) <= (v.date() if isinstance(v, dt.datetime) else v) <= dt.date(9999, 1, 1):
                v = v.isoformat()
            if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 10**15:
                v = float(v)
            out.append(v)
        safe.append(out)
    return safe


def check_staff_grid(grid: list[list[Any]], folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = build_workbook(folder / "school.xlsx", {"school": SCHOOL, "staff": grid, "reviews": REVIEWS, "objectives": OBJECTIVES})
    return check_load(path)


_REF_COLS = st.one_of(st.sampled_from(["A", "B", "C", "G", "Z"]), st.sampled_from(["AA", "XFD", "ZZZ", "a", "$B", ""]))
_REF_ROWS = st.one_of(st.integers(1, 40), st.integers(1, 40), st.integers(1, 40),
                      st.sampled_from([0, 199_999, 200_001, 1_048_576, 1_048_577, 9_999_999]))


@st.composite
def sheet_xmls(draw) -> bytes:
    """A worksheet's XML drawn at random: cells with and without references, formulas with and
    without saved results, errors, inline strings, namespace prefixes, odd quoting, merges."""
    p = draw(st.sampled_from(["", "x:"]))
    q = draw(st.sampled_from(['"', "'"]))
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}worksheet xmlns{":x" if p else ""}='
           f'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><{p}sheetData>']
    row_no = 0
    for _ in range(draw(st.integers(0, 12))):
        row_no = draw(st.one_of(st.just(row_no + 1), _REF_ROWS))
        with_r = draw(st.booleans())
        out.append(f"<{p}row{f' r={q}{row_no}{q}' if with_r else ''}>")
        for _ in range(draw(st.integers(0, 5))):
            ref = draw(st.one_of(st.just(""), st.tuples(_REF_COLS, _REF_ROWS).map(lambda t: f"{t[0]}{t[1]}")))
            t = draw(st.sampled_from(["", "n", "str", "inlineStr", "e", "b"]))
            sep = draw(st.sampled_from([" ", "\n", "\t"]))
            attrs = (f"{sep}r={q}{ref}{q}" if ref else "") + (f" t={q}{t}{q}" if t else "")
            body = draw(st.sampled_from(["", "<v>1</v>", "<v></v>", "<v/>", "<f>1+1</f>", "<f>1+1</f><v>2</v>",
                                         "<f>1+1</f><v></v>", "<v>#REF!</v>", "<is><t>x</t></is>", "<f t='shared' si='0'/><v>3</v>",
                                         f"<{p}f>A1</{p}f>", f"<{p}v>7</{p}v>"]))
            out.append(f"<{p}c{attrs}/>" if draw(st.integers(0, 4)) == 0 else f"<{p}c{attrs}>{body}</{p}c>")
        out.append(f"</{p}row>")
    out.append(f"</{p}sheetData>")
    merges = draw(st.lists(st.tuples(_REF_COLS, _REF_ROWS, _REF_COLS, _REF_ROWS), max_size=3))
    if merges:
        out.append(f"<{p}mergeCells>" + "".join(f"<{p}mergeCell ref={q}{a}{b}:{c}{d}{q}/>" for a, b, c, d in merges)
                   + f"</{p}mergeCells>")
    out.append(f"</{p}worksheet>")
    return "".join(out).encode()


def check_sheet_xml(xml: bytes, folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = build_workbook(folder / "school.xlsx", {"school": SCHOOL, "staff": STAFF, "reviews": REVIEWS, "objectives": OBJECTIVES})
    part = zips.sheet_part(path, "staff")
    zips.write_zip(path, zips.replace(zips.entries_of(path), part, zips.honest(part, xml)))
    return check_read(path)


_MINIMAL: dict[str, bytes] = {}


def minimal_workbook_bytes(folder: Path) -> bytes:
    if "wb" not in _MINIMAL:
        folder.mkdir(parents=True, exist_ok=True)
        path = build_workbook(folder / "minimal.xlsx", {"school": SCHOOL, "staff": STAFF, "reviews": REVIEWS, "objectives": OBJECTIVES})
        _MINIMAL["wb"] = path.read_bytes()
    return _MINIMAL["wb"]


mutations = st.lists(st.tuples(st.sampled_from(["flip", "cut", "insert", "zero"]), st.floats(0, 1), st.binary(min_size=1, max_size=8)),
                     min_size=1, max_size=4)


def check_mutated_workbook(base: bytes, edits: list[tuple[str, float, bytes]], folder: Path) -> str:
    data = bytearray(base)
    for kind, where, blob in edits:
        i = int(where * (len(data) - 1)) if data else 0
        if kind == "flip" and data:
            data[i] ^= blob[0] or 1
        elif kind == "cut":
            del data[i:]
        elif kind == "insert":
            data[i:i] = blob
        elif kind == "zero":
            data[i:i + len(blob) * 64] = bytes(len(data[i:i + len(blob) * 64]))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mutated.xlsx"
    path.write_bytes(bytes(data))
    return check_read(path)

