"""The Streamlit renderer: a page's blocks become Streamlit elements.

A page file calls `page(build)`. The renderer makes the page's View (language and year from the
frame, controls bound to the URL, queries cached), asks the page for its blocks, and draws them.
This module, urlstate.py and app.py are the only code that imports Streamlit; everything a page
decides is in its blocks, so the static edition can draw the same blocks without Streamlit.
"""

from __future__ import annotations

import gc
import sys
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from . import blocks as b
from . import chartdata, charts, cite, db, figures, pagememo, room, site, style, tables, urlstate
from . import urls
from .view import View

PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "scrollZoom": False,
}
TABLE_VIEW = "table"


# -- data -------------------------------------------------------------------------------------
# Queries go through view.plain_query's memo (per database file, a copy per caller), as the
# edition's do: st.cache_data unpickled each answer and hashed its parameters, ~0.6 ms a query.


def static_prefix() -> str:
    """Where the browser finds static/, under the server's base URL path if any."""
    return urls.app_static(st.get_option("server.baseUrlPath") or "")


def make_view() -> View:
    return View(urlstate.lang(), chooser=urlstate.value, static_prefix=static_prefix())


# -- the page ---------------------------------------------------------------------------------
def page(build) -> None:
    """Run a page: its blocks for this view, drawn (built once per view, pagememo)."""
    ensure_router()
    name = Path(build.__code__.co_filename).stem
    urlstate.on_page(name)
    fixed = (name, urlstate.lang(), static_prefix(), db.generation())
    v, (blocks, reserved, made) = _PAGES.get(fixed, make_view, partial(_built, build, name))
    # In the sidebar, under everything else there: its placeholder line moves nothing.
    st.sidebar.html(reserved)
    with pagememo.drawing(made):
        draw(blocks, v, name)


def _built(build, name: str, v: View) -> tuple[list, str, dict]:
    # Every page ends with how to cite it: the frame adds it, as the static edition does.
    by_path = {p.path: p for p in site.PAGES}
    blocks = [*build(v), cite.for_app_view(v, by_path[name])]
    return blocks, room.reserved_space(blocks, urlstate.widget_key), {}


_PAGES = pagememo.PageMemo()


def _table_html(block, v: View, height: int | None = None) -> str:
    """A Table's or a chart's table view's HTML (tables.html), made once per remembered page."""
    return pagememo.once(block, "html", lambda: tables.html(
        block.data, v.lang, block.labels, height, country_href=v.country_href))


def draw(blocks, v: View, page_name: str) -> None:
    for block in blocks:
        _draw(block, v, page_name)


def _draw(block, v: View, page_name: str) -> None:
    drawer = DRAWERS.get(type(block))
    if drawer is None:
        raise TypeError(f"no way to draw {type(block).__name__}")
    drawer(block, v, page_name)


def _heading(block: b.Heading, v: View, page_name: str) -> None:
    if block.level == 1:
        st.title(block.text, anchor=block.anchor)
    elif block.level == 2:
        st.subheader(block.text, anchor=block.anchor)
    else:
        st.markdown("#" * block.level + " " + block.text)


def _bullets(block: b.Bullets, v: View, page_name: str) -> None:
    st.markdown("\n".join(
        f"- {i.text}" + (f" [{i.link.label}]({v.href(i.link.page, **i.link.params)})"
                         if i.link else "")
        + (f"  \n  :small[{i.note}]" if i.note else "") for i in block.items))


def _controls(block: b.Controls, v: View, page_name: str) -> None:
    cols = st.columns(list(block.widths) if block.widths else len(block.items))
    for control, col in zip(block.items, cols):
        urlstate.widget(control, col)


def _metrics(block: b.Metrics, v: View, page_name: str) -> None:
    per_row = block.per_row or len(block.items)
    box = st.container(key=room.metrics_key(block))
    cols = [c for _ in range(-(-len(block.items) // per_row)) for c in box.columns(per_row)]
    for metric, col in zip(block.items, cols):
        help_ = metric.help
        if metric.term:
            link = (f"[{v.t('ui.in_glossary', term=v.term_name(metric.term))}]"
                    f"({v.term_href(metric.term)})")
            help_ = f"{help_}\n\n{link}" if help_ else link
        # Streamlit reads a fall from a leading "-" only; a Japanese fall is △ (style.py),
        # so the arrow and the colour are given, not guessed.
        way = style.direction(metric.delta)
        color = metric.delta_color
        if way and color in ("normal", "inverse"):
            color = "green" if (way > 0) == (color == "normal") else "red"
        col.metric(metric.label, metric.value, delta=metric.delta,
                   delta_color=color,
                   delta_arrow={1: "up", -1: "down", 0: "off"}.get(way, "auto"),
                   delta_description=metric.delta_description, help=help_,
                   border=True)


def _source(block: b.Source, v: View, page_name: str) -> None:
    line = pagememo.once(block, "source", lambda: v.source_line(block.table))
    if line:
        st.caption(line)


def _columns(block: b.Columns, v: View, page_name: str) -> None:
    cols = st.columns(list(block.widths) if block.widths else len(block.parts))
    for part, col in zip(block.parts, cols):
        with col:
            draw(part, v, page_name)


def _details(block: b.Details, v: View, page_name: str) -> None:
    with st.expander(block.title, expanded=block.expanded):
        draw(block.blocks, v, page_name)


# One drawer per block type; tests/test_house.py holds this table and the edition's to
# blocks.BLOCKS, so a new block type cannot be drawn by one renderer and dropped by the other.
DRAWERS = {
    b.Heading: _heading,
    b.Text: lambda block, v, _: st.markdown(block.text),
    b.Bullets: _bullets,
    b.Caption: lambda block, v, _: st.caption(block.text),
    b.Link: lambda block, v, _: st.page_link(
        f"pages/{block.page}.py", label=block.label, query_params=block.params,
        icon=":material/arrow_forward:"),
    b.Callout: lambda block, v, _: st.info(block.text, icon=block.icon),
    b.Controls: _controls,
    b.Metrics: _metrics,
    b.Chart: lambda block, v, page_name: _chart(block, v, page_name),
    b.Table: lambda block, v, _: st.container(key=pagememo.once(
        block, "key", partial(room.table_key, block))).html(_table_html(block, v, block.height)),
    b.Source: _source,
    b.Data: lambda block, v, _: _data(block.data, block.labels, block.key, v.lang,
                                      v.file_name(block.key, "csv")),
    b.Columns: _columns,
    b.Details: _details,
    b.Code: lambda block, v, _: st.code(block.text, language=None, wrap_lines=True),
    b.Download: lambda block, v, _: st.download_button(
        block.label, block.make, file_name=block.file_name, mime=block.mime, key=block.key,
        on_click="ignore", icon=block.icon),
    b.Cite: lambda block, v, _: _cite(block),
}


def _cite(block: b.Cite) -> None:
    """The citations as code blocks: Streamlit gives each a copy button."""
    st.subheader(block.title, anchor="cite")
    st.markdown(block.lead)
    for _, text in block.texts:
        st.code(text, language=None, wrap_lines=True)
    with st.expander("BibTeX"):
        st.code(block.bibtex, language="latex", wrap_lines=True)
    with st.expander("CSL-JSON"):
        st.code(block.csl_json, language="json", wrap_lines=True)
    name = f"[{block.license_name}]({block.license_url})" if block.license_url \
        else block.license_name
    st.markdown(f"{block.license_label}{name}{block.license_spdx} · {block.version_label}")


# -- charts -----------------------------------------------------------------------------------
def _chart(block: b.Chart, v: View, page_name: str) -> None:
    """One chart as a visitor meets it, part by part (blocks.CHART_ANATOMY)."""
    for part in b.CHART_ANATOMY:
        CHART_PARTS[part](block, v, page_name)


def _chart_views(block: b.Chart, v: View, page_name: str) -> None:
    """The plots and the table behind them as tabs, only the open one drawn: in the app the
    chart's data is its last view."""
    codes = [p.code for p in block.plots] + [TABLE_VIEW]
    labels = [p.label for p in block.plots] + [v.t("ui.view.table")]
    param = f"view_{block.key}"
    wanted = st.query_params.get(param)
    default = labels[codes.index(wanted)] if wanted in codes else labels[0]
    # Keyed per language: the tabs' state is their label, which the language changes.
    key = f"{param}_{v.lang}"
    tabs = st.tabs(labels, key=key, default=default, on_change=_remember_view,
                   args=(key, param, dict(zip(labels, codes)), codes[0]))
    for code, tab in zip(codes, tabs):
        if not tab.open:
            continue
        with tab:
            if code == TABLE_VIEW:
                st.html(_table_html(block, v))
                _reuse(block, v)
            else:
                plot = block.plots[codes.index(code)]
                _plot(plot, block.key, v, page_name)


def _chart_terms(block: b.Chart, v: View, page_name: str) -> None:
    if block.terms:
        st.caption(v.t("ui.glossary_links") + " " + " · ".join(
            f"[{v.term_name(term)}]({v.term_href(term)})" for term in block.terms))


def _chart_source(block: b.Chart, v: View, page_name: str) -> None:
    line = pagememo.once(block, "source", lambda: v.source_line(block.source))
    if line:
        st.caption(line)


CHART_PARTS = {
    "heading": lambda block, v, _: st.markdown(f"#### {block.title}"),
    "summary": lambda block, v, _: block.summary and st.markdown(block.summary),
    "views": _chart_views,
    "note": lambda block, v, _: block.note and st.caption(block.note),
    "terms": _chart_terms,
    "source": _chart_source,
    "data": lambda block, v, _: None,  # a tab of the views (_chart_views)
}


def _reuse(block: b.Chart, v: View) -> None:
    """The chart's CSV and metadata.json (the static edition's two files, chartdata.py) and how
    to load the CSV: from its stable URL when the served edition has it, else from the file a
    reader downloads here."""
    stem, csv, meta = chartdata.files(block, v)
    left, right = st.columns(2)
    left.download_button(v.t("ui.download_csv"), csv, file_name=v.file_name(block.key, "csv"),
                         mime="text/csv", key=f"dl_{block.key}", on_click="ignore")
    right.download_button("metadata.json", meta, file_name=v.file_name(block.key, "metadata.json"),
                          mime="application/json", key=f"dl_meta_{block.key}", on_click="ignore")
    if chartdata.published(stem):
        st.markdown(f"{v.t('data.by_url')} [CSV]({urls.chart_data(stem, 'csv')}) · "
                    f"[metadata.json]({urls.chart_data(stem, 'metadata.json')})")
        where = chartdata.data_url(stem, "csv")
    else:
        where = v.file_name(block.key, "csv")
    st.code("\n".join(f"{'--' if tool == 'DuckDB' else '#'} {tool}\n{line}"
                      for tool, line in chartdata.snippets(where)), language=None)


def _remember_view(key: str, param: str, codes: dict, default: str) -> None:
    code = codes.get(st.session_state.get(key), default)
    if code == default:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = code


def _plot(plot: b.Plot, chart_key: str, v: View, page_name: str) -> None:
    spec = plot.spec
    config = PLOTLY_CONFIG | {"toImageButtonOptions": PLOTLY_CONFIG["toImageButtonOptions"] | {
        "filename": f"nexi_fy{v.report_year}_{chart_key}_{plot.code}_{v.lang}"}}
    if charts.is_map(spec):
        # Plotly fetches a base-layer topology for every geo map, from its CDN unless told
        # otherwise; ours (published by the build) is empty, so nothing leaves this server.
        config["topojsonURL"] = v.static_prefix + "geo/"
    identity = (page_name, chart_key, plot.code, v.lang, v.year,
                tuple(sorted((k, str(c)) for k, c in v.chosen.items())), v.static_prefix,
                db.generation())
    key = room.plot_key(chart_key, plot)
    if plot.select and plot.select in v.controls:
        st.plotly_chart(_figure(identity, spec), key=key, config=config, theme=None,
                        on_select=partial(_picked, key, v.controls[plot.select]),
                        selection_mode="points")
    else:
        st.plotly_chart(_figure(identity, spec), key=key, config=config, theme=None)


def _picked(chart_key: str, control: b.Control) -> None:
    """A click on a plot chooses what its point stands for, as the control's dropdown would:
    the control's state changes, and the URL follows when the page runs."""
    event = st.session_state.get(chart_key)
    points = (event or {}).get("selection", {}).get("points", [])
    codes = [p.get("customdata") for p in points]
    codes = [c[0] if isinstance(c, (list, tuple)) and c else c for c in codes]
    by_text = {str(o): o for o in control.options}
    picked = next((by_text[str(c)] for c in codes if str(c) in by_text), None)
    if picked is not None:
        st.session_state[urlstate.widget_key(control)] = picked


@st.cache_resource(show_spinner=False, max_entries=4096)
def _figure(identity: tuple, _spec: dict) -> figures.Finished:
    """The finished figure for one chart of one view (its page, language, year and controls),
    made once and reused by every later view with the same parameters. A page's blocks are a
    function of these parameters and the database alone."""
    return figures.finished(_spec)


# -- tables -----------------------------------------------------------------------------------
@st.fragment
def _data(data: pd.DataFrame, labels: dict, key: str, lang: str, file_name: str) -> None:
    """The numbers behind a table, drawn only once a visitor opens them.

    Opening reruns only this fragment; it stays open, with the current figures, while the
    controls change.
    """
    from .i18n import translate

    box = st.expander(translate(lang, "ui.data_behind"), key=f"data_{key}", on_change="rerun")
    if not box.open:
        return
    with box:
        st.html(tables.html(data, lang, labels,
                            country_href=lambda iso3: urls.app_link(lang, urls.COUNTRY_PAGE, {"iso3": iso3})))
        st.download_button(translate(lang, "ui.download_csv"), tables.csv_bytes(data, lang, labels),
                           file_name=file_name, mime="text/csv", key=f"dl_{key}",
                           on_click="ignore")


# -- the process ------------------------------------------------------------------------------
def ensure_router() -> None:
    """Hand a page to app.py's router when Streamlit opened it directly.

    With a pages/ folder beside app.py, Streamlit's legacy multipage mode stays on until
    st.navigation first runs in the process. If a fresh server's first visitor arrives on a
    deep link (/regions), the page would run bare, without the frame, for every session.
    Clearing the legacy flag and rerunning sends this and later runs through app.py. This is
    the one use of a Streamlit internal (PagesManager): Streamlit offers no supported way to
    leave legacy mode before st.navigation has run, and moving pages/ elsewhere would drop the
    project's layout. tests/test_house.py checks the flag still exists (an upgrade that removes
    it fails there, not in front of a visitor); tests/browser/test_pages.py
    (test_fresh_server_deep_link_uses_router) checks the behaviour on a new server.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        params = st.query_params.to_dict()
        st.query_params.from_dict(params)
        st.rerun()


_frozen_modules = 0


def freeze_heap() -> None:
    """Move everything alive now out of the cyclic garbage collector's reach, once the modules
    a run needed are loaded.

    Streamlit runs a full collection after every script run (runner.postScriptGC); with pandas,
    Plotly and DuckDB loaded that walks ~140,000 long-lived objects, 60–70 ms of a rerun. The
    modules and their objects live as long as the process, so they are frozen (gc.freeze) the
    first time they are there, and each collection walks only what the runs made since.
    """
    global _frozen_modules
    if len(sys.modules) > _frozen_modules:
        _frozen_modules = len(sys.modules)
        gc.freeze()
