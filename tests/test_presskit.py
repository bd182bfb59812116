"""The press kit's files, as built with the static edition: each opens, says the app's figures,
and the pack holds everything it promises."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

import pytest
from PIL import Image

from nexidash import blocks, export, findings, i18n, press, presskit, site
from nexidash.view import View

YEAR = 2024


@pytest.fixture(scope="module")
def kit(edition_dir):
    names = presskit.file_names(YEAR)
    return {what: (edition_dir / "d" / name).read_bytes() for what, name in names.items()}


def _flat(text: str) -> str:
    return re.sub(r"[\s\x00]+", "", text)  # pypdf spaces out CJK text, or pads it with NULs


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_fact_sheet_is_one_a4_page_with_the_headline_figures(kit, lang):
    """Test that the fact sheet is one A4 page holding every headline sentence's figures and the source line."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(kit[f"factsheet_{lang}"]))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = _flat(reader.pages[0].extract_text())
    for sentence in press.sentences(View(lang))[:5]:
        assert _flat(sentence.text) in text, sentence.text
    expected = {"ja": ["約7.6兆円", "前年度比4.6％減", "約1,151億円", "年次報告書2024"],
                "en": ["about¥7.6trillion", "down4.6%", "about¥115.1billion", "AnnualReportFY2024"]}
    for figure in expected[lang]:
        assert figure in text, figure


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_deck_is_16_9_with_one_slide_per_key_chart(kit, lang):
    """Test that the deck opens with python-pptx, is 16:9, and gives each key chart a slide with its title, picture, sentence and source."""
    from pptx import Presentation

    deck = Presentation(io.BytesIO(kit[f"deck_{lang}"]))
    assert deck.slide_width * 9 == deck.slide_height * 16
    slides = list(deck.slides)
    assert len(slides) == 1 + len(presskit.DECK_CHARTS)
    v = View(lang)
    charts = {(p.path, c.key): c for p in site.PAGES for c in blocks.walk(p.load().build(v))
              if isinstance(c, blocks.Chart)}
    for slide, key in zip(slides[1:], presskit.DECK_CHARTS):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        chart = charts[key]
        assert texts[0] == chart.title
        assert chart.summary in texts and len(pictures) == 1
        # The foot names the source, and the unit the picture is drawn in (億円 / ¥ billion for
        # money, not the table's 百万円).
        source = v.source_line(chart.source).split(" · ")[0]
        foot = next(x for x in texts if x.startswith(source))
        if v.axis_unit in chart.title:
            assert foot.endswith(v.t("ui.unit", unit=v.axis_unit)), foot
        assert min(r.font.size.pt for s in slide.shapes if s.has_text_frame
                   for p in s.text_frame.paragraphs for r in p.runs) >= 12


def test_pack_holds_every_file_and_every_chart(kit):
    """Test that the pack has the README, sentences, findings, fact sheets, decks, every table as CSV and Excel, and every chart as PNG (2x) and SVG in both languages."""
    pack = zipfile.ZipFile(io.BytesIO(kit["pack"]))
    names = set(pack.namelist())
    assert {"README.txt", "sentences_ja.txt", "sentences_en.txt", "findings_ja.txt",
            "findings_en.txt", f"tables/nexi_fy{YEAR}_ja.xlsx",
            f"tables/nexi_fy{YEAR}_en.xlsx"} <= names
    assert {f"tables/{p.name}" for p in export.table_files()} <= names
    for what, name in presskit.file_names(YEAR).items():
        if what != "pack":
            assert pack.read(name) == kit[what]
    readme = pack.read("README.txt").decode("utf-8")
    assert f"Annual Report FY{YEAR}" in readme and f"年次報告書{YEAR}" in readme
    assert f"{YEAR + 1}-03-31" in readme
    expected = 0
    for lang in i18n.LANGS:
        for page in site.PAGES:
            for chart in blocks.walk(page.load().build(View(lang))):
                if not isinstance(chart, blocks.Chart):
                    continue
                for plot in chart.plots:
                    stem = f"charts/{page.path}_{chart.key}_{plot.code}_{lang}"
                    expected += 1
                    ElementTree.fromstring(pack.read(stem + ".svg"))
                    png = Image.open(io.BytesIO(pack.read(stem + ".png")))
                    height = int(charts_height(plot.spec))
                    assert png.size == (1760, 2 * height), (stem, png.size)
    assert sum(1 for n in names if n.startswith("charts/") and n.endswith(".png")) == expected


def charts_height(spec: dict) -> int:
    return spec.get("layout", {}).get("height") or 400


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_pack_text_is_the_apps_own(kit, lang):
    """Test that the pack's sentences and findings are the press page's, word for word, most newsworthy first."""
    pack = zipfile.ZipFile(io.BytesIO(kit["pack"]))
    v = View(lang)
    assert pack.read(f"sentences_{lang}.txt").decode("utf-8").splitlines() == \
        [s.text for s in press.sentences(v)]
    found = findings.findings(v)
    listed = pack.read(f"findings_{lang}.txt").decode("utf-8")
    assert listed.startswith(f"1. {found[0].text}")
    assert [f.score for f in found] == sorted((f.score for f in found), reverse=True)


def test_findings_are_computed_from_the_tables():
    """Test that the largest claims rise by region is Europe's, by the amount the tables give (FY2024 106,971 less FY2023 4,221 百万円), and that the report's records come first."""
    found = findings.findings(View("en"))
    assert [f.kind for f in found[:2]] == ["record", "record"]
    rise = next(f for f in found if f.kind == "rise" and f.params.get("measure") == "claims_paid"
                and "region" in f.params)
    assert rise.params["region"] == "europe" and rise.page == "regions"
    assert "rose by about ¥102.8 billion to about ¥107.0 billion" in rise.text
    shifts = [f for f in found if f.kind == "share"]
    assert all(abs(float(re.search(r"\(([+-][\d.]+) points\)", f.text).group(1)))
               >= findings.SHARE_SHIFT_PP for f in shifts)


def _headline_figures(lang: str) -> list[str]:
    """Each headline measure's FY2024 amount and change, worked out here from the report_totals
    CSV itself (not the app's queries or formatting): 約7.6兆円 / 前年度比4.6％減."""
    import csv
    from decimal import ROUND_HALF_UP, Decimal

    from nexidash import paths

    with open(paths.TABLES_DIR / "report_totals.csv", encoding="utf-8", newline="") as fh:
        rows = {(int(r["fiscal_year"]), r["measure"]): Decimal(r["amount_mjpy"])
                for r in csv.DictReader(fh) if r["risk"] == "total"}

    def half_up(d: Decimal, places: int) -> Decimal:
        return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    out = []
    for measure in ("underwriting", "outstanding", "premium", "claims_paid", "recoveries"):
        cur, prev = rows[(YEAR, measure)], rows[(YEAR - 1, measure)]
        rate = f"{abs(half_up((cur - prev) / abs(prev) * 100, 1)):,.1f}"
        if cur >= 1_000_000:
            amount = {"ja": f"約{half_up(cur / 1_000_000, 1)}兆円",
                      "en": f"about¥{half_up(cur / 1_000_000, 1)}trillion"}[lang]
        else:
            amount = {"ja": f"約{half_up(cur / 100, 0):,}億円",
                      "en": f"about¥{half_up(cur / 1000, 1):,}billion"}[lang]
        change = {"ja": f"{rate}％{'増' if cur >= prev else '減'}",
                  "en": f"{'up' if cur >= prev else 'down'}{rate}%"}[lang]
        out += [amount, change]
    return out


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_fact_sheet_and_cover_slide_carry_the_tables_figures(kit, lang):
    """Test that every headline amount and rate, worked out from the report_totals table itself, is in the fact sheet's text and on the deck's cover slide."""
    from pptx import Presentation
    from pypdf import PdfReader

    sheet = _flat(PdfReader(io.BytesIO(kit[f"factsheet_{lang}"])).pages[0].extract_text())
    cover = _flat(" ".join(s.text_frame.text for s in
                           Presentation(io.BytesIO(kit[f"deck_{lang}"])).slides[0].shapes
                           if s.has_text_frame))
    figures = _headline_figures(lang)
    assert len(figures) == 10
    for figure in figures:
        assert figure in sheet, figure
        assert figure in cover, figure
