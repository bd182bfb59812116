"""What the site is made of: its pages, in the order the sidebar lists them.

app.py builds its navigation from this list, the production proxy its per-page HTML, the
benchmarks and the tests their page lists. Adding a page touches this list and one file in
pages/. Each page's interface text lives in the i18n catalogues under page.<path> (the
sidebar), <path>.title (the heading) and <path>.intro (the paragraph under it).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache

from . import paths


@dataclass(frozen=True)
class Page:
    path: str  # the URL path under the app; the default page is the app's root
    icon: str
    uses_year: bool  # the sidebar's fiscal-year control applies to this page

    @property
    def script(self) -> str:
        return f"pages/{self.path}.py"

    def load(self):
        """The page's module (its `build(view)`), imported from pages/ without running it."""
        return _load(self.path)

    @property
    def nav_key(self) -> str:
        return f"page.{self.path}"

    @property
    def title_key(self) -> str:
        return f"{self.path}.title"

    @property
    def intro_key(self) -> str:
        return f"{self.path}.intro"


def text(lang: str, key: str, year: int) -> str:
    """A page's text as the page shows it: one naming the report's year takes it as {year} or
    {fy}."""
    from . import i18n

    return i18n.translate(lang, key, year=year, fy=i18n.translate(lang, "ui.fy", year=year))


def tab_title(lang: str, page: Page, year: int) -> str:
    """The browser tab's title, in the app and in the proxy's shell alike."""
    return f"{text(lang, page.title_key, year)} | {text(lang, 'site.name', year)}"


PAGES = (
    Page("overview", ":material/dashboard:", uses_year=True),
    Page("regions", ":material/public:", uses_year=True),
    Page("products", ":material/category:", uses_year=True),
    Page("lead", ":material/rocket_launch:", uses_year=False),
    Page("partners", ":material/handshake:", uses_year=False),
    Page("country", ":material/flag:", uses_year=False),
    Page("sme", ":material/storefront:", uses_year=False),
    Page("compare", ":material/compare_arrows:", uses_year=False),
    Page("financials", ":material/account_balance:", uses_year=False),
    Page("press", ":material/campaign:", uses_year=True),
    Page("glossary", ":material/menu_book:", uses_year=False),
    Page("about", ":material/info:", uses_year=False),
)
DEFAULT_PAGE = PAGES[0]


@cache
def _load(path: str):
    spec = importlib.util.spec_from_file_location(f"nexi_page_{path}",
                                                  paths.ROOT / "pages" / f"{path}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
