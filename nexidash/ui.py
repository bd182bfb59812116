"""The Streamlit side of the shared frame: language, URL-bound controls, notices, chart blocks.

Pages stay thin: they pick values with `choice()`, fetch with `q()`, and show each chart with
`chart_block()`, which adds the title, the source line, the data table and its CSV download.
"""

from __future__ import annotations

import copy
import gc
import sys
from html import escape

import pandas as pd
import streamlit as st

from . import charts, db, geo, i18n

PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "scrollZoom": False,
}
# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000", "#999999"]
MAX_PARAM_LEN = 64


def lang() -> str:
    value = st.session_state.get("lang")
    return value if value in i18n.LANGS else i18n.DEFAULT_LANG


def t(key: str, **values) -> str:
    return i18n.translate(lang(), key, **values)


def name_col() -> str:
    return i18n.name_col(lang())


def q(name: str, **params) -> pd.DataFrame:
    """A named query, cached per (name, parameters, database file): tables change only with a
    rebuild, and a rebuilt file is a new cache generation."""
    return _cached_query(name, db.generation(), **params)


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached_query(name: str, generation: tuple, **params) -> pd.DataFrame:
    return db.run(name, **params)


def notice(message: str) -> None:
    """Queue a notice for the top of the page (the frame draws them after the page has run)."""
    st.session_state.setdefault("_notices", []).append(message)


def _from_url(key: str, options: list, default):
    """The URL's value for `key` when it names an option; otherwise the default, with a notice."""
    raw = st.query_params.get(key)
    if raw is None:
        return default
    by_text = {str(o): o for o in options}
    if len(raw) <= MAX_PARAM_LEN and raw in by_text:
        return by_text[raw]
    # The value itself is never shown: it came from a URL anyone can write.
    notice(t("notice.bad_param", param=key))
    return default


def choice(label: str, options: list, default, key: str, format_func=str, widget: str = "select",
           container=None, remember: bool = False):
    """A single-choice control whose value lives in the URL as `?key=code`.

    The URL carries codes, never the translated labels, so a link works in either language.
    Streamlit's own query-param binding writes the formatted label, hence this small sync:
    the URL seeds the widget when the session first meets it; the widget writes it back.
    `remember` keeps the value in the session while a page without this control is shown.
    """
    memory = f"_remembered_{key}"
    if key not in st.session_state:
        initial = _from_url(key, options, st.session_state.get(memory, default))
        st.session_state[key] = initial if initial in options else default
    elif st.session_state[key] not in options:
        st.session_state[key] = default
    box = container or st
    # Labels are fixed now, in this run's language: Streamlit may call format_func later.
    labels = {o: format_func(o) for o in options}
    format_func = lambda o: labels.get(o, str(o))  # noqa: E731
    if widget == "select":
        value = box.selectbox(label, options, key=key, format_func=format_func)
    elif widget == "segmented":
        value = box.segmented_control(label, options, key=key, format_func=format_func,
                                      required=True, wrap=True)
    elif widget == "pills":
        value = box.pills(label, options, key=key, format_func=format_func, required=True,
                          wrap=True)
    else:
        raise ValueError(widget)
    if value not in options:  # a cleared control means "back to the default"
        value = default
    if remember:
        st.session_state[memory] = value
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    else:
        st.query_params[key] = str(value)
    return value


def source_line(table: str) -> None:
    entry = q("catalog_entry", table_name=table)
    if entry.empty:
        return
    row = entry.iloc[0]
    unit = row["unit_en"] if lang() == "en" else row["unit_ja"]
    text = t("ui.source", section=row["source_ja"])
    if unit and unit != "—":
        text += " · " + t("ui.unit", unit=unit)
    st.caption(text)


# Every chart's frame; a page's own layout (a taller top margin, a side legend) goes on top.
# Charts are drawn with Streamlit's theme off (theme=None in chart_block): its template styles
# every trace type Plotly has and is applied twice on a chart's first draw, which doubled the
# browser's drawing time (overview's five-panel trend: 173 ms → 88 ms unthrottled, about
# 0.3 s of a phone's blocking time). This small template gives the look the app needs: the
# app's text colour, light grids, axes that make room for their labels.
_AXIS = {"automargin": True, "gridcolor": "#e6e9ef", "linecolor": "#d5dae5",
         "zerolinecolor": "#d5dae5", "ticks": "", "title": {"standoff": 8}}
CHART_LAYOUT = {
    "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
    "font": {"family": "Noto Sans CJK JP, Noto Sans JP, sans-serif", "color": "#31333f",
             "size": 13},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "colorway": PALETTE,
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    "hoverlabel": {"font": {"family": "Noto Sans CJK JP, Noto Sans JP, sans-serif"}},
    "template": {"layout": {"xaxis": _AXIS, "yaxis": _AXIS}},
}


def chart_block(title: str, fig: charts.Figure, data: pd.DataFrame, table: str, key: str,
                note: str | None = None) -> None:
    """One chart as a visitor meets it: what and when, the chart, where from, and the numbers."""
    st.markdown(f"#### {title}")
    # trace() and update_layout already made every value JSON-ready (charts._plain).
    spec = {"data": fig.data, "layout": charts.merge(copy.deepcopy(CHART_LAYOUT), fig.layout)}
    config = PLOTLY_CONFIG | {
        "toImageButtonOptions": PLOTLY_CONFIG["toImageButtonOptions"] | {"filename": key}}
    if any(t.get("geojson") or t["type"] == "scattergeo" for t in fig.data):
        config["topojsonURL"] = geo.topojson_url(st.get_option("server.baseUrlPath") or "")
    st.plotly_chart(charts.Prebuilt(spec), key=key, config=config, theme=None)
    if note:
        st.caption(note)
    source_line(table)
    data_table(data, key)


# Longer tables scroll inside a fixed height, their header staying in view.
SCROLL_ROWS, SCROLL_HEIGHT = 12, 420


def cells(data: pd.DataFrame) -> pd.DataFrame:
    """The table as text, the way the report prints numbers: thousands separated, one decimal
    for rates, years as years, and － (– in English) where there is no figure."""
    missing = "－" if lang() == "ja" else "–"
    out = {}
    for col in data.columns:
        column = data[col]
        kind = column.dtype.kind
        values = column.tolist()  # plain Python values: pandas' own per-item access is slow
        if kind in "iu":
            present = [v for v in values if not _missing(v)]
            # Years and codes such as 2024 must not read "2,024".
            pattern = "{:d}" if present and all(1900 <= v <= 2100 for v in present) else "{:,d}"
            out[col] = [missing if _missing(v) else pattern.format(int(v)) for v in values]
        elif kind == "f":
            out[col] = [missing if _missing(v) else f"{v:,.1f}" for v in values]
        else:
            out[col] = [missing if _missing(v) else str(v) for v in values]
    return pd.DataFrame(out, columns=data.columns, dtype=object)


def _missing(value) -> bool:
    # Not fmt.missing: its pd.isna answers element by element for a list-valued cell.
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def table_html(data: pd.DataFrame, height: int | None = None) -> str:
    """A plain HTML table: numbers right-aligned, every text escaped, a sticky header when it
    scrolls. Styled by the .nexi-table rules in app.py's stylesheet."""
    text = cells(data)
    numeric = [data[c].dtype.kind in "iuf" for c in data.columns]
    cls = lambda n: ' class="num"' if n else ""  # noqa: E731
    head = "".join(f'<th scope="col"{cls(n)}>{escape(str(c))}</th>'
                   for c, n in zip(data.columns, numeric))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(n)}>{escape(v)}</td>" for v, n in zip(row, numeric)) + "</tr>"
        for row in text.itertuples(index=False, name=None))
    # A scrolling region takes the keyboard focus, so it can be scrolled without a mouse.
    scroll = f' style="max-height:{int(height)}px" tabindex="0"' if height else ""
    return (f'<div class="nexi-table" role="region" aria-label="{escape(t("ui.table"))}"{scroll}>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def table(data: pd.DataFrame, height: int | None = None) -> None:
    """A static table as HTML: no data-grid or per-cell Markdown to load and draw, so a page
    with a dozen tables stays as quick as one without."""
    if height is None and len(data) > SCROLL_ROWS:
        height = SCROLL_HEIGHT
    st.html(table_html(data, height))


@st.fragment
def data_table(data: pd.DataFrame, key: str) -> None:
    """The numbers behind a chart, drawn only once a visitor opens them.

    A closed expander would still hold its table and download button in the page, and every
    chart redraw would lay them out again (a third of a rerun on the products page). Opening
    reruns only this fragment; it stays open, with the current figures, while the controls
    change.
    """
    box = st.expander(t("ui.data_behind"), key=f"data_{key}", on_change="rerun")
    if not box.open:
        return
    with box:
        table(data)
        st.download_button(t("ui.download_csv"), data.to_csv(index=False).encode("utf-8-sig"),
                           file_name=f"nexi_fy2024_{key}_{lang()}.csv", mime="text/csv",
                           key=f"dl_{key}", on_click="ignore")


def year() -> int:
    """The fiscal year chosen in the frame's selector (the latest year when none is chosen)."""
    value = st.session_state.get("year")
    if value is None:
        value = int(q("fiscal_years")["fiscal_year"].max())
    return int(value)


def measure_label(measure: str) -> str:
    return t(f"measure.{measure}")


def fy(year: int) -> str:
    return t("ui.fy", year=year)


def fmt_yen(amount: int) -> str:
    from . import fmt
    return fmt.yen(amount, lang())


def ensure_router() -> None:
    """Hand a page to app.py's router when Streamlit opened it directly.

    With a pages/ folder beside app.py, Streamlit's legacy multipage mode stays on until
    st.navigation first runs in the process. If a fresh server's first visitor arrives on a
    deep link (/regions), the page would run bare, without the frame, for every session.
    Clearing the legacy flag and rerunning sends this and later runs through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        params = st.query_params.to_dict()
        st.query_params.from_dict(params)
        st.rerun()


# Chart axes: 億円 reads naturally in Japanese, ¥ billion in English. Tables keep 百万円.
_AXIS = {"ja": (100, "億円"), "en": (1000, "¥ billion")}


def axis(mjpy):
    """Million yen converted to the chart unit of the current language."""
    return mjpy / _AXIS[lang()][0]


def axis_unit() -> str:
    return _AXIS[lang()][1]


def hover(var: str, signed: bool = False) -> str:
    """A Plotly hover placeholder for an axis amount: 1,151億円 / ¥115.1 billion."""
    sign = "+" if signed else ""
    if lang() == "en":
        return f"¥%{{{var}:{sign},.1f}} billion"
    return f"%{{{var}:{sign},.0f}}億円"


def measure_controls(measures: list[str], measure_box, risk_box) -> tuple[str, str, str]:
    """The measure pills, and the political/commercial split when claims paid is chosen.

    Returns (measure, risk, label), the label naming both for chart titles.
    """
    measure = choice(t("ui.measure"), measures, measures[0], key="measure", widget="pills",
                     format_func=measure_label, container=measure_box)
    risk = "total"
    if measure == "claims_paid":
        risk = choice(t("ui.risk"), ["total", "political", "commercial"], "total", key="risk",
                      widget="segmented", format_func=lambda r: t(f"risk.{r}"), container=risk_box)
    label = (measure_label(measure) if risk == "total" else
             t("ui.measure_risk", measure=measure_label(measure), risk=t(f"risk.{risk}")))
    return measure, risk, label


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
