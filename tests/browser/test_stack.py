"""The production stack (`make serve`): nginx in front of two replicas, as a reader meets it.

Every page is also drawn through the proxy by test_pages.test_page_renders (via="proxy"); the
parts that need no running stack are in tests/test_serve.py.
"""

from __future__ import annotations

import gzip
import html
import http.client
import os
import re
import signal
import time
from pathlib import Path

import brotli
import pytest
from playwright.sync_api import expect

from tests.browser.visit import (assert_no_error_shown, assert_quiet, open_settled,
                                 settle)

pytestmark = pytest.mark.browser

CONNECTED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'


def _get(proxy, path: str, headers: dict | None = None, method: str = "GET", body=None,
         source: str = "127.0.0.1") -> tuple[int, dict, bytes]:
    """One request to the proxy, from a chosen loopback address (limits are per client)."""
    port = int(proxy.origin.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15,
                                      source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def _main_bundle(proxy) -> str:
    _, _, html = _get(proxy, "/app/")
    return re.search(rb'<script type="module"[^>]*src="\./(static/js/index\.[^"]+\.js)"',
                     html).group(1).decode()


def test_front_door_is_the_static_edition(proxy):
    """Test that / is the static edition's Japanese overview, precompressed, never cached stale, under a CSP that allows only its own scripts, and its charts cached for a year."""
    status, headers, body = _get(proxy, "/", {"Accept-Encoding": "br"})
    assert status == 200 and headers.get("content-encoding") == "br", (status, headers)
    page = brotli.decompress(body).decode("utf-8")
    assert '<html lang="ja">' in page and "<script>" not in page and "<h1" in page
    assert headers["cache-control"] == "no-cache"
    csp = headers["content-security-policy"]
    # Scripts only from the site itself (the marks and search files) and Pagefind's WebAssembly:
    # nothing inline, no eval() of JavaScript.
    assert "default-src 'none'" in csp and "style-src 'sha256-" in csp
    assert "script-src 'self' 'wasm-unsafe-eval';" in csp and "unsafe-inline" not in csp \
        and "'unsafe-eval'" not in csp
    chart = re.search(r'src="(/c/[0-9a-f]+\.svg)"', page).group(1)
    status, headers, _ = _get(proxy, chart, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-type"] == "image/svg+xml"
    assert headers.get("content-encoding") == "gzip" and "immutable" in headers["cache-control"]
    status, headers, _ = _get(proxy, "/en/regions/2022/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert _get(proxy, "/en/nowhere/")[0] == 404


def test_main_bundle_is_precompressed_and_immutable(proxy):
    """Test that the main JavaScript bundle comes back as brotli (or gzip) from disk, cached for a year."""
    from nexidash import serve_static

    bundle = _main_bundle(proxy)
    original = (serve_static.streamlit_static_dir() / bundle).read_bytes()
    status, headers, body = _get(proxy, f"/app/{bundle}", {"Accept-Encoding": "gzip, br"})
    assert status == 200
    assert headers.get("content-encoding") == "br", headers
    assert brotli.decompress(body) == original
    assert len(body) < len(original) / 3, f"{len(body)} of {len(original)} bytes"
    cache = headers.get("cache-control", "")
    assert "immutable" in cache and "max-age=31536000" in cache, cache

    status, headers, body = _get(proxy, f"/app/{bundle}", {"Accept-Encoding": "gzip"})
    assert headers.get("content-encoding") == "gzip", headers
    assert gzip.decompress(body) == original
    # A .gz is served with a Content-Length: it came from disk, not compressed per request.
    assert int(headers["content-length"]) == len(body)


def test_boundaries_are_precompressed(proxy):
    """Test that the map boundaries are served compressed from the files written at set-up."""
    status, headers, body = _get(proxy, "/app/app/static/geo/world.geojson",
                                 {"Accept-Encoding": "br"})
    assert status == 200 and headers.get("content-encoding") == "br", headers
    assert brotli.decompress(body).startswith(b'{"type":"FeatureCollection"')
    assert "content-length" in headers


def test_html_is_never_cached_and_is_compressed(proxy):
    """Test that the HTML shell is compressed on the way and never cached."""
    status, headers, body = _get(proxy, "/app/regions", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip", headers
    assert b"<!DOCTYPE html>" in gzip.decompress(body)
    assert headers.get("cache-control") == "no-cache", headers


def test_each_page_says_its_language_title_and_opening_text(proxy):
    """Test that the HTML shell of each page carries its language, title, description and opening text, before any script runs."""
    from nexidash import i18n, serve_nginx, site

    for page in site.PAGES:
        for lang in i18n.LANGS:
            path = "/app/" if page == site.DEFAULT_PAGE else f"/app/{page.path}"
            _, headers, body = _get(proxy, f"{path}?lang={lang}")
            text = body.decode()
            title = html.escape(serve_nginx.page_text(lang, page.title_key), quote=True)
            intro = html.escape(serve_nginx.page_text(lang, page.intro_key), quote=True)
            name = html.escape(serve_nginx.page_text(lang, "site.name"), quote=True)
            assert f'<html lang="{lang}">' in text, (page.path, lang)
            assert f"<title>{title} | {name}</title>" in text, (page.path, lang)
            assert f"<meta name='description' content='{intro}'>" in text, (page.path, lang)
            assert (f"<div id='nexi-preview' aria-hidden='true'><p><b>{title}</b><br>{intro}</p>"
                    "</div>") in text
            assert text.count("id='nexi-preview'") == 1
            assert text.index("id='nexi-preview'") < text.index("<noscript>")
    # No language asked for, or one the site does not have: Japanese, and nothing echoed.
    for query in ("", "?lang=%3Cscript%3E", "?lang=fr"):
        _, _, body = _get(proxy, f"/app/regions{query}")
        assert b'<html lang="ja">' in body and b"<script>" not in body.split(b"</title>")[0]
    # A path that is no page is nginx's 404, not Streamlit's shell, and still a document
    # under the app's CSP.
    status, headers, body = _get(proxy, "/app/no-such-page")
    assert status == 404 and b"<title>Streamlit</title>" not in body, (status, body[:200])
    assert "frame-ancestors 'self'" in headers.get("content-security-policy", ""), headers


def test_public_headers(proxy):
    """Test that pages carry the CSP and policy headers, every answer nosniff, and none a server version."""
    for path in ("/app/", "/app/regions"):
        _, headers, _ = _get(proxy, path)
        csp = headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "object-src 'none'" in csp, (path, csp)
        assert "'unsafe-eval'" not in csp and "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in csp, csp
        assert headers.get("referrer-policy") == "same-origin", (path, headers)
        assert headers.get("cross-origin-opener-policy") == "same-origin", (path, headers)
    for path in ("/", "/app/", f"/app/{_main_bundle(proxy)}", "/app/_stcore/health",
                 "/app/app/static/geo/world.geojson", "/app/media/missing.csv"):
        _, headers, _ = _get(proxy, path, source="127.0.0.6")
        assert headers.get("x-content-type-options") == "nosniff", (path, headers)
        assert headers.get("server") == "nginx", f"{path}: server header {headers.get('server')}"
    # The policy headers mean nothing on a script; a phone's first visit fetches a hundred.
    _, headers, _ = _get(proxy, f"/app/{_main_bundle(proxy)}")
    assert "content-security-policy" not in headers and "referrer-policy" not in headers


def test_sticky_cookie_names_the_answering_replica(proxy):
    """Test that the first answer sets a cookie naming its replica, and that cookie routes the next request."""
    names = {u.name for u in proxy.stack.upstreams}
    _, headers, _ = _get(proxy, "/app/")
    cookie = re.match(r"nexi_replica=((r\d+)\.[0-9a-f]{24}); Path=/app/; HttpOnly; SameSite=Lax$",
                      headers.get("set-cookie", ""))
    assert cookie and cookie.group(2) in names, headers
    values = {cookie.group(2): cookie.group(1)}
    for _ in range(20):
        if len(values) == len(names):
            break
        _, headers, _ = _get(proxy, "/app/_stcore/health")
        value = headers["set-cookie"].split(";")[0].split("=", 1)[1]
        values[value.split(".")[0]] = value
    for name in sorted(names):
        _, headers, _ = _get(proxy, "/app/_stcore/health",
                             {"Cookie": f"nexi_replica={values[name]}"})
        assert headers.get("set-cookie", "").startswith(f"nexi_replica={values[name]};"), (
            name, headers)


def test_oversized_request_is_refused(proxy):
    """Test that a request body over the limit is refused before it reaches a replica."""
    status, _, _ = _get(proxy, "/app/_stcore/health", method="POST", body=b"x" * 100_000,
                        headers={"Content-Type": "application/octet-stream"}, source="127.0.0.4")
    assert status == 413


def _flood(proxy, path: str, count: int, source: str, headers=None) -> list[int]:
    return [_get(proxy, path, headers, source=source)[0] for _ in range(count)]


def test_websocket_handshakes_are_rate_limited_per_client(proxy):
    """Test that one client's burst of WebSocket handshakes is cut off with 429, and another client is not."""
    from nexidash.serve_nginx import LIMITS

    burst = LIMITS["handshake_burst"]
    # Plain GETs of the stream path count against the same limit as real handshakes, and
    # leave no session behind. Each client is its own loopback address.
    statuses = _flood(proxy, "/app/_stcore/stream", burst + 20, source="127.0.0.2")
    assert 429 not in statuses[: burst // 2], statuses  # an ordinary reader's reconnects pass
    assert statuses.count(429) >= 15, statuses
    assert _get(proxy, "/app/_stcore/stream", source="127.0.0.3")[0] != 429


def test_downloads_are_rate_limited_per_client(proxy):
    """Test that a client fetching downloads far faster than a reader clicks is cut off with 429."""
    from nexidash.serve_nginx import LIMITS

    burst = LIMITS["download_burst"]
    statuses = _flood(proxy, "/app/media/0123456789abcdef.csv", burst + 20, source="127.0.0.5")
    assert 429 not in statuses[: burst // 2], statuses
    assert statuses.count(429) >= 15, statuses


def test_csv_download_reaches_the_replica_that_made_it(proxy, watched):
    """Test that a CSV download made through the proxy works: its /media/ request finds the replica holding the file."""
    page = watched.page
    # The link opens the map's table view, as a shared link would.
    open_settled(page, f"{proxy.url}/regions?lang=en&measure=claims_paid&risk=political"
                       "&view_region_map=table", min_plots=2)
    page.locator(".st-key-view_region_map_en .nexi-table").wait_for(timeout=30_000)
    with page.expect_download(timeout=30_000) as info:
        page.locator(".st-key-dl_region_map button").click()
    assert info.value.url.startswith(f"{proxy.url}/media/"), info.value.url
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    assert any(line.startswith("europe,") and ",84226," in line for line in text.splitlines())
    assert watched.csp_violations() == []
    assert_quiet(watched)


def _replica_of(context, proxy):
    value = {c["name"]: c["value"] for c in context.cookies()}.get("nexi_replica", "")
    name = value.split(".")[0]
    return next(r for r in proxy.stack.replicas if r.upstream.name == name)


def test_session_recovers_when_its_replica_dies(proxy, watched):
    """Test that killing the replica behind an open page reconnects it to another replica with the same view, and the supervisor restarts the dead one."""
    from nexidash.serve import healthy

    page = watched.page
    url = f"{proxy.url}/regions?lang=en&measure=claims_paid&risk=political&year=2022"
    open_settled(page, url, min_plots=3)
    victim = _replica_of(page.context, proxy)
    old_pid = victim.proc.pid

    os.killpg(old_pid, signal.SIGKILL)
    expect(page.locator(CONNECTED)).to_have_count(0, timeout=20_000)
    page.wait_for_selector(CONNECTED, state="attached", timeout=60_000)
    settle(page, min_plots=3)

    assert page.url == url
    assert any("Claims paid" in h and "FY2022" in h
               for h in page.locator("h1, h2, h3, h4").all_inner_texts()), \
        page.locator("h1, h2, h3, h4").all_inner_texts()
    survivor = _replica_of(page.context, proxy)
    assert survivor is not victim, "the cookie still names the dead replica"
    assert_no_error_shown(page)
    assert watched.csp_violations() == []

    deadline = time.monotonic() + 60
    while not (victim.proc.pid != old_pid and healthy(victim.upstream.host, victim.upstream.port)):
        assert time.monotonic() < deadline, "the supervisor did not restart the dead replica"
        time.sleep(0.5)



def test_static_page_reads_on_a_phone_and_links_both_ways(proxy, browser):
    """Test that a static page at 390 px draws its charts with no script, no horizontal scroll and no request off the machine, links to the same view in the dashboard, and the dashboard links back."""
    from tests.browser.visit import SCREENSHOT_DIR

    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                              java_script_enabled=False)
    try:
        page = ctx.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{proxy.origin}/en/regions/2022/")
        expect(page.locator("h1")).to_have_text("Regions")
        first = page.locator("main img").first
        assert first.evaluate("img => img.complete && img.naturalWidth > 0")
        assert first.evaluate("img => img.currentSrc.endsWith('-s.svg')"), "phone-sized chart"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert all(u.startswith(proxy.origin) for u in requests), requests
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / "static_regions_en_390.png"), full_page=True)
        explore = page.locator("a.explore").first.get_attribute("href")
        assert explore == "/app/regions?lang=en&year=2022", explore
    finally:
        ctx.close()
    ctx = browser.new_context()
    try:
        app = ctx.new_page()
        open_settled(app, f"{proxy.url}/regions?lang=en&year=2022", min_plots=2)
        back = app.locator('[data-testid="stSidebar"] a', has_text="plain page")
        assert back.get_attribute("href") == "/en/regions/2022/"
    finally:
        ctx.close()


# Every layout shift the page recorded, read after it has drawn (the entries are buffered).
LAYOUT_SHIFTS_JS = """() => new Promise(done => {
  const seen = [];
  const watch = new PerformanceObserver(list => seen.push(...list.getEntries()));
  watch.observe({type: 'layout-shift', buffered: true});
  setTimeout(() => { watch.disconnect();
    done(seen.filter(e => !e.hadRecentInput).map(e => e.value)); }, 300);
})"""


@pytest.mark.parametrize("name", ["overview", "country", "about"])
def test_a_dashboard_page_holds_its_room_on_a_slow_phone(proxy, browser, name):
    """Test that a dashboard page opened on a slow phone (Lighthouse's phone size, a cold
    browser, the CPU slowed 4x) moves less than CLS 0.1 in all as it draws: the shell's
    stylesheet hides what is hidden and holds each metric's, control's, chart's and table's
    room before Streamlit has loaded their code (overview: controls, cards, charts; country
    and about: tables)."""
    context = browser.new_context(viewport={"width": 412, "height": 823},
                                  device_scale_factor=1.75, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
        open_settled(page, f"{proxy.url}/{'' if name == 'overview' else name}")
        shifts = page.evaluate(LAYOUT_SHIFTS_JS)
        assert sum(shifts) < 0.1, shifts
    finally:
        context.close()
