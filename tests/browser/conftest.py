"""Browser-test plumbing: a Streamlit server, Debian's Chromium, and a watched, settled page.

The server runs `streamlit run app.py` as a subprocess on a free port, its output kept in a
temporary file that is attached to the report of any test that fails. One server serves the
whole session; `fresh_server` starts another for tests that need a process nobody has visited.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.visit import CSP_WATCH, PHONE, VIEWPORT
from tests.helpers import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
HEALTH_TIMEOUT_S = 60
DEFAULT_TIMEOUT_MS = 60_000
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Before it knows the base path, the frontend probes the page path: /<page>/_stcore/health
# (/app/<page>/_stcore/health behind the proxy).
BASE_PATH_PROBE = re.compile(r"^(/app)?/[A-Za-z0-9_-]+/_stcore/(health|host-config)$")
GENERIC_404 = "Failed to load resource: the server responded with a status of 404"
_SERVER_PORTS: set[int] = set()  # ports of the servers this session started
_LIVE: list[Server] = []  # the servers running in this worker, whichever fixture started them


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------

@dataclass
class Server:
    port: int
    log_path: Path
    proc: subprocess.Popen
    _log_file: object = field(repr=False, default=None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self, start: int = 0) -> str:
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(start)
                return fh.read().decode("utf-8", "replace")
        except OSError as exc:
            return f"(server log unreadable: {exc})"

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def stop(self) -> None:
        if self in _LIVE:
            _LIVE.remove(self)
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self._log_file is not None:
            self._log_file.close()


def start_server(tmp_dir: Path, name: str) -> Server:
    port = free_port()
    log_path = tmp_dir / f"streamlit-{name}-{port}.log"
    log_file = open(log_path, "wb")
    env = dict(os.environ)
    env.setdefault("NEXI_DB", str(REPO_ROOT / "data" / "nexi.duckdb"))
    env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true"],
        cwd=REPO_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL)
    server = Server(port, log_path, proc, log_file)
    _SERVER_PORTS.add(port)
    _LIVE.append(server)
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = server.log_text()
            server.stop()
            pytest.fail(f"streamlit exited with {proc.returncode} before answering:\n{log}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.25)
    log = server.log_text()
    server.stop()
    pytest.fail(f"streamlit did not answer /_stcore/health within {HEALTH_TIMEOUT_S} s:\n{log}")


@pytest.fixture(scope="session")
def server(chromium, server_tmp):
    """The app, served once for the whole session."""
    srv = start_server(server_tmp, "session")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def proxy(proxy):
    """The session's stack (tests/conftest.py), its port known to PageWatch as a server's."""
    _SERVER_PORTS.add(proxy.stack.settings.port)
    return proxy


@pytest.fixture
def fresh_server(chromium, server_tmp):
    """A server of its own, for a test whose request must be the process's first."""
    srv = start_server(server_tmp, "fresh")
    yield srv
    srv.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test's report carries what each of this worker's servers logged during it (a
    test may reach a server through `request.getfixturevalue`, so every live one is read)."""
    outcome = yield
    report = outcome.get_result()
    if call.when == "setup":
        item._log_marks = {id(srv): srv.log_size() for srv in _LIVE}
    if report.failed:
        marks = getattr(item, "_log_marks", {})
        for srv in _LIVE:
            text = srv.log_text(marks.get(id(srv), 0))
            if not text.strip():
                tail = "\n".join(srv.log_text().splitlines()[-40:])
                text = f"(nothing logged during this test; the log's last lines:)\n{tail}"
            report.sections.append((f"server log (port {srv.port})", text))


# --------------------------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def _desktop(browser):
    ctx = browser.new_context(viewport=VIEWPORT, locale="ja-JP")
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def _phone(browser):
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True)
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield ctx
    ctx.close()


class Tab:
    """One browser tab a worker keeps from test to test, as a reader keeps a tab open.

    Opening a Streamlit page in a new tab costs Chromium twice the CPU of opening it in a tab
    that has shown one before (3.2 against 1.6 CPU-seconds on this 2-core machine, measured
    2026-12-04): the new tab's renderer starts from nothing. Between tests the tab goes to
    about:blank, which ends the app's session, and loses what a test may have set: its
    listeners, routes, size, media, and the context's cookies (the replica a reader is pinned
    to). Pages a test opened beside it are closed. Web storage stays: our code writes none."""

    def __init__(self, context, viewport: dict):
        self.context, self.viewport, self.page = context, viewport, None

    def watch(self) -> PageWatch:
        if self.page is None or self.page.is_closed():
            self.page = self.context.new_page()
            self.page.add_init_script(CSP_WATCH)
        return PageWatch(self.page)

    def reset(self, watch: PageWatch) -> None:
        watch.detach()
        for page in self.context.pages:
            if page is not self.page:
                page.close()
        self.context.clear_cookies()
        self.context.clear_permissions()
        if self.page.is_closed():
            return
        try:
            self.page.unroute_all(behavior="ignoreErrors")
            self.page.goto("about:blank")
            self.page.set_viewport_size(self.viewport)
            self.page.emulate_media(media="null", reduced_motion="null")
        except Exception:  # a tab left unusable is replaced by the next test
            self.page.close()


@pytest.fixture(scope="session")
def _desktop_tab(_desktop):
    return Tab(_desktop, VIEWPORT)


@pytest.fixture(scope="session")
def _phone_tab(_phone):
    return Tab(_phone, PHONE)


@pytest.fixture
def watched(_desktop_tab):
    """The worker's desktop tab (1366 px, Japanese), with a PageWatch on it."""
    watch = _desktop_tab.watch()
    yield watch
    _desktop_tab.reset(watch)


@pytest.fixture
def phone(_phone_tab):
    """The worker's phone tab (390 px, a mobile viewport), with a PageWatch on it."""
    watch = _phone_tab.watch()
    yield watch
    _phone_tab.reset(watch)


# --------------------------------------------------------------------------------------------
# Watching a page: requests leaving the machine, console errors, dialogs
# --------------------------------------------------------------------------------------------

class PageWatch:
    """Records what a page does that a test may want to fail on."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.probe_404s: list[str] = []
        self.dialogs: list[str] = []
        self._handlers = [("request", lambda r: self.requests.append(r.url)),
                          ("websocket", lambda ws: self.requests.append(ws.url)),
                          ("console", self._console), ("response", self._response),
                          ("dialog", self._dialog),
                          ("pageerror", lambda e: self.console_errors.append(f"pageerror: {e}"))]
        for event, handler in self._handlers:
            page.on(event, handler)

    def detach(self) -> None:
        for event, handler in self._handlers:
            self.page.remove_listener(event, handler)

    def csp_violations(self) -> list[str]:
        """What the page's Content-Security-Policy refused (the tab records it from its start)."""
        return self.page.evaluate("window.__csp")

    def _console(self, msg) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            self.console_errors.append(f"{msg.text} @ {loc.get('url', '')}")

    def _response(self, resp) -> None:
        if resp.status == 404:
            parts = urlsplit(resp.url)
            if (parts.hostname in LOCAL_HOSTS and parts.port in _SERVER_PORTS
                    and BASE_PATH_PROBE.match(parts.path)):
                self.probe_404s.append(resp.url)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def external_requests(self) -> list[str]:
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob"):
                continue
            if parts.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out

    def real_console_errors(self) -> list[str]:
        """Console errors, less the generic 404 lines of Streamlit's own base-path probes.

        A generic 404 line is dropped only when its URL is a probe seen answering 404, or (as
        Chromium may print it without a URL) when such a probe 404 was seen at all, one line per
        probe.
        """
        probes = list(self.probe_404s)
        out = []
        for line in self.console_errors:
            if line.startswith(GENERIC_404) and probes:
                url = line.rsplit(" @ ", 1)[-1]
                if url in probes:
                    probes.remove(url)
                    continue
                if not url:
                    probes.pop(0)
                    continue
            out.append(line)
        return out
