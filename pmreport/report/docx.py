"""The governors' report as an editable Word document: headings, the same tables as Word tables, and
the charts as native Word charts (see :mod:`pmreport.report.docx_charts`), which a clerk can restyle
in Word and which need no browser to draw."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pmreport.report.docx_charts import add_chart
from pmreport.report.fit import DOCX_WIDTH_EM, nothing_shown_sentence, nothing_to_show, split_for_page, widths_em
from pmreport.report.summary import COMMENTARY_HEADING, SUMMARY_HEADING
from pmreport.report.words import METHOD_HEADING, PHASES, left_out_sentence

CHARTS_OFF = "Charts are not included in this document; every figure is in the tables."


#: A4 in millimetres, and the margins: the text is 170 mm wide (``fit.DOCX_WIDTH_EM`` at 9 pt).
A4_MM = (210, 297)
MARGIN_MM = 20
TABLE_PT = 9


def _table(doc: Any, table: dict[str, Any], style_id: str) -> None:
    """The table as Word tables: split into parts of whole columns that fit the page (see
    :mod:`pmreport.report.fit`), each column as wide as its longest word needs."""
    parts = split_for_page(table, DOCX_WIDTH_EM)
    for part in parts:
        if part.get("part"):
            _small(doc, f"{table['title']} ({part['part']})")
        _table_part(doc, part, style_id)


def _table_part(doc: Any, table: dict[str, Any], style_id: str) -> None:
    """One Word table: a bold header row repeated on each page, figures right-aligned, 9 pt, fixed column
    widths (the narrowest that keep words whole, the spare width given to the row labels)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    columns = table["columns"]
    grid = doc.add_table(rows=1 + len(table["rows"]), cols=1 + len(columns))
    grid._tbl.tblStyle_val = style_id  # noqa: SLF001 - looked up once per document: python-docx's lookup is slow
    _column_widths(grid, widths_em(table))
    lines = [[table["row_header"] or "Staff", *(c["label"] for c in columns)]]
    lines += [[row["label"], *(c["text"] for c in row["cells"])] for row in table["rows"]]
    size = Pt(TABLE_PT)
    for i, (row, texts) in enumerate(zip(grid.rows, lines, strict=True)):
        for j, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            para = cell.paragraphs[0]
            run = para.add_run(text)
            run.font.size = size
            if i == 0:
                run.bold = True
            elif j:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(grid.rows[0])


def _column_widths(grid: Any, widths: list[float]) -> None:
    """Fixed widths in points: each column its narrowest whole-word width; what is left of the page
    goes to the row labels (first column), so the table spans the text width."""
    from docx.shared import Pt

    text_pt = (A4_MM[0] - 2 * MARGIN_MM) / 25.4 * 72
    points = [w * TABLE_PT for w in widths]
    spare = text_pt - sum(points)
    if spare > 0:
        points[0] += spare
    grid.autofit = False
    for col, width in zip(grid.columns, points, strict=True):
        col.width = Pt(width)
        for cell in col.cells:
            cell.width = Pt(width)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()  # noqa: SLF001 - python-docx has no API for repeating header rows
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _style_ids(doc: Any) -> dict[str, str]:
    """The ids of the styles used, looked up once: python-docx looks a style up afresh, slowly, every time one is set."""
    return {name: doc.styles[name].style_id
            for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid", "List Bullet")}


def _commentary(doc: Any, blocks: list[dict[str, Any]], styles: dict[str, str]) -> None:
    """The head's own commentary and planned actions, under the summary."""
    if not blocks:
        return
    _heading(doc, COMMENTARY_HEADING, styles["Heading 2"])
    for block in blocks:
        _heading(doc, block["heading"], styles["Heading 3"])
        for text in block["commentary"]:
            doc.add_paragraph(text)
        if block["actions"]:
            doc.add_paragraph().add_run("Planned actions:").bold = True
            for text in block["actions"]:
                doc.add_paragraph(text)._p.style = styles["List Bullet"]  # noqa: SLF001 - see _heading


def _heading(doc: Any, text: str, style_id: str) -> None:
    doc.add_paragraph(text)._p.style = style_id  # noqa: SLF001 - as doc.add_heading, without the lookup


def _small(doc: Any, text: str) -> None:
    from docx.shared import Pt

    para = doc.add_paragraph()
    run = para.add_run(text)
    run.font.size = Pt(8)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when the page is laid out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)  # noqa: SLF001 - python-docx has no API for fields
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)  # noqa: SLF001
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)  # noqa: SLF001


def _page_setup(doc: Any, report: dict[str, Any], draft: str | None) -> None:
    """A4 portrait, 20 mm margins; a running header with the school and the cycle (and the DRAFT mark);
    "Page N of M" in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(MARGIN_MM)
    header = section.header.paragraphs[0]
    run = header.add_run(f"{report['school']['name']}: {report['title']}, "
                         f"cycle {report['cycle']}")
    run.font.size = Pt(8)
    if draft:
        mark = section.header.add_paragraph().add_run(draft)
        mark.bold = True
        mark.font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def render_docx(report: dict[str, Any], path: Path, *, charts: bool = True) -> Path:
    """Write the Word document to ``path``, with a chart above each table that has one (unless ``charts``
    is false: then a note says that every figure is in the tables)."""
    from docx import Document

    doc = Document()
    styles = _style_ids(doc)
    props = doc.core_properties
    props.title = report["title"]
    props.author = "pmreport"
    props.comments = f"{report['school']['name']}, {report['cycle']}"
    school = report["school"]
    phase = PHASES.get(school.get("phase") or "", "")
    draft = (report.get("draft") or {}).get("text")
    _page_setup(doc, report, draft)
    if draft:
        props.title = f"DRAFT: {report['title']}"
        doc.add_paragraph().add_run(draft).bold = True
    _heading(doc, f"DRAFT: {report['title']}" if draft else report["title"], styles["Title"])
    where = ", ".join(x for x in (school["name"], f"{phase} school" if phase else "", school["local_authority"]) if x)
    if where:  # the school sheet's name, phase and local authority are optional
        doc.add_paragraph(where)
    doc.add_paragraph(f"Performance management cycle {report['cycle']}. Report written {report['generated']}.")
    doc.add_paragraph("This report contains no information that would enable any individual to be identified "
                      "(policy section 10): figures of what the school did for all its staff are shown exactly, and "
                      "figures about small numbers of people's outcomes are given as a range (\u201c5 or fewer\u201d) or "
                      "replaced by [c]. Section 7 "
                      "explains the method and the symbols.")
    left_out = left_out_sentence(report.get("left_out") or [])
    if left_out:
        para = doc.add_paragraph()
        para.add_run("Not in this report. ").bold = True
        para.add_run(left_out)
    if report.get("summary") or report.get("commentary"):
        _heading(doc, SUMMARY_HEADING, styles["Heading 1"])
        for part in report.get("summary") or []:
            para = doc.add_paragraph()
            para.add_run(f"{part['heading']}. ").bold = True
            para.add_run(" ".join(s["text"] for s in part["sentences"]))
        _commentary(doc, report.get("commentary") or [], styles)
    if not charts:
        doc.add_paragraph(CHARTS_OFF)
    for section in report["sections"]:
        _heading(doc, section["heading"], styles["Heading 1"])
        doc.add_paragraph(section["intro"])
        nothing = nothing_shown_sentence(section["tables"])
        if nothing:
            doc.add_paragraph().add_run(nothing).italic = True
        for table in section["tables"]:
            if nothing_to_show(table):
                continue
            _heading(doc, table["title"], styles["Heading 2"])
            doc.add_paragraph(table["description"])
            if charts:
                add_chart(doc, table)
            _table(doc, table, styles["Table Grid"])
            for note in table["footnotes"]:
                _small(doc, note)
    _heading(doc, METHOD_HEADING, styles["Heading 1"])
    doc.add_paragraph(report["method"])
    symbols = doc.add_table(rows=1 + len(report["symbols"]), cols=2)
    symbols._tbl.tblStyle_val = styles["Table Grid"]  # noqa: SLF001 - see _style_ids
    symbols.rows[0].cells[0].text, symbols.rows[0].cells[1].text = "Symbol", "Meaning"
    for i, (symbol, meaning) in enumerate(report["symbols"].items(), start=1):
        symbols.rows[i].cells[0].text, symbols.rows[i].cells[1].text = f"[{symbol}]", meaning
    audit = report["audit"]
    doc.add_paragraph(f"Disclosure audit: {'passed' if audit['passed'] else 'failed'}. {audit['tables_checked']} "
                      f"tables and {audit['hidden_cells']} hidden figures were checked together; none of the hidden "
                      "figures, and nobody's outcome, could be worked out from what is published.")
    doc.save(str(path))
    return path
