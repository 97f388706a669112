"""The Word version of the governors' report: a native Word chart (DrawingML) above each charted table,
showing exactly the published figures (a hidden figure is a gap, never a zero), with its data in an
embedded, neutralised workbook, parts and relationships that Word can follow, chart XML in the
element order ECMA-376 requires, alt text, stable bytes, and no charts when they are turned off."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path, PurePosixPath

import openpyxl
import pytest
from lxml import etree

from pmreport.jobs import governors_content
from pmreport.report import publish
from pmreport.report.charts import OKABE_ITO, alt_text
from pmreport.report.docx import CHARTS_OFF, render_docx
from pmreport.report.docx_charts import add_chart, chart_data, chart_workbook, chart_xml
from pmreport.report.fit import nothing_to_show
from pmreport.synth import generate
from tests.support.output_safety import FORMULA_PAYLOADS, assert_no_formulas_xlsx

NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
PACKAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = {"bar": ("barChart", "clustered"), "stacked_bar": ("barChart", "stacked"), "line": ("lineChart", "standard")}

# ECMA-376 (transitional) child sequences of the chart elements written, from dml-chart.xsd.
_CHARTS = ("areaChart", "area3DChart", "lineChart", "line3DChart", "stockChart", "radarChart", "scatterChart",
           "pieChart", "pie3DChart", "doughnutChart", "barChart", "bar3DChart", "ofPieChart", "surfaceChart",
           "surface3DChart", "bubbleChart")
_AXES = ("valAx", "catAx", "dateAx", "serAx")
_AX_SHARED = ["axId", "scaling", "delete", "axPos", "majorGridlines", "minorGridlines", "title", "numFmt",
              "majorTickMark", "minorTickMark", "tickLblPos", "spPr", "txPr", "crossAx", ("crosses", "crossesAt")]
_SER_SHARED = ["idx", "order", "tx", "spPr"]
_DATA = ["ptCount", "pt", "extLst"]
SEQUENCES: dict[str, list] = {
    "chartSpace": ["date1904", "lang", "roundedCorners", "AlternateContent", "style", "clrMapOvr", "pivotSource",
                   "protection", "chart", "spPr", "txPr", "externalData", "printSettings", "userShapes", "extLst"],
    "chart": ["title", "autoTitleDeleted", "pivotFmts", "view3D", "floor", "sideWall", "backWall", "plotArea", "legend",
              "plotVisOnly", "dispBlanksAs", "showDLblsOverMax", "extLst"],
    "plotArea": ["layout", _CHARTS, _AXES, "dTable", "spPr", "extLst"],
    "barChart": ["barDir", "grouping", "varyColors", "ser", "dLbls", "gapWidth", "overlap", "serLines", "axId",
                 "extLst"],
    "lineChart": ["grouping", "varyColors", "ser", "dLbls", "dropLines", "hiLowLines", "upDownBars", "marker",
                  "smooth", "axId", "extLst"],
    "barChart/ser": [*_SER_SHARED, "invertIfNegative", "pictureOptions", "dPt", "dLbls", "trendline", "errBars", "cat",
                     "val", "shape", "extLst"],
    "lineChart/ser": [*_SER_SHARED, "marker", "dPt", "dLbls", "trendline", "errBars", "cat", "val", "smooth",
                      "extLst"],
    "catAx": [*_AX_SHARED, "auto", "lblAlgn", "lblOffset", "tickLblSkip", "tickMarkSkip", "noMultiLvlLbl", "extLst"],
    "valAx": [*_AX_SHARED, "crossBetween", "majorUnit", "minorUnit", "dispUnits", "extLst"],
    "scaling": ["logBase", "orientation", "max", "min", "extLst"],
    "dLbls": ["dLbl", "delete", "numFmt", "spPr", "txPr", "dLblPos", "showLegendKey", "showVal", "showCatName",
              "showSerName", "showPercent", "showBubbleSize", "separator", "showLeaderLines", "leaderLines", "extLst"],
    "legend": ["legendPos", "legendEntry", "layout", "overlay", "spPr", "txPr", "extLst"],
    "title": ["tx", "layout", "overlay", "spPr", "txPr", "extLst"],
    "marker": ["symbol", "size", "spPr", "extLst"],
    "strRef": ["f", "strCache", "extLst"],
    "numRef": ["f", "numCache", "extLst"],
    "strCache": _DATA,
    "numCache": ["formatCode", *_DATA],
    "externalData": ["autoUpdate"],
    "spPr": ["xfrm", ("custGeom", "prstGeom"), ("noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill"),
             "ln", ("effectLst", "effectDag"), "scene3d", "sp3d", "extLst"],
}
#: Children the schema requires (minOccurs 1), with how many.
REQUIRED = {
    "chartSpace": {"chart": 1}, "chart": {"plotArea": 1}, "barChart": {"barDir": 1, "axId": 2},
    "lineChart": {"grouping": 1, "axId": 2}, "barChart/ser": {"idx": 1, "order": 1},
    "lineChart/ser": {"idx": 1, "order": 1},
    "catAx": {"axId": 1, "scaling": 1, "axPos": 1, "crossAx": 1},
    "valAx": {"axId": 1, "scaling": 1, "axPos": 1, "crossAx": 1}, "strRef": {"f": 1}, "numRef": {"f": 1},
}


def _local(el) -> str:
    return etree.QName(el).localname


def _key(el) -> str:
    """Which sequence an element follows: a series by its chart's kind; a line chart's marker flag, none."""
    name, parent = _local(el), el.getparent()
    above = _local(parent) if parent is not None else ""
    if name == "ser":
        return f"{above}/ser"
    if name == "marker" and above != "ser":
        return ""
    return name


def order_problems(root) -> list[str]:
    """Every chart element whose children are out of (or missing from) their ECMA-376 sequence."""
    problems = []
    for el in root.iter(f"{{{NS['c']}}}*"):
        key = _key(el)
        sequence = SEQUENCES.get(key)
        if sequence is None:
            continue
        ranks = []
        for child in el:
            name = _local(child)
            rank = next((i for i, item in enumerate(sequence) if name == item or (isinstance(item, tuple)
                                                                                   and name in item)), None)
            if rank is None:
                problems.append(f"{key}: unexpected child {name}")
            ranks.append(rank if rank is not None else -1)
        if ranks != sorted(ranks):
            problems.append(f"{key}: children out of order: {[_local(c) for c in el]}")
        for name, count in REQUIRED.get(key, {}).items():
            found = sum(_local(c) == name for c in el)
            if found != count:
                problems.append(f"{key}: {found} {name} (needs {count})")
    return problems


# ------------------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def report() -> dict:
    """A school whose report has all three kinds of chart and hidden figures in them."""
    school = generate("primary", seed=25, n_staff=25, cycles=3)
    return publish(governors_content(school.data), dt.date(2031, 1, 15))


@pytest.fixture(scope="module")
def written(report, tmp_path_factory) -> Path:
    return render_docx(report, tmp_path_factory.mktemp("docx") / "report.docx")


def charted(report: dict) -> list[dict]:
    """The tables printed with a chart (a table with nothing to show is one sentence instead)."""
    return [t for s in report["sections"] for t in s["tables"] if t["chart"]["type"] != "none" and not nothing_to_show(t)]


class Docx:
    """The parts of a written .docx that the tests look at."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as z:
            self.files = {n: z.read(n) for n in z.namelist()}
        self.document = etree.fromstring(self.files["word/document.xml"])
        self.rels = self.rels_of("word/document.xml")

    def rels_of(self, part: str) -> dict[str, tuple[str, str]]:
        p = PurePosixPath(part)
        rels = etree.fromstring(self.files[str(p.parent / "_rels" / f"{p.name}.rels")])
        out = {}
        for rel in rels.findall("pr:Relationship", NS):
            target = str(PurePosixPath(*_normalise(p.parent / rel.get("Target"))))
            out[rel.get("Id")] = (rel.get("Type"), target)
        return out

    def charts(self) -> list[tuple[str, object, object]]:
        """(chart part name, its wp:inline, the Heading 2 above it) in document order."""
        found, heading = [], None
        for para in self.document.iter(f"{{{NS['w']}}}p"):
            style = para.find("w:pPr/w:pStyle", NS)
            if style is not None and style.get(f"{{{NS['w']}}}val") == "Heading2":
                heading = "".join(para.itertext())
            for inline in para.iterfind(".//wp:inline", NS):
                ref = inline.find(".//c:chart", NS)
                if ref is not None:
                    kind, target = self.rels[ref.get(f"{{{NS['r']}}}id")]
                    assert kind == CHART_REL
                    found.append((target, inline, heading))
        return found

    def chart(self, name: str):
        return etree.fromstring(self.files[name])

    def workbook(self, chart_name: str):
        space = self.chart(chart_name)
        rid = space.find("c:externalData", NS).get(f"{{{NS['r']}}}id")
        kind, target = self.rels_of(chart_name)[rid]
        assert kind == PACKAGE_REL
        return openpyxl.load_workbook(io.BytesIO(self.files[target]))


def _normalise(path: PurePosixPath) -> list[str]:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return parts


def expected(table: dict) -> tuple[list[str], list[tuple[str, list]]]:
    """Categories and (series name, published values) as the chart rules in charts.py describe them."""
    spec, rows, cols = table["chart"], table["rows"], table["columns"]

    def marked(label: str, cells: list[dict]) -> str:
        if all("symbol" in c for c in cells):
            return label + " " + " ".join(sorted({c["text"] for c in cells}))
        return label

    if spec["type"] == "line":
        measure = spec["value_column"].split(": ", 1)[1]
        points = [(i, c["label"].split(": ")[0]) for i, c in enumerate(cols) if c["label"].endswith(": " + measure)]
        return [p[1] for p in points], [(marked(r["label"], [r["cells"][i] for i, _ in points]),
                                         [r["cells"][i].get("value") for i, _ in points]) for r in rows]
    charted_cols = ([[c["label"] for c in cols].index(spec["value_column"])] if spec["type"] == "bar"
                    else [i for i, c in enumerate(cols) if c["kind"] == "count"])
    categories = [marked(r["label"], [r["cells"][i] for i in charted_cols]) for r in rows]
    return categories, [(cols[i]["label"], [r["cells"][i].get("value") for r in rows]) for i in charted_cols]


def series_in(space) -> list[tuple[str, list[str], int, dict[int, float]]]:
    """(name, categories, ptCount, {idx: value}) of every series in a chart part."""
    out = []
    for ser in space.iterfind(".//c:ser", NS):
        name = ser.find("c:tx//c:v", NS).text
        cats = [v.text for v in ser.iterfind("c:cat//c:pt/c:v", NS)]
        cache = ser.find("c:val/c:numRef/c:numCache", NS)
        values = {int(pt.get("idx")): float(pt.find("c:v", NS).text) for pt in cache.iterfind("c:pt", NS)}
        out.append((name, cats, int(cache.find("c:ptCount", NS).get("val")), values))
    return out


# ------------------------------------------------------------------------------------------------ tests


def test_each_charted_table_has_one_chart_of_its_kind_above_it(report, written):
    doc = Docx(written)
    tables = charted(report)
    assert {t["chart"]["type"] for t in tables} == set(KINDS)  # the school exercises every kind
    charts = doc.charts()
    assert [heading for _, _, heading in charts] == [t["title"] for t in tables]
    names = [name for name, _, _ in charts]
    assert len(set(names)) == len(names) == len(tables)
    assert sorted(names) == sorted(n for n in doc.files if re.fullmatch(r"word/charts/chart\d+\.xml", n))
    for (name, _, _), table in zip(charts, tables, strict=True):
        space = doc.chart(name)
        element, grouping = KINDS[table["chart"]["type"]]
        groups = space.findall("c:chart/c:plotArea/*", NS)
        assert [_local(g) for g in groups if _local(g) in _CHARTS] == [element]
        assert space.find(f".//c:{element}/c:grouping", NS).get("val") == grouping
        if element == "barChart":
            assert space.find(".//c:barDir", NS).get("val") == "bar"
            assert space.find(".//c:catAx/c:scaling/c:orientation", NS).get("val") == "maxMin"  # table order
        if grouping == "stacked":
            assert space.find(".//c:overlap", NS).get("val") == "100"
            assert space.find("c:chart/c:legend", NS) is not None


def test_charts_show_the_published_figures_and_leave_hidden_ones_out(report, written):
    doc = Docx(written)
    hidden = marked = 0
    for (name, _, _), table in zip(doc.charts(), charted(report), strict=True):
        space = doc.chart(name)
        assert space.find("c:chart/c:dispBlanksAs", NS).get("val") == "gap"
        categories, want = expected(table)
        got = series_in(space)
        assert [g[0] for g in got] == [w[0] for w in want], table["id"]
        for (_, cats, count, values), (_, published) in zip(got, want, strict=True):
            assert cats == categories, table["id"]
            assert count == len(published)
            assert values == {i: float(v) for i, v in enumerate(published) if v is not None}, table["id"]
            hidden += sum(v is None for v in published)
        marked += sum(c.endswith("]") for c in categories) + sum(w[0].endswith("]") for w in want)
    assert hidden > 0 and marked > 0  # the school has hidden figures in its charts, so this checked them


def test_each_chart_has_its_figures_in_an_embedded_workbook(report, written):
    doc = Docx(written)
    for (name, _, _), table in zip(doc.charts(), charted(report), strict=True):
        ws = doc.workbook(name)["Sheet1"]
        categories, want = expected(table)
        assert [ws.cell(row=r, column=1).value for r in range(2, len(categories) + 2)] == categories
        for n, (series, published) in enumerate(want, start=2):
            assert ws.cell(row=1, column=n).value == series
            assert [ws.cell(row=r, column=n).value for r in range(2, len(categories) + 2)] == published
        formulas = [f.text for f in doc.chart(name).iterfind(".//c:f", NS)]
        assert formulas and all(f.startswith("Sheet1!$") for f in formulas)


def test_content_types_and_relationships_are_consistent(written):
    doc = Docx(written)
    types = etree.fromstring(doc.files["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.findall("ct:Override", NS)}
    defaults = {d.get("Extension").lower(): d.get("ContentType") for d in types.findall("ct:Default", NS)}
    used = {ref.get(f"{{{NS['r']}}}id") for ref in doc.document.iterfind(".//c:chart", NS)}
    assert used and used <= set(doc.rels)
    for rid in used:
        kind, target = doc.rels[rid]
        assert kind == CHART_REL and target in doc.files
        assert overrides.get("/" + target) == CHART_TYPE
        _, workbook = doc.rels_of(target)[doc.chart(target).find("c:externalData", NS).get(f"{{{NS['r']}}}id")]
        assert re.fullmatch(r"word/embeddings/Microsoft_Excel_Worksheet\d+\.xlsx", workbook)
        assert workbook in doc.files
        assert overrides.get("/" + workbook, defaults.get("xlsx")) == XLSX_TYPE
        assert doc.chart(target).find("c:externalData/c:autoUpdate", NS).get("val") == "0"


def test_chart_xml_follows_the_schema_order(report, written):
    doc = Docx(written)
    for name, _, _ in doc.charts():
        assert order_problems(doc.chart(name)) == [], name
    # and the check itself catches a swap
    space = doc.chart(doc.charts()[0][0])
    ser = space.find(".//c:ser", NS)
    ser.insert(0, ser.find("c:order", NS))
    assert any("out of order" in p for p in order_problems(space))


def test_alt_text_and_unique_drawing_ids(report, written):
    doc = Docx(written)
    for (_, inline, _), table in zip(doc.charts(), charted(report), strict=True):
        props = inline.find("wp:docPr", NS)
        assert props.get("descr") == alt_text(table) and props.get("name")
    ids = [p.get("id") for p in doc.document.iterfind(".//wp:docPr", NS)]
    assert len(ids) == len(set(ids)) == len(charted(report))


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def test_chart_ids_do_not_collide_with_pictures(report, tmp_path):
    from docx import Document

    doc = Document()
    doc.add_picture(io.BytesIO(_png()))
    for table in charted(report)[:2]:
        assert add_chart(doc, table)
    doc.add_picture(io.BytesIO(_png()))
    doc.save(str(tmp_path / "mixed.docx"))
    ids = [p.get("id") for p in Docx(tmp_path / "mixed.docx").document.iterfind(".//wp:docPr", NS)]
    assert len(ids) == 4 and len(set(ids)) == 4


def test_same_report_same_chart_bytes(report, written, tmp_path):
    again = render_docx(report, tmp_path / "again.docx")
    first, second = Docx(written).files, Docx(again).files
    parts = [n for n in first if n.startswith(("word/charts/", "word/embeddings/"))]
    assert parts and sorted(parts) == sorted(n for n in second if n.startswith(("word/charts/", "word/embeddings/")))
    for name in parts:
        assert first[name] == second[name], name


def test_same_tables_same_chart_bytes_in_another_process(report, tmp_path):
    """Nothing that changes from one run to the next (hash seeds, clocks, ids picked at import) gets in."""
    tables = tmp_path / "tables.json"
    tables.write_text(json.dumps(charted(report)), encoding="utf-8")
    script = ("import hashlib, json, sys\n"
              "from pmreport.report.docx_charts import chart_data, chart_workbook, chart_xml\n"
              "for t in json.load(open(sys.argv[1], encoding='utf-8')):\n"
              "    d = chart_data(t)\n"
              "    print(hashlib.sha256(chart_xml(d) + chart_workbook(d)).hexdigest())\n")
    result = subprocess.run([sys.executable, "-c", script, str(tables)], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2])
    here = [hashlib.sha256(chart_xml(d) + chart_workbook(d)).hexdigest()
            for d in map(chart_data, charted(report)) if d is not None]
    assert result.stdout.split() == here


def test_without_charts_there_are_no_chart_parts_and_a_note(report, tmp_path):
    from docx import Document

    path = render_docx(report, tmp_path / "plain.docx", charts=False)
    files = Docx(path).files
    assert not [n for n in files if n.startswith(("word/charts/", "word/embeddings/", "word/media/"))]
    assert CHARTS_OFF in [p.text for p in Document(str(path)).paragraphs]
    with_charts = render_docx(report, tmp_path / "charts.docx")
    assert CHARTS_OFF not in [p.text for p in Document(str(with_charts)).paragraphs]


def test_what_the_report_could_not_make_is_said_near_the_top(report, tmp_path):
    from docx import Document

    missing = {**report, "left_out": [{"analysis": "report", "sheet": "staff", "field": "contract_type",
                                       "left_out": "the tables by contract", "why": "the sheet 'staff' has no "
                                       "contract_type column", "whole": False}]}
    texts = [p.text for p in Document(str(render_docx(missing, tmp_path / "missing.docx", charts=False))).paragraphs]
    said = [i for i, t in enumerate(texts) if t.startswith("Not in this report. ")]
    assert len(said) == 1 and said[0] < 6, texts[:8]
    assert texts[said[0]].endswith(": the tables by contract, because the sheet 'staff' has no contract_type column. "
                                   "Adding what is missing to the records and writing the report again puts them in.")
    plain = [p.text for p in Document(str(render_docx(report, tmp_path / "plain2.docx", charts=False))).paragraphs]
    assert not [t for t in plain if t.startswith("Not in this report")]


# ------------------------------------------------------------------------------------------------ made-up tables


def _cell(value=None, symbol=None, text=None) -> dict:
    if symbol:
        return {"symbol": symbol, "text": f"[{symbol}]"}
    return {"value": value, "text": text or str(value)}


def made_up_stacked(n_counts: int = 9) -> dict:
    columns = [{"label": "Number of staff", "kind": "size"}]
    columns += [{"label": f"Outcome {i}", "kind": "count"} for i in range(n_counts)]
    return {
        "id": "made-up", "title": "Made up", "chart": {"type": "stacked_bar", "value_column": "Number of staff"},
        "row_header": "", "columns": columns,
        "rows": [
            {"label": FORMULA_PAYLOADS[0], "cells": [_cell(30)] + [_cell(i) for i in range(n_counts)]},
            {"label": "Everything hidden", "cells": [_cell(30)] + [_cell(symbol="c") for _ in range(n_counts)]},
            {"label": "Some hidden", "cells": [_cell(30), _cell(symbol="c")] + [_cell(3) for _ in range(n_counts - 1)]},
        ],
    }


def test_a_formula_like_label_is_neutralised_in_the_workbook(tmp_path):
    from docx import Document

    doc = Document()
    add_chart(doc, made_up_stacked())
    doc.save(str(tmp_path / "made_up.docx"))
    parts = Docx(tmp_path / "made_up.docx")
    [(name, _, _)] = parts.charts()
    workbook = parts.workbook(name)
    sheet = workbook["Sheet1"]
    assert sheet["A2"].value == "'" + FORMULA_PAYLOADS[0]  # kept, readable, inert
    assert sheet["A3"].value == "Everything hidden [c]"
    assert sheet["B3"].value is None and sheet["B4"].value is None  # hidden: empty cells, not zeros
    target = tmp_path / "embedded.xlsx"
    target.write_bytes(parts.files[parts.rels_of(name)["rId1"][1]])
    assert assert_no_formulas_xlsx(target) > 0
    cats = [v.text for v in parts.chart(name).find(".//c:ser/c:cat", NS).iterfind(".//c:v", NS)]
    assert cats == [FORMULA_PAYLOADS[0], "Everything hidden [c]", "Some hidden"]


def test_colours_in_order_then_patterns_beyond_eight_series():
    space = etree.fromstring(chart_xml(chart_data(made_up_stacked(10))))
    fills = [ser.find("c:spPr/*", NS) for ser in space.iterfind(".//c:ser", NS)]
    assert [_local(f) for f in fills] == ["solidFill"] * 8 + ["pattFill"] * 2
    colours = [f.find(".//a:srgbClr", NS).get("val") for f in fills]
    assert colours == [c.lstrip("#") for c in OKABE_ITO] + [OKABE_ITO[0].lstrip("#"), OKABE_ITO[1].lstrip("#")]
    assert [f.get("prst") for f in fills[8:]] == ["wdUpDiag"] * 2  # plotly's "/" hatching
    assert order_problems(space) == []


def test_percent_bars_run_from_0_to_100_and_a_hidden_line_point_is_a_gap():
    table = made_up_stacked(2)
    table["columns"].append({"label": "Met (%)", "kind": "percent"})
    for row, cell in zip(table["rows"], (_cell(45, text="45%"), _cell(symbol="c"), _cell(90, text="90%")),
                         strict=True):
        row["cells"].append(cell)
    table["chart"] = {"type": "bar", "value_column": "Met (%)"}
    space = etree.fromstring(chart_xml(chart_data(table)))
    assert space.find(".//c:valAx/c:scaling/c:max", NS).get("val") == "100"
    assert space.find(".//c:valAx/c:scaling/c:min", NS).get("val") == "0"
    assert space.find(".//c:valAx/c:numFmt", NS).get("formatCode") == '0"%"'
    assert series_in(space)[0][2:] == (3, {0: 45.0, 2: 90.0})
    assert series_in(space)[0][1][1] == "Everything hidden [c]"

    line = copy.deepcopy(table)
    line["columns"] = [{"label": "2023/24: Met (%)", "kind": "percent"}, {"label": "2024/25: Met (%)", "kind": "percent"}]
    line["rows"] = [{"label": "All staff", "cells": [_cell(symbol="c"), _cell(80, text="80%")]},
                    {"label": "Teachers", "cells": [_cell(symbol="c"), _cell(symbol="c")]}]
    line["chart"] = {"type": "line", "value_column": "2024/25: Met (%)"}
    space = etree.fromstring(chart_xml(chart_data(line)))
    assert space.find(".//c:lineChart", NS) is not None and order_problems(space) == []
    got = series_in(space)
    assert [g[0] for g in got] == ["All staff", "Teachers [c]"]
    assert got[0][1:] == (["2023/24", "2024/25"], 2, {1: 80.0}) and got[1][2:] == (2, {})


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice is not installed (a system program, not on PyPI): the structure is checked "
                           "above; to see the pages where it can be installed, see benchmarks/governor_documents.py")
def test_libreoffice_opens_the_document(written, tmp_path):
    result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(written)],
                            capture_output=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "report.pdf").read_bytes()[:5] == b"%PDF-"
