"""The union report as self-contained HTML pages: plotly inlined once per page, every chart with its table.

Charts are drawn only from what a gated table publishes (a hidden figure is not drawn but named
with its symbol), in the Okabe-Ito palette, which stays distinct for the common kinds of colour
blindness. Each chart is followed by the table it comes from, which is the accessible version.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import pandas as pd

from pmreport.disclosure import UNION_POLICY, DisclosurePolicy, SafeTable
from pmreport.union.analysis.benchmark import Benchmark, headline
from pmreport.union.analysis.clustered_rates import INTERVALS_NOTE, INTERVALS_TITLE
from pmreport.union.analysis.figures import Figure, UnionFigures
from pmreport.union.analysis.method_section import method

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: Static charts: no zooming or panning, and a toolbar with one button only, to save the chart as an image.
CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False, "modeBarButtons": [["toImage"]],
          "toImageButtonOptions": {"format": "png", "scale": 2}}
SECTIONS = (
    ("pay", "Pay progression: is it fair?",
     "Pay progression of staff eligible for it, by each protected characteristic in turn, pooled across all "
     "schools. The odds ratio compares each group with a reference group within the same schools (a "
     "Mantel-Haenszel estimate stratified by school, the same as a logistic model with an effect for each "
     "school): 1 means no difference; below 1, lower odds of progressing. \"Clear difference?\" allows for "
     "every comparison in the report (Holm's method), so a \"yes\" by chance happens in at most 1 report in 20; "
     "\"Same in every school?\" tests whether the odds ratio differs between schools (Breslow-Day). No odds ratio "
     "is given for a group merged with \"not known\". The gap is the difference in the share progressing between "
     "the two groups within the same schools (a Mantel-Haenszel risk difference), in percentage points, with its "
     "95% interval: shown to a tenth of a point where it stands on 1,000 people or more, to a whole point from 100 "
     "people, and to 5 points below that. Under each table, each percentage's 95% interval allows for staff of "
     "the same school being alike, with its design effect (how much precision that costs)."),
    ("workload", "Workload", "Objectives, observation, teachers made reviewers of support staff, development "
     "placed outside school hours, and workload concerns raised at reviews."),
    ("spread", "How schools differ", "How many schools have each level of the workload measures: the spread "
     "across schools, not the average."),
    ("compliance", "Keeping to the policy", "For each rule of the model performance management policy, how many of "
     "the staff it applied to it was kept for."),
    ("trends", "Trends across cycles", "The same measures in each cycle the union holds returns for."),
)

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1a1a1a;max-width:1100px;
margin:0 auto;padding:1rem 1.5rem;line-height:1.45}
h1{font-size:1.7rem}h2{margin-top:2.2rem;border-bottom:2px solid #0072B2;padding-bottom:.2rem}
figure{margin:1.5rem 0 2rem 0}figcaption{font-weight:600;margin-bottom:.4rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem}th,td{border:1px solid #bbb;padding:.25rem .5rem;
text-align:right}th:first-child,td:first-child{text-align:left}thead th{background:#eef3f8}
.note{font-size:.85rem;color:#333}.derived{margin-top:.6rem}.lede{font-size:1.05rem}
@media print{html,body{height:auto!important}.modebar-container{display:none!important}figure{break-inside:avoid}}
"""


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def table_html(table: SafeTable, caption: str | None = None) -> str:
    d = table.to_public_dict()
    head = "".join(f"<th scope='col'>{esc(c['label'])}</th>" for c in d["columns"])
    body = "".join(
        f"<tr><th scope='row'>{esc(r['label'])}</th>" + "".join(f"<td>{esc(c['text'])}</td>" for c in r["cells"]) + "</tr>"
        for r in d["rows"])
    notes = "".join(f"<p class='note'>{esc(n)}</p>" for n in d["footnotes"])
    if not d["rows"]:
        body = f"<tr><td colspan='{len(d['columns']) + 1}'>Withheld: too few people to publish any figure.</td></tr>"
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f"<table>{cap}<thead><tr><th scope='col'>{esc(d['row_header'])}</th>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table><p class='note'>{esc(d['description'])}</p>{notes}")


def frame_html(frame: pd.DataFrame) -> str:
    head = "".join(f"<th scope='col'>{esc(c)}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{esc('' if pd.isna(v) else v)}</td>" for v in r) + "</tr>"
                   for r in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


class Page:
    """Collects figures; the first chart inlines plotly.js, the rest refer to it."""

    def __init__(self) -> None:
        self.first = True
        self.count = 0

    def chart(self, fig: Any, label: str) -> str:
        fig.update_layout(font={"family": "system-ui, Arial, sans-serif", "size": 13}, margin={"l": 10, "r": 10,
                          "t": 30, "b": 10}, plot_bgcolor="white", colorway=list(OKABE_ITO))
        fig.update_xaxes(fixedrange=True)
        fig.update_yaxes(fixedrange=True)
        fig.update_layout(dragmode=False)
        self.count += 1
        out = fig.to_html(full_html=False, include_plotlyjs=self.first, div_id=f"chart-{self.count}", config=CONFIG)
        self.first = False
        return f"<div role='img' aria-label='{esc(label)}'>{out}</div>"


def _values(table: SafeTable, kind: str) -> tuple[list[str], list[float | None], list[str]]:
    d = table.to_public_dict()
    col = next((i for i, c in enumerate(d["columns"]) if c["kind"] == kind), None)
    labels, values, texts = [], [], []
    for r in d["rows"]:
        if col is None:
            continue
        cell = r["cells"][col]
        labels.append(r["label"])
        value = cell.get("value")
        values.append(float(value) if isinstance(value, int | float) else None)
        texts.append(cell["text"])
    return labels, values, texts


def bar(page: Page, table: SafeTable, kind: str, unit: str) -> str:
    import plotly.graph_objects as go

    labels, values, texts = _values(table, kind)
    if sum(v is not None for v in values) < 1:
        return ""
    colours = [OKABE_ITO[0] if i == 0 else OKABE_ITO[1] for i in range(len(labels))]
    fig = go.Figure(go.Bar(y=labels, x=[v if v is not None else 0 for v in values], orientation="h",
                           marker_color=colours, text=[t if v is not None else f"{t} not shown" for t, v in
                                                       zip(texts, values, strict=True)],
                           textposition=["auto" if v else "outside" for v in values],
                           hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text=unit, gridcolor="#ddd")
    if kind == "percent":
        fig.update_xaxes(range=[0, 100], autorange=False)
    fig.update_layout(height=120 + 32 * len(labels), showlegend=False)
    return page.chart(fig, f"Bar chart: {table.title}")


def counts_chart(page: Page, table: SafeTable) -> str:
    import plotly.graph_objects as go

    d = table.to_public_dict()
    if not d["rows"]:
        return ""
    cols = [(i, c["label"]) for i, c in enumerate(d["columns"]) if c["kind"] == "count"]
    cells = d["rows"][0]["cells"]
    values = [cells[i].get("value") if isinstance(cells[i].get("value"), int | float) else None for i, _ in cols]
    fig = go.Figure(go.Bar(x=[label for _, label in cols], y=[v or 0 for v in values], marker_color=OKABE_ITO[2],
                           text=[cells[i]["text"] for i, _ in cols], textposition="auto"))
    fig.update_yaxes(title_text="Number of schools", gridcolor="#ddd")
    fig.update_layout(height=340, showlegend=False)
    return page.chart(fig, f"Bar chart: {table.title}")


def forest(page: Page, frame: pd.DataFrame, title: str) -> str:
    import plotly.graph_objects as go

    if frame is None or frame.empty:
        return ""
    lows = [float(x.split(" to ")[0]) for x in frame["95% interval"]]
    highs = [float(x.split(" to ")[1]) for x in frame["95% interval"]]
    orr = frame["Odds ratio"].astype(float).tolist()
    labels = [f"{g} v. {r}" for g, r in zip(frame["Group"], frame["Compared with"], strict=True)]
    fig = go.Figure(go.Scatter(x=orr, y=labels, mode="markers", marker={"color": OKABE_ITO[3], "size": 11,
                               "symbol": "diamond"},
                               error_x={"type": "data", "symmetric": False,
                                        "array": [h - o for h, o in zip(highs, orr, strict=True)],
                                        "arrayminus": [o - lo for o, lo in zip(orr, lows, strict=True)]}))
    fig.add_vline(x=1, line_dash="dash", line_color="#555")
    fig.update_xaxes(type="log", title_text="Odds ratio (log scale; 1 = no difference)", gridcolor="#ddd")
    fig.update_layout(height=120 + 40 * len(labels), showlegend=False)
    return page.chart(fig, f"Odds ratios: {title}")


def figure_html(page: Page, f: Figure) -> str:
    chart = ""
    if f.chart in ("rate", "compliance"):
        chart = bar(page, f.table, "percent", "Per cent")
    elif f.chart == "mean":
        chart = bar(page, f.table, "mean", "Average")
    elif f.chart == "counts":
        chart = counts_chart(page, f.table)
    parts = [f"<figure><figcaption>{esc(f.table.title)}</figcaption>{chart}{table_html(f.table)}"]
    if f.extra is not None and not f.extra.empty:
        parts.append(f"<div class='derived'><p><strong>{esc(f.extra_title)}</strong></p>"
                     f"{forest(page, f.extra, f.table.title)}{frame_html(f.extra)}"
                     "<p class='note'>Shown only for groups whose counts are published above.</p></div>")
    if f.intervals is not None and not f.intervals.empty:
        parts.append(f"<div class='derived'><p><strong>{esc(INTERVALS_TITLE)}</strong></p>{frame_html(f.intervals)}"
                     f"<p class='note'>{esc(INTERVALS_NOTE)}</p></div>")
    if f.gaps is not None and not f.gaps.empty:
        parts.append("<details class='derived'><summary>The same gaps cycle by cycle, by phase and by local "
                     f"authority</summary>{frame_html(f.gaps)}<p class='note'>[c]: not shown, because the schools "
                     "with people in both groups are fewer than 3, one school is more than half of the people "
                     "compared, or a group has fewer than 10 people.</p></details>")
    parts.append("</figure>")
    return "".join(parts)


def trend_html(page: Page, trend: pd.DataFrame) -> str:
    import plotly.graph_objects as go

    if trend is None or trend.empty:
        return ""
    fig = go.Figure()
    for i, column in enumerate(c for c in trend.columns if c != "Cycle"):
        fig.add_trace(go.Scatter(x=trend["Cycle"], y=trend[column], mode="lines+markers", name=column,
                                 line={"color": OKABE_ITO[i], "dash": ("solid", "dash")[i % 2]},
                                 marker={"symbol": ("circle", "square")[i % 2], "size": 9}))
    fig.update_yaxes(range=[0, 100], title_text="Per cent", gridcolor="#ddd")
    fig.update_layout(height=360, legend={"orientation": "h"})
    chart = page.chart(fig, "Line chart: pay progression and reviews by the deadline in each cycle")
    return (f"<figure><figcaption>Pay progression and reviews held by the deadline, by cycle</figcaption>{chart}"
            f"{frame_html(trend)}<p class='note'>Each figure is the published percentage of the table for that cycle "
            "below; a blank means it was not published.</p></figure>")


def _page(title: str, body: Sequence[str]) -> str:
    return ("<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body>{''.join(body)}</body></html>")


def method_html(policy: DisclosurePolicy) -> str:
    """How the figures were made, for a reader who is not a statistician (:mod:`.method`)."""
    parts = ["<h2 id='method'>How these figures were made</h2>"]
    parts += [f"<h3>{esc(heading)}</h3><p>{esc(text)}</p>" for heading, text in method(policy)]
    return "".join(parts)


def about_html(policy_words: str) -> str:
    return ("<h2 id='about'>About these figures</h2>"
            "<p>The figures come from the anonymised returns schools sent to the union. Nobody is named in a return: "
            "each person is a code, and characteristics are in bands. Every figure here has passed pmreport's "
            f"disclosure control for union reports: {esc(policy_words)}. An automatic audit tried to work out any "
            "hidden figure, or anyone's outcome, from everything on this page before it was written.</p>"
            "<p>[c] means a figure is not shown to protect the confidentiality of individual members of staff; "
            "[low] a figure that rounds to zero but is not zero; [z] not applicable; [x] not available.</p>")


def coverage_html(result: UnionFigures) -> str:
    """Who the figures stand on: schools and staff per cycle, and by phase and area for the cycle reported."""
    cov = result.coverage
    if cov is None:
        return ""
    parts = ["<h2 id='coverage'>Who these figures cover</h2>",
             "<p>The returns the union holds, cycle by cycle. Figures are published only for a cycle with rows about "
             "people from at least three schools, none of them more than half of those rows. Numbers of staff "
             "follow the same rules ([c] where a group has fewer than three schools, or one school is more than half "
             "of it) and are rounded to the nearest 5.</p>", frame_html(cov.per_cycle)]
    for frame, words in ((cov.by_phase, "by phase"), (cov.by_region, "by region"), (cov.by_area, "by local authority")):
        if frame is not None and not frame.empty:
            parts.append(f"<h3>Schools and staff {words}, {esc(result.cycle)}</h3>{frame_html(frame)}")
    if cov.not_shown is not None and not cov.not_shown.empty:
        parts.append(f"<h3>Characteristics not shown in the returns, {esc(result.cycle)}</h3>"
                     "<p>The share of staff whose value a return does not show (returns made before the equality "
                     "tables of format 2 left some out to keep people anonymous). Comparisons by a characteristic "
                     f"stand on the staff whose value is shown.</p>{frame_html(cov.not_shown)}")
    for warning in cov.warnings:
        parts.append(f"<p class='note'><strong>Warning:</strong> {esc(warning)}</p>")
    parts.append("<p class='note'>These are the schools that sent a return, not a sample chosen to represent every "
                 "school: a phase or area with few schools here stands for its own schools only, and a figure for all "
                 "schools leans towards the phases and areas with most staff in the returns.</p>")
    return "".join(parts)


def union_page(result: UnionFigures, policy_words: str, policy: DisclosurePolicy = UNION_POLICY) -> str:
    page = Page()
    sections = [] if result.withheld else list(SECTIONS)
    body = [f"<h1>Performance management across schools{esc(result.area_words)}: workload and fairness, "
            f"{esc(result.cycle)}</h1>",
            "<p class='lede'>Pooled figures from schools' anonymised returns. Cycles with figures: "
            f"{esc(', '.join(result.cycles) or 'none')}.</p>"]
    if result.withheld:
        body.append(f"<p class='lede'><strong>{esc(result.withheld)}</strong></p>")
    body.append("<nav><ul><li><a href='#coverage'>Who these figures cover</a></li>"
                + "".join(f"<li><a href='#{key}'>{esc(title)}</a></li>" for key, title, _ in sections)
                + "<li><a href='#method'>How these figures were made</a></li>"
                + "<li><a href='#about'>About these figures</a></li></ul></nav>")
    body.append(coverage_html(result))
    for key, title, words in sections:
        body.append(f"<h2 id='{key}'>{esc(title)}</h2><p>{esc(words)}</p>")
        if key == "trends":
            body.append(trend_html(page, result.trend))
        for f in result.section(key):
            if key == "trends":
                body.append(f"<details><summary>{esc(f.table.title)}</summary>{table_html(f.table)}</details>")
            else:
                body.append(figure_html(page, f))
    body.append(method_html(policy))
    body.append(about_html(policy_words))
    return _page(f"Union report {result.cycle}", body)


def benchmark_page(b: Benchmark, policy_words: str) -> str:
    import plotly.graph_objects as go

    page = Page()
    body = [f"<h1>School {esc(b.urn)} compared with similar schools, {esc(b.cycle)}</h1>",
            f"<p class='lede'>Similar schools: {esc(b.peer_description)} ({b.peer_count} schools, this school left out)."
            "</p>"]
    for kind, unit in (("percent", "Per cent"), ("mean", "Average")):
        rows = [c for c in b.comparisons if c.kind == kind]
        labels = [c.title for c in rows]
        fig = go.Figure()
        for i, (who, pick) in enumerate((("This school", lambda c: c.school), ("Similar schools", lambda c: c.peers))):
            values = [headline(pick(c), kind) for c in rows]
            fig.add_trace(go.Bar(y=labels, x=[v or 0 for v in values], name=who, orientation="h",
                                 marker_color=OKABE_ITO[i], marker_pattern_shape=("", "/")[i],
                                 text=[("not shown" if v is None else f"{v:g}") for v in values],
                                 textposition=["auto" if v else "outside" for v in values]))
        fig.update_yaxes(autorange="reversed")
        fig.update_xaxes(title_text=unit, gridcolor="#ddd")
        fig.update_layout(barmode="group", height=160 + 60 * len(labels), legend={"orientation": "h"})
        body.append(f"<figure><figcaption>{'Shares' if kind == 'percent' else 'Averages'}: this school and similar "
                    f"schools</figcaption>{page.chart(fig, 'Bar chart comparing this school with similar schools')}"
                    "</figure>")
    for c in b.comparisons:
        body.append(f"<h2>{esc(c.title)}</h2>{table_html(c.school, c.school.title)}{table_html(c.peers, c.peers.title)}")
    body.append(about_html(policy_words + "; this school's own figures follow the same rules except those about "
                                          "several schools"))
    return _page(f"School {b.urn} benchmark {b.cycle}", body)
