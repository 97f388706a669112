"""pmreport's jobs: the library calls behind the commands, for notebooks, scripts and tests.

Each job reads the school's workbook (or folder of CSV files), validates it, runs the analysis
and writes its files, in that order, and returns a result whose :meth:`to_dict` is exactly what
the command prints with ``--json``. The command-line interface only parses arguments, calls one
job, prints and maps exceptions to exit codes (:mod:`pmreport.cli.exit_codes`).

Errors are exceptions from :mod:`pmreport.errors` (a file that cannot be used, data too broken
to go on, an output that would identify someone). Rows with errors do not stop a job: they are
set aside, counted in the result (``data``) and make ``exit_code`` 1. Each job takes
``progress``, a function called with the name of each stage as it starts (the commands show it
on a terminal). See ``docs/api.md``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pmreport.compliance.results import ComplianceResult
    from pmreport.disclosure import DisclosurePolicy
    from pmreport.model import SchoolData
    from pmreport.moderation.result import ModerationResult
    from pmreport.reading import RawWorkbook
    from pmreport.report.commentary import CommentaryEntry
    from pmreport.report.content import ReportContent
    from pmreport.report.writer import Written
    from pmreport.union.export_return import ExportResult
    from pmreport.validation.left_out import LeftOut
    from pmreport.validation.outcome import ValidationReport

__all__ = ["CheckResult", "DashboardResult", "DemoResult", "ExportReturnResult", "MapResult", "ModerateResult",
           "ReportResult", "build_report", "check", "checks_for_report", "dashboard", "demo", "export_return",
           "governors_content", "governors_report", "head_moderation", "moderate", "union_export_parquet",
           "union_ingest", "union_new_key", "union_report", "union_sample_cohort", "validate", "write_governors_report",
           "write_map"]


#: A job reports each stage it starts ("Checking the policy's rules") to this, when given.
Progress = Callable[[str], None]


def _stage(progress: Progress | None, text: str) -> None:
    if progress is not None:
        progress(text)


READING = "Reading the workbook and checking the data"


def _data(report: ValidationReport) -> dict[str, Any]:
    """The part of every result that says how clean the data was."""
    return {"valid": report.valid, "errors": len(report.errors), "warnings": len(report.warnings),
            "rows_set_aside": sum(s.quarantined for s in report.stats.values())}


def _load(path: str | Path, analysis: str, mapping: str | Path | None = None,
          raw: RawWorkbook | None = None) -> tuple[SchoolData, ValidationReport, list[LeftOut]]:
    """The school's data for one analysis, and what the analysis must leave out (missing columns it
    needs in part, sheets with no usable row). Stops (exit 1) when it needs a missing column for all."""
    from pmreport.pipeline import load_school
    from pmreport.validation.left_out import left_out

    data, report = load_school(path, analysis=analysis, mapping=mapping, raw=raw)
    return data, report, left_out(report, analysis)


def _left(items: list[LeftOut]) -> list[dict[str, Any]]:
    return [x.to_dict() for x in items]


def _run_on(as_of: dt.date | None) -> dt.date:
    from pmreport.run_date import run_date

    return run_date(as_of)


def checks_for_report(data: SchoolData, cycle: str | None = None, *, as_of: dt.date | None = None,
                      history: int = 3) -> dict[str, ComplianceResult]:
    """The policy's rules checked on the run date for every cycle a report on ``cycle`` covers."""
    from pmreport.compliance import run_checks
    from pmreport.report.content import report_cycles

    run_on = _run_on(as_of)
    return {x: run_checks(data, x, as_of=run_on) for x in report_cycles(data, cycle, history)}


def governors_content(data: SchoolData, cycle: str | None = None, *, as_of: dt.date | None = None,
                      salt: str | None = None, policy: DisclosurePolicy | None = None,
                      left_out: Sequence[LeftOut] = ()) -> ReportContent:
    """Every table of the governors' report for ``data``, made through one disclosure gate (nothing
    published yet: ``pmreport.report.publish(content)`` audits them all and gives report.json).
    ``left_out``: what the report cannot make from the workbook (the third item :func:`_load` gives)."""
    from pmreport.disclosure import GOVERNOR_POLICY
    from pmreport.report.content import build_content

    return build_content(data, cycle, compliance=checks_for_report(data, cycle, as_of=as_of), salt=salt,
                         policy=policy or GOVERNOR_POLICY, left_out=left_out)


def governors_report(data: SchoolData, cycle: str | None = None, *, as_of: dt.date | None = None,
                     left_out: Sequence[LeftOut] = ()) -> dict[str, Any]:
    """report.json's dictionary for ``data``: every table made, audited together and published."""
    from pmreport.report.content import publish

    return publish(governors_content(data, cycle, as_of=as_of, left_out=left_out), _run_on(as_of))


def head_moderation(data: SchoolData, cycle: str, *, as_of: dt.date | None = None) -> tuple[ModerationResult | None, list[str]]:
    """Moderation for the head's pack, or None with the reason when the data cannot support it."""
    from pmreport.errors import PmreportError
    from pmreport.moderation import run_moderation

    try:
        return run_moderation(data, cycle=cycle, as_of=_run_on(as_of)), []
    except PmreportError as exc:
        return None, [f"The moderation list is not included: {exc.message}"]


def write_governors_report(data: SchoolData, out: str | Path, cycle: str | None = None, *, pdf: bool = True,
                           images: bool = True, dashboard: bool = True, as_of: dt.date | None = None,
                           salt: str | None = None, warn: Callable[[str], None] | None = None,
                           commentary: Sequence[CommentaryEntry] = (), left_out: Sequence[LeftOut] = ()) -> Written:
    """The analyses (the policy's rules for each cycle covered, moderation for the head), then the
    governors' report and the head's pack written under ``out`` (:func:`pmreport.report.writer.write_report`);
    ``commentary`` is the head's own, for the summary page (:mod:`pmreport.report.commentary`); ``left_out``
    what the report cannot make from the workbook (said in the report and in report.json)."""
    from pmreport.report.content import report_cycles
    from pmreport.report.writer import write_report

    run_on = _run_on(as_of)
    compliance = checks_for_report(data, cycle, as_of=run_on)
    moderation, notes = head_moderation(data, report_cycles(data, cycle)[-1], as_of=run_on)
    render = None
    if dashboard:
        from pmreport.dashboard import build_dashboard

        render = build_dashboard
    return write_report(data, out, cycle, compliance=compliance, moderation=moderation, notes=notes, pdf=pdf,
                        images=images, dashboard=render, as_of=run_on, salt=salt, warn=warn, commentary=commentary,
                        left_out=left_out)


class _Result:
    """Shared by the results: JSON of :meth:`to_dict`, and the exit code the data gives."""

    validation: ValidationReport | None

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - every result defines it
        raise NotImplementedError

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, default=str)

    @property
    def exit_code(self) -> int:
        return 0 if self.validation is None else self.validation.exit_code


def validate(path: str | Path, *, show_values: bool = False, mapping: str | Path | None = None,
             progress: Progress | None = None) -> ValidationReport:
    """Read and validate a workbook or CSV folder: every issue at its cell, rows accounted for.

    ``to_dict()`` of the report is what ``pmreport validate --json`` prints.
    """
    from pmreport.column_map import read_map
    from pmreport.pipeline import build
    from pmreport.reading import read_input

    _stage(progress, "Reading the workbook")
    raw = read_input(path)
    _stage(progress, "Checking the data, cell by cell and across sheets")
    return build(raw, show_values=show_values, column_map=read_map(mapping) if mapping is not None else None)[1]


@dataclass
class CheckResult(_Result):
    """The policy's rules checked (``compliance``), the validation, and the exceptions file if written.

    ``to_dict()`` is the compliance result itself (it names staff by id: confidential).
    """

    compliance: ComplianceResult
    validation: ValidationReport
    school_name: str | None = None
    exceptions_file: Path | None = None
    #: The checks that could not be made from this workbook, and why.
    left_out: list[LeftOut] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**self.compliance.to_dict(), "left_out": _left(self.left_out)}


def check(path: str | Path, *, cycle: str | None = None, exceptions_out: str | Path | None = None,
          as_of: dt.date | None = None, mapping: str | Path | None = None,
          progress: Progress | None = None) -> CheckResult:
    """Check the records against the policy, rule by rule; optionally write the named exceptions (.xlsx)."""
    from pmreport.compliance import run_checks
    from pmreport.errors import PmreportError

    path = Path(path)
    target = Path(exceptions_out) if exceptions_out is not None else None
    if target is not None:
        if target.suffix.lower() != ".xlsx":
            raise PmreportError(f"The exceptions file {target} must end in .xlsx.", "Give a name like exceptions.xlsx.")
        if target.exists() and path.exists() and target.resolve() == path.resolve():
            raise PmreportError("The exceptions file would overwrite your input workbook.",
                                "Give the exceptions file a different name.")
    _stage(progress, READING)
    data, report, left = _load(path, "check", mapping)
    _stage(progress, "Checking the policy's rules")
    result = run_checks(data, cycle, as_of=_run_on(as_of))
    school = data.school_name(result.cycle)
    written = None
    if target is not None:
        from pmreport.compliance.workbook import write_exceptions

        _stage(progress, f"Writing {target.name}")
        written = write_exceptions(result, target)
    return CheckResult(result, report, None if school is None else str(school), written, left)


@dataclass
class ModerateResult(_Result):
    """The moderation analysis (policy §5), the files written, and the validation."""

    moderation: ModerationResult
    validation: ValidationReport
    files: dict[str, Path] = field(default_factory=dict)
    #: The comparisons that could not be made from this workbook, and why.
    left_out: list[LeftOut] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"command": "moderate", "cycle": self.moderation.cycle, "flags": int(len(self.moderation.flags)),
                "files": {name: str(p) for name, p in self.files.items()}, "data": _data(self.validation),
                "left_out": _left(self.left_out)}


def moderate(path: str | Path, out: str | Path, *, cycle: str | None = None, seed: int | None = None,
             pool_cycles: int = 1, sample_fraction: float | None = None,
             as_of: dt.date | None = None, mapping: str | Path | None = None,
             progress: Progress | None = None) -> ModerateResult:
    """Write moderation.xlsx (named, for the head only) and moderation.json into ``out``."""
    from pmreport.moderation import DEFAULT_SEED, run_moderation
    from pmreport.safe_output import write_tables, write_text

    run_on = _run_on(as_of)
    _stage(progress, READING)
    data, report, left = _load(path, "moderate", mapping)
    _stage(progress, "Comparing statements, reviewers and groups (moderation)")
    result = run_moderation(data, cycle=cycle, seed=DEFAULT_SEED if seed is None else seed, pool_cycles=pool_cycles,
                            sample_fraction=sample_fraction, as_of=run_on)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    xlsx, js = folder / "moderation.xlsx", folder / "moderation.json"
    _stage(progress, "Writing moderation.xlsx and moderation.json")
    write_tables(xlsx, result.sheets(), confidential=True)
    write_text(js, json.dumps({**result.to_dict(), "left_out": _left(left)}, indent=2, ensure_ascii=False, default=str))
    return ModerateResult(result, report, {"moderation.xlsx": xlsx, "moderation.json": js}, left)


@dataclass
class ReportResult(_Result):
    """The annual report to governors: what was written where, the audit and warnings."""

    written: Written
    validation: ValidationReport
    #: The tables that could not be made from this workbook, and why.
    left_out: list[LeftOut] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        w = self.written
        return {"command": "report", "cycle": w.report.get("cycle"), "version": w.version,
                "governors": {name: str(p) for name, p in w.governors.items()},
                "confidential": {name: str(p) for name, p in w.confidential.items()},
                "audit": w.audit, "warnings": list(w.warnings), "data": _data(self.validation),
                "left_out": _left(self.left_out)}


def build_report(path: str | Path, out: str | Path, *, cycle: str | None = None, pdf: bool = True,
                 images: bool = True, dashboard: bool = True, as_of: dt.date | None = None,
                 warn: Callable[[str], None] | None = None, mapping: str | Path | None = None,
                 progress: Progress | None = None, commentary: str | Path | None = None) -> ReportResult:
    """Write the annual report to governors (policy §10) into ``out``/governors, and the head's pack.

    The summary page shows the head's commentary and planned actions: from ``commentary`` (a Markdown
    file) when given, otherwise from the workbook's optional commentary sheet.

    Raises :class:`pmreport.errors.DisclosureRisk` (nothing written) if the audit could identify anyone.
    """
    from pmreport.reading import read_input
    from pmreport.report.commentary import from_markdown, from_workbook

    run_on = _run_on(as_of)
    _stage(progress, READING)
    entries = from_markdown(commentary) if commentary is not None else None
    raw = read_input(path)  # read once: the commentary sheet and the school's data come from the same reading
    if entries is None:
        entries = from_workbook(raw)
    data, report, left = _load(path, "report", mapping, raw)
    _stage(progress, "Analysing, checking nobody can be identified (disclosure audit) and writing the report")
    done = write_governors_report(data, out, cycle, pdf=pdf, images=images, dashboard=dashboard, as_of=run_on,
                                  warn=warn, commentary=entries, left_out=left)
    return ReportResult(done, report, left)


@dataclass
class DashboardResult(_Result):
    """The governors' dashboard file, and the validation when it was built from a workbook."""

    path: Path
    validation: ValidationReport | None = None
    #: The figures that could not be made from this workbook, and why (the dashboard shows the report's).
    left_out: list[LeftOut] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"command": "dashboard", "file": str(self.path), "bytes": self.path.stat().st_size,
                "data": None if self.validation is None else _data(self.validation), "left_out": _left(self.left_out)}


def dashboard(path: str | Path, out: str | Path = "dashboard.html", *, cycle: str | None = None,
              as_of: dt.date | None = None, mapping: str | Path | None = None,
              progress: Progress | None = None) -> DashboardResult:
    """Write the governors' dashboard from a report.json, or from the school's workbook."""
    from pmreport.dashboard import write_dashboard
    from pmreport.dashboard.report_json import is_report_file, read_report_json
    from pmreport.errors import InputUnusable

    path, target = Path(path), Path(out)
    if target.suffix.lower() not in (".html", ".htm"):
        raise InputUnusable(f"{target.name} is not an HTML file name.", "Give --out a name ending in .html.")
    run_on = _run_on(as_of)
    checked: ValidationReport | None = None
    left: list[LeftOut] = []
    if is_report_file(path):
        if cycle is not None:
            raise InputUnusable("--cycle is for a workbook: a report.json is already for one cycle.",
                                "Leave out --cycle, or give the school's workbook.")
        report = read_report_json(path)
    else:
        _stage(progress, READING)
        data, checked, left = _load(path, "report", mapping)
        _stage(progress, "Building the governors' figures")
        report = governors_report(data, cycle, as_of=run_on, left_out=left)
    _stage(progress, f"Writing {target.name}")
    return DashboardResult(write_dashboard(report, target), checked, left)


@dataclass
class ExportReturnResult(_Result):
    """The school's anonymised union return: where it is, what is in it and which key made it."""

    result: ExportResult
    validation: ValidationReport | None = None

    def to_dict(self) -> dict[str, Any]:
        r, a = self.result, self.result.ret.anonymity
        return {"command": "export-return", "file": str(r.path), "urn": str(r.ret.school.iloc[0]["urn"]),
                "cycle": r.cycle, "people": int(len(r.ret.people)), "rules": int(len(r.ret.compliance)),
                "k": a.k, "values_generalised": int(a.values_generalised), "values_suppressed": int(a.values_suppressed),
                "key": {"source": r.key.source, "file": None if r.key.path is None else str(r.key.path),
                        "fingerprint": r.key.fingerprint},
                "warnings": list(r.warnings)}


def export_return(path: str | Path, out: str | Path, *, school_key: str | Path | None = None, k: int | None = None,
                  cycle: str | None = None, allow_errors: bool = False, mapping: str | Path | None = None,
                  as_of: dt.date | None = None, progress: Progress | None = None) -> ExportReturnResult:
    """Write the school's anonymised return for its union (see docs/union.md)."""
    from pmreport.union.export_return import export_return as write

    _stage(progress, "Reading, checking and anonymising the data, and writing the return")
    return ExportReturnResult(write(path, out, school_key_file=school_key, k=k, cycle=cycle,
                                    allow_errors=allow_errors, mapping=mapping, as_of=_run_on(as_of)))


@dataclass
class MapResult(_Result):
    """A starter column map written for a workbook: where, and what is left for a person to decide."""

    path: Path
    sheets: int
    matched: int
    to_do: int
    validation: ValidationReport | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"command": "map", "file": str(self.path), "sheets": self.sheets, "columns_matched": self.matched,
                "to_do": self.to_do}


def write_map(path: str | Path, out: str | Path, *, mapping: str | Path | None = None,
              progress: Progress | None = None) -> MapResult:
    """Write a starter column map (YAML) for a workbook: every sheet and column, what each was matched to
    (or nothing, with suggestions), and every unrecognised value of a coded field. With ``mapping``, the
    map so far is applied first, so the new one lists only what is still to decide."""
    from pmreport.column_map import apply_map, read_map, render_map, starter_map
    from pmreport.errors import InputUnusable
    from pmreport.reading import read_input
    from pmreport.safe_output import write_text
    from pmreport.schema import load_schemas

    target = Path(out)
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise InputUnusable(f"{target.name} is not a YAML file name.", "Give --out a name ending in .yaml, such as mapping.yaml.")
    if mapping is not None and target.exists() and target.resolve() == Path(mapping).resolve():
        raise InputUnusable("The new map would overwrite the map it starts from.", "Give --out a different name.")
    cmap = read_map(mapping) if mapping is not None else None
    schemas = apply_map(load_schemas(), cmap)
    _stage(progress, READING)
    raw = read_input(path)
    entries = starter_map(raw, schemas, cmap)
    _stage(progress, f"Writing {target.name}")
    text = render_map(entries, Path(path).name, schemas)
    write_text(target, text)
    matched = sum(1 for e in entries for _, name, _ in e["columns"] if name)
    return MapResult(target, len(entries), matched, text.count("# TO DO"))


@dataclass
class DemoResult(_Result):
    """Everything ``pmreport demo`` does on a bundled sample school, read once: the validation, the
    policy's rules, the governors' report (with its dashboard) and moderation, with the files written."""

    sample: Path
    validation: ValidationReport
    compliance: ComplianceResult
    written: Written
    moderation: ModerationResult
    school_name: str | None = None
    files: dict[str, Path] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"command": "demo", "sample": self.sample.name, "cycle": self.compliance.cycle,
                "governors": {name: str(p) for name, p in self.written.governors.items()},
                "confidential": {name: str(p) for name, p in {**self.written.confidential, **self.files}.items()},
                "audit": self.written.audit, "moderation_flags": int(len(self.moderation.flags)),
                "warnings": list(self.written.warnings), "data": _data(self.validation)}


def demo(sample: str = "secondary", out: str | Path = "pmreport-demo", *, pdf: bool = True, as_of: dt.date | None = None,
         show_values: bool = False, warn: Callable[[str], None] | None = None,
         progress: Progress | None = None) -> DemoResult:
    """Run check, report (with the dashboard) and moderation on a bundled synthetic school, into ``out``."""
    from pmreport.compliance.workbook import write_exceptions
    from pmreport.dashboard import build_dashboard
    from pmreport.errors import InputUnusable
    from pmreport.pipeline import load_school
    from pmreport.report.writer import write_report
    from pmreport.safe_output import write_tables
    from pmreport.samples import SAMPLE_DIR

    run_on = _run_on(as_of)
    path = SAMPLE_DIR / f"{sample}.xlsx"
    if not path.exists():
        choices = ", ".join(sorted(p.stem for p in SAMPLE_DIR.glob("*.xlsx"))) or "none"
        raise InputUnusable(f"There is no bundled sample called '{sample}'.", f"Choose one of: {choices}.")
    folder = Path(out)
    _stage(progress, READING)
    data, report = load_school(path, show_values=show_values)
    _stage(progress, "Checking the policy's rules")
    compliance = checks_for_report(data, as_of=run_on)
    result = compliance[max(compliance)]
    confidential = folder / "head_confidential"
    exceptions = write_exceptions(result, confidential / "exceptions.xlsx")
    _stage(progress, "Comparing statements, reviewers and groups (moderation)")
    moderation, notes = head_moderation(data, result.cycle, as_of=run_on)
    if moderation is None:
        raise InputUnusable(f"The sample {sample} cannot be moderated: {' '.join(notes)}")
    named = confidential / "moderation.xlsx"
    write_tables(named, moderation.sheets(), confidential=True)
    _stage(progress, "Checking nobody can be identified (disclosure audit) and writing the report")
    written = write_report(data, folder, result.cycle, compliance=compliance, moderation=moderation, notes=notes,
                           pdf=pdf, dashboard=build_dashboard, as_of=run_on, warn=warn)
    school = data.school_name(result.cycle)
    return DemoResult(path, report, result, written, moderation, None if school is None else str(school),
                      {"exceptions.xlsx": exceptions, "moderation.xlsx": named})


# --------------------------------------------------------------------------- the union's commands

@dataclass
class UnionKeyResult:
    """A school's new key file for its union returns (the key itself is never in the result)."""

    path: Path
    fingerprint: str

    def to_dict(self) -> dict[str, Any]:
        return {"command": "union new-key", "file": str(self.path), "fingerprint": self.fingerprint}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def union_new_key(path: str | Path) -> UnionKeyResult:
    """Make a school's random 256-bit key in ``path`` (readable by its owner only; never over a file)."""
    from pmreport.union.keys import new_key_file

    key = new_key_file(path)
    return UnionKeyResult(Path(key.path) if key.path is not None else Path(path), key.fingerprint)


@dataclass
class UnionIngestResult:
    """What one ``union ingest`` run loaded, held back and refused, with the row accounting."""

    summary: Any  # pmreport.union.ingest.run.IngestSummary

    @property
    def exit_code(self) -> int:
        s = self.summary
        return 3 if not s.balanced else 1 if (s.files_rejected or s.files_held_back) else 0

    def to_dict(self) -> dict[str, Any]:
        s = self.summary
        return {"command": "union ingest", "run": s.run_id,
                "files": {"found": s.files_found, "loaded": s.files_loaded, "already_held": s.files_duplicate,
                          "older_than_one_held": s.files_superseded, "held_back": s.files_held_back,
                          "refused": s.files_rejected, "returns_replaced": s.returns_replaced},
                "rows": {"read": s.rows_read, "loaded": s.rows_loaded, "refused": s.rows_rejected,
                         "balanced": bool(s.balanced)},
                "refused": [{"file": r.file, "reason": r.reason} for r in s.rejections],
                "replaced": [r.describe() for r in s.replacements], "notes": list(s.notes)}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, default=str)


def union_ingest(folder: str | Path, db: str | Path, *, workers: int = 2, batch: int = 2000, replace: bool = False,
                 progress: Callable[[int], None] | None = None,
                 on_total: Callable[[int], None] | None = None) -> UnionIngestResult:
    """Load every return in ``folder`` into the union's store ``db`` (see docs/union.md)."""
    from pmreport.union.ingest import ingest

    return UnionIngestResult(ingest(folder, db, workers=workers, batch_size=batch, replace=replace,
                                    progress=progress, on_total=on_total))


@dataclass
class UnionReportJobResult:
    """The union report's files, its cycle and coverage, or why it publishes no figure."""

    result: Any  # pmreport.union.analysis.union_report.UnionReportResult

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        return {"command": "union report", "cycle": r.cycle, "tables": r.tables, "coverage": r.coverage_words,
                "withheld": r.withheld, "files": [str(f) for f in r.files]}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def union_report(db: str | Path, out: str | Path, **options: Any) -> UnionReportJobResult:
    """Write the union report from the store ``db`` into ``out`` (options: school, cycle, la, region)."""
    from pmreport.errors import PmreportError
    from pmreport.union.analysis.union_report import report_from_store

    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise PmreportError(f"{folder} is a file, not a folder.", "Give a folder for the report.")
    return UnionReportJobResult(report_from_store(db, folder, **options))


@dataclass
class UnionFilesResult:
    """What a union command wrote: the command, where, and how many rows or files."""

    command: str
    out: Path
    counts: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"command": self.command, "out": str(self.out), **self.counts}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def union_export_parquet(db: str | Path, out: str | Path, *, replace: bool = False) -> UnionFilesResult:
    """Write the store as a Parquet dataset under ``out``; the rows of each table."""
    from pmreport.union.ingest import export_parquet

    return UnionFilesResult("union export-parquet", Path(out), {"rows": export_parquet(db, out, replace=replace)})


def union_sample_cohort(schools: int, out: str | Path, *, cycles: int = 3, first_year: int = 2023, seed: int = 1,
                        realistic: bool = False, workers: int = 2,
                        progress: Callable[[int], None] | None = None) -> UnionFilesResult:
    """Make invented schools' returns under ``out``, with the planted patterns in cohort.truth.json."""
    from pmreport.union.cohort import make_cohort

    cohort = make_cohort(schools, out, cycles=cycles, first_year=first_year, seed=seed, realistic=realistic,
                         workers=workers, progress=progress)
    return UnionFilesResult("union sample-cohort", Path(out), {"schools": schools, "returns": len(cohort.files)})
