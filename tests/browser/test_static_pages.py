"""The static edition in Chromium, served by the production stack at /: complete without
JavaScript, and clean under axe-core's WCAG 2.1 A/AA rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _pages(edition_dir: Path) -> list[str]:
    return ["/", *sorted("/" + str(p.parent.relative_to(edition_dir)) + "/"
                         for p in edition_dir.rglob("index.html") if p.parent != edition_dir)]


def _pages_in(edition_dir: Path, lang: str) -> list[str]:
    """The static pages of one language ("/", the front door, is the Japanese overview)."""
    return [p for p in _pages(edition_dir) if p.startswith(f"/{lang}/") or (p == "/" and lang == "ja")]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_static_page_shows_its_figures_and_charts_without_javascript(proxy, browser,
                                                                           edition_dir, lang):
    """Test that with JavaScript disabled every static page shows its title, its tables and every chart image, drawn."""
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    try:
        page = ctx.new_page()
        for path in _pages_in(edition_dir, lang):
            response = page.goto(proxy.origin + path)
            assert response.status == 200, path
            expect(page.locator("h1")).to_be_visible()
            images = page.locator("main img")
            for i in range(images.count()):
                img = images.nth(i)
                img.scroll_into_view_if_needed()
                expect(img).to_have_js_property("complete", True)
                assert img.evaluate("i => i.naturalWidth") > 0, (path, img.get_attribute("src"))
            # The press kit's figures are sentences; a country's can be a line or two; the
            # glossary is words.
            if "/glossary/" in path:
                assert page.locator("main h2[id^='term-']").count() > 20, path
            elif "/press/" not in path and "/country/" not in path:
                assert page.locator("main table").count() > 0, path
            elif "/country/" in path:
                assert page.locator("main table, main .bullets li, main .metric").count() > 0, path
            else:
                expect(page.locator("main .bullets li").first).to_be_visible()
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_static_pages_pass_axe_wcag_aa(proxy, browser, edition_dir, lang, width):
    """Test that axe-core finds no WCAG 2.1 A or AA violation on any static page, at desktop and phone widths."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci in tests/browser/axe)")
    found = {}
    viewport = {"width": width, "height": 900 if width > 640 else 844}
    # axe is injected as a script, which the pages' CSP (no script at all) would refuse.
    ctx = browser.new_context(viewport=viewport, bypass_csp=True)
    try:
        page = ctx.new_page()
        for path in _pages_in(edition_dir, lang):
            page.goto(proxy.origin + path)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_AA)
            for v in result["violations"]:
                found.setdefault(v["id"], []).append(
                    (width, path, [n["target"] for n in v["nodes"][:2]]))
    finally:
        ctx.close()
    assert not found, json.dumps(found, ensure_ascii=False)[:3000]


def test_static_page_prints_to_a4_without_navigation(proxy, browser):
    """Test that a static page prints to A4 with its charts and without the site navigation."""
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(proxy.origin + "/ja/regions/")
        page.emulate_media(media="print")
        assert not page.locator("header nav").is_visible()
        assert not page.locator("a.explore").first.is_visible()
        expect(page.locator("main img").first).to_be_visible()
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        assert pdf[:4] == b"%PDF" and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") \
            + pdf.count(b"/Type/Page") >= 1
    finally:
        ctx.close()
