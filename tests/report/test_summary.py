"""Page 1: a plain-words summary built from the published figures (read back from report.json here), and the
DRAFT mark on every governors' file when rows were set aside."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from typing import Any

import pandas as pd
import pytest

from pmreport.jobs import governors_content, write_governors_report
from pmreport.report import publish
from pmreport.synth import generate

NUMBER = re.compile(r"(?<![\w/])\d+(?![\w/])")


def _cell(report: dict[str, Any], ref: dict[str, Any]) -> Any:
    table = next(t for s in report["sections"] for t in s["tables"] if t["id"] == ref["table"])
    row = next(r for r in table["rows"] if r["label"] == ref["row"])
    column = [c["label"] for c in table["columns"]].index(ref["column"])
    return row["cells"][column].get("value")


def check_summary(report: dict[str, Any]) -> None:
    """Every number in the summary is a figure a table publishes, at the place the summary says."""
    assert report["summary"], "the summary has something to say"
    for part in report["summary"]:
        for sentence in part["sentences"]:
            for ref in sentence["figures"]:
                assert _cell(report, ref) == ref["value"], ref
            quoted = {int(n) for n in NUMBER.findall(sentence["text"])}
            assert quoted <= {ref["value"] for ref in sentence["figures"]}, sentence["text"]


@pytest.fixture(scope="module")
def secondary(secondary_published) -> dict[str, Any]:
    return secondary_published


def test_secondary_summary_answers_section_10(secondary):
    check_summary(secondary)
    text = " ".join(s["text"] for p in secondary["summary"] for s in p["sentences"])
    # the head's own check of sample_data/secondary.xlsx: 109 of 111 meetings by the deadline, 2 late
    assert "109 of 111 meetings were held by the deadline; 2 were late." in text
    assert "111 of the 112 staff in scope of the policy had a planning and review meeting; 1 did not." in text
    assert [p["section"] for p in secondary["summary"]][:2] == ["operation", "effectiveness"]
    assert secondary["draft"] is None


@pytest.mark.parametrize("n_staff", [8, 26])
def test_small_school_summary_quotes_only_published_figures(n_staff):
    school = generate("primary", seed=n_staff, n_staff=n_staff, cycles=1)
    report = publish(governors_content(school.data, salt="s"), dt.date(2027, 1, 15))
    check_summary(report)


def test_draft_mark_on_every_file_when_rows_were_set_aside(tmp_path):
    school = generate("primary", seed=12, n_staff=20, cycles=1)
    data = school.data
    def rows(numbers: list[int]) -> pd.DataFrame:
        return pd.DataFrame({"_file": ["school.xlsx"] * len(numbers), "_row": numbers,
                             "_reasons": ["a date that is not a date"] * len(numbers)})
    data.quarantine = {"reviews": rows([4, 9, 11]), "staff": rows([7]), "appeals": rows([])}
    done = write_governors_report(data, tmp_path, pdf=False, as_of=dt.date(2027, 1, 15))
    expected = "3 rows of the reviews sheet and 1 row of the staff sheet had errors and were left out"
    assert done.report["draft"]["rows_left_out"] == {"reviews": 3, "staff": 1}
    gov = tmp_path / "governors"
    texts = {name: (gov / name).read_text(encoding="utf-8") for name in ("report.json", "governors_report.html",
                                                                       "dashboard.html")}
    with zipfile.ZipFile(gov / "governors_report.docx") as z:
        texts["docx"] = z.read("word/document.xml").decode() + z.read("word/header1.xml").decode()
    for name, text in texts.items():
        assert "DRAFT" in text, name
        assert expected in text, name


def test_html_and_word_open_with_the_summary(secondary, tmp_path):
    from docx import Document

    from pmreport.report.docx import render_docx
    from pmreport.report.html import render_html

    html = render_html(secondary)
    assert html.index('id="summary"') < html.index('id="contents"') < html.index('id="operation"')
    assert "109 of 111 meetings were held by the deadline" in html
    path = render_docx(secondary, tmp_path / "r.docx", charts=False)
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    first_section = paragraphs.index(secondary["sections"][0]["heading"])
    assert "Summary" in paragraphs[:first_section]
    assert any("109 of 111 meetings were held by the deadline" in p for p in paragraphs[:first_section])
