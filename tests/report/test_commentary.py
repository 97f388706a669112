"""The head's own commentary and planned actions on the summary page: from the workbook's optional
commentary sheet or from ``--commentary FILE.md``; bad input stops with the place and the fix; the text
is shown as plain text; nothing from the staff records' free text is used."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.errors import InputUnusable
from pmreport.report.commentary import CommentaryEntry, commentary_block, from_markdown, from_workbook, with_commentary
from pmreport.samples import SAMPLE_DIR

runner = CliRunner()
SECTIONS = [{"id": "operation", "heading": "1. How the policy operated"},
            {"id": "development", "heading": "4. Training and development"}]

MARKDOWN = """This year went well overall.
It was a busy year.

## Operation
Two meetings were late.

- Book planning meetings before half term.
* Remind reviewers of the notice rule <b>now</b>.

## Training and development
- Ring-fence the training budget.
"""


def test_markdown_paragraphs_are_commentary_and_list_lines_are_actions(tmp_path):
    path = tmp_path / "c.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    assert from_markdown(path) == [
        CommentaryEntry("general", "commentary", "This year went well overall. It was a busy year."),
        CommentaryEntry("operation", "commentary", "Two meetings were late."),
        CommentaryEntry("operation", "action", "Book planning meetings before half term."),
        CommentaryEntry("operation", "action", "Remind reviewers of the notice rule <b>now</b>."),
        CommentaryEntry("development", "action", "Ring-fence the training budget."),
    ]


def test_commentary_is_grouped_in_the_reports_order_general_first():
    entries = [CommentaryEntry("development", "action", "D1"), CommentaryEntry("operation", "commentary", "O1"),
               CommentaryEntry("general", "commentary", "G1"), CommentaryEntry("operation", "action", "O2"),
               CommentaryEntry("operation", "commentary", "old", cycle="2024/25")]
    assert commentary_block(entries, SECTIONS, "2025/26") == [
        {"section": "general", "heading": "The headteacher's commentary", "commentary": ["G1"], "actions": []},
        {"section": "operation", "heading": "1. How the policy operated", "commentary": ["O1"], "actions": ["O2"]},
        {"section": "development", "heading": "4. Training and development", "commentary": [], "actions": ["D1"]},
    ]
    report = {"cycle": "2025/26", "summary": [], "sections": SECTIONS, "method": ""}
    assert list(with_commentary(report, entries)) == ["cycle", "summary", "commentary", "sections", "method"]
    assert with_commentary(report, []) is report  # no key at all when the head gave none


@pytest.mark.parametrize(("text", "message"), [
    ("## Staffing\nSomething.\n", "line 1: the heading 'Staffing' is not a section of the report"),
    ("## Operation\n" + "word " * 500 + "\n", "the paragraph ending on line 2 is 2,499 characters long"),
    ("- " + "x" * 2001 + "\n", "line 1 is 2,001 characters long"),
])
def test_bad_markdown_says_where_and_how_to_fix_it(tmp_path, text, message):
    path = tmp_path / "c.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputUnusable) as caught:
        from_markdown(path)
    assert message in str(caught.value) and caught.value.fix


def _workbook_with_commentary(tmp_path: Path, rows: list[list[object]]) -> Path:
    copy = tmp_path / "school.xlsx"
    shutil.copy(SAMPLE_DIR / "primary.xlsx", copy)  # the sample itself is never changed
    wb = openpyxl.load_workbook(copy)
    ws = wb.create_sheet("Head's Commentary")
    ws.append(["Section", "Kind", "Text", "Cycle"])
    for row in rows:
        ws.append(row)
    wb.save(copy)
    return copy


def test_the_commentary_sheet_is_read_with_its_aliases(tmp_path):
    path = _workbook_with_commentary(tmp_path, [
        ["Training and development", "Planned action", "Ring-fence the training budget.", None],
        ["operation", "comment", "  Two   meetings were late. ", "2025-26"],
        [None, None, None, None],
        ["general", "commentary", "Last year's note.", "2024/25"],
    ])
    assert from_workbook(path) == [
        CommentaryEntry("development", "action", "Ring-fence the training budget."),
        CommentaryEntry("operation", "commentary", "Two meetings were late.", "2025/26"),
        CommentaryEntry("general", "commentary", "Last year's note.", "2024/25"),
    ]
    assert from_workbook(SAMPLE_DIR / "primary.xlsx") == []  # no sheet: no commentary


def test_a_bad_value_in_the_sheet_names_the_cell(tmp_path):
    path = _workbook_with_commentary(tmp_path, [["operation", "commentary", "Fine."], ["staffing", "commentary", "x"]])
    with pytest.raises(InputUnusable) as caught:
        from_workbook(path)
    assert "sheet 'Head's Commentary', cell A3: expected general, operation" in str(caught.value)
    path = _workbook_with_commentary(tmp_path, [["operation", "action", None]])
    with pytest.raises(InputUnusable, match="cell C2: the text of the action is blank"):
        from_workbook(path)


def test_cli_report_shows_the_commentary_file_on_the_summary_page_and_nothing_from_staff_records(tmp_path):
    notes = tmp_path / "commentary.md"
    notes.write_text(MARKDOWN, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", str(SAMPLE_DIR / "primary.xlsx"), "--out", str(out), "--no-pdf",
                                 "--no-dashboard", "--no-word-charts", "--commentary", str(notes),
                                 "--as-of", "2027-01-15"])
    assert result.exit_code == 0, result.output
    gov = out / "governors"
    report = json.loads((gov / "report.json").read_text(encoding="utf-8"))
    texts = [t for block in report["commentary"] for t in block["commentary"] + block["actions"]]
    assert texts == ["This year went well overall. It was a busy year.", "Two meetings were late.",
                     "Book planning meetings before half term.", "Remind reviewers of the notice rule <b>now</b>.",
                     "Ring-fence the training budget."]
    html = (gov / "governors_report.html").read_text(encoding="utf-8")
    summary = html[html.index('id="summary"'):html.index('id="contents"')]
    assert "Remind reviewers of the notice rule &lt;b&gt;now&lt;/b&gt;." in summary  # plain text, never markup
    assert "Ring-fence the training budget." in summary
    with zipfile.ZipFile(gov / "governors_report.docx") as z:
        assert "Book planning meetings before half term." in z.read("word/document.xml").decode()
    # the staff records' free text (reviews' notes, objectives' descriptions) is never used
    wb = openpyxl.load_workbook(SAMPLE_DIR / "primary.xlsx", read_only=True)
    free = set()
    for sheet, column in (("reviews", "notes"), ("objectives", "description")):
        rows = list(wb[sheet].iter_rows(values_only=True))
        if column in rows[0]:
            k = rows[0].index(column)
            free |= {str(r[k]) for r in rows[1:] if len(r) > k and r[k] and len(str(r[k])) > 12}
    assert free, "the sample has free text to look for"
    assert not [t for t in free if t in html]


def test_cli_report_without_a_commentary_file_uses_the_sheet(tmp_path):
    path = _workbook_with_commentary(tmp_path, [["appeals", "commentary", "No appeal took long to settle."]])
    result = runner.invoke(app, ["report", str(path), "--out", str(tmp_path / "out"), "--no-pdf", "--no-dashboard",
                                 "--no-word-charts", "--as-of", "2027-01-15", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "governors" / "report.json").read_text(encoding="utf-8"))
    assert report["commentary"] == [{"section": "appeals", "heading": "3. Appeals and representations",
                                     "commentary": ["No appeal took long to settle."], "actions": []}]
    assert "unknown_sheet" not in result.output  # the commentary sheet is known, not "not used"


def test_cli_report_with_a_missing_commentary_file_exits_2_with_the_fix(tmp_path):
    result = runner.invoke(app, ["report", str(SAMPLE_DIR / "primary.xlsx"), "--out", str(tmp_path / "out"),
                                 "--no-pdf", "--commentary", str(tmp_path / "nope.md")])
    assert result.exit_code == 2
    assert "There is no commentary file at" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out" / "governors").exists()
