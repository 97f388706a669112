"""The governors' report as an editable Word document: headings, the same tables as Word tables, and
the charts as PNG images drawn by kaleido (omitted, with a note, when chromium is not available)."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pmreport.report.charts import alt_text, figure
from pmreport.report.words import METHOD_HEADING, PHASES

IMAGE_WIDTH_PX = 680
NO_IMAGES = ("Charts are not included in this document because chromium, which draws them, is not available; "
             "every figure is in the tables.")
IMAGES_OFF = "Charts are not included in this document; every figure is in the tables."


def chart_images(report: dict[str, Any], warn: Callable[[str], None] | None = None) -> dict[str, bytes] | None:
    """PNG images of every chart, by table id (``None`` when they cannot be drawn here).

    One kaleido server serves every image (the first costs a browser start, later ones ~0.3 s).
    """
    tables = [t for s in report["sections"] for t in s["tables"] if t["chart"]["type"] != "none"]
    if not tables:
        return {}
    try:
        import kaleido

        kaleido.start_sync_server(mathjax=False, silence_warnings=True)  # no MathJax from a CDN: nothing fetched
    except Exception as exc:  # noqa: BLE001 - no chromium, or kaleido cannot start it
        if warn:
            warn(f"charts are left out of the Word document: kaleido could not start chromium ({type(exc).__name__}).")
        return None
    images: dict[str, bytes] = {}
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")  # we use the server on purpose
            for table in tables:
                fig = figure(table)
                if fig is not None:
                    fig.update_layout(width=IMAGE_WIDTH_PX)
                    images[table["id"]] = fig.to_image(format="png", scale=2)
    except Exception as exc:  # noqa: BLE001
        if warn:
            warn(f"charts are left out of the Word document: drawing them failed ({type(exc).__name__}).")
        return None
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    return images


def _table(doc: Any, table: dict[str, Any]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    columns = table["columns"]
    grid = doc.add_table(rows=1 + len(table["rows"]), cols=1 + len(columns))
    grid.style = "Table Grid"
    header = grid.rows[0].cells
    header[0].text = table["row_header"] or "Staff"
    for j, col in enumerate(columns, start=1):
        header[j].text = col["label"]
    for cell in header:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(grid.rows[0])
    for i, row in enumerate(table["rows"], start=1):
        cells = grid.rows[i].cells
        cells[0].text = row["label"]
        for j, cell in enumerate(row["cells"], start=1):
            cells[j].text = cell["text"]
            cells[j].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in grid.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()  # noqa: SLF001 - python-docx has no API for repeating header rows
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _small(doc: Any, text: str) -> None:
    from docx.shared import Pt

    para = doc.add_paragraph()
    run = para.add_run(text)
    run.font.size = Pt(8)


def render_docx(report: dict[str, Any], path: Path, images: dict[str, bytes] | None, note: str = NO_IMAGES) -> Path:
    """Write the Word document to ``path``. ``images`` by table id (``None``: charts left out, with ``note``)."""
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    props = doc.core_properties
    props.title = report["title"]
    props.author = "pmreport"
    props.comments = f"{report['school']['name']}, {report['cycle']}"
    school = report["school"]
    phase = PHASES.get(school.get("phase") or "", "")
    doc.add_heading(report["title"], level=0)
    doc.add_paragraph(", ".join(x for x in (school["name"], f"{phase} school" if phase else "",
                                            school["local_authority"]) if x))
    doc.add_paragraph(f"Performance management cycle {report['cycle']}. Report written {report['generated']}.")
    doc.add_paragraph("This report contains no information that would enable any individual to be identified "
                      "(policy section 10): figures about small numbers of people are replaced by [c]. Section 7 "
                      "explains the method and the symbols.")
    if images is None:
        doc.add_paragraph(note)
    for section in report["sections"]:
        doc.add_heading(section["heading"], level=1)
        doc.add_paragraph(section["intro"])
        for table in section["tables"]:
            doc.add_heading(table["title"], level=2)
            doc.add_paragraph(table["description"])
            png = (images or {}).get(table["id"])
            if png:
                shape = doc.add_picture(io.BytesIO(png), width=Cm(16))
                shape._inline.docPr.set("descr", alt_text(table))  # noqa: SLF001 - alt text for screen readers
            if table["rows"]:
                _table(doc, table)
            else:
                doc.add_paragraph("No figures are shown for this table.")
            for note in table["footnotes"]:
                _small(doc, note)
    doc.add_heading(METHOD_HEADING, level=1)
    doc.add_paragraph(report["method"])
    symbols = doc.add_table(rows=1 + len(report["symbols"]), cols=2)
    symbols.style = "Table Grid"
    symbols.rows[0].cells[0].text, symbols.rows[0].cells[1].text = "Symbol", "Meaning"
    for i, (symbol, meaning) in enumerate(report["symbols"].items(), start=1):
        symbols.rows[i].cells[0].text, symbols.rows[i].cells[1].text = f"[{symbol}]", meaning
    audit = report["audit"]
    doc.add_paragraph(f"Disclosure audit: {'passed' if audit['passed'] else 'failed'}. {audit['tables_checked']} "
                      f"tables and {audit['hidden_cells']} hidden figures were checked together; none of the hidden "
                      "figures, and nobody's outcome, could be worked out from what is published.")
    doc.save(str(path))
    return path
