"""How a table fits on a printed A4 page: headings wrap between words, never inside one, and a table too
wide for the page is split into parts of whole columns, each repeating the row labels, so nothing is
ever clipped (the PDF and the Word file use the same rule, each with its own page width).

Widths are estimated in ems of the table's font, from the number of characters: generous for a
sans-serif font (capitals and bold included), so an estimate that fits really does fit.

It also decides which tables have nothing to show: a small school's "By sex", "By age", ... tables
whose every breakdown figure is hidden are not printed as pages of ``[c]``; the section says in one
sentence which comparisons could not be shown, and why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pmreport.disclosure.labels import listed

#: Average width of one character in ems (bold headings and capitals included, with room to spare).
CHAR_EM = 0.62
#: Cell padding and borders, left and right together, in ems.
PADDING_EM = 1.4
#: The width a figure column needs at least, in ems: room for "[c]" or "100%".
MIN_COLUMN_EM = 3.5
#: Printed A4 portrait text width, in ems of the table's font: 180 mm at 9.6 pt (the PDF's tables, 0.8rem)
#: and 170 mm at 9 pt (the Word tables).
PDF_WIDTH_EM = 180 / 25.4 * 72 / 9.6
DOCX_WIDTH_EM = 170 / 25.4 * 72 / 9
#: The row-label column may wrap to this many ems (its longest word permitting).
ROW_LABEL_EM = 14.0
#: The share of the page the estimated widths may fill: bold headings and the browser's font metrics run
#: wider than the character estimate (a 7-column trend table estimated at 96% of the page was cut off).
SAFETY = 0.9


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def column_em(label: str, texts: Sequence[str]) -> float:
    """The narrowest a figure column can be without breaking a word: its heading wraps between words;
    its figures do not wrap."""
    chars = max([_longest_word(label), *(len(t) for t in texts)])
    return max(MIN_COLUMN_EM, chars * CHAR_EM + PADDING_EM)


def row_label_em(table: Mapping[str, Any]) -> float:
    """The row-label column's width: its labels wrap between words, up to ``ROW_LABEL_EM``."""
    labels = [table.get("row_header") or "Staff", *(row["label"] for row in table["rows"])]
    longest_word = max(_longest_word(label) for label in labels) * CHAR_EM + PADDING_EM
    longest_label = max(len(label) for label in labels) * CHAR_EM + PADDING_EM
    return max(longest_word, min(longest_label, ROW_LABEL_EM))


def widths_em(table: Mapping[str, Any]) -> list[float]:
    """The narrowest width of each column (the row labels first) that keeps every word whole."""
    return [row_label_em(table)] + [
        column_em(column["label"], [row["cells"][j]["text"] for row in table["rows"]])
        for j, column in enumerate(table["columns"])]


def column_parts(table: Mapping[str, Any], page_em: float) -> list[list[int]]:
    """The table's columns (indices into ``columns``) in parts that each fit ``page_em`` beside the
    row labels: one part when the whole table fits."""
    widths = widths_em(table)
    room = page_em * SAFETY - widths[0]
    parts: list[list[int]] = [[]]
    used = 0.0
    for j, width in enumerate(widths[1:]):
        if parts[-1] and used + width > room:
            parts.append([])
            used = 0.0
        parts[-1].append(j)
        used += width
    return parts


def part_of(table: Mapping[str, Any], columns: list[int], number: int, total: int) -> dict[str, Any]:
    """The table cut down to ``columns`` (every row kept), its title saying which part it is."""
    if total == 1:
        return dict(table)
    part = dict(table)
    part["columns"] = [table["columns"][j] for j in columns]
    part["rows"] = [{**row, "cells": [row["cells"][j] for j in columns]} for row in table["rows"]]
    part["part"] = f"part {number} of {total}"
    return part


def split_for_page(table: Mapping[str, Any], page_em: float) -> list[dict[str, Any]]:
    """The table as printed on a page ``page_em`` wide: itself, or its parts."""
    parts = column_parts(table, page_em)
    return [part_of(table, cols, k, len(parts)) for k, cols in enumerate(parts, start=1)]


# ------------------------------------------------------------------------------ nothing to show

_FIGURES = ("count", "percent", "mean", "change")


def _figures(row: Mapping[str, Any], columns: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [cell for cell, column in zip(row["cells"], columns, strict=True) if column["kind"] in _FIGURES]


def nothing_to_show(table: Mapping[str, Any]) -> bool:
    """True when the table shows no figure about what it is for: it has no rows, every one of its
    outcome figures is hidden, or (a breakdown "by sex", "by age", ...) every figure of every group
    is hidden, so all it would repeat is the whole-staff row printed elsewhere."""
    rows, columns = table["rows"], table["columns"]
    if not rows:
        return True
    if all("symbol" in cell for row in rows for cell in _figures(row, columns)):
        return True
    breakdown = bool(table.get("row_header")) and len(rows) > 1
    return breakdown and all("symbol" in cell for row in rows[1:] for cell in row["cells"])


def nothing_shown_sentence(tables: Sequence[Mapping[str, Any]]) -> str | None:
    """One plain sentence for a section's tables that have nothing to show, or None."""
    titles = [t["title"] for t in tables if nothing_to_show(t)]
    if not titles:
        return None
    quoted = listed([f"“{title}”" for title in titles])
    if len(titles) == 1:
        return (f"No figures can be shown for {quoted}: the numbers of people are small enough that "
                "any figure could identify someone.")
    return (f"No figures can be shown for these {len(titles)} tables: {quoted}. The numbers of people are "
            "small enough that any figure could identify someone.")
