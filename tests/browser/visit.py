"""Visiting a page as a reader does: open it, wait until Streamlit has settled and every chart has
drawn, then check what a reader would notice (errors shown, charts and maps, outside requests).

Shared by the browser test modules; it holds no tests.
"""

from __future__ import annotations

import re
import time
import warnings
from pathlib import Path

import pytest

from nexidash import site

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOT_HEIGHT = 2600  # Streamlit scrolls inside a container: full_page alone shows 900 px.
SETTLE_TIMEOUT_MS = 60_000
SETTLE_PAUSE_MS = 300
# Text a visitor sees when a page raised (app.py catches it and shows this sentence).
FRIENDLY_ERRORS = ("このページの表示中に問題が発生しました", "Something went wrong while drawing this page")

# page: (path, at least this many Plotly charts, the map's rule for its locations or None)
PAGES = {
    "overview": ("/", 2, None),
    "regions": ("/regions", 2, (">=", 150)),
    "products": ("/products", 2, None),
    "lead": ("/lead", 2, (">=", 150)),
    "partners": ("/partners", 2, (">=", 40)),
    "country": ("/country?iso3=EGY", 0, None),
    "sme": ("/sme", 2, ("==", 47)),
    "compare": ("/compare", 1, None),
    "financials": ("/financials", 4, None),
    "press": ("/press", 0, None),
    "glossary": ("/glossary", 0, None),
    "about": ("/about", 0, None),
}
LANGS = ["ja", "en"]
AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
assert list(PAGES) == [p.path for p in site.PAGES], "the browser tests' pages and nexidash.site differ"
ENGLISH_TITLES = ["Overview", "Regions", "Products", "LEAD projects", "Partners", "Country view",
                  "Mid-sized and small companies", "Compare years", "Financials", "Press kit",
                  "Glossary", "About NEXI"]

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
PLOTS_DRAWN_JS = """
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

STATE_JS = """
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
    _wait_for_shell(page, timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]',
                           state="attached", timeout=timeout)
    while True:
        left = max(1000, int((deadline - time.monotonic()) * 1000))
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                               state="attached", timeout=left)
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
            timeout=left)
        page.wait_for_function(PLOTS_DRAWN_JS, arg=min_plots, timeout=left)
        before = page.evaluate(STATE_JS)
        # Late paints (map shapes, fonts) and a run that starts as one ends (st.rerun) show
        # within a few frames of the run's end; the pause gives them 300 ms.
        page.wait_for_timeout(SETTLE_PAUSE_MS)
        after = page.evaluate(STATE_JS)
        if before == after and after.startswith("notRunning|0|"):
            if page.evaluate(PLOTS_DRAWN_JS, min_plots):
                return
        if time.monotonic() > deadline:
            raise TimeoutError(f"page did not settle: {before} -> {after}")


SHELL_STALL_MS = 25_000  # the app's frame is drawn within 2 s of the HTML on this machine


def _wait_for_shell(page, timeout: int) -> None:
    """The app's frame, drawn by Streamlit's JavaScript as soon as its bundle has run.

    Once, in the CI run of 2026-12-04 under the suite's full load, the frame never came in
    60 s, while the same page before and after drew at once: most likely a script chunk
    that never arrived, not the app. A reader would reload, and so does this, once, with a
    warning that names what the page had loaded; a page that stalls twice fails."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    selector = '[data-testid="stAppViewContainer"]'
    try:
        page.wait_for_selector(selector, state="attached", timeout=min(SHELL_STALL_MS, timeout))
        return
    except PlaywrightTimeout:
        loaded = page.evaluate("() => performance.getEntriesByType('resource')"
                               ".map(e => `${e.name.replace(location.origin, '')} ${e.duration | 0}ms`)")
        warnings.warn(f"{page.url}: no app frame after {SHELL_STALL_MS} ms; reloaded once. "
                      f"Loaded before the stall: {loaded[-8:]}", stacklevel=3)
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(selector, state="attached", timeout=timeout)


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
        page.wait_for_function(PLOTS_DRAWN_JS, arg=0, timeout=SETTLE_TIMEOUT_MS)
        page.wait_for_timeout(500)
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(VIEWPORT)
    return path


# Each geo map: its choropleth traces' locations, and the shapes Plotly drew for them. A shape
# wound the wrong way for d3 covers the whole globe but itself, so the largest drawn shape must
# stay a fraction of the map.
MAPS_JS = """
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

TEXTS_JS = """
(selector) => Array.from(document.querySelectorAll(selector)).map(e => e.textContent.trim())
"""


def plot_count(page) -> int:
    return page.locator(".js-plotly-plot").count()


def assert_quiet(watch) -> None:
    """No request left the machine, and the console showed no error of ours."""
    assert watch.external_requests() == [], f"requests left 127.0.0.1: {watch.external_requests()}"
    errors = watch.real_console_errors()
    assert errors == [], f"console errors: {errors}"
    assert watch.dialogs == [], f"a dialog fired: {watch.dialogs}"


def assert_no_error_shown(page) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"st.exception shown: {exceptions.all_inner_texts()}"
    for text in FRIENDLY_ERRORS:
        shown = page.get_by_text(text)
        assert shown.count() == 0, f"the page's error sentence is shown: {shown.all_inner_texts()}"


def _check_rule(value: int, rule: tuple[str, int]) -> bool:
    op, n = rule
    return value >= n if op == ">=" else value == n


def assert_maps(page, rule) -> None:
    if rule is None:
        assert page.evaluate(MAPS_JS) == [], "a map where none is expected"
        return
    maps = page.evaluate(MAPS_JS)
    assert len(maps) == 1, f"expected one map, found {maps}"
    m = maps[0]
    assert m["longest"] > 0, f"the map's choropleth traces have no locations: {m}"
    # A categorical map (partners) spreads its countries over one trace per category.
    assert _check_rule(m["unique"], rule), f"map locations {m['unique']} not {rule[0]} {rule[1]}"
    assert all(v > 0 for v in m["size"]), f"the map has no size: {m}"
    assert m["drawn"] >= m["unique"] > 0, f"Plotly drew {m['drawn']} of {m['unique']} shapes: {m}"
    assert m["largest"] < 0.25, f"a shape covers {m['largest']:.0%} of the map (wound for d3?)"


def cjk_leftovers(texts: list[str]) -> list[str]:
    out = []
    for text in texts:
        for allowed in ALLOWED_JA:
            text = text.replace(allowed, "")
        if CJK.search(text):
            out.append(text)
    return out


# Every Content-Security-Policy violation of the page, whether or not the console shows it.
CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def require_axe() -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci in tests/browser/axe)")


def axe_context(browser, viewport: dict):
    """A context whose every page has axe-core from its first script on (its CSP bypassed: the
    pages allow their own scripts only). Compiled once per navigation by Chromium, which is
    faster than a tag added after the page has loaded."""
    require_axe()
    ctx = browser.new_context(viewport=viewport, bypass_csp=True)
    ctx.add_init_script(path=str(AXE))
    return ctx


def axe_violations(page, inject: bool = False) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it now is; `inject` adds axe first
    (for a page whose context is not an `axe_context`)."""
    if inject:
        require_axe()
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']}).then(r => r.violations)", WCAG_AA)
