"""The dashboard as one self-contained HTML file.

plotly.js is inlined once; the report's figures travel as one JSON payload in
``<script type="application/json" id="dashboard-data">``; a small script draws the panels from it.
The page fetches nothing: a Content-Security-Policy allows only its own two scripts (by hash) and
no connections, so it behaves the same from an email attachment, a USB stick or a web server.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from pmreport.dashboard.contract import clean_report

GROUP_LABELS = {"all": "All staff", "teachers": "Teachers", "support": "Support staff"}


def _asset(name: str) -> str:
    return resources.files("pmreport.dashboard").joinpath("assets", name).read_text(encoding="utf-8")


@cache
def _environment() -> Environment:
    return Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


@cache
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    js = get_plotlyjs()
    if "</script" in js.lower() or "<!--" in js:
        raise RuntimeError("this plotly.js cannot be inlined safely in a <script> element")
    return js


def script_json(payload: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no value can close or confuse it."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(*scripts: str) -> str:
    """Allow only these inline scripts, inline styles (plotly sets them) and images made in the page
    (plotly's "download as PNG" draws through a blob: image); no requests of any kind."""
    hashes = " ".join(_sha256(s) for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data: blob:; "
            "base-uri 'none'; form-action 'none'")


def _is_trend(table: dict[str, Any], cycles: list[str]) -> bool:
    """A table comparing cycles: its columns are labelled "<cycle>: ..."."""
    return any(c["label"].split(": ", 1)[0] in cycles for c in table["columns"] if ": " in c["label"])


def cycles_with_figures(payload: dict[str, Any]) -> list[str]:
    """The cycles the filter offers: those some table is shown for (a comparison of cycles is shown
    for its own cycle and every later one, as the page's script does)."""
    cycles = payload["cycles"]
    wanted = set()
    for table in (t for s in payload["sections"] for t in s["tables"]):
        if table["cycle"] not in cycles:
            continue
        if _is_trend(table, cycles):
            wanted.update(cycles[cycles.index(table["cycle"]):])
        else:
            wanted.add(table["cycle"])
    return [c for c in cycles if c in wanted] or [payload["cycle"]]


def dashboard_payload(report: Any) -> dict[str, Any]:
    """What the page embeds: the checked report, the policy section of each rule it names, and the
    headline cards for each cycle and staff group (:mod:`pmreport.report.headlines`)."""
    from pmreport.compliance import RULES
    from pmreport.report.fit import nothing_to_show
    from pmreport.report.headlines import build_headlines

    payload = clean_report(report)
    labels = {row["label"] for s in payload["sections"] for t in s["tables"] for row in t["rows"]}
    payload["citations"] = {r.title: r.citation for r in RULES if r.title in labels}
    titles = {r.id: r.title for r in RULES}
    payload["headlines"] = {cycle: {group: build_headlines(payload["sections"], cycle, group, titles)
                                    for group in GROUP_LABELS} for cycle in payload["cycles"]}
    # Tables with nothing to show (a small school's "By sex [c]", ...) are one sentence, as in the report.
    payload["nothing_to_show"] = [t["id"] for s in payload["sections"] for t in s["tables"] if nothing_to_show(t)]
    return payload


def left_out_text(payload: dict[str, Any]) -> str:
    """The report's own sentence on what it could not make from the school's records ("" when nothing)."""
    from pmreport.report.words import left_out_sentence

    return left_out_sentence(payload.get("left_out") or [])


def render_page(report: Any) -> str:
    """The dashboard HTML for a governors' report (``report.json`` content, checked first)."""
    payload = dashboard_payload(report)
    data = script_json(payload)
    cycles = cycles_with_figures(payload)
    app_js = _asset("dashboard.js")
    plotly_js = _plotly_js()
    groups = [g for g in GROUP_LABELS if any(t["staff_group"] == g for s in payload["sections"] for t in s["tables"])]
    template = _environment().from_string(_asset("page.html.j2"))
    return template.render(
        report=payload,
        left_out=left_out_text(payload),
        cycles=cycles,
        selected_cycle=payload["cycle"] if payload["cycle"] in cycles else cycles[-1],
        groups=[(g, GROUP_LABELS[g]) for g in groups or ["all"]],
        symbols=sorted(payload["symbols"].items(), key=lambda kv: ["c", "u", "low", "x", "z"].index(kv[0])
                       if kv[0] in ("c", "u", "low", "x", "z") else 9),
        csp=content_security_policy(plotly_js, app_js),
        plotly_js=Markup(plotly_js),  # noqa: S704 - plotly's own library, checked above
        app_js=Markup(app_js),  # noqa: S704 - our script, from the package
        data_json=Markup(data),  # noqa: S704 - escaped by script_json
        css=Markup(_asset("dashboard.css")),  # noqa: S704 - our stylesheet, from the package
    )
