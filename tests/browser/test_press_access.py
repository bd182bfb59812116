"""What a press officer and a phone or keyboard user need, checked in Chromium."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests.browser.visit import PAGES, PHONE, SCREENSHOT_DIR, open_settled, settle

pytestmark = pytest.mark.browser



def _contrast(fg: list[float], bg: list[float]) -> float:
    def lum(rgb):
        out = []
        for c in rgb[:3]:
            c = c / 255
            out.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * out[0] + 0.7152 * out[1] + 0.0722 * out[2]

    # Blend a translucent text colour over its background, as the browser paints it.
    alpha = fg[3] if len(fg) > 3 else 1.0
    blended = [alpha * f + (1 - alpha) * b for f, b in zip(fg[:3], bg[:3])]
    hi, lo = sorted((lum(blended), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


_COLOURS_JS = """(selector) => [...document.querySelectorAll(selector)].slice(0, 20).map(el => {
  const parse = s => s.match(/[\\d.]+/g).map(Number);
  let bgEl = el, bg = 'rgba(0, 0, 0, 0)';
  while (bgEl && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) {
    bg = getComputedStyle(bgEl).backgroundColor; bgEl = bgEl.parentElement;
  }
  const fg = parse(getComputedStyle(el).color);
  let b = bg === 'rgba(0, 0, 0, 0)' ? [255, 255, 255] : parse(bg);
  // A translucent background (a selected pill's tint) is painted over the white page.
  if (b.length === 4) b = b.slice(0, 3).map(c => b[3] * c + (1 - b[3]) * 255);
  return {text: el.innerText.slice(0, 40), fg: fg.length === 3 ? [...fg, 1] : fg, bg: b};
})"""


def test_chart_png_download_works_offline(server, watched):
    """Test that a chart's camera button downloads a real PNG with no network."""
    page = watched.page
    open_settled(page, f"{server.url}/products?lang=en", min_plots=2)
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    with page.expect_download(timeout=30_000) as info:
        chart.locator('.modebar-btn[data-title*="png" i]').click()
    data = open(info.value.path(), "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert len(data) > 10_000, f"suspiciously small PNG ({len(data)} bytes)"
    assert watched.external_requests() == []


def test_chart_table_view_opens_and_downloads(server, watched):
    """Test that a chart's Table tab shows its numbers, goes into the link, and its CSV holds the printed figures, while the other charts stay as drawn."""
    page = watched.page
    open_settled(page, f"{server.url}/regions?lang=en&measure=claims_paid&risk=political",
                 min_plots=3)
    chart = page.locator(".st-key-view_region_map_en")
    assert chart.locator(".nexi-table").count() == 0
    page.evaluate("document.querySelectorAll('.js-plotly-plot').forEach(p => p.__seen = 1)")
    chart.get_by_role("tab", name="Table").click()
    table = chart.locator(".nexi-table")
    table.wait_for(timeout=30_000)
    settle(page, min_plots=2)
    assert "84,226" in table.inner_text()  # Europe, political claims paid, FY2024
    assert "view_region_map=table" in page.url
    with page.expect_download(timeout=30_000) as info:
        page.locator(".st-key-dl_region_map button").click()
    text = open(info.value.path(), "rb").read().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Region (code),Region,Amount")
    assert any(line.startswith("europe,") and ",84226," in line for line in text.splitlines())
    # Only the open view changed: the map is gone, the trend and the split are the elements
    # they were, not redrawn.
    assert page.evaluate("[...document.querySelectorAll('.js-plotly-plot')]"
                         ".map(p => p.__seen === 1)") == [True] * 2
    assert watched.external_requests() == []


def test_press_kit_downloads_zip_and_workbook(server, watched):
    """Test that the press kit's buttons download every table as a ZIP and as a workbook."""
    from nexidash.schema import TABLES

    page = watched.page
    open_settled(page, f"{server.url}/press?lang=en")
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="All tables (CSV, ZIP)").click()
    zf = zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read()))
    assert sorted(n.split("/")[-1] for n in zf.namelist()) == sorted(f"{t.name}.csv"
                                                                      for t in TABLES)
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="All tables (Excel)").click()
    wb = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()), read_only=True)
    assert len(wb.sheetnames) == len(TABLES)
    assert watched.external_requests() == []


@pytest.mark.parametrize("name", list(PAGES))
def test_phone_width_reads_without_horizontal_scroll(server, phone, name):
    """Test that at a 390 px phone width a page has no horizontal scrolling, and save it."""
    page = phone.page
    path, min_plots, _ = PAGES[name]
    open_settled(page, f"{server.url}{path}", min_plots=min_plots)
    widths = page.evaluate("""() => {
      const main = document.querySelector('[data-testid="stMain"]');
      return {doc: document.documentElement.scrollWidth, main: main.scrollWidth,
              view: window.innerWidth};
    }""")
    assert widths["doc"] <= widths["view"] + 1, widths
    assert widths["main"] <= widths["view"] + 1, widths
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": PHONE["width"], "height": 3200})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}_ja_390.png"))


def test_print_view_drops_menu_and_controls(server, watched):
    """Test that printing hides the sidebar and the download buttons but keeps the charts."""
    page = watched.page
    open_settled(page, f"{server.url}/regions", min_plots=2)
    page.emulate_media(media="print")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.get_by_role("tablist").first.is_visible()
    assert page.locator(".js-plotly-plot").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 50_000
    page.emulate_media(media="screen")


def test_text_contrast_at_least_4_5(server, watched):
    """Test that body text and captions reach a 4.5:1 contrast ratio."""
    page = watched.page
    open_settled(page, f"{server.url}/regions", min_plots=2)
    for selector in ('[role="tab"]',
                     '[data-testid="stMain"] [data-testid="stCaptionContainer"]',
                     '[data-testid="stMain"] [data-testid="stMarkdownContainer"] p',
                     '[data-testid="stSidebar"] [data-testid="stCaptionContainer"]',
                     '[data-testid="stWidgetLabel"]'):
        samples = page.evaluate(_COLOURS_JS, selector)
        assert samples, selector
        for s in samples:
            ratio = _contrast(s["fg"], s["bg"])
            assert ratio >= 4.5, f"{selector} {s['text']!r}: contrast {ratio:.2f}"


def test_controls_reachable_by_keyboard(server, watched):
    """Test that Tab reaches the page's controls and the keyboard alone changes the measure."""
    page = watched.page
    open_settled(page, f"{server.url}/regions", min_plots=2)
    focused = ""
    for _ in range(150):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => (document.activeElement.innerText || '').trim()")
        if focused == "保険引受実績":
            break
    assert focused == "保険引受実績", "Tab never reached the measure control"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    settle(page, min_plots=2)
    assert "保険責任残高" in page.locator("h4").first.inner_text()
    # The frame's controls are in the tab order too.
    tabbable = page.evaluate("""() => {
      const sb = document.querySelector('[data-testid="stSidebar"]');
      return [...sb.querySelectorAll('button, input')].filter(e => e.tabIndex >= 0 && !e.disabled)
        .map(e => (e.innerText || e.getAttribute('aria-label') || e.tagName).trim());
    }""")
    assert any("English" in t or "日本語" in t for t in tabbable), tabbable
    # The fiscal year is on the page itself, in the tab order too.
    year = page.locator('[data-testid="stMain"]').get_by_role("combobox", name="年度")
    assert year.evaluate("e => e.tabIndex >= 0 && !e.disabled")
