"""Write the whole report: audit first, render everything into a temporary folder, then move it into place.

Layout under the output folder::

    governors/governors_report.html   self-contained, offline, accessible, printable
    governors/governors_report.pdf    printed from the HTML by a headless browser (skipped without one)
    governors/governors_report.docx   editable Word version, charts as Word's own (editable) charts
    governors/report.json             every figure published: the hand-over to the governors' dashboard
    governors/dashboard.html          the governors' dashboard: one file of charts and tables, opens offline
    head_confidential/head_pack.xlsx  CONFIDENTIAL: named exceptions, moderation list, equality detail
    head_confidential/published/2025-26.json
                                      CONFIDENTIAL: what this version published, with the data behind it,
                                      so that the next version of the cycle's report is audited with it

If the disclosure audit fails, :class:`~pmreport.errors.DisclosureRisk` is raised before anything is
written. If rendering fails, nothing is moved into place. Confidential files never go into
``governors/``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmreport.disclosure import versions
from pmreport.errors import InputUnusable, file_system_failed
from pmreport.model import SchoolData
from pmreport.report.commentary import CommentaryEntry, with_commentary
from pmreport.report.content import build_content, publish
from pmreport.report.docx import render_docx
from pmreport.report.head_pack import write_head_pack
from pmreport.report.html import render_html
from pmreport.report.pdf import NO_CHROMIUM, PdfFailed, find_chromium, print_pdf
from pmreport.run_date import run_date
from pmreport.safe_output import check_confidential_target, check_not_input
from pmreport.staging import make_staging, remove_staging

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pmreport.compliance import ComplianceResult
    from pmreport.moderation.result import ModerationResult
    from pmreport.validation.left_out import LeftOut

GOVERNORS, CONFIDENTIAL = "governors", "head_confidential"
HTML, PDF, DOCX, JSON = "governors_report.html", "governors_report.pdf", "governors_report.docx", "report.json"
HEAD_PACK = "head_pack.xlsx"
#: the confidential records of what was published for each cycle (pmreport.disclosure.versions)
PUBLISHED = "published"
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
    #: which version of the cycle's report this is (1: the first), and the figures it shows less exactly than
    #: the version before (table, row, column)
    version: int = 1
    hidden_since: list[tuple[str, str, str]] = field(default_factory=list)

    def audit_line(self) -> str:
        a = self.audit
        line = (f"Disclosure audit passed: {a['tables_checked']} tables and {a['hidden_cells']} hidden figures "
                "checked together; nobody can be identified from them.")
        if self.version > 1:
            line += (f" This is version {self.version} of the cycle's report: it was audited together with "
                     f"version {self.version - 1}, so the two cannot be compared to reveal anyone's outcome.")
        return line


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


def write_report(data: SchoolData, out: str | Path, cycle: str | None = None, *,
                 compliance: Mapping[str, ComplianceResult], moderation: ModerationResult | None = None,
                 notes: Sequence[str] = (), pdf: bool = True, images: bool = True,
                 dashboard: Callable[[dict[str, Any]], str] | None = None, as_of: dt.date | None = None,
                 salt: str | None = None, warn: Callable[[str], None] | None = None,
                 commentary: Sequence[CommentaryEntry] = (), left_out: Sequence[LeftOut] = ()) -> Written:
    """Build, audit and write the governors' report and the head's pack under ``out``.

    The analyses come in done: ``compliance`` (the policy's rules for each cycle the report covers,
    :func:`pmreport.report.content.report_cycles`) and ``moderation`` (for the head's pack; None, with
    the reason in ``notes``, when it could not be made). ``dashboard`` renders the governors'
    dashboard from report.json's dictionary (not written when None). ``as_of`` is the run date (the
    date the report says it was written); :func:`pmreport.run_date.run_date` when not given.
    ``commentary``: the head's own commentary and planned actions for the summary page
    (:mod:`pmreport.report.commentary`). ``left_out``: what the report cannot make from this workbook
    (:func:`pmreport.validation.left_out.left_out`); the report says so (report.json's ``left_out``).
    :func:`pmreport.jobs.write_governors_report` does the analyses and calls this.
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

    record_path = out / CONFIDENTIAL / PUBLISHED / f"{_slug(cycle or (data.cycles or ['none'])[-1])}.json"
    prior = _prior(record_path)
    content = clock("tables (disclosure gate)",
                    lambda: build_content(data, cycle, compliance=compliance, salt=salt, prior=prior,
                                                  left_out=left_out))
    report = clock("audit (gate.publish)", lambda: publish(content, as_of))  # DisclosureRisk: nothing written
    report = with_commentary(report, commentary)
    done.report, done.audit = report, report["audit"]
    tables = [t for section in report["sections"] for t in section["tables"]]
    if prior is not None:
        done.version = prior.number + 1
        done.hidden_since = versions.hidden_since(prior, tables)
        if done.hidden_since:
            where = list(dict.fromkeys(t for t, _, _ in done.hidden_since))
            warning(f"this is version {done.version} of the {content.cycle} report, and it shows "
                    f"{len(done.hidden_since)} figure(s) less exactly than version {prior.number} "
                    f"({prior.written or 'published before'}) did: because the data changed, or so that the two "
                    "versions cannot be compared to reveal anyone's outcome. Tables affected: "
                    + "; ".join(where[:5]) + (f"; and {len(where) - 5} more table(s)" if len(where) > 5 else "")
                    + ".")
    record = versions.record(content.gate.tables, content.md, content.salt, number=done.version,
                             written=report["generated"], shown=versions.shown_map(tables))
    new_folders = [p for p in (out / GOVERNORS, out / CONFIDENTIAL, out) if not p.exists()]  # removed if the run fails
    finished = False
    printing: _Printing | None = None
    try:
        staging = make_staging(out, CONFIDENTIAL)  # inside head_confidential/, owner-only; see pmreport/staging.py
    except BaseException:
        _remove_empty(new_folders)
        raise
    gov, head = staging / GOVERNORS, staging / CONFIDENTIAL
    try:
        gov.mkdir()
        head.mkdir()
        clock("report.json", lambda: (gov / JSON).write_text(report_json(report), encoding="utf-8"))
        clock("html", lambda: (gov / HTML).write_text(render_html(report), encoding="utf-8"))
        if pdf:
            browser = find_chromium()
            if browser is None:
                warning(NO_CHROMIUM)
            else:  # the browser prints while the other files are written
                printing = _Printing(gov / HTML, gov / PDF, browser, done.timings)
        if dashboard is not None:
            clock("dashboard", lambda: (gov / DASHBOARD).write_text(dashboard(report), encoding="utf-8"))
        clock("docx", lambda: render_docx(report, gov / DOCX, charts=images))
        for note in notes:
            warning(note)
        clock("head pack", lambda: write_head_pack(data, content, head / HEAD_PACK, as_of, moderation, notes))
        (head / PUBLISHED).mkdir()
        (head / PUBLISHED / record_path.name).write_text(record, encoding="utf-8")
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
        done.confidential[PUBLISHED] = _move(head / PUBLISHED / record_path.name, record_path)
        finished = True
    except OSError as exc:  # disk full, folder made read-only part way ...: a plain message, exit 2
        raise file_system_failed(exc, out, "write the report into") from None
    finally:
        if printing is not None:
            printing.wait()  # never remove the folder under a browser still writing into it
        remove_staging(staging)
        if not finished:
            _remove_empty(new_folders)  # no empty output folder left behind
    return done


def _remove_empty(folders: list[Path]) -> None:
    """Remove these folders (made by this run, deepest first) if nothing is in them."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _slug(cycle: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in cycle).strip("-") or "cycle"


def _prior(path: Path) -> versions.PriorVersion | None:
    """The record of what an earlier version of this cycle's report published, if there is one."""
    if not path.is_file():
        return None
    try:
        return versions.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, versions.RecordUnreadable) as exc:
        raise InputUnusable(
            f"The record of what an earlier version of this report published ({path}) cannot be used: {exc}.",
            "If no earlier version of this cycle's report reached governors, delete that file and run again. "
            "Otherwise restore it from a backup: without it, a re-issued report could be compared with the "
            "earlier one to reveal what either hides.") from exc


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


def _move(source: Path, target: Path) -> Path:
    check_not_input(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    return target
