"""Boundaries and marker positions for the maps, read from the committed files in data/geo/.

Maps are Plotly geo subplots drawn from this GeoJSON with every base layer off, so a map makes
no request beyond the app itself. The browser fetches the boundaries by URL (static/geo/), so
they travel once per browser, are cached, and keep the map's message small.
"""

from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from pathlib import Path

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
def load(name: str) -> dict:
    """A boundary file of data/geo/ as GeoJSON (right-hand rule, as committed)."""
    with open(paths.GEO_DIR / f"{name}.geojson", encoding="utf-8") as fh:
        return json.load(fh)


def publish_all() -> Path:
    """Publish every boundary file to static/geo/, where the maps fetch them (View.geo_url).

    Run by the build (`make data`) and by `make serve`, never while a page is drawn: a page
    run only names the files. Returns static/.
    """
    for source in sorted(paths.GEO_DIR.glob("*.geojson")):
        publish(source.stem)
    # Plotly fetches a base-layer topology for every geo map, from its CDN unless told
    # otherwise; every base layer is off on our maps, so the one served here is empty.
    publish("world_110m", ".json")
    # The page scripts (assets/js) are static files too, published beside the boundaries.
    scripts = STATIC_DIR.parent / "js"
    scripts.mkdir(parents=True, exist_ok=True)
    for source in sorted((paths.ROOT / "assets" / "js").glob("*.js")):
        target = scripts / source.name
        if not target.exists() or target.read_bytes() != source.read_bytes():
            target.write_bytes(source.read_bytes())
    return STATIC_DIR.parent


@cache
def publish(name: str, suffix: str = ".geojson") -> None:
    """Write data/geo/NAME+SUFFIX to static/geo/ (Streamlit serves files, not symlinks, there).

    data/geo is the committed source; static/ is generated, like the database file. The copy
    is wound for d3, which draws Plotly's geo maps: data/geo follows GeoJSON's right-hand rule
    (exteriors counter-clockwise), and d3 reads a counter-clockwise ring as everything on the
    globe except the shape, so every ring is reversed.
    """
    source = paths.GEO_DIR / f"{name}{suffix}"
    data = source.read_bytes()
    if suffix == ".geojson":
        data = (json.dumps(for_d3(json.loads(data)), ensure_ascii=False,
                           separators=(",", ":")) + "\n").encode("utf-8")
    target = STATIC_DIR / source.name
    if target.exists() and target.read_bytes() == data:
        return
    STATIC_DIR.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=STATIC_DIR, prefix=source.name + ".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)  # mkstemp makes it private; nginx's workers must read it
    os.replace(tmp, target)


def for_d3(collection: dict) -> dict:
    """The feature collection with every polygon ring reversed (see publish)."""
    def rings(polygon):
        return [ring[::-1] for ring in polygon]

    features = []
    for f in collection["features"]:
        g = f["geometry"]
        if g["type"] == "Polygon":
            g = {**g, "coordinates": rings(g["coordinates"])}
        elif g["type"] == "MultiPolygon":
            g = {**g, "coordinates": [rings(p) for p in g["coordinates"]]}
        features.append({**f, "geometry": g})
    return {**collection, "features": features}


@cache
def points(name: str) -> dict[str, tuple[float, float]]:
    """A (lat, lon) inside each feature: where a marker for that place goes."""
    import shapely  # here, not at the top: a page without markers need not load it

    out = {}
    for f in load(name)["features"]:
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


if __name__ == "__main__":  # `make data`: python -m nexidash.geo
    print(f"published the maps' boundaries to {publish_all()}")
