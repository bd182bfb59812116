"""The static edition: every page, in both languages and every fiscal year, as plain HTML.

    python -m nexidash.edition            (make edition; make serve runs it when it is stale)

The same blocks the Streamlit renderer draws (each page's `build(view)`, the same queries and
figures) become HTML here, with no Streamlit present. Charts are SVG made at build time by
Kaleido on Debian's Chromium, with no network: a page is complete, and its first paint needs
no JavaScript. Each chart's numbers sit under it as a table, with the CSV beside it.

Output (nginx serves it at /; the interactive dashboard stays at /app/):
    /{lang}/{page}/                 the page for the report year (or the page's only view)
    /{lang}/{page}/{year}/          year-driven pages, every other fiscal year
    /c/{hash}.svg, -s.svg, .png     charts (desktop, phone, share card), named by content
    /d/{hash}.csv, /d/{name}        the numbers behind each chart and table; the press files
    /sitemap.xml, /robots.txt, /index.html (the Japanese overview)

Building twice gives identical files: the views are walked in a fixed order, nothing carries
a date, and Plotly's random ids in an SVG are replaced by ones derived from its content.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from . import blocks as b
from . import i18n, paths, presskit, site, style, tables
from .pictures import CARD, ChartMaker, digest as _digest
from .view import View

OUT = paths.ROOT / "var" / "edition"
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Absolute URLs (canonical, alternates, cards, sitemap) need the public origin; set it for a
# deployment. The default is where `make serve` listens.
DEFAULT_ORIGIN = "http://localhost:8080"
COUNTRY_PAGE = "country"


def origin() -> str:
    return os.environ.get("NEXI_SITE_URL", DEFAULT_ORIGIN).rstrip("/")


@dataclass(frozen=True)
class Edition:
    """One static page: a page of the site, in a language, for a year (None: its default), or
    for one country (the country view's `iso3`)."""

    page: site.Page
    lang: str
    year: int | None = None
    iso3: str | None = None

    @property
    def path(self) -> str:
        return (f"/{self.lang}/{self.page.path}/" + (f"{self.year}/" if self.year else "")
                + (f"{self.iso3}/" if self.iso3 else ""))

    def view(self, countries: frozenset) -> View:
        return View(self.lang, self.year, fixed={"iso3": self.iso3} if self.iso3 else None,
                    linker=partial(static_href, countries))

    def app_url(self, v: View) -> str:
        """The same view in the interactive dashboard: its controls in the URL."""
        params = {}
        if self.lang != i18n.DEFAULT_LANG:
            params["lang"] = self.lang
        if self.year and self.page.uses_year:
            params["year"] = self.year
        for key, value in v.chosen.items():
            if value != v.controls[key].default:
                params[key] = value
        route = "" if self.page == site.DEFAULT_PAGE else self.page.path
        return f"/app/{route}" + (f"?{urlencode(params)}" if params else "")


def editions(report_year: int, years: list[int], countries=()) -> list[Edition]:
    out = []
    for lang in i18n.LANGS:
        for page in site.PAGES:
            out.append(Edition(page, lang))
            if page.uses_year:
                out += [Edition(page, lang, y) for y in years if y != report_year]
            if page.path == COUNTRY_PAGE:
                out += [Edition(page, lang, iso3=c) for c in sorted(countries)]
    return out


def static_href(countries: frozenset, lang: str, page: str, params: dict) -> str:
    """A link between static pages: a country the report names has a page of its own; any
    other view opens its page's default (the app has every view)."""
    if page == COUNTRY_PAGE and params.get("iso3") in countries:
        return f"/{lang}/{page}/{params['iso3']}/"
    return f"/{lang}/{page}/"


def mentioned_countries() -> frozenset:
    """The countries the report names somewhere: each gets a static country page."""
    index = View(i18n.DEFAULT_LANG).q("country_index")
    return frozenset(index.loc[index["mentions"] > 0, "iso3"])


# -- charts -----------------------------------------------------------------------------------
# -- blocks to HTML ---------------------------------------------------------------------------
class Body:
    """A page's blocks as HTML: the second renderer of the same blocks (render.py is the first)."""

    def __init__(self, v: View, maker: ChartMaker, data_dir: Path):
        self.v, self.maker, self.data_dir = v, maker, data_dir
        self.first_image = True
        self.card: dict | None = None
        self.datasets: list[dict] = []
        self.level = 1  # the last heading's level, so none skips one (h2 then h4)

    def render(self, blocks) -> Markup:
        return Markup("\n").join(self._block(block) for block in blocks)

    def _heading(self, text: str, wanted: int, cls: str = "", anchor: str | None = None) -> Markup:
        level = 1 if wanted == 1 else max(2, min(wanted, self.level + 1))
        self.level = level
        attr = Markup(f' class="{cls}"') if cls else ""
        if anchor:
            attr += Markup(' id="{}"').format(anchor)
        return Markup(f"<h{level}{attr}>{escape(text)}</h{level}>")

    def _block(self, block) -> Markup:
        t = self.v.t
        if isinstance(block, b.Heading):
            # The page's own levels (1 title, 2 section, 4 chart, 5 minor) mapped to an outline
            # without gaps: 4 follows 2 as the next level down.
            wanted = {1: 1, 2: 2, 4: 3, 5: 4}.get(block.level, block.level)
            return self._heading(block.text, wanted, anchor=block.anchor)
        if isinstance(block, b.Text):
            return Markup("<p>{}</p>").format(block.text)
        if isinstance(block, b.Bullets):
            items = Markup("").join(
                Markup("<li>{}{}{}</li>").format(
                    i.text,
                    Markup(' <a href="{}">{}</a>').format(
                        self.v.href(i.link.page, **i.link.params), i.link.label)
                    if i.link else "",
                    Markup('<br><small>{}</small>').format(i.note) if i.note else "")
                for i in block.items)
            return Markup("<ul class=\"bullets\">{}</ul>").format(items)
        if isinstance(block, b.Caption):
            return Markup('<p class="caption">{}</p>').format(block.text)
        if isinstance(block, b.Link):
            return Markup('<p class="link"><a href="{}">{} →</a></p>').format(
                self.v.href(block.page, **block.params), block.label)
        if isinstance(block, b.Callout):
            return Markup('<p class="callout">{}</p>').format(block.text)
        if isinstance(block, b.Controls):
            shown = Markup("; ").join(
                Markup("{}: <strong>{}</strong>").format(c.label,
                                                       c.label_of(self.v.chosen.get(c.key,
                                                                                   c.default)))
                for c in block.items)
            return Markup('<p class="controls">{} <span class="hint">({})</span></p>').format(
                shown, t("edition.controls_hint"))
        if isinstance(block, b.Metrics):
            return self._metrics(block)
        if isinstance(block, b.Chart):
            return self._chart(block)
        if isinstance(block, b.Table):
            return Markup(tables.html(block.data, self.v.lang, block.labels, block.height,
                                      country_href=self.v.country_href))
        if isinstance(block, b.Source):
            line = self.v.source_line(block.table)
            return Markup('<p class="source">{}</p>').format(line) if line else Markup("")
        if isinstance(block, b.Data):
            return self._data(block.key, block.data, block.labels, t("ui.data_behind"))
        if isinstance(block, b.Columns):
            # A class per layout, not a style attribute: the pages' CSP allows no inline style
            # but the one stylesheet (edition.css defines each layout the pages use).
            widths = block.widths or (1,) * len(block.parts)
            layout = "cols-" + "-".join(f"{w:g}" for w in widths)
            if f".{layout} " not in _css():
                raise ValueError(f"edition.css has no column layout {layout}")
            parts = Markup("").join(Markup('<div class="col">{}</div>').format(self.render(p))
                                    for p in block.parts)
            return Markup('<div class="cols {}">{}</div>').format(layout, parts)
        if isinstance(block, b.Details):
            return Markup("<details{}><summary>{}</summary>{}</details>").format(
                Markup(" open") if block.expanded else "", block.title, self.render(block.blocks))
        if isinstance(block, b.Code):
            return Markup('<pre class="code">{}</pre>').format(block.text)
        if isinstance(block, b.Download):
            data = block.make()
            path = self.data_dir / block.file_name
            path.write_bytes(data)
            return Markup('<p class="download"><a href="/d/{}" download>{}</a></p>').format(
                block.file_name, block.label)
        raise TypeError(f"no way to write {type(block).__name__}")

    def _metrics(self, block: b.Metrics) -> Markup:
        cards = []
        for m in block.items:
            delta = Markup("")
            if m.delta:
                way = style.direction(m.delta)
                good = (way >= 0) if m.delta_color != "inverse" else (way <= 0)
                # A black triangle means minus in Japanese finance: a neutral arrow instead.
                mark = style.DELTA_MARK[way > 0] + " " if way else ""
                delta = Markup('<p class="delta {}">{}{}</p>').format(
                    "good" if good else "bad", mark, m.delta)
                if m.delta_description:
                    delta += Markup('<p class="help">{}</p>').format(m.delta_description)
            help_ = Markup('<p class="help">{}</p>').format(m.help) if m.help else Markup("")
            if m.term:
                help_ += Markup('<p class="help"><a href="{}">{}</a></p>').format(
                    self.v.term_href(m.term),
                    self.v.t("ui.in_glossary", term=self.v.term_name(m.term)))
            cards.append(Markup('<div class="metric"><p class="label">{}</p>'
                                '<p class="value">{}</p>{}{}</div>').format(
                m.label, m.value, delta, help_))
        per_row = min(block.per_row or len(block.items), 4)
        return Markup('<div class="metrics per-{}">{}</div>').format(
            per_row, Markup("").join(cards))

    def _chart(self, block: b.Chart) -> Markup:
        t = self.v.t
        level = max(2, min(3, self.level + 1))
        self.level = level
        parts = [Markup('<section class="chart" id="{}">').format(block.key),
                 Markup(f"<h{level}>{escape(block.title)}</h{level}>")]
        if block.summary:
            parts.append(Markup('<p class="summary" id="{}-summary">{}</p>').format(
                block.key, block.summary))
        for plot in block.plots:
            made = self.maker.chart(plot.spec, self.v.lang)
            eager = self.first_image
            self.first_image = False
            alt = f"{block.title} ({plot.label})"
            if len(block.plots) > 1:
                parts.append(Markup('<p class="plot-label">{}</p>').format(plot.label))
            parts.append(Markup(
                '<picture><source media="(max-width: 640px)" srcset="{phone}" '
                'width="{pw}" height="{ph}">'
                '<img src="{src}" width="{w}" height="{h}" alt="{alt}"{described} '
                'loading="{loading}" decoding="async"{priority}></picture>').format(
                described=Markup(' aria-describedby="{}-summary"').format(block.key)
                if block.summary else "",
                phone=made["phone"], pw=made["phone_width"], ph=made["phone_height"],
                src=made["src"], w=made["width"], h=made["height"], alt=alt,
                loading="eager" if eager else "lazy",
                priority=Markup(' fetchpriority="high"') if eager else ""))
            if self.card is None:
                self.card = {"url": origin() + self.maker.card(plot.spec, self.v.lang),
                             "width": CARD[0], "height": CARD[1], "alt": alt}
        if block.note:
            parts.append(Markup('<p class="caption">{}</p>').format(block.note))
        if block.terms:
            parts.append(Markup('<p class="caption">{} {}</p>').format(
                t("ui.glossary_links"), Markup(" · ").join(
                    Markup('<a href="{}">{}</a>').format(self.v.term_href(x), self.v.term_name(x))
                    for x in block.terms)))
        line = self.v.source_line(block.source)
        if line:
            parts.append(Markup('<p class="source">{}</p>').format(line))
        parts.append(self._data(block.key, block.data, block.labels, t("ui.view.table"),
                                title=block.title, note=block.note))
        parts.append(Markup("</section>"))
        return Markup("").join(parts)

    def _data(self, key: str, data, labels: dict, summary: str, title: str | None = None,
              note: str | None = None) -> Markup:
        csv = tables.csv_bytes(data, self.v.lang, labels)
        name = f"{_digest(csv)}.csv"
        (self.data_dir / name).write_bytes(csv)
        self.datasets.append({"key": key, "title": title or summary, "note": note,
                              "csv": f"/d/{name}"})
        return Markup('<details class="data"><summary>{}</summary>{}'
                      '<p><a href="/d/{}" download="{}">{}</a></p></details>').format(
            summary, Markup(tables.html(data, self.v.lang, labels,
                                        country_href=self.v.country_href)), name,
            self.v.file_name(key, "csv"), self.v.t("ui.download_csv"))


# -- pages ------------------------------------------------------------------------------------
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                       keep_trailing_newline=True)


def _plain(text: str) -> str:
    return " ".join(text.split())


def write_page(ed: Edition, maker: ChartMaker, out: Path, env: Environment,
               years: list[int], report_year: int, countries: frozenset = frozenset()) -> str:
    v = ed.view(countries)
    page_blocks = ed.page.load().build(v)
    body = Body(v, maker, out / "d")
    html_body = body.render(page_blocks)
    t = v.t
    title_block = next(x for x in page_blocks if isinstance(x, b.Heading) and x.level == 1)
    intro = next((x.text for x in page_blocks if isinstance(x, b.Text)), t(ed.page.intro_key))
    year_note = f" {v.fy(v.year)}" if ed.page.uses_year and ed.year else ""
    site_name = t("site.name", year=v.report_year)
    title = f"{title_block.text}{year_note} | {site_name}"
    canonical = origin() + ed.path
    other = next(lang for lang in i18n.LANGS if lang != ed.lang)
    other_path = Edition(ed.page, other, ed.year, ed.iso3).path
    alternates = [(lang, origin() + Edition(ed.page, lang, ed.year, ed.iso3).path)
                  for lang in i18n.LANGS]
    alternates.append(("x-default",
                       origin() + Edition(ed.page, i18n.DEFAULT_LANG, ed.year, ed.iso3).path))
    structured = [_dataset(d, v, ed, canonical, intro) for d in body.datasets]
    html = env.get_template("page.html.j2").render(
        lang=ed.lang, t=t, report_year=v.report_year, title=title,
        description=_plain(intro)[:300], canonical=canonical,
        alternates=alternates, site_name=site_name, card=body.card,
        css=Markup(_css()), structured=[Markup(s) for s in structured],
        home=f"/{ed.lang}/{site.DEFAULT_PAGE.path}/",
        nav=[{"href": f"/{ed.lang}/{p.path}/", "label": t(p.nav_key), "current": p == ed.page}
             for p in site.PAGES],
        other_lang={"href": other_path, "lang": other,
                    "label": i18n.translate(other, "edition.this_in")},
        app_url=ed.app_url(v),
        years=[{"href": Edition(ed.page, ed.lang, None if y == report_year else y).path,
                "label": v.fy(y), "current": y == v.year} for y in years]
        if ed.page.uses_year else [],
        body=html_body)
    target = out / ed.path.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return html


def _dataset(d: dict, v: View, ed: Edition, canonical: str, intro: str) -> str:
    """schema.org Dataset for one table, so search engines can list it."""
    description = _plain(" ".join(x for x in (d["title"], d["note"] or "", intro) if x))
    item = {
        "@context": "https://schema.org", "@type": "Dataset",
        "name": d["title"], "description": description[:5000],
        "url": f"{canonical}#{d['key']}", "inLanguage": ed.lang,
        "creator": {"@type": "Organization", "name": v.t("edition.publisher")},
        "isBasedOn": v.t("edition.based_on", year=v.report_year),
        "distribution": [{"@type": "DataDownload", "encodingFormat": "text/csv",
                          "contentUrl": origin() + d["csv"]}],
    }
    if ed.page.uses_year:
        item["temporalCoverage"] = str(v.year)
    # Escaped for a <script> element: no "</" can close it early.
    return json.dumps(item, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


_CSS_CACHE: list[str] = []


def _css() -> str:
    if not _CSS_CACHE:
        _CSS_CACHE.append((TEMPLATES / "edition.css").read_text(encoding="utf-8")
                          + tables.CSS + tables.PRINT_CSS)
    return _CSS_CACHE[0]


def _sitemap(pages: list[Edition]) -> str:
    rows = []
    for ed in pages:
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{lang}" '
            f'href="{escape(origin() + Edition(ed.page, lang, ed.year, ed.iso3).path)}"/>'
            for lang in i18n.LANGS)
        rows.append(f"<url><loc>{escape(origin() + ed.path)}</loc>{links}</url>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(rows) + "\n</urlset>\n")


def build(out: Path = OUT) -> Path:
    """Write the whole edition to `out`, atomically: a failed build leaves the old one."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".edition-", dir=out.parent))
    try:
        (work / "d").mkdir()
        maker = ChartMaker(work)
        try:
            probe = View(i18n.DEFAULT_LANG)
            years, report_year = probe.years, probe.report_year
            # The press kit first: the press page's downloads are its files.
            presskit.use(presskit.build(work / ".kit", maker)["pack"].parent)
            countries = mentioned_countries()
            pages = editions(report_year, years, countries)
            env = _env()
            front = None
            for ed in pages:
                html = write_page(ed, maker, work, env, years, report_year, countries)
                if ed.page == site.DEFAULT_PAGE and ed.lang == i18n.DEFAULT_LANG and not ed.year:
                    front = html
        finally:
            maker.close()
            presskit.use(None)
        shutil.rmtree(work / ".kit", ignore_errors=True)
        # The front door is the Japanese overview; its canonical names /ja/overview/.
        (work / "index.html").write_text(front, encoding="utf-8")
        (work / "sitemap.xml").write_text(_sitemap(pages), encoding="utf-8")
        (work / "robots.txt").write_text(
            f"User-agent: *\nAllow: /\nDisallow: /app/\n\nSitemap: {origin()}/sitemap.xml\n",
            encoding="utf-8")
        shutil.copyfile(paths.ROOT / "assets" / "icon.png", work / "favicon.png")
        for path in work.rglob("*"):
            if path.is_file():
                os.chmod(path, 0o644)
        for path in [work, *(p for p in work.rglob("*") if p.is_dir())]:
            os.chmod(path, 0o755)
        if out.exists():
            shutil.rmtree(out)
        os.replace(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return out


def stale(out: Path = OUT) -> bool:
    """The edition is missing, or older than the database or the code and text it is made of."""
    index = Path(out) / "index.html"
    if not index.exists():
        return True
    built = index.stat().st_mtime
    sources = [paths.db_path(), *paths.I18N_DIR.glob("*.json"), *(paths.ROOT / "pages").glob("*.py"),
               *Path(__file__).parent.glob("*.py"), *TEMPLATES.glob("*")]
    return any(p.exists() and p.stat().st_mtime > built for p in sources)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--if-stale", action="store_true", help="build only when stale")
    args = parser.parse_args(argv)
    if args.if_stale and not stale(args.out):
        print(f"the static edition in {args.out} is up to date")
        return 0
    print(f"wrote the static edition to {build(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
