#!/usr/bin/env python
"""Build the boundary files used by the dashboard's maps.

Writes, deterministically:

* ``data/geo/world.geojson`` - countries from Natural Earth 1:110m (public
  domain), keyed by ISO 3166-1 alpha-3 code (Feature ``id`` and ``iso3``).
* ``data/geo/japan.geojson`` - the 47 prefectures from the ``japanmap``
  package (Apache-2.0), keyed by two-digit JIS X 0401 code (Feature ``id``
  and ``code``).

Both are simplified as polygonal coverages (shared borders stay shared),
snapped to a coordinate grid, made valid and wound counter-clockwise
(RFC 7946), then written as compact JSON.

Usage: ``python scripts/build_geo.py`` (see ``scripts/requirements-geo.txt``).
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import json
import sys
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "data" / "geo"

# --- world -----------------------------------------------------------------
WORLD_TOLERANCE = 0.1  # coverage simplification tolerance, degrees
WORLD_DECIMALS = 3
WORLD_MAX_BYTES = 400_000

# Natural Earth leaves iso_a3 as -99 for these; fix by (Natural Earth) name.
ISO3_FIXES = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX"}
# Areas that Natural Earth shows separately but that we merge into a country.
DISSOLVE_INTO = {"N. Cyprus": "CYP", "Somaliland": "SOM"}
DROP_ISO3 = {"ATA", "ATF"}  # Antarctica, French Southern and Antarctic Lands
# This Natural Earth edition draws Crimea as a part of Russia. Japan, like the
# UN General Assembly (resolution 68/262), regards it as Ukraine, so the part
# of Russia containing this point is moved to Ukraine.
MOVE_PART = {"from": "RUS", "to": "UKR", "point": (34.1, 45.0)}  # Crimea

# --- Japan -----------------------------------------------------------------
JAPAN_TOLERANCE = 0.01  # degrees
JAPAN_DECIMALS = 4
JAPAN_MAX_BYTES = 300_000
JAPAN_MAX_AREA_CHANGE = 0.02  # simplified vs unsimplified union area
# Repairing the source's self-intersecting rings (make_valid) leaves a few
# specks: tiny triangular parts and triangular holes. Parts smaller than
# 1e-4 deg2 (about 1 km2) and holes smaller than 1e-3 deg2 (about 10 km2) are
# dropped (holes are filled). Omura Bay (Nagasaki, ~0.03 deg2) stays a hole.
JAPAN_MIN_PART_DEG2 = 1e-4
JAPAN_MIN_HOLE_DEG2 = 1e-3

PREF_EN = [
    "Hokkaido", "Aomori", "Iwate", "Miyagi", "Akita", "Yamagata", "Fukushima",
    "Ibaraki", "Tochigi", "Gunma", "Saitama", "Chiba", "Tokyo", "Kanagawa",
    "Niigata", "Toyama", "Ishikawa", "Fukui", "Yamanashi", "Nagano", "Gifu",
    "Shizuoka", "Aichi", "Mie", "Shiga", "Kyoto", "Osaka", "Hyogo", "Nara",
    "Wakayama", "Tottori", "Shimane", "Okayama", "Hiroshima", "Yamaguchi",
    "Tokushima", "Kagawa", "Ehime", "Kochi", "Fukuoka", "Saga", "Nagasaki",
    "Kumamoto", "Oita", "Miyazaki", "Kagoshima", "Okinawa",
]


# --- geometry helpers ------------------------------------------------------
def polygon_parts(geom) -> list[Polygon]:
    """Return the non-empty polygons inside any geometry (drops lines/points)."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in polygon_parts(g)]
    return []


def as_polygonal(parts: list[Polygon]):
    parts = [p for p in parts if not p.is_empty and p.area > 0]
    if not parts:
        raise ValueError("geometry became empty")
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def drop_specks(geom, min_part: float, min_hole: float):
    """Drop polygon parts and fill holes smaller than the given areas."""
    parts = []
    for p in polygon_parts(geom):
        if p.area < min_part:
            continue
        holes = [r for r in p.interiors if Polygon(r).area >= min_hole]
        parts.append(Polygon(p.exterior, holes))
    return as_polygonal(parts)


def finish(geom, decimals: int):
    """Snap to the grid, keep it valid and polygonal, wind exteriors CCW."""
    grid = 10.0 ** -decimals
    geom = shapely.set_precision(geom, grid)  # mode="valid_output"
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [orient(p, sign=1.0) for p in polygon_parts(geom)]
    geom = as_polygonal(parts)
    assert geom.is_valid, shapely.is_valid_reason(geom)
    return geom


def ring_coords(ring, decimals: int) -> list[list[float]]:
    return [[round(x, decimals), round(y, decimals)] for x, y in ring.coords]


def geometry_json(geom, decimals: int) -> dict:
    def poly(p: Polygon):
        return [ring_coords(p.exterior, decimals)] + [
            ring_coords(r, decimals) for r in p.interiors
        ]

    if isinstance(geom, Polygon):
        return {"type": "Polygon", "coordinates": poly(geom)}
    return {"type": "MultiPolygon", "coordinates": [poly(p) for p in geom.geoms]}


def write_collection(path: Path, features: list[dict]) -> int:
    text = json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    path.write_text(text + "\n", encoding="utf-8")
    return path.stat().st_size


def check_coverage(geoms, label: str) -> None:
    """Shared borders must stay shared: no overlaps between features."""
    if not shapely.coverage_is_valid(geoms):
        bad = shapely.coverage_invalid_edges(geoms)
        n = int((~shapely.is_empty(bad)).sum())
        raise SystemExit(f"{label}: coverage is not valid ({n} features with bad edges)")
    summed = float(shapely.area(geoms).sum())
    union = shapely.union_all(geoms).area
    if abs(summed - union) > 1e-6 * union:
        raise SystemExit(f"{label}: features overlap (sum {summed} vs union {union})")


# --- world -----------------------------------------------------------------
def natural_earth_path() -> Path:
    fixture = (
        importlib.resources.files("pyogrio")
        / "tests" / "fixtures" / "naturalearth_lowres" / "naturalearth_lowres.shp"
    )
    path = Path(str(fixture))
    if not path.exists():
        raise SystemExit(f"Natural Earth fixture not found in pyogrio at {path}")
    return path


def build_world() -> tuple[list[dict], dict]:
    df = pyogrio.read_dataframe(natural_earth_path())
    df = df[["name", "iso_a3", "geometry"]].copy()
    for name, iso3 in {**ISO3_FIXES, **DISSOLVE_INTO}.items():
        mask = df["name"] == name
        if mask.sum() != 1:
            raise SystemExit(f"expected one Natural Earth row named {name!r}")
        df.loc[mask, "iso_a3"] = iso3
    merged_away = set(DISSOLVE_INTO)
    df = df[~df["iso_a3"].isin(DROP_ISO3)]
    if (df["iso_a3"] == "-99").any():
        raise SystemExit(f"unfixed iso_a3 -99: {df.loc[df.iso_a3 == '-99', 'name'].tolist()}")
    check_coverage(df.geometry.values, "world (source)")

    # Move Crimea from Russia to Ukraine (the source is edge-matched, so the
    # moved part shares its border with Ukraine exactly).
    src = df.index[df["iso_a3"] == MOVE_PART["from"]][0]
    dst = df.index[df["iso_a3"] == MOVE_PART["to"]][0]
    point = shapely.Point(*MOVE_PART["point"])
    parts = polygon_parts(df.at[src, "geometry"])
    moved = [p for p in parts if p.contains(point)]
    if len(moved) != 1 or not moved[0].touches(df.at[dst, "geometry"]):
        raise SystemExit("Crimea: expected one Russian part bordering Ukraine")
    df.at[src, "geometry"] = as_polygonal([p for p in parts if not p.contains(point)])
    df.at[dst, "geometry"] = shapely.coverage_union_all([df.at[dst, "geometry"], moved[0]])
    check_coverage(df.geometry.values, "world (Crimea moved)")

    # Dissolve (edge-matched coverage, so the exact coverage union is safe).
    rows = []
    for iso3, grp in df.groupby("iso_a3", sort=True):
        names = [n for n in grp["name"] if n not in merged_away]
        if len(names) != 1:
            raise SystemExit(f"{iso3}: ambiguous names {grp['name'].tolist()}")
        geom = grp.geometry.iloc[0] if len(grp) == 1 else shapely.coverage_union_all(grp.geometry.values)
        rows.append({"iso3": iso3, "name": names[0], "geometry": geom})
    world = gpd.GeoDataFrame(rows, geometry="geometry", crs=df.crs)

    raw_area = float(shapely.area(world.geometry.values).sum())
    raw_vertices = int(shapely.get_num_coordinates(world.geometry.values).sum())
    simplified = world.geometry.simplify_coverage(WORLD_TOLERANCE)
    world["geometry"] = [finish(g, WORLD_DECIMALS) for g in simplified]
    check_coverage(world.geometry.values, "world (simplified)")

    # Antimeridian: Russia and Fiji are split at +/-180 in the source; the
    # split must survive simplification (no vertex may drift off the line
    # where a shape reaches it, or a sliver would open up at 180).
    for iso3 in ("RUS", "FJI"):
        g = world.loc[world.iso3 == iso3, "geometry"].iloc[0]
        xs = shapely.get_coordinates(g)[:, 0]
        if not ((xs == 180.0).any() and (xs == -180.0).any()):
            raise SystemExit(f"{iso3}: lost its antimeridian edge")
        if xs.min() < -180 or xs.max() > 180:
            raise SystemExit(f"{iso3}: coordinates beyond +/-180")

    features = [
        {
            "type": "Feature",
            "id": r.iso3,
            "properties": {"iso3": r.iso3, "name": r.name},
            "geometry": geometry_json(r.geometry, WORLD_DECIMALS),
        }
        for r in world.itertuples()
    ]
    stats = {
        "features": len(features),
        "raw_area_deg2": raw_area,
        "area_deg2": float(shapely.area(world.geometry.values).sum()),
        "vertices": int(shapely.get_num_coordinates(world.geometry.values).sum()),
        "raw_vertices": raw_vertices,
    }
    return features, stats


# --- Japan -----------------------------------------------------------------
def build_japan() -> tuple[list[dict], dict]:
    import japanmap  # noqa: PLC0415 - only needed to regenerate

    # Real longitude/latitude (no relocated Hokkaido/Okinawa).
    qpqo = japanmap.get_data(move_hokkaido=False, move_okinawa=False)
    rings = japanmap.pref_points(qpqo)
    if len(rings) != 47:
        raise SystemExit(f"japanmap gave {len(rings)} prefectures")

    raw = []
    for ring in rings:
        poly = Polygon(ring)
        # A few rings have tiny self-intersections (bow-ties) in the source.
        geom = poly if poly.is_valid else shapely.make_valid(poly)
        geom = drop_specks(geom, JAPAN_MIN_PART_DEG2, JAPAN_MIN_HOLE_DEG2)
        raw.append(geom)
    check_coverage(raw, "japan (source)")

    raw_union_area = shapely.union_all(raw).area
    simplified = gpd.GeoSeries(raw).simplify_coverage(JAPAN_TOLERANCE)
    final = [finish(g, JAPAN_DECIMALS) for g in simplified]
    check_coverage(final, "japan (simplified)")
    union_area = shapely.union_all(final).area
    change = abs(union_area - raw_union_area) / raw_union_area
    if change > JAPAN_MAX_AREA_CHANGE:
        raise SystemExit(f"japan: union area changed by {change:.2%}")
    for k, (a, b) in enumerate(zip(raw, final), start=1):
        if abs(b.area - a.area) / a.area > 0.05:
            raise SystemExit(f"japan {k:02d}: area changed by more than 5%")

    # Okinawa must be present at its real place (the main island, ~26.5N 128E).
    oki = final[46]
    if not oki.intersects(shapely.Point(127.8, 26.5).buffer(0.5)):
        raise SystemExit("japan: Okinawa missing or relocated")

    features = []
    for k, geom in enumerate(final, start=1):
        code = f"{k:02d}"
        name_ja = japanmap.pref_names[k]
        if japanmap.pref_code(name_ja) != k:
            raise SystemExit(f"japanmap code mismatch for {name_ja}")
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name_ja": name_ja, "name_en": PREF_EN[k - 1]},
                "geometry": geometry_json(geom, JAPAN_DECIMALS),
            }
        )
    stats = {
        "features": len(features),
        "raw_union_area_deg2": raw_union_area,
        "union_area_deg2": union_area,
        "area_change": change,
        "vertices": int(shapely.get_num_coordinates(final).sum()),
        "raw_vertices": int(shapely.get_num_coordinates(raw).sum()),
        "japanmap_version": importlib.metadata.version("japanmap"),
    }
    return features, stats


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    world, wstats = build_world()
    size = write_collection(OUT_DIR / "world.geojson", world)
    print(f"world.geojson: {wstats['features']} features, {wstats['vertices']} vertices "
          f"(source {wstats['raw_vertices']}), {size:,} bytes")
    if size >= WORLD_MAX_BYTES:
        raise SystemExit("world.geojson is over its size target")

    japan, jstats = build_japan()
    size = write_collection(OUT_DIR / "japan.geojson", japan)
    print(
        f"japan.geojson: {jstats['features']} features, {jstats['vertices']} vertices "
        f"(source {jstats['raw_vertices']}), {size:,} bytes; japanmap {jstats['japanmap_version']}"
    )
    print(
        f"japan union area: source {jstats['raw_union_area_deg2']:.6f} deg2, "
        f"simplified {jstats['union_area_deg2']:.6f} deg2 ({jstats['area_change']:.3%} change)"
    )
    if size >= JAPAN_MAX_BYTES:
        raise SystemExit("japan.geojson is over its size target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
