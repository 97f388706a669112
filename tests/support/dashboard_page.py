"""Reading the governors' dashboard page back in tests: its scripts, its embedded data and every string in it."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

#: The most a dashboard file may weigh (it is emailed to governors).
SIX_MB = 6 * 1024 * 1024


class _Scripts(HTMLParser):
    """Every <script> element: its attributes and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.scripts.append((self._open, "".join(self._text)))
            self._open = None


def scripts_of(page: str) -> list[tuple[dict[str, str | None], str]]:
    parser = _Scripts()
    parser.feed(page)
    return parser.scripts


def payload_of(page: str) -> dict[str, Any]:
    (data,) = [text for attrs, text in scripts_of(page) if attrs.get("id") == "dashboard-data"]
    return json.loads(data)


def strings(obj: Any, key: str = "") -> list[tuple[str, str]]:
    """Every string in ``obj`` with the key it sits under."""
    if isinstance(obj, str):
        return [(key, obj)]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in strings(v, k)]
    if isinstance(obj, list):
        return [s for v in obj for s in strings(v, key)]
    return []


def tables_of(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for s in payload["sections"] for t in s["tables"]]
