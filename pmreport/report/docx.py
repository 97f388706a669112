"""The governors' report as an editable Word document: headings, the same tables as Word tables, and
the charts as native Word charts (see :mod:`pmreport.report.docx_charts`), which a clerk can restyle
in Word and which need no browser to draw."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pmreport.report.docx_charts import add_chart
from pmreport.report.summary import SUMMARY_HEADING
from pmreport.report.words import METHOD_HEADING, PHASES

CHARTS_OFF = "Charts are not included in this document; every figure is in the tables."


def _table(doc: Any, table: dict[str, Any], style_id: str) -> None:
    """The table as a Word table: a bold header row repeated on each page, figures right-aligned, 9 pt."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    columns = table["columns"]
    grid = doc.add_table(rows=1 + len(table["rows"]), cols=1 + len(columns))
    grid._tbl.tblStyle_val = style_id  # noqa: SLF001 - looked up once per document: python-docx's lookup is slow
    lines = [[table["row_header"] or "Staff", *(c["label"] for c in columns)]]
    lines += [[row["label"], *(c["text"] for c in row["cells"])] for row in table["rows"]]
    size = Pt(9)
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


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()  # noqa: SLF001 - python-docx has no API for repeating header rows
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _style_ids(doc: Any) -> dict[str, str]:
    """The ids of the styles used, looked up once: python-docx looks a style up afresh, slowly, every time one is set."""
    return {name: doc.styles[name].style_id for name in ("Title", "Heading 1", "Heading 2", "Table Grid")}


def _heading(doc: Any, text: str, style_id: str) -> None:
    doc.add_paragraph(text)._p.style = style_id  # noqa: SLF001 - as doc.add_heading, without the lookup


def _small(doc: Any, text: str) -> None:
    from docx.shared import Pt

    para = doc.add_paragraph()
    run = para.add_run(text)
    run.font.size = Pt(8)


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
    if draft:
        props.title = f"DRAFT: {report['title']}"
        doc.sections[0].header.paragraphs[0].text = draft  # on every page
        doc.add_paragraph().add_run(draft).bold = True
    _heading(doc, f"DRAFT: {report['title']}" if draft else report["title"], styles["Title"])
    doc.add_paragraph(", ".join(x for x in (school["name"], f"{phase} school" if phase else "",
                                            school["local_authority"]) if x))
    doc.add_paragraph(f"Performance management cycle {report['cycle']}. Report written {report['generated']}.")
    doc.add_paragraph("This report contains no information that would enable any individual to be identified "
                      "(policy section 10): figures of what the school did for all its staff are shown exactly, and "
                      "figures about small numbers of people's outcomes are replaced by [c]. Section 7 "
                      "explains the method and the symbols.")
    if report.get("summary"):
        _heading(doc, SUMMARY_HEADING, styles["Heading 1"])
        for part in report["summary"]:
            para = doc.add_paragraph()
            para.add_run(f"{part['heading']}. ").bold = True
            para.add_run(" ".join(s["text"] for s in part["sentences"]))
    if not charts:
        doc.add_paragraph(CHARTS_OFF)
    for section in report["sections"]:
        _heading(doc, section["heading"], styles["Heading 1"])
        doc.add_paragraph(section["intro"])
        for table in section["tables"]:
            _heading(doc, table["title"], styles["Heading 2"])
            doc.add_paragraph(table["description"])
            if charts:
                add_chart(doc, table)
            if table["rows"]:
                _table(doc, table, styles["Table Grid"])
            else:
                doc.add_paragraph("No figures are shown for this table.")
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
