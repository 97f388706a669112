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
from pmreport.union.analysis.publish import published_tables, write_csv, write_spreadsheet
from pmreport.union.analysis.source import UnionData, from_store
from pmreport.union.analysis.union_dashboard import write_union_dashboard


@dataclass
class UnionReportResult:
    files: list[Path] = field(default_factory=list)
    tables: int = 0
    cycle: str = ""
    figures: UnionFigures | None = None
    benchmark: Benchmark | None = None
    withheld: str | None = None  # why the report publishes no figure, when it publishes none

    @property
    def coverage_words(self) -> str:
        """The schools behind the report's cycle, in words."""
        cov = self.figures.coverage if self.figures else None
        if cov is None or cov.per_cycle.empty:
            return "no schools"
        row = cov.per_cycle[cov.per_cycle["Cycle"] == self.cycle].iloc[0]
        return f"{row['Schools with rows about people']} schools' returns"


def write_report(data: UnionData, out: str | Path, *, school: str | None = None, cycle: str | None = None,
                 policy: DisclosurePolicy = UNION_POLICY, la: str | None = None,
                 region: str | None = None) -> UnionReportResult:
    """Write ``union-report.html``, ``union-tables.json``, ``union-dashboard.html`` (made from union-tables.json
    alone), ``union-tables.xlsx`` (an accessible spreadsheet) and
    ``csv/`` (one file a table) into ``out``; with ``school``, that school's
    comparison in files of its own (``school-<urn>.html``, ``school-<urn>-tables.json``), never among the
    national tables. ``la`` / ``region``: the report's figures kept to one local authority's or one region's
    schools (the school's comparison still looks for similar schools everywhere)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    result = UnionReportResult()
    if la and region:
        from pmreport.errors import PmreportError

        raise PmreportError("Give --la or --region, not both.", "A local authority is inside one region: give the one "
                            "you want the report kept to.")
    kept = data.in_local_authority(la) if la else data.in_region(region) if region else data
    figures = union_figures(kept, cycle, policy)
    result.cycle, result.figures, result.withheld = figures.cycle, figures, figures.withheld
    words = describe_policy(policy)
    page = out / "union-report.html"
    write_text(page, union_page(figures, words, policy))
    result.files.append(page)
    tables = [t.to_public_dict() for t in figures.tables]
    data_file = out / "union-tables.json"
    write_text(data_file, json.dumps({"policy": policy.name, "local_authority": figures.area if la else None,
                                      "region": figures.area if region else None, "cycle": figures.cycle, "cycles": figures.cycles,
                                      "withheld": figures.withheld, "tables": tables}, indent=1, ensure_ascii=False))
    result.files.append(data_file)
    result.files.append(write_union_dashboard(data_file, out / "union-dashboard.html"))
    result.tables = len(tables)
    published = published_tables(figures)
    result.files += write_csv(published, out / "csv")
    sheet = write_spreadsheet(published, out / "union-tables.xlsx",
                              f"Performance management across schools{figures.area_words}: workload and fairness, "
                              f"{figures.cycle}",
                              "Pooled figures from schools' anonymised returns to the union. "
                              + (figures.withheld or f"Cycles with figures: {', '.join(figures.cycles)}."), words)
    result.files.append(sheet)
    if school:
        b = result.benchmark = benchmark(data, school, cycle if cycle else None, policy)
        bench = out / f"school-{b.urn}.html"
        write_text(bench, benchmark_page(b, words))
        own = [t.to_public_dict() for c in b.comparisons for t in (c.school, c.peers)]
        bench_data = out / f"school-{b.urn}-tables.json"
        write_text(bench_data, json.dumps({"policy": policy.name, "school": b.urn, "cycle": b.cycle,
                                           "similar_schools": b.peer_description, "tables": own}, indent=1,
                                          ensure_ascii=False))
        result.files += [bench, bench_data]
    return result


def report_from_store(db: str | Path, out: str | Path, **kwargs) -> UnionReportResult:
    data = from_store(db)
    try:
        return write_report(data, out, **kwargs)
    finally:
        data.close()
