"""Products: which insurance products carry NEXI's book, and how the mix moves year to year."""

from nexidash import charts, describe, fmt, formats, sources
from nexidash.blocks import Caption, Chart, Controls, Details, Heading, Text, Plot
from nexidash.charts import PALETTE
from nexidash.schema import PRODUCT_MEASURES
from nexidash.glossary import MEASURE_TERMS
from nexidash.view import View, all_or, measure_and_risk

# Product families (product_families.family): one colour each, in every chart of the page.
FAMILY_COLORS = {"export": PALETTE[0], "investment": PALETTE[1], "loan": PALETTE[2],
                 "reinsurance": PALETTE[3]}
RISE, FALL = PALETTE[2], PALETTE[5]


def build(v: View) -> list:
    t, nc, fam = v.t, v.name, v.col("family")
    out = [Heading(t("products.title"), 1), Text(t("products.intro")),
           Caption(sources.line(v, "products.intro"))]

    measure, risk, label, controls = measure_and_risk(v, PRODUCT_MEASURES)
    mix = v.q("product_measure_year", measure=measure, risk=risk, fiscal_year=v.year)
    names = dict(zip(mix["product"], mix[nc]))
    product_c = all_or(v, "product", t("products.focus"), mix["product"], names,
                       all_label=t("ui.all_products"))
    product = v.choose(product_c)
    out.append(Controls((v.year_control(), *controls, product_c), (2, 4, 3, 3)[:len(controls) + 2]))

    # The year's rows two ways: the amounts, and the change from the previous year.
    fy, prev = v.fy(v.year), v.fy(v.year - 1)
    table = mix[["product", nc, fam, "amount_mjpy", "prev_amount_mjpy", "share_pct",
                 "change_pct", "change_mjpy"]]
    labels = {"product": t("col.code_of", what=t("col.product")), nc: t("col.product"),
              "amount_mjpy": t("col.amount_fy", fy=fy),
              "prev_amount_mjpy": t("col.amount_fy", fy=prev)}
    out.append(Chart(
        "product_mix", t("products.mix_title", measure=label, fy=fy),
        (Plot("amounts", t("products.view.amounts"), _amounts(v, mix, product), select="product"),
         Plot("change", t("products.view.change", prev=prev), _change(v, mix), select="product")),
        table, "product_stats",
        note=t("products.negative_note") + " " + t("products.change_note"), labels=labels,
        summary=describe.largest(v, describe.what(v, label, fy), mix[nc], mix["amount_mjpy"],
                                 mix["share_pct"]) + " " +
        describe.moves(v, describe.what(v, label, f"{prev} → {fy}"), mix[nc], mix["change_pct"],
                       mix["change_mjpy"]),
        terms=(MEASURE_TERMS[measure],)))

    if product == "all":
        shown = v.q("product_family_trend", measure=measure, risk=risk)
        who = t("ui.all_products")
        trend_table = shown[["fiscal_year", "family", fam, "amount_mjpy"]]
        trend_labels = {"family": t("col.code_of", what=t("col.family"))}
    else:
        trend = v.q("product_trend", measure=measure, risk=risk)
        shown = trend[trend["product"] == product]
        who = names[product]
        trend_table = shown[["fiscal_year", "product", nc, fam, "amount_mjpy"]]
        trend_labels = {"product": labels["product"], nc: t("col.product")}
    out.append(Chart("product_trend", t("products.trend_title", measure=label, who=who),
                     (Plot("bars", t("ui.view.trend"), _trend(v, shown, product)),),
                     trend_table, "product_stats", labels=trend_labels,
                     summary=describe.whole_span(v, label, shown, measure, risk)
                     if product == "all" else
                     describe.span(v, describe.what(v, label, who), shown["fiscal_year"],
                                   shown["amount_mjpy"]),
                     terms=(MEASURE_TERMS[measure],)))

    out += [Heading(t("products.about_title"), 2), Caption(t("products.about_note"))]
    for _, part in mix.groupby("family_sort"):
        out.append(Heading(part[fam].iloc[0], 5))
        out += [Details(name, (Text(t(f"product.desc.{code}")),
                                 Caption(sources.line(v, f"product.desc.{code}"))),
                        expanded=code == product)
                for code, name in zip(part["product"], part[nc])]
    return out



def _amounts(v: View, mix, product: str) -> dict:
    """Full width: the product names are long, and side by side the bars had no room.
    Bars, not a treemap or pie: premiums can be negative (buyer's credit, two years running)."""
    nc, fam = v.name, v.col("family")
    bars = mix.sort_values(["family_sort", "sort"], ascending=False)
    fig = charts.Figure()
    for family, part in bars.groupby("family", sort=False):
        fig.add_trace(charts.bar(
            y=part[nc], x=v.axis(part["amount_mjpy"]), orientation="h", customdata=part["product"],
            name=part[fam].iloc[0], marker_color=FAMILY_COLORS[family],
            marker_line=dict(width=[3 if p == product else 0 for p in part["product"]],
                             color="#000000"),
            hovertemplate="%{y}: " + v.hover("x") + "<extra></extra>"))
    fig.update_layout(height=460, barmode="relative",
                      xaxis=dict(title=v.axis_unit, tickformat=formats.AXIS_TICK,
                                 zeroline=True, zerolinecolor="#444"),
                      yaxis=dict(categoryorder="array", categoryarray=bars[v.name].tolist()))
    return fig.to_dict()


def _change(v: View, mix) -> dict:
    # Only where both years have a figure (change_mjpy is NULL otherwise).
    change = mix.dropna(subset=["change_mjpy"]).sort_values(["family_sort", "sort"],
                                                            ascending=False)
    fig = charts.Figure(charts.bar(
        y=change[v.name], x=v.axis(change["change_mjpy"]), orientation="h",
        customdata=change["product"],
        marker_color=[RISE if d >= 0 else FALL for d in change["change_mjpy"]],
        text=["" if fmt.missing(c) else fmt.pct(c, v.lang, signed=True)
              for c in change["change_pct"]], textposition="auto",
        hovertemplate="%{y}: " + v.hover("x", signed=True) + "<extra></extra>"))
    fig.update_layout(height=440, xaxis=dict(title=v.axis_unit, tickformat=formats.AXIS_TICK_SIGNED,
                                             zeroline=True, zerolinecolor="#444"))
    return fig.to_dict()


def _trend(v: View, shown, product: str) -> dict:
    """Five years by family (all products), or the one product chosen."""
    fam = v.col("family")
    fig = charts.Figure()
    if product == "all":
        for family, part in shown.groupby("family", sort=False):
            name = part[fam].iloc[0]
            fig.add_trace(charts.bar(
                x=part["fiscal_year"].astype(str), y=v.axis(part["amount_mjpy"]), name=name,
                marker_color=FAMILY_COLORS[family],
                hovertemplate="%{x}: " + v.hover("y") + f"<extra>{name}</extra>"))
    else:
        fig.add_trace(charts.bar(
            x=shown["fiscal_year"].astype(str), y=v.axis(shown["amount_mjpy"]),
            name=shown[v.name].iloc[0], marker_color=FAMILY_COLORS[shown["family"].iloc[0]],
            hovertemplate="%{x}: " + v.hover("y") + "<extra></extra>"))
    fig.update_layout(barmode="relative", height=340,
                      yaxis=dict(title=v.axis_unit, tickformat=formats.AXIS_TICK))
    return fig.to_dict()


if __name__ == "__main__":
    from nexidash import render

    render.page(build)
