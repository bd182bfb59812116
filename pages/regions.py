"""Regions: where NEXI insures, pays and recovers, on a world map of its statistical regions."""

import streamlit as st

from nexidash import charts, fmt, geo, ui

ui.ensure_router()

lang, year = ui.lang(), ui.year()
t, nc = ui.t, ui.name_col()

st.title(t("regions.title"))
st.markdown(t("regions.intro"))

MEASURES = ["underwriting", "outstanding", "claims_paid", "recoveries"]
c1, c2, c3 = st.columns([3, 2, 2])
measure, risk, label = ui.measure_controls(MEASURES, c1, c2)
regions = ui.q("regions")
region_opts = ["all"] + regions["region"].tolist()
region_names = dict(zip(regions["region"], regions[nc]))
chosen = ui.choice(t("regions.focus"), region_opts, "all", key="region",
                   format_func=lambda r: t("ui.all_regions") if r == "all" else region_names[r],
                   container=c3)

by_region = ui.q("region_measure_year", measure=measure, risk=risk, fiscal_year=year)
if by_region["amount_mjpy"].isna().all():
    st.info(t("regions.no_data", fy=ui.fy(year)))
    st.stop()

# The map: every country takes its region's figure; the statistics exist per region only.
countries = ui.q("country_region_values", measure=measure, risk=risk, fiscal_year=year)
on_map = countries[countries["on_map"] & countries["amount_mjpy"].notna()].copy()
share = dict(zip(by_region["region"], by_region["share_pct"]))
on_map["hover"] = [
    f"<b>{c}</b><br>{r}: {fmt.money(a, lang)} ({fmt.pct(share.get(code), lang)})"
    for c, r, a, code in zip(on_map[nc], on_map["region_" + lang], on_map["amount_mjpy"],
                             on_map["region"])]
if chosen != "all":
    on_map = on_map[on_map["region"] == chosen]
values = ui.axis(on_map["amount_mjpy"])
positive = by_region["amount_mjpy"].dropna()
fig = charts.choropleth("world", on_map["iso3"], values, on_map["hover"],
                        ui.axis_unit(), charts.WORLD_VIEW,
                        zmin=min(0, ui.axis(positive.min())), zmax=ui.axis(positive.max()))

top = ui.q("top_countries")
top = top[top["fiscal_year"] == top["fiscal_year"].max()]
show_top = st.toggle(t("regions.show_top10", fy=ui.fy(int(top["fiscal_year"].max()))), value=True,
                     key="top10")
if show_top:
    pts = geo.points("world")
    lat = [pts[i][0] for i in top["iso3"]]
    lon = [pts[i][1] for i in top["iso3"]]
    hover = [f"#{r} <b>{n}</b><br>{ui.measure_label('underwriting')}: {fmt.money(a, lang)} "
             f"({fmt.pct(s, lang)})" for r, n, a, s in
             zip(top["rank"], top["name_en" if lang == "en" else "name_ja"], top["amount_mjpy"],
                 top["share_pct"])]
    charts.add_markers(fig, lat, lon, hover, t("regions.top10_legend"), "#D55E00", size=10)

map_col, side_col = st.columns([5, 2])
with map_col:
    title = t("regions.map_title", measure=label, fy=ui.fy(year))
    map_data = by_region[["region", nc, "amount_mjpy", "share_pct", "change_pct"]].rename(columns={
        nc: t("col.region"), "amount_mjpy": t("col.amount_mjpy"),
        "share_pct": t("col.share_pct"), "change_pct": t("col.change_pct")})
    ui.chart_block(title, fig, map_data, "region_stats", "region_map",
                   note=t("regions.map_note"))
with side_col:
    intl = by_region[by_region["region"] == "intl_org"]
    st.markdown("##### " + region_names["intl_org"])
    if intl.empty or intl["amount_mjpy"].isna().all():
        st.caption(t("regions.intl_none"))
    else:
        row = intl.iloc[0]
        st.metric(label, fmt.money(row["amount_mjpy"], lang),
                  delta=None if fmt.missing(row["change_pct"]) else
                  fmt.pct(row["change_pct"], "en", signed=True),
                  delta_color="inverse" if measure == "claims_paid" else "normal", border=True)
        st.caption(t("regions.intl_note"))
    if show_top:
        st.markdown("##### " + t("regions.top10_legend"))
        ui.table(top.assign(name=top["name_en" if lang == "en" else "name_ja"],
                                share=[fmt.pct(s, lang) for s in top["share_pct"]])
                     [["rank", "name", "share"]].rename(columns={
                         "rank": t("col.rank"), "name": t("col.country"),
                         "share": t("col.share_printed")}),)
        st.caption(t("regions.top10_note"))

# The regions side by side for the year, and the five-year trend.
left, right = st.columns(2)
with left:
    bars = by_region.dropna(subset=["amount_mjpy"]).iloc[::-1]
    fig = charts.Figure(charts.bar(
        y=bars[nc], x=ui.axis(bars["amount_mjpy"]), orientation="h",
        marker_color=[ui.PALETTE[1] if r == chosen else ui.PALETTE[0] for r in bars["region"]],
        text=[fmt.pct(s, lang) for s in bars["share_pct"]], textposition="auto",
        hovertemplate="%{y}: " + ui.hover("x") + "<extra></extra>"))
    fig.update_layout(height=360, xaxis=dict(title=ui.axis_unit(), tickformat=",.0f"))
    ui.chart_block(t("regions.bar_title", measure=label, fy=ui.fy(year)), fig, map_data,
                   "region_stats", "region_bars", note=t("regions.share_note"))
with right:
    trend = ui.q("region_trend", measure=measure, risk=risk)
    fig = charts.Figure()
    shown = trend if chosen == "all" else trend[trend["region"] == chosen]
    for i, (code, part) in enumerate(shown.groupby("sort", sort=True)):
        fig.add_trace(charts.bar(x=part["fiscal_year"].astype(str), y=ui.axis(part["amount_mjpy"]),
                             name=part[nc].iloc[0], marker_color=ui.PALETTE[i % len(ui.PALETTE)],
                             hovertemplate="%{x}: " + ui.hover("y") + "<extra>"
                             + part[nc].iloc[0] + "</extra>"))
    # Nine region names in a horizontal legend would squeeze the bars; a column beside fits.
    fig.update_layout(barmode="relative", height=360,
                      legend=dict(orientation="v", x=1.02, y=1, yanchor="top"),
                      yaxis=dict(title=ui.axis_unit(), tickformat=",.0f"))
    who = t("ui.all_regions") if chosen == "all" else region_names[chosen]
    trend_data = shown[["fiscal_year", "region", nc, "amount_mjpy"]].rename(columns={
        "fiscal_year": t("col.fiscal_year"), nc: t("col.region"),
        "amount_mjpy": t("col.amount_mjpy")})
    ui.chart_block(t("regions.trend_title", measure=label, who=who), fig, trend_data,
                   "region_stats", "region_trend")

if measure == "claims_paid":
    split = ui.q("region_claims_split", fiscal_year=year)
    fig = charts.Figure()
    for i, r in enumerate(["political", "commercial"]):
        part = split[split["risk"] == r]
        fig.add_trace(charts.bar(x=part[nc], y=ui.axis(part["amount_mjpy"]), name=t(f"risk.{r}"),
                             marker_color=ui.PALETTE[i + 1],
                             hovertemplate="%{x}: " + ui.hover("y") + "<extra></extra>"))
    fig.update_layout(barmode="relative", height=340,
                      yaxis=dict(title=ui.axis_unit(), tickformat=",.0f"))
    ui.chart_block(t("regions.split_title", fy=ui.fy(year)), fig,
                   split.rename(columns={nc: t("col.region"), "amount_mjpy": t("col.amount_mjpy")}),
                   "region_stats", "region_claims_split", note=t("regions.split_note"))
