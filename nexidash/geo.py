"""Boundaries and marker positions for the maps, read from the committed files in data/geo/.

Maps are drawn by Plotly's MapLibre traces from this GeoJSON with an empty base style, so a map
makes no request beyond the app itself. Only the features a map colours are sent to the browser.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from functools import cache

import shapely

from . import paths

STATIC_DIR = paths.ROOT / "static" / "geo"

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


def url(name: str, base_path: str = "") -> str:
    """Where the browser fetches a boundary file: the app's static route, not the websocket.

    Sent by URL, the GeoJSON travels once per browser (it is cached and revalidated), is not
    deep-copied by Plotly on every rerun, and the map message stays small.
    """
    publish(name)
    prefix = "/" + base_path.strip("/") if base_path.strip("/") else ""
    return f"{prefix}/app/static/geo/{name}.geojson"


@cache
def publish(name: str) -> None:
    """Copy data/geo/NAME.geojson to static/geo/ (Streamlit serves files, not symlinks, there).

    data/geo is the committed source; static/ is generated, like the database file.
    """
    source = paths.GEO_DIR / f"{name}.geojson"
    target = STATIC_DIR / source.name
    if target.exists() and target.read_bytes() == source.read_bytes():
        return
    STATIC_DIR.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=STATIC_DIR, prefix=source.name + ".tmp-")
    os.close(fd)
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)


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
