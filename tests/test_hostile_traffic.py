"""The outside probe of issue 24, as a suite: each row of its table replayed against the
session's stack on loopback (nginx and two replicas, tests/conftest.py), with bounded counts
and time, asserting the fixed behaviour.

Each client is its own loopback address, so the per-client limits of one test do not touch
another's. Nothing here leaves the machine: forged hosts and forwarded addresses are only
header values.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import time

import pytest

from tests.conftest import TRUSTED_PROXY

pytestmark = pytest.mark.browser  # the stack lives on the browser tests' worker

WS_HEADERS = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
              "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
CLOSED = "closed"  # nginx's 444: the connection closed with no answer


def _req(proxy, path: str, headers: dict | None = None, source: str = "127.0.0.1",
         timeout: float = 15) -> tuple[int | str, dict, bytes]:
    port = proxy.stack.settings.port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                      source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        body = b"" if resp.status == 101 else resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    except (http.client.RemoteDisconnected, ConnectionResetError):
        return CLOSED, {}, b""
    finally:
        conn.close()


def _access_log(proxy) -> str:
    return (proxy.stack.settings.var / "nginx" / "logs" / "access.log").read_text(
        errors="replace")


def _replica_logs(proxy) -> str:
    return "".join(r.log_path.read_text(errors="replace") for r in proxy.stack.replicas)


def _wait_for_log(proxy, needle: str, timeout: float = 5) -> str:
    """nginx writes a request's log line when it is done; a 101 is done when it closes."""
    deadline = time.monotonic() + timeout
    while True:
        text = _access_log(proxy)
        if needle in text or time.monotonic() > deadline:
            return text
        time.sleep(0.1)


def _document_headers_ok(headers: dict) -> bool:
    csp = headers.get("content-security-policy", "")
    return ("frame-ancestors 'self'" in csp and "default-src" in csp
            and headers.get("referrer-policy") in ("same-origin",
                                                   "strict-origin-when-cross-origin")
            and headers.get("cross-origin-opener-policy") == "same-origin")


# --- Documents without headers -------------------------------------------------------------

@pytest.mark.parametrize("path", ["/app/index.html", "/app/a/b", "/app/%3Cscript%3E",
                                  "/app/no-such-page", "/app/_stcore/nothing", "/nowhere/",
                                  "/en/nowhere/", "/c/"])
def test_a_path_that_is_no_page_is_nginxs_404_with_the_document_headers(proxy, path):
    """Test that a path under the app that is no page is nginx's 404 (not Streamlit's shell), under the CSP with frame-ancestors, Referrer-Policy and COOP."""
    status, headers, body = _req(proxy, path, source="127.0.1.1")
    assert status == 404 and b"Streamlit" not in body, (path, status, body[:200])
    assert headers["content-type"].startswith("text/html")
    assert _document_headers_ok(headers), (path, headers)


def test_every_html_answer_has_the_document_headers(proxy):
    """Test that every HTML response, whatever its path or status (a page, the edition, a redirect, a 429), carries the document headers, and a script none."""
    from nexidash import site

    paths = ["/app/", "/app", "/", "/en/regions/"] + [f"/app/{p.path}" for p in site.PAGES]
    for path in paths:
        status, headers, _ = _req(proxy, path, source="127.0.1.2")
        assert status in (200, 301), (path, status)
        assert headers["content-type"].startswith("text/html"), (path, headers)
        assert _document_headers_ok(headers), (path, headers)
    statuses = []
    for _ in range(80):  # a 429 is nginx's HTML page too
        status, headers, _ = _req(proxy, "/app/_stcore/stream", source="127.0.1.3")
        statuses.append(status)
        if status == 429:
            assert _document_headers_ok(headers), headers
            break
    assert 429 in statuses, statuses
    _, headers, _ = _req(proxy, "/app/_stcore/health", source="127.0.1.2")
    assert "content-security-policy" not in headers and "cross-origin-opener-policy" not in headers


def test_only_embed_pages_may_be_framed_by_another_site(proxy):
    """Test that the policy table lets /embed/ be framed anywhere and nothing else."""
    from nexidash import serve_nginx

    policies = dict(serve_nginx.document_policies("app", "edition", "embed"))
    assert [p for p, h in policies.items() if h["Content-Security-Policy"] == "embed"] == [
        "/embed/"]
    _, headers, _ = _req(proxy, "/embed/nowhere", source="127.0.1.2")
    assert "frame-ancestors *" in headers["content-security-policy"], headers
    _, headers, _ = _req(proxy, "/app/embed/", source="127.0.1.2")
    assert "frame-ancestors 'self'" in headers["content-security-policy"], headers


# --- Foreign origins reach the replica ------------------------------------------------------

def test_foreign_origins_and_hosts_never_reach_a_replica(proxy):
    """Test that a WebSocket handshake from a foreign Origin is refused by nginx (403) and one naming a foreign Host is closed unanswered, neither reaching a replica (nginx logs no upstream, the replicas log no external-IP lookup), while the site's own origin opens it (101)."""
    port = proxy.stack.settings.port
    marker = f"hostile-{time.time_ns()}"
    before = _replica_logs(proxy)
    cases = [({"Origin": "http://evil.example"}, 403),
             ({"Origin": "http://localhost:5555"}, 403),
             ({"Origin": f"https://127.0.0.1:{port}"}, 403),
             ({"Origin": "null"}, 403),
             ({"Host": "evil.example", "Origin": "http://evil.example"}, CLOSED),
             ({"Host": f"evil.example:{port}"}, CLOSED)]
    started = time.monotonic()
    for headers, expected in cases:
        status, _, _ = _req(proxy, f"/app/_stcore/stream?{marker}", {**WS_HEADERS, **headers},
                            source="127.0.1.4")
        assert status == expected, (headers, status)
    assert time.monotonic() - started < 5  # no refusal waits on anything
    log = _wait_for_log(proxy, marker)
    lines = [line for line in log.splitlines() if marker in line]
    assert len(lines) == len(cases), lines
    assert all(' "-" ' in line for line in lines), lines  # no replica ($upstream_addr) tried
    # The site's own origin is let through.
    status, _, _ = _req(proxy, "/app/_stcore/stream", {**WS_HEADERS,
                        "Origin": f"http://127.0.0.1:{port}"}, source="127.0.1.4")
    assert status == 101
    after = _replica_logs(proxy)[len(before):]
    assert "external IP" not in after and marker not in after, after


def test_a_replica_reached_directly_refuses_a_foreign_host(proxy):
    """Test that a replica itself (server.allowedHosts) refuses a handshake naming a Host not the site's, should its port be reached without nginx."""
    up = proxy.stack.upstreams[0]
    conn = http.client.HTTPConnection(up.host, up.port, timeout=10)
    try:
        conn.request("GET", "/app/_stcore/stream", headers={**WS_HEADERS,
                                                            "Host": "evil.example"})
        status = conn.getresponse().status
    finally:
        conn.close()
    assert status in (400, 403), status


# --- Public metrics, redirect from Host -----------------------------------------------------

@pytest.mark.parametrize("path", ["/app/_stcore/metrics", "/app/_stcore/script-health-check",
                                  "/app/_stcore/upload_file/x/y", "/app/_stcore/agent/mcp"])
def test_streamlits_internal_endpoints_are_closed(proxy, path):
    """Test that the metrics and Streamlit's other internal endpoints answer 404 from nginx."""
    status, _, body = _req(proxy, path, source="127.0.1.5")
    assert status == 404 and b"stcore" not in body and b"session" not in body, (path, body)


def test_redirects_are_relative_and_a_foreign_host_gets_none(proxy):
    """Test that /app redirects to the relative /app/, and with a foreign Host the connection is closed with no redirect."""
    status, headers, _ = _req(proxy, "/app", source="127.0.1.5")
    assert status == 301 and headers["location"] == "/app/", headers
    assert _req(proxy, "/app", {"Host": "evil.example"}, source="127.0.1.5")[0] == CLOSED
    assert _req(proxy, "/", {"Host": "evil.example"}, source="127.0.1.5")[0] == CLOSED


# --- Downloads unlimited, client address ----------------------------------------------------

def _a_download(proxy) -> str:
    edition = proxy.stack.settings.edition
    return "/d/" + min(p.name for p in (edition / "d").iterdir() if p.suffix == ".csv")


def test_edition_downloads_are_rate_limited_per_client(proxy):
    """Test that one client's loop over a /d/ file is cut off with 429 after the burst, and another client is not."""
    from nexidash.serve_nginx import LIMITS

    path, burst = _a_download(proxy), LIMITS["file_burst"]
    started = time.monotonic()
    statuses = [_req(proxy, path, source="127.0.1.6")[0] for _ in range(burst + 20)]
    assert time.monotonic() - started < 20
    assert statuses[: burst // 2] == [200] * (burst // 2), statuses
    assert statuses.count(429) >= 15, statuses
    assert _req(proxy, path, source="127.0.1.7")[0] == 200


def test_forwarded_address_is_believed_from_the_trusted_proxy_only(proxy):
    """Test that behind the trusted front proxy each reader (X-Forwarded-For) has their own bucket, while a client elsewhere cannot escape its bucket by forging X-Forwarded-For."""
    from nexidash.serve_nginx import LIMITS

    path, burst = _a_download(proxy), LIMITS["file_burst"]
    forged = [_req(proxy, path, {"X-Forwarded-For": f"198.51.100.{i}"}, source="127.0.1.8")[0]
              for i in range(burst + 10)]
    assert forged.count(429) >= 5, forged
    reader_a = [_req(proxy, path, {"X-Forwarded-For": "198.51.100.1"}, source=TRUSTED_PROXY)[0]
                for _ in range(burst + 10)]
    assert reader_a.count(429) >= 5, reader_a
    reader_b = _req(proxy, path, {"X-Forwarded-For": "198.51.100.2"}, source=TRUSTED_PROXY)[0]
    assert reader_b == 200
    log = _access_log(proxy)
    assert "198.51.100.2 [" in log and "198.51.100.5 [" not in log


# --- Replica cookie -------------------------------------------------------------------------

def _answered(headers: dict) -> str:
    return headers["set-cookie"].split(";")[0].split("=", 1)[1]


def test_a_made_up_replica_cookie_picks_nothing(proxy):
    """Test that nexi_replica=r1 from a client is ignored (readers are spread as with no cookie), while a value the stack signed routes to its replica."""
    names = {u.name for u in proxy.stack.upstreams}
    answered = set()
    for _ in range(12):
        _, headers, _ = _req(proxy, "/app/_stcore/health", {"Cookie": "nexi_replica=r1"},
                             source="127.0.1.9")
        value = _answered(headers)
        assert re.fullmatch(r"r\d\.[0-9a-f]{24}", value), value
        answered.add(value)
    assert {v.split(".")[0] for v in answered} == names, answered
    for value in answered:
        for _ in range(3):
            _, headers, _ = _req(proxy, "/app/_stcore/health", {"Cookie": f"nexi_replica={value}"},
                                 source="127.0.1.9")
            assert _answered(headers) == value
    forged = value.split(".")[0] + "." + "0" * 24
    spread = {_answered(_req(proxy, "/app/_stcore/health", {"Cookie": f"nexi_replica={forged}"},
                             source="127.0.1.9")[1]) for _ in range(12)}
    assert len(spread) == len(names), spread


def test_cookies_are_secure_only_behind_the_trusted_tls_proxy(proxy):
    """Test that both cookies (the replica's and Streamlit's XSRF) are Secure when the trusted proxy says the reader came over TLS, and not when anyone else says so."""
    tls = {"X-Forwarded-Proto": "https"}
    # The health answer carries both: Streamlit sets its XSRF cookie there.
    cookies = [v for k, v in _all_headers(proxy, "/app/_stcore/health", tls, TRUSTED_PROXY)
               if k == "set-cookie"]
    assert {c.split("=")[0] for c in cookies} == {"nexi_replica", "_streamlit_xsrf"}, cookies
    assert all(re.search(r";\s*secure", c, re.I) for c in cookies), cookies
    plain = [v for k, v in _all_headers(proxy, "/app/_stcore/health", tls, "127.0.1.10")
             if k == "set-cookie"]
    assert len(plain) == 2 and not any("secure" in c.lower() for c in plain), plain


def _all_headers(proxy, path, headers, source) -> list[tuple[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", proxy.stack.settings.port, timeout=15,
                                      source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        resp.read()
        return [(k.lower(), v) for k, v in resp.getheaders()]
    finally:
        conn.close()


# --- Workers as root ------------------------------------------------------------------------

def _uid(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        return int(next(line for line in fh if line.startswith("Uid:")).split()[1])


def test_nginx_workers_and_replicas_are_not_root(proxy):
    """Test that nginx's workers and every replica run as the unprivileged user, not root."""
    if os.geteuid() != 0:
        pytest.skip("not root: everything runs as the user who started it")
    master = proxy.stack.nginx.pid
    workers = [int(p) for p in os.listdir("/proc") if p.isdigit() and _ppid(int(p)) == master]
    assert workers and all(_uid(p) != 0 for p in workers), workers
    assert all(_uid(r.proc.pid) != 0 for r in proxy.stack.replicas)
    text = (proxy.stack.settings.var / "nginx" / "nginx.conf").read_text()
    assert re.search(r"^user nexi ", text, re.M) and "user root" not in text


def _ppid(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


# --- A hung replica is waited on ------------------------------------------------------------

def _timed(proxy, path, headers=None, source="127.0.1.11"):
    started = time.monotonic()
    status, h, _ = _req(proxy, path, headers, source=source, timeout=30)
    return time.monotonic() - started, status, h


def test_a_stopped_replica_is_routed_around_within_two_seconds(proxy):
    """Test that with one of two replicas stopped (SIGSTOP), no request waits 2 s: new readers, the stopped replica's own readers, and their WebSocket reconnects go to the other replica."""
    stack = proxy.stack
    victim, other = stack.replicas
    cookies = {}
    for _ in range(20):
        _, _, h = _timed(proxy, "/app/_stcore/health")
        cookies[_answered(h).split(".")[0]] = _answered(h)
        if len(cookies) == 2:
            break
    mine = {"Cookie": f"nexi_replica={cookies[victim.upstream.name]}"}
    pid = victim.proc.pid
    os.killpg(pid, signal.SIGSTOP)
    waits = []
    try:
        deadline = time.monotonic() + 6
        for i in range(200):  # each round a reader of its own (the handshake limit is per client)
            if time.monotonic() > deadline:
                break
            for path, headers in (("/app/", None), ("/app/regions", mine),
                                  ("/app/_stcore/health", mine)):
                took, status, h = _timed(proxy, path, headers)
                waits.append(took)
                assert status == 200, (path, status)
                # The other replica, or the stopped one once the supervisor has replaced it.
                assert (_answered(h).split(".")[0] == other.upstream.name
                        or victim.proc.pid != pid), (path, h)
            # A reader's reconnect, as the frontend makes it: health, then the socket with the
            # cookie that health answered with.
            _, _, h = _timed(proxy, "/app/_stcore/health", mine)
            took, status, _ = _timed(proxy, "/app/_stcore/stream", {
                **WS_HEADERS, "Cookie": f"nexi_replica={_answered(h)}"}, source=f"127.0.2.{i}")
            waits.append(took)
            assert status == 101
    finally:
        if victim.proc.pid == pid:
            try:
                os.killpg(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
    assert max(waits) < 2.0, sorted(waits)[-5:]
    # The supervisor puts it back in the pool once it answers again (restarted or resumed).
    deadline = time.monotonic() + 60
    while victim.upstream.name in stack.down:
        assert time.monotonic() < deadline, "the replica never came back"
        time.sleep(0.5)
