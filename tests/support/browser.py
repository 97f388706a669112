"""Headless Chromium for the dashboards' browser tests: a page opened from file:// with every other request
blocked and recorded, and every error in the page recorded."""

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
        """Wait until the page has drawn everything ``count`` times (a selector: the page's
        Content-Security-Policy refuses the eval that wait_for_function would need)."""
        self.page.wait_for_selector(f'body[data-rendered="{count}"]', state="attached", timeout=timeout_ms)

    def choose(self, selector: str, value: str) -> None:
        before = self.rendered()
        self.page.select_option(selector, value)
        self.wait_for_render(before + 1)


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)


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
