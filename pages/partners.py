"""Partners: NEXI's agreements with export credit agencies, insurers and development banks."""

import html

import streamlit as st

from nexidash import charts, geo, ui

ui.ensure_router()

lang = ui.lang()
t = ui.t
TYPES = ["one_stop_shop", "short_term_reinsurance", "private_reinsurance", "cooperation"]
TYPE_COLORS = {"one_stop_shop": "#0072B2", "short_term_reinsurance": "#E69F00",
               "private_reinsurance": "#CC79A7", "cooperation": "#009E73"}
GROUPS = ["multilateral", "asia_oceania", "middle_east", "europe", "africa", "north_america",
          "south_america", "private"]
inst = "institution_en" if lang == "en" else "institution_ja"
country = "country_en" if lang == "en" else "country_ja"

st.title(t("partners.title"))
st.markdown(t("partners.intro"))

countries = ui.q("partner_countries")
c1, c2, c3 = st.columns(3)
a_type = ui.choice(t("partners.type"), ["all"] + TYPES, "all", key="type",
                   format_func=lambda a: t("ui.all") if a == "all" else t(f"agreement.{a}"),
                   container=c1)
group = ui.choice(t("partners.group"), ["all"] + GROUPS, "all", key="group",
                  format_func=lambda g: t("ui.all") if g == "all" else t(f"group.{g}"),
                  container=c2)
names = dict(zip(countries["iso3"], countries[ui.name_col()]))
iso3 = ui.choice(t("partners.country"), ["all"] + sorted(names, key=names.get), "all",
                 key="country", format_func=lambda i: t("ui.all") if i == "all" else names[i],
                 container=c3)

none_if_all = lambda v: None if v == "all" else v  # noqa: E731


def hover_text(row) -> str:
    lines = [f"<b>{html.escape(row[ui.name_col()])}</b>"]
    for d in row["detail"]:
        lines.append(f"{t('agreement.short.' + d['agreement_type'])}: "
                     f"{html.escape(d[inst])} ({d['year']})")
    return "<br>".join(lines)


m1, m2, m3, m4 = st.columns(4)
every = ui.q("partner_agreements", agreement_type=None, report_group=None, iso3=None)
m1.metric(t("partners.n_agreements"), f"{len(every):,}", border=True)
m2.metric(t("partners.n_countries"), f"{countries['iso3'].nunique():,}", border=True)
m3.metric(t("partners.n_multilateral"), f"{(every['report_group'] == 'multilateral').sum():,}", border=True)
m4.metric(t("partners.n_private"), f"{(every['report_group'] == 'private').sum():,}", border=True)

map_col, side_col = st.columns([5, 2])
with map_col:
    drawn = countries[countries["on_map"]].copy()
    drawn["hover"] = [hover_text(r) for _, r in drawn.iterrows()]
    if a_type != "all":
        drawn = drawn[[any(d["agreement_type"] == a_type for d in det) for det in drawn["detail"]]]
    fig = charts.categorical_map(
        "world", drawn["iso3"], drawn["map_type"], TYPES,
        {k: t(f"agreement.{k}") for k in TYPES}, TYPE_COLORS, drawn["hover"], charts.WORLD_VIEW)
    small = countries[~countries["on_map"]]
    if not small.empty:
        pts = geo.points("world")
        charts.add_markers(fig, [pts[i][0] for i in small["iso3"]], [pts[i][1] for i in small["iso3"]],
                           [hover_text(r) for _, r in small.iterrows()], t("partners.small_places"),
                           "#000000", size=9)
    offices = ui.q("offices")
    charts.add_markers(fig, offices["lat"], offices["lon"],
                       [f"<b>{html.escape(n)}</b>" for n in offices[ui.name_col()]],
                       t("partners.offices"), "#D55E00", symbol="circle", size=8)
    if iso3 != "all" and iso3 in geo.points("world"):
        lat, lon = geo.points("world")[iso3]
        charts.focus(fig, lat, lon, span=60)
    map_data = countries.assign(detail=[
        "; ".join(f"{t('agreement.short.' + d['agreement_type'])}: {d[inst]} ({d['year']})"
                  for d in det) for det in countries["detail"]])
    ui.chart_block(t("partners.map_title"), fig, map_data, "partner_agreements", "partner_map",
                   note=t("partners.map_note"))
with side_col:
    for g in ("multilateral", "private"):
        part = every[every["report_group"] == g]
        st.markdown(f"##### {t('group.' + g)}")
        ui.table(part[[inst, "year"]].rename(columns={inst: t("col.institution"),
                                                          "year": t("col.year")}),
                     height=260)

agreements = ui.q("partner_agreements", agreement_type=none_if_all(a_type),
                  report_group=none_if_all(group), iso3=none_if_all(iso3))
st.markdown("#### " + t("partners.table_title", n=len(agreements)))
table = agreements.assign(
    type_label=[t(f"agreement.{a}") for a in agreements["agreement_type"]],
    group_label=[t(f"group.{g}") for g in agreements["report_group"]],
)[["type_label", "group_label", country, inst, "year"]].rename(columns={
    "type_label": t("col.agreement_type"), "group_label": t("col.report_group"),
    country: t("col.country"), inst: t("col.institution"), "year": t("col.year")})
ui.table(table)
st.caption(t("partners.year_note"))
ui.source_line("partner_agreements")
ui.data_table(agreements, "partner_agreements")

timeline = ui.q("partner_timeline")
fig = charts.Figure()
for a in TYPES:
    part = timeline[timeline["agreement_type"] == a]
    fig.add_trace(charts.bar(x=part["year"], y=part["agreements"], name=t(f"agreement.{a}"),
                         marker_color=TYPE_COLORS[a],
                         hovertemplate="%{x}: %{y}<extra>" + t(f"agreement.{a}") + "</extra>"))
fig.update_layout(barmode="stack", height=320,
                  yaxis=dict(title=t("partners.agreements_axis"), dtick=2),
                  xaxis=dict(dtick=2))
ui.chart_block(t("partners.timeline_title"), fig, timeline, "partner_agreements",
               "partner_timeline", note=t("partners.year_note"))
