"""Every URL the project makes: the dashboard's, the static edition's, its files' and the public
origin's absolute ones. A route changes here and nowhere else.

Under `make serve` the static edition is at / and the dashboard at /app/ (`make run` serves the
dashboard alone at /, which is why links between its pages are relative):

    /{lang}/{page}/[{year}/][{iso3}/]   a static page (its default year has no year part)
    /{lang}/, /{lang}/search/           a language's overview (a copy) and its search page
    /app/{page}?lang=&year=&...         the same view in the dashboard, its controls in the query
    /c/{file}                           a chart's pictures, named by content
    /d/{file}                           the numbers behind a chart or table; the press files
    /d/{name}.csv, .metadata.json       a chart's numbers and what they are, named by content
    /data/{file}                        the data package: datapackage.json, each table's CSV
                                        and Parquet, corrections.csv
    /{lang}/data/, /{lang}/changes/     the data dictionary; the versions and corrections
    /app/static/geo/{name}.geojson      the maps' boundaries
    /embed/{lang}/{page}/[{year}/][{iso3}/]{chart}/      a chart alone, for other sites to frame
    /oembed/{lang}/{page}/[{year}/][{iso3}/]{chart}.json  its oEmbed answer
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from . import i18n, settings

APP = "/app"  # the dashboard's path under `make serve`; the static edition takes /
CHARTS = "/c/"
DATA = "/d/"
EMBED = "/embed/"  # the one path other sites may frame (serve_nginx: frame-ancestors)
OEMBED = "/oembed/"
PACKAGE = "/data/"
COUNTRY_PAGE = "country"  # the one page with a static page per country


def origin() -> str:
    """The public origin absolute URLs (canonical, cards, sitemap) name: a setting."""
    return settings.get("NEXI_SITE_URL").rstrip("/")


def absolute(path: str) -> str:
    return origin() + path


# -- the dashboard ---------------------------------------------------------------------------
def _query(lang: str, params: Mapping) -> str:
    query = {**({"lang": lang} if lang != i18n.DEFAULT_LANG else {}), **params}
    return f"?{urlencode(query)}" if query else ""


def app_link(lang: str, page: str, params: Mapping) -> str:
    """A link between the dashboard's pages, relative so it works at / (`make run`) and under
    /app/ (`make serve`); it carries the language, as a copied link does."""
    return page + _query(lang, params)


def app_url(lang: str, page: str, params: Mapping, default_page: bool = False) -> str:
    """A view in the dashboard from outside it (the static edition): an absolute path under
    /app/, the default page at the dashboard's root."""
    return f"{APP}/{'' if default_page else page}" + _query(lang, params)


def app_static(base_url_path: str = "") -> str:
    """Where the browser finds the dashboard's static/ folder, under Streamlit's base path."""
    base = base_url_path.strip("/")
    return (f"/{base}" if base else "") + f"{APP}/static/"


def geo(static_prefix: str, name: str) -> str:
    return f"{static_prefix}geo/{name}.geojson"


# -- the static edition ----------------------------------------------------------------------
def page(lang: str, page_path: str, year: int | None = None, iso3: str | None = None) -> str:
    return (f"/{lang}/{page_path}/" + (f"{year}/" if year else "")
            + (f"{iso3}/" if iso3 else ""))


def home(lang: str) -> str:
    """A language's root: its overview (a copy, whose canonical names /{lang}/overview/)."""
    return f"/{lang}/"


def search(lang: str) -> str:
    """The search page of a language (Pagefind's index of the whole edition)."""
    return f"/{lang}/search/"


def static_link(countries: frozenset, lang: str, page_path: str, params: Mapping) -> str:
    """A link between static pages: a country the report names has a page of its own; any
    other view opens its page's default (the dashboard has every view)."""
    if page_path == COUNTRY_PAGE and params.get("iso3") in countries:
        return page(lang, page_path, iso3=params["iso3"])
    return page(lang, page_path)


def static_view(countries: frozenset, lang: str, page_path: str, year: int | None,
                report_year: int | None, iso3: str | None = None) -> str:
    """The static page of a dashboard view: its year's page (the report year's is the default)
    or its country's page where the report names the country."""
    if page_path == COUNTRY_PAGE:
        return static_link(countries, lang, page_path, {"iso3": iso3})
    return page(lang, page_path, year if year and year != report_year else None)


def chart_file(name: str) -> str:
    return CHARTS + name


def download(name: str) -> str:
    return DATA + name


def chart_data(stem: str, ext: str) -> str:
    """A chart's CSV (ext "csv") or its metadata ("metadata.json")."""
    return f"{DATA}{stem}.{ext}"


def package_file(name: str) -> str:
    """A file of the data package: datapackage.json, {table}.csv, {table}.parquet."""
    return PACKAGE + name


def _chart_view(lang: str, page_path: str, chart: str, year: int | None,
                iso3: str | None) -> str:
    return "/".join(str(x) for x in (lang, page_path, year, iso3, chart) if x)


def embed(lang: str, page_path: str, chart: str, year: int | None = None,
          iso3: str | None = None) -> str:
    """A chart's embed page: its view (the year given always where the page has years, so a
    framed chart keeps its year) and its key (blocks.Chart.key), never its place on the page."""
    return EMBED + _chart_view(lang, page_path, chart, year, iso3) + "/"


def oembed(lang: str, page_path: str, chart: str, year: int | None = None,
           iso3: str | None = None) -> str:
    return OEMBED + _chart_view(lang, page_path, chart, year, iso3) + ".json"
