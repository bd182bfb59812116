"""Exploring as a visitor does: clicking a chart, playing the timeline, the country view, the
document's language, a phone's controls, and WCAG 2.1 AA on every page of the app."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.visit import (PAGES, PHONE, assert_quiet, axe_violations, open_settled,
                                 require_axe, screenshot, settle)

pytestmark = pytest.mark.browser

YEAR_PAGES = ["overview", "regions", "products", "press"]

# The screen position of one bar, found by its customdata code: the code's index in its trace
# is the bar's index among that trace's drawn bars.
BAR_BOX_JS = """
([plotIndex, code]) => {
  const plot = document.querySelectorAll('.js-plotly-plot')[plotIndex];
  const traces = plot.querySelectorAll('.barlayer .trace');
  for (const [t, trace] of plot._fullData.entries()) {
    const i = (trace.customdata || []).findIndex(c => (Array.isArray(c) ? c[0] : c) === code);
    if (i < 0) continue;
    const el = traces[t].querySelectorAll('.point')[i];
    el.scrollIntoView({block: 'center'});
    const r = el.getBoundingClientRect();
    return {x: r.x + r.width / 2, y: r.y + r.height / 2};
  }
  return null;
}
"""


def _query(page) -> dict:
    return parse_qs(urlsplit(page.url).query)


def _click_bar(page, plot_index: int, code: str) -> None:
    box = page.evaluate(BAR_BOX_JS, [plot_index, code])
    assert box, f"no point {code} on plot {plot_index}"
    page.mouse.click(box["x"], box["y"])


# The screen position of one shape of the first map, found by its location code.
SHAPE_BOX_JS = """
(code) => {
  const plot = document.querySelector('.js-plotly-plot');
  const i = plot._fullData[0].locations.indexOf(code);
  const el = plot.querySelectorAll('path.choroplethlocation')[i];
  el.scrollIntoView({block: 'center'});
  const r = el.getBoundingClientRect();
  return {x: r.x + r.width / 2, y: r.y + r.height / 2};
}
"""


def _click_shape(page, code: str) -> None:
    box = page.evaluate(SHAPE_BOX_JS, code)
    page.mouse.click(box["x"], box["y"])


def test_clicking_a_bar_selects_its_region(server, watched):
    """Test that clicking a region's bar chooses that region: the dropdown, the trend and the link follow."""
    page = watched.page
    open_settled(page, f"{server.url}/regions?lang=en&view_region_map=bars", min_plots=2)
    _click_bar(page, 0, "africa")
    page.wait_for_function("() => location.search.includes('region=africa')")
    settle(page, min_plots=2)
    assert _query(page)["region"] == ["africa"]
    expect(page.get_by_role("combobox", name="Focus on a region")).to_have_value("Africa")
    expect(page.get_by_role("heading", name=re.compile("over five years: Africa"))).to_be_visible()
    assert_quiet(watched)


def test_clicking_a_country_on_the_map_selects_its_region(server, watched):
    """Test that clicking Brazil on the world map chooses South America."""
    page = watched.page
    open_settled(page, f"{server.url}/regions?lang=en", min_plots=2)
    _click_shape(page, "BRA")
    page.wait_for_function("() => location.search.includes('region=south_america')")
    settle(page, min_plots=2)
    expect(page.get_by_role("combobox", name="Focus on a region")).to_have_value("South America")
    assert_quiet(watched)


def test_clicking_a_product_bar_selects_the_product(server, watched):
    """Test that clicking a product's bar chooses that product."""
    page = watched.page
    open_settled(page, f"{server.url}/products", min_plots=2)
    _click_bar(page, 0, "buyer_credit")
    page.wait_for_function("() => location.search.includes('product=buyer_credit')")
    settle(page, min_plots=2)
    assert _query(page)["product"] == ["buyer_credit"]


def test_clicking_a_prefecture_shows_its_members(server, watched):
    """Test that clicking Hokkaido on the SME map chooses it and lists its network members."""
    page = watched.page
    open_settled(page, f"{server.url}/sme?lang=en", min_plots=2)
    _click_shape(page, "01")
    page.wait_for_function("() => location.search.includes('pref=01')")
    settle(page, min_plots=2)
    expect(page.get_by_role("combobox", name="Prefecture")).to_have_value("Hokkaido")


def test_clicking_a_lead_marker_shows_the_project(server, watched):
    """Test that clicking a LEAD project's marker shows what the report says about that project, with a link to its country."""
    page = watched.page
    open_settled(page, f"{server.url}/lead?lang=en", min_plots=2)
    box = page.evaluate("""() => {
      const plot = document.querySelector('.js-plotly-plot');
      const t = plot._fullData.findIndex(d => d.type === 'scattergeo'
                                         && (d.customdata || []).includes('2'));
      const i = plot._fullData[t].customdata.indexOf('2');
      const pts = plot.querySelectorAll('g.trace.scattergeo')[t - 1]
                      .querySelectorAll('path.point');
      pts[i].scrollIntoView({block: 'center'});
      const r = pts[i].getBoundingClientRect();
      return {x: r.x + r.width / 2, y: r.y + r.height / 2};
    }""")
    page.mouse.click(box["x"], box["y"])
    page.wait_for_function("() => location.search.includes('project=2')")
    settle(page, min_plots=2)
    expect(page.get_by_role("heading", name=re.compile(r"^#2 "))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("country view"))).to_be_visible()


def test_timeline_plays_in_the_browser_on_one_scale(server, watched):
    """Test that the regions map's slider moves through the years without a rerun, keeping one colour scale."""
    page = watched.page
    open_settled(page, f"{server.url}/regions?lang=en", min_plots=2)
    before = page.evaluate("""() => { const p = document.querySelector('.js-plotly-plot');
      return {z: Array.from(p._fullData[0].z), zmax: p._fullData[0].zmax,
              steps: p._fullLayout.sliders[0].steps.map(s => s.label)}; }""")
    assert before["steps"] == [f"FY{y}" for y in range(2020, 2025)]
    url = page.url
    label = page.locator("text.slider-label").filter(has_text="FY2020").first
    label.scroll_into_view_if_needed()
    box = label.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] - 6)  # the rail, over the label
    page.wait_for_function("""() => document.querySelector('.js-plotly-plot')
      ._fullLayout.sliders[0].active === 0""")
    page.wait_for_timeout(500)
    after = page.evaluate("""() => { const p = document.querySelector('.js-plotly-plot');
      return {z: Array.from(p._fullData[0].z), zmax: p._fullData[0].zmax}; }""")
    assert after["z"] != before["z"], "the map did not change year"
    assert after["zmax"] == before["zmax"], "the colour scale changed with the year"
    assert page.url == url
    assert page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').count() == 1
    assert_quiet(watched)


def test_country_view_opens_from_a_table_link(server, watched):
    """Test that a country code in the index opens that country's view, in the visitor's language."""
    page = watched.page
    open_settled(page, f"{server.url}/country?lang=en", min_plots=0)
    page.get_by_role("link", name="EGY", exact=True).click()
    page.wait_for_url(re.compile(r"iso3=EGY"))
    settle(page)
    expect(page.locator("h1").first).to_have_text(re.compile("Egypt"))
    expect(page.get_by_text("about ¥1.2 billion (recoveries on commercial-risk claims)",
                            exact=False)).to_be_visible()
    screenshot(page, "country_egy_en")


def test_document_language_follows_the_view(server, watched):
    """Test that <html lang> is ja on Japanese pages, en on English ones, and follows a language switch, with no proxy in front."""
    page = watched.page
    open_settled(page, f"{server.url}/regions", min_plots=2)
    assert page.evaluate("document.documentElement.lang") == "ja"
    page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    open_settled(page, f"{server.url}/products?lang=en", min_plots=2)
    assert page.evaluate("document.documentElement.lang") == "en"


@pytest.mark.parametrize("name", YEAR_PAGES)
def test_phone_has_every_control_on_the_page(server, phone, name):
    """Test that at 390 px the fiscal year is on the page itself (the sidebar stays folded) and a map fills the width."""
    page = phone.page
    path, min_plots, _ = PAGES[name]
    open_settled(page, f"{server.url}{path}", min_plots=min_plots)
    year = page.locator('[data-testid="stMain"]').get_by_role("combobox", name="年度")
    expect(year).to_be_visible()
    expect(page.locator('[data-testid="stSidebarContent"]')).not_to_be_in_viewport()
    widths = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
      .filter(p => p._fullLayout && p._fullLayout.geo)
      .map(p => p.querySelector('.geo .bg, .geolayer').getBoundingClientRect().width)""")
    for w in widths:
        assert w >= 0.85 * PHONE["width"] - 40, f"map {w:.0f} px wide at 390 px"


# One test per width and language, so the two workers share them; the phone layout is the same
# in both languages.
AXE_RUNS = {"desktop-ja": ({"width": 1366, "height": 900}, "ja"),
            "desktop-en": ({"width": 1366, "height": 900}, "en"), "phone-ja": (PHONE, "ja")}


@pytest.mark.long
@pytest.mark.parametrize("run", list(AXE_RUNS))
def test_every_app_page_passes_axe_wcag_aa(server, browser, run):
    """Test that axe-core finds no WCAG 2.1 A or AA violation on any page of the app, in both languages, at 1366 and 390 px."""
    require_axe()
    found: dict = {}
    viewport, lang = AXE_RUNS[run]
    ctx = browser.new_context(viewport=viewport)
    try:
        page = ctx.new_page()
        for name, (path, min_plots, _) in PAGES.items():
            query = "" if lang == "ja" else ("&" if "?" in path else "?") + "lang=en"
            open_settled(page, f"{server.url}{path}{query}", min_plots=min_plots)
            for v in axe_violations(page, inject=True):
                found.setdefault(v["id"], []).append(
                    (viewport["width"], name, lang, [n["target"] for n in v["nodes"][:2]]))
    finally:
        ctx.close()
    assert not found, json.dumps(found, ensure_ascii=False)[:3000]
