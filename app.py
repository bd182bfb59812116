"""NEXI Annual Report FY2024 dashboard: the router and the frame every page shares.

    streamlit run app.py        (or: make run)
"""

from __future__ import annotations

import logging

import streamlit as st

from nexidash import db, site, ui

log = logging.getLogger("nexidash")

st.set_page_config(page_title="NEXI FY2024", page_icon="assets/icon.png", layout="wide")

# Printing (to paper or PDF) drops the menu and controls, keeps charts whole on a page and prints
# long tables in full; then how ui.table's tables look. A constant stylesheet: no data or URL
# text is ever part of it.
st.html("""<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stExpander"], [data-testid="stDownloadButton"], .modebar { display: none !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  .js-plotly-plot, [data-testid="stMetric"] { break-inside: avoid; }
  .nexi-table { max-height: none !important; overflow: visible !important; }
}
.nexi-table { overflow: auto; border: 1px solid rgba(49, 51, 63, 0.15); border-radius: 0.5rem; }
/* A table fills its box and wraps its text; no column is squeezed below a few characters,
   so a table too wide for its box (a phone, a narrow column) scrolls sideways inside it. */
.nexi-table table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
.nexi-table th { position: sticky; top: 0; background: #f0f2f6; text-align: left;
                 font-weight: 600; }
.nexi-table th, .nexi-table td { padding: 0.3rem 0.6rem; vertical-align: top;
                                 border-bottom: 1px solid rgba(49, 51, 63, 0.1); }
.nexi-table td:not(.num) { min-width: 7em; }
.nexi-table .num { text-align: right; font-variant-numeric: tabular-nums; }
.nexi-table td.num { white-space: nowrap; }
.nexi-table tr:last-child td { border-bottom: none; }
</style>""")

st.session_state["_notices"] = []
LANG_NAMES = {"ja": "日本語", "en": "English"}
ui.choice("言語 / Language", list(LANG_NAMES), "ja", key="lang", widget="segmented",
          format_func=LANG_NAMES.get, container=st.sidebar)

pages = [st.Page(p.script, title=ui.t(p.nav_key), icon=p.icon, url_path=p.path,
                 default=(p == site.DEFAULT_PAGE)) for p in site.PAGES]
page = st.navigation(pages)
uses_year = {sp.url_path: p.uses_year for sp, p in zip(pages, site.PAGES)}

notice_box = st.container()


def _data_ready() -> bool:
    try:
        years = ui.q("fiscal_years")["fiscal_year"].tolist()
    except db.DatabaseUnavailable as exc:
        st.error(ui.t("error.database", detail=str(exc)))
        return False
    try:
        stale = _stale()
    except db.DatabaseUnavailable as exc:
        st.error(ui.t("error.database", detail=str(exc)))
        return False
    if stale:
        st.warning(ui.t("error.stale", files=", ".join(stale)))
    if uses_year.get(page.url_path, False):
        ui.choice(ui.t("ui.fiscal_year"), years, max(years), key="year",
                  format_func=lambda y: ui.t("ui.fy", year=y), container=st.sidebar,
                  remember=True)
    return True


def _stale() -> list[str]:
    return _stale_for(db.generation())


@st.cache_data(ttl=60, show_spinner=False)
def _stale_for(generation: tuple) -> list[str]:
    return db.stale_tables()


if _data_ready():
    try:
        page.run()
    except db.DatabaseUnavailable as exc:
        st.error(ui.t("error.database", detail=str(exc)))
    except Exception:  # a visitor sees a sentence, the server log keeps the traceback
        log.exception("page %s failed", page.url_path)
        st.error(ui.t("error.page"))

with notice_box:
    for message in dict.fromkeys(st.session_state["_notices"]):
        st.warning(message, icon=":material/link_off:")

st.sidebar.caption(ui.t("ui.footer"))
ui.freeze_heap()
