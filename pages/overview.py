"""Overview: the year's headline figures, the records the report states, and context."""

import streamlit as st

from nexidash import charts, fmt, ui

ui.ensure_router()

lang, year = ui.lang(), ui.year()
t = ui.t

st.title(t("overview.title"))
st.markdown(t("overview.intro"))

MEASURES = ["underwriting", "outstanding", "premium", "claims_paid", "recoveries"]
# A rise in claims paid is bad news; the arrow colour should say so.
DELTA_COLOR = {"claims_paid": "inverse"}

totals = ui.q("headline_totals")
totals = totals[totals["risk"] == "total"]
series = {m: totals[totals["measure"] == m].set_index("fiscal_year")["amount_mjpy"]
          for m in MEASURES}

st.subheader(t("overview.headline", fy=ui.fy(year)))
# Three cards a row: five side by side truncate amounts such as 1,151億円.
cols = [c for row in range(2) for c in st.columns(3)]
for col, measure in zip(cols, MEASURES):
    s = series[measure]
    current, previous = s.get(year), s.get(year - 1)
    change = fmt.change_pct(current, previous)
    col.metric(
        ui.measure_label(measure),
        fmt.money(current, lang),
        delta=None if change is None else fmt.pct(change, "en", signed=True),
        delta_color=DELTA_COLOR.get(measure, "normal"),
        delta_description=t("overview.vs_prev") if change is not None else None,
        help=t("overview.exact", amount=fmt.mjpy(current, lang)),
        border=True,
    )
exports_series = ui.q("japan_exports").set_index("fiscal_year")["amount_mjpy"]
change = fmt.change_pct(exports_series.get(year), exports_series.get(year - 1))
cols[5].metric(t("overview.exports_card"), fmt.money(exports_series.get(year), lang),
               delta=None if change is None else fmt.pct(change, "en", signed=True),
               delta_description=t("overview.vs_prev") if change is not None else None,
               help=t("overview.exports_card_help"),
               border=True)
st.caption(t("overview.derived_note"))

if year == 2024:
    st.markdown("##### " + t("overview.records_title"))
    rc1, rc2 = st.columns(2)
    rc1.info(t("overview.record_claims"), icon=":material/warning:")
    rc2.info(t("overview.record_underwriting"), icon=":material/trending_up:")

# Five-year trend of every headline measure, one small panel each.
titles = tuple(ui.measure_label(m) for m in MEASURES)
fig = charts.Figure(layout=charts.subplot_layout(titles, horizontal_spacing=0.08))
for i, measure in enumerate(MEASURES, start=1):
    s = series[measure].sort_index()
    axis = "" if i == 1 else str(i)
    fig.add_trace(charts.bar(
        x=[str(y) for y in s.index], y=ui.axis(s.values), xaxis="x" + axis, yaxis="y" + axis,
        marker_color=[ui.PALETTE[0] if y == year else "#9ecae1" for y in s.index],
        hovertemplate="%{x}: " + ui.hover("y") + "<extra></extra>", showlegend=False,
    ))
    fig.update_layout(**{"yaxis" + axis: dict(tickformat=",.0f")})
fig.update_layout(height=300, margin=dict(t=36))
trend = totals.pivot(index="fiscal_year", columns="measure", values="amount_mjpy")[MEASURES]
trend.columns = [f"{ui.measure_label(m)} ({t('unit.mjpy')})" for m in MEASURES]
ui.chart_block(t("overview.trend_title", unit=ui.axis_unit()), fig,
               trend.reset_index().rename(columns={"fiscal_year": t("col.fiscal_year")}),
               "report_totals", "headline_trend")

left, right = st.columns(2)
with left:
    exports = ui.q("japan_exports")
    exports["change_pct"] = [None] + [
        float(fmt.change_pct(c, p)) for p, c in zip(exports["amount_mjpy"], exports["amount_mjpy"][1:])]
    fig = charts.Figure(charts.bar(
        x=exports["fiscal_year"].astype(str), y=exports["amount_mjpy"] / 1_000_000,
        marker_color=ui.PALETTE[4],
        text=[fmt.pct(c, lang, signed=True) if not fmt.missing(c) else "" for c in exports["change_pct"]],
        textposition="outside",
        hovertemplate="%{x}: " + t("overview.exports_hover") + "<extra></extra>",
    ))
    fig.update_layout(height=320, yaxis=dict(title=t("unit.cho_axis"), rangemode="tozero"))
    table = exports.rename(columns={"fiscal_year": t("col.fiscal_year"),
                                    "amount_mjpy": t("col.amount_mjpy"),
                                    "status": t("col.status"), "change_pct": t("col.change_pct")})
    ui.chart_block(t("overview.exports_title"), fig, table, "japan_exports", "japan_exports",
                   note=t("overview.exports_note"))

with right:
    st.markdown("#### " + t("overview.financial_title"))
    fin = ui.q("financial_summary", fiscal_year=2024)
    shown = fin.assign(label=fin[ui.name_col().replace("name", "item")],
                       amount=[fmt.mjpy(v, lang) for v in fin["amount_mjpy"]])
    ui.table(shown[["label", "amount"]].rename(
        columns={"label": t("col.item"), "amount": t("col.amount_mjpy")}))
    ui.source_line("financial_summary")
    ui.data_table(fin, "financial_summary")
