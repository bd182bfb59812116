"""Embeds across two origins, through the production stack: a page on another origin frames a
chart's embed page (the snippet its oEmbed answer gives) and sees the chart; framing any other
page of the site is refused (frame-ancestors 'self')."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import urllib.request

import pytest
from playwright.sync_api import expect

from nexidash import urls
from tests.browser.visit import axe_context, axe_violations
from tests.helpers import check_oembed

pytestmark = pytest.mark.browser

EMBED = "/embed/ja/regions/2024/region_map/"
OEMBED = "/oembed/ja/regions/2024/region_map.json"
ORDINARY = "/ja/regions/"
HOST = "127.0.0.2"  # another origin: another loopback address, as another site would be


@pytest.fixture(scope="module")
def other_site():
    """A tiny server on another origin: each page it serves is the HTML it was told to hold."""
    pages: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    with socket.socket() as s:
        s.bind((HOST, 0))
        port = s.getsockname()[1]
    server = http.server.ThreadingHTTPServer((HOST, port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{HOST}:{port}", pages
    server.shutdown()
    server.server_close()


def _oembed(proxy) -> dict:
    with urllib.request.urlopen(proxy.origin + OEMBED, timeout=15) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"].startswith("application/json")
        return json.loads(resp.read())


def _host_page(html: str) -> bytes:
    return (f'<!doctype html><html lang="en"><title>An article</title>'
            f'<body><p>An article quoting NEXI.</p>{html}</body></html>').encode()


def test_the_oembed_answer_is_served_with_its_fields(proxy):
    """Test that the stack serves a chart's oEmbed answer as JSON with oEmbed 1.0's fields, framing the chart's embed page on this origin."""
    answer = _oembed(proxy)
    # The edition names its public origin (NEXI_SITE_URL); the stack under test is elsewhere.
    check_oembed(answer, answer["title"], urls.origin())
    assert f'src="{urls.absolute(EMBED)}"' in answer["html"]


def test_only_embeds_may_be_framed_by_other_sites(proxy):
    """Test that nginx lets any origin frame an embed page and only this origin frame the others (the front door, a page, a year's page)."""
    def policy(path):
        with urllib.request.urlopen(proxy.origin + path, timeout=15) as resp:
            assert resp.status == 200
            return resp.headers["Content-Security-Policy"]

    assert "frame-ancestors *" in policy(EMBED)
    for path in ("/", ORDINARY, "/en/regions/2022/", "/en/financials/"):
        assert "frame-ancestors 'self'" in policy(path), path


def test_another_site_frames_an_embed_and_sees_the_chart(proxy, browser, other_site):
    """Test that a page on another origin, pasting the oEmbed snippet, shows the chart's title and its picture drawn inside the frame, sized to the frame with no script, and the phone drawing in a narrow frame."""
    origin, pages = other_site
    answer = _oembed(proxy)
    snippet = answer["html"].replace(urls.origin(), proxy.origin)
    pages["/wide.html"] = _host_page(snippet)
    pages["/narrow.html"] = _host_page(f'<div style="width:360px">{snippet}</div>')
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, java_script_enabled=False)
    try:
        page = ctx.new_page()
        refused = []
        page.on("console", lambda m: refused.append(m.text) if "frame" in m.text else None)
        page.goto(origin + "/wide.html")
        frame = page.frame_locator("iframe")
        expect(frame.locator("h1")).to_have_text(answer["title"])
        img = frame.locator("img").first
        expect(img).to_have_js_property("complete", True)
        assert img.evaluate("i => i.naturalWidth") > 0
        assert img.evaluate("i => i.currentSrc").endswith(".svg")
        box, outer = img.bounding_box(), page.locator("iframe").bounding_box()
        assert box["width"] > 0.9 * (outer["width"] - 30) and box["height"] > 100
        assert box["y"] + box["height"] <= outer["y"] + outer["height"]
        expect(frame.locator(".back a").first).to_have_attribute(
            "href", "/ja/regions/#region_map")
        page.goto(origin + "/narrow.html")
        img = page.frame_locator("iframe").locator("img").first
        expect(img).to_have_js_property("complete", True)
        assert img.evaluate("i => i.currentSrc").endswith("-s.svg")
        assert not refused, refused
    finally:
        ctx.close()


def test_another_site_cannot_frame_an_ordinary_page(proxy, browser, other_site):
    """Test that a page on another origin framing an ordinary page of the site gets nothing: the browser refuses the frame (frame-ancestors 'self')."""
    origin, pages = other_site
    pages["/ordinary.html"] = _host_page(
        f'<iframe src="{proxy.origin}{ORDINARY}" title="NEXI" width="800" height="600"></iframe>')
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        refused = []
        page.on("console", lambda m: refused.append(m.text))
        with page.expect_response(proxy.origin + ORDINARY) as response:
            page.goto(origin + "/ordinary.html")
        assert response.value.status == 200  # served, then refused by the browser
        page.wait_for_load_state("load")
        # Chromium shows its own error page in a refused frame (which may have an h1 of its
        # own): nothing of the site's page is in it.
        expect(page.frame_locator("iframe").locator("main#main, header.site")).to_have_count(0)
        assert any("frame-ancestors 'self'" in m for m in refused), refused
        assert all(f.url.startswith(("chrome-error:", "about:", origin))
                   for f in page.frames), [f.url for f in page.frames]
    finally:
        ctx.close()


def test_embed_pages_pass_axe_wcag_aa(proxy, browser):
    """Test that axe-core finds no WCAG 2.1 A or AA violation on embed pages (a map with its bars, a chart of a page without years, in each language), in a wide and a narrow frame's size."""
    found = {}
    for viewport in ({"width": 880, "height": 1200}, {"width": 360, "height": 700}):
        ctx = axe_context(browser, viewport)
        try:
            page = ctx.new_page()
            for path in (EMBED, "/embed/en/regions/2022/region_map/",
                         "/embed/en/financials/fin_waterfall/", "/embed/ja/sme/sme_map/"):
                assert page.goto(proxy.origin + path).status == 200, path
                for v in axe_violations(page):
                    found.setdefault(v["id"], []).append((viewport["width"], path))
        finally:
            ctx.close()
    assert not found, found
