"""Products: which insurance products carry NEXI's book, and how the mix moves year to year."""

import streamlit as st

from nexidash import charts, fmt, ui

ui.ensure_router()

lang, year = ui.lang(), ui.year()
t, nc = ui.t, ui.name_col()

st.title(t("products.title"))
st.markdown(t("products.intro"))

MEASURES = ["underwriting", "outstanding", "premium", "claims_paid"]
FAMILY_COLORS = {"export": ui.PALETTE[0], "investment": ui.PALETTE[1], "loan": ui.PALETTE[2],
                 "reinsurance": ui.PALETTE[3]}
c1, c2, c3 = st.columns([3, 2, 2])
measure, risk, label = ui.measure_controls(MEASURES, c1, c2)
mix = ui.q("product_measure_year", measure=measure, risk=risk, fiscal_year=year)
names = dict(zip(mix["product"], mix[nc]))
product = ui.choice(t("products.focus"), ["all"] + mix["product"].tolist(), "all", key="product",
                    format_func=lambda p: t("ui.all_products") if p == "all" else names[p],
                    container=c3)
family_name = "family_en" if lang == "en" else "family_ja"

table = mix.assign(
    amount=[fmt.mjpy(a, lang) for a in mix["amount_mjpy"]],
    prev=[fmt.mjpy(a, lang) for a in mix["prev_amount_mjpy"]],
)[["product", nc, family_name, "amount_mjpy", "prev_amount_mjpy", "share_pct", "change_pct"]]
table = table.rename(columns={
    nc: t("col.product"), family_name: t("col.family"),
    "amount_mjpy": t("col.amount_fy", fy=ui.fy(year)),
    "prev_amount_mjpy": t("col.amount_fy", fy=ui.fy(year - 1)),
    "share_pct": t("col.share_pct"), "change_pct": t("col.change_pct")})

# Full width: the product names are long, and side by side the bars had no room.
# Bars, not a treemap or pie: premiums can be negative (buyer's credit, FY2021–22).
bars = mix.sort_values(["family_sort", "sort"], ascending=False)
fig = charts.Figure()
for family, part in bars.groupby("family", sort=False):
    fig.add_trace(charts.bar(
        y=part[nc], x=ui.axis(part["amount_mjpy"]), orientation="h",
        name=part[family_name].iloc[0], marker_color=FAMILY_COLORS[family],
        marker_line=dict(width=[3 if p == product else 0 for p in part["product"]],
                         color="#000000"),
        hovertemplate="%{y}: " + ui.hover("x") + "<extra></extra>"))
fig.update_layout(height=460, barmode="relative",
                  xaxis=dict(title=ui.axis_unit(), tickformat=",.0f",
                             zeroline=True, zerolinecolor="#444"),
                  yaxis=dict(categoryorder="array", categoryarray=bars[nc].tolist()))
ui.chart_block(t("products.mix_title", measure=label, fy=ui.fy(year)), fig, table,
               "product_stats", "product_mix", note=t("products.negative_note"))
# Only where both years have a figure: a change from "－" is not a change the report shows.
change = mix.dropna(subset=["amount_mjpy", "prev_amount_mjpy"]).assign(
    delta=lambda d: d["amount_mjpy"] - d["prev_amount_mjpy"])
change = change.sort_values(["family_sort", "sort"], ascending=False)
fig = charts.Figure(charts.bar(
    y=change[nc], x=ui.axis(change["delta"]), orientation="h",
    marker_color=[ui.PALETTE[2] if d >= 0 else ui.PALETTE[5] for d in change["delta"]],
    text=[fmt.pct(c, lang, signed=True) if not fmt.missing(c) else "" for c in
          change["change_pct"]], textposition="auto",
    hovertemplate="%{y}: " + ui.hover("x", signed=True) + "<extra></extra>"))
fig.update_layout(height=440, xaxis=dict(title=ui.axis_unit(), tickformat="+,.0f",
                                         zeroline=True, zerolinecolor="#444"))
ui.chart_block(t("products.change_title", measure=label, fy=ui.fy(year), prev=ui.fy(year - 1)),
               fig, table, "product_stats", "product_change", note=t("products.change_note"))

trend = ui.q("product_trend", measure=measure, risk=risk)
fig = charts.Figure()
if product == "all":
    by_family = trend.groupby(["fiscal_year", "family", family_name], as_index=False,
                              sort=False)["amount_mjpy"].sum(min_count=1)
    for family, part in by_family.groupby("family", sort=False):
        fig.add_trace(charts.bar(x=part["fiscal_year"].astype(str), y=ui.axis(part["amount_mjpy"]),
                             name=part[family_name].iloc[0], marker_color=FAMILY_COLORS[family],
                             hovertemplate="%{x}: " + ui.hover("y") + "<extra>"
                             + part[family_name].iloc[0] + "</extra>"))
    who, trend_data = t("ui.all_products"), by_family
else:
    part = trend[trend["product"] == product]
    fig.add_trace(charts.bar(x=part["fiscal_year"].astype(str), y=ui.axis(part["amount_mjpy"]),
                         name=names[product], marker_color=FAMILY_COLORS[part["family"].iloc[0]],
                         hovertemplate="%{x}: " + ui.hover("y") + "<extra></extra>"))
    who, trend_data = names[product], part
fig.update_layout(barmode="relative", height=340,
                  yaxis=dict(title=ui.axis_unit(), tickformat=",.0f"))
ui.chart_block(t("products.trend_title", measure=label, who=who), fig,
               trend_data.rename(columns={"fiscal_year": t("col.fiscal_year"),
                                          "amount_mjpy": t("col.amount_mjpy")}),
               "product_stats", "product_trend")

st.subheader(t("products.about_title"))
st.caption(t("products.about_note"))
for family, part in mix.groupby("family_sort"):
    st.markdown(f"##### {part[family_name].iloc[0]}")
    for code, name in zip(part["product"], part[nc]):
        with st.expander(name, expanded=(code == product)):
            st.markdown(t(f"product.desc.{code}"))
