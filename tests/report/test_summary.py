"""Page 1: a plain-words summary built from the published figures (read back from report.json here), and the
DRAFT mark on every governors' file when rows were set aside."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from typing import Any

import pandas as pd
import pytest

from pmreport.jobs import governors_content, write_governors_report
from pmreport.report import publish
from pmreport.synth import generate

NUMBER = re.compile(r"(?<![\w/])\d+(?![\w/])")


def _cell(report: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    table = next(t for s in report["sections"] for t in s["tables"] if t["id"] == ref["table"])
    row = next(r for r in table["rows"] if r["label"] == ref["row"])
    column = [c["label"] for c in table["columns"]].index(ref["column"])
    return row["cells"][column]


def check_summary(report: dict[str, Any]) -> int:
    """Every number in the summary is a figure a table publishes, at the place the summary says, and quoted as the
    table gives it: exactly, or as its band ("5 or fewer", "at least 106") in the band's own words, never more
    precisely. Returns how many bands the summary quotes."""
    assert report["summary"], "the summary has something to say"
    bands = 0
    for part in report["summary"]:
        for sentence in part["sentences"]:
            allowed = set()
            for ref in sentence["figures"]:
                cell = _cell(report, ref)
                if "value" in ref:
                    assert cell.get("value") == ref["value"], ref
                    allowed.add(ref["value"])
                else:  # a band: the summary says what the table says, word for word
                    assert (cell.get("low"), cell.get("high"), cell.get("text")) == \
                        (ref["low"], ref["high"], ref["text"]), ref
                    assert "value" not in cell
                    assert ref["text"].lower() in sentence["text"].lower(), (ref, sentence["text"])
                    allowed |= {int(n) for n in NUMBER.findall(ref["text"])}
                    bands += 1
            quoted = {int(n) for n in NUMBER.findall(sentence["text"])}
            assert quoted <= allowed, sentence["text"]
    return bands


def _texts(report: dict[str, Any]) -> str:
    return " ".join(s["text"] for p in report["summary"] for s in p["sentences"])


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


def test_secondary_summary_quotes_the_band_of_appeals(secondary):
    """The secondary sample: 'No appeal' is given as "at least 106" (of 111) in the appeals table, and so in the
    summary; the summary does not claim there were appeals when the table does not say so."""
    text = _texts(secondary)
    assert "At least 106 of the 111 staff (not counting the headteacher) did not appeal" in text
    assert "There were appeals" not in text


@pytest.mark.parametrize("n_staff", [8, 26])
def test_small_school_summary_quotes_the_bands_the_tables_publish(n_staff):
    """Small schools' tables give most personal outcomes as bands: the summary quotes them rather than saying
    'not shown' (worked out here from the tables: where a table gives the figure as a band, the summary has it)."""
    school = generate("primary", seed=n_staff, n_staff=n_staff, cycles=1)
    report = publish(governors_content(school.data, salt="s"), dt.date(2027, 1, 15))
    assert check_summary(report) >= 1
    tables = {t["id"]: t for s in report["sections"] for t in s["tables"]}
    slug = report["cycle"].replace("/", "-")
    text = _texts(report)
    for key, column, words in (("assessment", "Met", "met their objectives"),
                               ("appeal-outcomes", "No appeal", "did not appeal"),
                               ("pay", "Progressed", "progressed on pay")):
        table = tables.get(f"{key}-{slug}-all")
        if table is None or not table["rows"]:
            continue
        labels = [c["label"] for c in table["columns"]]
        cell, size = table["rows"][0]["cells"][labels.index(column)], table["rows"][0]["cells"][0]["value"]
        if "low" in cell:
            assert f"{cell['text']} of the {size} staff".lower() in text.lower(), (key, text)
            assert words in text
    assert "met their objectives is not shown" not in text or "[c]" in json.dumps(tables[f"assessment-{slug}-all"])


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
