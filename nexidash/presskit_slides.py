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

from . import export, fmt, press
from .presskit_charts import source_line
from .presskit_release import lead_sentences
from .view import View

EPOCH = datetime(2025, 3, 31)
EA_FONT = "Yu Gothic"
LATIN_FONT = {"ja": "Yu Gothic", "en": "Arial"}
INCH = 914400
HEADLINE = ("underwriting", "outstanding", "premium", "claims_paid", "recoveries")


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


def _step(shown: str) -> str:
    """The unit an amount was rounded to, from how fmt.money wrote it."""
    for step, words in (("trillion", ("兆円", "trillion")), ("billion", ("億円", "billion"))):
        if any(w in shown for w in words):
            return step
    return "million"


def provenance(v: View) -> list[str]:
    """Where each cover figure comes from: table, row, column, value and rounding."""
    t = v.t
    rows = v.q("headline_totals")
    rows = rows[(rows["fiscal_year"] == v.year) & (rows["risk"] == "total")]
    by_measure = {r.measure: r for r in rows.itertuples()}
    out = []
    for measure in HEADLINE:
        row = by_measure.get(measure)
        if row is None:
            continue
        shown = fmt.money(row.amount_mjpy, v.lang, approx=True)
        out.append(t("kit.note.figure", shown=shown, table="report_totals",
                     row=f"measure={measure}, risk=total, fiscal_year={v.year}",
                     column="amount_mjpy", value=f"{int(row.amount_mjpy):,}",
                     rounding=t(f"kit.note.round.{_step(shown)}")))
        if not fmt.missing(row.change_pct):
            out.append(t("kit.note.change", shown=f"{abs(fmt.round_half_up(row.change_pct, 1))}",
                         cur=f"{int(row.amount_mjpy):,}", prev=f"{int(row.prev_amount_mjpy):,}",
                         prev_year=v.year - 1))
    out.append(t("kit.note.record"))
    return out


def figure_notes(v: View, chart) -> list[str]:
    """A line per amount the chart's sentence quotes: the row of the chart's numbers it comes
    from (its text columns and year), the column, the value in 百万円, and the rounding."""
    data, summary, out = chart.chart.data, chart.chart.summary or "", []
    keys = [c for c in data.columns if data[c].dtype.kind not in "iuf" or c == "fiscal_year"]
    rows = data.to_dict("records")

    def named(row) -> bool:
        """The sentence names the row (its year, its item, its region): match it first."""
        words = [v.fy(int(row[k])) if k == "fiscal_year" else str(row[k]) for k in keys]
        return any(w and w.lower() in summary.lower() for w in words)

    if "fiscal_year" in data.columns:  # else the latest year first
        rows.sort(key=lambda r: -int(r["fiscal_year"]))
    rows.sort(key=lambda r: not named(r))
    for column in [c for c in data.columns if str(c).endswith("_mjpy")]:
        for row in rows:
            if fmt.missing(row[column]):
                continue
            shown = fmt.money(row[column], v.lang, approx=True)
            if shown not in summary:
                continue
            out.append(v.t("kit.note.chart_figure", shown=shown, table=chart.chart.source,
                           row=", ".join(f"{k}={row[k]}" for k in keys),
                           column=column, value=f"{int(row[column]):,}",
                           rounding=v.t(f"kit.note.round.{_step(shown)}")))
            summary = summary.replace(shown, "", 1)  # a figure quoted once is explained once
    return out


def _chart_notes(v: View, chart) -> list[str]:
    """A chart slide's notes: its table and section of the report, the unit it is drawn in,
    and each amount its sentence quotes."""
    t = v.t
    lines = [t("kit.note.chart", table=chart.chart.source, section=source_line(
        v, chart.chart, chart.plot))]
    if v.axis_unit in chart.chart.title or v.axis_unit in str(chart.plot.spec):
        lines.append(t("kit.note.axis", unit=v.axis_unit))
    return lines + figure_notes(v, chart) + [t("kit.note.summary")]


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
    notes(cover, provenance(v))

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
