"""Compare years: any measure for two fiscal years side by side, by region or by product."""

import streamlit as st

from nexidash import charts, fmt, ui

ui.ensure_router()

lang = ui.lang()
t, nc = ui.t, ui.name_col()

st.title(t("compare.title"))
st.markdown(t("compare.intro"))

years = ui.q("fiscal_years")["fiscal_year"].tolist()
c1, c2, c3, c4 = st.columns([2, 3, 1, 1])
dim = ui.choice(t("compare.dimension"), ["region", "product"], "region", key="dim",
                widget="segmented", format_func=lambda d: t(f"compare.dim.{d}"), container=c1)
measures = (["underwriting", "outstanding", "claims_paid", "recoveries"] if dim == "region"
            else ["underwriting", "outstanding", "premium", "claims_paid"])
measure = ui.choice(t("ui.measure"), measures, "underwriting", key="measure", widget="pills",
                    format_func=ui.measure_label, container=c2)
year_b = ui.choice(t("compare.year_b"), years, years[0], key="b", format_func=ui.fy, container=c4)
year_a = ui.choice(t("compare.year_a"), years, years[1] if len(years) > 1 else years[0], key="a",
                   format_func=ui.fy, container=c3)

query = "region_measure_year" if dim == "region" else "product_measure_year"
a = ui.q(query, measure=measure, risk="total", fiscal_year=year_a)
b = ui.q(query, measure=measure, risk="total", fiscal_year=year_b)
key = dim
both = a[[key, nc, "amount_mjpy"]].merge(b[[key, "amount_mjpy"]], on=key, how="outer",
                                         suffixes=("_a", "_b"))
both = both.set_index(key).loc[b[key]].reset_index()  # the report's order
both["difference_mjpy"] = both["amount_mjpy_b"] - both["amount_mjpy_a"]
both["change_pct"] = [None if fmt.change_pct(y, x) is None else float(fmt.change_pct(y, x))
                      for x, y in zip(both["amount_mjpy_a"], both["amount_mjpy_b"])]

fig = charts.Figure()
for i, (col, yr) in enumerate((("amount_mjpy_a", year_a), ("amount_mjpy_b", year_b))):
    fig.add_trace(charts.bar(y=both[nc], x=ui.axis(both[col]), name=ui.fy(yr), orientation="h",
                         marker_color=[ui.PALETTE[4], ui.PALETTE[0]][i],
                         hovertemplate="%{y}: " + ui.hover("x") + "<extra>" + ui.fy(yr) + "</extra>"))
fig.update_layout(barmode="group", height=120 + 44 * len(both),
                  xaxis=dict(title=ui.axis_unit(), tickformat=",.0f"),
                  yaxis=dict(autorange="reversed"))
table = both.rename(columns={
    nc: t(f"compare.dim.{dim}"), "amount_mjpy_a": t("col.amount_fy", fy=ui.fy(year_a)),
    "amount_mjpy_b": t("col.amount_fy", fy=ui.fy(year_b)),
    "difference_mjpy": t("compare.difference"), "change_pct": t("col.change_pct")})
ui.chart_block(t("compare.chart_title", measure=ui.measure_label(measure), a=ui.fy(year_a),
                 b=ui.fy(year_b)), fig, table,
               "region_stats" if dim == "region" else "product_stats", "compare",
               note=t("compare.note"))
ui.table(table.drop(columns=[key]))
