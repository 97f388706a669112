"""``pmreport union report``: the union-wide report, and optionally one school's benchmark, as HTML."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pmreport.disclosure import UNION_POLICY, DisclosurePolicy
from pmreport.safe_output import write_text
from pmreport.union.analysis.benchmark import Benchmark, benchmark
from pmreport.union.analysis.figures import UnionFigures, describe_policy, union_figures
from pmreport.union.analysis.html import benchmark_page, union_page
from pmreport.union.analysis.source import UnionData, from_store


@dataclass
class ReportResult:
    files: list[Path] = field(default_factory=list)
    tables: int = 0
    cycle: str = ""
    figures: UnionFigures | None = None
    benchmark: Benchmark | None = None


def write_report(data: UnionData, out: str | Path, *, school: str | None = None, cycle: str | None = None,
                 policy: DisclosurePolicy = UNION_POLICY) -> ReportResult:
    """Write ``union-report.html`` (and ``school-<urn>.html``, and ``tables.json``) into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    result = ReportResult()
    figures = union_figures(data, cycle, policy)
    result.cycle, result.figures = figures.cycle, figures
    words = describe_policy(policy)
    page = out / "union-report.html"
    write_text(page, union_page(figures, words))
    result.files.append(page)
    tables = [t.to_public_dict() for t in figures.tables]
    if school:
        b = result.benchmark = benchmark(data, school, cycle if cycle else None, policy)
        bench = out / f"school-{b.urn}.html"
        write_text(bench, benchmark_page(b, words))
        result.files.append(bench)
        tables += [t.to_public_dict() for c in b.comparisons for t in (c.school, c.peers)]
    data_file = out / "union-tables.json"
    write_text(data_file, json.dumps({"policy": policy.name, "cycle": figures.cycle, "tables": tables}, indent=1,
                                     ensure_ascii=False))
    result.files.append(data_file)
    result.tables = len(tables)
    return result


def report_from_store(db: str | Path, out: str | Path, **kwargs) -> ReportResult:
    data = from_store(db)
    try:
        return write_report(data, out, **kwargs)
    finally:
        data.close()
