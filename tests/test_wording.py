"""Headings and interface words say what the report says: the customer cases are mid-sized and
small companies' (中堅・中小企業), dates read as the house writes them, and English pages give the
report's sections in English."""

import re

import pytest

from nexidash import blocks, i18n
from nexidash.blocks import Heading, Source
from nexidash.view import View
from tests.helpers import ROOT

CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


def _walk(page_blocks):
    """Every block, those inside columns, folds and metric rows included."""
    for b in blocks.walk(page_blocks):
        yield b
        if isinstance(b, blocks.Metrics):
            yield from b.items


CASE_HEADINGS = {"ja": "中堅・中小企業", "en": "mid-sized and small companies"}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_case_headings_say_mid_sized_and_small(lang):
    """Test that the cases' headings on the network page and on a country view (Brazil: House
    Foods, not a small company) name mid-sized and small companies, never "SME" alone."""
    from pages import country, sme

    want = CASE_HEADINGS[lang]
    found = []
    for built in (sme.build(View(lang)), country.build(View(lang, fixed={"iso3": "BRA"}))):
        cases = [b.text for b in _walk(built) if isinstance(b, Heading)
                 and ("事例" in b.text or "case" in b.text.lower())]
        found += cases
        assert cases and all(want in h.lower() or want in h for h in cases), cases
    assert not any(re.search(r"\bSMEs?\b", h) for h in found), found
    for key in ("sme.cases_title", "sme.cases_legend", "country.sme_title",
                "country.n_sme_cases", "sme.title", "page.sme"):
        text = i18n.translate(lang, key)
        assert want in text.lower() or want in text, (key, text)


def test_as_of_dates_read_as_the_house_writes_them():
    """Test that a month means its end and a day itself: 2025年3月末現在 / As of 31 March 2025."""
    assert View("ja").as_of("2025-03") == "2025年3月末現在"
    assert View("en").as_of("2025-03") == "As of 31 March 2025"
    assert View("en").as_of("2024-02") == "As of 29 February 2024"
    assert View("ja").as_of("2025-04-01") == "2025年4月1日現在"
    assert View("en").as_of("2025-04-01") == "As of 1 April 2025"
    from pages import sme

    for lang, want in (("ja", "2025年3月末現在"), ("en", "As of 31 March 2025")):
        helps = [b.help for b in _walk(sme.build(View(lang)))
                 if type(b).__name__ == "Metric" and b.help]
        assert any(h.startswith(want) for h in helps), helps
        assert not any("2025-03" in h for h in helps)


def test_interface_words():
    """Test the skip link (the edition's template uses the key) and the press page's link label."""
    assert i18n.translate("en", "edition.skip") == "Skip to main content"
    assert 't("edition.skip")' in (ROOT / "nexidash/templates/page.html.j2").read_text("utf-8")
    assert i18n.translate("en", "kit.see") == "See the chart"
    assert i18n.translate("ja", "kit.see") == "グラフで見る"


def test_english_source_lines_name_the_sections_in_english():
    """Test that every source line an English page shows gives the report's section in English
    (catalog.csv's source_en), and the Japanese page the report's own name (source_ja)."""
    from nexidash import site

    en, ja = View("en"), View("ja")
    cat = en.q("catalog_entry", table_name="region_stats").iloc[0]
    assert cat["source_en"].startswith("NEXI's business results")
    shown = set()
    for page in site.PAGES:
        for b in _walk(page.load().build(View("en"))):
            if isinstance(b, Source):
                shown.add(b.table)
            elif type(b).__name__ == "Chart":
                shown.add(b.source)
    assert len(shown) >= 20
    for table in shown:
        row = en.q("catalog_entry", table_name=table).iloc[0]
        line = en.source_line(table)
        assert row["source_en"] in line and not CJK.search(line), (table, line)
        assert row["source_ja"] in ja.source_line(table)
