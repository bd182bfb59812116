"""The prose says where it comes from, and says only what the report does.

Every glossary entry, product description and page introduction names the report section it
rests on (nexidash/sources.py), and that section is really in the report. The wordings an
editor found overclaiming are held to the figures that contradicted them (CHANGES.md, "Wording
corrections, issue 20").
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from nexidash import glossary, i18n, site, sources
from nexidash.blocks import Caption, Text, walk
from nexidash.schema import PRODUCTS
from nexidash.view import View

REPORT = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_34803cd1d71dce87.txt"
TABLES = Path(__file__).resolve().parents[1] / "data" / "tables"
# A section heading sits on the same report page as its chapter's name (the page footer names
# both); a page of the text is well under this many characters.
SAME_PAGE = 1200
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


def _squeeze(text: str) -> str:
    """The text with all whitespace gone: the PDF's extraction breaks lines and words anywhere."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def report() -> str:
    if not REPORT.exists():
        pytest.skip("the report's text is not on this machine")
    return _squeeze(REPORT.read_text(encoding="utf-8"))


def _at(report: str, needle: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(_squeeze(needle)), report)]


def test_every_glossary_entry_and_product_description_names_its_section():
    """Test that each glossary term and each product description has at least one section, and
    that each sourced text exists in both languages."""
    for term in glossary.BASE_TERMS:
        assert sources.SOURCES.get(f"glossary.def.{term}"), term
    for product in PRODUCTS:
        assert sources.SOURCES.get(f"product.desc.{product}"), product
    for key in sources.SOURCES:
        for lang in i18n.LANGS:
            assert i18n.translate(lang, key) != key, (lang, key)


def test_every_named_section_is_in_the_report(report):
    """Test that each section's Japanese heading occurs in the report on the same page as its
    chapter's name, and that its English gloss is English."""
    for key, secs in sources.SOURCES.items():
        for s in secs:
            chapter, heading = _at(report, s.chapter_ja), _at(report, s.section_ja)
            assert chapter, (key, s.chapter_ja)
            assert heading, (key, s.section_ja)
            assert min(abs(a - b) for a in chapter for b in heading) < SAME_PAGE, (key, s)
            assert s.en.strip() and not CJK.search(s.en), (key, s.en)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_each_sourced_text_shows_its_source_under_it(lang):
    """Test that on the glossary, products and introduced pages, the block after each sourced
    text is its 出典／Source line, naming the section in the page's language."""
    v = View(lang)
    texts = {i18n.translate(lang, k, year=v.report_year): k for k in sources.SOURCES}
    seen = set()
    for page in site.PAGES:
        flat = list(walk(page.load().build(View(lang))))
        for here, after in zip(flat, flat[1:] + [None]):
            key = texts.get(here.text) if isinstance(here, Text) else None
            if key is None:
                continue
            seen.add(key)
            assert isinstance(after, Caption) and after.text == sources.line(v, key), key
            first = sources.SOURCES[key][0]
            assert (first.section_ja if lang == "ja" else first.en) in after.text
            assert lang == "ja" or not CJK.search(after.text), after.text
    assert seen == set(sources.SOURCES)


# -- the corrected wordings, held to the figures ------------------------------------------------
def _round(mjpy: int, per: int, places: int) -> str:
    """Million yen in 億円 (per=100) or ¥ billion (per=1000), rounded half up as the report
    rounds (41,695 百万円 is 417.0億円), with thousands separators."""
    q = (Decimal(mjpy) / per).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,}"


def _statement(item_ja: str) -> int:
    fs = pd.read_csv(TABLES / "financial_statements.csv")
    return int(fs.loc[fs["item_ja"] == item_ja, "amount_mjpy"].iloc[0])


def test_contingency_reserve_entry_matches_fy2024_provision():
    """Test that the catastrophe reserve's entry says what FY2024's statements show: a provision
    (417.0億円 added), not a draw-down, in the year of record claims."""
    provision = _statement("異常危険準備金繰入額")  # 41,695 百万円 on the income statement
    assert provision > 0
    ja = i18n.translate("ja", "glossary.def.contingency_reserve")
    en = i18n.translate("en", "glossary.def.contingency_reserve")
    assert f"{_round(provision, 100, 1)}億円が繰り入れられました" in ja
    assert f"about ¥{_round(provision, 1000, 1)} billion was added" in en
    assert "取り崩されます" not in ja and "drawn down in" not in en


def test_underwriting_reserve_entry_gives_its_true_make_up():
    """Test that the policy reserve's entry gives its parts as the balance sheet does: mostly the
    catastrophe reserve, not unearned premiums."""
    total, unearned, catastrophe = (_statement(i) for i in ("責任準備金", "未経過保険料",
                                                            "異常危険準備金"))
    # The printed parts miss the printed total by 1 (each line is rounded to the million).
    assert abs(total - unearned - catastrophe) <= 1 and catastrophe > unearned
    ja = i18n.translate("ja", "glossary.def.underwriting_reserve")
    en = i18n.translate("en", "glossary.def.underwriting_reserve")
    assert f"大部分（約{_round(catastrophe, 100, 0)}億円）が異常危険準備金" in ja
    assert f"未経過保険料は約{_round(unearned, 100, 0)}億円" in ja
    most = f"most of it (about ¥{_round(catastrophe, 1000, 1)} billion) the catastrophe reserve"
    assert most in en
    assert f"about ¥{_round(unearned, 1000, 1)} billion unearned premiums" in en
    assert "chiefly of the premiums" not in en


def test_lead_is_described_with_the_reports_own_verb(report):
    """Test that the LEAD entry and page say LEAD actively rates and supports projects (the
    report's 積極的に評価・支援), not that it gives better terms."""
    assert _at(report, "積極的に評価・支援")
    for key in ("glossary.def.lead", "lead.intro"):
        assert "積極的に評価・支援" in i18n.translate("ja", key)
        en = i18n.translate("en", key)
        assert "actively rate" in en
        assert not re.search(r"generous|priority|favourable", en), en
    assert "手厚い" not in i18n.translate("ja", "glossary.def.lead")


def test_general_trade_share_is_the_reports():
    """Test that the share the description gives for general trade insurance is its share of
    FY2024 underwriting as the report's totals give it."""
    stats = pd.read_csv(TABLES / "product_stats.csv")
    totals = pd.read_csv(TABLES / "report_totals.csv")
    mine = stats[(stats["product"] == "general_trade") & (stats["measure"] == "underwriting")
                 & (stats["risk"] == "total")
                 & (stats["fiscal_year"] == 2024)]["amount_mjpy"].iloc[0]
    total = totals[(totals["measure"] == "underwriting") & (totals["fiscal_year"] == 2024)
                   & (totals["risk"] == "total")]["amount_mjpy"].iloc[0]
    share = f"{100 * mine / total:.1f}"
    assert f"{share}％" in i18n.translate("ja", "product.desc.general_trade")
    assert f"{share}%" in i18n.translate("en", "product.desc.general_trade")
