"""Cite and reuse: every page, in the static edition and the dashboard, in both languages, says
how to cite it (text in both languages, BibTeX that parses, CSL-JSON with the fields a
reference manager needs) and under which licence, naming the report, the site, the page's URL
and the data version."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from nexidash import cite, i18n, site, urls
from nexidash.version import data_version
from nexidash.view import View
from tests.helpers import PAGES, open_direct

# CSL 1.0.2's item types (citationstyles.org, csl-data.json).
CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage"}


# -- a tiny BibTeX reader ---------------------------------------------------------------------
def _braced(text: str, i: int) -> tuple[str, int]:
    """The text of the {...} group opening at text[i], and the index after it."""
    assert text[i] == "{", text[i:i + 20]
    depth, j = 0, i
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        depth += (c == "{") - (c == "}")
        if depth == 0:
            return text[i + 1:j], j + 1
        j += 1
    raise AssertionError(f"unbalanced braces from {text[i:i + 40]!r}")


def parse_bibtex(text: str) -> list[dict]:
    """Entries as {"type", "key", field: value}; anything that is not an entry fails."""
    entries, i = [], 0
    entry = re.compile(r"\s*@(\w+)\{([A-Za-z0-9_:-]+),")
    field = re.compile(r"\s*([a-z]+)\s*=\s*")
    while text[i:].strip():
        m = entry.match(text, i)
        assert m, f"not an entry at {text[i:i + 40]!r}"
        item, i = {"type": m.group(1), "key": m.group(2)}, m.end()
        while True:
            f = field.match(text, i)
            assert f, f"not a field at {text[i:i + 40]!r}"
            value, i = _braced(text, f.end())
            assert f.group(1) not in item, f.group(1)
            item[f.group(1)] = value
            rest = re.match(r"\s*(,?)\s*(\}?)", text[i:])
            i += rest.end()
            if rest.group(2):
                break
            assert rest.group(1), f"a field not followed by a comma at {text[i:i + 40]!r}"
        # An unescaped TeX special character breaks a build of the bibliography.
        for name, value in item.items():
            if name not in ("url", "key", "type"):
                assert not re.search(r"(?<!\\)[&%$#_]", value), (name, value)
        entries.append(item)
    return entries


def check_citation(block, urls_by_lang: dict, version: str) -> None:
    texts = dict(block.texts)
    assert set(texts) == set(i18n.LANGS)
    for lang, text in texts.items():
        assert urls_by_lang[lang] in text and version in text
        assert cite.report_title(2024) in text
        assert i18n.translate(lang, "site.name", year=2024) in text
    bib = parse_bibtex(block.bibtex)
    assert [e["language"] for e in bib] == ["japanese", "english"]
    for entry, lang in zip(bib, i18n.LANGS):
        assert entry["type"] == "misc"
        assert entry["url"] == urls_by_lang[lang] and entry["version"] == version
        assert entry["year"] == "2025" and entry["author"].startswith("{")
        assert cite.report_title(2024) in entry["note"]
    items = json.loads(block.csl_json)
    assert [x["language"] for x in items] == list(i18n.LANGS)
    for item, lang in zip(items, i18n.LANGS):
        assert item["type"] in CSL_TYPES and item["id"]
        assert item["title"] and item["author"][0]["literal"]
        assert item["issued"]["date-parts"] == [[2025]]
        assert item["URL"] == urls_by_lang[lang] and item["version"] == version
    assert len({x["id"] for x in items} | {e["key"] for e in bib}) == 2


# -- the block --------------------------------------------------------------------------------
def test_a_citation_names_the_report_the_site_the_url_and_the_data_version():
    """Test that a page's citation, as text in both languages, BibTeX and CSL-JSON, names the report, the site, the page's URL in each language and the data version."""
    page = next(p for p in site.PAGES if p.path == "regions")
    v = View("en", 2022)
    by_lang = {x: urls.absolute(urls.page(x, "regions", 2022)) for x in i18n.LANGS}
    block = cite.for_view(v, page, by_lang.get)
    check_citation(block, by_lang, data_version())
    assert dict(block.texts)["en"].count("Regions (FY2022)") == 1
    assert "地域別の実績（2022年度）" in dict(block.texts)["ja"]
    assert parse_bibtex(block.bibtex)[0]["key"] == "nexi_regions_2022_ja"


def test_bibtex_fields_escape_what_tex_reads_as_commands():
    """Test that a title with TeX's special characters comes out escaped and still parses."""
    entry = cite.bibtex("k", "en", "R&D: 5% of #1_a {b}", "http://x/?a=1&b=2", 2024, "v1")
    [parsed] = parse_bibtex(entry)
    assert parsed["title"] == r"R\&D: 5\% of \#1\_a \{b\}"
    assert parsed["url"] == "http://x/?a=1&b=2"


def test_the_bibtex_check_refuses_a_broken_entry():
    """Test that the tiny BibTeX reader fails on an unclosed brace and an unescaped &."""
    good = cite.bibtex("k", "en", "Title", "http://x/", 2024, "v1")
    with pytest.raises(AssertionError):
        parse_bibtex(good[:-1])
    with pytest.raises(AssertionError):
        parse_bibtex(good.replace("Title", "R&D"))


def test_the_licence_is_a_setting():
    """Test that NEXI_LICENSE chooses the licence every page names: a known SPDX id with its name and text in each language, another id as given."""
    default = cite.license_({})
    assert default.spdx == "CC-BY-4.0"
    assert default.url("ja").endswith("deed.ja") and "CC BY 4.0" in default.name("en")
    other = cite.license_({"NEXI_LICENSE": "ODbL-1.0"})
    assert (other.spdx, other.name("ja"), other.url("en")) == ("ODbL-1.0", "ODbL-1.0", "")
    block = cite.block("en", "k", {x: "T" for x in i18n.LANGS}, {x: "u" for x in i18n.LANGS},
                       2024, ver="v", lic=other)
    assert block.license_name == "ODbL-1.0" and "ODbL-1.0" in block.license_spdx


# -- the static edition -----------------------------------------------------------------------
def _static_pages(root: Path) -> list[Path]:
    """Every page of content (not the search pages, which cite nothing)."""
    return sorted(p for p in root.rglob("index.html")
                  if p.parent != root and p.relative_to(root).parts[0] in i18n.LANGS
                  and p.relative_to(root).parts[1:2] != ("search",))


def test_every_static_page_shows_its_citation_and_licence(edition_dir):
    """Test that every static page, in both languages, ends with its citation (its own URL in each language, the data version), BibTeX that parses, CSL-JSON, and the licence."""
    version = data_version()
    lic = cite.license_()
    pages = _static_pages(edition_dir)
    assert len(pages) > 100
    for path in pages:
        rel = "/" + path.parent.relative_to(edition_dir).as_posix() + "/"
        if rel in [urls.home(x) for x in i18n.LANGS]:
            rel = urls.page(rel.strip("/"), "overview")  # a copy of the overview cites it
        text = path.read_text(encoding="utf-8")
        start = text.find('<section class="cite"')
        assert start > text.find('<main id="main"') > 0, rel
        part = text[start:text.index("</section>", start)]
        lang = rel.split("/")[1]
        other = next(x for x in i18n.LANGS if x != lang)
        by_lang = {lang: urls.absolute(rel), other: urls.absolute(f"/{other}{rel[3:]}")}
        texts = tuple((m[0], html.unescape(m[1])) for m in
                      re.findall(r'<p class="citation" lang="(\w+)">(.*?)</p>', part))
        bib, csl = (html.unescape(x) for x in re.findall(r'<pre class="code">(.*?)</pre>',
                                                         part, re.S))
        # What the page shows, read back as the block it was drawn from.
        check_citation(SimpleNamespace(texts=texts, bibtex=bib, csl_json=csl), by_lang, version)
        assert f'<a rel="license" href="{lic.url(lang)}">{lic.name(lang)}</a>' in part, rel
        assert lic.spdx in part, rel


# -- the dashboard ----------------------------------------------------------------------------
@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_every_app_page_shows_its_citation_and_licence(page, lang):
    """Test that every page of the dashboard, in both languages, ends with its citation naming its own URL (with its year where it has one) and the data version, BibTeX, CSL-JSON and the licence."""
    at = open_direct(page, lang=lang)
    assert not at.exception
    version = data_version()
    lic = cite.license_()
    codes = [c.value for c in at.code]
    the_page = next(p for p in site.PAGES if p.path == page)
    params = {"year": 2024} if the_page.uses_year else {}
    by_lang = {x: urls.absolute(urls.app_url(x, page, params, the_page == site.DEFAULT_PAGE))
               for x in i18n.LANGS}
    check_citation(SimpleNamespace(texts=tuple(zip(i18n.LANGS, codes[-4:-2])),
                                   bibtex=codes[-2], csl_json=codes[-1]), by_lang, version)
    assert at.subheader[-1].value == i18n.translate(lang, "cite.title")
    link = f"[{lic.name(lang)}]({lic.url(lang)})"
    assert any(link in m.value and lic.spdx in m.value for m in at.markdown)
