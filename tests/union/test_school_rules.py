"""The union policy's school rules on every figure, the default cycle and the coverage (issue 23, item 5).

The store is built here: four primary schools and one special school in 2024/25, and a single early
return for 2025/26. The special school's own figures must never appear as "special schools'" figures.
"""

from __future__ import annotations

import pytest

from pmreport.disclosure import UNION_POLICY
from pmreport.union.analysis.figures import union_figures
from pmreport.union.analysis.source import from_store
from pmreport.union.analysis.union_report import write_report
from pmreport.union.cohort import Patterns, made_at, quick_people
from pmreport.union.export_return import build_return, write_return
from pmreport.union.ingest import ingest

#: (urn, phase, staff, cycles)
SCHOOLS = (("9600001", "primary", 40, ("2024/25",)), ("9600002", "primary", 45, ("2024/25",)),
           ("9600003", "primary", 38, ("2024/25",)), ("9600004", "primary", 42, ("2024/25", "2025/26")),
           ("9600005", "special", 60, ("2024/25",)))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    out = tmp_path_factory.mktemp("school-rules")
    for i, (urn, phase, staff, cycles) in enumerate(SCHOOLS):
        profile = {"index": 700 + i, "urn": urn, "phase": phase, "n": staff, "effect": 0.0, "late": 0.1,
                   "local_authority": "Kent"}
        for y, cycle in enumerate(cycles):
            people, compliance = quick_people(profile, cycle, y, 31, Patterns())
            ret = build_return(people, {"urn": urn, "phase": phase, "local_authority": "Kent", "cycle": cycle},
                               compliance, made_at=made_at(cycle))
            write_return(ret, out / "returns" / f"{urn}-{cycle.replace('/', '-')}.xlsx")
    summary = ingest(out / "returns", out / "u.duckdb", workers=1)
    assert summary.files_loaded == 6
    data = from_store(out / "u.duckdb")
    yield out, data, union_figures(data)
    data.close()


def test_the_default_cycle_is_the_latest_with_enough_schools(store):
    out, data, result = store
    assert result.cycle == "2024/25" and result.withheld is None  # 2025/26 has one school's return only
    per = result.coverage.per_cycle.set_index("Cycle")
    assert per.loc["2024/25", "Schools"] == 5 and per.loc["2025/26", "Schools"] == 1
    assert per.loc["2025/26", "Figures published?"].startswith("no")
    phases = result.coverage.by_phase.set_index("Phase")
    assert phases.loc["Primary", "Schools"] == 4 and phases.loc["Special", "Schools"] == 1
    assert phases.loc["Special", "Staff"] == "[c]"  # one school's staff is that school's figure
    assert phases.loc["Primary", "Staff"] == f"{5 * round((40 + 45 + 38 + 42) / 5):,}"


def test_asking_for_a_cycle_with_one_school_publishes_nothing_and_says_why(store, tmp_path):
    out, data, _ = store
    report = write_report(data, tmp_path / "early", cycle="2025/26")
    assert report.tables == 0 and report.withheld and "fewer than 3 schools" in report.withheld
    page = (tmp_path / "early" / "union-report.html").read_text(encoding="utf-8")
    assert "Who these figures cover" in page and "fewer than 3 schools" in page


def test_one_school_of_a_phase_publishes_no_average_or_rate_for_that_phase(store):
    out, data, result = store
    checked = 0
    for f in result.figures:
        table = f.table
        for label, cells in zip(table.row_labels, table.cells, strict=True):
            if "special" not in label.lower():
                continue
            for column, cell in zip(table.columns, cells, strict=True):
                if column.kind in ("mean", "percent", "count"):
                    checked += 1
                    assert not cell.published, (table.title, label, column.label, cell.value)
    assert checked > 0  # the phase tables do list special schools, with every figure hidden


def test_every_published_average_stands_on_three_schools_none_over_half(store):
    """Recomputed here from the store: the people behind each published average of a phase row."""
    out, data, result = store
    people = data.people.to_pandas()
    people = people[people["cycle"] == result.cycle]
    for f in result.figures:
        kinds = [c.kind for c in f.table.columns]
        if "mean" not in kinds or not f.table.row_labels:
            continue
        mean_at = kinds.index("mean")
        for label, cells in zip(f.table.row_labels, f.table.cells, strict=True):
            if not cells[mean_at].published:
                continue
            phase = label.lower().split()[0]
            rows = people if phase == "all" else people[people["phase"] == phase]
            rows = rows[rows["in_scope"] == "yes"]
            if "observation" in f.table.title.lower():
                rows = rows[(rows["role_group"] != "support") & (rows["pm_observation_minutes"].astype(int) > 0)]
            share = rows["urn"].value_counts(normalize=True)
            assert len(share) >= UNION_POLICY.min_units_per_cell and share.max() <= UNION_POLICY.max_unit_share, (
                f.table.title, label)


def test_school_output_goes_to_its_own_file(store, tmp_path):
    out, data, _ = store
    report = write_report(data, tmp_path / "r", school="9600001", cycle="2024/25")
    names = sorted(p.name for p in report.files if p.parent.name != "csv")
    assert names == ["school-9600001-tables.json", "school-9600001.html", "union-dashboard.html", "union-report.html",
                     "union-tables.json", "union-tables.xlsx"]
    national = (tmp_path / "r" / "union-tables.json").read_text(encoding="utf-8")
    assert "9600001" not in national and "similar schools" not in national.lower()
    own = (tmp_path / "r" / "school-9600001-tables.json").read_text(encoding="utf-8")
    assert '"school": "9600001"' in own



def test_every_published_table_is_also_a_csv_file_and_a_sheet(store, tmp_path):
    import csv

    import openpyxl

    out, data, _ = store
    report = write_report(data, tmp_path / "p", cycle="2024/25")
    files = sorted((tmp_path / "p" / "csv").glob("*.csv"))
    wb = openpyxl.load_workbook(tmp_path / "p" / "union-tables.xlsx")
    assert wb.sheetnames[:2] == ["Cover_sheet", "Notes"] and len(wb.sheetnames) == 2 + len(files)
    assert len(files) >= report.tables + 3  # every gated table, the coverage tables, and the gaps beside tables
    for name in wb.sheetnames[2:]:
        ws = wb[name]
        assert ws["A1"].value and len(ws.tables) == 1 and not ws.merged_cells.ranges
    links = [c.hyperlink.location if c.hyperlink.location else c.hyperlink.target for c in wb["Cover_sheet"]["A"]
             if c.hyperlink]
    assert len(links) == len(files)
    with files[1].open(encoding="utf-8") as handle:  # schools and staff by phase, worked out by hand
        rows = {r[0]: r[1:] for r in csv.reader(handle)}
    assert rows["Phase"] == ["Schools", "Staff"]
    assert rows["Primary"] == ["4", f"{5 * round((40 + 45 + 38 + 42) / 5)}"] and rows["Special"] == ["1", "[c]"]
    public = json_tables(tmp_path / "p" / "union-tables.json")
    sheet_titles = {wb[n]["A1"].value for n in wb.sheetnames[2:]}
    assert {t["title"] for t in public} <= sheet_titles


def json_tables(path):
    import json

    return json.loads(path.read_text(encoding="utf-8"))["tables"]


def test_report_for_one_local_authority_through_the_command(store, tmp_path):
    from typer.testing import CliRunner

    from pmreport.cli import app

    out, data, _ = store
    runner = CliRunner()
    kept = runner.invoke(app, ["union", "report", "--db", str(out / "u.duckdb"), "--out", str(tmp_path / "kent"),
                               "--la", "kent"])
    assert kept.exit_code == 0, kept.output
    assert "from 5 schools' returns" in kept.output and "CSV files, one a table" in kept.output
    page = (tmp_path / "kent" / "union-report.html").read_text(encoding="utf-8")
    assert "across schools in Kent" in page and "Who these figures cover" in page
    assert '"modeBarButtons":[["toImage"]]' in page.replace(" ", "") and '"scrollZoom":false' in page.replace(" ", "")
    unknown = runner.invoke(app, ["union", "report", "--db", str(out / "u.duckdb"), "--out", str(tmp_path / "x"),
                                  "--la", "Nowhere"])
    assert unknown.exit_code == 2 and "no return from a school in the local authority" in unknown.output
    assert "Traceback" not in unknown.output


def test_report_for_one_region_through_the_command(store, tmp_path):
    from typer.testing import CliRunner

    from pmreport.cli import app
    from pmreport.union.regions import region_of, regions

    out, data, _ = store
    assert len(regions()) == 9 and region_of("kent") == region_of("886") == "South East"
    assert region_of("Bristol, City of") == "South West" and region_of("Atlantis") is None
    runner = CliRunner()
    db = str(out / "u.duckdb")
    kept = runner.invoke(app, ["union", "report", "--db", db, "--out", str(tmp_path / "se"), "--region", "south east"])
    assert kept.exit_code == 0, kept.output
    assert "from 5 schools' returns" in kept.output
    page = (tmp_path / "se" / "union-report.html").read_text(encoding="utf-8")
    assert "across schools in South East" in page and "Schools and staff by region" in page
    assert json_tables(tmp_path / "se" / "union-tables.json") and '"region": "South East"' in (
        tmp_path / "se" / "union-tables.json").read_text(encoding="utf-8")
    for args, words in ((["--region", "Atlantis"], "is not one of England's regions"),
                        (["--region", "North East"], "no return from a school in North East"),
                        (["--region", "South East", "--la", "Kent"], "not both")):
        refused = runner.invoke(app, ["union", "report", "--db", db, "--out", str(tmp_path / "x"), *args])
        assert refused.exit_code == 2 and words in refused.output, refused.output
        assert "Traceback" not in refused.output
