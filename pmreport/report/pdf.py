"""Print the governors' report to PDF with headless Debian chromium (the charts are drawn by plotly.js
in the page, so the PDF shows exactly what the HTML shows). Without chromium there is no PDF, only a
one-line warning."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--virtual-time-budget=5000",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run")
NO_CHROMIUM = ("chromium is not installed, so the PDF was not written (the HTML and Word versions were). "
               "Install it with: sudo apt-get install chromium")


def find_chromium() -> str | None:
    """The chromium executable, or None."""
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


class PdfFailed(RuntimeError):
    """chromium ran but did not produce a PDF."""


def print_pdf(html: Path, pdf: Path, chromium: str, timeout: float = 180) -> Path:
    """Print ``html`` (a local file) to ``pdf``."""
    with tempfile.TemporaryDirectory(prefix="pmreport-chromium-") as profile:
        command = [chromium, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf.resolve()}",
                   html.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfFailed(f"chromium did not finish printing the PDF within {timeout:.0f} seconds") from exc
    if done.returncode != 0 or not pdf.exists() or pdf.read_bytes()[:5] != b"%PDF-":
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise PdfFailed(f"chromium could not print the PDF (exit {done.returncode}) {tail[0]}".strip())
    return pdf
