"""NEXI Annual Report FY2024 dashboard: the router and the frame every page shares.

    streamlit run app.py        (or: make run)
"""

from __future__ import annotations

import logging

import streamlit as st

from nexidash import appstyle, db, i18n, render, room, settings, site, urls, urlstate
from nexidash.blocks import Control

log = logging.getLogger("nexidash")

# The tab's title is set once the data says which year the report is for (below).
st.set_page_config(page_title="NEXI", page_icon="assets/icon.png", layout="wide")

# Style and script elements go in a container the proxy's shell hides from the first paint
# (room.HIDDEN): Streamlit holds a line's height for each until its code has loaded, and
# taking that line away pushed the whole page up.
head = st.container(key=room.HIDDEN + "head")
head.html("<style>" + appstyle.css() + "</style>")

st.session_state[urlstate.NOTICES] = []
LANG_NAMES = {"ja": "日本語", "en": "English"}
urlstate.widget(Control("lang", "言語 / Language", i18n.LANGS, i18n.DEFAULT_LANG, LANG_NAMES,
                        widget="segmented"), st.sidebar)
t = lambda key, **kw: i18n.translate(urlstate.lang(), key, **kw)  # noqa: E731
# <html lang> follows the view's language (Streamlit's shell hard-codes "en"): a published
# script, not an inline one, so it survives a Streamlit upgrade and the pages' CSP alike.
head.html(f'<script src="{render.static_prefix()}js/lang.js" data-nexi-lang="{urlstate.lang()}">'
          "</script>", unsafe_allow_javascript=True)

pages = [st.Page(p.script, title=t(p.nav_key), icon=p.icon, url_path=p.path,
                 default=(p == site.DEFAULT_PAGE)) for p in site.PAGES]
page = st.navigation(pages)
site_page = {sp.url_path: p for sp, p in zip(pages, site.PAGES)}[page.url_path]

notice_box = st.container()


report_year: list[int] = []  # the View's, once the data has answered


def _data_ready() -> bool:
    try:
        report_year[:] = [render.make_view().report_year]
    except db.DatabaseUnavailable as exc:
        st.error(t("error.database", detail=str(exc)))
        return False
    try:
        stale = _stale()
    except db.DatabaseUnavailable as exc:
        st.error(t("error.database", detail=str(exc)))
        return False
    if stale:
        st.warning(t("error.stale", files=", ".join(stale)))
    return True


def _stale() -> list[str]:
    return _stale_for(db.generation())


@st.cache_data(ttl=60, show_spinner=False)
def _stale_for(generation: tuple) -> list[str]:
    return db.stale_tables()


if _data_ready():
    # The same title the proxy writes into the page's shell (serve_nginx.page_heads).
    st.set_page_config(page_title=site.tab_title(urlstate.lang(), site_page, report_year[0]))
    try:
        page.run()
    except db.DatabaseUnavailable as exc:
        st.error(t("error.database", detail=str(exc)))
    except Exception:  # a visitor sees a sentence, the server log keeps the traceback
        log.exception("page %s failed", page.url_path)
        st.error(t("error.page"))

with notice_box:
    for message in dict.fromkeys(st.session_state[urlstate.NOTICES]):
        st.warning(message, icon=":material/link_off:")

if settings.get("NEXI_STATIC_EDITION"):  # set by `make serve`, which serves the edition at /
    # The same view as a plain page: quick on a phone, printable, the one to share.
    year = urlstate.remembered("year") if site_page.uses_year else None
    countries = (render.make_view().mentioned_countries() if site_page.path == urls.COUNTRY_PAGE
                 else ())
    path = urls.static_view(countries, urlstate.lang(), site_page.path, year,
                            report_year[0] if report_year else None,
                            st.query_params.get("iso3"))  # used only if it is a known country
    st.sidebar.markdown(f"[{t('edition.static_link')}]({path})")
st.sidebar.caption(t("ui.footer", year=report_year[0] if report_year else ""))
render.freeze_heap()
