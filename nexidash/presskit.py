"""The press office's kit for the report year: every chart as PNG and SVG, a one-page A4 fact
sheet and a 16:9 slide deck per language, and one ZIP holding them with the sentences, the
findings and every table (CSV and Excel).

Everything is made from the pages' own blocks and queries (the figures, rounding and chart
specs a visitor sees), offline: charts by Kaleido on Debian's Chromium (edition.ChartMaker),
the PDF by fpdf2 with the Noto CJK font Debian installs, the deck by python-pptx. Building
twice gives the same bytes: fixed dates in every file and every archive entry.

    python -m nexidash.presskit [--out DIR]     (the static edition builds it into /d/press/)
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from . import blocks as b
from . import db, export, findings, i18n, paths, press, site
from .view import View

OUT = paths.ROOT / "var" / "press"
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
EPOCH = datetime(2025, 3, 31, tzinfo=timezone.utc)  # every file's date: reproducible bytes
ZIP_EPOCH = (2025, 3, 31, 0, 0, 0)
# The charts on the fact sheet and the deck: (page, chart key), in the order they appear.
SHEET_CHARTS = (("overview", "headline_trend"), ("regions", "region_map"),
                ("products", "product_mix"))
# The fact sheet's half-width charts are drawn this many CSS pixels wide, not the desktop's 880:
# printed 88 mm wide, their labels stay legible instead of shrinking to 4 pt. English product
# names are long enough to need more room beside the bars.
SHEET_NARROW = {"ja": 520, "en": 700}
DECK_CHARTS = (("overview", "headline_trend"), ("regions", "region_map"),
               ("regions", "region_trend"), ("products", "product_mix"),
               ("products", "product_trend"), ("partners", "partner_map"),
               ("lead", "lead_map"), ("financials", "fin_waterfall"))


@dataclass(frozen=True)
class ChartFile:
    page: str
    chart: b.Chart
    plot: b.Plot
    lang: str
    png: bytes
    svg: bytes
    size: tuple[int, int]

    @property
    def stem(self) -> str:
        return f"{self.page}_{self.chart.key}_{self.plot.code}_{self.lang}"


def file_names(year: int) -> dict[str, str]:
    """The kit's files, by what they are: the names the press page and the edition offer."""
    out = {"pack": f"nexi_fy{year}_press_pack.zip"}
    for lang in i18n.LANGS:
        out[f"factsheet_{lang}"] = f"nexi_fy{year}_factsheet_{lang}.pdf"
        out[f"deck_{lang}"] = f"nexi_fy{year}_slides_{lang}.pptx"
    return out


# -- charts -----------------------------------------------------------------------------------
def chart_files(maker) -> list[ChartFile]:
    """Every plot of every chart on every page (its default view), in both languages."""
    out = []
    for lang in i18n.LANGS:
        for page in site.PAGES:
            for block in b.walk(page.load().build(View(lang))):
                if isinstance(block, b.Chart):
                    for plot in block.plots:
                        png, svg, size = maker.files(plot.spec, lang)
                        out.append(ChartFile(page.path, block, plot, lang, png, svg, size))
    return out


def _first_plot(files: list[ChartFile], lang: str, page: str, key: str) -> ChartFile:
    return next(f for f in files if (f.lang, f.page, f.chart.key) == (lang, page, key))


# -- the fact sheet ---------------------------------------------------------------------------
def fact_sheet(v: View, files: list[ChartFile], maker=None) -> bytes:
    """One A4 page: the headline figures with their changes, three charts, the report's records
    and the source line. With a `maker`, the half-width charts are drawn narrower (legible)."""
    from fpdf import FPDF

    t = v.t
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(EPOCH)
    pdf.set_auto_page_break(False)
    pdf.set_title(t("kit.sheet.title", fy=v.fy(v.year)))
    pdf.set_author(t("edition.publisher"))
    pdf.add_font("noto", "", str(FONT_DIR / "NotoSansCJK-Regular.ttc"), collection_font_number=0)
    pdf.add_font("noto", "B", str(FONT_DIR / "NotoSansCJK-Bold.ttc"), collection_font_number=0)
    pdf.set_margins(14, 12, 14)
    pdf.add_page()
    width = pdf.w - 28

    pdf.set_font("noto", "B", 17)
    pdf.set_text_color(11, 83, 148)
    pdf.cell(width, 9, t("kit.sheet.title", fy=v.fy(v.year)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", "", 8.5)
    pdf.set_text_color(60, 60, 60)
    pdf.multi_cell(width, 4.2, t("kit.sheet.subtitle"), new_x="LMARGIN", new_y="NEXT",
                   align="L")
    pdf.ln(1.5)

    # The headline figures: the press sentences, which carry the amounts and the changes.
    pdf.set_text_color(20, 20, 20)
    pdf.set_font("noto", "", 9)
    for s in press.sentences(v)[:5]:
        pdf.multi_cell(width, 4.6, "■ " + s.text, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(1)

    if v.year == v.report_year:
        pdf.set_font("noto", "B", 9)
        pdf.cell(width, 5, t("kit.sheet.records"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("noto", "", 8.5)
        for key in ("overview.record_claims", "overview.record_underwriting"):
            pdf.multi_cell(width, 4.3, t("kit.bullet") + t(key), new_x="LMARGIN", new_y="NEXT",
                           align="L")
        pdf.ln(1)

    # Three charts: the five-year trend across the page, then the map and the product mix.
    trend = _first_plot(files, v.lang, *SHEET_CHARTS[0])
    y = pdf.get_y()
    _chart(pdf, trend, 14, y, width, 68)
    y += 71
    half = (width - 6) / 2
    for i, (page, key) in enumerate(SHEET_CHARTS[1:]):
        chart = _first_plot(files, v.lang, page, key)
        if maker is not None:
            png, svg, size = maker.files(chart.plot.spec, v.lang, width=SHEET_NARROW[v.lang])
            chart = ChartFile(chart.page, chart.chart, chart.plot, v.lang, png, svg, size)
        _chart(pdf, chart, 14 + i * (half + 6), y, half, 92)
    y += 95

    pdf.set_xy(14, y)
    pdf.set_font("noto", "B", 9)
    pdf.cell(width, 5, t("kit.sheet.changed"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", "", 8)
    for f in [f for f in findings.findings(v) if f.kind != "record"][:5]:
        pdf.multi_cell(width, 4, t("kit.bullet") + f.text, new_x="LMARGIN", new_y="NEXT",
                       align="L")

    pdf.set_xy(14, pdf.h - 16)
    pdf.set_font("noto", "", 7)
    pdf.set_text_color(80, 80, 80)
    pdf.multi_cell(width, 3.4, t("kit.source", year=v.report_year) + " " + t("kit.derived"),
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _chart(pdf, chart: ChartFile, x: float, y: float, w: float, h: float) -> None:
    """A chart with its title, fitted into the box (its proportions kept)."""
    pdf.set_xy(x, y)
    pdf.set_font("noto", "B", 8.5)
    pdf.set_text_color(20, 20, 20)
    pdf.multi_cell(w, 4, chart.chart.title, new_x="LMARGIN", new_y="NEXT", align="L")
    top = pdf.get_y() + 0.5
    room = h - (top - y)
    cw, ch = chart.size
    scale = min(w / cw, room / ch)
    pdf.image(io.BytesIO(chart.png), x=x, y=top, w=cw * scale, h=ch * scale)


# -- the slide deck ---------------------------------------------------------------------------
def deck(v: View, files: list[ChartFile]) -> bytes:
    """16:9 slides, one per key chart: its title, the picture, the sentence that says what it
    shows, and the source and unit at the foot. Fonts large enough to read from the back."""
    from pptx import Presentation
    from pptx.util import Emu, Pt

    t = v.t
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in
    blank = prs.slide_layouts[6]
    font = "Noto Sans CJK JP"

    def text(slide, left, top, width, height, value, size, bold=False, color=None):
        box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
        frame = box.text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        run.text = value
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, font
        if color:
            from pptx.dml.color import RGBColor

            run.font.color.rgb = RGBColor(*color)
        return box

    inch = 914400
    cover = prs.slides.add_slide(blank)
    text(cover, inch, int(1.3 * inch), int(11.3 * inch), inch,
         t("kit.deck.title", fy=v.fy(v.year)), 36, True, (11, 83, 148))
    text(cover, inch, int(2.6 * inch), int(11.3 * inch), int(3.5 * inch),
         "\n".join(s.text for s in press.sentences(v)[:5]), 18)
    text(cover, inch, int(6.75 * inch), int(11.3 * inch), int(0.5 * inch),
         t("kit.source", year=v.report_year) + " " + t("kit.derived"), 12, color=(80, 80, 80))
    for page, key in DECK_CHARTS:
        chart = _first_plot(files, v.lang, page, key)
        slide = prs.slides.add_slide(blank)
        text(slide, int(0.5 * inch), int(0.3 * inch), int(12.3 * inch), int(0.8 * inch),
             chart.chart.title, 28, True, (11, 83, 148))
        cw, ch = chart.size
        box_w, box_h = 8.2 * inch, 5.3 * inch
        scale = min(box_w / cw, box_h / ch)
        slide.shapes.add_picture(io.BytesIO(chart.png), int(0.5 * inch), int(1.25 * inch),
                                 int(cw * scale), int(ch * scale))
        text(slide, int(8.9 * inch), int(1.35 * inch), int(4.0 * inch), int(4.8 * inch),
             chart.chart.summary or "", 16)
        line = footer(v, chart)
        text(slide, int(0.5 * inch), int(6.75 * inch), int(12.3 * inch), int(0.5 * inch),
             line, 12, color=(80, 80, 80))
    props = prs.core_properties
    props.created = props.modified = EPOCH.replace(tzinfo=None)
    props.last_modified_by = props.author = t("edition.publisher")
    props.title = t("kit.deck.title", fy=v.fy(v.year))
    props.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return export.steady_zip(buf.getvalue())


def footer(v: View, chart: ChartFile) -> str:
    """A slide's source line with the unit of its picture: the catalog's unit is the table's
    (百万円), but a chart of money is drawn in 億円 / ¥ billion (View.axis_unit)."""
    line = v.source_line(chart.chart.source)
    if line is None:
        return v.t("kit.source", year=v.report_year)
    drawn = json.dumps(chart.plot.spec, ensure_ascii=False) + chart.chart.title
    if v.axis_unit in drawn:
        line = line.split(" · ")[0] + " · " + v.t("ui.unit", unit=v.axis_unit)
    return line


# -- the pack ---------------------------------------------------------------------------------
def _sentences_text(v: View) -> str:
    return "\n".join(s.text for s in press.sentences(v)) + "\n"


def _findings_text(v: View) -> str:
    lines = []
    for i, f in enumerate(findings.findings(v), start=1):
        lines += [f"{i}. {f.text}", f"   {v.t('kit.from')}: {f.table} — {f.method}", ""]
    return "\n".join(lines)


def _readme(year: int) -> str:
    """Both languages: the source, and the date the figures stand at (the fiscal year's end)."""
    end = f"{year + 1}-03-31"
    return "\n\n".join(i18n.translate(lang, "kit.readme", year=year, end=end)
                        for lang in i18n.LANGS) + "\n"


def build(out: Path, maker) -> dict[str, Path]:
    """Write the kit's files to `out` (charts under charts/), and return them by what they are."""
    out.mkdir(parents=True, exist_ok=True)
    files = chart_files(maker)
    year = View(i18n.DEFAULT_LANG).report_year
    names = file_names(year)
    entries: dict[str, bytes] = {}
    for f in files:
        entries[f"charts/{f.stem}.png"] = f.png
        entries[f"charts/{f.stem}.svg"] = f.svg
    made: dict[str, bytes] = {}
    for lang in i18n.LANGS:
        v = View(lang)
        made[f"factsheet_{lang}"] = fact_sheet(v, files, maker)
        made[f"deck_{lang}"] = deck(v, files)
        entries[f"sentences_{lang}.txt"] = _sentences_text(v).encode("utf-8")
        entries[f"findings_{lang}.txt"] = _findings_text(v).encode("utf-8")
        entries[names[f"factsheet_{lang}"]] = made[f"factsheet_{lang}"]
        entries[names[f"deck_{lang}"]] = made[f"deck_{lang}"]
        entries[f"tables/nexi_fy{year}_{lang}.xlsx"] = export.tables_xlsx(lang=lang, year=year)
    with zipfile.ZipFile(io.BytesIO(export.tables_zip(year=year))) as tables:
        for item in tables.infolist():
            entries[f"tables/{Path(item.filename).name}"] = tables.read(item.filename)
    entries["README.txt"] = _readme(year).encode("utf-8")
    made["pack"] = _zip(entries)

    written = {}
    for what, data in made.items():
        path = out / names[what]
        path.write_bytes(data)
        written[what] = path
    charts_dir = out / "charts"
    charts_dir.mkdir(exist_ok=True)
    for name, data in entries.items():
        if name.startswith("charts/"):
            (out / name).write_bytes(data)
    return written


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[name])
    return buf.getvalue()


# -- the app's downloads ----------------------------------------------------------------------
_built_in: list[Path] = []


def use(folder: Path | None) -> None:
    """Serve the kit's files from `folder` (the static edition builds the kit first, then the
    press page's downloads take their files from it instead of building them again); None
    stops."""
    _built_in[:] = [] if folder is None else [Path(folder)]


def prebuilt(name: str) -> Path | None:
    """A kit file already built: by the edition build under way, or in the static edition
    (`make serve` builds it) if it is not older than the database."""
    for folder in _built_in:
        if (folder / name).is_file():
            return folder / name
    from . import serve

    path = serve.Settings.from_env().edition / "d" / name
    if path.is_file() and path.stat().st_mtime >= paths.db_path().stat().st_mtime:
        return path
    return None


@lru_cache(maxsize=2)
def _built(generation: tuple) -> dict[str, bytes]:
    """The kit built here, once per database state, when no prebuilt copy exists."""
    from .edition import ChartMaker

    with tempfile.TemporaryDirectory() as tmp:
        maker = ChartMaker(Path(tmp))
        try:
            written = build(Path(tmp) / "press", maker)
        finally:
            maker.close()
        return {p.name: p.read_bytes() for p in written.values()}


def file_bytes(name: str) -> bytes:
    """A kit file for a download button: the prebuilt copy, else built here on the click."""
    path = prebuilt(name)
    if path is not None:
        return path.read_bytes()
    return _built(db.generation())[name]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from .edition import ChartMaker

    with tempfile.TemporaryDirectory() as tmp:
        maker = ChartMaker(Path(tmp))  # its /c/ pictures are the edition's, not the kit's
        try:
            written = build(args.out, maker)
        finally:
            maker.close()
    for what, path in written.items():
        print(f"{what}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

