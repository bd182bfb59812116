"""A crowd of readers that speak Streamlit's own WebSocket protocol: Locust, no browser.

    python -m bench.crowd --url http://127.0.0.1:8611/app/ --users 100 --spawn-rate 5 \\
        --duration 120 --think 10 20
    python -m bench.crowd --url http://127.0.0.1:8611/app/ --knee 25,50,100,150,200
    locust -f bench/locustfile.py --host http://127.0.0.1:8611/app/      (Locust's own UI/CLI,
                                        also --master/--worker to spread the load over machines)

Install: .venv/bin/pip install -r bench/requirements.txt

What one user does (one reader session)
---------------------------------------
1. GET the app's page (the base URL) with a cookie jar. A proxy in front may set a sticky-routing
   cookie there; the WebSocket handshake carries every cookie of the jar for its URL.
2. WebSocket to `<base>/_stcore/stream` with subprotocols ["streamlit", <xsrf>, <previous session
   id>]. No Origin header (the server accepts a missing Origin; a foreign one is closed with
   1008). Frames are binary protobuf; the server says nothing until the client's first message.
3. A run = one `BackMsg.rerun_script` (a `ClientState`: query_string, page_script_hash, widget
   states, cached message hashes) answered by `ForwardMsg`s up to `script_finished`
   (0 = finished successfully; 2 = "stopped early for a newer rerun", which is not the end).
4. The first run (empty page hash, like a browser landing on the base URL) shows the default page
   and brings the page list in a `navigation` ForwardMsg (the last one of the run: the first is
   Streamlit's pages/ directory auto-discovery, replaced once app.py calls st.navigation). Each
   page is then opened in that (cyclic) order by a rerun with its page_script_hash, user k
   starting from the (k+1)-th page, and on each page one control is changed to another of its
   options at random (bench.common.CONTROLS: page -> (kind, widget key)).
5. Between actions the user thinks (uniform random in `think_s`) while it keeps reading the socket,
   as a browser does: it answers the server's pings and sees at once when the socket closes.

How a browser's messages are reproduced
---------------------------------------
- Widgets are found by their user key, the part after the second "-" of the element id
  (`$$ID-<hash>-<key>`); the id itself can change between runs (it hashes the widget's
  arguments), so it is taken from the latest run.
- A selectbox's value is sent as `string_value` = the option's text; a segmented control or pills
  (`button_group`) as `string_array_value` = [the option's text] (Streamlit 1.67's string serde).
  The current value is the server's (`set_value` + `raw_value(s)`) or the one last sent.
- Widget states: a control rerun sends the states of every widget of the last run whose value this
  session set; a page change sends only those of the main script (app.py's sidebar: metadata
  `active_script_hash` == the main script's hash), as the browser keeps only those on a page change.
- Query string: the browser's URL follows `page_info_changed.query_string`; a control rerun sends
  it, a page change sends "" (no widget here binds a query parameter), a reconnect sends the URL's.
- Message cache: like the browser's ForwardMessageCache, the session remembers the hash of every
  message the server marks `metadata.cacheable` (new_element deltas >= 10 kB), sends them all as
  `cached_message_hashes`, and expires a hash once it has not been used for more than
  `max_cached_message_age` (from new_session, default 2) finished runs. The server then sends a
  `ref_hash` message instead of the element. A reference to an unknown hash (which a browser
  would log as a cache MISS) fails the run. `send_cached_hashes=False` turns this off (heavier
  than real readers).
- TCP_QUICKACK is set after every received frame: otherwise a send right after a receive stalls
  ~40 ms on a delayed ACK over loopback.
- The client fetches no static assets (JS, CSS, fonts, GeoJSON) and draws nothing: it measures
  the server's work, not a browser's.

What is measured
----------------
Every action is one Locust request event: request_type "page" (name: the page) or "control"
(name: "page:key"); response_time = ms from sending the BackMsg to receiving script_finished.
An action fails when the run ends other than successfully, shows an error (an `exception`
element or an error alert, which is how app.py shows a failure), the page script did not run,
`page_not_found`, a cache miss, no answer within `timeout_s` (default 30 s), or the socket closes.
When the socket closes (during an action or while thinking) the user reconnects at once with a
backoff (new GET, new WebSocket, which a proxy routes to a live replica) and reruns the page it was
on with the URL's query string and its widget states: a request_type "reconnect" event whose
response_time is that rerun's, with the outage (socket lost -> page back) in its context.

`run()` drives Locust as a library (Environment + LocalRunner, no web UI), keeps the raw samples
through a request listener, and reports exact nearest-rank p50/p95/p99 (of successful actions),
renders per second, failures, errors grouped by message, and the reconnects relative to a kill.
`knee()` runs increasing session counts and returns the largest whose p95 stays within 1000 ms.
Users killed at the end of a run mid-action are not counted. Everything here talks to 127.0.0.1,
localhost or ::1 only; every wait has a deadline.
"""

from __future__ import annotations  # noqa: I001  (locust must be imported first, see below)

# Locust patches the standard library for gevent on import: it must come before requests and
# websocket-client, so that their sockets yield to other users instead of blocking the process.
# For the same reason a program that uses this module imports it before starting any thread.
from locust import User, constant, task
from locust.env import Environment

import argparse
import itertools
import json
import logging
import os
import random
import select
import signal
import socket
import time
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

import gevent
import requests
import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.common import (OUT_DIR, ROOT, app_page_paths, loadavg, page_controls, percentile,
                          process_cpu_seconds)

log = logging.getLogger("bench.crowd")

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_THINK_S = (10.0, 20.0)
KNEE_P95_MS = 1000.0
RECONNECT_DEADLINE_S = 120.0  # a user gives up reconnecting after this long
BACKOFF_S = (0.5, 1, 2, 4, 5)  # between reconnect attempts, then 5 s each
MAX_FRAMES_PER_RUN = 100_000  # a bound on the read loop besides its deadline
ACTION_TYPES = ("page", "control")

FINISHED_OK = ForwardMsg.FINISHED_SUCCESSFULLY
FINISHED_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
ERROR_ALERT = 1  # Alert.Format.ERROR


def check_local(url: str) -> str:
    """The URL, with a trailing slash; anything but a loopback host is refused."""
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https"), f"not an http(s) URL: {url!r}"
    assert parts.hostname in LOCAL_HOSTS, f"refusing non-local host {parts.hostname!r} in {url!r}"
    return url if url.endswith("/") else url + "/"


def stream_url(base_url: str) -> str:
    parts = urlsplit(check_local(base_url))
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, parts.path + "_stcore/stream", "", ""))


class CrowdError(Exception):
    """An action that did not end well; the message is what the report groups by."""


class Disconnected(CrowdError):
    """The socket closed, failed or could not be opened."""


# --------------------------------------------------------------------------------------------
# One session: the protocol
# --------------------------------------------------------------------------------------------

class Widget:
    __slots__ = ("id", "key", "kind", "options", "script_hash")

    def __init__(self, key, id_, kind, options, script_hash):
        self.key, self.id, self.kind = key, id_, kind
        self.options, self.script_hash = options, script_hash


class RunResult:
    """What one run brought: status, time, what was drawn (for checks and verification)."""

    def __init__(self):
        self.status: int | None = None
        self.elapsed_ms = 0.0
        self.frames = 0
        self.bytes = 0
        self.refs = 0  # elements sent as a reference to the client's cache
        self.script_hashes: set[str] = set()
        self.content: list[str] = []  # hashes of the page script's elements, in order
        self.charts = 0
        self.errors: list[str] = []
        self.widgets: dict[str, Widget] = {}
        self.navigation = None


class Session:
    """One reader's connection to the app: cookie jar, WebSocket, widget values, message cache."""

    def __init__(self, base_url: str, timeout_s: float = DEFAULT_TIMEOUT_S,
                 send_cached_hashes: bool = True):
        self.base_url = check_local(base_url)
        self.ws_url = stream_url(self.base_url)
        self.timeout_s = timeout_s
        self.send_cached_hashes = send_cached_hashes
        self.http = requests.Session()
        self.ws: websocket.WebSocket | None = None
        self.session_id = ""  # sent back on reconnect, as the browser does
        self.main_hash = ""
        self.max_cache_age = 2
        self.cache: dict[str, int] = {}  # message hash -> finished-run count when last used
        self.finished_runs = 0
        self.query_string = ""  # the browser's URL query
        self.values: dict[str, str] = {}  # widget key -> current option text
        self.sent: set[str] = set()  # widget keys whose value this session set
        self.widgets: dict[str, Widget] = {}  # widgets of the last run, by key
        self.pages: list[tuple[str, str]] = []  # (name, page_script_hash) in sidebar order
        self.page_hash = ""
        self.last_content: list[str] | None = None  # of the last run, to see a control's effect

    @property
    def connected(self) -> bool:
        return self.ws is not None and self.ws.connected

    def connect(self) -> None:
        """GET the app's page, then the WebSocket handshake with the jar's cookies."""
        self.close()
        try:
            resp = self.http.get(self.base_url, timeout=self.timeout_s)
            if resp.status_code != 200:
                raise Disconnected(f"GET {urlsplit(self.base_url).path}: HTTP {resp.status_code}")
            probe = requests.Request("GET", self.ws_url.replace("ws", "http", 1)).prepare()
            cookie = requests.cookies.get_cookie_header(self.http.cookies, probe)
            xsrf = self.http.cookies.get("_streamlit_xsrf", "")
            self.ws = websocket.create_connection(
                self.ws_url, timeout=self.timeout_s, cookie=cookie, suppress_origin=True,
                subprotocols=["streamlit", xsrf, self.session_id], enable_multithread=False)
        except Disconnected:
            raise
        except (requests.RequestException, websocket.WebSocketException, OSError) as exc:
            self.ws = None
            raise Disconnected(f"connect: {type(exc).__name__}: {short(exc)}") from None

    def close(self) -> None:
        if self.ws is not None:
            try:
                self.ws.close(timeout=1)
            except (websocket.WebSocketException, OSError):
                pass
            self.ws = None

    def _drop(self, why: str) -> Disconnected:
        self.close()
        return Disconnected(why)

    def _quickack(self) -> None:
        try:
            self.ws.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        except (OSError, AttributeError):
            pass

    def _recv(self, deadline: float):
        """One frame (opcode, data) within the deadline."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise CrowdError(f"timeout after {self.timeout_s:.0f} s")
        self.ws.sock.settimeout(left)
        try:
            op, data = self.ws.recv_data(control_frame=True)
        except websocket.WebSocketTimeoutException:
            raise CrowdError(f"timeout after {self.timeout_s:.0f} s") from None
        except (websocket.WebSocketException, OSError) as exc:
            raise self._drop(f"connection lost: {type(exc).__name__}: {short(exc)}") from None
        self._quickack()
        if op == websocket.ABNF.OPCODE_CLOSE:
            code = int.from_bytes(data[:2], "big") if len(data) >= 2 else None
            raise self._drop(f"connection closed by server (code {code})")
        return op, data

    def rerun(self, page_hash: str, query_string: str, keys: list[str]) -> RunResult:
        """Send one rerun and read its answer up to the end of the run."""
        if not self.connected:
            raise Disconnected("not connected")
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = query_string
        cs.page_script_hash = page_hash
        for key in keys:
            w = self.widgets.get(key)
            if w is not None and key in self.values:
                cs.widget_states.widgets.append(widget_state(w, self.values[key]))
        if self.send_cached_hashes:
            cs.cached_message_hashes.extend(self.cache)
        self.query_string = query_string  # the browser's URL is now what it asked for
        result = RunResult()
        deadline = time.monotonic() + self.timeout_s
        start = time.perf_counter()
        try:
            self.ws.send_binary(msg.SerializeToString())
        except (websocket.WebSocketException, OSError) as exc:
            raise self._drop(f"connection lost: {type(exc).__name__}: {short(exc)}") from None
        for _ in range(MAX_FRAMES_PER_RUN):
            op, data = self._recv(deadline)
            if op != websocket.ABNF.OPCODE_BINARY:
                continue
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            result.frames += 1
            result.bytes += len(data)
            self._handle(fwd, result)
            if result.status is not None:
                result.elapsed_ms = (time.perf_counter() - start) * 1000
                break
        else:
            raise CrowdError(f"no end of run in {MAX_FRAMES_PER_RUN} messages")
        self.page_hash = page_hash or self.page_hash
        if result.widgets:
            self.widgets = result.widgets
            self.sent &= result.widgets.keys()  # the browser forgets a widget that went away
        self.last_content = result.content
        return result

    def _handle(self, fwd: ForwardMsg, result: RunResult) -> None:
        kind = fwd.WhichOneof("type")
        if kind == "new_session":
            ns = fwd.new_session
            self.session_id = ns.initialize.session_id or self.session_id
            self.main_hash = ns.main_script_hash
            self.max_cache_age = ns.config.max_cached_message_age or self.max_cache_age
        elif kind == "navigation":
            result.navigation = fwd.navigation
        elif kind == "page_info_changed":
            self.query_string = fwd.page_info_changed.query_string
        elif kind == "page_not_found":
            result.errors.append("page not found")
        elif kind == "ref_hash":
            result.refs += 1
            if fwd.ref_hash not in self.cache:
                result.errors.append("cache miss: the server referred to an element never sent")
            self.cache[fwd.ref_hash] = self.finished_runs
            self._element(fwd, fwd.ref_hash, None, result)
        elif kind == "delta":
            if fwd.metadata.cacheable and fwd.hash:
                self.cache[fwd.hash] = self.finished_runs
            if fwd.delta.WhichOneof("type") == "new_element":
                self._element(fwd, fwd.hash, fwd.delta.new_element, result)
        elif kind == "script_finished":
            status = fwd.script_finished
            if status == FINISHED_EARLY:  # an older run stopped for ours: ours is still to come
                return
            result.status = status
            self.finished_runs += 1
            self.cache = {h: n for h, n in self.cache.items()
                          if self.finished_runs - n <= self.max_cache_age}

    def _element(self, fwd: ForwardMsg, content_hash: str, el, result: RunResult) -> None:
        script = fwd.metadata.active_script_hash
        result.script_hashes.add(script)
        which = el.WhichOneof("type") if el is not None else None
        # What the page shows, less its controls (whose own message changes with their value).
        if script != self.main_hash and which not in ("selectbox", "button_group"):
            result.content.append(content_hash)
        if el is None:
            result.charts += 1  # only big elements (charts, maps, tables) are ever referenced
            return
        if which == "exception":
            result.errors.append(f"exception: {el.exception.type}: {el.exception.message[:80]}")
        elif which == "alert" and el.alert.format == ERROR_ALERT:
            result.errors.append(f"error shown: {el.alert.body[:100]}")
        elif which in ("plotly_chart", "vega_lite_chart", "deck_gl_json_chart"):
            result.charts += 1
        elif which in ("selectbox", "button_group"):
            w = getattr(el, which)
            key = element_key(w.id)
            if key is None:
                return
            if which == "selectbox":
                options = list(w.options)
                server = w.raw_value if w.set_value else None
                default = [w.default] if w.HasField("default") else []
            else:
                options = [o.content for o in w.options]
                server = w.raw_values[0] if w.set_value and w.raw_values else None
                default = list(w.default)
            # The value shown: the server's if it sets one; else what the browser had, if the
            # widget is the same one as in the last run; else (a new widget) its default.
            prev = self.widgets.get(key)
            if server is not None:
                self.values[key] = server
            elif prev is None or prev.id != w.id or key not in self.values:
                self.values.pop(key, None)
                if default and 0 <= default[0] < len(options):
                    self.values[key] = options[default[0]]
            result.widgets[key] = Widget(key, w.id, which, options, script)

    def idle(self, seconds: float) -> str | None:
        """Read the socket for `seconds` as a browser would; the reason if the socket closed."""
        deadline = time.monotonic() + seconds
        scratch = RunResult()
        for _ in range(MAX_FRAMES_PER_RUN):
            left = deadline - time.monotonic()
            if left <= 0 or not self.connected:
                break
            try:
                readable, _, _ = select.select([self.ws.sock], [], [], left)
            except (OSError, ValueError) as exc:
                self.close()
                return f"connection lost: {type(exc).__name__}"
            if not readable:
                break
            try:
                op, data = self._recv(time.monotonic() + self.timeout_s)
            except CrowdError as exc:
                self.close()
                return str(exc)
            if op == websocket.ABNF.OPCODE_BINARY:  # the tail of a run that timed out
                fwd = ForwardMsg()
                fwd.ParseFromString(data)
                self._handle(fwd, scratch)
        return None if self.connected else "not connected"

    def pages_from(self, nav, default_name: str) -> None:
        pages = []
        for p in nav.app_pages:
            if p.is_hidden or p.external_url:
                continue
            pages.append((p.url_pathname or default_name, p.page_script_hash))
        if pages:
            self.pages = pages

    def active_keys(self, page_change: bool) -> list[str]:
        """The widget states a browser would send with the next rerun."""
        return [k for k, w in self.widgets.items()
                if k in self.sent and (not page_change or w.script_hash == self.main_hash)]

    def choose(self, key: str, rng: random.Random) -> str:
        """Set the widget `key` to another of its options; returns the new value."""
        w = self.widgets[key]
        others = [o for o in w.options if o != self.values.get(key)]
        if not others:
            raise CrowdError(f"control {key!r} has no other option")
        value = rng.choice(others)
        self.values[key] = value
        self.sent.add(key)
        return value


def element_key(element_id: str) -> str | None:
    """The user key of a widget's element id `$$ID-<hash>-<key>`."""
    if not element_id.startswith("$$ID-"):
        return None
    key = element_id.split("-", 2)[-1]
    return None if key == "None" else key


def widget_state(w: Widget, value: str) -> WidgetState:
    state = WidgetState(id=w.id)
    if w.kind == "selectbox":
        state.string_value = value
    else:
        state.string_array_value.data.append(value)
    return state


def short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else "")[:160]


# --------------------------------------------------------------------------------------------
# The Locust user
# --------------------------------------------------------------------------------------------

_ids = itertools.count(1)


class CrowdUser(User):
    """One reader: lands on the app, then opens page after page and changes one control on each,
    thinking `think_s` seconds between actions. Configure by subclassing (run() does) or, with
    `locust -f bench/locustfile.py`, by the CROWD_THINK="10,20" and CROWD_TIMEOUT=30 variables."""

    abstract = True  # bench/locustfile.py exposes a concrete one
    wait_time = constant(0)  # the think time is spent reading the socket, in _think()
    think_s: tuple[float, float] = DEFAULT_THINK_S
    timeout_s: float = DEFAULT_TIMEOUT_S
    send_cached_hashes: bool = True
    seed: int | None = None
    reconnect_deadline_s: float = RECONNECT_DEADLINE_S

    def on_start(self) -> None:
        self.uid = next(_ids)
        self.rng = random.Random(None if self.seed is None else self.seed * 100_003 + self.uid)
        self.session = Session(self.host, self.timeout_s, self.send_cached_hashes)
        self.default_name = self._default_page_name()
        self.landed = False
        self.step_no = 0
        self.lost_at: float | None = None

    def on_stop(self) -> None:
        self.session.close()

    @staticmethod
    def _default_page_name() -> str:
        paths = app_page_paths()
        return paths[0] if paths else "default"

    @task
    def read(self) -> None:
        if not self.landed:
            self._land()
        elif not self.session.connected:
            self._reconnect("after a failed action")
        else:
            self._next_action()
        self._think()

    # -- actions ------------------------------------------------------------------------------

    def _fire(self, request_type: str, name: str, started: float, result: RunResult | None,
              exc: BaseException | None, **context) -> None:
        elapsed = result.elapsed_ms if result is not None and exc is None else \
            (time.perf_counter() - started) * 1000
        context.update(user=self.uid)
        if result is not None:
            context.update(frames=result.frames, refs=result.refs, charts=result.charts)
        self.environment.events.request.fire(
            request_type=request_type, name=name, response_time=elapsed,
            response_length=result.bytes if result is not None else 0,
            exception=exc, context=context)

    def _check(self, result: RunResult, page_hash: str) -> None:
        if result.status != FINISHED_OK:
            raise CrowdError(f"script finished with status {result.status}")
        if result.errors:
            raise CrowdError(result.errors[0])
        if page_hash and page_hash not in result.script_hashes:
            raise CrowdError("the page's script did not run")

    def _land(self) -> None:
        started = time.perf_counter()
        result = None
        name = self.default_name
        try:
            self.session.connect()
            result = self.session.rerun("", "", [])
            if result.navigation is None:
                raise CrowdError("no navigation message in the first run")
            self.session.pages_from(result.navigation, self.default_name)
            self.session.page_hash = result.navigation.page_script_hash
            self._check(result, self.session.page_hash)
            self.landed = True
            self.step_no = 1  # next: the control of the default page
            exc = None
        except CrowdError as e:
            exc = e
            self.session.close()
        self._fire("page", name, started, result, exc)

    def _next_action(self) -> None:
        pages = self.session.pages
        index, is_control = divmod(self.step_no, 2)
        # After the landing page, users walk the sidebar from different places, so that a short
        # run still spreads its users over every page (user 1 goes on to the second page).
        if index:
            index += (self.uid - 1) % len(pages)
        name, page_hash = pages[index % len(pages)]
        self.step_no += 1
        if is_control:
            self._control(name, page_hash)
        else:
            self._open(name, page_hash)

    def _open(self, name: str, page_hash: str) -> None:
        started = time.perf_counter()
        result = None
        try:
            # A page change: no query string (no widget binds one), the main script's widgets.
            result = self.session.rerun(page_hash, "", self.session.active_keys(True))
            self._check(result, page_hash)
            exc = None
        except CrowdError as e:
            exc = e
        self.session.page_hash = page_hash
        self._fire("page", name, started, result, exc)
        self._after(exc)

    def _control(self, name: str, page_hash: str) -> None:
        # The page's first control that the registry lists and the page drew; a page with no
        # control of its own (the glossary) switches the language, as a reader there might.
        wanted = page_controls().get(name) or ["lang"]
        key = next((k for k in wanted if k in self.session.widgets), None)
        label = f"{name}:{(key or (wanted or ['(none)'])[0]).split('@')[0]}"
        started = time.perf_counter()
        result = None
        try:
            if key is None:
                raise CrowdError(f"control {label} not on the page")
            before = self.session.last_content
            self.session.choose(key, self.rng)
            result = self.session.rerun(page_hash, self.session.query_string,
                                        self.session.active_keys(False))
            self._check(result, page_hash)
            changed = before is None or result.content != before
            exc = None
        except CrowdError as e:
            exc = e
            changed = None
        self._fire("control", label, started, result, exc, changed=changed)
        self._after(exc)

    def _after(self, exc: BaseException | None) -> None:
        if isinstance(exc, Disconnected):
            self.lost_at = time.time()
            self._reconnect("during an action")

    # -- reconnecting and thinking ------------------------------------------------------------

    def _reconnect(self, noticed: str) -> None:
        """New GET + WebSocket until the page the user was on is back, with a backoff."""
        lost_at = self.lost_at or time.time()
        page_hash = self.session.page_hash
        name = next((n for n, h in self.session.pages if h == page_hash), self.default_name)
        query = self.session.query_string
        deadline = time.monotonic() + self.reconnect_deadline_s
        for attempts in itertools.count(1):
            started = time.perf_counter()
            result = None
            try:
                self.session.connect()
                result = self.session.rerun(page_hash, query, self.session.active_keys(False))
                self._check(result, page_hash)
                exc = None
                break
            except Disconnected as e:  # nobody there yet: try again
                exc = e
            except CrowdError as e:  # the page came back, but not well
                exc = e
                break
            left = deadline - time.monotonic()
            if left <= 0:
                result = None
                exc = Disconnected(f"gave up after {attempts} attempts: {exc}")
                break
            pause = BACKOFF_S[min(attempts - 1, len(BACKOFF_S) - 1)]
            gevent.sleep(min(left, pause * self.rng.uniform(0.8, 1.2)))
        self._fire("reconnect", name, started, result, exc, noticed=noticed, attempts=attempts,
                   outage_ms=(time.time() - lost_at) * 1000, lost_at=lost_at)
        self.lost_at = None

    def _think(self) -> None:
        for _ in range(10):  # bounded: a socket that keeps dying does not loop forever
            if not self.session.connected:
                return  # the next step reconnects (or lands) first
            why = self.session.idle(self.rng.uniform(*self.think_s))
            if why is None:
                return
            self.lost_at = time.time()
            log.debug("user %s: %s while thinking", self.uid, why)
            self._reconnect("while thinking")


# --------------------------------------------------------------------------------------------
# Running Locust as a library
# --------------------------------------------------------------------------------------------

def _stats(samples: list[dict]) -> dict:
    ok = [s["ms"] for s in samples if s["error"] is None]
    return {
        "count": len(samples), "failures": len(samples) - len(ok),
        "p50_ms": _round(percentile(ok, 50)), "p95_ms": _round(percentile(ok, 95)),
        "p99_ms": _round(percentile(ok, 99)),
        "mean_ms": _round(sum(ok) / len(ok)) if ok else None,
        "max_ms": _round(max(ok)) if ok else None,
    }


def _round(v):
    return None if v is None else round(v, 1)


def _p95_failures_slow(samples: list[dict]) -> float | None:
    """p95 with every failed action counted as slower than any limit."""
    values = [s["ms"] if s["error"] is None else float("inf") for s in samples]
    return percentile(values, 95)


def run(base_url: str, users: int, spawn_rate: float, duration_s: float,
        think_s: tuple[float, float] = DEFAULT_THINK_S, kill_at_s: float | None = None,
        kill=None, timeout_s: float = DEFAULT_TIMEOUT_S, send_cached_hashes: bool = True,
        seed: int | None = None, label: str | None = None,
        server_pid: int | None = None) -> dict:
    """`users` reader sessions for `duration_s` seconds (spawned at `spawn_rate` per second).
    If `kill_at_s` and `kill` are given, `kill()` is called that many seconds into the run.
    `server_pid`: a server process (tree) whose CPU time over the run is reported."""
    base_url = check_local(base_url)
    assert users > 0 and spawn_rate > 0 and duration_s > 0
    assert 0 <= think_s[0] <= think_s[1]
    user_class = type("CrowdRunUser", (CrowdUser,), {
        "abstract": False, "host": base_url, "think_s": tuple(think_s), "timeout_s": timeout_s,
        "send_cached_hashes": send_cached_hashes, "seed": seed})
    env = Environment(user_classes=[user_class], host=base_url)
    samples: list[dict] = []

    def on_request(request_type, name, response_time, response_length, exception=None,
                   context=None, **_kw):
        samples.append({"t": time.time(), "type": request_type, "name": name,
                        "ms": response_time, "bytes": response_length,
                        "error": None if exception is None else str(exception),
                        "context": dict(context or {})})

    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    kill_info: dict = {}

    def do_kill():
        kill_info["at"] = time.time()
        try:
            kill_info["result"] = repr(kill())
        except Exception as exc:  # noqa: BLE001  (the report says the kill failed; the run goes on)
            kill_info["error"] = f"{type(exc).__name__}: {exc}"

    load_start = loadavg()  # other work on the machine skews every figure: say how much
    cpu0 = time.process_time()
    server_cpu0 = process_cpu_seconds(server_pid) if server_pid else None
    # gevent's timers count from the loop's cached clock, stale by however long the code since
    # the last loop iteration took (imports, a previous run's report): refresh it first.
    gevent.get_hub().loop.update_now()
    t0 = time.time()
    spawned_at: list[float] = []
    env.events.spawning_complete.add_listener(lambda user_count: spawned_at.append(time.time()))
    runner.start(users, spawn_rate=spawn_rate)
    killer = gevent.spawn_later(kill_at_s, do_kill) if kill and kill_at_s is not None else None
    gevent.sleep(duration_s)
    t_end = time.time()
    runner.quit()
    if killer is not None:
        killer.kill(block=False)
    runner.greenlet.join(timeout=30)
    cpu = time.process_time() - cpu0
    server_cpu = (process_cpu_seconds(server_pid) - server_cpu0) if server_pid else None

    elapsed = t_end - t0
    window = [s for s in samples if s["t"] <= t_end]
    spawn_done = spawned_at[0] if spawned_at else None
    summary = {
        "label": label, "url": base_url, "users": users, "spawn_rate": spawn_rate,
        "duration_s": duration_s, "elapsed_s": round(elapsed, 1), "think_s": list(think_s),
        "timeout_s": timeout_s,
        "cached_message_hashes": send_cached_hashes,
        "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t0)),
        "spawn_complete_s": _round(spawn_done - t0) if spawn_done else None,
        "loadavg_start": load_start, "loadavg_end": loadavg(),
    }
    actions = [s for s in window if s["type"] in ACTION_TYPES]
    renders = [s for s in window if s["error"] is None]
    summary["renders"] = len(renders)
    summary["renders_per_s"] = round(len(renders) / elapsed, 2)
    if spawn_done and t_end - spawn_done >= 1:
        steady = [s for s in actions if s["t"] >= spawn_done]
        summary["steady"] = {
            "seconds": round(t_end - spawn_done, 1),
            "renders_per_s": round(sum(s["error"] is None for s in steady)
                                   / (t_end - spawn_done), 2),
            **_stats(steady),
            "p95_failures_as_slow_ms": _round(_p95_failures_slow(steady)),
        }
    summary["actions"] = _stats(actions)
    summary["actions_p95_failures_as_slow_ms"] = _round(_p95_failures_slow(actions))
    summary["by_type"] = {t: _stats([s for s in window if s["type"] == t])
                          for t in ("page", "control", "reconnect")}
    names = sorted({(s["type"], s["name"]) for s in window})
    summary["by_name"] = {f"{t} {n}": _stats([s for s in window if (s["type"], s["name"]) ==
                                                (t, n)]) for t, n in names}
    summary["errors"] = dict(Counter(f"{s['type']}: {s['error']}" for s in window
                                     if s["error"]).most_common())
    controls = [s for s in window if s["type"] == "control" and s["error"] is None]
    summary["controls_that_changed_nothing"] = sum(s["context"].get("changed") is False
                                                   for s in controls)
    summary["bytes_received"] = sum(s["bytes"] for s in window)
    summary["elements_from_cache"] = sum(s["context"].get("refs", 0) for s in window)
    summary["client_cpu_s"] = round(cpu, 1)
    if server_cpu is not None:
        summary["server_cpu_s"] = round(server_cpu, 1)
        summary["server_cores_busy"] = round(server_cpu / elapsed, 2)
    summary["client_cpu_warning"] = runner.cpu_warning_emitted
    summary["late_samples_dropped"] = len(samples) - len(window)
    summary["reconnects"] = _reconnects(window, kill_info.get("at"), t0)
    # The raw samples, for time series and for merging runs: [s since start, type, name, ms, error]
    summary["samples"] = [[round(s["t"] - t0, 3), s["type"], s["name"], round(s["ms"], 1),
                           s["error"]] for s in window]
    if kill is not None and kill_at_s is not None:
        summary["kill"] = _kill_report(window, kill_info, kill_at_s, t0)
    return summary


def _reconnects(window: list[dict], kill_at: float | None, t0: float) -> list[dict]:
    ref = kill_at or t0
    out = []
    for s in window:
        if s["type"] != "reconnect":
            continue
        c = s["context"]
        out.append({"user": c.get("user"), "page": s["name"], "ok": s["error"] is None,
                    "lost_s": _round(c["lost_at"] - ref) if "lost_at" in c else None,
                    "back_s": _round(s["t"] - ref), "rerun_ms": _round(s["ms"]),
                    "outage_ms": _round(c.get("outage_ms")), "attempts": c.get("attempts"),
                    "noticed": c.get("noticed"), "error": s["error"]})
    return out


def _kill_report(window: list[dict], kill_info: dict, kill_at_s: float, t0: float) -> dict:
    """What the sessions saw when the server died: failures, reconnects, how long they waited."""
    at = kill_info.get("at")
    report = {"planned_at_s": kill_at_s, "done_at_s": _round(at - t0) if at else None,
              "result": kill_info.get("result"), "error": kill_info.get("error")}
    if at is None:
        return report
    after = [s for s in window if s["t"] >= at]
    rec = [s for s in after if s["type"] == "reconnect"]
    ok = [s for s in rec if s["error"] is None]
    outages = [s["context"].get("outage_ms") for s in ok]
    report.update({
        "actions_failed_after_kill": sum(s["type"] in ACTION_TYPES and s["error"] is not None
                                         for s in after),
        "sessions_reconnected": len({s["context"].get("user") for s in ok}),
        "reconnects_ok": len(ok), "reconnects_failed": len(rec) - len(ok),
        "noticed": dict(Counter(s["context"].get("noticed") for s in rec)),
        "outage_ms": {"p50": _round(percentile(outages, 50)), "p95": _round(percentile(outages, 95)),
                      "max": _round(max(outages)) if outages else None},
        "last_reconnect_s": _round(max(s["t"] for s in rec) - at) if rec else None,
        "actions_ok_after_last_reconnect": sum(
            s["type"] in ACTION_TYPES and s["error"] is None and s["t"] > max(r["t"] for r in rec)
            for s in after) if rec else None,
    })
    return report


def knee(base_url: str, steps=(25, 50, 100, 150, 200), duration_s: float = 120,
         spawn_rate: float = 5, think_s: tuple[float, float] = DEFAULT_THINK_S,
         limit_ms: float = KNEE_P95_MS, stop_after_breach: bool = True, **kwargs) -> dict:
    """Increasing session counts; the knee is the largest count whose p95 (steady-state actions
    after every user has spawned, failures counted as too slow) is within `limit_ms`."""
    base_url = check_local(base_url)
    results, best = [], None
    for users in steps:
        summary = run(base_url, users, spawn_rate, duration_s, think_s=think_s,
                      label=f"knee-{users}", **kwargs)
        steady = summary.get("steady") or {}
        p95 = steady.get("p95_failures_as_slow_ms")
        if p95 is None:  # the run ended before every user had spawned: judge all its actions
            p95 = summary["actions_p95_failures_as_slow_ms"]
        within = p95 is not None and p95 <= limit_ms
        summary["p95_judged_ms"] = p95
        summary["within_limit"] = within
        results.append(summary)
        log.warning("knee step %d users: p95 %s ms, %s", users, p95,
                    "within" if within else "over")
        if within:
            best = users
        elif stop_after_breach:
            break
    return {"knee_users": best, "limit_ms": limit_ms, "steps": results}


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

def _without_samples(data: dict) -> dict:
    out = {k: v for k, v in data.items() if k != "samples"}
    if "steps" in out:
        out["steps"] = [_without_samples(step) for step in out["steps"]]
    return out


def _kill_pid(pid: int, sig: int):
    def kill():
        os.kill(pid, sig)
        return f"sent signal {sig} to {pid}"
    return kill


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True, help="the app's base URL, e.g. http://127.0.0.1:8611/app/")
    ap.add_argument("--users", type=int, default=25)
    ap.add_argument("--spawn-rate", type=float, default=5, help="users started per second")
    ap.add_argument("--duration", type=float, default=120, help="seconds of load (per knee step)")
    ap.add_argument("--think", type=float, nargs=2, default=DEFAULT_THINK_S, metavar=("MIN", "MAX"),
                    help="seconds between a user's actions (default 10 20)")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S)
    ap.add_argument("--no-cache", action="store_true",
                    help="send no cached_message_hashes (every element in full, heavier than real)")
    ap.add_argument("--knee", help="comma-separated session counts, e.g. 25,50,100,150,200")
    ap.add_argument("--kill-at", type=float, help="seconds into the run to kill --kill-pid")
    ap.add_argument("--kill-pid", type=int, help="process to signal at --kill-at (yours)")
    ap.add_argument("--kill-signal", default="SIGKILL")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--server-pid", type=int, help="report this server's CPU time over each run")
    ap.add_argument("--label", help="names the JSON: artifacts/bench/crowd-<label>.json")
    ap.add_argument("--quiet", action="store_true", help="print only the file name and headline")
    args = ap.parse_args(argv)
    url = check_local(args.url)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    common = {"think_s": tuple(args.think), "timeout_s": args.timeout,
              "send_cached_hashes": not args.no_cache, "seed": args.seed,
              "server_pid": args.server_pid}
    if args.knee:
        steps = [int(x) for x in args.knee.split(",") if x.strip()]
        data = knee(url, steps, duration_s=args.duration, spawn_rate=args.spawn_rate, **common)
        label = args.label or "knee"
    else:
        kill = None
        if args.kill_at is not None:
            assert args.kill_pid, "--kill-at needs --kill-pid"
            kill = _kill_pid(args.kill_pid, getattr(signal, args.kill_signal))
        label = args.label or f"u{args.users}-d{args.duration:g}"
        data = run(url, args.users, args.spawn_rate, args.duration, kill_at_s=args.kill_at,
                   kill=kill, label=label, **common)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"crowd-{label}.json"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), "utf-8")
    if args.quiet:
        head = data.get("knee_users", data.get("actions"))
        print(json.dumps({"saved": str(path.relative_to(ROOT)), "headline": head},
                         ensure_ascii=False))
    else:
        print(json.dumps(_without_samples(data), indent=1, ensure_ascii=False))
        print(f"saved {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
