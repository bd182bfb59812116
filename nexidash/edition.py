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
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from . import blocks as b
from . import cite, edition_data, embed, i18n, paths, presskit, site, urls
from .pictures import ChartMaker
from .edition_html import SCRIPT, SEARCH_SCRIPT, TEMPLATES, Body, css, script_url
from .view import View

OUT = paths.ROOT / "var" / "edition"


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
        return urls.page(self.lang, self.page.path, self.year, self.iso3)

    def chart_paths(self, key: str, report_year: int) -> tuple[str, str]:
        """Where one of this page's charts is framed from, and its oEmbed answer (its year
        always, so a framed chart keeps its year)."""
        year = (self.year or report_year) if self.page.uses_year else None
        return (urls.embed(self.lang, self.page.path, key, year, self.iso3),
                urls.oembed(self.lang, self.page.path, key, year, self.iso3))

    def view(self, countries: frozenset) -> View:
        return View(self.lang, self.year, fixed={"iso3": self.iso3} if self.iso3 else None,
                    linker=partial(urls.static_link, countries))

    def app_url(self, v: View) -> str:
        """The same view in the interactive dashboard: its controls in the URL."""
        params = {}
        if self.year and self.page.uses_year:
            params["year"] = self.year
        for key, value in v.chosen.items():
            if value != v.controls[key].default:
                params[key] = value
        return urls.app_url(self.lang, self.page.path, params, self.page == site.DEFAULT_PAGE)


def editions(report_year: int, years: list[int], countries=()) -> list[Edition]:
    out = []
    for lang in i18n.LANGS:
        for page in site.PAGES:
            out.append(Edition(page, lang))
            if page.uses_year:
                out += [Edition(page, lang, y) for y in years if y != report_year]
            if page.path == urls.COUNTRY_PAGE:
                out += [Edition(page, lang, iso3=c) for c in sorted(countries)]
    return out


def mentioned_countries() -> frozenset:
    return View(i18n.DEFAULT_LANG).mentioned_countries()


# -- pages ------------------------------------------------------------------------------------
def _env() -> Environment:
    # The templates are named *.html.j2: escaping is chosen by the last suffix, so name it.
    return Environment(loader=FileSystemLoader(TEMPLATES),
                       autoescape=select_autoescape(("html", "j2")), keep_trailing_newline=True)


def _plain(text: str) -> str:
    return " ".join(text.split())


def write_page(ed: Edition, maker: ChartMaker, out: Path, env: Environment,
               years: list[int], report_year: int, countries: frozenset = frozenset()) -> str:
    v = ed.view(countries)
    page_blocks = ed.page.load().build(v)
    body = Body(v, maker, out / "d", page_path=ed.path,
                embeds_at=partial(ed.chart_paths, report_year=report_year),
                year_href=(lambda y: Edition(ed.page, ed.lang, None if y == report_year else y).path)
                if ed.page.uses_year and not ed.iso3 else None)
    t = v.t
    title_block = next(x for x in page_blocks if isinstance(x, b.Heading) and x.level == 1)
    # The title first, then the year selector, then the rest: on a phone the <h1> is the
    # first thing under the header.
    at = page_blocks.index(title_block) + 1
    title_html, html_body = body.render(page_blocks[:at]), body.render(page_blocks[at:])
    intro = next((x.text for x in page_blocks if isinstance(x, b.Text)), t(ed.page.intro_key))
    year_note = f" {v.fy(v.year)}" if ed.page.uses_year and ed.year else ""
    structured = [_dataset(d, v, ed, urls.absolute(ed.path), intro) for d in body.datasets]
    html = frame(env, v, lambda lang: Edition(ed.page, lang, ed.year, ed.iso3).path,
                 title_block.text + year_note, intro, html_body, card=body.card,
                 structured=structured, current=ed.page, app_url=ed.app_url(v),
                 years=[{"href": Edition(ed.page, ed.lang, None if y == report_year else y).path,
                         "label": v.fy(y), "current": y == v.year} for y in years]
                 if ed.page.uses_year else [],
                 oembeds=[(urls.absolute(e["oembed"]), e["title"]) for e in body.embeds],
                 cite_block=cite.for_view(
                     v, ed.page,
                     lambda lang: urls.absolute(Edition(ed.page, lang, ed.year, ed.iso3).path),
                     ed.iso3),
                 title_html=title_html, scripts=[script_url()] if body.live else [])
    target = out / ed.path.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    for item in body.embeds:
        embed.write(env, out, item, lang=ed.lang, site_name=t("site.name", year=v.report_year),
                    origin=urls.origin())
    return html


def frame(env: Environment, v: View, path_of, heading: str, intro: str, body: Markup, *,
          card: dict | None = None, structured=(), current: site.Page | None = None,
          app_url: str | None = None, years=(), oembeds=(), cite_block=None,
          title_html: Markup | None = None, scripts=(), indexed: bool = True) -> str:
    """A whole page of the edition around its body: head (title, description, canonical and
    alternates from `path_of(lang)`, card, JSON-LD, its charts' oEmbed answers as (href,
    title)), the site's header, nav and footer. Every page's body ends with how to cite it
    (`cite_block`, a blocks.Cite, drawn as the app draws it). `title_html` is the page's <h1>
    and what must follow it at once (on a phone, the first thing under the header); a page
    whose body carries its own heading leaves it out."""
    t = v.t
    if cite_block is not None:
        body = body + Markup("\n") + Body(v, None, None).render([cite_block])
    site_name = t("site.name", year=v.report_year)
    other = next(lang for lang in i18n.LANGS if lang != v.lang)
    alternates = [(lang, urls.absolute(path_of(lang))) for lang in i18n.LANGS]
    alternates.append(("x-default", urls.absolute(path_of(i18n.DEFAULT_LANG))))
    return env.get_template("page.html.j2").render(
        lang=v.lang, t=t, report_year=v.report_year, title=f"{heading} | {site_name}",
        description=_plain(intro)[:300], canonical=urls.absolute(path_of(v.lang)),
        alternates=alternates, site_name=site_name, card=card,
        css=Markup(css()), structured=[Markup(s) for s in structured],
        home=urls.home(v.lang), search=urls.search(v.lang), brand=_brand(site_name),
        nav=[{"href": urls.page(v.lang, p.path), "label": t(p.nav_key), "current": p == current}
             for p in site.PAGES],
        other_lang={"href": path_of(other), "lang": other,
                    "label": i18n.translate(other, "edition.this_in")},
        app_url=app_url or urls.app_url(v.lang, site.DEFAULT_PAGE.path, {}, default_page=True),
        years=years, footer=edition_data.footer(v), body=body, title_html=title_html or "",
        scripts=list(scripts), indexed=indexed,
        oembeds=[{"href": href, "title": title} for href, title in oembeds])


def write_search(lang: str, out: Path, env: Environment) -> None:
    """A language's search page: the header's box sends its words here; the list fills from
    Pagefind's index (assets/js/search.js). Not itself indexed."""
    v = View(lang)
    t = v.t
    body = Markup('<ol class="results" id="results" data-found="{}" data-none="{}"></ol>'
                  '<noscript><p>{}</p></noscript>').format(
        t("edition.search_found"), t("edition.search_none"), t("edition.search_needs_js"))
    html = frame(env, v, urls.search, t("edition.search"), t("edition.search_about"), body,
                 title_html=Markup('<h1>{}</h1>').format(t("edition.search")),
                 scripts=[script_url(SEARCH_SCRIPT)], indexed=False)
    target = out / urls.search(lang).strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


# Pagefind indexes each page once: not the copies of the overview at /, /ja/ and /en/.
SEARCH_GLOB = "{" + ",".join(i18n.LANGS) + "}/*/**/index.html"


def index_for_search(out: Path) -> None:
    """Pagefind's index of every page, per language (its extended binary segments Japanese),
    in /pagefind/."""
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out), "--glob", SEARCH_GLOB,
                    "--output-subdir", "pagefind", "--silent"], check=True)
    # Its ready-made interfaces go unused (search.js draws the list with the page's own
    # stylesheet: theirs would need style-src 'self' and inline styles).
    for unused in (out / "pagefind").glob("pagefind-*ui.*"):
        unused.unlink()
    (out / "pagefind" / "pagefind-highlight.js").unlink(missing_ok=True)
    # Pagefind writes its languages in hash-map order, which differs from run to run; the same
    # index in a fixed order keeps two builds byte-identical.
    entry = out / "pagefind" / "pagefind-entry.json"
    entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")), sort_keys=True,
                                ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _brand(site_name: str) -> tuple[str, str]:
    """The site's name as the header shows it: "NEXI" always, the rest hidden from sight (not
    from a screen reader) on a phone, where the header's one row needs the room."""
    short = "NEXI"
    if not site_name.startswith(short):
        raise ValueError(f"the site's name no longer starts with {short}: {site_name}")
    return short, site_name[len(short):]


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
                          "contentUrl": urls.absolute(d["csv"])}],
    }
    if ed.page.uses_year:
        item["temporalCoverage"] = str(v.year)
    # Escaped for a <script> element: no "</" can close it early.
    return json.dumps(item, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")




def _sitemap(pages: list[Edition], more=()) -> str:
    """Every page, with its other language; `more`: further pages as path_of(lang) functions
    (the data dictionary, the changes), one entry per language."""
    every = [(ed.lang, lambda lang, ed=ed: Edition(ed.page, lang, ed.year, ed.iso3).path)
             for ed in pages] + [(lang, path_of) for path_of in more for lang in i18n.LANGS]
    rows = []
    for own, path_of in every:
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{lang}" '
            f'href="{escape(urls.absolute(path_of(lang)))}"/>'
            for lang in i18n.LANGS)
        rows.append(f"<url><loc>{escape(urls.absolute(path_of(own)))}</loc>{links}</url>")
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
            front = {}
            for ed in pages:
                html = write_page(ed, maker, work, env, years, report_year, countries)
                if ed.page == site.DEFAULT_PAGE and not ed.year:
                    front[ed.lang] = html
        finally:
            maker.close()
            presskit.use(None)
        shutil.rmtree(work / ".kit", ignore_errors=True)
        edition_data.write(work, env, frame)
        # The front door is the Japanese overview, and each language's root (/ja/, /en/) its
        # overview, so a URL trimmed to any of its folders answers; their canonical names the
        # overview's own URL.
        (work / "index.html").write_text(front["ja"], encoding="utf-8")
        for lang, html in front.items():
            (work / urls.home(lang).strip("/") / "index.html").write_text(html, encoding="utf-8")
        (work / "sitemap.xml").write_text(_sitemap(pages, edition_data.sitemap()),
                                          encoding="utf-8")
        (work / "robots.txt").write_text(
            f"User-agent: *\nAllow: /\nDisallow: {urls.APP}/\n\nSitemap: {urls.absolute('/sitemap.xml')}\n",
            encoding="utf-8")
        shutil.copyfile(paths.ROOT / "assets" / "icon.png", work / "favicon.png")
        for script in (SCRIPT, SEARCH_SCRIPT):
            shutil.copyfile(script, work / script_url(script).lstrip("/"))
        for lang in i18n.LANGS:
            write_search(lang, work, env)
        index_for_search(work)
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
               *Path(__file__).parent.glob("*.py"), *TEMPLATES.glob("*"), SCRIPT, SEARCH_SCRIPT,
               *edition_data.sources()]
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
