"""Figure builders shared by the pages, so every map and chart looks and behaves the same."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from . import geo

WORLD_VIEW = dict(center={"lat": 22, "lon": 40}, zoom=0.35)
# A full-width map at the narrow zoom would show the world more than once (markers repeat).
WORLD_VIEW_WIDE = dict(center={"lat": 20, "lon": 45}, zoom=0.85)
JAPAN_VIEW = dict(center={"lat": 35.8, "lon": 136.5}, zoom=3.9)
MAP_HEIGHT = 460
SEQUENTIAL = "Blues"


def _geojson(name: str) -> str:
    return geo.url(name, st.get_option("server.baseUrlPath") or "")


def _map_layout(fig: go.Figure, view: dict, height: int = MAP_HEIGHT) -> go.Figure:
    fig.update_layout(
        map=dict(style="white-bg", **view),
        height=height,
        margin=dict(l=0, r=0, t=0, b=0),
        dragmode=False,
    )
    return fig


def choropleth(geo_name: str, ids: pd.Series, values: pd.Series, hover: pd.Series,
               colorbar_title: str, view: dict, colorscale=SEQUENTIAL, zmin=None,
               zmax=None, showscale: bool = True, name: str = "") -> go.Figure:
    """Filled shapes keyed by feature id; hover text is preformatted by the page."""
    fig = go.Figure(go.Choroplethmap(
        geojson=_geojson(geo_name),
        locations=ids, z=values, featureidkey="id",
        colorscale=colorscale, zmin=zmin, zmax=zmax,
        marker=dict(line=dict(width=0.5, color="#ffffff")),
        text=hover, hovertemplate="%{text}<extra></extra>",
        colorbar=dict(title=dict(text=colorbar_title), thickness=12, len=0.7),
        showscale=showscale, name=name,
    ))
    return _map_layout(fig, view)


def categorical_map(geo_name: str, ids: pd.Series, categories: pd.Series, order: list[str],
                    labels: dict[str, str], colors: dict[str, str], hover: pd.Series,
                    view: dict) -> go.Figure:
    """One legend entry per category, each country filled with its category's colour."""
    fig = go.Figure()
    for cat in order:
        mask = categories == cat
        if not mask.any():
            continue
        fig.add_trace(go.Choroplethmap(
            geojson=_geojson(geo_name),
            locations=ids[mask], z=[1] * int(mask.sum()), featureidkey="id",
            colorscale=[[0, colors[cat]], [1, colors[cat]]], showscale=False,
            marker=dict(line=dict(width=0.5, color="#ffffff")),
            text=hover[mask], hovertemplate="%{text}<extra></extra>",
            name=labels[cat], showlegend=True,
        ))
    return _map_layout(fig, view)


def add_markers(fig: go.Figure, lat, lon, hover, name: str, color: str, symbol: str = "circle",
                size: int = 11) -> go.Figure:
    fig.add_trace(go.Scattermap(
        lat=list(lat), lon=list(lon), mode="markers",
        marker=dict(size=size, color=color, symbol=symbol, opacity=0.9),
        text=list(hover), hovertemplate="%{text}<extra></extra>", name=name,
    ))
    return fig


def oku(mjpy):
    """Million yen to 億円 (100 million yen) for chart axes; tables keep the report's 百万円."""
    return mjpy / 100
