"""The press kit's one-page A4 fact sheet (fpdf2, the Noto CJK font Debian installs).

It leads with the report's own headline (record claims), then the headline figures, three
charts (amounts of a trillion yen or more on their axes in 兆円 / ¥ trillion, the map with a
one-line key under it), what changed most, and the source. No text is smaller than MIN_PT:
every size goes through one function that refuses smaller.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

from . import findings, press
from .view import View

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
EPOCH = datetime(2025, 3, 31, tzinfo=timezone.utc)  # the file's date: reproducible bytes
MIN_PT = 7.0  # the smallest text a printed page can carry legibly
# The charts of the sheet: (page, chart key), in the order they appear.
CHARTS = (("overview", "headline_trend"), ("regions", "region_map"),
          ("products", "product_mix"))
MAP = ("regions", "region_map")
# The half-width charts are drawn this many CSS pixels wide, not the desktop's 880: printed
# 88 mm wide, their labels stay legible instead of shrinking to 4 pt. English product names are
# long enough to need more room beside the bars.
NARROW = {"ja": 520, "en": 700}
UNITS = {"ja": ("（億円）", "、億円）", "）"), "en": (" (¥ billion)", ", ¥ billion)", ")")}


def _font(pdf, style: str, size: float) -> None:
    if size < MIN_PT:
        raise ValueError(f"{size} pt is below the fact sheet's minimum of {MIN_PT} pt")
    pdf.set_font("noto", style, size)


def title_without_unit(title: str, lang: str) -> str:
    """A chart's title without its unit: on the sheet each money axis names its own (兆円 for
    the trillions, 億円 beside them)."""
    alone, inside, close = UNITS[lang]
    return title.replace(alone, "").replace(inside, close)


def fact_sheet(v: View, pictures: dict) -> bytes:
    """One A4 page. `pictures` are the sheet's charts, {(page, key): ChartFile}, drawn for it
    (presskit.sheet_pictures)."""
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

    _font(pdf, "B", 17)
    pdf.set_text_color(11, 83, 148)
    pdf.cell(width, 9, t("kit.sheet.title", fy=v.fy(v.year)), new_x="LMARGIN", new_y="NEXT")
    # The report's own headline comes first: the largest claims since NEXI's founding.
    records = findings.records(v)
    if records:
        _font(pdf, "B", 10.5)
        pdf.set_text_color(20, 20, 20)
        pdf.multi_cell(width, 5, records[0].text, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(0.8)
    _font(pdf, "", 7.5)
    pdf.set_text_color(60, 60, 60)
    pdf.multi_cell(width, 3.6, t("kit.sheet.subtitle"), new_x="LMARGIN", new_y="NEXT",
                   align="L")
    pdf.ln(1.2)

    # The headline figures: the press sentences, which carry the amounts and the changes.
    pdf.set_text_color(20, 20, 20)
    _font(pdf, "", 9)
    for s in press.sentences(v)[:5]:
        pdf.multi_cell(width, 4.5, "■\u00a0" + s.text, new_x="LMARGIN", new_y="NEXT", align="L")
    for record in records[1:]:
        pdf.multi_cell(width, 4.5, "■\u00a0" + record.text, new_x="LMARGIN", new_y="NEXT",
                       align="L")
    pdf.ln(1)

    # Three charts: the five-year trend across the page, then the map and the product mix.
    y = pdf.get_y()
    _chart(pdf, v, pictures[CHARTS[0]], 14, y, width, 66)
    y += 68
    half = (width - 6) / 2
    for i, key in enumerate(CHARTS[1:]):
        x = 14 + i * (half + 6)
        bottom = _chart(pdf, v, pictures[key], x, y, half, 84)
        if key == MAP:
            pdf.set_xy(x, bottom + 0.5)
            _font(pdf, "", 7)
            pdf.set_text_color(60, 60, 60)
            pdf.multi_cell(half, 3.2, t("kit.sheet.map_key"), new_x="LMARGIN", new_y="NEXT",
                           align="L")
    y += 95

    pdf.set_xy(14, y)
    pdf.set_text_color(20, 20, 20)
    _font(pdf, "B", 9)
    pdf.cell(width, 5, t("kit.sheet.changed"), new_x="LMARGIN", new_y="NEXT")
    _font(pdf, "", 8)
    for f in [f for f in findings.findings(v) if f.kind != "record"][:5]:
        pdf.multi_cell(width, 4, t("kit.bullet") + f.text, new_x="LMARGIN", new_y="NEXT",
                       align="L")

    pdf.set_xy(14, pdf.h - 16)
    _font(pdf, "", 7)
    pdf.set_text_color(80, 80, 80)
    pdf.multi_cell(width, 3.4, t("kit.source", year=v.report_year) + " " + t("kit.derived"),
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _chart(pdf, v: View, chart, x: float, y: float, w: float, h: float) -> float:
    """A chart with its title, fitted into the box (its proportions kept); returns the
    picture's bottom edge."""
    pdf.set_xy(x, y)
    _font(pdf, "B", 8.5)
    pdf.set_text_color(20, 20, 20)
    pdf.multi_cell(w, 4, title_without_unit(chart.chart.title, v.lang), new_x="LMARGIN",
                   new_y="NEXT", align="L")
    top = pdf.get_y() + 0.5
    room = h - (top - y)
    cw, ch = chart.size
    scale = min(w / cw, room / ch)
    pdf.image(io.BytesIO(chart.png), x=x, y=top, w=cw * scale, h=ch * scale)
    return top + ch * scale
