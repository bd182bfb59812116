"""Boundaries and marker positions for the maps, read from the committed files in data/geo/.

Maps are drawn by Plotly's MapLibre traces from this GeoJSON with an empty base style, so a map
makes no request beyond the app itself. Only the features a map colours are sent to the browser.
"""

from __future__ import annotations

import json
from functools import cache

import shapely

from . import paths

# Places too small to have a shape at 1:110m; positions are their capitals, for markers only.
OFF_MAP_POINTS = {
    "SGP": (1.29, 103.85),
    "HKG": (22.32, 114.17),
    "MAC": (22.20, 113.55),
    "BHR": (26.23, 50.59),
    "PLW": (7.50, 134.62),
}


@cache
def _load(name: str) -> dict:
    with open(paths.GEO_DIR / f"{name}.geojson", encoding="utf-8") as fh:
        return json.load(fh)


def features(name: str, ids=None) -> dict:
    """A FeatureCollection of the named file, limited to `ids` when given."""
    geo = _load(name)
    if ids is None:
        return geo
    wanted = set(ids)
    return {"type": "FeatureCollection",
            "features": [f for f in geo["features"] if f["id"] in wanted]}


@cache
def points(name: str) -> dict[str, tuple[float, float]]:
    """A (lat, lon) inside each feature: where a marker for that place goes."""
    out = {}
    for f in _load(name)["features"]:
        geom = shapely.geometry.shape(f["geometry"])
        # The largest part, so a country's marker sits on its mainland, not an outlying island.
        parts = getattr(geom, "geoms", [geom])
        main = max(parts, key=lambda g: g.area)
        p = main.representative_point() if not main.centroid.within(main) else main.centroid
        out[f["id"]] = (round(p.y, 3), round(p.x, 3))
    if name == "world":
        out.update(OFF_MAP_POINTS)
    return out

# Region-wide projects (no single country) are marked at a point inside their region.
REGION_ANCHORS = {
    "africa": (2.0, 20.0),
    "asia": (28.0, 95.0),
}
