"""Finding a browser to print the PDF with, on each kind of system, with made-up install folders; and the
report without one (HTML and Word written, a message that says how to get a PDF)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmreport.report import pdf


def _exe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    path.chmod(0o755)
    return path


def _nothing_on_path(name: str) -> str | None:
    return None


def test_windows_program_files_and_local_app_data(tmp_path: Path) -> None:
    env = {"PROGRAMFILES": str(tmp_path / "pf"), "PROGRAMFILES(X86)": str(tmp_path / "pf86"),
           "LOCALAPPDATA": str(tmp_path / "local")}
    assert pdf.find_browser("Windows", env, tmp_path / "home", _nothing_on_path) is None
    edge = _exe(tmp_path / "pf86" / "Microsoft" / "Edge" / "Application" / "msedge.exe")
    assert pdf.find_browser("Windows", env, tmp_path / "home", _nothing_on_path) == str(edge)
    chrome = _exe(tmp_path / "local" / "Google" / "Chrome" / "Application" / "chrome.exe")
    # Chrome is preferred to Edge when both are there
    assert pdf.find_browser("Windows", env, tmp_path / "home", _nothing_on_path) == str(chrome)


def test_macos_applications_in_the_home_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert pdf.find_browser("Darwin", {}, home, _nothing_on_path) is None
    app = _exe(home / "Applications" / "Chromium.app" / "Contents" / "MacOS" / "Chromium")
    assert pdf.find_browser("Darwin", {}, home, _nothing_on_path) == str(app)


def test_playwright_newest_revision_on_linux(tmp_path: Path) -> None:
    home = tmp_path / "home"
    cache = home / ".cache" / "ms-playwright"
    _exe(cache / "chromium-1090" / "chrome-linux" / "chrome")
    newest = _exe(cache / "chromium-1105" / "chrome-linux64" / "chrome")
    _exe(cache / "firefox-1400" / "firefox" / "firefox")
    found = [c for c in pdf.browser_candidates("Linux", {}, home) if c.is_file()]
    # the usual Linux places come first; on this made-up system only Playwright's copies exist
    assert [str(c) for c in found if str(c).startswith(str(tmp_path))] == [
        str(newest), str(cache / "chromium-1090" / "chrome-linux" / "chrome")]


def test_playwright_folder_named_in_the_environment(tmp_path: Path) -> None:
    browsers = tmp_path / "browsers"
    chrome = _exe(browsers / "chromium-1200" / "chrome-win64" / "chrome.exe")
    env = {"PLAYWRIGHT_BROWSERS_PATH": str(browsers)}
    assert pdf.find_browser("Windows", env, tmp_path / "home", _nothing_on_path) == str(chrome)


def test_path_then_the_named_browser(tmp_path: Path) -> None:
    on_path = {"google-chrome": "/made/up/google-chrome", "msedge": "/made/up/msedge"}
    assert pdf.find_browser("Linux", {}, tmp_path, on_path.get) == "/made/up/google-chrome"
    named = _exe(tmp_path / "portable" / "chrome")
    env = {pdf.BROWSER_VARIABLE: str(named)}
    assert pdf.find_browser("Linux", env, tmp_path, on_path.get) == str(named)
    # a name that is neither a file nor on the PATH finds nothing (it is not silently replaced by another)
    assert pdf.find_browser("Linux", {pdf.BROWSER_VARIABLE: str(tmp_path / "gone")}, tmp_path, on_path.get) is None


def test_the_message_says_how_to_get_a_pdf() -> None:
    text = pdf.NO_BROWSER
    assert "HTML and Word" in text
    assert "print it to PDF" in text
    assert "playwright install chromium" in text
    assert pdf.BROWSER_VARIABLE in text


def test_a_browser_that_writes_nothing_is_a_clear_failure(tmp_path: Path) -> None:
    fake = _exe(tmp_path / "fake-browser")
    fake.write_text("#!/bin/sh\nexit 0\n")
    html = tmp_path / "page.html"
    html.write_text("<p>hello</p>")
    with pytest.raises(pdf.PdfFailed):
        pdf.print_pdf(html, tmp_path / "page.pdf", str(fake), timeout=20)
    assert not (tmp_path / "page.pdf").exists()
