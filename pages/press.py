"""Press kit: the year's figures as ready sentences, every table as a download, a print view."""

import streamlit as st

from nexidash import export, press, ui

ui.ensure_router()

lang, year = ui.lang(), ui.year()
t = ui.t

st.title(t("press.title"))
st.markdown(t("press.intro"))

totals = ui.q("headline_totals")
sentences = press.headline(totals, year, lang)
regions = ui.q("region_measure_year", measure="underwriting", risk="total", fiscal_year=year)
claims = ui.q("region_measure_year", measure="claims_paid", risk="total", fiscal_year=year)
premium = ui.q("product_measure_year", measure="premium", risk="total", fiscal_year=year)
sentences += [
    press.largest(regions, "press.s.top_region", lang, "region_stats"),
    press.largest(claims, "press.s.claims_region", lang, "region_stats"),
    press.largest(premium, "press.s.top_product", lang, "product_stats"),
]

st.subheader(t("press.sentences_title", fy=ui.fy(year)))
catalog = {name: ui.q("catalog_entry", table_name=name).iloc[0]
           for name in sorted({s.table for s in sentences})}
for s in sentences:
    entry = catalog[s.table]
    st.markdown(f"- {s.text}  \n  :small[{t('press.from', title=entry['title_' + lang])}]")
if year == 2024:
    st.markdown(f"- {t('overview.record_claims')}\n- {t('overview.record_underwriting')}")
st.code("\n".join(s.text for s in sentences), language=None, wrap_lines=True)
st.caption(t("press.sentences_note"))

st.subheader(t("press.downloads_title"))
c1, c2, c3 = st.columns(3)


@st.cache_data(show_spinner=False)
def _zip() -> bytes:
    return export.tables_zip()


@st.cache_data(show_spinner=False)
def _xlsx(lang: str) -> bytes:
    return export.tables_xlsx(lang=lang)


# Both files are made when clicked (and then cached): a page view need not build a workbook.
c1.download_button(t("press.download_zip"), _zip, file_name="nexi_fy2024_tables.zip",
                   mime="application/zip", key="dl_zip", on_click="ignore",
                   icon=":material/folder_zip:")
c2.download_button(t("press.download_xlsx"), lambda: _xlsx(lang), file_name=f"nexi_fy2024_{lang}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="dl_xlsx", on_click="ignore", icon=":material/table_view:")
c3.markdown(t("press.png_hint"))
st.caption(t("press.downloads_note", n=len(export.table_files())))

st.subheader(t("press.print_title"))
st.markdown(t("press.print_hint"))
