"""Figure builders shared by the pages, so every map and chart looks and behaves the same.

Figures are plain JSON-ready dicts, not Plotly's graph objects. The object model validates and
copies every property as it is set: 40–70 ms per chart on every rerun, most of a page's server
time. Our figures have fixed shapes written here and in the pages, and a test validates every
chart a page sends against Plotly's own schema (tests/test_charts.py), so nothing is lost by
building them directly.
"""

from __future__ import annotations

import copy
import math
from html import escape
from functools import cache

import numpy as np
import pandas as pd
from plotly.colors import get_colorscale


def _plain(value, key: str | None = None):
    """A JSON-ready value: Series and arrays become lists, NaN becomes None (a gap). Under
    `key`, it also does what Plotly's validators would have done that plotly.js needs: a title
    becomes {"text": …} (plotly.js 3 ignores a bare string) and a named colour scale becomes
    its colours (plotly.js reads some names, Blues among them, in the opposite direction to
    Plotly for Python)."""
    if key == "title" and isinstance(value, str):
        return {"text": value}
    if key == "colorscale" and isinstance(value, str):
        return [list(step) for step in get_colorscale(value)]
    if isinstance(value, (pd.Series, pd.Index, np.ndarray)):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, k) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def merge(into: dict, update: dict) -> dict:
    """Deep-merge `update` into `into`, as Plotly's update_layout does for nested dicts."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value
    return into


def trace(kind: str, **props) -> dict:
    """One trace: `trace("bar", x=..., marker_color=...)`; `a_b=v` means {"a": {"b": v}}."""
    out: dict = {"type": kind}
    for key, value in props.items():
        *path, leaf = key.split("_")
        node = out
        for part in path:
            node = node.setdefault(part, {})
        node[leaf] = _plain(value, leaf)
    return out


def bar(**props) -> dict:
    return trace("bar", **props)


def scatter(**props) -> dict:
    return trace("scatter", **props)


def waterfall(**props) -> dict:
    """Steps from a start to a result: each bar's `measure` is "absolute" (the start),
    "relative" (a step up or down) or "total" (the running sum, drawn from zero). Rises,
    falls and totals take fixed colours, so a loss reads the same on every chart."""
    return trace("waterfall", increasing_marker_color=PALETTE[2],
                 decreasing_marker_color=PALETTE[5], totals_marker_color=PALETTE[0],
                 connector_line_color="#d5dae5", **props)


class Figure:
    """The two things pages do to a figure, add traces and update the layout, on plain dicts."""

    def __init__(self, *traces: dict, layout: dict | None = None):
        self.data = list(traces)
        self.layout = copy.deepcopy(layout) if layout else {}
        self.frames: list[dict] = []

    def add_trace(self, t: dict) -> "Figure":
        self.data.append(t)
        return self

    def update_layout(self, **props) -> "Figure":
        merge(self.layout, _plain(props))
        return self

    def to_dict(self) -> dict:
        out = {"data": self.data, "layout": self.layout}
        if self.frames:
            out["frames"] = self.frames
        return out


@cache
def subplot_layout(titles: tuple[str, ...], horizontal_spacing: float) -> dict:
    """The axes domains and title annotations of a one-row grid (Plotly's make_subplots,
    computed once per set of titles)."""
    from plotly.subplots import make_subplots

    grid = make_subplots(rows=1, cols=len(titles), subplot_titles=list(titles),
                         horizontal_spacing=horizontal_spacing)
    layout = grid.to_dict()["layout"]
    layout.pop("template", None)  # Streamlit's theme styles the chart, as on every other one
    return layout


# Maps are Plotly geo subplots drawn as SVG from our own GeoJSON, with every base layer off.
# Unlike the MapLibre traces, a geo map needs no WebGL context: redrawn after a control change
# it costs ~0.1 s in the browser instead of ~0.7 s. Each view is the part of the globe shown.
WORLD_VIEW = dict(projection={"type": "natural earth"}, lataxis={"range": [-57, 84]},
                  lonaxis={"range": [-180, 180]})
JAPAN_VIEW = dict(projection={"type": "mercator"}, lataxis={"range": [24, 45.8]},
                  lonaxis={"range": [122.5, 149]})
MAP_HEIGHT = 460
SEQUENTIAL = "Blues"
_NO_BASE_LAYERS = {f"show{layer}": False for layer in (
    "coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits", "frame")}


def _map_layout(fig: Figure, view: dict, height: int = MAP_HEIGHT) -> Figure:
    fig.update_layout(
        geo=dict(bgcolor="rgba(0,0,0,0)", **_NO_BASE_LAYERS, **copy.deepcopy(view)),
        height=height,
        margin=dict(l=0, r=0, t=0, b=0),
        dragmode=False,
    )
    return fig


def focus(fig: Figure, lat: float, lon: float, span: float) -> Figure:
    """Show `span` degrees of longitude around a place (a country, a prefecture)."""
    return fig.update_layout(geo=dict(lonaxis={"range": [lon - span / 2, lon + span / 2]},
                                      lataxis={"range": [lat - span / 3, lat + span / 3]}))


def choropleth(geojson_url: str, ids: pd.Series, values: pd.Series, hover: pd.Series,
               colorbar_title: str, view: dict, colorscale=SEQUENTIAL, zmin=None,
               zmax=None, showscale: bool = True, name: str = "", customdata=None) -> Figure:
    """Filled shapes keyed by feature id (boundaries from View.geo_url); hover text is
    preformatted by the page; `customdata`, one code per shape, is what a click selects."""
    fig = Figure(trace(
        "choropleth", customdata=None if customdata is None else list(customdata),
        geojson=geojson_url,
        locations=ids, z=values, featureidkey="id",
        colorscale=colorscale, zmin=zmin, zmax=zmax,
        marker=dict(line=dict(width=0.5, color="#ffffff")),
        text=hover, hovertemplate="%{text}<extra></extra>",
        colorbar=dict(title=dict(text=colorbar_title), thickness=12, len=0.7),
        showscale=showscale, name=name,
    ))
    return _map_layout(fig, view)


# Six classes, light to dark; the lightest still stands out from the page (3:1 on white).
CLASS_COLORS = ("#a6c8e4", "#7fb0d8", "#5596c8", "#2f7bb6", "#17609c", "#08426f")


def class_breaks(values, k: int = len(CLASS_COLORS)) -> list[float]:
    """Upper bounds of the first k-1 classes: quantiles of the positive values, rounded to two
    significant figures so a legend reads 1,200 rather than 1,187.4. One set of breaks for all
    the years of a timeline keeps a colour meaning the same amount in every year."""
    positive = sorted(float(x) for x in values if x == x and x > 0)
    if not positive:
        return []
    breaks: list[float] = []
    for i in range(1, k):
        q = positive[min(len(positive) - 1, round(i * (len(positive) - 1) / k))]
        nice = float(f"{q:.2g}")
        if not breaks or nice > breaks[-1]:
            breaks.append(nice)
    return breaks


def class_of(value, breaks: list[float]) -> int | None:
    if value != value:  # NaN: no figure, no fill
        return None
    return next((i for i, b in enumerate(breaks) if value < b), len(breaks))


def class_scale(breaks: list[float], number) -> dict:
    """A stepped colour scale and its legend for class indices 0..len(breaks): `number` writes
    a bound as the legend shows it."""
    k = len(breaks) + 1
    colors = CLASS_COLORS[-k:] if k <= len(CLASS_COLORS) else CLASS_COLORS
    scale = [[edge, c] for i, c in enumerate(colors) for edge in (i / k, (i + 1) / k)]
    bounds = [number(b) for b in breaks]
    text = ([f"< {bounds[0]}"] + [f"{a} – {b}" for a, b in zip(bounds, bounds[1:])]
            + [f"≥ {bounds[-1]}"]) if bounds else [""]
    return {"colorscale": scale, "zmin": -0.5, "zmax": k - 0.5,
            "colorbar": {"tickvals": list(range(k)), "ticktext": text}}


def timeline(fig: Figure, frames: list[dict], labels: list[str], active: int, play: str,
             pause: str) -> Figure:
    """Frames of the first trace (one per year) with a slider and a play button, played in the
    browser: moving through the years costs no request."""
    kind = fig.data[0]["type"]
    fig.frames = [{"name": name, "data": [{"type": kind, **_plain(data)}], "traces": [0]}
                  for name, data in zip(labels, frames)]
    step = {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
            "transition": {"duration": 0}}
    fig.update_layout(
        sliders=[{"active": active, "pad": {"t": 4, "b": 0, "r": 28}, "len": 0.8, "x": 0.2,
                  "currentvalue": {"visible": False},
                  "steps": [{"label": name, "method": "animate", "args": [[name], step]}
                            for name in labels]}],
        updatemenus=[{"type": "buttons", "showactive": False, "x": 0, "y": 0, "xanchor": "left",
                      "yanchor": "top", "pad": {"t": 4}, "direction": "left",
                      "buttons": [
                          {"label": "▶", "name": play, "method": "animate",
                           "args": [None, {**step, "frame": {"duration": 900, "redraw": True},
                                           "fromcurrent": True}]},
                          {"label": "❚❚", "name": pause, "method": "animate",
                           "args": [[None], {**step, "mode": "immediate"}]}]}],
    )
    return fig


def categorical_map(geojson_url: str, ids: pd.Series, categories: pd.Series, order: list[str],
                    labels: dict[str, str], colors: dict[str, str], hover: pd.Series,
                    view: dict, customdata: pd.Series | None = None) -> Figure:
    """One legend entry per category, each country filled with its category's colour."""
    fig = Figure()
    for cat in order:
        mask = categories == cat
        if not mask.any():
            continue
        fig.add_trace(trace(
            "choropleth",
            geojson=geojson_url, customdata=None if customdata is None else customdata[mask],
            locations=ids[mask], z=[1] * int(mask.sum()), featureidkey="id",
            colorscale=[[0, colors[cat]], [1, colors[cat]]], showscale=False,
            marker=dict(line=dict(width=0.5, color="#ffffff")),
            text=hover[mask], hovertemplate="%{text}<extra></extra>",
            name=labels[cat], showlegend=True,
        ))
    return _map_layout(fig, view)


def add_markers(fig: Figure, lat, lon, hover, name: str, color: str, symbol: str = "circle",
                size: int = 11, customdata=None) -> Figure:
    fig.add_trace(trace(
        "scattergeo", customdata=None if customdata is None else list(customdata),
        lat=list(lat), lon=list(lon), mode="markers",
        marker=dict(size=size, color=color, symbol=symbol, opacity=0.9,
                    line=dict(width=1, color="#ffffff")),
        text=list(hover), hovertemplate="%{text}<extra></extra>", name=name,
    ))
    return fig


def hover_text(title: str, *lines: str) -> str:
    """A hover label: the title in bold, then one line each. Names come from the data, so each
    is escaped: Plotly reads a little HTML in hover text."""
    return "<br>".join([f"<b>{escape(str(title))}</b>", *(escape(str(x)) for x in lines)])


def is_map(spec: dict) -> bool:
    return any(t.get("geojson") or t.get("type") == "scattergeo" for t in spec.get("data", []))


# Every chart's frame; a page's own layout (a taller top margin, a side legend) goes on top.
# Charts are drawn with Streamlit's theme off (theme=None): its template styles every trace
# type Plotly has and is applied twice on a chart's first draw, which doubled the browser's
# drawing time (overview's five-panel trend: 173 ms → 88 ms unthrottled, about 0.3 s of a
# phone's blocking time). This small template gives the look the app needs: the app's text
# colour, light grids, axes that make room for their labels.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000", "#999999"]  # Okabe–Ito: distinguishable with common colour-vision deficiencies
_AXIS = {"automargin": True, "gridcolor": "#e6e9ef", "linecolor": "#d5dae5",
         "zerolinecolor": "#d5dae5", "ticks": "", "title": {"standoff": 8}}
_FONT = "Noto Sans CJK JP, Noto Sans JP, sans-serif"
CHART_LAYOUT = {
    "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
    "font": {"family": _FONT, "color": "#31333f", "size": 13},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "colorway": PALETTE,
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    "hoverlabel": {"font": {"family": _FONT}},
    "template": {"layout": {"xaxis": _AXIS, "yaxis": _AXIS}},
}
