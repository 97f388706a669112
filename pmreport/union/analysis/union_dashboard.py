"""The union dashboard: ``union-dashboard.html``, one HTML file that opens offline and shows the union report's
published tables as charts with the same figures in a table beside each, filtered by cycle and by what the
figures are broken down by (sex, phase, local authority ...).

Its only input is ``union-tables.json`` (every table in it passed the disclosure audit); the page embeds that
content exactly as published, plus, for each table, the cycle and breakdown read from its own title and row
heading, which the filters use. It reuses the governors' dashboard's stylesheet, inlined plotly.js and
Content-Security-Policy (no request of any kind leaves the page).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from pmreport.dashboard.page import _asset as governors_asset
from pmreport.dashboard.page import _plotly_js, content_security_policy, script_json

OVERALL = "All schools together"
# Row headings as the tables carry them, in the words an officer uses
BREAKDOWN_WORDS = {"la": "Local authority", "la group": "Local authority", "local authority group": "Local authority",
                   "region group": "Region", "phase group": "Phase", "trust group": "Trust"}


def _asset(name: str) -> str:
    return resources.files("pmreport.union.analysis").joinpath("dashboard_assets", name).read_text(encoding="utf-8")


def table_cycle(table: dict[str, Any], cycles: list[str]) -> str | None:
    """The cycle a table is about: the cycle its title ends with (", 2024/25"); None for a table about every cycle."""
    m = re.search(r",\s*(\d{4}/\d{2})\s*$", str(table.get("title", "")))
    return m.group(1) if m and m.group(1) in cycles else None


def table_breakdown(table: dict[str, Any]) -> str:
    """What a table's rows are broken down by, from its row heading; tables of all schools together have none."""
    header = str(table.get("row_header") or "").strip()
    if not header:
        return OVERALL
    return BREAKDOWN_WORDS.get(header.lower(), header[:1].upper() + header[1:])


def facets(published: dict[str, Any]) -> list[dict[str, Any]]:
    """For each published table, in order: its cycle (None: every cycle) and its breakdown."""
    cycles = list(published.get("cycles") or [])
    return [{"cycle": table_cycle(t, cycles), "breakdown": table_breakdown(t)} for t in published["tables"]]


def _check(published: Any) -> dict[str, Any]:
    from pmreport.errors import PmreportError

    if not isinstance(published, dict) or not isinstance(published.get("tables"), list):
        raise PmreportError("This is not the union report's union-tables.json: it has no list of tables.",
                            "Give the union-tables.json written by pmreport union report.")
    for t in published["tables"]:
        if not isinstance(t, dict) or not {"title", "columns", "rows"} <= set(t):
            raise PmreportError("A table in union-tables.json has no title, columns or rows.",
                                "Write the report again with pmreport union report; do not edit union-tables.json.")
    return published


def render_union_dashboard(published: Any) -> str:
    """The dashboard HTML for the union report's published tables (the content of ``union-tables.json``)."""
    published = _check(published)
    shown = facets(published)
    cycles = [c for c in published.get("cycles") or [] if any(f["cycle"] in (c, None) for f in shown)]
    selected = published.get("cycle") if published.get("cycle") in cycles else (cycles[-1] if cycles else "")
    order = [OVERALL] + sorted({f["breakdown"] for f in shown} - {OVERALL})
    breakdowns = [b for b in order if any(f["breakdown"] == b for f in shown)]
    area = published.get("local_authority") or published.get("region")
    app_js, plotly_js = _asset("union-dashboard.js"), _plotly_js()
    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    return env.from_string(_asset("page.html.j2")).render(
        cycles=cycles, selected_cycle=selected, breakdowns=breakdowns, area=area,
        report_cycle=published.get("cycle") or "", withheld=published.get("withheld"),
        n_tables=len(published["tables"]),
        symbols=sorted({(s, str(m)) for t in published["tables"] for s, m in (t.get("symbols") or {}).items()}),
        csp=content_security_policy(plotly_js, app_js),
        plotly_js=Markup(plotly_js),  # noqa: S704 - plotly's own library, checked by the governors' dashboard
        app_js=Markup(app_js),  # noqa: S704 - our script, from the package
        data_json=Markup(script_json(published)),  # noqa: S704 - escaped by script_json
        facets_json=Markup(script_json(shown)),  # noqa: S704 - escaped by script_json
        css=Markup(governors_asset("dashboard.css")),  # noqa: S704 - the governors' dashboard's stylesheet
    )


def write_union_dashboard(tables_json: str | Path, out: str | Path) -> Path:
    """Read ``union-tables.json`` and write ``union-dashboard.html`` from it alone; return the path written."""
    from pmreport.safe_output import write_text

    published = json.loads(Path(tables_json).read_text(encoding="utf-8"))
    write_text(out, render_union_dashboard(published))
    return Path(out)
