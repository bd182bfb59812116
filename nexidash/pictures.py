"""Chart pictures: Plotly specs drawn to SVG and PNG files by Kaleido on Debian's Chromium, with
no network, for the static edition (its /c/ folder) and the press kit (its chart files, the fact
sheet and the slides) alike. Files are named by their content's hash, and Plotly's random ids are
renamed after the content too, so the same chart gives the same bytes on every build.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from importlib.metadata import version
from pathlib import Path

from . import charts, geo, paths, settings, urls
from .marks import marks

CHROMIUM = settings.get("NEXI_CHROMIUM")
DESKTOP_WIDTH, PHONE_WIDTH, PHONE_MAP_HEIGHT = 880, 400, 260
CARD = (1200, 630)  # a share card (Open Graph / Twitter)


def _drawer_identity() -> list:
    """What else a picture depends on: the drawing software's versions and the browser binary."""
    chromium = Path(CHROMIUM)
    stamp = chromium.resolve().stat().st_mtime_ns if chromium.exists() else None
    # The maps' base-layer topology is read from static/geo/ by path, not from the spec.
    geo_files = sorted(geo.publish_all().joinpath("geo").glob("*"))
    boundaries = digest(b"".join(p.name.encode() + p.read_bytes() for p in geo_files))
    return [version("kaleido"), version("plotly"), version("choreographer"), str(chromium), stamp,
            boundaries]


class ChartMaker:
    """Plotly specs to files, by Kaleido on Debian's Chromium, with no network: MathJax off, the
    maps' boundaries inlined and their base-layer topology read from static/geo/. Files are
    named by their content's hash, so a chart shared by several views is drawn once."""

    def __init__(self, out: Path, cache: bool = True):
        import kaleido

        self.kaleido = kaleido
        self.out = out / "c"
        self.out.mkdir(parents=True, exist_ok=True)
        self.made: dict[str, str] = {}
        self.live: dict[str, bool] = {}
        kaleido.start_sync_server(path=CHROMIUM, mathjax=False, silence_warnings=True)
        self.topojson = str(geo.publish_all() / "geo") + "/"
        # Pictures already drawn, by what they are drawn from (see _render).
        self.cache = paths.ROOT / settings.get("NEXI_PICTURE_CACHE") if cache else None
        if self.cache is not None:
            self.cache.mkdir(parents=True, exist_ok=True)
            self.drawer = _drawer_identity()

    def close(self) -> None:
        self.kaleido.stop_sync_server(silence_warnings=True)

    @staticmethod
    def _ready(spec: dict, lang: str) -> dict:
        spec = copy.deepcopy(spec)
        spec["layout"] = charts.merge(copy.deepcopy(charts.CHART_LAYOUT), spec.get("layout", {}))
        spec["layout"].pop("dragmode", None)
        # A picture cannot play: a timeline's frames, slider and buttons stay in the app.
        spec.pop("frames", None)
        for key in ("sliders", "updatemenus"):
            spec["layout"].pop(key, None)
        for i, trace in enumerate(spec["data"]):
            url = trace.get("geojson")
            if isinstance(url, str):  # View.geo_url: /app/static/geo/NAME.geojson
                trace["geojson"] = geo.for_d3(geo.load(Path(url).stem))
            trace.setdefault("uid", f"t{i}")  # Plotly would draw a random one
        return spec

    def _render(self, spec: dict, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
        """A picture of a spec. A picture drawn before from the same spec, size, format, Kaleido,
        Plotly and Chromium is read back instead: a rebuild after a text change draws only the
        charts that changed, and an unchanged chart keeps its bytes from build to build."""
        path = None
        if self.cache is not None:
            key = digest(json.dumps([spec, fmt, width, height, scale, self.drawer],
                                    sort_keys=True, ensure_ascii=False))
            path = self.cache / f"{key}.{fmt}"
            if path.exists():
                return path.read_bytes()
        data = self._draw(spec, fmt, width, height, scale)
        if path is not None:
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)  # another build sharing the cache never reads half a file
        return data

    def _draw(self, spec: dict, fmt: str, width: int, height: int, scale: float) -> bytes:
        data = self.kaleido.calc_fig_sync(
            spec, opts={"format": fmt, "width": width, "height": height, "scale": scale},
            topojson=self.topojson)
        if fmt == "svg":
            data = steady_svg(data)
        return data

    def chart(self, spec: dict, lang: str) -> dict:
        """The desktop and phone SVGs of a spec: {"src", "phone", "width", "height", ...}."""
        spec = self._ready(spec, lang)
        height = int(spec["layout"].get("height") or 400)
        is_map = charts.is_map(spec)
        phone_height = PHONE_MAP_HEIGHT if is_map else height
        key = digest(json.dumps(spec, sort_keys=True, ensure_ascii=False))
        name = f"{key}.svg"
        if name not in self.made:
            phone = copy.deepcopy(spec)
            if is_map:
                phone["layout"]["height"] = phone_height
            live = True
            # Each picture's marks beside it (/c/KEY.json, /c/KEY-s.json): what the page's
            # script shows on tap, hover and keyboard, placed on that picture's own geometry.
            for stem, figure, width, h in ((key, spec, DESKTOP_WIDTH, height),
                                           (f"{key}-s", phone, PHONE_WIDTH, phone_height)):
                svg = self._render(figure, "svg", width, h)
                self._write(f"{stem}.svg", svg)
                found = marks(figure, svg, lang)
                live = live and found is not None
                if found:
                    self._write(f"{stem}.json", json.dumps(
                        found, ensure_ascii=False, sort_keys=True,
                        separators=(",", ":")).encode("utf-8"))
            self.made[name] = key
            self.live[name] = live
        return {"src": urls.chart_file(f"{key}.svg"),
                "phone": urls.chart_file(f"{key}-s.svg"), "width": DESKTOP_WIDTH,
                "height": height, "phone_width": PHONE_WIDTH, "phone_height": phone_height,
                "marks": self.live[name]}

    def files(self, spec: dict, lang: str, width: int = DESKTOP_WIDTH
              ) -> tuple[bytes, bytes, tuple[int, int]]:
        """A chart as files to take away: a PNG at twice the size (for slides) and an SVG (for
        print), and the chart's size in CSS pixels. A narrower `width` keeps the text legible
        where the picture is printed small (half a fact sheet's width)."""
        spec = self._ready(spec, lang)
        spec["layout"]["paper_bgcolor"] = "#ffffff"
        height = int(spec["layout"].get("height") or 400)
        return (self._render(spec, "png", width, height, scale=2),
                self._render(spec, "svg", width, height), (width, height))

    def card(self, spec: dict, lang: str) -> str:
        """A share card (Open Graph / Twitter) of a chart: a 1200 x 630 PNG."""
        spec = self._ready(spec, lang)
        spec["layout"]["height"] = CARD[1]
        spec["layout"]["paper_bgcolor"] = "#ffffff"
        key = digest("card" + json.dumps(spec, sort_keys=True, ensure_ascii=False))
        name = f"{key}.png"
        if name not in self.made:
            self._write(name, self._render(spec, "png", *CARD))
            self.made[name] = key
        return urls.chart_file(name)

    def _write(self, name: str, data: bytes) -> None:
        (self.out / name).write_bytes(data)


# Plotly's random ids: its layout's (defs-4f0c2a, clip4f0c2axy, url(#legend4f0c2a)) and its
# gradients' (g54a8eb-cbt0).
_RANDOM_IDS = (re.compile(rb'id="defs-([0-9a-f]{6})"'), re.compile(rb'id="g([0-9a-f]{6})-'))


def steady_svg(svg: bytes) -> bytes:
    """Plotly names an SVG's clip paths, defs and gradients after random ids: name them after
    the SVG's own content instead, so the same chart gives the same bytes. Only an id's uses
    are replaced, never the same digits in a coordinate: an id follows a lowercase letter or a
    hyphen and is followed by a letter, hyphen, quote or bracket."""
    uses = []
    for pattern in _RANDOM_IDS:
        uses += [re.compile(rb"(?<=[a-z-])" + m.group(1) + rb"(?=[a-z\"')-])")
                 for m in pattern.finditer(svg)]
    if not uses:
        return svg
    neutral = svg
    for use in uses:
        neutral = use.sub(b"", neutral)
    digest = hashlib.sha256(neutral).hexdigest()
    for i, use in enumerate(uses):
        svg = use.sub(digest[6 * i:6 * i + 6].encode(), svg)
    return svg


def digest(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:16]
