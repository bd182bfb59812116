"""Every page in a real browser: drawn, quiet, local-only, in both languages, and robust to links.

Run: .venv/bin/python -m pytest tests/browser -q     (needs /usr/bin/chromium; `make browser`)
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.visit import (
    CJK,
    ENGLISH_TITLES,
    LANGS,
    PAGES,
    TEXTS_JS,
    assert_maps,
    assert_no_error_shown,
    assert_quiet,
    cjk_leftovers,
    open_settled,
    plot_count,
    screenshot,
    settle,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("via", ["server", pytest.param("proxy", marks=pytest.mark.edition)])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders(request, watched, name, lang, via):
    """Test that the page draws its charts and maps with no error, no outside request, in both languages, served alone and through the production proxy."""
    server = request.getfixturevalue(via)
    path, min_plots, map_rule = PAGES[name]
    page = watched.page
    query = "" if lang == "ja" else ("&" if "?" in path else "?") + "lang=en"
    open_settled(page, f"{server.url}{path}{query}", min_plots=min_plots)
    assert watched.csp_violations() == [], "Content-Security-Policy violations"
    if via == "proxy":  # the shell's preview of the page gives way to the drawn page
        expect(page.locator("#nexi-preview")).to_be_hidden()
        assert page.evaluate("document.documentElement.lang") == lang

    assert_no_error_shown(page)
    assert plot_count(page) >= min_plots, f"{plot_count(page)} charts drawn, expected >= {min_plots}"
    assert_maps(page, map_rule)

    if lang == "en":
        texts = (page.evaluate(TEXTS_JS, '[data-testid="stSidebarNav"]')
                 + page.evaluate(TEXTS_JS, "h1, h2, h3, h4")
                 + page.evaluate(TEXTS_JS, '[data-testid="stWidgetLabel"]'))
        assert len(texts) > 3, f"too little interface text found: {texts}"
        left = cjk_leftovers(texts)
        assert left == [], f"Japanese in the English interface: {left}"
    else:
        assert CJK.search(page.locator("h1").first.inner_text()), "the Japanese page has no Japanese title"

    screenshot(page, f"{name}_{lang}" + ("" if via == "server" else f"_{via}"))
    assert_quiet(watched)


# --------------------------------------------------------------------------------------------
# Links carry the view: measure, risk, year, language
# --------------------------------------------------------------------------------------------

def _headings(page) -> list[str]:
    return page.evaluate(TEXTS_JS, "h1, h2, h3, h4")


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
    page.route(lambda url: urlsplit(url).hostname not in LOCAL_HOSTS,
               lambda route: (refused.append(route.request.url), route.abort()))
    page.on("response", lambda r: answers.__setitem__(urlsplit(r.url).path, r.status))
    path, min_plots, rule = PAGES[name]
    open_settled(page, f"{server.url}{path}", min_plots=min_plots)

    assert_maps(page, rule)
    # Plotly asks for its base-map topology on every geo map: here, from this server.
    assert answers.get("/app/static/geo/world_110m.json") == 200, answers
    geojson = "japan" if name == "sme" else "world"
    assert answers.get(f"/app/static/geo/{geojson}.geojson") == 200, answers
    assert refused == [], f"requests that would have left the machine: {refused}"
    assert_quiet(watched)


def test_deep_link_sets_the_view(server, watched):
    """Test that a link's measure, risk, year and language choose what the page shows."""
    page = watched.page
    open_settled(page, f"{server.url}/regions?lang=en&measure=claims_paid&risk=political&year=2023",
                 min_plots=3)
    assert_no_error_shown(page)
    heads = _headings(page)
    assert any("Claims paid" in h and "FY2023" in h for h in heads), heads
    assert _selected_in_group(page, "Measure") == ["Claims paid"]
    assert _selected_in_group(page, "Type of loss") == ["Political"]
    expect(page.locator('[data-testid="stMain"]').get_by_role("combobox", name="Fiscal year")) \
        .to_have_value("FY2023")
    assert page.locator('[data-testid="stAlert"]').filter(has_text="link").count() == 0
    q = _query(page)
    assert q.get("measure") == ["claims_paid"] and q.get("risk") == ["political"], page.url
    assert q.get("year") == ["2023"] and q.get("lang") == ["en"], page.url

    open_settled(page, f"{server.url}/products?measure=premium&year=2021", min_plots=2)
    assert_no_error_shown(page)
    heads = _headings(page)
    assert any("保険料収入" in h and "2021年度" in h for h in heads), heads
    assert _selected_in_group(page, "指標") == ["保険料収入"]
    expect(page.locator('[data-testid="stMain"]').get_by_role("combobox", name="年度")) \
        .to_have_value("2021年度")
    assert_quiet(watched)


def test_language_and_year_survive_navigation(server, watched):
    """Test that the language and fiscal year stay when the sidebar takes the visitor to another page."""
    page = watched.page
    open_settled(page, f"{server.url}/regions?lang=en&year=2022", min_plots=2)
    assert any("FY2022" in h for h in _headings(page)), _headings(page)

    regions_title = page.locator("h1").first.inner_text()
    page.locator('[data-testid="stSidebarNav"] a', has_text="Products").click()
    page.wait_for_url(re.compile(r"/products(\?|$)"))
    expect(page.locator("h1").first).not_to_have_text(regions_title)
    settle(page, min_plots=2)

    assert_no_error_shown(page)
    title = page.locator("h1").first.inner_text()
    assert title and not CJK.search(title), f"Products title is not English: {title!r}"
    assert any("FY2022" in h for h in _headings(page)), _headings(page)
    q = _query(page)
    assert q.get("lang") == ["en"], f"lang lost on navigation: {page.url}"
    assert q.get("year") == ["2022"], f"year lost on navigation: {page.url}"
    assert_quiet(watched)


# --------------------------------------------------------------------------------------------
# Links anyone can write: wrong values give a notice and the default view, never an echo
# --------------------------------------------------------------------------------------------

LONG = "A" * 10000
TAMPERED = [
    ("year", "/?year=1999", 2),
    ("script", "/regions?measure=%3Cscript%3Ealert(1)%3C/script%3E", 2),
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
    assert_no_error_shown(page)
    assert plot_count(page) >= min_plots, f"{plot_count(page)} charts drawn, expected >= {min_plots}"

    text = page.locator('[data-testid="stApp"]').inner_text()
    content = page.content()
    for raw in ("<script>", "alert(1)", "drop table", "A" * 64):
        assert raw not in text, f"the raw value {raw[:20]!r} is shown on the page"
    assert LONG not in content, "the long value is echoed into the page"
    assert "A" * 64 not in page.url and "script" not in page.url.lower(), \
        f"the wrong value stays in the address bar: {page.url[:200]}"
    assert "<script>alert(1)" not in content, "the script value is echoed into the page"
    assert_quiet(watched)


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
    assert_no_error_shown(page)
    assert_maps(page, PAGES["partners"][2])
    assert_quiet(watched)


def test_english_risk_label_has_no_japanese_punctuation(server, watched):
    """Test that an English heading naming a type of loss uses no Japanese punctuation."""
    page = watched.page
    open_settled(page, f"{server.url}/regions?lang=en&measure=claims_paid&risk=political",
                 min_plots=3)
    left = cjk_leftovers(_headings(page) + page.evaluate(TEXTS_JS, '[data-testid="stWidgetLabel"]'))
    assert left == [], f"Japanese characters in the English interface: {left}"
