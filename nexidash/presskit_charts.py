"""The press kit's charts as pictures that stand on their own: each exported PNG and SVG carries
its title at the top and its unit and source at the foot, in the picture itself (a chart copied
into an article keeps them). And, for the fact sheet, amounts of a trillion yen or
more drawn in 兆円 / ¥ trillion rather than as five-digit 億円.

The source line names the report's section in the chart's language: the catalog's source_ja in
Japanese, the source.<table> keys in English.
"""

from __future__ import annotations

import copy
import io
import json
import unicodedata
from dataclasses import dataclass
from html import escape
from pathlib import Path

from . import blocks as b
from . import formats
from .view import View

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
TITLE_ROOM = 44  # px above the chart for its title (17 px bold)
LINE_PX = 16  # px per line of the foot (11 px)
PAD = 8  # px from the left edge, as the charts' own margin
FOOT_CHARS = 140  # a line of the foot, in half-width characters, at the desktop's 880 px
TITLE_COLOR, FOOT_COLOR = "#0b5394", "#505050"
# The axis unit one step up: 10,000億円 is 1兆円, 1,000 ¥ billion is ¥1 trillion.
UP = {"ja": (10_000, "億円", "兆円"), "en": (1_000, "¥ billion", "¥ trillion")}


def section(v: View, table: str) -> str:
    """Where a table's figures stand in the report, in the view's language: the catalog's
    source_ja, or its English gloss source_en."""
    return v.q("catalog_entry", table_name=table).iloc[0][v.col("source")]


def unit(v: View, chart: b.Chart, plot: b.Plot) -> str | None:
    """The unit the picture is drawn in: the catalog's is the table's (百万円), but a chart of
    money is drawn in 億円 / ¥ billion (View.axis_unit)."""
    drawn = json.dumps(plot.spec, ensure_ascii=False) + chart.title
    if v.axis_unit in drawn:
        return v.axis_unit
    entry = v.q("catalog_entry", table_name=chart.source)
    if entry.empty:
        return None
    value = entry.iloc[0][v.col("unit")]
    return None if not value or value == "—" else value


def source_line(v: View, chart: b.Chart, plot: b.Plot | None = None) -> str:
    """"Source: NEXI Annual Report FY2024 (section: …) · Unit: ¥ billion", in the view's
    language throughout."""
    if not v.q("catalog_entry", table_name=chart.source).empty:
        line = v.t("ui.source", year=v.report_year, section=section(v, chart.source))
    else:
        line = v.t("kit.source", year=v.report_year)
    drawn = unit(v, chart, plot or chart.plots[0])
    return line + (" · " + v.t("ui.unit", unit=drawn) if drawn else "")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, limit: int) -> list[str]:
    """Lines of at most `limit` half-width characters (a CJK character counts two), broken at
    a space where there is one near the end, else anywhere (Japanese has no spaces)."""
    lines, line = [], ""
    for word in text.replace(" ", " \0").split("\0"):
        while _width(line + word) > limit:
            if line:
                lines.append(line.rstrip())
                line = ""
                continue
            cut = 0
            while _width(word[:cut + 1]) <= limit:
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines


@dataclass(frozen=True)
class Frame:
    """A picture's labels: the title above it and the foot (unit and source) below, in lines,
    with the room they take in CSS pixels."""

    title: str
    foot: tuple[str, ...]

    @property
    def top(self) -> int:
        return TITLE_ROOM

    @property
    def bottom(self) -> int:
        return LINE_PX * len(self.foot) + 12


def frame_of(v: View, chart: b.Chart, plot: b.Plot, width: int = 880) -> Frame:
    title = chart.title if len(chart.plots) == 1 else f"{chart.title} ({plot.label})"
    limit = FOOT_CHARS * width // 880
    foot = wrap(source_line(v, chart, plot), limit) + wrap(v.t("kit.derived"), limit)
    return Frame(title, tuple(foot))


def framed(frame: Frame, png: bytes, svg: bytes, size: tuple[int, int]
           ) -> tuple[bytes, bytes, tuple[int, int]]:
    """The chart's PNG (drawn at twice the size) and SVG with the frame's title above and foot
    below, drawn around the picture rather than inside Plotly's layout: the plot keeps its size
    and no axis label (Plotly grows a margin for long ones) can run into the foot."""
    width, height = size
    total = frame.top + height + frame.bottom
    return (_framed_png(frame, png, width, total), _framed_svg(frame, svg, width, height, total),
            (width, total))


def _fonts(scale: int):
    from PIL import ImageFont

    return (ImageFont.truetype(str(FONT_DIR / "NotoSansCJK-Bold.ttc"), 17 * scale, index=0),
            ImageFont.truetype(str(FONT_DIR / "NotoSansCJK-Regular.ttc"), 11 * scale, index=0))


def _framed_png(frame: Frame, png: bytes, width: int, total: int, scale: int = 2) -> bytes:
    from PIL import Image, ImageDraw

    chart = Image.open(io.BytesIO(png)).convert("RGB")
    out = Image.new("RGB", (width * scale, total * scale), "white")
    out.paste(chart, (0, frame.top * scale))
    draw = ImageDraw.Draw(out)
    bold, small = _fonts(scale)
    draw.text((PAD * scale, 12 * scale), frame.title, font=bold, fill=TITLE_COLOR)
    y = (total - frame.bottom + 6) * scale
    for line in frame.foot:
        draw.text((PAD * scale, y), line, font=small, fill=FOOT_COLOR)
        y += LINE_PX * scale
    buf = io.BytesIO()
    out.save(buf, format="PNG", optimize=True)  # PIL writes no date: the same bytes each time
    return buf.getvalue()


def _framed_svg(frame: Frame, svg: bytes, width: int, height: int, total: int) -> bytes:
    text = svg.decode("utf-8")
    start = text.index("<svg")
    inner = text[start:].replace("<svg", f'<svg x="0" y="{frame.top}"', 1)
    font = 'font-family="Noto Sans CJK JP, Noto Sans JP, sans-serif"'
    foot = "".join(
        f'<text x="{PAD}" y="{frame.top + height + 6 + 12 + i * LINE_PX}" {font} '
        f'font-size="11" fill="{FOOT_COLOR}">{escape(line)}</text>'
        for i, line in enumerate(frame.foot))
    out = (f'<svg xmlns="http://www.w3.org/2000/svg" '
           f'xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" height="{total}" '
           f'viewBox="0 0 {width} {total}"><rect width="{width}" height="{total}" fill="#ffffff"/>'
           f'<text x="{PAD}" y="30" {font} font-size="17" font-weight="bold" '
           f'fill="{TITLE_COLOR}">{escape(frame.title)}</text>{inner}{foot}</svg>')
    return out.encode("utf-8")


def in_trillions(spec: dict, lang: str) -> dict:
    """The spec with each bar series whose amounts reach a trillion yen drawn in 兆円 / ¥
    trillion, and every money axis titled with its unit (subplots may differ: 兆円 beside 億円)."""
    spec = copy.deepcopy(spec)
    step, small, large = UP[lang]
    layout = spec.setdefault("layout", {})
    # A chart drawn in 億円 / ¥ billion says so in its hovers ("¥%{y:,.1f} billion" in English).
    if small.split()[-1] not in json.dumps(spec, ensure_ascii=False):
        return spec
    # Per axis, not per series: the series stacked on one axis must keep one unit.
    bars = []
    for trace in spec.get("data", []):
        if trace.get("type") == "bar":
            key = "x" if trace.get("orientation") == "h" else "y"
            bars.append((trace, key, _axis_name(trace.get(f"{key}axis", key))))
    peak: dict[str, float] = {}
    for trace, key, axis in bars:
        values = [abs(x) for x in trace.get(key) or [] if x is not None]
        peak[axis] = max([peak.get(axis, 0), *values])
    for trace, key, axis in bars:
        box = layout.setdefault(axis, {})
        if peak[axis] >= step:
            trace[key] = [None if x is None else x / step for x in trace[key]]
            box["tickformat"] = formats.DECIMAL.tick
            box["title"] = {"text": large}
            if "hovertemplate" in trace:
                trace["hovertemplate"] = trace["hovertemplate"].replace(small, large)
        elif not (box.get("title") or {}).get("text"):
            box["title"] = {"text": small}
    return spec


def _axis_name(ref: str) -> str:
    """A trace's axis reference (x, y2) as the layout's key (xaxis, yaxis2)."""
    return ref[0] + "axis" + ref[1:]
