"""The smallest complete .xlsx: one sheet of text and numbers, written directly as SpreadsheetML.

Each Word chart carries its figures as an embedded workbook (for Word's "Edit Data"). The report
has about thirty charts; openpyxl took 7 ms to make each of those tiny workbooks, a quarter of a
second in all, and this takes a fraction of a millisecond. It writes the parts Excel requires
(content types, relationships, workbook, styles, one worksheet) and the document properties, text
as inline strings, numbers as numbers, the same bytes for the same cells.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from pmreport.safe_output import FIXED_TIME

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = HEAD + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>")
ROOT_RELS = HEAD + (
    f'<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    "</Relationships>")
WORKBOOK_RELS = HEAD + (
    f'<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
    "</Relationships>")
CORE = HEAD + (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>pmreport</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
    "</cp:coreProperties>")


def _styles(number_format: str | None) -> str:
    """Style 0 is General; style 1 (numbers only) has ``number_format``."""
    formats = (f'<numFmts count="1"><numFmt numFmtId="164" formatCode={quoteattr(number_format)}/></numFmts>'
               if number_format else "")
    second = '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' if number_format else ""
    return HEAD + (
        f'<styleSheet xmlns="{MAIN}">{formats}'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{2 if number_format else 1}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        f"{second}</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>")


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value: str | float | None, styled: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"a cell holds text or a number, not {type(value).__name__}")
    number = repr(float(value)) if isinstance(value, float) else str(value)
    style = ' s="1"' if styled else ""
    return f'<c r="{ref}"{style}><v>{number}</v></c>'


def one_sheet_xlsx(rows: list[list[str | float | None]], sheet: str = "Sheet1",
                   number_format: str | None = None) -> bytes:
    """A workbook of one sheet, ``rows`` from A1 (None is an empty cell); numbers in ``number_format``.

    Text must already be fit for a cell (:func:`pmreport.safe_output.cell_text`).
    """
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{_column(c)}{r}", v, number_format is not None) for c, v in enumerate(row, start=1))
        body.append(f'<row r="{r}">{cells}</row>')
    width = max((len(row) for row in rows), default=1)
    span = f"A1:{_column(max(width, 1))}{max(len(rows), 1)}"
    worksheet = HEAD + (f'<worksheet xmlns="{MAIN}"><dimension ref="{span}"/><sheetData>{"".join(body)}</sheetData>'
                        "</worksheet>")
    workbook = HEAD + (f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                       f'<sheet name={quoteattr(sheet)} sheetId="1" r:id="rId1"/></sheets></workbook>')
    when = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIME)
    parts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS, "docProps/core.xml": CORE.format(when=when),
             "xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
             "xl/styles.xml": _styles(number_format), "xl/worksheets/sheet1.xml": worksheet}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            entry = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, text.encode("utf-8"))
    return out.getvalue()
