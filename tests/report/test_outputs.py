"""The written report: files where they belong, nothing identifying in any of them, offline and
accessible HTML, the same bytes for the same input, and nothing written when the audit fails."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.disclosure import AuditResult, DisclosureGate
from pmreport.errors import DisclosureRisk
from pmreport.jobs import write_governors_report
from pmreport.report.fit import DOCX_WIDTH_EM, nothing_to_show, split_for_page
from pmreport.report.html import render_html
from pmreport.synth import generate
from tests.support.leaks import forbidden_strings, leaks

TODAY = dt.date(2031, 1, 15)
GOVERNOR_FILES = {"governors_report.html", "governors_report.pdf", "governors_report.docx", "report.json",
                  "dashboard.html"}


class Page(HTMLParser):
    """What the tests need from the HTML: headings, resource references, and charts beside tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.references: list[str] = []
        self.blocks: list[dict[str, int]] = []  # per <article>: charts and tables inside it
        self.charts_outside = 0
        self._in_style = False
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        for name in ("src", "href", "data", "poster", "srcset", "action"):
            if a.get(name):
                self.references.append(a[name])
        if tag == "link":
            self.references.append(a.get("href") or "<link>")
        if tag == "article":
            self.blocks.append({"charts": 0, "tables": 0})
        if tag == "figure" and "chart" in (a.get("class") or ""):
            if self.blocks:
                self.blocks[-1]["charts"] += 1
            else:
                self.charts_outside += 1
        if tag == "table" and self.blocks:
            self.blocks[-1]["tables"] += 1
        self._in_style = tag == "style"
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._in_style = self._in_script = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)
        elif not self._in_script:
            self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def without_plotly_library(html: str) -> str:
    """The page minus the inlined plotly.js library (third-party code, identical in every report)."""
    from plotly.offline import get_plotlyjs

    return html.replace(get_plotlyjs(), "")


def loaded_in_browser(html: Path) -> tuple[list[str], list[str], int] | None:
    """Open the page in headless chromium (Playwright): requests made, console errors, charts drawn."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path("/usr/bin/chromium").exists():
        return None
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                          "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(html.resolve().as_uri())
        page.wait_for_load_state("load")
        plots = page.evaluate("document.querySelectorAll('.js-plotly-plot .main-svg').length ? "
                              "document.querySelectorAll('.js-plotly-plot').length : 0")
        browser.close()
    return requests, errors, plots


@pytest.fixture(scope="module")
def canary_school():
    return generate("primary", seed=11, n_staff=25, cycles=3, canaries=True)


def test_full_report_is_anonymous_offline_accessible_and_in_the_right_folders(tmp_path, canary_school):
    """The one test that prints the PDF (and draws the Word charts)."""
    done = write_governors_report(canary_school.data, tmp_path, as_of=TODAY)
    gov, head = tmp_path / "governors", tmp_path / "head_confidential"
    names = {p.name for p in gov.iterdir()}
    pdf_made = shutil.which("chromium") is not None or Path("/usr/bin/chromium").exists()
    assert names == (GOVERNOR_FILES if pdf_made else GOVERNOR_FILES - {"governors_report.pdf"})
    # confidential files never sit with governors': the head's pack, and the record of what was published
    assert sorted(p.name for p in head.iterdir()) == ["head_pack.xlsx", "published"]
    assert [p.suffix for p in (head / "published").iterdir()] == [".json"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".pmreport")]  # no staging left behind
    assert done.audit["passed"] and set(done.governors) == names

    forbidden = forbidden_strings(canary_school, TODAY)
    html = (gov / "governors_report.html").read_text(encoding="utf-8")
    report_text = (gov / "report.json").read_text(encoding="utf-8")
    assert leaks(report_text, forbidden) == []
    assert leaks(without_plotly_library(html), forbidden) == []
    assert leaks(docx_text(gov / "governors_report.docx"), forbidden) == []
    assert leaks(without_plotly_library((gov / "dashboard.html").read_text(encoding="utf-8")), forbidden) == []

    # Offline: plotly.js inlined once, nothing fetched (no src/href to the web, no web fonts, no @import).
    page = parse(html)
    from plotly.offline import get_plotlyjs

    assert html.count(get_plotlyjs()) == 1
    assert [r for r in page.references if r.startswith(("http:", "https:", "//"))] == []
    assert all(r.startswith("#") for r in page.references)  # only links within the page
    style = "\n".join(page.styles)
    assert "@import" not in style and "url(" not in style and "@font-face" not in style
    assert "cdn.plot.ly" not in without_plotly_library(html)

    # Accessible: one h1, then headings that never skip a level; every chart has its table beside it.
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    assert page.charts_outside == 0
    charted = [b for b in page.blocks if b["charts"]]
    assert charted and all(b["tables"] >= 1 for b in charted)
    assert 'lang="en-GB"' in html and "#E69F00" in html  # Okabe-Ito palette
    assert "html, body { height: auto !important; }" in html and ".modebar-container { display: none" in html
    assert "break-before: page" in html

    # In a browser: every chart draws, nothing is fetched, no script errors.
    browser = loaded_in_browser(gov / "governors_report.html")
    if browser is not None:
        requests, errors, plots = browser
        assert [r for r in requests if not r.startswith("file:")] == [] and errors == []
        assert plots == sum(1 for s in json.loads(report_text)["sections"] for t in s["tables"]
                            if t["chart"]["type"] != "none" and not nothing_to_show(t))

    # Word: headings, the same tables, a native Word chart for every charted table (no browser needed).
    from docx import Document

    doc = Document(str(gov / "governors_report.docx"))
    report = json.loads(report_text)
    tables = [t for s in report["sections"] for t in s["tables"] if not nothing_to_show(t)]
    parts = sum(len(split_for_page(t, DOCX_WIDTH_EM)) for t in tables)  # a wide table is split into parts
    assert len(doc.tables) == parts + 1  # + the symbols table
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert [s["heading"] for s in report["sections"]] == [h for h in headings if h[:2] in ("1.", "2.", "3.", "4.", "5.", "6.")]
    with zipfile.ZipFile(gov / "governors_report.docx") as z:
        charts = [n for n in z.namelist() if n.startswith("word/charts/chart")]
        assert not [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(charts) == sum(1 for t in tables if t["chart"]["type"] != "none") > 0

    # The head's pack: CONFIDENTIAL on every sheet.
    wb = openpyxl.load_workbook(head / "head_pack.xlsx")
    assert {"About", "Named exceptions", "Equality detail"} <= set(wb.sheetnames)
    for ws in wb:
        assert str(ws["A1"].value).startswith("CONFIDENTIAL")

    # The PDF's text (printed by chromium from the same HTML).
    if not pdf_made:
        pytest.skip("chromium is not installed: no PDF was printed, so its text was not checked")
    pdf = gov / "governors_report.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: every other output was checked, the PDF's text was not")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert report["title"] in " ".join(text.split())
    assert leaks(text, forbidden) == []


def test_same_input_gives_the_same_report_apart_from_the_date(tmp_path):
    data = generate("primary", seed=12, n_staff=22, cycles=2).data  # two runs: two random salts for the gate's keys
    first = write_governors_report(data, tmp_path / "a", pdf=False, images=False, as_of=dt.date(2031, 1, 15))
    second = write_governors_report(data, tmp_path / "b", pdf=False, images=False, as_of=dt.date(2032, 6, 2))
    a, b = first.governors, second.governors
    json_a, json_b = a["report.json"].read_bytes(), b["report.json"].read_bytes()
    assert json_a != json_b  # the date differs ...
    assert json_a.replace(b"15 January 2031", b"2 June 2032") == json_b  # ... and nothing else
    html_a = a["governors_report.html"].read_text(encoding="utf-8")
    html_b = b["governors_report.html"].read_text(encoding="utf-8")
    assert html_a.replace("15 January 2031", "2 June 2032") == html_b


def _failing_audit(self):
    return AuditResult(passed=False, findings=(), ranges=(), tables=len(self.tables), figures=0, hidden=0)


def test_a_failed_audit_writes_no_governor_files(tmp_path, monkeypatch):
    school = generate("primary", seed=5, n_staff=8, cycles=1)
    monkeypatch.setattr(DisclosureGate, "audit", _failing_audit)
    monkeypatch.setattr(DisclosureGate, "check", _failing_audit)  # the verdict publish() asks for first
    with pytest.raises(DisclosureRisk):
        write_governors_report(school.data, tmp_path / "out", pdf=False, images=False)
    assert not (tmp_path / "out" / "governors").exists()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*"))


def test_strings_from_the_data_are_escaped(tmp_path):
    school = generate("primary", seed=6, n_staff=8, cycles=1)
    for row in school.records["school"]:
        row["school_name"] = '<script>alert("x")</script> & <b>Co</b>'
        row["local_authority"] = "<img src=x onerror=alert(1)>"
    done = write_governors_report(school.data_for("school.xlsx"), tmp_path, pdf=False, images=False)
    html = done.governors["governors_report.html"].read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Co</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;" in html
    assert render_html(done.report) == html


def test_without_a_browser_only_the_pdf_is_skipped_with_a_warning(tmp_path, monkeypatch):
    """The Word charts need no browser: without one they are still there, and the warning says how to get a PDF."""
    import pmreport.report.writer as writer

    monkeypatch.setattr(writer, "find_chromium", lambda: None)
    school = generate("primary", seed=7, n_staff=12, cycles=1)
    warnings: list[str] = []
    done = write_governors_report(school.data, tmp_path, warn=warnings.append)
    assert set(done.governors) == GOVERNOR_FILES - {"governors_report.pdf"}
    assert any("no Chrome, Chromium or Edge browser was found" in w and "print it to PDF" in w for w in warnings)
    assert not any("chart" in w for w in warnings)
    charted = sum(1 for s in done.report["sections"] for t in s["tables"]
                  if t["chart"]["type"] != "none" and not nothing_to_show(t))  # a table with nothing to show is a sentence
    with zipfile.ZipFile(done.governors["governors_report.docx"]) as z:
        assert len([n for n in z.namelist() if n.startswith("word/charts/chart")]) == charted > 0
    assert "Charts are not included in this document" not in docx_text(done.governors["governors_report.docx"])


def _workbook_with_a_bad_row(tmp_path: Path) -> Path:
    path = generate("primary", seed=9, n_staff=15, cycles=1).write_xlsx(tmp_path / "school.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["reviews"]
    header = [c.value for c in ws[1]]
    ws.cell(row=3, column=header.index("assessment") + 1, value="brilliant")  # not a code: the row is set aside
    wb.save(path)
    return path


def test_cli_report_warns_about_rows_set_aside_writes_the_report_and_exits_1(tmp_path):
    path = _workbook_with_a_bad_row(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", str(path), "--out", str(out), "--no-pdf", "--no-chart-images"])
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    assert "set aside and are not in this report" in text
    assert "Disclosure audit passed" in text
    assert "governors_report.html" in text and "head_pack.xlsx" in text
    for name in ("report.json", "governors_report.html", "governors_report.docx"):
        assert (out / "governors" / name).exists()
    assert (out / "head_confidential" / "head_pack.xlsx").exists()


def test_cli_audit_failure_exits_1_and_writes_nothing(tmp_path, monkeypatch):
    path = generate("primary", seed=10, n_staff=8, cycles=1).write_xlsx(tmp_path / "school.xlsx")
    monkeypatch.setattr(DisclosureGate, "audit", _failing_audit)
    monkeypatch.setattr(DisclosureGate, "check", _failing_audit)  # the verdict publish() asks for first
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", str(path), "--out", str(out), "--no-pdf"])
    assert result.exit_code == 1
    assert "Disclosure audit FAILED" in result.output and "Traceback" not in result.output
    assert not (out / "governors").exists()


def test_no_dashboard_writes_none_and_removes_an_older_one(tmp_path):
    """--no-dashboard: no dashboard.html, and one left from an earlier report (which would not match) is removed."""
    school = generate("primary", seed=7, n_staff=8, cycles=1)  # a small school: the files are the point
    first = write_governors_report(school.data, tmp_path, pdf=False, images=False)
    assert first.governors["dashboard.html"].exists()
    second = write_governors_report(school.data, tmp_path, pdf=False, images=False, dashboard=False)
    assert "dashboard.html" not in second.governors
    assert not (tmp_path / "governors" / "dashboard.html").exists()


def test_a_school_sheet_without_urn_name_phase_or_local_authority_still_gives_the_report(tmp_path):
    """Issue 16: the school's identity columns are the union return's, not the report's, and the cycle's dates
    default to the policy's (1 September to 31 August). A head's own key/value "School Details" sheet with only the
    academic year (no URN, name, phase, local authority or dates) gives the whole report, with no empty line where
    the school's name would be."""
    from docx import Document

    from tests.support.mutations import with_school_details

    school = generate("primary", seed=7, n_staff=8, cycles=1)
    cycle = school.data.cycles[-1]
    path = with_school_details(school.write_xlsx(tmp_path / "school.xlsx"), tmp_path / "details.xlsx",
                               [("Academic Year", cycle)])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", str(path), "--out", str(out), "--no-pdf", "--no-chart-images"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "governors" / "report.json").read_text(encoding="utf-8"))
    assert report["school"] == {"name": "", "phase": "", "local_authority": ""}
    assert report["draft"] is None and report["cycle"] == cycle
    html = (out / "governors" / "governors_report.html").read_text(encoding="utf-8")
    assert '<p class="meta"></p>' not in html and "nan" not in html.split("<main")[0].lower().split("<style")[0]
    paragraphs = [p.text for p in Document(str(out / "governors" / "governors_report.docx")).paragraphs[:6]]
    assert "" not in paragraphs[1:3] and not any("<NA>" in p or "nan," in p for p in paragraphs)

