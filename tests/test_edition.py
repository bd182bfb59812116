"""The static edition: complete, deterministic, linked, and showing the app's own figures."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from nexidash import blocks, cite, edition, i18n, site, urls
from nexidash.view import View
from tests.helpers import open_data, open_direct, shown_value, tables


@pytest.fixture(scope="module")
def built(edition_dir) -> Path:
    return edition_dir


def _files(root: Path) -> dict[str, str]:
    """What the build wrote (not the .gz/.br a serving stack adds beside each file)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.suffix not in (".gz", ".br")}


class _Page(HTMLParser):
    """Links, images, tables, metric values and head tags of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.images, self.meta, self.head_links = [], [], {}, []
        self.tables, self.metric_values, self.ld = [], [], []
        self._table, self._value, self._ld, self.lang = None, None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form" and a.get("action"):  # the header's search
            self.links.append(a["action"])
        if tag in ("img", "source"):
            self.images += [a[k] for k in ("src", "srcset") if a.get(k)]
        if tag == "meta":
            self.meta[a.get("property") or a.get("name")] = a.get("content")
        if tag == "link":
            self.head_links.append(a)
        if tag == "table":
            self._table = []
        if self._table is not None and tag in ("th", "td"):
            self._table.append("")
        if tag == "p" and a.get("class") == "value":
            self._value = ""
        if tag == "script" and a.get("type") == "application/ld+json":
            self._ld = ""

    def handle_data(self, data):
        if self._table is not None and self._table:
            self._table[-1] += data
        if self._value is not None:
            self._value += data
        if self._ld is not None:
            self._ld += data

    def handle_endtag(self, tag):
        if tag == "table":
            self.tables.append(self._table)
            self._table = None
        if tag == "p" and self._value is not None:
            self.metric_values.append(self._value)
            self._value = None
        if tag == "script" and self._ld is not None:
            self.ld.append(json.loads(self._ld))
            self._ld = None


def _read(root: Path, path: str) -> _Page:
    page = _Page()
    page.feed((root / path.strip("/") / "index.html").read_text(encoding="utf-8"))
    return page


def test_every_page_exists_in_both_languages_and_every_year(built):
    """Test that each page is written in Japanese and English, and every fiscal year for the pages that follow the year."""
    v = View("ja")
    for lang in i18n.LANGS:
        for page in site.PAGES:
            assert (built / lang / page.path / "index.html").is_file(), (lang, page.path)
            years = [y for y in v.years if y != v.report_year] if page.uses_year else []
            for year in years:
                assert (built / lang / page.path / str(year) / "index.html").is_file()
            assert _read(built, f"/{lang}/{page.path}/").lang == lang
    assert (built / "index.html").read_bytes() == (built / "ja" / "overview" / "index.html").read_bytes()


def test_every_link_from_the_front_door_resolves(built):
    """Test that a crawl from / reaches every page, and every link, image and file it meets exists."""
    seen, queue, missing = set(), ["/"], []
    licence_texts = {lic.url(lang) for lic in [cite.license_()] for lang in i18n.LANGS}
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        page = _read(built, path)
        for ref in page.links + page.images:
            parts = urlsplit(ref)
            if ref in licence_texts:
                continue  # the licence's own text (cite.py), the one link off the site
            assert not parts.netloc, f"{path} links off the site: {ref}"
            if not parts.path:  # an anchor on the same page (#main)
                continue
            if parts.path.startswith("/app"):
                continue  # the interactive dashboard, served by the replicas
            target = built / parts.path.lstrip("/")
            if parts.path.endswith("/"):
                if parts.path not in seen:
                    queue.append(parts.path)
                target = target / "index.html"
            if not target.is_file():
                missing.append((path, ref))
    assert not missing, missing[:10]
    pages = {p for p in seen if p != "/"}
    written = {"/" + str(p.parent.relative_to(built)) + "/" for p in built.rglob("index.html")
               if p.parent != built}
    assert pages == written, written - pages


def test_every_folder_a_reader_may_trim_a_url_to_is_a_page(built):
    """Test that each folder on the way to a page (/ja/, /en/regions/, ...) has a page of its own, and a language's root is its overview, whose canonical it names."""
    for page in built.rglob("index.html"):
        if page.relative_to(built).parts[0] == "embed":
            continue  # a chart's frame for other sites, not a page a reader walks up from
        folder = page.parent
        while folder != built:
            assert (folder / "index.html").is_file(), folder.relative_to(built)
            folder = folder.parent
    for lang in i18n.LANGS:
        assert (built / lang / "index.html").read_bytes() == \
            (built / lang / "overview" / "index.html").read_bytes()


def test_heads_carry_search_and_sharing_tags(built):
    """Test that a page has its language, a title and description, an absolute canonical, hreflang alternates both ways, a share card and a Dataset per table."""
    page = _read(built, "/en/regions/2022/")
    origin = urls.origin()
    links = {(a.get("rel"), a.get("hreflang")): a["href"] for a in page.head_links}
    assert links[("canonical", None)] == f"{origin}/en/regions/2022/"
    assert links[("alternate", "ja")] == f"{origin}/ja/regions/2022/"
    assert links[("alternate", "en")] == f"{origin}/en/regions/2022/"
    assert links[("alternate", "x-default")] == f"{origin}/ja/regions/2022/"
    assert page.meta["description"] and "FY2022" in page.meta["og:title"]
    assert page.meta["og:image"].startswith(f"{origin}/c/") and page.meta["og:image"].endswith(".png")
    assert page.meta["twitter:card"] == "summary_large_image"
    card = built / urlsplit(page.meta["og:image"]).path.lstrip("/")
    assert card.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.ld and all(d["@type"] == "Dataset" and d["distribution"][0]["contentUrl"]
                           .endswith(".csv") for d in page.ld)
    robots = (built / "robots.txt").read_text()
    assert "Disallow: /app/" in robots and f"Sitemap: {origin}/sitemap.xml" in robots
    sitemap = (built / "sitemap.xml").read_text()
    # Every page but the duplicates (/, /ja/ and /en/ open the overviews and /data/ the Japanese
    # dictionary, whose own URLs the sitemap lists), the search pages, and the embeds (the
    # charts of the pages listed, for other sites to frame).
    pages = [p for p in built.rglob("index.html") if "embed" not in p.relative_to(built).parts]
    assert sitemap.count("<url>") == len(pages) - 2 - 2 * len(i18n.LANGS)


def test_pages_load_one_deferred_script_of_their_own_and_nothing_from_another_host(built):
    """Test that a page with charts loads only the edition's chart script (a search page its search script), deferred, from this site, under 20 KB compressed, with no inline script (the JSON-LD is data); and nothing loads from another host."""
    scripts = set()
    for path in built.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        tags = re.findall(r"<script(?![^>]*application/ld\+json)[^>]*>", html)
        # Charts read by marks.js; the search pages' list drawn by search.js.
        own = "search" if path.parent.name == "search" else "marks"
        assert all(re.fullmatch(rf'<script src="/c/{own}-[0-9a-f]{{10}}\.js" defer>', t)
                   for t in tags), (path, tags)
        assert len(tags) == (own == "search" or "data-marks" in html), path
        scripts.update(re.findall(r'<script src="([^"]+)"', html))
        assert not re.search(r'(src|srcset)="(https?:)?//', html), path
    assert len(scripts) == 2
    for script in scripts:
        assert len(gzip.compress((built / script.lstrip("/")).read_bytes())) < 20_000


def test_every_live_chart_has_its_marks_beside_each_picture(built):
    """Test that each chart the script can read has a marks file beside its desktop and its phone picture, every mark with its text, outline and box on that picture's size."""
    for page in ("ja/lead", "en/regions/2021", "ja/financials"):
        html = (built / page / "index.html").read_text(encoding="utf-8")
        plots = re.findall(r'<div class="plot" data-marks><picture><source [^>]*srcset="([^"]+)"'
                           r' width="(\d+)" height="(\d+)"><img src="([^"]+)" width="(\d+)"'
                           r' height="(\d+)"', html)
        assert plots, page
        for phone, pw, ph, desktop, w, h in plots:
            for src, width, height in ((phone, pw, ph), (desktop, w, h)):
                data = json.loads((built / src.lstrip("/")).with_suffix(".json").read_text())
                assert (data["w"], data["h"]) == (int(width), int(height)), src
                assert data["m"] and all(m["t"].strip() and m["d"].startswith("M")
                                         and len(m["b"]) == 4 for m in data["m"]), src


def test_charts_are_svg_and_tables_have_their_csv(built):
    """Test that every chart image is an SVG file and every table's CSV opens with its header."""
    page = _read(built, "/ja/products/")
    assert page.images and all(i.startswith("/c/") and i.endswith(".svg") for i in page.images)
    for img in page.images:
        assert (built / img.lstrip("/")).read_bytes().startswith(b"<svg")
    csvs = [link for link in page.links if link.startswith("/d/") and link.endswith(".csv")]
    assert csvs
    for link in csvs:
        assert (built / link.lstrip("/")).read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_data_package_is_published_and_valid(built):
    """Test that /data/ holds a package frictionless validates, a CSV without a BOM and a Parquet
    file per table, and that every page's footer names the data version."""
    from frictionless import validate

    report = validate(str(built / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]
    package = json.loads((built / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert not (built / "data" / resource["path"]).read_bytes().startswith(b"\xef\xbb\xbf")
        assert (built / "data" / resource["parquet"]).read_bytes()[:4] == b"PAR1"
    for path in ("/ja/overview/", "/en/data/", "/ja/changes/"):
        assert f"{package['data_version']}" in (built / path.strip("/") / "index.html").read_text(
            encoding="utf-8")


def test_every_charts_csv_has_its_metadata_beside_it(built):
    """Test that each chart's data part links a CSV and its metadata.json, which names that CSV,
    and that every metadata file in /d/ belongs to a chart a page links."""
    linked = set()
    for page_path in ("/ja/regions/", "/en/products/2021/", "/ja/financials/", "/en/overview/"):
        page = _read(built, page_path)
        metas = [link for link in page.links if link.endswith(".metadata.json")]
        assert metas, page_path
        for link in metas:
            meta = json.loads((built / link.lstrip("/")).read_text(encoding="utf-8"))
            csv_link = link.removesuffix(".metadata.json") + ".csv"
            assert csv_link in page.links and meta["csv"] == urls.absolute(csv_link)
            assert meta["query"]["name"] and meta["data_version"] and meta["license"]["name"]
            linked.add(link)
    every = {"/d/" + p.name for p in (built / "d").glob("*.metadata.json")}
    assert linked <= every and all((built / m.removesuffix(".metadata.json").lstrip("/")
                                    ).with_suffix(".csv").is_file() for m in every)


@pytest.mark.long
def test_building_twice_gives_identical_files(built, tmp_path):
    """Test that the edition is deterministic: a second build writes the same bytes. The second
    build reads the pictures the first one drew from the picture cache, as a rebuild does;
    that Kaleido draws a spec to the same bytes is the next test's."""
    again = edition.build(tmp_path / "again")
    assert _files(again) == _files(built)


def test_a_chart_is_drawn_to_the_same_bytes_twice(tmp_path):
    """Test that Kaleido, with Plotly's random ids renamed after the content, draws a bar chart
    and a map, at desktop and phone widths, to the same bytes each time (no picture cache)."""
    from nexidash.pictures import ChartMaker

    from nexidash import charts

    view = View("ja")
    plots = [plot.spec for name in ("overview", "regions")
             for blk in blocks.walk(next(p for p in site.PAGES if p.path == name).load().build(view))
             if isinstance(blk, blocks.Chart) for plot in blk.plots]
    specs = [next(s for s in plots if not charts.is_map(s)), next(s for s in plots if charts.is_map(s))]
    drawn = []
    for run in ("a", "b"):
        maker = ChartMaker(tmp_path / run, cache=False)
        try:
            for spec in specs:
                maker.chart(spec, "ja")
        finally:
            maker.close()
        drawn.append(_files(tmp_path / run))
    assert len(drawn[0]) >= 2 * len(specs)
    assert drawn[0] == drawn[1]


def _cell(value) -> str:
    """A cell as read back from either edition: pandas turns a column with gaps into floats."""
    if value is None or (isinstance(value, float) and value != value):
        return "None"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# A sample of views, the same in both editions: (page, params of the app's URL, edition path)
SAMPLE = [
    ("overview", {}, "/ja/overview/"),
    ("overview", {"year": 2022}, "/ja/overview/2022/"),
    ("regions", {"lang": "en", "year": 2023}, "/en/regions/2023/"),
    ("products", {"year": 2021}, "/ja/products/2021/"),
    ("partners", {}, "/ja/partners/"),
    ("sme", {"lang": "en"}, "/en/sme/"),
    ("compare", {}, "/ja/compare/"),
]


@pytest.mark.parametrize("name,params,path", SAMPLE, ids=[s[2] for s in SAMPLE])
def test_both_editions_show_the_same_figures(built, name, params, path):
    """Test that the static page shows every figure the app shows for the same view: metric values, and every table's headers and cells with every chart's table view opened."""
    page = site.PAGES[[p.path for p in site.PAGES].index(name)]
    v = View(params.get("lang", "ja"), params.get("year"))
    keys = [blk.key for blk in blocks.walk(page.load().build(v))
            if isinstance(blk, (blocks.Chart, blocks.Data))]
    at = open_direct(name, **params)
    # AppTest sends no value for a segmented control it did not click; keep the frame's.
    for key in ("lang", "year"):
        if key in params:
            at.session_state[key] = params[key]
    at = open_data(at, *keys)
    app_cells = sorted(_cell(c) for t in tables(at) for c in [*t.columns, *t.to_numpy().ravel()])
    static = _read(built, path)
    static_cells = sorted(_cell(shown_value(c)) for cells in static.tables for c in cells)
    assert app_cells and app_cells == static_cells
    assert [m.value for m in at.metric] == static.metric_values


def test_every_country_the_report_names_has_a_static_page(built):
    """Test that each named country has its page in both languages, with what the report says of it, and that a country never named has none."""
    index = View("ja").q("country_index")
    named = set(index.loc[index["mentions"] > 0, "iso3"])
    for lang in i18n.LANGS:
        pages = {p.parent.name for p in (built / lang / "country").glob("*/index.html")}
        assert pages == named, sorted(pages ^ named)[:5]
    egypt = (built / "en" / "country" / "EGY" / "index.html").read_text("utf-8")
    assert "about ¥1.2 billion (recoveries on commercial-risk claims)" in egypt
    assert 'href="/en/regions/"' in egypt  # its region, on the regions page
    egypt_ja = (built / "ja" / "country" / "EGY" / "index.html").read_text("utf-8")
    assert "約12億円（信用事故案件の回収金）" in egypt_ja
    # A table's country code links to that country's static page.
    listing = (built / "ja" / "country" / "index.html").read_text("utf-8")
    assert 'href="/ja/country/EGY/"' in listing
