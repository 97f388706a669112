"""Print the governors' report to PDF with a Chromium-based browser (Chrome, Chromium or Edge, installed
anywhere usual, or one installed by Playwright). The charts are drawn by plotly.js in the page, so the
PDF shows exactly what the HTML shows.

The browser is started once, headless, and driven over its DevTools pipe: the page is printed as soon
as it has loaded, its fonts are ready and two frames have been drawn (no fixed wait). Where the pipe is
not available (Windows), the browser's own ``--print-to-pdf`` is used. Without a browser there is no PDF,
only a warning saying how to get one; the HTML and Word files are written all the same.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import platform
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from pmreport.safe_output import write_bytes

#: Set this to a browser's full path to use that one.
BROWSER_VARIABLE = "PMREPORT_BROWSER"

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
         "--disable-extensions", "--mute-audio")
#: Only for the ``--print-to-pdf`` route: there the browser decides when the page is ready.
CLI_FLAGS = ("--no-pdf-header-footer", "--virtual-time-budget=5000")

NO_BROWSER = ("no Chrome, Chromium or Edge browser was found, so the PDF was not written (the HTML and Word "
              "versions were). To get a PDF, open governors_report.html in a browser and print it to PDF, or "
              "install Google Chrome, Chromium or Microsoft Edge (or run: python -m playwright install chromium) "
              f"and run the command again; a browser elsewhere can be named in the {BROWSER_VARIABLE} "
              "environment variable.")
NO_CHROMIUM = NO_BROWSER  # the name used before other browsers were looked for

#: Names looked for on the PATH, in order.
PATH_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
              "microsoft-edge", "microsoft-edge-stable", "msedge")
LINUX_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium", "/usr/bin/google-chrome",
               "/usr/bin/google-chrome-stable", "/opt/google/chrome/chrome", "/usr/bin/microsoft-edge",
               "/opt/microsoft/msedge/msedge")
MAC_APPS = ("Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium",
            "Microsoft Edge.app/Contents/MacOS/Microsoft Edge")
#: Below %PROGRAMFILES%, %PROGRAMFILES(X86)% and %LOCALAPPDATA%.
WINDOWS_PATHS = (r"Google\Chrome\Application\chrome.exe", r"Chromium\Application\chrome.exe",
                 r"Microsoft\Edge\Application\msedge.exe")
#: Inside a Playwright browser folder (``chromium-<revision>``), by system, newest layouts first.
PLAYWRIGHT_EXECUTABLES = {
    "Linux": ("chrome-linux64/chrome", "chrome-linux/chrome"),
    "Darwin": ("chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
               "chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
               "chrome-mac/Chromium.app/Contents/MacOS/Chromium"),
    "Windows": ("chrome-win64/chrome.exe", "chrome-win/chrome.exe"),
}


def _playwright_dirs(system: str, env: Mapping[str, str], home: Path) -> list[Path]:
    if env.get("PLAYWRIGHT_BROWSERS_PATH") not in (None, "", "0"):
        return [Path(env["PLAYWRIGHT_BROWSERS_PATH"])]
    if system == "Windows":
        return [Path(env["LOCALAPPDATA"]) / "ms-playwright"] if env.get("LOCALAPPDATA") else []
    if system == "Darwin":
        return [home / "Library" / "Caches" / "ms-playwright"]
    cache = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else home / ".cache"
    return [cache / "ms-playwright"]


def _revision(folder: Path) -> int:
    tail = folder.name.rpartition("-")[2]
    return int(tail) if tail.isdigit() else -1


def browser_candidates(system: str | None = None, env: Mapping[str, str] | None = None,
                       home: Path | None = None) -> list[Path]:
    """Where a browser is looked for on this kind of system, in order (the PATH apart)."""
    system = system or platform.system()
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    found: list[Path] = []
    if system == "Windows":
        roots = [env.get(v) for v in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA")]
        found += [Path(root, *rel.split("\\")) for rel in WINDOWS_PATHS for root in roots if root]
    elif system == "Darwin":
        found += [Path(base) / app for app in MAC_APPS for base in ("/Applications", home / "Applications")]
    else:
        found += [Path(p) for p in LINUX_PATHS]
    for folder in _playwright_dirs(system, env, home):
        if not folder.is_dir():
            continue
        for browser in sorted(folder.glob("chromium-*"), key=_revision, reverse=True):
            found += [browser / rel for rel in PLAYWRIGHT_EXECUTABLES.get(system, PLAYWRIGHT_EXECUTABLES["Linux"])]
    return found


def find_browser(system: str | None = None, env: Mapping[str, str] | None = None, home: Path | None = None,
                 which: Callable[[str], str | None] = shutil.which) -> str | None:
    """A Chromium-based browser to print with: the one named in ``PMREPORT_BROWSER``, one on the PATH, one at
    a usual place for this system, or one installed by Playwright; ``None`` when there is none."""
    env = os.environ if env is None else env
    named = env.get(BROWSER_VARIABLE)
    if named:
        return named if Path(named).is_file() else which(named)
    for name in PATH_NAMES:
        on_path = which(name)
        if on_path:
            return on_path
    for candidate in browser_candidates(system, env, home):
        if candidate.is_file():
            return str(candidate)
    return None


def find_chromium() -> str | None:
    """The browser to print with, or None (see :func:`find_browser`)."""
    return find_browser()


class PdfFailed(RuntimeError):
    """The browser ran but did not produce a PDF."""


def print_pdf(html: Path, pdf: Path, chromium: str, timeout: float = 180) -> Path:
    """Print ``html`` (a local file) to ``pdf`` with the browser ``chromium``."""
    with tempfile.TemporaryDirectory(prefix="pmreport-browser-") as profile:
        if os.name == "posix":
            _print_over_pipe(html, pdf, chromium, profile, timeout)
        else:
            _print_with_flag(html, pdf, chromium, profile, timeout)
    if not pdf.exists() or pdf.read_bytes()[:5] != b"%PDF-":
        raise PdfFailed("the browser did not write a PDF")
    return pdf


def _print_with_flag(html: Path, pdf: Path, browser: str, profile: str, timeout: float) -> None:
    command = [browser, *FLAGS, *CLI_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf.resolve()}",
               html.resolve().as_uri()]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise PdfFailed(f"the browser did not finish printing the PDF within {timeout:.0f} seconds") from exc
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise PdfFailed(f"the browser could not print the PDF (exit {done.returncode}) {tail[0]}".strip())


#: Waits for the page's fonts and two drawn frames (plotly draws its charts as the page loads).
READY = ("document.fonts.ready.then(() => new Promise(done => "
         "requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))")
#: What ``--print-to-pdf --no-pdf-header-footer`` prints with: the page's own size and margins, backgrounds.
PRINT = {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False,
         "transferMode": "ReturnAsBase64"}


class _Pipe:
    """The DevTools protocol over the browser's pipe: JSON messages ending in a NUL byte."""

    def __init__(self, to_browser: int, from_browser: int, deadline: float):
        self.to_browser, self.from_browser, self.deadline = to_browser, from_browser, deadline
        self._buffer = b""
        self._next = 0
        self.events: list[dict] = []

    def _message(self) -> dict:
        while b"\0" not in self._buffer:
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_browser], [], [], left)[0]:
                raise PdfFailed("the browser did not finish printing the PDF in time")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise PdfFailed("the browser closed before the PDF was printed")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next += 1
        message: dict = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self.to_browser, data):]
        while True:
            reply = self._message()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise PdfFailed(f"the browser refused {method}: {reply['error'].get('message', '')}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event: str, session: str) -> None:
        while True:
            if any(e.get("method") == event and e.get("sessionId") == session for e in self.events):
                return
            self.events.append(self._message())


def _spawn(browser: str, args: list[str], to_read: int, to_write: int) -> int:
    """Start the browser with ``to_read`` as its descriptor 3 and ``to_write`` as its descriptor 4 (its DevTools
    pipe), its standard streams on the null device; its process id."""
    import fcntl  # POSIX only, as is this route

    # copies above 9 first, so that neither end is already 3 or 4 (Python's descriptors are not inherited)
    high_read = fcntl.fcntl(to_read, fcntl.F_DUPFD_CLOEXEC, 10)
    high_write = fcntl.fcntl(to_write, fcntl.F_DUPFD_CLOEXEC, 10)
    try:
        actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_DUP2, high_read, 3), (os.POSIX_SPAWN_DUP2, high_write, 4)]
        return os.posix_spawn(browser, [browser, *args], dict(os.environ), file_actions=actions)
    finally:
        os.close(high_read)
        os.close(high_write)


def _stop(pid: int) -> None:
    """Wait a little for the browser to leave, then make it."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _print_over_pipe(html: Path, pdf: Path, browser: str, profile: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    to_read, to_browser = os.pipe()  # the browser reads its commands on descriptor 3
    from_browser, to_write = os.pipe()  # and writes its replies on descriptor 4
    try:
        pid = _spawn(browser, [*FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
                     to_read, to_write)
    except OSError as exc:
        for fd in (to_read, to_browser, from_browser, to_write):
            os.close(fd)
        raise PdfFailed(f"the browser could not be started: {exc}") from exc
    os.close(to_read)
    os.close(to_write)
    pipe = _Pipe(to_browser, from_browser, deadline)
    try:
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        pipe.call("Page.enable", session=session)
        pipe.call("Page.navigate", {"url": html.resolve().as_uri()}, session=session)
        pipe.wait_for("Page.loadEventFired", session)
        pipe.call("Runtime.evaluate", {"expression": READY, "awaitPromise": True}, session=session)
        data = pipe.call("Page.printToPDF", PRINT, session=session)["data"]
        write_bytes(pdf, base64.b64decode(data))
        with contextlib.suppress(PdfFailed):  # it may close its end while saying goodbye
            pipe.call("Browser.close")
    except (OSError, ValueError, KeyError) as exc:
        raise PdfFailed(f"the browser could not print the PDF ({exc})") from exc
    finally:
        for fd in (to_browser, from_browser):
            os.close(fd)
        _stop(pid)
