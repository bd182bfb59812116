"""The figures and tables the pages send: what Plotly for Python would have sent, maps that draw
offline, and tables printed the way the report prints numbers."""

from __future__ import annotations

import gc
import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from nexidash import charts, geo, paths, tables
from tests.helpers import PAGES, open_page, shown_text


def _without_nulls(node):
    """A spec as Plotly reads it: a null property is an unset one."""
    if isinstance(node, dict):
        return {k: _without_nulls(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_without_nulls(v) for v in node]
    return node


def _mismatches(ours, validated, path="") -> list[str]:
    if isinstance(ours, dict) and isinstance(validated, dict):
        out = []
        for key in sorted(set(ours) | set(validated)):
            if key not in ours:
                out.append(f"{path}/{key}: added by Plotly")
            elif key not in validated:
                out.append(f"{path}/{key}: dropped by Plotly")
            else:
                out += _mismatches(ours[key], validated[key], f"{path}/{key}")
        return out
    if isinstance(ours, list) and isinstance(validated, list) and len(ours) == len(validated):
        return [m for i, (a, b) in enumerate(zip(ours, validated))
                for m in _mismatches(a, b, f"{path}[{i}]")]
    if isinstance(ours, (int, float)) and isinstance(validated, (int, float)):
        return [] if abs(ours - validated) < 1e-9 else [f"{path}: {ours} -> {validated}"]
    return [] if ours == validated else [f"{path}: {ours!r:.60} -> {validated!r:.60}"]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("page", [p for p in PAGES
                                  if p not in ("press", "country", "glossary", "about")])
def test_chart_specs_pass_plotly_validation_unchanged(page, lang):
    """Test that every chart a page sends is exactly what Plotly's own validators accept, unchanged."""
    at = open_page(page, lang=lang)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert specs, "no chart on the page"
    for spec in specs:
        validated = json.loads(go.Figure(spec).to_json())  # raises on an invalid property
        # Plotly fills a template in with its defaults; ours (charts.CHART_LAYOUT) is checked on
        # its own, by the template validator, which raises on an invalid property.
        template = spec["layout"].pop("template")
        go.layout.Template(template)
        assert template == charts.CHART_LAYOUT["template"]
        validated["layout"].pop("template", None)
        assert _mismatches(_without_nulls(spec), validated) == []


def test_maps_fetch_boundaries_and_topology_from_this_server():
    """Test that maps name only this server's static route, for shapes and for base layers."""
    at = open_page("regions")
    maps = [c for c in at.get("plotly_chart") if '"choropleth"' in c.proto.spec]
    assert len(maps) == 1
    spec, config = json.loads(maps[0].proto.spec), json.loads(maps[0].proto.config)
    assert {t["geojson"] for t in spec["data"] if "geojson" in t} == {
        "/app/static/geo/world.geojson"}
    assert config["topojsonURL"] == "/app/static/geo/"
    assert (geo.STATIC_DIR / "world_110m.json").is_file()
    layers = spec["layout"]["geo"]
    # Any base layer on would draw from the topology, which is empty on purpose.
    assert not any(v for k, v in layers.items() if k.startswith("show")), layers


def _signed_area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


@pytest.mark.parametrize("name", ["world", "japan"])
def test_published_boundaries_are_wound_for_d3(name):
    """Test that the served GeoJSON has clockwise exteriors (d3) and the same shapes as data/geo."""
    geo.publish.cache_clear()
    geo.publish(name)
    source = json.loads((paths.GEO_DIR / f"{name}.geojson").read_text("utf-8"))
    served = json.loads((geo.STATIC_DIR / f"{name}.geojson").read_text("utf-8"))
    assert [f["id"] for f in served["features"]] == [f["id"] for f in source["features"]]
    for src, out in zip(source["features"], served["features"]):
        polys = (out["geometry"]["coordinates"] if out["geometry"]["type"] == "MultiPolygon"
                 else [out["geometry"]["coordinates"]])
        for polygon in polys:
            assert _signed_area(polygon[0]) < 0, f"{out['id']}: exterior not clockwise"
            for hole in polygon[1:]:
                assert _signed_area(hole) > 0, f"{out['id']}: hole not counter-clockwise"
        assert json.dumps(geo.for_d3({"features": [src]})["features"][0]) == json.dumps(out)


def test_empty_topology_has_every_layer_plotly_may_ask_for():
    """Test that the served topology is a valid, empty TopoJSON with Plotly's layer names."""
    topo = json.loads((paths.GEO_DIR / "world_110m.json").read_text("utf-8"))
    assert topo["type"] == "Topology" and topo["arcs"] == []
    assert set(topo["objects"]) == {"land", "ocean", "lakes", "rivers", "coastlines",
                                    "countries", "subunits"}
    assert all(o == {"type": "GeometryCollection", "geometries": []}
               for o in topo["objects"].values())


def test_trace_builder_nests_underscored_names_and_plain_values():
    """Test that trace() nests marker_color, and turns Series, numpy values and NaN into JSON."""
    t = charts.trace("bar", x=pd.Series([1, 2]), y=pd.Series([1.5, float("nan")]),
                     marker_color="#000", marker_line=dict(width=2))
    assert t == {"type": "bar", "x": [1, 2], "y": [1.5, None],
                 "marker": {"color": "#000", "line": {"width": 2}}}
    assert json.loads(json.dumps(t)) == t


def test_figures_do_what_plotly_validators_do_for_plotly_js():
    """Test that string titles become {text} and named colour scales become their colours."""
    fig = charts.Figure(charts.trace("choropleth", colorscale="Blues"))
    fig.update_layout(yaxis={"title": "億円"})
    spec = fig.to_dict()
    assert spec["layout"]["yaxis"]["title"] == {"text": "億円"}
    blues = spec["data"][0]["colorscale"]
    assert blues[0][0] == 0 and blues[-1][0] == 1
    # Plotly for Python's Blues runs light to dark; plotly.js's own "Blues" runs the other way.
    assert go.Figure(go.Choropleth(colorscale="Blues")).data[0].colorscale[0][1] == blues[0][1]


def test_figure_layout_is_a_copy_of_a_shared_layout():
    """Test that updating one figure's layout leaves a shared (cached) layout untouched."""
    shared = charts.subplot_layout(("a", "b"), 0.08)
    fig = charts.Figure(layout=charts.subplot_layout(("a", "b"), 0.08))
    fig.update_layout(xaxis=dict(domain=[0, 0.1]), height=10)
    assert shared["xaxis"]["domain"] != [0, 0.1] and "height" not in shared
    assert "template" not in shared


def test_tables_print_numbers_as_the_report_does():
    """Test that a table formats each column by its name: years as years, one decimal for
    percentages, whole million yen, thousands separators, and － (– in English) for none."""
    frame = pd.DataFrame({
        "fiscal_year": pd.array([2023, 2024], dtype="Int64"),
        "amount_mjpy": pd.array([7602398, None], dtype="Int64"),
        "share_pct": [12.345, float("nan")],
        "count": [1234, 5],
        "name_en": ["<b>A&B</b> *x*", None],
    })
    for lang, none in (("ja", "－"), ("en", "–")):
        markup = tables.html(frame, lang)
        assert "<b>" not in markup and "&lt;b&gt;A&amp;B&lt;/b&gt;" in markup
        shown = shown_text(markup)
        assert list(shown.columns)[:3] == (["年度", "金額（百万円）", "構成比（％、当サイト計算）"]
                                           if lang == "ja" else
                                           ["Fiscal year", "Amount (¥ million)",
                                            "Share (%, computed here)"])
        assert shown.to_numpy().tolist() == [
            ["2023", "7,602,398", "12.3", "1,234", "<b>A&B</b> *x*"],
            ["2024", none, none, "5", none]]
        # Figures are right-aligned, text is not.
        assert markup.count('<td class="num">') == 8 and "<td>" in markup


def test_a_column_name_without_a_catalogue_header_shows_as_is():
    """Test that the header falls back to the name only where neither label nor catalogue has one
    (test_house then fails for any such column a page shows)."""
    assert tables.header("no_such_column", "en") == "no_such_column"
    assert tables.header("name_ja", "ja", {"name_ja": "地域"}) == "地域"


def test_long_tables_scroll_in_a_fixed_height_by_keyboard_too():
    """Test that a table longer than a screenful scrolls inside a fixed height, focusable."""
    long = tables.html(pd.DataFrame({"a": range(tables.SCROLL_ROWS + 1)}), "ja")
    assert f'class="nexi-table h{tables.SCROLL_HEIGHT}" tabindex="0"' in long
    assert f".nexi-table.h{tables.SCROLL_HEIGHT} {{ max-height: {tables.SCROLL_HEIGHT}px; }}" in tables.CSS
    short = tables.html(pd.DataFrame({"a": range(tables.SCROLL_ROWS)}), "ja")
    assert 'class="nexi-table" tabindex="0"' in short  # it may scroll sideways on a phone
    # No inline style anywhere: the static edition's CSP allows none.
    assert "style=" not in long + short


def test_app_freezes_the_long_lived_heap():
    """Test that after a run the imported modules' objects are frozen out of the collector."""
    from nexidash import render

    gc.unfreeze()
    render._frozen_modules = 0  # as in a fresh process
    assert gc.get_freeze_count() == 0
    open_page("regions")
    assert gc.get_freeze_count() > 10_000
    gc.unfreeze()


def test_a_chart_draws_only_its_open_view():
    """Test that a chart draws its first plot, and its table and CSV button only once the table
    view is opened (by a link too), where the plot is then not drawn."""
    from tests.helpers import open_data, tables as shown_tables

    at = open_page("regions", measure="claims_paid")
    charts_before = len(at.get("plotly_chart"))
    before = len(shown_tables(at))
    assert [d.label for d in at.download_button] == []
    open_data(at, "region_trend")
    assert len(shown_tables(at)) == before + 1
    assert len(at.get("plotly_chart")) == charts_before - 1
    assert [d.label for d in at.download_button] == ["CSVをダウンロード", "metadata.json"]
    assert at.query_params["view_region_trend"] == "table"
    # It stays open, with the new figures, when a control changes.
    at.session_state["measure"] = "recoveries"
    at.run()
    assert len(shown_tables(at)) == before + 1 and not at.exception


def test_a_finished_figure_is_sent_as_plotly_would_send_it_and_encoded_once(monkeypatch):
    """Test that st.plotly_chart sends a finished figure (figures.Finished) exactly as it sends
    the same go.Figure, and that drawing it twice makes its dict once: the saving relies on
    Streamlit asking a go.Figure for to_dict(), which an upgrade could change."""
    from plotly.basedatatypes import BaseFigure
    from streamlit.testing.v1 import AppTest

    made = []
    plain_to_dict = BaseFigure.to_dict
    monkeypatch.setattr(BaseFigure, "to_dict", lambda self: made.append(type(self).__name__)
                        or plain_to_dict(self))

    def script():
        import plotly.graph_objects as go
        import streamlit as st

        from nexidash import figures

        fin = figures.finished({"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2.5]}],
                                "layout": {"height": 300}})
        st.plotly_chart(fin, key="first", theme=None)
        st.plotly_chart(fin, key="again", theme=None)
        st.plotly_chart(go.Figure(fin.to_plotly_json()), key="plain", theme=None)

    at = AppTest.from_function(script).run()
    assert not at.exception, at.exception
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert len(specs) == 3 and specs[0] == specs[1] == specs[2]
    assert made.count("Finished") == 1, made
