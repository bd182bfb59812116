"""The press kit's files, as built with the static edition: each opens, says the app's figures,
and the pack holds everything it promises."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

import pytest
from PIL import Image

from nexidash import blocks, export, findings, i18n, press, presskit, presskit_charts, site
from nexidash.presskit_release import lead_sentences
from nexidash.presskit_slides import sentences_of
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
        # The sentence beside the chart, one paragraph per sentence.
        assert "\n".join(sentences_of(chart.summary, lang)) in texts and len(pictures) == 1
        assert _flat("".join(sentences_of(chart.summary, lang))) == _flat(chart.summary)
        # The foot names the source, and the unit the picture is drawn in (億円 / ¥ billion for
        # money, not the table's 百万円).
        source = presskit_charts.source_line(v, chart).split(" · ")[0]
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
                    svg = ElementTree.fromstring(pack.read(stem + ".svg"))
                    png = Image.open(io.BytesIO(pack.read(stem + ".png")))
                    # The chart, and above and below it its title and its unit and source.
                    frame = presskit_charts.frame_of(View(lang), chart, plot)
                    height = int(charts_height(plot.spec)) + frame.top + frame.bottom
                    assert png.size == (1760, 2 * height), (stem, png.size)
                    texts = ["".join(e.itertext()) for e in svg if e.tag.endswith("text")]
                    assert texts == [frame.title, *frame.foot], stem
    assert sum(1 for n in names if n.startswith("charts/") and n.endswith(".png")) == expected


def charts_height(spec: dict) -> int:
    return spec.get("layout", {}).get("height") or 400


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_pack_text_is_the_apps_own(kit, lang):
    """Test that the pack's sentences are the report's records then the press page's, word for word, and its findings most newsworthy first."""
    pack = zipfile.ZipFile(io.BytesIO(kit["pack"]))
    v = View(lang)
    lines = pack.read(f"sentences_{lang}.txt").decode("utf-8").splitlines()
    assert lines == lead_sentences(v) == [*(r.text for r in findings.records(v)),
                                          *(s.text for s in press.sentences(v))]
    found = findings.findings(v)
    listed = pack.read(f"findings_{lang}.txt").decode("utf-8")
    assert listed.startswith(f"1. {found[0].text}")
    assert [f.score for f in found] == sorted((f.score for f in found), reverse=True)


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


# -- the press office's additions: the record first, release, Q&A, slides, sheet, files --------
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def _pack(kit) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(kit["pack"]))


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_release_and_qa_lead_with_the_record(kit, lang):
    """Test that the release draft and the Q&A exist in both languages, that the release's headline and first key figure are the record claims, and that every answer says where in the report its figures stand."""
    v = View(lang)
    release = _pack(kit).read(f"press_release_{lang}.md").decode("utf-8")
    qa = _pack(kit).read(f"qa_{lang}.md").decode("utf-8")
    claims = {"ja": "約1,151億円", "en": "about ¥115.1 billion"}[lang]
    headline = next(x for x in release.splitlines() if x.startswith("# "))
    assert claims in headline and "2001" in headline
    bullets = [x[2:] for x in release.splitlines() if x.startswith("- ")]
    assert bullets[0] == findings.records(v)[0].text
    for title in ("kit.rel.figures_title", "kit.rel.context_title", "kit.rel.about_title",
                  "kit.rel.contact_title"):
        assert f"## {v.t(title)}" in release
    assert v.t("kit.rel.embargo_unset") in release and v.t("kit.rel.contact_unset") in release
    questions = [x for x in qa.splitlines() if x.startswith("## Q")]
    wheres = [x for x in qa.splitlines() if x.startswith("*") and x.endswith("*")]
    assert len(questions) == len(wheres) >= 5
    assert claims in qa.split(questions[1])[0]  # the first answer gives the record figure
    if lang == "en":
        assert not JAPANESE.search(release), JAPANESE.search(release)
        assert not JAPANESE.search(qa), JAPANESE.search(qa)


def test_release_settings_fill_the_embargo_contact_and_licence():
    """Test that NEXI_PRESS_EMBARGO, NEXI_PRESS_CONTACT and NEXI_LICENSE, read in one place, replace the visible placeholders."""
    from nexidash import presskit_release as rel

    s = rel.Settings.from_env({"NEXI_PRESS_EMBARGO": "2025年7月1日 15:00",
                               "NEXI_PRESS_CONTACT": "広報室 03-0000-0000",
                               "NEXI_LICENSE": "CC0-1.0"})
    text = rel.release_markdown(View("ja"), s)
    assert text.startswith("解禁日時：2025年7月1日 15:00")
    assert "広報室 03-0000-0000" in text and "【問い合わせ先：未定】" not in text
    assert "ライセンス：CC0-1.0" in text
    default = rel.Settings.from_env({})
    assert default.license == "CC-BY-4.0" and "creativecommons.org/licenses/by/4.0" in \
        default.license_text()
    assert rel.release_markdown(View("en"), default).startswith("[EMBARGO: to be set]")


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_fact_sheet_leads_with_the_record_and_prints_nothing_below_7_pt(kit, lang):
    """Test that the fact sheet's first line after its title is the record claims, that the map has its key, and that no text on it is smaller than 7 pt (read from the PDF's own font sizes)."""
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(kit[f"factsheet_{lang}"])).pages[0]
    runs = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: runs.append(
        (_flat(text), size * tm[0])) if _flat(text) else None)
    sizes = [size for _, size in runs]
    assert len(runs) > 20 and min(sizes) >= 7.0, min(sizes)
    text = "".join(t for t, _ in runs)
    v = View(lang)
    record = text.index(_flat(findings.records(v)[0].text)[:20])
    assert record < text.index(_flat(press.sentences(v)[0].text)[:20])
    assert _flat(v.t("kit.sheet.map_key")) in text


def test_fact_sheet_refuses_text_below_7_pt():
    """Test that the sheet's one font setter refuses a size under the minimum."""
    from nexidash import presskit_sheet

    with pytest.raises(ValueError, match="below"):
        presskit_sheet._font(object(), "", 6.5)


def _runs(slide):
    return [r for s in slide.shapes if s.has_text_frame for p in s.text_frame.paragraphs
            for r in p.runs]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_deck_runs_declare_an_east_asian_font_and_slides_are_numbered(kit, lang):
    """Test that every run of every slide names its East Asian typeface (<a:ea>), that every slide shows its number, that the cover leads with the record claims, and that the notes give provenance."""
    from pptx import Presentation
    from pptx.oxml.ns import qn

    from nexidash import presskit_slides

    deck = Presentation(io.BytesIO(kit[f"deck_{lang}"]))
    slides = list(deck.slides)
    for n, slide in enumerate(slides, start=1):
        runs = _runs(slide)
        assert runs
        for run in runs:
            ea = run._r.find(qn("a:rPr")).find(qn("a:ea"))
            assert ea is not None and ea.get("typeface") == presskit_slides.EA_FONT, run.text
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert f"{n} / {len(slides)}" in texts
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
    v = View(lang)
    cover = [s.text_frame.text for s in slides[0].shapes if s.has_text_frame]
    assert cover[1] == findings.records(v)[0].text
    notes = slides[0].notes_slide.notes_text_frame.text
    assert "report_totals" in notes and "115,097" in notes and "measure=claims_paid" in notes


def test_english_slides_cite_their_sources_in_english(kit):
    """Test that no English slide has Japanese script in its text, its source line above all."""
    from pptx import Presentation

    for slide in list(Presentation(io.BytesIO(kit["deck_en"])).slides)[1:]:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        source = next(x for x in texts if x.startswith("Source:"))
        assert "section:" in source and not JAPANESE.search(source), source
        assert not any(JAPANESE.search(x) for x in texts), texts


def test_pack_csvs_and_downloads_carry_a_bom_and_english_workbook_is_english(kit):
    """Test that every CSV in the pack, the tables ZIP and a chart's CSV download start with the UTF-8 BOM, and that the English workbook's sheet names are ASCII and its headers translated."""
    import pandas as pd
    from openpyxl import load_workbook

    from nexidash import tables

    pack = _pack(kit)
    csvs = [n for n in pack.namelist() if n.endswith(".csv")]
    assert len(csvs) == len(export.table_files())
    assert all(pack.read(n).startswith(b"\xef\xbb\xbf") for n in csvs)
    assert tables.csv_bytes(pd.DataFrame({"a": [1]}), "ja").startswith(b"\xef\xbb\xbf")
    wb = load_workbook(io.BytesIO(pack.read(f"tables/nexi_fy{YEAR}_en.xlsx")))
    assert all(name.isascii() for name in wb.sheetnames) and len(wb.sheetnames) == len(csvs)
    for ws in wb.worksheets:
        headers = [c.value for c in ws[5] if c.value is not None]  # C3 may widen the sheet
        assert all(h and not JAPANESE.search(h) and "_" not in h for h in headers), \
            (ws.title, headers)
        assert not JAPANESE.search(ws["B3"].value), ws["B3"].value


def test_readme_states_version_date_licence_and_citation(kit):
    """Test that the README gives the data's content hash, the as-of date, the licence and how to cite, in both languages."""
    from nexidash.version import data_version

    readme = _pack(kit).read("README.txt").decode("utf-8")
    version = data_version()
    assert len(version) == 12 and readme.count(version) >= 4  # version and citation, twice
    for text in ("版：データ", "Version: data", "2025年3月末現在", "as of 31 March 2025",
                 "ライセンス：Creative Commons Attribution 4.0", "Licence: Creative Commons",
                 "引用のしかた", "How to cite", "『年次報告書2024』", "Annual Report FY2024 (NEXI"):
        assert text in readme, text


def test_data_version_follows_the_tables_content(tmp_path):
    """Test that the version changes when a table's content does, and not when a file is only touched."""
    import shutil

    from nexidash import paths
    from nexidash.version import data_version

    copy = tmp_path / "tables"
    shutil.copytree(paths.TABLES_DIR, copy)
    assert data_version(copy) == data_version()
    (copy / "regions.csv").touch()
    assert data_version(copy) == data_version()
    (copy / "regions.csv").write_bytes((copy / "regions.csv").read_bytes() + b"\n")
    assert data_version(copy) != data_version()


def test_every_report_section_has_its_english_name():
    """Test that the catalog gives every table's section in English too (source_en), with no
    Japanese in it, which the English slides and chart files cite."""
    import csv

    from nexidash import paths

    with open(paths.TABLES_DIR / "catalog.csv", encoding="utf-8", newline="") as fh:
        catalog = list(csv.DictReader(fh))
    for row in catalog:
        assert row["source_ja"] and row["source_en"], row["table_name"]
        assert not JAPANESE.search(row["source_en"]), row["table_name"]


def test_sheet_axes_in_trillions_keep_one_unit_per_axis():
    """Test that a bar axis reaching ¥1 trillion is drawn in 兆円 for every series on it, and an axis below stays in 億円."""
    spec = {"data": [{"type": "bar", "orientation": "h", "x": [55000.0, None]},
                     {"type": "bar", "orientation": "h", "x": [423.0]},
                     {"type": "bar", "y": [300.0], "xaxis": "x2", "yaxis": "y2"}],
            "layout": {"xaxis": {"title": {"text": "億円"}}}}
    out = presskit_charts.in_trillions(spec, "ja")
    assert out["data"][0]["x"] == [5.5, None] and out["data"][1]["x"] == [0.0423]
    assert out["layout"]["xaxis"]["title"]["text"] == "兆円"
    assert out["data"][2]["y"] == [300.0] and out["layout"]["yaxis2"]["title"]["text"] == "億円"


class _FakeMaker:
    """Kaleido's stand-in: a blank picture of the asked size, the same each time."""

    def files(self, spec, lang, width=880):
        height = int(spec.get("layout", {}).get("height") or 400)
        buf = io.BytesIO()
        Image.new("RGB", (2 * width, 2 * height), "white").save(buf, format="PNG")
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
               f'height="{height}"></svg>').encode()
        return buf.getvalue(), svg, (width, height)


@pytest.mark.long
def test_the_pack_is_byte_identical_across_builds():
    """Test that assembling the kit twice from the same pictures gives the same bytes, every file and the pack."""
    from nexidash.presskit_release import Settings

    pictures = presskit.pictures(_FakeMaker())
    first = presskit.assemble(pictures, Settings())
    second = presskit.assemble(pictures, Settings())
    assert first[1].keys() == second[1].keys()
    for name in first[1]:
        assert first[1][name] == second[1][name], name
    assert first[0] == second[0]
