"""Every page in a real browser: drawn, quiet, local-only, in both languages, and robust to links.

Run: .venv/bin/python -m pytest tests/browser -q     (needs /usr/bin/chromium; `make browser`)
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 900}
SCREENSHOT_HEIGHT = 2600  # Streamlit scrolls inside a container: full_page alone shows 900 px.
SETTLE_TIMEOUT_MS = 60_000
# Text a visitor sees when a page raised (app.py catches it and shows this sentence).
FRIENDLY_ERRORS = ("このページの表示中に問題が発生しました", "Something went wrong while drawing this page")

# page: (path, at least this many Plotly charts, the map's rule for its locations or None)
PAGES = {
    "overview": ("/", 2, None),
    "regions": ("/regions", 3, (">=", 150)),
    "products": ("/products", 3, None),
    "lead": ("/lead", 2, (">=", 150)),
    "partners": ("/partners", 2, (">=", 40)),
    "sme": ("/sme", 2, ("==", 47)),
    "compare": ("/compare", 1, None),
    "press": ("/press", 0, None),
}
LANGS = ["ja", "en"]
ENGLISH_TITLES = ["Overview", "Regions", "Products", "LEAD projects", "Partners", "SME network",
                  "Compare years", "Press kit"]

# Hiragana, Katakana, CJK ideographs (and extension A, compatibility), CJK punctuation, and
# full-width forms such as （ ） ： that a Japanese string leaves behind.
CJK = re.compile(r"[\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                 r"\uf900-\ufaff\uff00-\uffef]")
# The language switch is bilingual on purpose.
ALLOWED_JA = ["言語 / Language", "日本語"]

# --------------------------------------------------------------------------------------------
# Settling a page the way Streamlit's own e2e tests do
# --------------------------------------------------------------------------------------------

# True when every Plotly chart has drawn. Streamlit first shows a skeleton, then an empty
# stPlotlyChart while the Plotly bundle loads, then the plot: so every stPlotlyChart must hold a
# .js-plotly-plot that Plotly has been through (_fullData), with a .main-svg; a map also needs
# its shapes, which arrive after Plotly has fetched the GeoJSON.
_PLOTS_DRAWN_JS = """
(minPlots) => {
  const drawn = (p) => {
    if (!p || !p._fullData || !p.querySelector('.main-svg')) return false;
    const isMap = p._fullData.some(t => t.type === 'choropleth');
    return !isMap || p.querySelectorAll('path.choroplethlocation').length > 0;
  };
  const boxes = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'));
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  return boxes.length >= (minPlots || 0)
    && boxes.every(b => drawn(b.querySelector('.js-plotly-plot')))
    && plots.every(drawn);
}
"""

_STATE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return [app ? app.getAttribute('data-test-script-state') : null,
          document.querySelectorAll('[data-testid="stSkeleton"]').length,
          document.querySelectorAll('.js-plotly-plot').length,
          document.querySelectorAll('[data-testid="stElementContainer"]').length].join('|');
}
"""


def settle(page, min_plots: int = 0, timeout: int = SETTLE_TIMEOUT_MS) -> None:
    """Script run finished, no skeletons, every chart drawn (at least `min_plots`), a pause.

    As in Streamlit's e2e tests: connected, then script state notRunning, then no skeletons.
    A run can end and another start at once (a page's st.rerun(), a widget's debounce), so
    after the pause the state is read again and the wait repeats until it holds still.
    """
    deadline = time.monotonic() + timeout / 1000
    page.wait_for_selector('[data-testid="stAppViewContainer"]', state="attached", timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]',
                           state="attached", timeout=timeout)
    while True:
        left = max(1000, int((deadline - time.monotonic()) * 1000))
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                               state="attached", timeout=left)
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
            timeout=left)
        page.wait_for_function(_PLOTS_DRAWN_JS, arg=min_plots, timeout=left)
        before = page.evaluate(_STATE_JS)
        page.wait_for_timeout(500)  # late paints (map shapes, fonts)
        after = page.evaluate(_STATE_JS)
        if before == after and after.startswith("notRunning|0|"):
            if page.evaluate(_PLOTS_DRAWN_JS, min_plots):
                return
        if time.monotonic() > deadline:
            raise TimeoutError(f"page did not settle: {before} -> {after}")


def open_settled(page, url: str, min_plots: int = 0) -> None:
    page.goto(url, wait_until="domcontentloaded")
    settle(page, min_plots=min_plots)


def screenshot(page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside a container, so the viewport is made tall."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.set_viewport_size({"width": VIEWPORT["width"], "height": SCREENSHOT_HEIGHT})
    try:
        page.wait_for_timeout(300)
        page.wait_for_function(_PLOTS_DRAWN_JS, arg=0, timeout=SETTLE_TIMEOUT_MS)
        page.wait_for_timeout(500)
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(VIEWPORT)
    return path


# Each geo map: its choropleth traces' locations, and the shapes Plotly drew for them. A shape
# wound the wrong way for d3 covers the whole globe but itself, so the largest drawn shape must
# stay a fraction of the map.
_MAPS_JS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .filter(p => (p._fullData || []).some(t => t.type === 'choropleth'))
  .map(p => {
    const traces = p._fullData.filter(t => t.type === 'choropleth');
    const unique = new Set();
    let longest = 0;
    for (const t of traces) {
      const locs = Array.from(t.locations || []);
      longest = Math.max(longest, locs.length);
      locs.forEach(l => unique.add(l));
    }
    const frame = p.querySelector('.geolayer') || p;
    const area = frame.getBoundingClientRect();
    const shapes = Array.from(p.querySelectorAll('path.choroplethlocation'));
    let drawn = 0, largest = 0;
    for (const s of shapes) {
      const r = s.getBoundingClientRect();
      if (r.width > 0 && r.height > 0 && (s.getAttribute('d') || '').length > 2) drawn++;
      largest = Math.max(largest, (r.width * r.height) / (area.width * area.height));
    }
    return {traces: traces.length, longest, unique: unique.size, shapes: shapes.length, drawn,
            largest, size: [area.width, area.height]};
  })
"""

_TEXTS_JS = """
(selector) => Array.from(document.querySelectorAll(selector)).map(e => e.textContent.trim())
"""


def _plot_count(page) -> int:
    return page.locator(".js-plotly-plot").count()


def _assert_quiet(watch) -> None:
    """No request left the machine, and the console showed no error of ours."""
    assert watch.external_requests() == [], f"requests left 127.0.0.1: {watch.external_requests()}"
    errors = watch.real_console_errors()
    assert errors == [], f"console errors: {errors}"
    assert watch.dialogs == [], f"a dialog fired: {watch.dialogs}"


def _assert_no_error_shown(page) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"st.exception shown: {exceptions.all_inner_texts()}"
    for text in FRIENDLY_ERRORS:
        shown = page.get_by_text(text)
        assert shown.count() == 0, f"the page's error sentence is shown: {shown.all_inner_texts()}"


def _check_rule(value: int, rule: tuple[str, int]) -> bool:
    op, n = rule
    return value >= n if op == ">=" else value == n


def _assert_maps(page, rule) -> None:
    if rule is None:
        assert page.evaluate(_MAPS_JS) == [], "a map where none is expected"
        return
    maps = page.evaluate(_MAPS_JS)
    assert len(maps) == 1, f"expected one map, found {maps}"
    m = maps[0]
    assert m["longest"] > 0, f"the map's choropleth traces have no locations: {m}"
    # A categorical map (partners) spreads its countries over one trace per category.
    assert _check_rule(m["unique"], rule), f"map locations {m['unique']} not {rule[0]} {rule[1]}"
    assert all(v > 0 for v in m["size"]), f"the map has no size: {m}"
    assert m["drawn"] >= m["unique"] > 0, f"Plotly drew {m['drawn']} of {m['unique']} shapes: {m}"
    assert m["largest"] < 0.25, f"a shape covers {m['largest']:.0%} of the map (wound for d3?)"


def _cjk_leftovers(texts: list[str]) -> list[str]:
    out = []
    for text in texts:
        for allowed in ALLOWED_JA:
            text = text.replace(allowed, "")
        if CJK.search(text):
            out.append(text)
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders(server, watched, name, lang):
    """Test that the page draws its charts and maps with no error, no outside request, in both languages."""
    path, min_plots, map_rule = PAGES[name]
    page = watched.page
    query = "" if lang == "ja" else "?lang=en"
    open_settled(page, f"{server.url}{path}{query}", min_plots=min_plots)

    _assert_no_error_shown(page)
    assert _plot_count(page) >= min_plots, f"{_plot_count(page)} charts drawn, expected >= {min_plots}"
    _assert_maps(page, map_rule)

    if lang == "en":
        texts = (page.evaluate(_TEXTS_JS, '[data-testid="stSidebarNav"]')
                 + page.evaluate(_TEXTS_JS, "h1, h2, h3, h4")
                 + page.evaluate(_TEXTS_JS, '[data-testid="stWidgetLabel"]'))
        assert len(texts) > 3, f"too little interface text found: {texts}"
        left = _cjk_leftovers(texts)
        assert left == [], f"Japanese in the English interface: {left}"
    else:
        assert CJK.search(page.locator("h1").first.inner_text()), "the Japanese page has no Japanese title"

    screenshot(page, f"{name}_{lang}")
    _assert_quiet(watched)


# --------------------------------------------------------------------------------------------
# Links carry the view: measure, risk, year, language
# --------------------------------------------------------------------------------------------

def _headings(page) -> list[str]:
    return page.evaluate(_TEXTS_JS, "h1, h2, h3, h4")


def _selected_in_group(page, label: str) -> list[str]:
    """The selected option(s) of the pills / segmented control labelled `label`."""
    group = page.locator('[data-testid="stButtonGroup"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=label))
    expect(group).to_have_count(1)
    active = group.locator('button[data-testid$="Active"], button[aria-checked="true"], '
                           'button[aria-pressed="true"]')
    return [t.strip() for t in active.all_inner_texts()]


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


@pytest.mark.parametrize("name", [n for n, (_, _, rule) in PAGES.items() if rule])
def test_maps_draw_with_the_network_cut_off(server, watched, name):
    """Test that each geo map draws its shapes when every request off this machine is refused."""
    from tests.browser.conftest import LOCAL_HOSTS

    page = watched.page
    refused, answers = [], {}
    page.context.route(lambda url: urlsplit(url).hostname not in LOCAL_HOSTS,
                       lambda route: (refused.append(route.request.url), route.abort()))
    page.on("response", lambda r: answers.__setitem__(urlsplit(r.url).path, r.status))
    path, min_plots, rule = PAGES[name]
    open_settled(page, f"{server.url}{path}", min_plots=min_plots)

    _assert_maps(page, rule)
    # Plotly asks for its base-map topology on every geo map: here, from this server.
    assert answers.get("/app/static/geo/world_110m.json") == 200, answers
    geojson = "japan" if name == "sme" else "world"
    assert answers.get(f"/app/static/geo/{geojson}.geojson") == 200, answers
    assert refused == [], f"requests that would have left the machine: {refused}"
    _assert_quiet(watched)


def test_deep_link_sets_the_view(server, watched):
    """Test that a link's measure, risk, year and language choose what the page shows."""
    page = watched.page
    open_settled(page, f"{server.url}/regions?lang=en&measure=claims_paid&risk=political&year=2023",
                 min_plots=3)
    _assert_no_error_shown(page)
    heads = _headings(page)
    assert any("Claims paid" in h and "FY2023" in h for h in heads), heads
    assert _selected_in_group(page, "Measure") == ["Claims paid"]
    assert _selected_in_group(page, "Type of loss") == ["Political"]
    expect(page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Fiscal year")) \
        .to_have_value("FY2023")
    assert page.locator('[data-testid="stAlert"]').filter(has_text="link").count() == 0
    q = _query(page)
    assert q.get("measure") == ["claims_paid"] and q.get("risk") == ["political"], page.url
    assert q.get("year") == ["2023"] and q.get("lang") == ["en"], page.url

    open_settled(page, f"{server.url}/products?measure=premium&year=2021", min_plots=3)
    _assert_no_error_shown(page)
    heads = _headings(page)
    assert any("保険料収入" in h and "2021年度" in h for h in heads), heads
    assert _selected_in_group(page, "指標") == ["保険料収入"]
    expect(page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="年度")) \
        .to_have_value("2021年度")
    _assert_quiet(watched)


def test_language_and_year_survive_navigation(server, watched):
    """Test that the language and fiscal year stay when the sidebar takes the visitor to another page."""
    page = watched.page
    open_settled(page, f"{server.url}/regions?lang=en&year=2022", min_plots=3)
    assert any("FY2022" in h for h in _headings(page)), _headings(page)

    regions_title = page.locator("h1").first.inner_text()
    page.locator('[data-testid="stSidebarNav"] a', has_text="Products").click()
    page.wait_for_url(re.compile(r"/products(\?|$)"))
    expect(page.locator("h1").first).not_to_have_text(regions_title)
    settle(page, min_plots=3)

    _assert_no_error_shown(page)
    title = page.locator("h1").first.inner_text()
    assert title and not CJK.search(title), f"Products title is not English: {title!r}"
    assert any("FY2022" in h for h in _headings(page)), _headings(page)
    q = _query(page)
    assert q.get("lang") == ["en"], f"lang lost on navigation: {page.url}"
    assert q.get("year") == ["2022"], f"year lost on navigation: {page.url}"
    _assert_quiet(watched)


# --------------------------------------------------------------------------------------------
# Links anyone can write: wrong values give a notice and the default view, never an echo
# --------------------------------------------------------------------------------------------

LONG = "A" * 10000
TAMPERED = [
    ("year", "/?year=1999", 2),
    ("script", "/regions?measure=%3Cscript%3Ealert(1)%3C/script%3E", 3),
    ("long", "/partners?country=" + LONG, 2),
    ("pref", "/sme?pref=99", 2),
    ("sql", "/lead?element=drop%20table", 2),
]


@pytest.mark.parametrize("url, min_plots", [(u, n) for _, u, n in TAMPERED],
                         ids=[i for i, _, _ in TAMPERED])
def test_tampered_link_shows_notice(server, watched, url, min_plots):
    """Test that a link with a wrong value shows a notice and the default view, and never echoes it."""
    page = watched.page
    open_settled(page, server.url + url, min_plots=min_plots)

    notices = page.locator('[data-testid="stAlert"]').filter(has_text=re.compile("リンク|link"))
    expect(notices.first).to_be_visible()
    _assert_no_error_shown(page)
    assert _plot_count(page) >= min_plots, f"{_plot_count(page)} charts drawn, expected >= {min_plots}"

    text = page.locator('[data-testid="stApp"]').inner_text()
    content = page.content()
    for raw in ("<script>", "alert(1)", "drop table", "A" * 64):
        assert raw not in text, f"the raw value {raw[:20]!r} is shown on the page"
    assert LONG not in content, "the long value is echoed into the page"
    assert "A" * 64 not in page.url and "script" not in page.url.lower(), \
        f"the wrong value stays in the address bar: {page.url[:200]}"
    assert "<script>alert(1)" not in content, "the script value is echoed into the page"
    _assert_quiet(watched)


# --------------------------------------------------------------------------------------------
# A fresh server whose first visitor arrives on a deep link
# --------------------------------------------------------------------------------------------

def test_fresh_server_deep_link_uses_router(fresh_server, watched):
    """Test that a new server's first request, a deep link, still renders through the router."""
    page = watched.page
    open_settled(page, f"{fresh_server.url}/partners?lang=en", min_plots=2)

    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav).to_be_visible()
    for title in ENGLISH_TITLES:
        expect(nav.locator('[data-testid="stSidebarNavLink"]', has_text=title).first).to_be_visible()
    labels = [t.strip() for t in nav.locator('[data-testid="stSidebarNavLink"] p').all_inner_texts()]
    assert set(ENGLISH_TITLES) <= set(labels), labels
    assert "app" not in labels and "partners" not in labels, f"legacy pages/ navigation: {labels}"
    # The frame ran too: the language switch and the English page title.
    expect(page.locator('[data-testid="stSidebar"] [data-testid="stWidgetLabel"]',
                        has_text="言語 / Language")).to_be_visible()
    title = page.locator("h1").first.inner_text()
    assert title and not CJK.search(title), f"page title not English: {title!r}"
    _assert_no_error_shown(page)
    _assert_maps(page, PAGES["partners"][2])
    _assert_quiet(watched)


def test_english_risk_label_has_no_japanese_punctuation(server, watched):
    """Test that an English heading naming a type of loss uses no Japanese punctuation."""
    page = watched.page
    open_settled(page, f"{server.url}/regions?lang=en&measure=claims_paid&risk=political",
                 min_plots=3)
    left = _cjk_leftovers(_headings(page) + page.evaluate(_TEXTS_JS, '[data-testid="stWidgetLabel"]'))
    assert left == [], f"Japanese characters in the English interface: {left}"
