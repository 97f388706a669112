"""Charts of the report's tables: which chart suits a table (report.json's ``chart``) and the plotly figure.

A chart only ever shows what its table publishes: a hidden figure is not drawn but marked with its
symbol, and the table beside the chart holds every figure. The palette is Okabe–Ito (safe for the
common kinds of colour blindness); beyond its eight colours, bars also get a hatching pattern.

``chart`` in report.json is ``{"type": ..., "value_column": ...}``:

* ``bar``: one bar per row, of the column labelled ``value_column`` (a percentage or an average).
* ``stacked_bar``: one bar per row, split into the table's ``count`` columns; ``value_column`` is the
  label of the ``size`` column they make up ("Number of staff").
* ``line``: one line per row across the table's cycles; ``value_column`` is the latest cycle's column
  (``"2025/26: Met their objectives (%)"``); the points are the columns labelled
  ``"<cycle>: <the same measure>"`` for every cycle in the table.
* ``none``: no chart (``value_column`` is null): too few figures are published to draw one.
"""

from __future__ import annotations

from typing import Any

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: Colours dark enough for white labels (contrast at least 4.5:1); every other colour gets black labels.
DARK = ("#0072B2", "#000000")
PATTERNS = ("", "/", "\\", "x", ".", "+", "-", "|")
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif'
INK = "#1a1a1a"
NONE = {"type": "none", "value_column": None}


def _published(public: dict[str, Any], col: int) -> list[float | None]:
    return [row["cells"][col].get("value") for row in public["rows"]]


def _col(public: dict[str, Any], kind: str) -> list[int]:
    return [i for i, c in enumerate(public["columns"]) if c["kind"] == kind]


def chart_spec(public: dict[str, Any], hint: str) -> dict[str, Any]:
    """The chart that suits a published table (``hint``: frequency, rate, mean, compliance or yoy)."""
    if not public["rows"]:
        return dict(NONE)
    cols = public["columns"]

    def shown(i: int) -> int:
        return sum(v is not None for v in _published(public, i))

    if hint == "yoy":
        for kind in ("percent", "count"):
            last = _col(public, kind)[-1:]
            if last and shown(last[0]):
                return {"type": "line", "value_column": cols[last[0]]["label"]}
        return dict(NONE)
    pct = _col(public, "percent")
    if hint in ("rate", "compliance") and pct and shown(pct[0]) >= 2:
        return {"type": "bar", "value_column": cols[pct[0]]["label"]}
    mean = _col(public, "mean")
    if hint == "mean":
        if mean and len(public["rows"]) > 1 and shown(mean[0]) >= 2:
            return {"type": "bar", "value_column": cols[mean[0]]["label"]}
        return dict(NONE)
    counts = _col(public, "count")
    size = _col(public, "size")
    nonzero = sum(bool(v) for i in counts for v in _published(public, i))
    if hint in ("frequency", "rate") and size and nonzero and sum(shown(i) for i in counts) >= 2:
        return {"type": "stacked_bar", "value_column": cols[size[0]]["label"]}
    return dict(NONE)


# --------------------------------------------------------------------------------------------- figures


def wrap(label: str, width: int = 28) -> str:
    """A long row label over several lines (plotly breaks lines at <br>), so the bars keep their room."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


#: The width the charts are drawn at, in CSS pixels (fits an A4 page with 15 mm margins).
CHART_WIDTH = 680
LEGEND_ROW = 24


def legend_rows(names: list[str], width: int = CHART_WIDTH) -> int:
    """How many rows a horizontal legend of ``names`` takes: plotly lines its entries up in columns as
    wide as the widest entry (a swatch and a gap, then 13 px text at about 8 px a character)."""
    if not names:
        return 0
    entry = 44 + 8 * max(len(name) for name in names)
    per_row = max(1, (width - 60) // entry)
    return -(-len(names) // per_row)


def _layout(labels: list[str], legend: list[str], xaxis: dict[str, Any]) -> dict[str, Any]:
    """The layout of a horizontal bar chart; ``legend`` names its series when it has a legend. The legend
    gets all the room it needs above the bars, so no entry hides behind a scrollbar."""
    lines = sum(max(1, label.count("<br>") + 1) for label in labels)
    room = LEGEND_ROW * legend_rows(legend) + 16 if legend else 0
    return {
        "font": {"family": FONT, "size": 13, "color": INK},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "height": 90 + 26 * len(labels) + 16 * lines + room,
        "margin": {"l": 10, "r": 40, "t": room or 10, "b": 40},
        "showlegend": bool(legend),
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal",
                   "maxheight": 1},
        "xaxis": {"gridcolor": "#d0d0d0", "zeroline": True, "zerolinecolor": "#595959", "automargin": True,
                  **{k: v for k, v in xaxis.items() if v is not None}},
        "yaxis": {"autorange": "reversed", "automargin": True, "type": "category"},
        "bargap": 0.35,
    }


def _symbols_note(public: dict[str, Any], cols: list[int], labels: list[str]) -> list[dict[str, Any]]:
    """Mark each row whose charted figures are hidden with its symbol, at the start of the axis."""
    notes = []
    for r, row in enumerate(public["rows"]):
        symbols = {row["cells"][c]["text"] for c in cols if "symbol" in row["cells"][c]}
        if symbols and all("symbol" in row["cells"][c] for c in cols):
            notes.append({"x": 0, "y": labels[r], "text": " ".join(sorted(symbols)), "showarrow": False,
                          "xanchor": "left", "font": {"color": INK}})
    return notes


def _bar(public: dict[str, Any], column: str) -> dict[str, Any]:
    c = [x["label"] for x in public["columns"]].index(column)
    kind = public["columns"][c]["kind"]
    labels = [wrap(row["label"]) for row in public["rows"]]
    values = _published(public, c)
    trace = {"type": "bar", "x": values, "y": labels, "orientation": "h",
             "text": [row["cells"][c]["text"] for row in public["rows"]], "textposition": "outside",
             "cliponaxis": False, "marker": {"color": OKABE_ITO[0], "line": {"color": INK, "width": 1}},
             "hovertemplate": "%{y}: %{text}<extra></extra>", "name": column}
    top = max([v for v in values if v is not None] or [1])
    axis = {"title": {"text": column}, "range": [0, 112] if kind == "percent" else [0, top * 1.2],
            "tickvals": [0, 20, 40, 60, 80, 100] if kind == "percent" else None,
            "ticksuffix": "%" if kind == "percent" else ""}
    layout = _layout(labels, [], axis)
    layout["annotations"] = _symbols_note(public, [c], labels)
    return {"data": [trace], "layout": layout}


def _stacked(public: dict[str, Any]) -> dict[str, Any]:
    labels = [wrap(row["label"]) for row in public["rows"]]
    counts = _col(public, "count")
    traces = []
    for n, c in enumerate(counts):
        label = public["columns"][c]["label"]
        colour = OKABE_ITO[n % len(OKABE_ITO)]
        traces.append({
            "type": "bar", "x": _published(public, c), "y": labels, "orientation": "h", "name": label,
            "text": [row["cells"][c].get("text") if "value" in row["cells"][c] else "" for row in public["rows"]],
            "textposition": "inside", "insidetextanchor": "middle",
            "marker": {"color": colour, "line": {"color": INK, "width": 1},
                       "pattern": {"shape": PATTERNS[(n // len(OKABE_ITO)) % len(PATTERNS)]}},
            "textfont": {"color": "#ffffff" if colour in DARK else "#000000"},
            "hovertemplate": f"%{{y}}, {label}: %{{text}}<extra></extra>"})
    layout = _layout(labels, [t["name"] for t in traces], {"title": {"text": "Number of staff"}})
    layout["barmode"] = "stack"
    layout["annotations"] = _symbols_note(public, counts, labels)
    return {"data": traces, "layout": layout}


def _line(public: dict[str, Any], column: str) -> dict[str, Any]:
    measure = column.split(": ", 1)[1]
    points = [(i, c["label"].split(": ", 1)[0]) for i, c in enumerate(public["columns"])
              if ": " in c["label"] and c["label"].split(": ", 1)[1] == measure]
    cycles = [p[1] for p in points]
    percent = public["columns"][points[-1][0]]["kind"] == "percent"
    markers = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon")
    dashes = ("solid", "dash", "dot", "dashdot")
    names = [row["label"] for row in public["rows"]]
    traces = [{
        "type": "scatter", "x": cycles, "y": [row["cells"][i].get("value") for i, _ in points], "name": row["label"],
        "mode": "lines+markers+text", "text": [row["cells"][i]["text"] for i, _ in points],
        "textposition": "top center", "line": {"color": OKABE_ITO[r % len(OKABE_ITO)], "width": 3,
                                                      "dash": dashes[(r // len(OKABE_ITO)) % len(dashes)]},
        "marker": {"symbol": markers[r % len(markers)], "size": 10, "color": OKABE_ITO[r % len(OKABE_ITO)]}, "cliponaxis": False,
        "hovertemplate": f"{row['label']}, %{{x}}: %{{text}}<extra></extra>"} for r, row in enumerate(public["rows"])]
    layout = {
        "font": {"family": FONT, "size": 13, "color": INK}, "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "height": 300 + LEGEND_ROW * legend_rows(names), "showlegend": True,
        "margin": {"l": 10, "r": 30, "t": 30, "b": 70 + LEGEND_ROW * legend_rows(names)},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0, "maxheight": 1},
        "xaxis": {"type": "category", "title": {"text": "Cycle"}},
        "yaxis": {"title": {"text": measure}, "rangemode": "tozero", "gridcolor": "#d0d0d0", "automargin": True,
                  **({"range": [0, 105], "ticksuffix": "%"} if percent else {})}}
    return {"data": traces, "layout": layout}


def figure(table: dict[str, Any]) -> dict[str, Any] | None:
    """The plotly figure of one report.json table, as plotly's JSON form (``{"data": [...], "layout": {...}}``;
    ``None`` when its chart is ``none``). Plain dictionaries: building plotly's validated Figure objects
    cost more than the rest of the page; ``plotly.graph_objects.Figure(figure(table))`` gives one."""
    spec = table.get("chart") or NONE
    if spec["type"] == "bar":
        return _bar(table, str(spec["value_column"]))
    if spec["type"] == "stacked_bar":
        return _stacked(table)
    if spec["type"] == "line":
        return _line(table, str(spec["value_column"]))
    return None


def alt_text(table: dict[str, Any]) -> str:
    """A short description of the chart for screen readers, pointing to the table with the figures."""
    spec = table["chart"]
    kind = {"bar": "Bar chart", "stacked_bar": "Stacked bar chart", "line": "Line chart"}.get(spec["type"], "Chart")
    return f"{kind}: {table['title']}. Every figure is in the table that follows the chart."
