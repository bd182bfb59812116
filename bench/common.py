"""What the benchmark and the load run share: servers, the browser, the settle probe, statistics.

Everything here talks to 127.0.0.1 only. Every wait has a deadline.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "artifacts" / "bench"
LOG_DIR = OUT_DIR / "logs"
APP_SCRIPT = "app.py"
BARE_SCRIPT = "bench/bare_app.py"
HOST = "127.0.0.1"  # the only address anything here connects to

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1366, "height": 900}
LOCALE = "ja-JP"
HEALTH_TIMEOUT_S = 60
SETTLE_TIMEOUT_MS = 60_000
QUIET_MS = 500  # no DOM change for this long after everything has drawn = settled

# The six pages of the issue, in the order the sidebar lists them; pages found in the sidebar
# beyond these are measured too (see CONTROLS for the control each page's rerun changes).
KNOWN_PAGES = ["overview", "regions", "products", "lead", "partners", "sme"]

# The control a rerun changes on each page: ("radio", key) clicks the first unselected pill or
# segment of the widget with that key; ("select", key) opens the selectbox and picks the first
# unselected option. A page not listed here gets the first of GENERIC_CONTROLS it has.
CONTROLS = {
    "overview": ("select", "year"),
    "regions": ("radio", "measure"),
    "products": ("radio", "measure"),
    "lead": ("select", "element"),
    "partners": ("select", "type"),
    "sme": ("radio", "kind"),
    "compare": ("radio", "measure"),
    "press": ("select", "year"),
    "bare": ("radio", "bench_year"),
}
GENERIC_CONTROLS = [("radio", "measure"), ("select", "year"), ("radio", "lang")]
CONTROL_LABEL = {"select": "selectbox", "radio": "pills/segmented", "button": "button"}

# What a visitor sees when a page raised (app.py catches it and shows this sentence).
FRIENDLY_ERRORS = ("このページの表示中に問題が発生しました", "Something went wrong while drawing this page")
# Before it knows its base path, Streamlit's frontend probes /<page>/_stcore/{health,host-config};
# those 404s (and Chromium's generic console line for them) are expected, not errors.
BASE_PATH_PROBE = re.compile(r"^(/app)?/[A-Za-z0-9_-]+/_stcore/(health|host-config)$")
GENERIC_404 = "Failed to load resource: the server responded with a status of 404"

# --------------------------------------------------------------------------------------------
# In-page probe: installed before any page script, it notes the time of every DOM change, every
# change of Streamlit's script state, every WebSocket message, and the last click or key press
# (performance.now() time, so 0 is navigation start).
# --------------------------------------------------------------------------------------------
PROBE_JS = """
(() => {
  if (window.__bench) return;
  const B = window.__bench = {lastMut: 0, muts: 0, states: [], lastInput: -1, lastMsg: -1,
                              msgs: 0};
  // Every message the server sends: a rerun so quick that the script state never shows
  // `running` in the DOM is still seen to have happened.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { B.lastMsg = performance.now(); B.msgs++; });
    }
  };
  const obs = new MutationObserver(list => {
    const now = performance.now();
    B.lastMut = now;
    B.muts += list.length;
    for (const m of list) {
      if (m.type === 'attributes' && m.attributeName === 'data-test-script-state') {
        B.states.push([now, m.target.getAttribute('data-test-script-state')]);
      } else if (m.type === 'childList') {
        for (const n of m.addedNodes) {
          const app = n.nodeType === 1 && (n.matches('[data-testid="stApp"]') ? n :
                      n.querySelector && n.querySelector('[data-testid="stApp"]'));
          if (app) B.states.push([now, app.getAttribute('data-test-script-state') || 'initial']);
        }
      }
    }
  });
  obs.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  for (const type of ['click', 'keydown']) {
    addEventListener(type, e => { B.lastInput = e.timeStamp; }, true);
  }
})();
"""

# Settled = the script ran (a state other than notRunning, or a server message, was seen since
# `since`) and finished, the socket is connected, no skeleton is left, every Plotly chart has drawn
# (a .main-svg; a map a sized canvas), at least `minPlots` charts exist, the URL is the page's
# (`path`, when given), and neither the DOM nor the socket has changed for `quiet` ms.
# The render ends at the last DOM change. A page that shows an error settles at once, `failed`.
SETTLED_JS = """
(a) => {
  const B = window.__bench;
  if (!B) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const conn = app.getAttribute('data-test-connection-state');
  if (conn && conn !== 'CONNECTED') return false;
  const ran = B.states.some(s => s[0] >= a.since && s[1] !== 'notRunning') ||
              B.lastMsg >= a.since;
  if (!ran) return false;
  const quiet = performance.now() - Math.max(B.lastMut, B.lastMsg) >= a.quiet;
  const shown = Array.from(document.querySelectorAll('[data-testid="stAlert"]'))
    .filter(e => a.friendly.some(f => (e.innerText || '').includes(f))).length +
    document.querySelectorAll('[data-testid="stException"]').length;
  if (shown && quiet) {
    return {failed: 'the page shows an error', end: Math.max(B.lastMut, B.lastMsg), plots: 0,
            maps: 0, muts: B.muts, timeOrigin: performance.timeOrigin};
  }
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  if (a.path !== null && location.pathname.replace(/\\/+$/, '') !== a.path) return false;
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  if (plots.length < a.minPlots) return false;
  let maps = 0;
  for (const p of plots) {
    if (!p._fullData || !p.querySelector('.main-svg')) return false;
    // A geo map has drawn once its shapes are there (Plotly fetches the GeoJSON first).
    if (p._fullData.some(t => t.type === 'choropleth')) {
      maps++;
      if (!p.querySelector('path.choroplethlocation')) return false;
    }
  }
  if (!quiet) return false;
  // A rerun that changes nothing on screen ends with the server's last message.
  return {end: Math.max(B.lastMut, B.lastMsg), plots: plots.length, maps: maps, muts: B.muts,
          timeOrigin: performance.timeOrigin};
}
"""

# What a page that did not settle was waiting for (for the problem report).
DIAG_JS = """
() => {
  const B = window.__bench || {};
  const app = document.querySelector('[data-testid="stApp"]');
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot')).map(p => {
    const map = !!(p._fullData && p._fullData.some(t => t.type === 'choropleth'));
    const shapes = p.querySelectorAll('path.choroplethlocation').length;
    return (p._fullData ? '' : 'unplotted ') + (map ? 'map' : 'chart') +
      (map ? ' shapes ' + shapes : '') + (p.querySelector('.main-svg') ? '' : ' no-svg');
  });
  return {state: app && app.getAttribute('data-test-script-state'),
          connection: app && app.getAttribute('data-test-connection-state'),
          skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
          plots: plots, path: location.pathname, msgs: B.msgs,
          quiet_ms: Math.round(performance.now() - Math.max(B.lastMut || 0, B.lastMsg || 0)),
          at_ms: Math.round(performance.now())};
}
"""

PAGE_ERRORS_JS = """
(friendly) => {
  const alerts = Array.from(document.querySelectorAll('[data-testid="stAlert"]'))
    .map(e => e.innerText || '');
  return {
    exceptions: document.querySelectorAll('[data-testid="stException"]').length,
    friendly: alerts.filter(t => friendly.some(f => t.includes(f))).length,
  };
}
"""

NAV_JS = """
() => Array.from(document.querySelectorAll('[data-testid="stSidebarNavLink"]'))
  .map(a => new URL(a.href).pathname.replace(/^\\/+|\\/+$/g, ''))
"""


def settle_arg(since: float = 0.0, min_plots: int = 0, path: str | None = None,
               quiet: int = QUIET_MS) -> dict:
    """`path`: the page's path without slashes ("" for the root), or None for any URL."""
    if path is not None:
        path = f"/{path}" if path else ""
    return {"since": since, "minPlots": min_plots, "path": path, "quiet": quiet,
            "friendly": list(FRIENDLY_ERRORS)}


def control_selectors(kind: str, key: str) -> tuple[str, str | None]:
    """(what to click first, what to click second or None) for a control."""
    box = f".st-key-{key}"
    if kind == "radio":
        return f'{box} button[role="radio"][aria-checked="false"] >> nth=0', None
    if kind == "select":
        return (f'{box} button[aria-haspopup="listbox"]',
                '[role="listbox"] [role="option"][aria-selected="false"] >> nth=0')
    if kind == "button":
        return f"{box} button", None
    raise ValueError(kind)


def app_page_paths() -> list[str]:
    """The dashboard's pages in sidebar order, from the site's registry."""
    from nexidash import site

    return [p.path for p in site.PAGES]


def page_path(name: str) -> str:
    """The URL path (without slashes) of a page; the overview is the root."""
    return "" if name == "overview" else name


def page_url(base: str, name: str) -> str:
    return f"{base}/{page_path(name)}"


# --------------------------------------------------------------------------------------------
# Console errors
# --------------------------------------------------------------------------------------------

class ConsoleWatch:
    """Console errors and page errors of one page, less Streamlit's base-path probe 404s."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.probe_404s: list[str] = []

    def on_console(self, msg) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            self.errors.append(f"{msg.text} @ {loc.get('url', '')}")

    def on_pageerror(self, exc) -> None:
        self.errors.append(f"pageerror: {exc}")

    def on_response(self, resp) -> None:
        if resp.status == 404:
            parts = urlsplit(resp.url)
            if parts.hostname == HOST and BASE_PATH_PROBE.match(parts.path):
                self.probe_404s.append(resp.url)

    def real_errors(self) -> list[str]:
        probes = list(self.probe_404s)
        out = []
        for line in self.errors:
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


# --------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------

# The tree the servers and AppTest run from. The benchmark copies the working tree first (see
# snapshot()), so that every section measures the same code even while the files are edited.
APP_ROOT = ROOT
SNAPSHOT_SKIP = {".git", ".venv", "artifacts", "tests", ".pytest_cache", "__pycache__",
                 ".hypothesis", "docs"}


def source_db() -> Path:
    from nexidash import paths

    return paths.db_path()


def snapshot(name: str) -> dict:
    """Copy the app (code, queries, data, config, the database) to artifacts/bench/NAME and serve
    from there from now on. Returns what was copied: file count and a digest of the code."""
    global APP_ROOT
    dest = OUT_DIR / name
    if dest.exists():
        shutil.rmtree(dest)
    ignore = shutil.ignore_patterns(*SNAPSHOT_SKIP, "*.pyc", "*.duckdb", "*.duckdb.tmp*", "*.wal")
    dest.mkdir(parents=True)
    for item in ROOT.iterdir():
        if item.name in SNAPSHOT_SKIP:
            continue
        if item.is_dir():
            shutil.copytree(item, dest / item.name, ignore=ignore)
        elif not item.name.endswith((".duckdb", ".wal")):
            shutil.copy2(item, dest / item.name)
    (dest / "data").mkdir(exist_ok=True)
    shutil.copy2(source_db(), dest / "data" / "nexi.duckdb")
    digest = hashlib.sha256()
    files = sorted(p for p in dest.rglob("*") if p.is_file() and p.suffix in (".py", ".sql",
                                                                                ".json", ".toml"))
    for f in files:
        digest.update(str(f.relative_to(dest)).encode() + b"\0" + f.read_bytes())
    APP_ROOT = dest
    return {"path": str(dest.relative_to(ROOT)), "files": len(files),
            "digest": digest.hexdigest()[:12],
            "taken": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def server_env() -> dict:
    env = dict(os.environ)
    if APP_ROOT != ROOT:
        env["NEXI_DB"] = str(APP_ROOT / "data" / "nexi.duckdb")
        env["NEXI_TABLES_DIR"] = str(APP_ROOT / "data" / "tables")
    else:
        env.setdefault("NEXI_DB", str(ROOT / "data" / "nexi.duckdb"))
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Server:
    """`python -m streamlit run SCRIPT` on 127.0.0.1 with the repository's .streamlit config."""

    script: str
    name: str
    port: int = 0
    proc: subprocess.Popen | None = None
    started_at: float = 0.0  # time.time() just before the process was spawned
    ready_at: float = 0.0  # time.time() when /_stcore/health first answered ok
    log_path: Path | None = None
    _log: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, wait: bool = True) -> "Server":
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        self.log_path = LOG_DIR / f"{self.name}-{self.port}.log"
        self._log = open(self.log_path, "wb")
        # --server.address keeps Streamlit on loopback and stops its headless start-up banner
        # from looking up the machine's external address (an HTTP request off the machine).
        cmd = [sys.executable, "-m", "streamlit", "run", self.script, "--server.headless", "true",
               "--server.port", str(self.port), "--server.address", HOST]
        self.started_at = time.time()
        self.proc = subprocess.Popen(cmd, cwd=APP_ROOT, env=server_env(), stdout=self._log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        if wait:
            self.wait_healthy()
        return self

    def wait_healthy(self, timeout_s: float = HEALTH_TIMEOUT_S, poll_s: float = 0.05) -> float:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited with {self.proc.returncode}:\n"
                                   f"{self.log_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.read().decode().strip() == "ok":
                        self.ready_at = time.time()
                        return self.ready_at
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(poll_s)
        self.stop()
        raise RuntimeError(f"{self.name} server did not answer within {timeout_s} s:\n"
                           f"{self.log_text()[-3000:]}")

    def log_text(self) -> str:
        try:
            return self.log_path.read_text("utf-8", "replace")
        except OSError:
            return ""

    def memory(self) -> dict:
        """VmRSS and VmHWM (MB) of the server process plus its children."""
        return process_memory(self.proc.pid)

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo and len(out) < 1000:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo.extend(int(c) for c in task.read_text().split())
            except OSError:
                pass
    return out


def process_memory(pid: int) -> dict:
    rss = hwm = 0
    pids = _descendants(pid)
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm += int(line.split()[1])
        except OSError:
            pass
    return {"rss_mb": rss / 1024, "hwm_mb": hwm / 1024, "processes": len(pids)}


def process_cpu_seconds(pid: int) -> float:
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for p in _descendants(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


# --------------------------------------------------------------------------------------------
# The machine, statistics, tables
# --------------------------------------------------------------------------------------------

def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def machine_info(chromium_version: str | None = None) -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    import plotly
    import streamlit
    try:
        import duckdb
        duckdb_version = duckdb.__version__
    except ImportError:
        duckdb_version = "?"
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem_gb, 1),
        "kernel": platform.release(),
        "python": platform.python_version(), "streamlit": streamlit.__version__,
        "plotly": plotly.__version__, "duckdb": duckdb_version,
        "chromium": chromium_version or "?", "loadavg_start": loadavg(),
    }


def median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def percentile(values, q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100)."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    rank = max(1, min(len(values), int(-(-q * len(values) // 100))))
    return values[rank - 1]


def fmt_ms(v) -> str:
    return "—" if v is None else f"{v:,.0f} ms"


def fmt_kb(v) -> str:
    return "—" if v is None else f"{v / 1024:,.1f} KB"


def fmt_mb(v) -> str:
    return "—" if v is None else f"{v:,.1f} MB"


def fmt_ratio(v) -> str:
    return "—" if v is None else f"{v:.2f}×"


def ratio(a, b) -> float | None:
    return None if a is None or not b else a / b


def md_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def save_json(name: str, data: dict) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / name
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str), "utf-8")
    return path


def load_json(name: str) -> dict | None:
    path = OUT_DIR / name
    if not path.exists():
        return None
    return json.loads(path.read_text("utf-8"))
