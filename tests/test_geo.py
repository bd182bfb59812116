"""Checks on the committed map boundary files in data/geo/ (json + shapely only)."""

import json
import pathlib
import re

import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

ROOT = pathlib.Path(__file__).resolve().parents[1]
GEO = ROOT / "data" / "geo"
WORLD = GEO / "world.geojson"
JAPAN = GEO / "japan.geojson"
COUNTRY_REGIONS = ROOT / "data" / "tables" / "country_regions.csv"

WORLD_MAX_BYTES = 400_000
JAPAN_MAX_BYTES = 300_000
# Planar area (square degrees) of the union of the 47 unsimplified japanmap
# prefecture polygons, as printed by scripts/build_geo.py (see data/geo/README.md).
JAPAN_SOURCE_AREA_DEG2 = 37.126027


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _geoms(path):
    return {f["id"]: shape(f["geometry"]) for f in _load(path)["features"]}


def _polygons(geom):
    return list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]


@pytest.fixture(scope="module")
def world():
    return _load(WORLD)


@pytest.fixture(scope="module")
def japan():
    return _load(JAPAN)


@pytest.fixture(scope="module")
def country_regions():
    if not COUNTRY_REGIONS.exists():
        pytest.skip("data/tables/country_regions.csv not written yet")
    return pd.read_csv(COUNTRY_REGIONS, dtype=str, keep_default_na=False)


def test_japan_has_47_prefectures_with_codes_01_to_47(japan):
    """Test that japan.geojson has exactly the prefecture ids '01'..'47', each once."""
    ids = [f["id"] for f in japan["features"]]
    assert len(ids) == 47
    assert sorted(ids) == [f"{k:02d}" for k in range(1, 48)]
    for f in japan["features"]:
        assert f["properties"]["code"] == f["id"]
        assert f["properties"]["name_ja"]


def test_japan_names_match_codes(japan):
    """Test that prefecture codes carry the right Japanese names (JIS X 0401 order)."""
    names = {f["id"]: f["properties"]["name_ja"] for f in japan["features"]}
    assert names["01"] == "北海道"
    assert names["13"] == "東京都"
    assert names["26"] == "京都府"
    assert names["27"] == "大阪府"
    assert names["40"] == "福岡県"
    assert names["47"] == "沖縄県"


def test_world_ids_are_unique_iso3_codes(world):
    """Test that world.geojson ids are unique three-uppercase-letter codes matching iso3."""
    ids = [f["id"] for f in world["features"]]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Z]{3}", i) for i in ids)
    for f in world["features"]:
        assert f["properties"]["iso3"] == f["id"]
        assert f["properties"]["name"]


def test_world_fixes_and_removals(world):
    """Test that -99 codes were fixed, breakaway areas merged and Antarctica dropped."""
    by_id = {f["id"]: f["properties"]["name"] for f in world["features"]}
    assert by_id["FRA"] == "France"
    assert by_id["NOR"] == "Norway"
    assert by_id["XKX"] == "Kosovo"
    assert by_id["CYP"] == "Cyprus"
    assert by_id["SOM"] == "Somalia"
    assert "ATA" not in by_id and "ATF" not in by_id
    assert not {"N. Cyprus", "Somaliland"} & set(by_id.values())
    assert len(by_id) == 173


@pytest.mark.parametrize("path", [WORLD, JAPAN], ids=["world", "japan"])
def test_geometries_are_valid_polygons(path):
    """Test that every geometry is a valid, non-empty (Multi)Polygon inside lon/lat bounds."""
    for fid, g in _geoms(path).items():
        assert g.geom_type in ("Polygon", "MultiPolygon"), fid
        assert not g.is_empty, fid
        assert g.is_valid, (fid, shapely.is_valid_reason(g))
        minx, miny, maxx, maxy = g.bounds
        assert -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90, fid


@pytest.mark.parametrize("path", [WORLD, JAPAN], ids=["world", "japan"])
def test_rings_follow_right_hand_rule(path):
    """Test that exterior rings are counter-clockwise and holes clockwise (RFC 7946)."""
    for fid, g in _geoms(path).items():
        for p in _polygons(g):
            assert p.exterior.is_ccw, fid
            for hole in p.interiors:
                assert not hole.is_ccw, fid


@pytest.mark.parametrize("path", [WORLD, JAPAN], ids=["world", "japan"])
def test_shared_borders_do_not_overlap(path):
    """Test that neighbouring shapes form a valid coverage (borders shared, no overlaps)."""
    geoms = list(_geoms(path).values())
    assert shapely.coverage_is_valid(geoms)


@pytest.mark.parametrize(
    "path,limit", [(WORLD, WORLD_MAX_BYTES), (JAPAN, JAPAN_MAX_BYTES)], ids=["world", "japan"]
)
def test_file_size_under_target(path, limit):
    """Test that each GeoJSON file is under its size target (and so under 1 MB)."""
    size = path.stat().st_size
    assert size < limit
    assert size < 1_000_000


@pytest.mark.parametrize("path,decimals", [(WORLD, 3), (JAPAN, 4)], ids=["world", "japan"])
def test_files_are_compact_and_rounded(path, decimals):
    """Test that files are compact JSON and coordinates carry at most the set decimals."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    for g in _geoms(path).values():
        coords = shapely.get_coordinates(g)
        assert (coords.round(decimals) == coords).all()


def test_crimea_is_drawn_as_ukraine(world):
    """Test that Crimea (34.1E 45.0N) lies in Ukraine's shape and not in Russia's."""
    geoms = {f["id"]: shape(f["geometry"]) for f in world["features"]}
    crimea = shapely.Point(34.1, 45.0)
    assert geoms["UKR"].contains(crimea)
    assert not geoms["RUS"].intersects(crimea)


def test_antimeridian_countries_reach_both_edges(world):
    """Test that Russia and Fiji keep their pieces on both sides of the 180th meridian."""
    geoms = {f["id"]: shape(f["geometry"]) for f in world["features"]}
    for iso3 in ("RUS", "FJI"):
        xs = shapely.get_coordinates(geoms[iso3])[:, 0]
        assert xs.max() == 180.0 and xs.min() == -180.0, iso3


def test_okinawa_is_at_its_real_position(japan):
    """Test that Okinawa lies near 26.5N 128E (not moved into an inset)."""
    g = _geoms(JAPAN)["47"]
    c = g.centroid
    assert 127.0 < c.x < 129.0 and 26.0 < c.y < 27.0
    hokkaido = _geoms(JAPAN)["01"].centroid
    assert 141.0 < hokkaido.x < 145.0 and 42.5 < hokkaido.y < 44.5


def test_japan_area_close_to_unsimplified_source(japan):
    """Test that the simplified prefectures cover within 2% of the unsimplified area."""
    geoms = list(_geoms(JAPAN).values())
    union = shapely.union_all(geoms).area
    assert abs(union - JAPAN_SOURCE_AREA_DEG2) / JAPAN_SOURCE_AREA_DEG2 < 0.02
    # no gaps or overlaps introduced: the union equals the sum of the parts
    assert sum(g.area for g in geoms) == pytest.approx(union, rel=1e-6)


def test_on_map_countries_have_shapes(world, country_regions):
    """Test that every country_regions.csv row with on_map true has a world shape."""
    ids = {f["id"] for f in world["features"]}
    on_map = set(country_regions.loc[country_regions["on_map"] == "true", "iso3"])
    assert on_map, "no on_map rows"
    assert sorted(on_map - ids) == []


def test_every_shape_is_in_country_regions(world, country_regions):
    """Test that every world shape's iso3 appears in country_regions.csv."""
    ids = {f["id"] for f in world["features"]}
    assert sorted(ids - set(country_regions["iso3"])) == []
