"""The press kit's 16:9 slide deck (python-pptx): a cover with the report's record first and the
headline figures, then one slide per key chart. Each sentence is its own paragraph, every slide
is numbered, and the speaker notes give each figure's provenance (table, row, column, value,
rounding) so a presenter can answer "where is that from?".

Fonts: a .pptx names one typeface per script on each run (<a:latin>, <a:ea>) and has no
fallback list, so it must name a font the press office's PowerPoint has. "Yu Gothic" (游ゴシック)
ships with Windows 8.1 and later and with macOS; Meiryo is on Windows only and Noto Sans CJK
(what the fact sheet embeds) on neither. Every run declares it as its East Asian font, so
Japanese text never falls back to a font PowerPoint picks.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from decimal import Decimal

from . import export, press, prose
from .presskit_charts import source_line
from .presskit_release import lead_sentences
from .view import View

EPOCH = datetime(2025, 3, 31)
EA_FONT = "Yu Gothic"
LATIN_FONT = {"ja": "Yu Gothic", "en": "Arial"}
INCH = 914400


def sentences_of(text: str, lang: str) -> list[str]:
    """A text's sentences: after 。 in Japanese, after a full stop and a space in English
    (not inside "about ¥7.6 trillion" or "No. 3")."""
    if lang == "ja":
        parts = re.split(r"(?<=。)", text)
    else:
        parts = re.split(r"(?<=[a-z0-9%)][.])\s+(?=[A-Z])", text)
    return [p.strip() for p in parts if p.strip()]


def _declare_fonts(run, lang: str) -> None:
    """The run's Latin and East Asian typefaces (python-pptx sets only the Latin one)."""
    from pptx.oxml.ns import qn

    run.font.name = LATIN_FONT[lang]
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    latin = rpr.find(qn("a:latin"))
    ea = rpr.makeelement(qn("a:ea"), {"typeface": EA_FONT})
    latin.addnext(ea)


def _text(slide, lang, left, top, width, height, lines, size, bold=False, color=None,
          align=None):
    """A text box with one paragraph per line (a sentence each)."""
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Pt

    box = slide.shapes.add_textbox(Emu(int(left)), Emu(int(top)), Emu(int(width)),
                                   Emu(int(height)))
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if align is not None:
            para.alignment = align
        if i:
            para.space_before = Pt(size * 0.4)
        run = para.add_run()
        run.text = line
        run.font.size, run.font.bold = Pt(size), bold
        _declare_fonts(run, lang)
        if color:
            run.font.color.rgb = RGBColor(*color)
    return box


def _rounding(v: View, fig) -> str:
    """How a figure's text is rounded, read from the text itself (prose.parse)."""
    if fig.unit in ("pct", "pp"):
        return v.t("kit.note.round.pct")
    if fig.unit != "mjpy":
        return ""
    step = prose.parse(fig)[1] * 2
    name = {Decimal(100_000): "trillion", Decimal(100): "oku", Decimal(1000): "billion",
            Decimal("0.01"): "man", Decimal(1): "million"}.get(step, "million")
    return v.t(f"kit.note.round.{name}")


def figure_notes(v: View, texts) -> list[str]:
    """A line per figure the texts print: where it comes from (its table, row and column, or
    how it is computed and from what) and how it is rounded, from the figures the sentences
    were built of (prose.Fig), so the notes and the sentences cannot disagree."""
    out, seen = [], set()
    for text in texts:
        for fig in getattr(text, "figs", ()):
            if not fig.text or fig.text in seen:
                continue
            seen.add(fig.text)
            out.append(v.t("kit.note.fig", shown=fig.text, where=fig.where(),
                           rounding=_rounding(v, fig)))
    return out


def _chart_notes(v: View, chart) -> list[str]:
    """A chart slide's notes: its table and section of the report, the unit it is drawn in,
    and each amount its sentence quotes."""
    t = v.t
    lines = [t("kit.note.chart", table=chart.chart.source, section=source_line(
        v, chart.chart, chart.plot))]
    if v.axis_unit in chart.chart.title or v.axis_unit in str(chart.plot.spec):
        lines.append(t("kit.note.axis", unit=v.axis_unit))
    return lines + figure_notes(v, [chart.chart.summary]) + [t("kit.note.summary")]


def deck(v: View, pictures: list) -> bytes:
    """16:9 slides: the cover, then one per chart in `pictures` (ChartFiles, drawn without
    their own title: the slide's title names them)."""
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu

    t, lang = v.t, v.lang
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in
    blank = prs.slide_layouts[6]
    total = 1 + len(pictures)
    grey, blue = (80, 80, 80), (11, 83, 148)

    def number(slide, n):
        _text(slide, lang, 12.1 * INCH, 6.95 * INCH, 1.0 * INCH, 0.4 * INCH,
              [t("kit.deck.page", n=n, total=total)], 12, color=grey, align=PP_ALIGN.RIGHT)

    def notes(slide, lines):
        slide.notes_slide.notes_text_frame.text = "\n".join(lines)

    cover = prs.slides.add_slide(blank)
    _text(cover, lang, INCH, 0.7 * INCH, 11.3 * INCH, 0.9 * INCH,
          [t("kit.deck.title", fy=v.fy(v.year))], 32, True, blue)
    lead = lead_sentences(v)
    records = lead[:2] if v.year == v.report_year else []
    _text(cover, lang, INCH, 1.6 * INCH, 11.3 * INCH, 1.0 * INCH, records[:1], 22, True)
    _text(cover, lang, INCH, 2.55 * INCH, 11.3 * INCH, 4.0 * INCH,
          [s.text for s in press.sentences(v)[:5]] + records[1:], 16)
    _text(cover, lang, INCH, 6.75 * INCH, 11.0 * INCH, 0.5 * INCH,
          [t("kit.source", year=v.report_year) + " " + t("kit.derived")], 12, color=grey)
    number(cover, 1)
    notes(cover, figure_notes(v, lead_sentences(v)))

    for n, chart in enumerate(pictures, start=2):
        slide = prs.slides.add_slide(blank)
        _text(slide, lang, 0.5 * INCH, 0.3 * INCH, 12.3 * INCH, 0.8 * INCH,
              [chart.chart.title], 28, True, blue)
        cw, ch = chart.size
        scale = min(8.2 * INCH / cw, 5.15 * INCH / ch)
        slide.shapes.add_picture(io.BytesIO(chart.png), int(0.5 * INCH), int(1.25 * INCH),
                                 int(cw * scale), int(ch * scale))
        _text(slide, lang, 8.9 * INCH, 1.35 * INCH, 4.0 * INCH, 4.8 * INCH,
              sentences_of(chart.chart.summary or "", lang), 16)
        _text(slide, lang, 0.5 * INCH, 6.5 * INCH, 11.4 * INCH, 0.8 * INCH,
              [source_line(v, chart.chart, chart.plot)], 12, color=grey)
        number(slide, n)
        notes(slide, _chart_notes(v, chart))

    props = prs.core_properties
    props.created = props.modified = EPOCH
    props.last_modified_by = props.author = t("edition.publisher")
    props.title = t("kit.deck.title", fy=v.fy(v.year))
    props.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return export.steady_zip(buf.getvalue())
