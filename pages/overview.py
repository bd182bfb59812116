"""Overview: the year's headline figures, the records the report states, and context."""

from nexidash import charts, describe, findings, fmt, formats, press, prose, sources
from nexidash.blocks import (Callout, Caption, Chart, Columns, Controls, Data, Heading, Text, Metric,
                             Metrics, Plot, Source, Table)
from nexidash.charts import PALETTE
from nexidash.schema import HEADLINE_MEASURES
from nexidash.glossary import MEASURE_TERMS
from nexidash.view import View

# A rise in claims paid is bad news; the arrow colour should say so.
DELTA_COLOR = {"claims_paid": "inverse"}
PAST_COLOR = "#9ecae1"  # the trend's other years, a lighter shade of the chosen year's blue


def build(v: View) -> list:
    t, report_fy = v.t, v.fy(v.report_year)
    out = [Heading(t("overview.title", fy=report_fy), 1),
           Text(t("overview.intro", year=v.report_year)),
           Caption(sources.line(v, "overview.intro")),
           Controls((v.year_control(),), (1, 2))]

    totals = v.q("headline_totals")
    totals = totals[totals["risk"] == "total"]
    exports = v.q("japan_exports")
    out += [Heading(t("overview.headline", fy=v.fy(v.year)), 2),
            # Three cards a row: five side by side truncate amounts such as 1,151億円.
            Metrics((*_cards(v, totals), _exports_card(v, exports)), per_row=3),
            Caption(t("overview.derived_note"))]

    records = findings.records(v)  # the report's own, for its own year only
    if records:
        out += [Heading(t("overview.records_title"), 5),
                Columns(tuple((Callout(r.text, icon=icon),) for r, icon in
                              zip(records, (":material/warning:", ":material/trending_up:"))))]

    trend = totals.pivot(index="fiscal_year", columns="measure", values="amount_mjpy")
    trend = trend[list(HEADLINE_MEASURES)].rename(columns=lambda m: f"{m}_mjpy").reset_index()
    out.append(Chart("headline_trend", t("overview.trend_title", unit=v.axis_unit),
                     (Plot("bars", t("ui.view.trend"), _trend(v, totals)),), trend,
                     "report_totals",
                     labels={f"{m}_mjpy": f"{v.measure_label(m)} ({t('unit.mjpy')})"
                             for m in HEADLINE_MEASURES},
                     summary=prose.join(describe.span(v, v.measure_label(m), trend["fiscal_year"],
                                                    trend[f"{m}_mjpy"])
                                      for m in ("underwriting", "claims_paid")),
                     terms=tuple(MEASURE_TERMS[m] for m in HEADLINE_MEASURES)))

    out.append(Columns((_exports(v, exports), _financial(v))))
    return out


def _card(v: View, label: str, amount, change, **kw) -> Metric:
    return Metric(label, fmt.money(amount, v.lang),
                  delta=None if fmt.missing(change) else fmt.pct(change, v.lang, signed=True),
                  delta_description=None if fmt.missing(change) else v.t("overview.vs_prev"),
                  **kw)


def _total_card(v: View, measure: str, row, **kw) -> Metric:
    """A headline card: the report's printed total, and its change from the year before."""
    cur = press.total(v, measure, v.year, row["amount_mjpy"], approx=False)
    prev = (None if fmt.missing(row["prev_amount_mjpy"]) else
            press.total(v, measure, v.year - 1, row["prev_amount_mjpy"], approx=False))
    return describe.amount_card(v, v.measure_label(measure), cur, prev, **kw)


def _cards(v: View, totals) -> list[Metric]:
    """One card per headline measure: the report's total and its change from the year before."""
    rows = totals[totals["fiscal_year"] == v.year].set_index("measure")
    out = []
    for measure in HEADLINE_MEASURES:
        kw = {"delta_color": DELTA_COLOR.get(measure, "normal"), "term": MEASURE_TERMS[measure]}
        if measure not in rows.index or fmt.missing(rows.at[measure, "amount_mjpy"]):
            out.append(_card(v, v.measure_label(measure), None, None, **kw))
            continue
        row = rows.loc[measure]
        out.append(_total_card(v, measure, row, **kw,
                               help=v.t("overview.exact",
                                        amount=fmt.exact(row["amount_mjpy"], v.lang))))
    return out


def _exports_card(v: View, exports) -> Metric:
    def cell(year):
        row = exports[exports["fiscal_year"] == year]
        return None if row.empty else prose.money(row["amount_mjpy"].iloc[0], v.lang,
                                                  approx=False, table="japan_exports",
                                                  key={"fiscal_year": year})
    label, help_ = v.t("overview.exports_card"), v.t("overview.exports_card_help")
    cur = cell(v.year)
    if cur is None:
        return _card(v, label, None, None, help=help_)
    return describe.amount_card(v, label, cur, cell(v.year - 1), help=help_)


def _trend(v: View, totals) -> dict:
    """Five-year trend of every headline measure, one small panel each."""
    titles = tuple(v.measure_label(m) for m in HEADLINE_MEASURES)
    fig = charts.Figure(layout=charts.subplot_layout(titles, horizontal_spacing=0.08))
    for i, measure in enumerate(HEADLINE_MEASURES, start=1):
        s = totals[totals["measure"] == measure].sort_values("fiscal_year")
        axis = "" if i == 1 else str(i)
        fig.add_trace(charts.bar(
            x=s["fiscal_year"].astype(str), y=v.axis(s["amount_mjpy"]),
            xaxis="x" + axis, yaxis="y" + axis,
            marker_color=[PALETTE[0] if y == v.year else PAST_COLOR for y in s["fiscal_year"]],
            hovertemplate="%{x}: " + v.hover("y") + "<extra></extra>", showlegend=False,
        ))
        fig.update_layout(**{"yaxis" + axis: dict(tickformat=formats.AXIS_TICK)})
    fig.update_layout(height=300, margin=dict(t=36))
    return fig.to_dict()


def _exports(v: View, exports) -> tuple:
    """Japan's exports, for context: each year's amount and its change from the year before."""
    t, lang = v.t, v.lang
    fig = charts.Figure(charts.bar(
        x=exports["fiscal_year"].astype(str), y=exports["amount_mjpy"] / 1_000_000,
        marker_color=PALETTE[4],
        text=["" if fmt.missing(c) else fmt.pct(c, lang, signed=True)
              for c in exports["change_pct"]],
        textposition="outside",
        hovertemplate="%{x}: " + t("overview.exports_hover") + "<extra></extra>",
    ))
    fig.update_layout(height=320, yaxis=dict(title=t("unit.cho_axis"), rangemode="tozero"))
    data = exports.assign(status=[t(f"overview.status.{s}") for s in exports["status"]])
    first = int(exports["fiscal_year"].min())
    note = t("overview.exports_note", from_fy=v.fy(first + 1), first_fy=v.fy(first),
             before_fy=v.fy(first - 1))
    return (Chart("japan_exports", t("overview.exports_title"),
                  (Plot("bars", t("ui.view.bars"), fig.to_dict()),),
                  data[["fiscal_year", "amount_mjpy", "status", "change_pct"]], "japan_exports",
                  note=note, summary=describe.span(v, t("overview.exports_what"),
                                                   exports["fiscal_year"],
                                                   exports["amount_mjpy"])),)


def _financial(v: View) -> tuple:
    """The report year's financial results, as the report prints them (△ for a loss)."""
    t, item = v.t, v.col("item")
    fin = v.q("financial_summary", fiscal_year=v.report_year)
    shown = fin.assign(amount=[fmt.mjpy(a, v.lang) for a in fin["amount_mjpy"]])
    return (Heading(t("overview.financial_title", fy=v.fy(v.report_year)), 4),
            Table(shown[[item, "amount"]], labels={"amount": t("col.amount_mjpy")}),
            Source("financial_summary"),
            Data("financial_summary",
                 fin[["fiscal_year", "item", item, "amount_mjpy", "precision_mjpy"]],
                 labels={"item": t("col.code")}))


if __name__ == "__main__":
    from nexidash import render

    render.page(build)
