"""Compare years: any measure for two fiscal years side by side, by region or by product."""

from nexidash import charts, describe, formats
from nexidash.blocks import Chart, Control, Controls, Heading, Text, Plot, Table
from nexidash.charts import PALETTE
from nexidash.schema import BREAKDOWN_MEASURES
from nexidash.glossary import MEASURE_TERMS
from nexidash.view import View, measure_control


def build(v: View) -> list:
    t, nc = v.t, v.name
    out = [Heading(t("compare.title"), 1), Text(t("compare.intro"))]

    dims = tuple(BREAKDOWN_MEASURES)
    dim_c = Control("dim", t("compare.dimension"), dims, dims[0],
                    {d: t(f"compare.dim.{d}") for d in dims}, widget="segmented")
    dim = v.choose(dim_c)
    measure_c = measure_control(v, BREAKDOWN_MEASURES[dim])
    measure = v.choose(measure_c)
    years = tuple(v.years)
    labels = {y: v.fy(y) for y in years}
    b_c = Control("b", t("compare.year_b"), years, years[0], labels)
    a_c = Control("a", t("compare.year_a"), years, years[1] if len(years) > 1 else years[0],
                  labels)
    year_b, year_a = v.choose(b_c), v.choose(a_c)
    out.append(Controls((dim_c, measure_c, a_c, b_c), (2, 3, 1, 1)))

    # The rows are year b's in the report's order; difference and change come from the query.
    both = v.q("compare_years", dim=dim, measure=measure, year_a=year_a, year_b=year_b)
    headers = {"code": t("col.code"), nc: t(f"compare.dim.{dim}"),
               "amount_a_mjpy": t("col.amount_fy", fy=v.fy(year_a)),
               "amount_b_mjpy": t("col.amount_fy", fy=v.fy(year_b)),
               "difference_mjpy": t("compare.difference"), "change_pct": t("compare.change")}
    shown = [nc, "amount_a_mjpy", "amount_b_mjpy", "difference_mjpy", "change_pct"]
    out += [Chart("compare", t("compare.chart_title", measure=v.measure_label(measure),
                                a=v.fy(year_a), b=v.fy(year_b)),
                  (Plot("bars", t("ui.view.bars"), _bars(v, both, year_a, year_b)),),
                  both[["code", *shown]], f"{dim}_stats", note=t("compare.note"),
                  labels=headers,
                  summary=describe.moves(v, describe.what(v, v.measure_label(measure),
                                                          f"{v.fy(year_a)} → {v.fy(year_b)}"),
                                         both[nc], both["change_pct"], both["difference_mjpy"]),
                  terms=(MEASURE_TERMS[measure],)),
            Table(both[shown], labels=headers)]
    return out


def _bars(v: View, both, year_a: int, year_b: int) -> dict:
    fig = charts.Figure()
    for col, year, color in (("amount_a_mjpy", year_a, PALETTE[4]),
                             ("amount_b_mjpy", year_b, PALETTE[0])):
        fig.add_trace(charts.bar(y=both[v.name], x=v.axis(both[col]), name=v.fy(year),
                                 orientation="h", marker_color=color,
                                 hovertemplate="%{y}: " + v.hover("x") + "<extra>" + v.fy(year)
                                 + "</extra>"))
    fig.update_layout(barmode="group", height=120 + 44 * len(both),
                      xaxis=dict(title=v.axis_unit, tickformat=formats.AXIS_TICK),
                      yaxis=dict(autorange="reversed"))
    return fig.to_dict()


if __name__ == "__main__":
    from nexidash import render

    render.page(build)
