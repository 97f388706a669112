"""The governors' report as one self-contained HTML page: plotly.js inlined once, every chart beside
its table, Jinja2 with autoescaping so every string from the data is escaped."""

from __future__ import annotations

from typing import Any

from jinja2 import DictLoader, Environment
from markupsafe import Markup

from pmreport.report.charts import CHART_WIDTH, alt_text, figure
from pmreport.report.fit import PDF_WIDTH_EM, nothing_shown_sentence, nothing_to_show, split_for_page
from pmreport.report.summary import COMMENTARY_HEADING, SUMMARY_HEADING
from pmreport.report.templates import CSS, PAGE
from pmreport.report.words import METHOD_HEADING, PHASES, left_out_sentence

PLOTLY_CONFIG = {"displaylogo": False, "responsive": False, "showSendToCloud": False,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
                 "toImageButtonOptions": {"format": "png", "scale": 2}}


def _environment() -> Environment:
    return Environment(loader=DictLoader({"report.html": PAGE}), autoescape=True, keep_trailing_newline=True)


def chart_html(table: dict[str, Any]) -> str | None:
    """The chart of one table as a plotly div (no plotly.js: the page inlines it once), or None."""
    fig = figure(table)
    if fig is None:
        return None
    import plotly.io as pio

    fig["layout"]["width"] = CHART_WIDTH
    return pio.to_html(fig, validate=False, full_html=False, include_plotlyjs=False, div_id=f"chart-{table['id']}",
                       config=PLOTLY_CONFIG)


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string: quotes, backslashes and line ends escaped, and "<" too, so it can
    neither end the string nor the <style> element."""
    escaped = "".join(f"\\{ord(ch):X} " if ch in '"\\<>&\n\r' or ord(ch) < 32 else ch for ch in text)
    return Markup(f'"{escaped}"')  # noqa: S704 - every character that could break out is escaped above


def running_head(report: dict[str, Any]) -> Markup:
    """The text at the top of every printed page: DRAFT when it is one, the school and the cycle."""
    draft = "DRAFT: " if report.get("draft") else ""
    return css_string(f"{draft}{report['school']['name']}: {report['title']}, cycle {report['cycle']}")


def render_html(report: dict[str, Any]) -> str:
    """The whole page for report.json's dictionary."""
    charts: dict[str, Markup | None] = {}
    alts: dict[str, str] = {}
    for section in report["sections"]:
        for table in section["tables"]:
            if nothing_to_show(table):
                continue
            html = chart_html(table)
            charts[table["id"]] = Markup(html) if html else None  # plotly's own output: its JSON escapes "<"
            alts[table["id"]] = alt_text(table)
    plotly_js = None
    if any(charts.values()):
        from plotly.offline import get_plotlyjs

        plotly_js = Markup(get_plotlyjs())
    views = [{"section": s, "nothing": nothing_shown_sentence(s["tables"]),
              "tables": [(t, split_for_page(t, PDF_WIDTH_EM)) for t in s["tables"] if not nothing_to_show(t)]}
             for s in report["sections"]]
    page = _environment().get_template("report.html")
    return page.render(r=report, views=views, running_head=running_head(report), css=Markup(CSS), plotly_js=plotly_js, charts=charts, alts=alts,
                       left_out_text=left_out_sentence(report.get("left_out") or []), method_heading=METHOD_HEADING, summary_heading=SUMMARY_HEADING,
                       commentary_heading=COMMENTARY_HEADING, phase=PHASES.get(report["school"].get("phase") or "", ""))
