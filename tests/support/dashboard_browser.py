"""The governors' dashboard in headless Chromium, for tests: launching it offline, opening a page with every
request but file:// blocked, and what the page should show, worked out from its data (mirrors dashboard.js)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium "
                                    "(make test installs it with scripts/ensure-chromium.sh)")


# ---- what the page should show, worked out from the payload (mirrors dashboard.js) ----------------

def _cycle_part(label: str, cycles: list[str]) -> str | None:
    head = label.split(": ", 1)[0] if ": " in label else None
    return head if head in cycles else None


def is_trend(table: dict[str, Any], cycles: list[str]) -> bool:
    return any(_cycle_part(c["label"], cycles) for c in table["columns"])


def shown_tables(payload: dict[str, Any], cycle: str, group: str) -> list[dict[str, Any]]:
    cycles = payload["cycles"]
    out = []
    for table in (t for s in payload["sections"] for t in s["tables"]):
        if table["staff_group"] != group or table["id"] in payload.get("nothing_to_show", ()):
            continue  # a table with nothing to show is one sentence, not a block
        if table["cycle"] not in cycles:
            out.append(table)
        elif is_trend(table, cycles):
            if cycles.index(table["cycle"]) <= cycles.index(cycle):
                out.append(table)
        elif table["cycle"] == cycle:
            out.append(table)
    return out


def charted_ids(payload: dict[str, Any], cycle: str, group: str) -> list[str]:
    return [t["id"] for t in shown_tables(payload, cycle, group) if t["chart"]["type"] != "none" and t["rows"]]


def expects_glance(payload: dict[str, Any], cycle: str, group: str) -> bool:
    cycles = payload["cycles"]
    for table in shown_tables(payload, cycle, group):
        for j, column in enumerate(table["columns"]):
            c = _cycle_part(column["label"], cycles)
            if c and column["kind"] == "percent" and cycles.index(c) <= cycles.index(cycle) and any(
                    "value" in row["cells"][j] for row in table["rows"]):
                return True
    return False


# ---- the browser ---------------------------------------------------------------------------------

@dataclass
class Visit:
    """One page, with every non-file request blocked and recorded, and every error recorded."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.blocked == [], f"the page tried to fetch {self.blocked}"
        assert self.errors == [], f"errors in the page: {self.errors}"

    def rendered(self) -> int:
        return int(self.page.evaluate("document.body.dataset.rendered || 0"))

    def wait_for_render(self, count: int, timeout_ms: int = 20_000) -> None:
        """Wait until the page has drawn everything ``count`` times. (A selector, not a script: the page's
        Content-Security-Policy rightly refuses the eval that wait_for_function would need.)"""
        self.page.wait_for_selector(f'body[data-rendered="{count}"]', state="attached", timeout=timeout_ms)

    def choose(self, selector: str, value: str) -> None:
        before = self.rendered()
        self.page.select_option(selector, value)
        self.wait_for_render(before + 1)

    def charts(self) -> list[dict[str, Any]]:
        """Every drawn chart: its table id, its traces, and whether plotly drew its SVG."""
        return self.page.evaluate("""() => Array.from(document.querySelectorAll('.chart')).map(gd => ({
            id: gd.dataset.tableId || gd.dataset.chart,
            drawn: gd.classList.contains('js-plotly-plot') && gd.querySelector('.main-svg') !== null,
            traces: (gd.data || []).map(t => ({name: t.name, x: t.x, y: t.y, color: (t.marker || {}).color,
                                                orientation: t.orientation || 'v'}))}))""")

    def shown_figures(self) -> list[str]:
        return self.page.evaluate(
            "() => Array.from(document.querySelectorAll('#tiles .figure, #sections td')).map(n => n.textContent)")


def open_page(browser: Any, path: Path, *, timeout_ms: int = 30_000) -> Visit:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-GB")
    page = context.new_page()
    visit = Visit(page)

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            visit.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: visit.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: None if r.url.startswith("file://") else visit.blocked.append(r.url))
    page.goto(path.as_uri())
    visit.wait_for_render(1, timeout_ms)
    return visit
