"""SME network: the regional banks and shinkin that bring Japanese SMEs to NEXI, on a map of Japan."""

import html

import pandas as pd
import streamlit as st

from nexidash import charts, geo, ui

ui.ensure_router()

lang = ui.lang()
t, nc = ui.t, ui.name_col()
pref_col = "prefecture_en" if lang == "en" else "prefecture_ja"

st.title(t("sme.title"))
st.markdown(t("sme.intro"))

counts = ui.q("sme_prefecture_counts")
pref_names = dict(zip(counts["prefecture_code"], counts[nc]))
c1, c2 = st.columns([2, 2])
kind = ui.choice(t("sme.kind"), ["members", "banks", "shinkin"], "members", key="kind",
                 widget="segmented", format_func=lambda k: t(f"sme.kind.{k}"), container=c1)
pref = ui.choice(t("sme.prefecture"), ["all"] + counts["prefecture_code"].tolist(), "all",
                 key="pref", format_func=lambda p: t("ui.all") if p == "all" else pref_names[p],
                 container=c2)

m1, m2, m3, m4 = st.columns(4)
m1.metric(t("sme.kind.members"), f"{counts['members'].sum():,}", border=True)
m2.metric(t("sme.kind.banks"), f"{counts['banks'].sum():,}", border=True)
m3.metric(t("sme.kind.shinkin"), f"{counts['shinkin'].sum():,}", border=True)
m4.metric(t("sme.prefectures_covered"), f"{(counts['members'] > 0).sum()} / {len(counts)}",
          border=True)

cases = ui.q("sme_cases")
map_col, list_col = st.columns([3, 2])
with map_col:
    hover = [f"<b>{html.escape(n)}</b><br>{t('sme.kind.banks')}: {b}<br>"
             f"{t('sme.kind.shinkin')}: {s}" for n, b, s in
             zip(counts[nc], counts["banks"], counts["shinkin"])]
    fig = charts.choropleth("japan", counts["prefecture_code"], counts[kind], pd.Series(hover),
                            t("sme.count_unit"), charts.JAPAN_VIEW, colorscale="Blues", zmin=0)
    fig.update_layout(height=560)
    placed = cases.dropna(subset=["prefecture_code"]).drop_duplicates("case_no")
    if not placed.empty:
        pts = geo.points("japan")
        company = "company_en" if lang == "en" else "company_ja"
        goods = "goods_en" if lang == "en" else "goods_ja"
        charts.add_markers(
            fig, [pts[p][0] for p in placed["prefecture_code"]],
            [pts[p][1] for p in placed["prefecture_code"]],
            [f"<b>{html.escape(c)}</b><br>{html.escape(g)}" for c, g in
             zip(placed[company], placed[goods])],
            t("sme.cases_legend"), "#D55E00", size=12)
        fig.update_layout(showlegend=True)
    if pref != "all":
        lat, lon = geo.points("japan")[pref]
        charts.focus(fig, lat, lon, span=8)
    ui.chart_block(t("sme.map_title", kind=t(f"sme.kind.{kind}")), fig,
                   counts.drop(columns=["sort"]), "sme_network", "sme_map",
                   note=t("sme.map_note"))
with list_col:
    members = ui.q("sme_members", prefecture_code=None if pref == "all" else pref)
    where = t("ui.all") if pref == "all" else pref_names[pref]
    st.markdown("#### " + t("sme.members_title", where=where, n=len(members)))
    ui.table(members.assign(kind_label=[t(f"sme.kind_one.{k}")
                                            for k in members["kind"]])
                 [[nc, "kind_label", pref_col]].rename(columns={
                     nc: t("col.institution"), "kind_label": t("col.kind"),
                     pref_col: t("col.prefecture")}),
                 height=480)
    ui.source_line("sme_network")
    ui.data_table(members, "sme_members")

left, right = st.columns(2)
with left:
    years = ui.q("sme_partnerships_by_year")
    fig = charts.Figure()
    fig.add_trace(charts.bar(x=years["fiscal_year"], y=years["new_regional"],
                         name=t("sme.new_regional"), marker_color=ui.PALETTE[0]))
    fig.add_trace(charts.bar(x=years["fiscal_year"], y=years["new_shinkin"],
                         name=t("sme.new_shinkin"), marker_color=ui.PALETTE[4]))
    fig.add_trace(charts.scatter(x=years["fiscal_year"], y=years["cumulative"], yaxis="y2",
                             name=t("sme.cumulative"), mode="lines+markers",
                             line=dict(color=ui.PALETTE[5])))
    fig.update_layout(barmode="stack", height=340, xaxis=dict(dtick=1),
                      yaxis=dict(title=t("sme.new_axis")),
                      yaxis2=dict(title=t("sme.cumulative_axis"), overlaying="y", side="right",
                                  range=[0, 130], dtick=20, showgrid=False))
    ui.chart_block(t("sme.years_title"), fig, years, "sme_partnerships_by_year", "sme_years",
                   note=t("sme.years_note"))
with right:
    st.markdown("#### " + t("sme.package_title"))
    package = ui.q("support_package")
    member = "member_en" if lang == "en" else "member_ja"
    regional = package[package["kind"] == "regional_fi"]
    if not regional.empty:
        st.metric(t("sme.package_regional"), f"{int(regional['institutions'].iloc[0]):,}",
                  help=t("sme.package_regional_help", month=regional["as_of"].iloc[0]),
                  border=True)
    for code, part in package.groupby("package", sort=False):
        st.markdown(f"##### {t('sme.package.' + code)}")
        ui.table(part[part["kind"] != "regional_fi"].assign(
            kind_label=lambda d: [t(f"sme.member_kind.{k}") for k in d["kind"]])
            [[member, "kind_label", "joined"]].rename(columns={
                member: t("col.institution"), "kind_label": t("col.role"),
                "joined": t("col.joined")}))
    ui.source_line("support_package")
    ui.data_table(package, "support_package")

st.markdown("#### " + t("sme.cases_title"))
company = "company_en" if lang == "en" else "company_ja"
goods = "goods_en" if lang == "en" else "goods_ja"
dest = "dest_en" if lang == "en" else "dest_ja"
product = "product_en" if lang == "en" else "product_ja"
introducer = "introducer_en" if lang == "en" else "introducer_ja"
shown = cases.fillna({pref_col: "", introducer: ""}).assign(amount=[
    "" if pd.isna(a) else t("sme.amount_" + b, amount=ui.fmt_yen(int(a)),
                            approx=t("ui.approx") if ap else "")
    for a, b, ap in zip(cases["amount_jpy"], cases["amount_basis"], cases["approx"])])
ui.table(shown[[company, pref_col, goods, dest, product, "amount", "signed", introducer]]
             .rename(columns={company: t("col.company"), pref_col: t("col.prefecture"),
                              goods: t("col.goods"), dest: t("col.destination"),
                              product: t("col.product"), "amount": t("col.insured_amount"),
                              "signed": t("col.signed"), introducer: t("col.introducer")}))
st.caption(t("sme.cases_note"))
ui.source_line("sme_cases")
ui.data_table(cases, "sme_cases")
