"""The house style (STYLE.md, nexidash/style.py) holds on every page of both editions.

Each rule is first shown to catch a planted bad string and to pass the good one; then the
catalogues, every view of every app page and every page of the static edition are scanned.
Findings in text other helpers own right now (the findings, press sentences, chart summaries,
glossary and press kit) are listed per source in PENDING instead of fixed here: a new finding
anywhere fails, and the report printed on failure names the catalogue key that made the text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from nexidash import blocks as b
from nexidash import db, i18n, style, stylescan

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_34803cd1d71dce87.txt"

# Sources being rewritten by others while this rule set lands: key prefixes and catalogue files.
OTHERS_PREFIXES = ("find.", "press.s.", "describe.", "glossary.", "presskit.")
# What the scans found in those sources (source key prefix, language, rule), to be fixed by
# their owners; the lead deletes a line when its source is fixed. A finding not listed fails.
PENDING: set = set()  # every source above is fixed; a finding anywhere now fails


def _owned_by_others(hit: stylescan.Hit) -> bool:
    return hit.source.startswith(OTHERS_PREFIXES)


def _check_hits(hits):
    mine = [h for h in hits if not _owned_by_others(h)]
    assert not mine, "style findings:\n" + stylescan.report(mine)
    new = [h for h in hits if _owned_by_others(h) and not any(
        h.source.startswith(p) and (h.lang, h.code) == (lang, code) for p, lang, code in PENDING)]
    assert not new, "new findings in others' sources:\n" + stylescan.report(new)


# --------------------------------------------------------------- each rule, planted

BAD = [
    # (code, lang, kind, bad text, the good text)
    ("pct_ja", "ja", style.PROSE, "構成比は50.6%です。", "構成比は50.6％です。"),
    ("pct_en", "en", style.PROSE, "A share of 50.6％.", "A share of 50.6%."),
    ("black_triangle", "ja", style.CELL, "▲ +312.3%", "+312.3％"),
    ("black_triangle", "en", style.CELL, "▼ -4.4%", "-4.4%"),
    ("triangle_plus", "ja", style.CELL, "△+4.4％", "△4.4％"),
    ("triangle_en", "en", style.CELL, "△4.4%", "-4.4%"),
    ("minus_ja", "ja", style.CELL, "-4.4％", "△4.4％"),
    ("minus_ja", "ja", style.PROSE, "（-42.4ポイント）", "（△42.4ポイント）"),
    ("sign_and_word_ja", "ja", style.PROSE, "約449億円増（+5.9％増）", "約449億円増（5.9％増）"),
    ("sign_and_word_ja", "ja", style.PROSE, "前年度比△4.4％減", "前年度比4.4％減"),
    ("sign_and_word_ja", "ja", style.PROSE, "約4,049億円減（△64.6％）", "約4,049億円減（64.6％減）"),
    ("signed_prose_ja", "ja", style.PROSE, "前年度比+3.8％となりました。", "前年度比3.8％増となりました。"),
    ("iso_date_ja", "ja", style.PROSE, "2025-03末時点。", "2025年3月末時点。"),
    ("iso_date_ja", "ja", style.PROSE, "公表：2024-12", "公表：2024年12月"),
    ("iso_date_en", "en", style.PROSE, "Announced: 2024-12", "Announced: December 2024"),
    ("us_date_en", "en", style.PROSE, "As of March 31, 2025", "As of 31 March 2025"),
    ("hyakuman_ja", "ja", style.PROSE, "前年度は約17百万円", "前年度は約1,700万円"),
    ("hyakuman_ja", "ja", style.CELL, "17百万円", "1,700万円"),
    ("article_en", "en", style.HEADING, "Projects in United Arab Emirates (2)",
     "Projects in the United Arab Emirates (2)"),
    ("article_en", "en", style.PROSE, "followed by Middle East, 11.4%",
     "followed by the Middle East, 11.4%"),
    ("term_ja", "ja", style.PROSE, "ワンストップショップ再保険の協定", "One-Stop-Shop再保険の協定"),
    ("term_ja", "ja", style.LABEL, "OSS再保険", "One-Stop-Shop再保険"),
    ("term_ja", "ja", style.PROSE, "LEADプロジェクトの印", "LEAD案件の印"),
    ("term_ja", "ja", style.HEADING, "保険種", "保険種別"),
    ("term_ja", "ja", style.HEADING, "地域", "地域別"),
    ("term_en", "en", style.PROSE, "Projects in Turkey", "Projects in Türkiye"),
    ("term_en", "en", style.PROSE, "the contingency reserve", "the catastrophe reserve"),
    ("term_en", "en", style.PROSE, "the premiums it earned", "the premiums it wrote"),
    ("term_en", "en", style.LABEL, "OSS reinsurance", "One-Stop-Shop reinsurance"),
    ("heading_case_en", "en", style.HEADING, "Claims Paid By Region", "Claims paid by region"),
]


@pytest.mark.parametrize("code, lang, kind, bad, good", BAD, ids=[f"{x[0]}-{x[3]}" for x in BAD])
def test_rule_catches_planted_bad_text(code, lang, kind, bad, good):
    """Test that each rule flags its planted bad example and passes the good one."""
    assert code in {f.code for f in style.check(bad, lang, kind)}, bad
    assert not style.check(good, lang, kind), (good, style.check(good, lang, kind))


@pytest.mark.parametrize("lang, kind, text", [
    ("ja", style.LABEL, "保険種"),                      # a table's column, as the report's
    ("ja", style.HEADING, "保険引受実績の推移：全保険種（億円）"),
    ("ja", style.LABEL, "金額（百万円）"),               # a unit header may be 百万円
    ("ja", style.PROSE, "単位：百万円"),
    ("ja", style.PROSE, "2020〜2024年度"),              # a range is no minus
    ("ja", style.PROSE, "%{y:,.1f}兆円"),               # a Plotly hover template
    ("en", style.PROSE, "Where: Dubai, United Arab Emirates"),  # an address
    ("en", style.LABEL, "United Arab Emirates"),        # a bare name is a label
    ("en", style.HEADING, "Underwriting over five years: All regions (¥ billion)"),
    ("en", style.HEADING, "Japan's exports to the United States"),
    ("en", style.PROSE, "Insurance policy reserves"),   # 保険契約準備金, not 責任準備金
])
def test_rules_leave_good_text_alone(lang, kind, text):
    """Test that what the style allows (units, ranges, addresses, labels) is not flagged."""
    assert not style.check(text, lang, kind), style.check(text, lang, kind)


def test_en_name_adds_the_article_where_a_name_needs_it():
    """Test that en_name gives a name its article in a sentence, capitalised at its head."""
    assert style.en_name("Philippines") == "the Philippines"
    assert style.en_name("Middle East", start=True) == "The Middle East"
    assert style.en_name("Egypt") == "Egypt"
    assert style.name_in_sentence("フィリピン", "ja") == "フィリピン"


def test_dates_and_words_by_language():
    """Test that months read 2024年12月 / December 2024, balance dates 2025年3月末 / 31 March 2025,
    and counts with a territory read 国・地域 / countries and territories."""
    assert style.month(2024, 12, "ja") == "2024年12月"
    assert style.month(2024, 12, "en") == "December 2024"
    assert style.iso_month("2025-03", "ja", end=True) == "2025年3月末"
    assert style.iso_month("2025-03", "en", end=True) == "31 March 2025"
    assert style.iso_month("2024-02", "en", end=True) == "29 February 2024"
    assert style.countries_word(["CHN", "TWN"], "ja") == "国・地域"
    assert style.countries_word(["CHN", "USA"], "ja") == "国"
    assert style.countries_word(["HKG"], "en") == "countries and territories"


@pytest.mark.parametrize("delta, way", [
    ("+3.8%", 1), ("-4.4%", -1), ("△4.4％", -1), ("0.0％", 0), ("+308.4 pts", 1), (None, None)])
def test_direction_reads_both_minus_signs(delta, way):
    """Test that a change's direction is read from △ as well as from -."""
    assert style.direction(delta) == way


def test_report_prints_every_canonical_japanese_term():
    """Test that each canonical Japanese term is the report's own (it occurs in its text)."""
    if not SEED.exists():
        pytest.skip("the report's text is not on this machine")
    text = SEED.read_text(encoding="utf-8")
    for canon in [*style.TERMS_JA, *style.TERMS_JA_HEADING]:
        assert canon in text, canon


# ------------------------------------------------------------ one name per code

@pytest.mark.parametrize("query, params", [
    ("top_countries", {}),
    ("recoveries_by_country", {"fiscal_year": 2024}),
    ("country_recoveries", {"iso3": "IRQ"}),
    ("country_exports", {"iso3": "USA"}),
    ("partner_countries", {}),
    ("country_index", {}),
])
def test_country_names_come_from_one_vocabulary(query, params):
    """Test that every query naming a country by its code names it as country_regions does."""
    vocab = db.run("country_index").set_index("iso3")
    rows = db.run(query, **params)
    rows = rows[rows["iso3"].notna()]
    assert len(rows)
    for lang in i18n.LANGS:
        got = dict(zip(rows["iso3"], rows[f"name_{lang}"]))
        wrong = {k: n for k, n in got.items() if n != vocab.at[k, f"name_{lang}"]}
        assert not wrong, (query, lang, wrong)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_count_with_a_territory_says_so(lang, built_db):
    """Test that the partners page's count of countries, which includes Taiwan, is labelled
    国・地域 / countries and territories."""
    from nexidash import site
    from nexidash.view import View

    page = next(p for p in site.PAGES if p.path == "partners")
    codes = db.run("partner_countries")["iso3"]
    word = style.countries_word(codes, lang)
    assert word in ("国・地域", "countries and territories")
    labels = [m.label for blk in b.walk(page.load().build(View(lang)))
              if isinstance(blk, b.Metrics) for m in blk.items
              if m.value == f"{codes.nunique():,}"]
    assert labels and all(word in label.lower() for label in labels), labels


def test_no_table_names_turkey_by_its_old_english_name():
    """Test that no data table writes Turkey in English (the style's name is Türkiye)."""
    from nexidash import paths

    for path in sorted(paths.TABLES_DIR.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str)
        for col in [c for c in frame.columns if c.endswith("_en")]:
            assert not frame[col].fillna("").str.contains(r"\bTurkey\b").any(), (path.name, col)


# ------------------------------------------------------------------ the scans

def test_scan_finds_a_planted_finding_and_names_its_source():
    """Test that the page scan reads a block's text, finds a planted error and names the
    catalogue key whose template made it."""
    text = i18n.translate("en", "country.projects_title", name="United Arab Emirates", n=2)
    blocks = [b.Heading(text, 2), b.Metrics((b.Metric("x", "1", delta="▲ +1.0%"),))]
    hits = stylescan.scan(stylescan.block_texts(blocks, "en"), "en", "planted")
    assert {(h.code, h.source) for h in hits} >= {("article_en", "country.projects_title"),
                                                   ("black_triangle", "")}
    html = "<html><body><nav><a href='/'>保険種</a></nav><p>50.6%</p><script>'%'</script></body></html>"
    found = stylescan.scan(stylescan.html_texts(html), "ja", "planted.html")
    assert sorted(h.code for h in found) == ["pct_ja", "term_ja"]


def test_catalogues_follow_the_style():
    """Test that no catalogue template breaks a rule (placeholders left in)."""
    _check_hits(stylescan.scan_catalogues())


@pytest.mark.long
def test_every_app_page_follows_the_style(built_db):
    """Test that every view of every app page, in both languages, follows the style."""
    proper = stylescan.proper_names()
    hits = []
    for where, lang, blocks in stylescan.every_view():
        hits += stylescan.scan(stylescan.block_texts(blocks, lang), lang, where, proper)
    _check_hits(hits)


def test_every_static_page_follows_the_style(edition_dir):
    """Test that the visible text of every page of the static edition, /ja/ and /en/, follows
    the style."""
    pages = list((Path(edition_dir) / "ja").rglob("*.html"))
    assert len(pages) > 50
    _check_hits(stylescan.scan_edition(Path(edition_dir), stylescan.proper_names()))


def test_no_text_marks_a_change_with_a_black_triangle():
    """Test that no code or catalogue writes ▲ (it means minus in Japanese finance)."""
    root = Path(__file__).resolve().parents[1]
    files = [*root.glob("nexidash/*.py"), *root.glob("pages/*.py"),
             *root.glob("nexidash/i18n/*.json"), *root.glob("nexidash/templates/*")]
    offenders = [str(f.relative_to(root)) for f in files
                 if f.name not in ("style.py",) and re.search("[▲▼]", f.read_text("utf-8"))]
    assert not offenders, offenders
