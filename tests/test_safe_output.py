"""Nothing leaked or executed, nothing lost (issue 10): every spreadsheet and CSV output neutralises
text a spreadsheet would run, every HTML output escapes the input, confidential files are marked
and kept out of governors' folders, outputs are written atomically and never over an input.

The helpers (hostile data, the checks) are in tests/output_safety.py for any new writer's tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.safe_output import CONFIDENTIAL_BANNER, OutputRefused, write_tables
from tests.support.output_safety import (
    CONTROL,
    FORMULA_PAYLOADS,
    HTML_CANARIES,
    MARKUP,
    assert_docx_escaped,
    assert_html_escaped,
    assert_no_formulas_csv,
    assert_no_formulas_xlsx,
    hostile_school,
)

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return hostile_school(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def hostile_invalid(tmp_path_factory) -> Path:
    return hostile_school(tmp_path_factory.mktemp("hostile_invalid"), invalid=True)


def test_write_tables_neutralises_values_headings_and_categories(tmp_path: Path):
    payloads = [*FORMULA_PAYLOADS, *HTML_CANARIES, MARKUP, CONTROL, "\x00nul", "-5", "plain"]
    df = pd.DataFrame({
        "text": payloads,
        "string": pd.array(payloads, dtype="string"),
        "category": pd.Categorical(payloads),
        FORMULA_PAYLOADS[0]: range(len(payloads)),  # a heading made from data
        "number": [-1.5] * len(payloads),  # numbers stay numbers
    })
    for confidential in (False, True):
        xlsx, csv_ = tmp_path / f"t{confidential}.xlsx", tmp_path / f"t{confidential}.csv"
        write_tables(xlsx, {"Sheet [1]: =x": df}, confidential=confidential)
        write_tables(csv_, {"t": df}, confidential=confidential)
        assert assert_no_formulas_xlsx(xlsx) > 5 * len(payloads)
        assert assert_no_formulas_csv(csv_) > 5 * len(payloads)
    ws = openpyxl.load_workbook(tmp_path / "tFalse.xlsx").active
    assert ws["A2"].value == "'" + FORMULA_PAYLOADS[0]  # kept, readable, inert
    assert ws["E2"].value == -1.5 and ws["E2"].data_type == "n"
    assert "\x00" not in str([c.value for row in ws.iter_rows() for c in row])  # a cell cannot hold it: replaced


@pytest.fixture(scope="module")
def outputs(hostile: Path, hostile_invalid: Path, tmp_path_factory) -> Path:
    """Every writer run once on the hostile school: validate --issues-out (xlsx, csv), check
    --exceptions-out, moderate, report (governors' HTML and Word, head's pack), dashboard, union return."""
    out = tmp_path_factory.mktemp("outputs")
    runs = [
        (["validate", str(hostile_invalid), "--issues-out", str(out / "issues.xlsx"), "--show-values"], 1),
        (["validate", str(hostile_invalid), "--issues-out", str(out / "issues.csv"), "--show-values"], 1),
        (["check", str(hostile), "--exceptions-out", str(out / "exceptions.xlsx")], 0),
        (["moderate", str(hostile), "--out", str(out / "moderation")], 0),
        (["report", str(hostile), "--out", str(out / "report"), "--no-pdf", "--no-chart-images"], 0),
        (["dashboard", str(out / "report" / "governors" / "report.json"), "--out", str(out / "dashboard.html")], 0),
    ]
    for args, code in runs:
        result = runner.invoke(app, args)
        assert result.exit_code == code, (args[0], result.output[-2000:])
        assert "\x1b" not in result.output and "Traceback" not in result.output
    try:
        from pmreport.union.export_return import export_return
    except ImportError:  # pragma: no cover - the union side is optional
        return out
    from pmreport.union.keys import new_key_file

    (out / "keys").mkdir()
    export_return(hostile, out / "union" / "return.xlsx", school_key_file=new_key_file(out / "keys" / "key.txt").path)
    return out


def test_every_spreadsheet_output_is_neutralised(outputs: Path):
    issues = openpyxl.load_workbook(outputs / "issues.xlsx").active
    values = [c.value for row in issues.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("'=HYPERLINK") for v in values), "the planted formula should be quoted back, neutralised"
    spreadsheets = sorted(outputs.rglob("*.xlsx"))
    assert {p.name for p in spreadsheets} >= {"issues.xlsx", "exceptions.xlsx", "moderation.xlsx", "head_pack.xlsx"}
    for path in spreadsheets:
        assert assert_no_formulas_xlsx(path) > 0, path
    for path in sorted(outputs.rglob("*.csv")):
        assert assert_no_formulas_csv(path) > 0, path


def test_html_and_word_outputs_escape_the_input(outputs: Path):
    """The governors' report (HTML, Word) and the dashboard, made from hostile data."""
    pages = sorted(outputs.rglob("*.html"))
    assert {p.name for p in pages} >= {"dashboard.html"} and len(pages) >= 2
    for page in pages:
        assert_html_escaped(page.read_text(encoding="utf-8"), page.name)
    docs = sorted(outputs.rglob("*.docx"))
    assert docs
    for doc in docs:
        assert_docx_escaped(doc)


def test_every_jinja_environment_autoescapes():
    for path in (ROOT / "pmreport").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"\bEnvironment\(", text):
            args = text[call.end():call.end() + 400]
            assert "autoescape=True" in args or "select_autoescape" in args, \
                f"{path.relative_to(ROOT)}: a jinja2 Environment without autoescape"
    for path in (ROOT / "pmreport").rglob("*"):
        if path.suffix in (".j2", ".html", ".jinja") or path.name.endswith(".html.j2"):
            assert "|safe" not in path.read_text(encoding="utf-8").replace(" ", ""), f"{path}: |safe on a template value"


# --------------------------------------------------------------------------- confidential outputs

def test_confidential_files_are_marked(tmp_path: Path):
    df = pd.DataFrame({"Name": ["A"], "Staff ID": ["000101"]})
    write_tables(tmp_path / "c.xlsx", {"One": df, "Two": df}, confidential=True)
    write_tables(tmp_path / "c.csv", {"One": df}, confidential=True)
    wb = openpyxl.load_workbook(tmp_path / "c.xlsx")
    assert all(ws["A1"].value == CONFIDENTIAL_BANNER for ws in wb.worksheets)
    assert (tmp_path / "c.csv").read_text(encoding="utf-8-sig").startswith("# " + CONFIDENTIAL_BANNER)


@pytest.mark.parametrize("folder", ["governors", "Governor pack", "for_governors/2025"])
def test_confidential_files_never_go_into_a_governors_folder(tmp_path: Path, folder: str):
    target = tmp_path / folder
    for name in ("named.xlsx", "named.csv"):
        with pytest.raises(OutputRefused, match="folder for governors"):
            write_tables(target / name, {"x": pd.DataFrame({"a": [1]})}, confidential=True)
    write_tables(target / "figures.xlsx", {"x": pd.DataFrame({"a": [1]})})  # not confidential: allowed
    assert sorted(p.name for p in target.rglob("*") if p.is_file()) == ["figures.xlsx"]


def test_no_command_writes_named_data_into_a_governors_folder(tmp_path: Path, hostile: Path):
    target = tmp_path / "Governors"
    for args in (["validate", str(hostile), "--issues-out", str(target / "issues.xlsx")],
                 ["check", str(hostile), "--exceptions-out", str(target / "exceptions.xlsx")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args[0], result.output)
        assert "folder for governors" in " ".join(result.output.split()) and "Traceback" not in result.output
    assert not [p for p in target.rglob("*") if p.is_file()]  # nothing written


def test_the_report_keeps_the_heads_pack_apart_even_under_a_governors_folder(tmp_path: Path, minimal_workbook: Path):
    """report --out lays out governors/ and head_confidential/ side by side: the head's folder is the head's,
    whatever the folder above is called; named data never lands in the governors' folder."""
    out = tmp_path / "Governors meetings" / "2026"
    result = runner.invoke(app, ["report", str(minimal_workbook), "--out", str(out), "--no-pdf", "--no-chart-images"])
    assert result.exit_code == 0, result.output
    assert (out / "head_confidential" / "head_pack.xlsx").is_file()
    governors = {p.name for p in (out / "governors").iterdir()}
    assert "head_pack.xlsx" not in governors and "report.json" in governors
    # the report's own governors' folder stays closed to named data, even in a head-only subfolder
    with pytest.raises(OutputRefused, match="folder for governors"):
        write_tables(out / "governors" / "head_confidential" / "x.xlsx", {"x": pd.DataFrame({"a": [1]})},
                     confidential=True)


def test_the_suggested_folder_is_accepted(tmp_path: Path):
    target = tmp_path / "Shared" / "Governor pack" / "named.xlsx"
    with pytest.raises(OutputRefused) as refused:
        write_tables(target, {"x": pd.DataFrame({"a": [1]})}, confidential=True)
    fix = refused.value.fix
    suggested = Path(fix[fix.index("example ") + len("example "):].rstrip("."))
    assert suggested == tmp_path / "Shared" / "head_confidential" / "named.xlsx"
    write_tables(suggested, {"x": pd.DataFrame({"a": [1]})}, confidential=True)
    assert suggested.is_file()


# --------------------------------------------------------------------------- inputs are never outputs

def test_an_output_never_replaces_its_input(minimal_workbook: Path, tmp_path: Path):
    before = minimal_workbook.read_bytes()
    result = runner.invoke(app, ["validate", str(minimal_workbook), "--issues-out", str(minimal_workbook)])
    assert result.exit_code == 2 and "would replace your data" in " ".join(result.output.split())
    assert minimal_workbook.read_bytes() == before


def test_no_new_csv_file_inside_a_csv_input_folder(tmp_path: Path, minimal_sheets):
    from tests.badinput.cases import csv_folder

    folder = csv_folder(tmp_path)
    names = sorted(p.name for p in folder.iterdir())
    result = runner.invoke(app, ["validate", str(folder), "--issues-out", str(folder / "issues.csv")])
    assert result.exit_code == 2 and "would be read as data next time" in " ".join(result.output.split())
    assert sorted(p.name for p in folder.iterdir()) == names


def test_a_failed_write_leaves_the_old_file_and_no_litter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import pmreport.safe_output as so

    target = tmp_path / "issues.xlsx"
    target.write_bytes(b"the previous issues list")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(so, "workbook_bytes", lambda *a, **k: b"half a workbook")
    monkeypatch.setattr(Path, "write_bytes", boom)
    from pmreport.errors import FileSystemFailed

    with pytest.raises(FileSystemFailed, match="Nothing was left half-written"):  # a plain message, exit 2
        write_tables(target, {"x": pd.DataFrame({"a": [1]})})
    monkeypatch.undo()
    assert target.read_bytes() == b"the previous issues list"
    assert [p.name for p in tmp_path.iterdir()] == ["issues.xlsx"]


#: Files under pmreport/ that write files other than through pmreport.safe_output, and why that is
#: acceptable. A new writer must use safe_output (atomic_path, write_text, write_tables,
#: save_workbook) or be added here with its reason; docs/reliability.md lists the open ones.
WRITERS_ALLOWED = {
    "pmreport/safe_output.py": "the implementation of atomic writing",
    "pmreport/report/writer.py": "writes into a fresh staging folder, then moves each file with os.replace (atomic)",
    "pmreport/report/docx.py": "writes into report/writer.py's staging folder",
    "pmreport/union/keys.py": "creates a new key file with O_EXCL: it never replaces anything",
    "pmreport/docs_gen.py": "developer tool: regenerates the repository's docs",
    "pmreport/compliance/docs.py": "developer tool: regenerates docs/rules.md",
    "pmreport/samples.py": "developer tool: rebuilds pmreport/sample_data/ (expected.json files not atomic)",
    "pmreport/synth/workbook_writer.py": "OPEN: synthetic workbook, CSV and truth files written in place (not atomic)",
    "pmreport/template.py": "OPEN: `pmreport template` writes the blank workbook in place (not atomic)",
    "pmreport/union/cohort.py": "OPEN: synthetic cohort truth file written in place",
    "pmreport/union/ingest/parquet.py": "OPEN: DuckDB COPY ... TO parquet writes in place",
}
RAW_WRITE = re.compile(r"\.save\(|\.write_text\(|\.write_bytes\(|\.to_csv\([^)]|\.to_excel\(|\.to_parquet\(|\bCOPY\b.*\bTO\b"
                       r"|open\([^)]*[\"'][wax]b?\+?[\"']|os\.fdopen\([^)]*[\"']w|os\.replace\(|shutil\.(?:copy|move)")


def test_every_writer_goes_through_safe_output():
    offenders = {}
    for path in sorted((ROOT / "pmreport").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        lines = [f"{i}: {ln.strip()}" for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if RAW_WRITE.search(ln) and not ln.strip().startswith("#")]
        if lines and rel not in WRITERS_ALLOWED:
            offenders[rel] = lines
    assert not offenders, f"files written without pmreport.safe_output: {offenders}"
