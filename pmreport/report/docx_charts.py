"""Native Word charts (DrawingML) for the report's tables: no browser, milliseconds each, and restylable in Word.

The same rules as the plotly charts in :mod:`pmreport.report.charts`: a chart shows only what its table
publishes; a hidden figure is never drawn (and never drawn as zero) but left out of the chart, which
shows a gap, and a row whose charted figures are all hidden has its symbol added to its label.

Each chart is a chart part (``/word/charts/chartN.xml``, a ``c:chartSpace`` written here in the
element order that ECMA-376 requires, which Word enforces) with its figures in a small embedded
workbook (``/word/embeddings/Microsoft_Excel_WorksheetN.xlsx``), so that Word's "Edit Data" works.
:func:`chart_data` reads a table; :func:`chart_xml` and :func:`chart_workbook` turn that into bytes
(the same table always gives the same bytes); :func:`add_chart` puts a chart into a Word document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from pmreport.report.charts import DARK, INK, OKABE_ITO, PATTERNS, _col, _published, alt_text, wrap

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS = {"c": C_NS, "a": A_NS, "r": R_NS}
CHART_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
PACKAGE_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_PARTNAME = "/word/charts/chart%d.xml"
XLSX_PARTNAME = "/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"
#: The chart part's only relationship (to its workbook), so its id is always the same.
WORKBOOK_RID = "rId1"
SHEET = "Sheet1"
CAT_AX, VAL_AX = 500000001, 500000002
WIDTH_CM = 16.0
EMU_PER_CM = 360000
#: charts.py draws 680 px wide images; heights in px scale to centimetres at the same ratio.
CM_PER_PX = WIDTH_CM / 680
GRID, AXIS, WHITE = "D0D0D0", "595959", "FFFFFF"
#: plotly's hatching (charts.PATTERNS) as DrawingML preset patterns.
PATTERN_FILLS = {"": "", "/": "wdUpDiag", "\\": "wdDnDiag", "x": "diagCross", ".": "pct20", "+": "cross",
                 "-": "horz", "|": "vert"}
MARKERS = ("circle", "square", "diamond", "triangle", "plus", "x", "star", "dash")
PERCENT_FORMAT = '0"%"'
#: A stacked segment's label: none on a segment of zero (it has no width; the table shows the 0).
COUNT_FORMAT = "0;-0;;@"
#: A line chart's height (px, as charts.py's 300) grows by a legend line for every three rows.
LINE_PX, LEGEND_LINE_PX = 300, 20
#: Characters XML 1.0 cannot hold.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Series:
    """One series: its name, a figure per category (``None`` where the table hides it) and its look."""

    name: str
    values: tuple[float | None, ...]
    colour: str
    pattern: str = ""
    marker: str = ""


@dataclass(frozen=True)
class ChartData:
    """What a chart draws: ``kind`` is bar, stacked_bar or line (charts.py's types)."""

    kind: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    number_format: str
    axis_title: str
    percent: bool
    height_px: int

    @property
    def legend(self) -> bool:
        return self.kind != "bar"


# --------------------------------------------------------------------------------------------- the data


def _marked(label: str, cells: list[dict[str, Any]]) -> str:
    """A label with its symbols added when every charted figure of it is hidden (like charts._symbols_note)."""
    if cells and all("symbol" in cell for cell in cells):
        return f"{label} {' '.join(sorted({cell['text'] for cell in cells}))}"
    return label


def _number_format(texts: list[str], percent: bool) -> str:
    """The labels' number format: a percentage, or as many decimals as the table shows."""
    if percent:
        return PERCENT_FORMAT
    decimals = max((len(m.group(1)) for t in texts if (m := re.search(r"\.(\d+)", t))), default=0)
    return "0." + "0" * decimals if decimals else "0"


def _bar_height(labels: list[str], legend: bool) -> int:
    """Height in px as charts._layout gives it: a row per bar, more for labels over several lines."""
    lines = sum(wrap(label).count("<br>") + 1 for label in labels)
    return 90 + 26 * len(labels) + 16 * lines + (40 if legend else 0)


def chart_data(table: dict[str, Any]) -> ChartData | None:
    """What the chart of one report.json table draws (``None`` when its chart is ``none``)."""
    spec = table.get("chart") or {"type": "none"}
    rows, columns = table["rows"], table["columns"]
    if spec["type"] == "bar":
        c = [x["label"] for x in columns].index(spec["value_column"])
        percent = columns[c]["kind"] == "percent"
        labels = [_marked(row["label"], [row["cells"][c]]) for row in rows]
        series = Series(str(spec["value_column"]), tuple(_published(table, c)), OKABE_ITO[0])
        texts = [row["cells"][c]["text"] for row in rows]
        return ChartData("bar", tuple(labels), (series,), _number_format(texts, percent), str(spec["value_column"]),
                         percent, _bar_height(labels, False))
    if spec["type"] == "stacked_bar":
        counts = _col(table, "count")
        labels = [_marked(row["label"], [row["cells"][c] for c in counts]) for row in rows]
        stack = tuple(Series(columns[c]["label"], tuple(_published(table, c)), OKABE_ITO[n % len(OKABE_ITO)],
                             PATTERN_FILLS[PATTERNS[(n // len(OKABE_ITO)) % len(PATTERNS)]])
                      for n, c in enumerate(counts))
        return ChartData("stacked_bar", tuple(labels), stack, COUNT_FORMAT, "Number of staff", False,
                         _bar_height(labels, True))
    if spec["type"] == "line":
        measure = str(spec["value_column"]).split(": ", 1)[1]
        points = [(i, c["label"].split(": ", 1)[0]) for i, c in enumerate(columns)
                  if ": " in c["label"] and c["label"].split(": ", 1)[1] == measure]
        percent = columns[points[-1][0]]["kind"] == "percent"
        lines = tuple(Series(_marked(row["label"], [row["cells"][i] for i, _ in points]),
                             tuple(row["cells"][i].get("value") for i, _ in points),
                             OKABE_ITO[r % len(OKABE_ITO)], marker=MARKERS[r % len(MARKERS)])
                      for r, row in enumerate(rows))
        texts = [row["cells"][i]["text"] for row in rows for i, _ in points]
        return ChartData("line", tuple(cycle for _, cycle in points), lines, _number_format(texts, percent), measure,
                         percent, LINE_PX + LEGEND_LINE_PX * ((len(rows) + 2) // 3))
    return None


# --------------------------------------------------------------------------------------------- the XML


def _q(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{_NS[prefix]}}}{local}"


def _el(parent: Any, tag: str, val: object = None, **attrs: object) -> Any:
    """A child element; ``val`` is the ``val`` attribute that most chart elements carry."""
    el = etree.SubElement(parent, _q(tag))
    if val is not None:
        el.set("val", str(val))
    for name, value in attrs.items():
        el.set(name, str(value))
    return el


def _text(value: str) -> str:
    return _NOT_IN_XML.sub("\ufffd", value)


def _colour(parent: Any, tag: str, rgb: str) -> None:
    _el(_el(parent, tag), "a:srgbClr", rgb.lstrip("#").upper())


def _ln(parent: Any, rgb: str | None, width: int = 9525) -> None:
    ln = _el(parent, "a:ln", w=width) if rgb else _el(parent, "a:ln")
    if rgb:
        _colour(ln, "a:solidFill", rgb)
    else:
        _el(ln, "a:noFill")


def _sp_pr(parent: Any, fill: str | None, line: str | None, pattern: str = "", width: int = 9525) -> None:
    """``c:spPr``: fill (solid, hatched or none) then outline."""
    sp = _el(parent, "c:spPr")
    if fill and pattern:
        patt = _el(sp, "a:pattFill", prst=pattern)
        _colour(patt, "a:fgClr", fill)
        _colour(patt, "a:bgClr", WHITE)
    elif fill:
        _colour(sp, "a:solidFill", fill)
    else:
        _el(sp, "a:noFill")
    _ln(sp, line, width)


def _run_props(parent: Any, tag: str, size: int, rgb: str, **attrs: object) -> None:
    props = _el(parent, tag, **attrs, sz=size, b=0)
    _colour(props, "a:solidFill", rgb)


def _tx_pr(parent: Any, size: int = 900, rgb: str = INK, rot: int | None = None) -> None:
    """``c:txPr``: the font size and colour of an axis, legend or the labels."""
    tx = _el(parent, "c:txPr")
    _el(tx, "a:bodyPr", **({"rot": rot, "vert": "horz"} if rot is not None else {}))
    _el(tx, "a:lstStyle")
    p = _el(tx, "a:p")
    _run_props(_el(p, "a:pPr"), "a:defRPr", size, rgb)
    _el(p, "a:endParaRPr", lang="en-GB")


def _title(parent: Any, text: str, rot: int | None = None) -> None:
    title = _el(parent, "c:title")
    rich = _el(_el(title, "c:tx"), "c:rich")
    _el(rich, "a:bodyPr", **({"rot": rot, "vert": "horz"} if rot is not None else {}))
    _el(rich, "a:lstStyle")
    p = _el(rich, "a:p")
    _run_props(_el(p, "a:pPr"), "a:defRPr", 900, INK)
    run = _el(p, "a:r")
    _run_props(run, "a:rPr", 900, INK, lang="en-GB")
    _el(run, "a:t").text = _text(text)
    _el(title, "c:overlay", 0)


def _column(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)


def _str_ref(parent: Any, formula: str, texts: tuple[str, ...] | list[str]) -> None:
    ref = _el(parent, "c:strRef")
    _el(ref, "c:f").text = formula
    cache = _el(ref, "c:strCache")
    _el(cache, "c:ptCount", len(texts))
    for i, text in enumerate(texts):
        _el(_el(cache, "c:pt", idx=i), "c:v").text = _text(text)


def _num_ref(parent: Any, formula: str, values: tuple[float | None, ...]) -> None:
    """``c:numRef``: a hidden figure has no ``c:pt`` at all (a gap), never a zero."""
    ref = _el(parent, "c:numRef")
    _el(ref, "c:f").text = formula
    cache = _el(ref, "c:numCache")
    _el(cache, "c:formatCode").text = "General"
    _el(cache, "c:ptCount", len(values))
    for i, value in enumerate(values):
        if value is not None:
            _el(_el(cache, "c:pt", idx=i), "c:v").text = repr(value) if isinstance(value, float) else str(value)


def _d_lbls(parent: Any, data: ChartData, series: Series) -> None:
    labels = _el(parent, "c:dLbls")
    _el(labels, "c:numFmt", formatCode=data.number_format, sourceLinked=0)
    _sp_pr(labels, None, None)
    on_bar = data.kind == "stacked_bar"
    _tx_pr(labels, rgb=(WHITE if series.colour in DARK else "000000") if on_bar else INK)  # as charts._stacked
    _el(labels, "c:dLblPos", {"bar": "outEnd", "stacked_bar": "ctr", "line": "t"}[data.kind])
    for flag in ("showLegendKey", "showVal", "showCatName", "showSerName", "showPercent", "showBubbleSize"):
        _el(labels, f"c:{flag}", int(flag == "showVal"))


def _ser(parent: Any, data: ChartData, n: int, series: Series) -> None:
    """``c:ser`` in CT_BarSer / CT_LineSer order; its figures are column ``n + 2`` of the workbook."""
    col, last = _column(n + 2), len(data.categories) + 1
    ser = _el(parent, "c:ser")
    _el(ser, "c:idx", n)
    _el(ser, "c:order", n)
    _str_ref(_el(ser, "c:tx"), f"{SHEET}!${col}$1", [series.name])
    if data.kind == "line":
        _sp_pr(ser, None, series.colour, width=28575)
        marker = _el(ser, "c:marker")
        _el(marker, "c:symbol", series.marker)
        _el(marker, "c:size", 7)
        _sp_pr(marker, series.colour, series.colour)
    else:
        _sp_pr(ser, series.colour, INK, series.pattern)
        _el(ser, "c:invertIfNegative", 0)
    _d_lbls(ser, data, series)
    _str_ref(_el(ser, "c:cat"), f"{SHEET}!$A$2:$A${last}", data.categories)
    _num_ref(_el(ser, "c:val"), f"{SHEET}!${col}$2:${col}${last}", series.values)
    if data.kind == "line":
        _el(ser, "c:smooth", 0)


def _axes(plot: Any, data: ChartData) -> None:
    """``c:catAx`` then ``c:valAx``. Bars run top to bottom in table order (categories reversed, so the
    value axis crosses at the last category to stay at the bottom)."""
    bars = data.kind != "line"
    cat = _el(plot, "c:catAx")
    _el(cat, "c:axId", CAT_AX)
    _el(_el(cat, "c:scaling"), "c:orientation", "maxMin" if bars else "minMax")
    _el(cat, "c:delete", 0)
    _el(cat, "c:axPos", "l" if bars else "b")
    _el(cat, "c:numFmt", formatCode="General", sourceLinked=1)
    _el(cat, "c:majorTickMark", "none")
    _el(cat, "c:minorTickMark", "none")
    _el(cat, "c:tickLblPos", "nextTo")
    _sp_pr(cat, None, AXIS)
    _tx_pr(cat)
    _el(cat, "c:crossAx", VAL_AX)
    _el(cat, "c:crosses", "autoZero")
    _el(cat, "c:auto", 1)
    _el(cat, "c:lblAlgn", "ctr")
    _el(cat, "c:lblOffset", 100)
    _el(cat, "c:noMultiLvlLbl", 0)

    val = _el(plot, "c:valAx")
    _el(val, "c:axId", VAL_AX)
    scaling = _el(val, "c:scaling")
    _el(scaling, "c:orientation", "minMax")
    if data.percent:
        _el(scaling, "c:max", 100)
    _el(scaling, "c:min", 0)
    _el(val, "c:delete", 0)
    _el(val, "c:axPos", "b" if bars else "l")
    _sp_pr(_el(val, "c:majorGridlines"), None, GRID)
    _title(val, data.axis_title, None if bars else -5400000)
    _el(val, "c:numFmt", formatCode=PERCENT_FORMAT if data.percent else "General", sourceLinked=0)
    _el(val, "c:majorTickMark", "none")
    _el(val, "c:minorTickMark", "none")
    _el(val, "c:tickLblPos", "nextTo")
    _sp_pr(val, None, None)
    _tx_pr(val)
    _el(val, "c:crossAx", CAT_AX)
    _el(val, "c:crosses", "max" if bars else "autoZero")
    _el(val, "c:crossBetween", "between")
    if data.percent:
        _el(val, "c:majorUnit", 20)


def chart_xml(data: ChartData) -> bytes:
    """The chart part (``c:chartSpace``), its children in ECMA-376 order; the same data gives the same bytes."""
    space = etree.Element(_q("c:chartSpace"), nsmap=_NS)
    _el(space, "c:date1904", 0)
    _el(space, "c:lang", "en-GB")
    _el(space, "c:roundedCorners", 0)
    chart = _el(space, "c:chart")
    _el(chart, "c:autoTitleDeleted", 1)  # the heading above the chart names it
    plot = _el(chart, "c:plotArea")
    _el(plot, "c:layout")
    if data.kind == "line":
        group = _el(plot, "c:lineChart")
        _el(group, "c:grouping", "standard")
        _el(group, "c:varyColors", 0)
        for n, series in enumerate(data.series):
            _ser(group, data, n, series)
        _el(group, "c:marker", 1)
    else:
        group = _el(plot, "c:barChart")
        _el(group, "c:barDir", "bar")
        _el(group, "c:grouping", "stacked" if data.kind == "stacked_bar" else "clustered")
        _el(group, "c:varyColors", 0)
        for n, series in enumerate(data.series):
            _ser(group, data, n, series)
        _el(group, "c:gapWidth", 55)  # plotly's bargap 0.35
        if data.kind == "stacked_bar":
            _el(group, "c:overlap", 100)
    _el(group, "c:axId", CAT_AX)
    _el(group, "c:axId", VAL_AX)
    _axes(plot, data)
    _sp_pr(plot, None, None)
    if data.legend:
        legend = _el(chart, "c:legend")
        _el(legend, "c:legendPos", "t" if data.kind == "stacked_bar" else "b")
        _el(legend, "c:overlay", 0)
        _tx_pr(legend)
    _el(chart, "c:plotVisOnly", 1)
    _el(chart, "c:dispBlanksAs", "gap")
    _sp_pr(space, WHITE, None)
    _tx_pr(space)
    external = _el(space, "c:externalData")
    external.set(_q("r:id"), WORKBOOK_RID)
    _el(external, "c:autoUpdate", 0)
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def chart_workbook(data: ChartData) -> bytes:
    """The chart's figures as an .xlsx (Sheet1: categories down column A, a series per column from B),
    for Word's "Edit Data". Text is neutralised; a hidden figure is an empty cell. Same data, same bytes."""
    from pmreport.report.small_xlsx import one_sheet_xlsx
    from pmreport.safe_output import cell_text

    rows: list[list[str | float | None]] = [[None, *(cell_text(series.name) for series in data.series)]]
    rows += [[cell_text(category), *(series.values[r] for series in data.series)]
             for r, category in enumerate(data.categories)]
    return one_sheet_xlsx(rows, SHEET, data.number_format if data.percent else None)


# --------------------------------------------------------------------------------------------- into Word

_INLINE = (
    '<wp:inline distT="0" distB="0" distL="0" distR="0" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    f'xmlns:a="{A_NS}" xmlns:c="{C_NS}" xmlns:r="{R_NS}">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="{id}" name="Chart {id}"/><wp:cNvGraphicFramePr/>'
    f'<a:graphic><a:graphicData uri="{C_NS}"><c:chart r:id="{{rid}}"/></a:graphicData></a:graphic>'
    "</wp:inline>"
)


def add_chart(doc: Any, table: dict[str, Any]) -> bool:
    """Add the table's chart to a python-docx ``Document`` in a paragraph of its own, with alt text.

    Returns whether there was a chart to add. Parts are numbered after those already in the document,
    and the drawing's id is one more than the largest id in it (so it cannot clash with pictures').
    """
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    data = chart_data(table)
    if data is None:
        return False
    package = doc.part.package
    chart = Part(package.next_partname(CHART_PARTNAME), CHART_CONTENT_TYPE, chart_xml(data), package)
    rid = doc.part.relate_to(chart, CHART_RELTYPE)
    workbook = Part(package.next_partname(XLSX_PARTNAME), XLSX_CONTENT_TYPE, chart_workbook(data), package)
    chart.rels.add_relationship(PACKAGE_RELTYPE, workbook, WORKBOOK_RID)
    shape_id = doc.part.next_id
    cx, cy = round(WIDTH_CM * EMU_PER_CM), round(data.height_px * CM_PER_PX * EMU_PER_CM)
    inline = parse_xml(_INLINE.format(cx=cx, cy=cy, id=shape_id, rid=rid))
    inline.xpath("./wp:docPr")[0].set("descr", _text(alt_text(table)))
    doc.add_paragraph().add_run()._r.add_drawing(inline)  # noqa: SLF001 - python-docx has no API for charts
    return True
