"""Look at a printed document as a governor would: its pages' sizes, the words that are on the paper
(not cut off beyond its edge), and its pages as images (poppler-utils: pdftotext, pdftoppm)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

A4_PT = (595.3, 841.9)
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>')


def needs(binary: str) -> str:
    """The path of a system program the check needs, or skip (a missing system program, never our code)."""
    found = shutil.which(binary)
    if found is None:
        pytest.skip(f"{binary} is not installed (poppler-utils / chromium / LibreOffice): this check needs it")
    return found


@dataclass
class Page:
    width: float
    height: float
    words: list[tuple[float, float, str]]  # (left, right, text) of each word, in points


def pages(pdf: Path) -> list[Page]:
    """Every page: its size and its words with their horizontal extent."""
    out = subprocess.run([needs("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    found = []
    for width, height, body in _PAGE.findall(out.decode("utf-8")):
        words = [(float(x0), float(x1), html.unescape(text)) for x0, _, x1, _, text in _WORD.findall(body)]
        found.append(Page(float(width), float(height), words))
    return found


def text_on_paper(found: list[Page], margin_pt: float = 0.0) -> str:
    """The words that lie wholly on the paper, inside ``margin_pt`` of its left and right edges, in order,
    joined by single spaces."""
    return " ".join(text for page in found for left, right, text in page.words
                    if left >= margin_pt and right <= page.width - margin_pt)


def page_images(pdf: Path, folder: Path, dpi: int = 30) -> list[np.ndarray]:
    """The pages rendered to grey-scale images (0 black .. 255 white), as a reader would see them."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([needs("pdftoppm"), "-r", str(dpi), "-gray", str(pdf), str(folder / "page")], check=True,
                   capture_output=True)
    return [_read_pgm(path) for path in sorted(folder.glob("page*.pgm"))]


def _read_pgm(path: Path) -> np.ndarray:
    data = path.read_bytes()
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:  # magic, width, height, maxval (no comments in pdftoppm's output)
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    assert fields[0] == b"P5", path
    width, height = int(fields[1]), int(fields[2])
    return np.frombuffer(data[pos + 1:pos + 1 + width * height], dtype=np.uint8).reshape(height, width)


def ink_in_margin(image: np.ndarray, dpi: int, margin_mm: float) -> bool:
    """True when anything is drawn within ``margin_mm`` of the page's right edge (a clipped table runs
    on to the edge of the paper; nothing the report prints should come near it)."""
    band = max(1, round(margin_mm / 25.4 * dpi))
    return bool((image[:, -band:] < 200).any())
