"""The house style checked over what readers see: the i18n catalogues, every view of every app
page (its blocks, both languages) and every page of the static edition (its HTML).

    python -m nexidash.stylescan [--edition DIR]     a report of every finding, by source

Each finding says where its text came from: the catalogue key whose template made it (found by
matching the text against every template), else the page or file, so whoever owns that
source can fix it.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import blocks as b
from . import i18n, paths, style, tables


@dataclass(frozen=True)
class Hit:
    where: str  # the page view or file
    lang: str
    kind: str
    code: str
    match: str
    text: str
    source: str  # the catalogue key whose template made the text, or "" if none did


# --- the words -------------------------------------------------------------------------------
def block_texts(blocks, lang: str) -> list[tuple[str, str]]:
    """Every text of a page's blocks with its kind (style.PROSE, HEADING, LABEL, CELL)."""
    out = []

    def add(kind, text):
        if isinstance(text, str) and text.strip():
            out.append((kind, text))

    for block in b.walk(blocks):
        if isinstance(block, b.Heading):
            add(style.HEADING, block.text)
        elif isinstance(block, (b.Text, b.Caption, b.Callout, b.Code)):
            add(style.PROSE, block.text)
        elif isinstance(block, b.Bullets):
            for item in block.items:
                add(style.PROSE, item.text)
                add(style.PROSE, item.note)
                if item.link:
                    add(style.LABEL, item.link.label)
        elif isinstance(block, b.Link):
            add(style.LABEL, block.label)
        elif isinstance(block, b.Metrics):
            for m in block.items:
                add(style.LABEL, m.label)
                add(style.CELL, m.value)
                add(style.CELL, m.delta)
                add(style.PROSE, m.delta_description)
                add(style.PROSE, m.help)
        elif isinstance(block, b.Chart):
            add(style.HEADING, block.title)
            add(style.PROSE, block.summary)
            add(style.PROSE, block.note)
            for plot in block.plots:
                add(style.LABEL, plot.label)
        elif isinstance(block, b.Details):
            add(style.HEADING, block.title)
        elif isinstance(block, b.Download):
            add(style.LABEL, block.label)
        elif isinstance(block, b.Controls):
            for c in block.items:
                add(style.LABEL, c.label)
                for option in c.options:
                    add(style.LABEL, c.label_of(option))
        if isinstance(block, (b.Chart, b.Table, b.Data)):
            out.extend(_table_texts(block.data, block.labels, lang))
    return out


def _table_texts(data, labels, lang: str) -> list[tuple[str, str]]:
    out = []
    for col in data.columns:
        out.append((style.LABEL, tables.header(str(col), lang, labels)))
        if data[col].dtype.kind == "O":
            out += [(style.CELL, v) for v in data[col].tolist() if isinstance(v, str)]
    return out


_HTML_KINDS = {"h1": style.HEADING, "h2": style.HEADING, "h3": style.HEADING,
               "h4": style.HEADING, "h5": style.HEADING, "h6": style.HEADING,
               "summary": style.HEADING, "title": style.HEADING, "th": style.LABEL,
               "td": style.CELL, "label": style.LABEL, "option": style.LABEL,
               "p": style.PROSE, "li": style.PROSE, "figcaption": style.PROSE,
               "caption": style.PROSE, "dd": style.PROSE, "dt": style.LABEL,
               "pre": style.PROSE}


def html_texts(html: str) -> list[tuple[str, str]]:
    """The visible text of an HTML page (no <script> or <style>), by the kind of its element;
    a link standing alone in a list or the navigation is a label."""
    from lxml import html as lhtml

    root = lhtml.fromstring(html)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    out = []
    for el in root.iter():
        kind = _HTML_KINDS.get(el.tag if isinstance(el.tag, str) else "")
        if not kind:
            continue
        text = " ".join(el.text_content().split())
        if not text:
            continue
        if kind == style.PROSE and len(el) == 1 and el[0].tag == "a" and \
                " ".join(el[0].text_content().split()) == text:
            kind = style.LABEL
        out.append((kind, text))
    for link in root.xpath("//nav//a"):  # the navigation names the pages as headings do
        out.append((style.HEADING, " ".join(link.text_content().split())))
    for attr in root.xpath("//meta[@name='description']/@content|//img/@alt"):
        out.append((style.PROSE, str(attr)))
    return out


# --- where a text came from ------------------------------------------------------------------
@cache
def _templates(lang: str) -> list[tuple[str, re.Pattern]]:
    out = []
    for key, template in i18n.catalogue(lang).items():
        parts = re.split(r"\{[^{}]*\}", template)
        if sum(len(p) for p in parts) < 4:
            continue  # "{a}{b}": matches anything, says nothing
        body = "(?:.*?)".join(re.escape(p) for p in parts)
        out.append((key, re.compile(body, re.DOTALL), sum(len(p) for p in parts)))
    return out


def source_of(text: str, match: str, lang: str) -> str:
    """The catalogue key whose template made the part of `text` around `match`: of the
    templates found in the text around the match, the one with the most words of its own
    ("{fy}: {amount}" says less than "largest is {first}, followed by {second}"), or ""."""
    best = ("", 0)
    at = text.find(match)
    for key, pattern, own in _templates(lang):
        for m in pattern.finditer(text):
            if m.start() <= at and at + len(match) <= m.end() and own > best[1]:
                best = (key, own)
    return best[0]


# --- the scans -------------------------------------------------------------------------------
@cache
def proper_names() -> frozenset:
    """The words of every English name in the data tables (countries, regions, products,
    partners, offices): a heading keeps them capitalised."""
    import pandas as pd

    words = set()
    for path in sorted(paths.TABLES_DIR.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str)
        for col in frame.columns:
            if col == "name_en" or col.endswith("_en"):
                for name in frame[col].dropna():
                    if len(str(name)) < 80:  # a name, not a sentence
                        words |= set(re.findall(r"[\w'’/.&()-]+", str(name)))
    return frozenset(w for w in words if w[:1].isupper())


def every_view():
    """(where, lang, blocks) for every view of every app page: the default, then each option of
    each control the default offers, then each fiscal year (as tests/test_house.py walks them)."""
    from . import site
    from .view import View

    for page in site.PAGES:
        probe = View("ja")
        page.load().build(probe)
        views = [{}]
        for control in probe.controls.values():
            views += [{control.key: o} for o in control.options if o != control.default]
        for overrides in views:
            for lang in i18n.LANGS:
                v = View(lang, overrides.get("year"),
                         chooser=lambda c, o=overrides: o.get(c.key, c.default))
                where = page.path + "".join(f"?{k}={x}" for k, x in overrides.items())
                yield where, lang, page.load().build(v)


def scan(texts, lang: str, where: str, proper=frozenset()) -> list[Hit]:
    hits = []
    seen = set()
    for kind, text in texts:
        if (kind, text) in seen:
            continue
        seen.add((kind, text))
        for f in style.check(text, lang, kind, proper):
            hits.append(Hit(where, lang, kind, f.code, f.match, text,
                            source_of(text, f.match, lang)))
    return hits


def scan_catalogues() -> list[Hit]:
    """The catalogues' templates themselves (placeholders left in): a key's file is its source."""
    hits = []
    for lang in i18n.LANGS:
        for key, text in i18n.catalogue(lang).items():
            kind = style.HEADING if key.startswith("page.") or key.endswith(
                (".title", ".heading")) else style.PROSE
            for f in style.check(text, lang, kind):
                hits.append(Hit("i18n", lang, kind, f.code, f.match, text, key))
    return hits


def scan_edition(root: Path, proper=frozenset()) -> list[Hit]:
    hits = []
    for lang in i18n.LANGS:
        for path in sorted((root / lang).rglob("*.html")):
            texts = html_texts(path.read_text(encoding="utf-8"))
            hits += scan(texts, lang, str(path.relative_to(root)), proper)
    return hits


def _page(where: str) -> str:
    """The page a view or file belongs to: country?iso3=EGY and en/country/EGY/ are country."""
    parts = where.split("?")[0].split("/")
    return parts[1] if len(parts) > 2 else parts[0]


def _group(h: Hit) -> tuple:
    return (h.source or "page:" + _page(h.where), h.lang, h.code, h.match)


def report(hits: list[Hit]) -> str:
    """One line per distinct (source, rule, match), with how often and one example."""
    count = Counter(_group(h) for h in hits)
    example = {}
    for h in hits:
        example.setdefault(_group(h), h)
    lines = []
    for key in sorted(count):
        h = example[key]
        lines.append(f"{key[0]}\t{key[1]}\t{key[2]}\t{key[3]!r}\t×{count[key]}\t{h.where}\t"
                     f"{h.text[:120]!r}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edition", type=Path, help="a built static edition to scan too")
    ap.add_argument("--app", action="store_true", help="scan every view of every app page")
    args = ap.parse_args(argv)
    hits = scan_catalogues()
    proper = proper_names()
    if args.app:
        for where, lang, blocks in every_view():
            hits += scan(block_texts(blocks, lang), lang, where, proper)
    if args.edition:
        hits += scan_edition(args.edition, proper)
    print(report(hits))
    scope = Counter(("i18n" if h.where == "i18n" else "edition" if h.where.endswith(".html")
                     else "app", h.code) for h in hits)
    for (where, code), n in sorted(scope.items()):
        print(f"{where}\t{code}\t{n}", file=sys.stderr)
    print(f"{len(hits)} findings", file=sys.stderr)
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
