"""Write the whole report: audit first, render everything into a temporary folder, then move it into place.

Layout under the output folder::

    governors/governors_report.html   self-contained, offline, accessible, printable
    governors/governors_report.pdf    printed from the HTML by a headless browser (skipped without one)
    governors/governors_report.docx   editable Word version, charts as Word's own (editable) charts
    governors/report.json             every figure published: the hand-over to the governors' dashboard
    governors/dashboard.html          the governors' dashboard: one file of charts and tables, opens offline
    head_confidential/head_pack.xlsx  CONFIDENTIAL: named exceptions, moderation list, equality detail

If the disclosure audit fails, :class:`~pmreport.errors.DisclosureRisk` is raised before anything is
written. If rendering fails, nothing is moved into place. Confidential files never go into
``governors/``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmreport.model import SchoolData
from pmreport.report.content import ReportContent, build_content, publish
from pmreport.report.docx import render_docx
from pmreport.report.head_pack import write_head_pack
from pmreport.report.html import render_html
from pmreport.report.pdf import NO_CHROMIUM, PdfFailed, find_chromium, print_pdf
from pmreport.run_date import run_date
from pmreport.safe_output import check_confidential_target, check_not_input
from pmreport.staging import make_staging, remove_staging

GOVERNORS, CONFIDENTIAL = "governors", "head_confidential"
HTML, PDF, DOCX, JSON = "governors_report.html", "governors_report.pdf", "governors_report.docx", "report.json"
HEAD_PACK = "head_pack.xlsx"
DASHBOARD = "dashboard.html"


@dataclass
class Written:
    """What was written where, the audit's summary, warnings and how long each stage took (seconds)."""

    governors: dict[str, Path] = field(default_factory=dict)
    confidential: dict[str, Path] = field(default_factory=dict)
    audit: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)

    def audit_line(self) -> str:
        a = self.audit
        return (f"Disclosure audit passed: {a['tables_checked']} tables and {a['hidden_cells']} hidden figures "
                "checked together; nobody can be identified from them.")


def report_json(report: dict[str, Any]) -> str:
    """report.json's text: stable key order and layout, so the same input gives the same bytes."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


class _Clock:
    def __init__(self, timings: dict[str, float]):
        self.timings = timings

    def __call__(self, stage: str, func: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        try:
            return func()
        finally:
            self.timings[stage] = round(time.perf_counter() - start, 2)


def write_report(data: SchoolData, out: str | Path, cycle: str | None = None, *, pdf: bool = True,
                 images: bool = True, dashboard: bool = True, as_of: dt.date | None = None,
                 salt: str | None = None, warn: Callable[[str], None] | None = None) -> Written:
    """Build, audit and write the governors' report and the head's pack under ``out``.

    ``as_of`` is the run date (the date the report says it was written,
    and the date moderation is judged on); :func:`pmreport.run_date.run_date` when not given.
    """
    out = Path(out)
    as_of = run_date(as_of)
    check_confidential_target(out / CONFIDENTIAL / HEAD_PACK)  # before any work: never beside governors' files
    done = Written()
    clock = _Clock(done.timings)

    def warning(message: str) -> None:
        done.warnings.append(message)
        if warn:
            warn(message)

    content = clock("tables (disclosure gate)", lambda: build_content(data, cycle, salt=salt))
    report = clock("audit (gate.publish)", lambda: publish(content, as_of))  # DisclosureRisk: nothing written
    done.report, done.audit = report, report["audit"]
    staging = make_staging(out, CONFIDENTIAL)  # inside head_confidential/, owner-only; see pmreport/staging.py
    gov, head = staging / GOVERNORS, staging / CONFIDENTIAL
    gov.mkdir()
    head.mkdir()
    printing: _Printing | None = None
    try:
        clock("report.json", lambda: (gov / JSON).write_text(report_json(report), encoding="utf-8"))
        clock("html", lambda: (gov / HTML).write_text(render_html(report), encoding="utf-8"))
        if pdf:
            browser = find_chromium()
            if browser is None:
                warning(NO_CHROMIUM)
            else:  # the browser prints while the other files are written
                printing = _Printing(gov / HTML, gov / PDF, browser, done.timings)
        if dashboard:
            from pmreport.dashboard import build_dashboard

            clock("dashboard", lambda: (gov / DASHBOARD).write_text(build_dashboard(report), encoding="utf-8"))
        clock("docx", lambda: render_docx(report, gov / DOCX, charts=images))
        for note in clock("head pack", lambda: _head_pack(data, content, head / HEAD_PACK, as_of)):
            warning(note)
        if printing is not None:
            failed, printing = printing.wait(), None
            if failed is not None:
                warning(f"the PDF was not written: {failed}. The HTML and Word versions were.")
        for name in (JSON, HTML, DOCX, PDF, DASHBOARD):
            if (gov / name).exists():
                done.governors[name] = _move(gov / name, out / GOVERNORS / name)
            elif name in (PDF, DASHBOARD) and (out / GOVERNORS / name).exists():
                (out / GOVERNORS / name).unlink()  # an older PDF or dashboard would not match this report
        done.confidential[HEAD_PACK] = _move(head / HEAD_PACK, out / CONFIDENTIAL / HEAD_PACK)
    finally:
        if printing is not None:
            printing.wait()  # never remove the folder under a browser still writing into it
        remove_staging(staging)
    return done


class _Printing:
    """The PDF printed by the browser in a thread of its own (the browser does the work, in its own processes)."""

    def __init__(self, html: Path, pdf: Path, browser: str, timings: dict[str, float]):
        self.failed: PdfFailed | None = None
        self._thread = threading.Thread(target=self._run, args=(html, pdf, browser, timings),
                                        name="pmreport-pdf", daemon=True)
        self._thread.start()

    def _run(self, html: Path, pdf: Path, browser: str, timings: dict[str, float]) -> None:
        start = time.perf_counter()
        try:
            print_pdf(html, pdf, browser)
        except PdfFailed as exc:
            self.failed = exc
        except Exception as exc:  # noqa: BLE001 - anything else (the file system, say) is also "no PDF"
            self.failed = PdfFailed(str(exc))
        finally:
            timings["pdf (browser, beside the other files)"] = round(time.perf_counter() - start, 2)

    def wait(self) -> PdfFailed | None:
        self._thread.join()
        return self.failed


def _head_pack(data: SchoolData, content: ReportContent, path: Path, as_of: dt.date) -> list[str]:
    """Write the head's pack; its notes, to be given as warnings."""
    notes: list[str] = []
    write_head_pack(data, content, path, as_of, notes.append)
    return notes


def _move(source: Path, target: Path) -> Path:
    check_not_input(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    return target
