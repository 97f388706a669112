"""The governors' documents tried as a governor would: print them and look at the pages.

    .venv/bin/python benchmarks/governor_documents.py [--sizes 8 26 60 111] [--keep FOLDER]

For the bundled secondary sample and synthetic primaries of the given sizes, the governors' report is
made, printed to PDF by chromium (as ``pmreport report`` does) and, when LibreOffice is installed, the
Word file is converted to PDF too; every page is rendered to an image with pdftoppm. For each document
it prints: pages, whether every page is A4, the column headings of printed tables that are not wholly
on the paper (a clipped table), pages with ink within 5 mm of the right edge, whether the pages are
numbered, and how many tables were said in one sentence instead of printed. ``--keep`` keeps the PDFs
and page images to look at. A missing system program (chromium, poppler-utils, LibreOffice) is
reported and its document skipped.

Rendering the Word file. pmreport cannot draw a .docx itself, and LibreOffice is a system program (it is not on
PyPI), so the tests check the Word file's structure instead (A4, page numbers, running header, table widths,
every table and heading: tests/report/test_docx.py). To look at its pages, on a machine where LibreOffice can be
installed:

    sudo apt-get install libreoffice-writer poppler-utils       # Debian/Ubuntu; macOS: brew install --cask libreoffice
    .venv/bin/python benchmarks/governor_documents.py --keep word-pages/

or, for one report already written by ``pmreport report``:

    soffice --headless --convert-to pdf --outdir word-pdf/ report/governors/governors_report.docx
    pdftoppm -r 60 -png word-pdf/governors_report.pdf word-pdf/page     # one PNG per page

This script looks for LibreOffice as ``soffice`` or ``libreoffice`` on the PATH, or in its usual macOS and
Windows folders, or where the ``SOFFICE`` environment variable says.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pmreport.jobs import governors_content  # noqa: E402
from pmreport.pipeline import load_school  # noqa: E402
from pmreport.report import publish  # noqa: E402
from pmreport.report.docx import render_docx  # noqa: E402
from pmreport.report.fit import nothing_to_show  # noqa: E402
from pmreport.report.html import render_html  # noqa: E402
from pmreport.report.pdf import find_chromium, print_pdf  # noqa: E402
from pmreport.samples import SAMPLE_DIR  # noqa: E402
from pmreport.synth import generate  # noqa: E402
from tests.support.printed import A4_PT, ink_in_margin, page_images, pages, text_on_paper  # noqa: E402

AS_OF = dt.date(2027, 1, 15)


#: Where LibreOffice usually is when it is not on the PATH.
SOFFICE_PLACES = ("/Applications/LibreOffice.app/Contents/MacOS/soffice",
                  "C:/Program Files/LibreOffice/program/soffice.exe", "/opt/libreoffice/program/soffice",
                  "/usr/lib/libreoffice/program/soffice")
NO_SOFFICE = ("not made: LibreOffice is not installed (it is a system program, not on PyPI). Where it can be "
              "installed: sudo apt-get install libreoffice-writer (macOS: brew install --cask libreoffice), then run "
              "this script again; the tests check the Word file's structure meanwhile")


def find_soffice() -> str | None:
    """LibreOffice's command, or None: $SOFFICE, soffice or libreoffice on the PATH, or a usual folder."""
    given = os.environ.get("SOFFICE")
    if given and Path(given).exists():
        return given
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in SOFFICE_PLACES if Path(p).exists()), None)


def schools(sizes: list[int]) -> list[tuple[str, dict[str, Any]]]:
    data, _ = load_school(SAMPLE_DIR / "secondary.xlsx")
    out = [("secondary sample (112 staff)", publish(governors_content(data, salt="b", as_of=AS_OF), AS_OF))]
    for n in sizes:
        school = generate("primary", seed=n, n_staff=n, cycles=3)
        out.append((f"synthetic primary, {n} staff", publish(governors_content(school.data, salt="b", as_of=AS_OF), AS_OF)))
    return out


def look(pdf: Path, report: dict[str, Any], folder: Path) -> dict[str, Any]:
    found = pages(pdf)
    on_paper = text_on_paper(found, margin_pt=5 / 25.4 * 72)
    printed = [t for s in report["sections"] for t in s["tables"] if not nothing_to_show(t)]
    clipped = [c["label"] for t in printed for c in t["columns"]
               if not all(word in on_paper.split() for word in c["label"].split())]
    images = page_images(pdf, folder)
    return {"pages": len(found),
            "A4": all(abs(p.width - A4_PT[0]) < 2 and abs(p.height - A4_PT[1]) < 2 for p in found),
            "headings not on the paper": len(clipped),
            "pages inked at the edge": sum(ink_in_margin(image, 30, 5) for image in images),
            "numbered": f"Page 1 of {len(found)}" in on_paper}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[8, 26, 60])
    parser.add_argument("--keep", type=Path, default=None, help="keep the PDFs and page images in this folder")
    args = parser.parse_args()
    chromium, soffice = find_chromium(), find_soffice()
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        sys.exit("poppler-utils (pdftotext, pdftoppm) is not installed: sudo apt-get install poppler-utils")
    work = args.keep or Path(tempfile.mkdtemp(prefix="pmreport-governor-docs-"))
    print("| school | document | pages | A4 | headings not on the paper | pages inked at the edge | "
          "numbered | tables said in a sentence | seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    for k, (name, report) in enumerate(schools(args.sizes)):
        folder = work / f"school{k}"
        folder.mkdir(parents=True, exist_ok=True)
        sentences = sum(nothing_to_show(t) for s in report["sections"] for t in s["tables"])
        docs: list[tuple[str, Path | None, float]] = []
        start = time.perf_counter()
        if chromium:
            html = folder / "report.html"
            html.write_text(render_html(report), encoding="utf-8")
            docs.append(("PDF (chromium)", print_pdf(html, folder / "report.pdf", chromium), time.perf_counter() - start))
        else:
            docs.append(("PDF (chromium)", None, 0.0))
        start = time.perf_counter()
        docx = render_docx(report, folder / "report.docx")
        if soffice:
            subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder / "word"), str(docx)],
                           capture_output=True, timeout=600, check=True)
            docs.append(("Word (LibreOffice)", folder / "word" / "report.pdf", time.perf_counter() - start))
        else:
            docs.append(("Word (LibreOffice)", None, 0.0))
        for label, pdf, seconds in docs:
            if pdf is None:
                why = NO_SOFFICE if label.startswith("Word") else "not made: chromium is not installed"
                print(f"| {name} | {label} | {why} | | | | | | |")
                continue
            got = look(pdf, report, folder / f"pages-{label.split()[0].lower()}")
            print(f"| {name} | {label} | {got['pages']} | {'yes' if got['A4'] else 'NO'} | "
                  f"{got['headings not on the paper']} | {got['pages inked at the edge']} | "
                  f"{'yes' if got['numbered'] else 'no'} | {sentences} | {seconds:.1f} |")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"\nPDFs and page images are in {work}")


if __name__ == "__main__":
    main()
