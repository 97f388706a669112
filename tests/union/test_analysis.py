"""The union's analyses: planted cross-school patterns found, every published figure gated, no canary leaks."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pytest
from scipy.stats import chi2_contingency

from pmreport.disclosure import UNION_POLICY, audit
from pmreport.union.analysis import queries as q
from pmreport.union.analysis.figures import BY_WORDS, equality_rows_for, pay_microdata, person_microdata
from pmreport.union.analysis.models import glm_school_effects, mantel_haenszel
from pmreport.union.analysis.source import from_store
from pmreport.union.analysis.union_report import write_report
from pmreport.union.analysis.views import CHARACTERISTICS
from pmreport.union.cohort import Patterns, make_cohort
from pmreport.union.ingest import export_parquet, ingest

CANARY_NAME = "Zebedee CANARYNAME Quux"
CANARY_TEXT = "CANARY-FREE-TEXT reviewee asked that this stays private"
CANARY_LA = "Canarytown Borough"


@pytest.fixture(scope="module")
def forty(tmp_path_factory):
    """40 invented schools, one cycle, with the default patterns planted."""
    out = tmp_path_factory.mktemp("forty")
    cohort = make_cohort(40, out / "returns", cycles=1, workers=1, seed=7)
    ingest(out / "returns", out / "u.duckdb", workers=2)
    data = from_store(out / "u.duckdb")
    yield data, cohort.truth
    data.close()


def test_part_time_staff_progress_less_across_schools(forty):
    data, truth = forty
    counts = q.pay_counts(data.people, "working_pattern")
    mh = mantel_haenszel(counts, "working_pattern", ["part_time"], ["full_time"])
    assert mh is not None and mh.high < 1.0, mh  # a clear gap, in the direction planted
    assert 0.25 < mh.odds_ratio < 0.85  # planted: 0.5
    glm = glm_school_effects(counts, "working_pattern", ["part_time"], ["full_time"])
    assert glm is not None and abs(glm.odds_ratio - mh.odds_ratio) / mh.odds_ratio < 0.1
    # no gap was planted by sex: the interval includes 1
    sex = mantel_haenszel(q.pay_counts(data.people, "sex"), "sex", ["female"], ["male"])
    assert sex is not None and sex.low < 1 < sex.high


def test_one_local_authority_misses_deadlines_more(forty):
    data, truth = forty
    late_la = truth["patterns"]["late_la"]
    schools = q.school_indicators(data.people)
    schools["late"] = schools["local_authority"] == late_la
    by = schools.groupby("late")[["deadline_met", "deadline_breached"]].sum()
    rate = by["deadline_breached"] / (by["deadline_met"] + by["deadline_breached"])
    assert len(truth["late_la_schools"]) >= 3
    assert rate[True] > 3 * rate[False]
    assert chi2_contingency(by.to_numpy()).pvalue < 0.001
    per_la = q.rule_counts(data.people, by=("cycle", "local_authority"))
    deadline = per_la[per_la["rule"] == "deadline"].set_index("local_authority")
    share = deadline["breached"] / (deadline["met"] + deadline["breached"])
    assert share.idxmax() == late_la


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    """Ten schools over two cycles, with canaries planted in two returns."""
    out = tmp_path_factory.mktemp("small")
    cohort = make_cohort(9, out / "returns", cycles=2, workers=1, seed=5,
                         patterns=Patterns(late_la="Kent"))
    files = [Path(f) for f in cohort.files]
    # 1. a name in a column the return does not have, and free text: loaded, but the column is ignored
    wb = openpyxl.load_workbook(files[0])
    ws = wb["people"]
    ws.cell(row=1, column=ws.max_column + 1, value="notes")
    ws.cell(row=2, column=ws.max_column, value=CANARY_TEXT)
    ws.cell(row=3, column=ws.max_column, value=CANARY_NAME)
    wb["school"].cell(row=2, column=3, value=CANARY_LA)
    wb.save(files[0])
    # 2. a name where a code belongs: the return is refused
    wb = openpyxl.load_workbook(files[1])
    wb["people"].cell(row=4, column=4, value=CANARY_NAME)
    wb.save(files[1])
    summary = ingest(out / "returns", out / "u.duckdb", workers=1)
    assert summary.files_loaded == 17 and len(summary.rejections) == 1
    data = from_store(out / "u.duckdb")
    school = sorted(data.schools.to_pandas()["urn"])[2]
    report = write_report(data, out / "report", school=school)
    yield out, data, report
    data.close()


def test_union_report_every_figure_gated_and_no_canary_leaks(small_store, tmp_path):
    """One report (so that the costly part runs once): gate and audit, benchmark, canaries."""
    out, data, report = small_store
    # 1. every published figure passed the gate under the union policy, and the audit
    result = report.figures
    assert result.audits and all(a.passed for a in result.audits)
    assert {f.table.policy for f in result.figures} == {"union"}
    published = 0
    for f in result.figures:
        for row in f.table.to_public_dict()["rows"]:
            for column, cell in zip(f.table.columns, row["cells"], strict=True):
                value = cell.get("value")
                if column.kind == "count" and isinstance(value, int):
                    published += 1
                    assert value == 0 or (value >= 10 and value % 5 == 0), (f.table.title, row["label"], value)
                if column.kind == "size" and isinstance(value, int):
                    assert value % 5 == 0  # group sizes are taken as known to the reader, but still rounded
                if column.kind == "percent" and isinstance(value, int | float):
                    size = next(c.get("value") for col, c in zip(f.table.columns, row["cells"], strict=True)
                                if col.kind == "size")
                    # to 5 points; to whole points only for 500 people or more (sizes are rounded to 5)
                    assert value % 5 == 0 or (isinstance(size, int) and size >= 500), (f.table.title, value, size)
    assert published > 50
    md = person_microdata(q.microdata_frame(data.people, result.cycles))  # attack them all again, from scratch
    assert audit([f.table for f in result.figures if f.section not in ("spread", "pay")], md, UNION_POLICY).passed
    schools = data.schools.to_pandas()
    pay = result.section("pay")
    assert len(pay) == len(CHARACTERISTICS) + 2  # and sex within part-time and within full-time staff
    for f in pay:  # each from its equality tables
        by = next(b for b in CHARACTERISTICS if f"by {BY_WORDS[b]}," in f.table.title)
        rows = equality_rows_for(data, by, [result.cycle], schools)
        assert audit([f.table], pay_microdata(rows, by), UNION_POLICY).passed
    for f in result.section("pay"):  # odds ratios only beside published groups
        if f.extra is not None and not f.extra.empty:
            for group in f.extra["Group"]:
                assert all(c.published for c in f.table.cells[f.table.row_labels.index(group)])
    # intervals allowing for schools: for published percentages only, each holding its published percentage, its
    # ends on the percentage's own rounding step
    with_intervals = [f for f in result.figures if f.intervals is not None and not f.intervals.empty]
    assert {f.section for f in with_intervals} >= {"pay", "workload", "trends"}
    for f in with_intervals:
        rows = {r["label"]: r["cells"] for r in f.table.to_public_dict()["rows"]}
        for label, low, high in f.intervals[["Group", "95% interval from (%)", "95% interval to (%)"]].itertuples(
                index=False):
            cells = dict(zip([c.kind for c in f.table.columns], rows[label], strict=True))
            percent, size = cells["percent"]["value"], cells["size"]["value"]
            assert isinstance(percent, int | float) and low <= percent <= high, (f.table.title, label)
            if size < 495:  # below 500 people (sizes are rounded to 5) the ends are on 5-point steps
                assert low % 5 == 0 and high % 5 == 0, (f.table.title, label, low, high)
    # 2. the benchmark: similar schools under the union policy, the school under the one-school variant
    b = report.benchmark
    assert b.peer_count >= 5 and b.urn not in b.peer_description and all(a.passed for a in b.audits)
    assert {c.peers.policy for c in b.comparisons} == {"union"}
    assert {c.school.policy for c in b.comparisons} == {"union, one school"}
    assert [p.name for p in report.files if p.parent.name != "csv"] == [
        "union-report.html", "union-tables.json", "union-dashboard.html", "union-tables.xlsx", f"school-{b.urn}.html",
        f"school-{b.urn}-tables.json"]
    # 3. no canary reaches any output: the report, the tables, the store, the Parquet dataset
    export_parquet(out / "u.duckdb", tmp_path / "parquet")
    texts = [p.read_text(encoding="utf-8") for p in report.files if p.suffix != ".xlsx"]
    sheets = openpyxl.load_workbook(out / "report" / "union-tables.xlsx")
    texts.append(" ".join(str(v) for ws in sheets for row in ws.iter_rows(values_only=True) for v in row if v))
    assert "<table>" in texts[0] and "plotly" in texts[0].lower()
    for text in texts:
        assert CANARY_NAME not in text and "CANARY" not in text.upper()
        assert CANARY_LA not in text  # an authority with fewer than 5 schools is never named
    con = duckdb.connect(str(out / "u.duckdb"), read_only=True)
    for table in ("people", "schools", "compliance", "returns", "ingest_rejections"):
        dump = " ".join(map(str, con.execute(f"SELECT * FROM {table}").fetchall()))
        assert "CANARY" not in dump.upper().replace("CANARYTOWN", "")
    con.close()
    for path in (tmp_path / "parquet").rglob("*.parquet"):
        assert b"CANARYNAME" not in path.read_bytes() and b"CANARY-FREE" not in path.read_bytes()


def test_union_dashboard_is_made_from_the_published_tables_alone(small_store) -> None:
    """union-dashboard.html, written by the report beside union-tables.json, embeds exactly that file's content:
    no school's URN, no return's id, no person's key and no canary reaches it."""
    import json
    import re

    out, data, report = small_store
    page = out / "report" / "union-dashboard.html"
    assert page in report.files
    html = page.read_text(encoding="utf-8")
    embedded = re.search(r'<script type="application/json" id="union-data">(.*?)</script>', html, re.S).group(1)
    published = json.loads((out / "report" / "union-tables.json").read_text(encoding="utf-8"))
    assert json.loads(embedded) == published
    # everything in the page but plotly's own library: no identifier from the store
    ours = re.sub(r"<script>.*?</script>", "", html, flags=re.S)
    people = data.con.con.execute("SELECT DISTINCT urn, return_id, person FROM people").fetchall()
    assert people
    for value in {v for row in people for v in row}:
        assert str(value) not in ours
    for canary in (CANARY_NAME, CANARY_TEXT, CANARY_LA):
        assert canary not in html
