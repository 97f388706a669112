"""The governors' dashboard in real headless Chromium, opened from file:// with every other request blocked.

Skipped only when /usr/bin/chromium is absent (``make test`` installs it: scripts/ensure-chromium.sh).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmreport.dashboard import write_dashboard
from pmreport.dashboard.page import dashboard_payload
from tests.support.dashboard_browser import (
    CHROMIUM,
    LAUNCH_ARGS,
    Visit,
    charted_ids,
    expects_glance,
    needs_chromium,
    open_page,
    shown_tables,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "report_sample.json"
ARTIFACTS = ROOT / "tests" / "artifacts"
OKABE_ITO = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}
CANARY = "<script>window.__pwned = true</script>"
pytestmark = needs_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def payload() -> dict[str, Any]:
    return dashboard_payload(json.loads(FIXTURE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def dashboard_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dashboard") / "dashboard.html"
    write_dashboard(json.loads(FIXTURE.read_text(encoding="utf-8")), out)
    return out


@pytest.fixture(scope="module")
def opened(browser, dashboard_file) -> Iterator[Visit]:
    """The page is opened once per module (parsing plotly.js and drawing every chart takes seconds)."""
    v = open_page(browser, dashboard_file)
    yield v
    v.page.context.close()


@pytest.fixture
def visit(opened, payload) -> Visit:
    """The opened page with its filters back at the report's cycle and all staff, scrolled to the top."""
    page = opened.page
    page.emulate_media(media="screen")
    if page.eval_on_selector("#cycle-filter", "s => s.value") != payload["cycle"]:
        opened.choose("#cycle-filter", payload["cycle"])
    if page.eval_on_selector("#group-filter", "s => s.value") != "all":
        opened.choose("#group-filter", "all")
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.click(5, 5)  # the masthead: the next Tab starts from the top of the page
    return opened


# ---- the tests -----------------------------------------------------------------------------------

def test_opens_offline_without_errors_and_draws_every_chart(visit, payload) -> None:
    cycle, group = payload["cycle"], "all"
    expected = charted_ids(payload, cycle, group)
    charts = visit.charts()
    table_charts = [c for c in charts if c["id"] != "trend-glance"]
    assert [c["id"] for c in table_charts] == expected
    assert len(expected) >= 20
    assert visit.page.locator(".js-plotly-plot").count() == len(charts)
    assert visit.page.locator(".js-plotly-plot .main-svg").count() >= len(charts)
    for chart in charts:
        assert chart["drawn"], f"chart {chart['id']} was not drawn"
        assert chart["traces"], f"chart {chart['id']} has no data"
    assert [c["id"] for c in charts].count("trend-glance") == int(expects_glance(payload, cycle, group))
    ARTIFACTS.mkdir(exist_ok=True)
    height = visit.page.evaluate("document.documentElement.scrollHeight")
    visit.page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True,
                          clip={"x": 0, "y": 0, "width": 1280, "height": min(2600, height)})
    visit.assert_clean()


def _values(table: dict[str, Any], j: int) -> list[float | None]:
    return [row["cells"][j].get("value") for row in table["rows"]]


def test_charts_show_published_figures_and_leave_hidden_ones_as_gaps(visit, payload) -> None:
    tables = {t["id"]: t for s in payload["sections"] for t in s["tables"]}
    checked_gaps = 0
    for chart in visit.charts():
        if chart["id"] == "trend-glance":
            continue
        table = tables[chart["id"]]
        labels = [c["label"] for c in table["columns"]]
        kind = table["chart"]["type"]
        if kind == "bar":
            (trace,) = chart["traces"]
            assert trace["x"] == _values(table, labels.index(table["chart"]["value_column"]))
            assert trace["color"] in OKABE_ITO
        elif kind == "stacked_bar":
            counts = [j for j, c in enumerate(table["columns"]) if c["kind"] == "count"]
            assert [t["x"] for t in chart["traces"]] == [_values(table, j) for j in counts]
            assert all(t["color"] in OKABE_ITO for t in chart["traces"])
        else:
            measure = table["chart"]["value_column"].split(": ", 1)[1]
            points = [j for j, c in enumerate(labels) if c.split(": ", 1)[-1] == measure and ": " in c]
            assert [t["y"] for t in chart["traces"]] == [[row["cells"][j].get("value") for j in points]
                                                          for row in table["rows"]]
        checked_gaps += sum(v is None for t in chart["traces"] for v in (t["x"] if t["orientation"] == "h" else t["y"]))
    assert checked_gaps > 0, "the fixture should chart some hidden figures"
    # every hidden figure in the tables shows its symbol and nothing else
    cells = visit.page.evaluate("""() => Array.from(document.querySelectorAll('td.sym')).map(td => ({
        symbol: td.dataset.symbol, text: td.textContent, attrs: td.getAttributeNames()}))""")
    assert cells and all(c["text"] == f"[{c['symbol']}]" and sorted(c["attrs"]) == ["class", "data-symbol"] for c in cells)
    visit.assert_clean()


def test_filters_change_the_figures_shown(visit, payload) -> None:
    cycles = payload["cycles"]
    before = visit.shown_figures()
    visit.choose("#group-filter", "teachers")
    expected = charted_ids(payload, payload["cycle"], "teachers")
    assert [c["id"] for c in visit.charts() if c["id"] != "trend-glance"] == expected
    teachers = visit.shown_figures()
    assert teachers != before
    visit.choose("#cycle-filter", cycles[-2])
    visit.choose("#group-filter", "all")
    expected = charted_ids(payload, cycles[-2], "all")
    charts = visit.charts()
    assert [c["id"] for c in charts if c["id"] != "trend-glance"] == expected
    assert all(c["drawn"] and c["traces"] for c in charts)
    assert visit.shown_figures() not in (before, teachers)
    assert cycles[-2] in visit.page.locator("#status").text_content()
    shown = visit.page.evaluate("() => Array.from(document.querySelectorAll('.table-block')).map(a => a.dataset.tableId)")
    assert shown == [t["id"] for t in shown_tables(payload, cycles[-2], "all")]
    visit.assert_clean()


def test_filters_work_from_the_keyboard_with_visible_focus(visit, payload) -> None:
    page = visit.page
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "cycle-filter":
            break
    assert page.evaluate("document.activeElement.id") == "cycle-filter"
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                                     return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow}; }""")
    assert style["style"] != "none" and style["width"] >= 2 and style["shadow"] != "none"
    before = visit.rendered()
    page.keyboard.press("ArrowUp")
    visit.wait_for_render(before + 1)
    assert page.eval_on_selector("#cycle-filter", "s => s.value") == payload["cycles"][-2]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "group-filter"
    before = visit.rendered()
    page.keyboard.press("ArrowDown")
    visit.wait_for_render(before + 1)
    assert page.eval_on_selector("#group-filter", "s => s.value") == "teachers"
    assert "teachers" in page.locator("#status").text_content()
    visit.assert_clean()


def test_script_in_a_title_is_shown_as_text_and_never_runs(visit, payload) -> None:
    page = visit.page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("script").count() == 3
    (table_id,) = [t["id"] for s in payload["sections"] for t in s["tables"] if CANARY in t["title"]]
    heading = page.locator(f'article[data-table-id="{table_id}"] h3').text_content()
    assert CANARY in heading
    visit.assert_clean()


def test_printing_hides_controls_and_keeps_panels_whole(visit) -> None:
    page = visit.page
    page.emulate_media(media="print")
    hidden = page.evaluate("() => Array.from(document.querySelectorAll('.modebar-container')).map(n => getComputedStyle(n).display)")
    assert hidden and set(hidden) == {"none"}
    breaks = page.evaluate("""() => Array.from(document.querySelectorAll('.table-block, .headlines, .glance, .key'))
                                     .map(n => getComputedStyle(n).breakInside)""")
    assert set(breaks) == {"avoid"}
    assert page.evaluate("parseFloat(getComputedStyle(document.body).height) > 3 * window.innerHeight")
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
    visit.assert_clean()


def test_every_chart_has_a_table_beside_it_and_a_label(visit) -> None:
    page = visit.page
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    pairs = page.evaluate("""() => Array.from(document.querySelectorAll('.chart')).map(c => ({
        role: c.getAttribute('role'), label: c.getAttribute('aria-label') || '',
        table: c.parentElement.querySelector('table') !== null}))""")
    assert pairs and all(p["role"] == "img" and p["label"].startswith(("Chart", "Line chart")) and p["table"] for p in pairs)
    for select in ("cycle-filter", "group-filter"):
        assert page.locator(f'label[for="{select}"]').count() == 1
    assert re.match(r"Showing \d{4}/\d{2}, all staff: \d+ tables and \d+ charts\.", page.locator("#status").text_content())
    visit.assert_clean()


def test_charts_can_be_saved_as_png_offline_but_never_sent_online(visit) -> None:
    page = visit.page
    buttons = page.evaluate(
        "() => [...new Set(Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.dataset.title))]")
    assert buttons == ["Download plot as a PNG"]  # plotly.js 4's "Share chart..." (Plotly Cloud) is removed
    png = page.evaluate("() => Plotly.toImage(document.querySelector('.js-plotly-plot'), {format: 'png', width: 300, height: 200})")
    assert png.startswith("data:image/png;base64,")
    visit.assert_clean()
