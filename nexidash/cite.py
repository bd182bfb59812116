"""How to cite a page, and the licence its figures are reused under: the "Cite and reuse" part
every page ends with, in the app and in the static edition alike (one block, two renderers).

A citation names four things: the report the figures come from (its printed title, "Annual
Report FY2024", which its Japanese pages carry too), this site, the page's URL and the data
version (version.py), so a reader can tell which figures were cited after a correction. It is
given in both languages as text, and as BibTeX and CSL-JSON for reference managers. The
licence is a setting (NEXI_LICENSE, an SPDX id); the ids known here are written out with their
name and the text's URL, any other id is shown as given.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from . import blocks as b
from . import i18n, settings, site, style, urls
from .version import data_version

# SPDX id: the licence's name per language and its text (the localised deed where there is one).
LICENSES = {
    "CC-BY-4.0": ({"ja": "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）",
                   "en": "Creative Commons Attribution 4.0 International (CC BY 4.0)"},
                  {"ja": "https://creativecommons.org/licenses/by/4.0/deed.ja",
                   "en": "https://creativecommons.org/licenses/by/4.0/"}),
}


@dataclass(frozen=True)
class License:
    spdx: str
    names: dict
    urls: dict

    def name(self, lang: str) -> str:
        return self.names.get(lang, self.spdx)

    def url(self, lang: str) -> str:
        return self.urls.get(lang, "")

    def text(self, lang: str) -> str:
        """The licence as one line: its name and where its text is."""
        return f"{self.name(lang)} {self.url(lang)}".strip()


def license_(env=None) -> License:
    spdx = settings.get("NEXI_LICENSE", env)
    names, urls = LICENSES.get(spdx, ({}, {}))
    return License(spdx, names, urls)


@lru_cache(maxsize=8)
def _version(generation: tuple) -> str:
    return data_version()


def version() -> str:
    """The data version, hashed once per database file (the app asks on every page view)."""
    from . import db

    return _version(db.generation())


def published(report_year: int) -> int:
    """The year the report came out: the fiscal year ends on 31 March of the next calendar
    year, and the report (FY2024's speaks of May 2025) appears after that."""
    return report_year + 1


def report_title(report_year: int) -> str:
    return f"Annual Report FY{report_year}"


def page_title(lang: str, page, year: int, report_year: int, country: dict | None = None) -> str:
    """A page's title in `lang`, with its year where the page follows the year, or the
    country's name (`country`: its name per language) on a country view."""
    t = lambda key, **kw: i18n.translate(lang, key, **kw)  # noqa: E731
    fy = t("ui.fy", year=year)
    if country:
        return t("country.title_of", name=style.name_in_sentence(country[lang], lang, True))
    title = t(page.title_key, year=report_year, fy=fy)
    if page.uses_year and fy not in title:
        title = t("cite.title_year", title=title, fy=fy)
    return title


def citation_text(lang: str, title: str, url: str, report_year: int, ver: str) -> str:
    return i18n.translate(lang, "cite.text", title=title, url=url, version=ver,
                          site=i18n.translate(lang, "site.name", year=report_year),
                          report=report_title(report_year), published=published(report_year))


def _bib(value: str) -> str:
    """A BibTeX field's text: the characters (La)TeX reads as commands escaped."""
    return re.sub(r"([&%$#_{}])", r"\\\1", value)


def bibtex(key: str, lang: str, title: str, url: str, report_year: int, ver: str) -> str:
    fields = {
        "author": "{" + _bib(i18n.translate(lang, "edition.publisher")) + "}",
        "title": _bib(title),
        "year": str(published(report_year)),
        "organization": _bib(i18n.translate(lang, "site.name", year=report_year)),
        "url": url,
        "version": ver,
        "language": {"ja": "japanese", "en": "english"}[lang],
        "note": _bib(i18n.translate(lang, "cite.note", report=report_title(report_year),
                                    version=ver)),
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@misc{{{key},\n{body}\n}}"


def csl(key: str, lang: str, title: str, url: str, report_year: int, ver: str) -> dict:
    return {
        "id": key, "type": "webpage", "title": title, "language": lang,
        "author": [{"literal": i18n.translate(lang, "edition.publisher")}],
        "container-title": i18n.translate(lang, "site.name", year=report_year),
        "issued": {"date-parts": [[published(report_year)]]},
        "URL": url, "version": ver,
        "note": i18n.translate(lang, "cite.note", report=report_title(report_year), version=ver),
    }


def block(lang: str, key: str, titles: dict, urls: dict, report_year: int,
          ver: str | None = None, lic: License | None = None) -> b.Cite:
    """The page's "Cite and reuse" part: `titles` and `urls` give the page in each language,
    `key` names it (a citation key: letters, digits and underscores)."""
    ver = ver or version()
    lic = lic or license_()
    keys = {lang_: f"nexi_{key}_{lang_}" for lang_ in i18n.LANGS}
    texts = tuple((x, citation_text(x, titles[x], urls[x], report_year, ver)) for x in i18n.LANGS)
    bib = "\n\n".join(bibtex(keys[x], x, titles[x], urls[x], report_year, ver)
                      for x in i18n.LANGS)
    items = [csl(keys[x], x, titles[x], urls[x], report_year, ver) for x in i18n.LANGS]
    t = lambda k, **kw: i18n.translate(lang, k, **kw)  # noqa: E731
    return b.Cite(title=t("cite.title"), lead=t("cite.lead"), texts=texts, bibtex=bib,
                  csl_json=json.dumps(items, ensure_ascii=False, indent=1),
                  license_label=t("cite.license"), license_id=lic.spdx,
                  license_spdx=t("cite.spdx", spdx=lic.spdx),
                  license_name=lic.name(lang), license_url=lic.url(lang),
                  version_label=t("cite.version", version=ver))


def for_view(v, page, url_of, iso3: str | None = None) -> b.Cite:
    """The block for one view of a page (`url_of(lang)`: its URL in each language)."""
    country = None
    if iso3:
        rows = v.q("country_index")
        row = rows[rows["iso3"] == iso3]
        if not row.empty:
            country = {x: row.iloc[0][i18n.name_col(x)] for x in i18n.LANGS}
    year = v.year if page.uses_year else v.report_year
    titles = {x: page_title(x, page, year, v.report_year, country) for x in i18n.LANGS}
    key = key_of(page.path, year if page.uses_year else None, iso3 if country else None)
    return block(v.lang, key, titles, {x: url_of(x) for x in i18n.LANGS}, v.report_year)


def for_app_view(v, page) -> b.Cite:
    """The block for a view of the dashboard: its URL keeps the view's year and controls."""
    params = {"year": v.year} if page.uses_year else {}
    params.update({k: x for k, x in v.chosen.items()
                   if k != "year" and x != v.controls[k].default})
    iso3 = params.get("iso3")
    return for_view(v, page, lambda lang: urls.absolute(
        urls.app_url(lang, page.path, params, page == site.DEFAULT_PAGE)), iso3)


def key_of(page: str, year: int | None = None, iso3: str | None = None) -> str:
    """A citation key for a view: the page, then its year or country."""
    return "_".join(str(x) for x in (page, year, iso3) if x)
