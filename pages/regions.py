"""Regions: where NEXI insures, pays and recovers, on a world map of its statistical regions."""

from nexidash import charts, describe, fmt, formats, geo, press, prose, sources
from nexidash.prose import Fig
from nexidash.blocks import (Callout, Caption, Chart, Columns, Controls, Heading, Text,
                             Metrics, Plot, Table)
from nexidash.charts import PALETTE
from nexidash.schema import REGION_MEASURES
from nexidash.glossary import MEASURE_TERMS
from nexidash.view import View, all_or, measure_and_risk

# The report's note 2: these count a policy in both the destination and the paying country.
DOUBLE_COUNTED = ("underwriting", "outstanding")

TOP10_COLOR = "#D55E00"


def build(v: View) -> list:
    t, nc = v.t, v.name
    out = [Heading(t("regions.title"), 1), Text(t("regions.intro")),
           Caption(sources.line(v, "regions.intro"))]

    measure, risk, label, controls = measure_and_risk(v, REGION_MEASURES)
    regions = v.q("regions")
    region_names = dict(zip(regions["region"], regions[nc]))
    region_c = all_or(v, "region", t("regions.focus"), regions["region"], region_names,
                      all_label=t("ui.all_regions"))
    chosen = v.choose(region_c)
    out.append(Controls((v.year_control(), *controls, region_c), (2, 4, 3, 3)[:len(controls) + 2]))

    by_region = v.q("region_measure_year", measure=measure, risk=risk, fiscal_year=v.year)
    if by_region["amount_mjpy"].isna().all():
        return out + [Callout(t("regions.no_data", fy=v.fy(v.year)))]

    table = by_region[["region", nc, "amount_mjpy", "share_pct", "change_pct"]]
    labels = {"region": t("col.code_of", what=t("col.region")), nc: t("col.region")}
    out.append(Columns((
        (Chart("region_map", t("regions.map_title", measure=label, fy=v.fy(v.year)),
               (Plot("map", t("ui.view.map"), _map(v, measure, risk, by_region, chosen),
                     select="region"),
                Plot("bars", t("ui.view.bars"), _bars(v, by_region, chosen), select="region")),
               table, "region_stats",
               note=t("regions.map_note", first=v.fy(min(v.years)), last=v.fy(max(v.years)))
               + " " + t("regions.share_note"),
               labels=labels,
               summary=describe.largest(v, describe.what(v, label, v.fy(v.year)),
                                        by_region[nc], by_region["amount_mjpy"],
                                        by_region["share_pct"]),
               terms=_terms(measure, risk)),),
        _side(v, by_region, measure, risk, label, region_names),
    ), (5, 2)))

    trend = v.q("region_trend", measure=measure, risk=risk)
    shown = trend if chosen == "all" else trend[trend["region"] == chosen]
    who = t("ui.all_regions") if chosen == "all" else region_names[chosen]
    out.append(Chart("region_trend", t("regions.trend_title", measure=label, who=who),
                     (Plot("bars", t("ui.view.trend"), _trend(v, shown)),),
                     shown[["fiscal_year", "region", nc, "amount_mjpy"]], "region_stats",
                     note=t("describe.stack_note") if chosen == "all" and measure in DOUBLE_COUNTED
                     else None,
                     labels=labels,
                     summary=describe.whole_span(v, label, shown, measure, risk)
                     if chosen == "all" else _span(v, describe.what(v, label, who), shown),
                     terms=_terms(measure, risk)))

    if measure == "claims_paid":
        split = v.q("region_claims_split", fiscal_year=v.year)
        out.append(Chart("region_claims_split", t("regions.split_title", fy=v.fy(v.year)),
                         (Plot("bars", t("ui.view.bars"), _split(v, split)),),
                         split[["region", nc, "risk", "amount_mjpy"]], "region_stats",
                         note=t("regions.split_note"), labels=labels,
                         summary=_split_summary(v, split),
                         terms=("claims_paid", "political_risk", "commercial_risk")))
    return out


def _region_card(v: View, label: str, row, measure: str, risk: str):
    """One region's amount and its change, as figures of region_stats."""
    def cell(year, amount):
        return press.part(v.lang, "region_stats", "region", row["region"], measure, year,
                          amount, risk=risk)
    cur = cell(v.year, row["amount_mjpy"])
    prev = None if fmt.missing(row["prev_amount_mjpy"]) else cell(v.year - 1,
                                                                  row["prev_amount_mjpy"])
    return describe.amount_card(v, label, Fig(cur.value, cur.unit, fmt.money(cur.value, v.lang),
                                              cur.source), prev,
                                delta_color="inverse" if measure == "claims_paid" else "normal",
                                term=MEASURE_TERMS[measure])


def _terms(measure: str, risk: str) -> tuple:
    risks = () if risk == "total" else (f"{risk}_risk",)
    return (MEASURE_TERMS[measure], *risks, "statistical_regions")


def _span(v: View, what: str, rows) -> str:
    """One region's years."""
    return describe.span(v, what, rows["fiscal_year"], rows["amount_mjpy"])


def _split_summary(v: View, split) -> str:
    """The regions with the largest political and commercial claims (the two stacks)."""
    return prose.join(
        describe.largest(v, describe.what(v, v.t(f"risk.{r}"), v.fy(v.year)),
                         part[v.name], part["amount_mjpy"])
        for r in ("political", "commercial") for part in [split[split["risk"] == r]])


def _map(v: View, measure: str, risk: str, by_region, chosen: str) -> dict:
    """Every country takes its region's figure: the statistics exist per region only.

    A timeline: one frame per year, played in the browser. Colours are classes (one set of
    breaks for all the years), because the amounts span three orders of magnitude and a linear
    scale painted all but Asia the same pale blue; the exact figure is in the hover."""
    years = sorted(v.years)
    by_year = {y: v.q("region_measure_year", measure=measure, risk=risk, fiscal_year=y)
               for y in years}
    mapped = [a for y in years for r, a in zip(by_year[y]["region"], by_year[y]["amount_mjpy"])
              if r != "intl_org"]
    breaks = charts.class_breaks([v.axis(a) for a in mapped if not fmt.missing(a)])
    frames = [_map_frame(v, measure, risk, y, by_year[y], chosen, breaks) for y in years]
    now = frames[years.index(v.year)]
    fig = charts.choropleth(v.geo_url("world"), now["locations"], now["z"], now["text"],
                            v.axis_unit, charts.WORLD_VIEW, customdata=now["customdata"])
    unit = f" ({v.axis_unit})"
    charts.merge(fig.data[0], charts.class_scale(
        breaks, lambda b: f"{b:,.0f}" if b >= 10 else f"{b:.2g}"))
    # Above the map, not beside it: beside, it took half of a phone's width from the map (and
    # the timeline's slider is below).
    fig.data[0]["colorbar"].update(title={"text": v.measure_label(measure) + unit,
                                          "side": "top"},
                                   orientation="h", x=0.5, xanchor="center", y=1.0,
                                   yanchor="bottom", len=0.95, thickness=10)
    charts.timeline(fig, frames, [v.fy(y) for y in years], years.index(v.year),
                    v.t("ui.play"), v.t("ui.pause"))
    fig.update_layout(height=charts.MAP_HEIGHT + 50, margin=dict(t=80))
    nc, lang = v.name, v.lang
    top = _top10(v)
    pts = geo.points("world")
    hover = [charts.hover_text(f"#{r} {n}", f"{v.measure_label('underwriting')}: "
                               f"{fmt.money(a, lang)} ({fmt.pct(s, lang)})") for r, n, a, s in
             zip(top["rank"], top[nc], top["amount_mjpy"], top["share_pct"])]
    charts.add_markers(fig, [pts[i][0] for i in top["iso3"]], [pts[i][1] for i in top["iso3"]],
                       hover, v.t("regions.top10_legend"), TOP10_COLOR, size=10,
                       customdata=top["iso3"])
    return fig.to_dict()


def _map_frame(v: View, measure: str, risk: str, year: int, by_region, chosen: str,
               breaks: list[float]) -> dict:
    nc, lang = v.name, v.lang
    countries = v.q("country_region_values", measure=measure, risk=risk, fiscal_year=year)
    on_map = countries[countries["on_map"] & countries["amount_mjpy"].notna()]
    if chosen != "all":
        on_map = on_map[on_map["region"] == chosen]
    share = dict(zip(by_region["region"], by_region["share_pct"]))
    return {"locations": list(on_map["iso3"]),
            "z": [charts.class_of(v.axis(a), breaks) for a in on_map["amount_mjpy"]],
            "customdata": list(on_map["region"]),
            "text": [charts.hover_text(c, v.fy(year), f"{r}: {fmt.money(a, lang)} "
                                                      f"({fmt.pct(share.get(code), lang)})")
                     for c, r, a, code in zip(on_map[nc], on_map[v.col("region")],
                                              on_map["amount_mjpy"], on_map["region"])]}


def _top10(v: View):
    top = v.q("top_countries")
    return top[top["fiscal_year"] == top["fiscal_year"].max()]


def _bars(v: View, by_region, chosen: str) -> dict:
    bars = by_region.dropna(subset=["amount_mjpy"]).iloc[::-1]
    fig = charts.Figure(charts.bar(
        y=bars[v.name], x=v.axis(bars["amount_mjpy"]), orientation="h", customdata=bars["region"],
        marker_color=[PALETTE[1] if r == chosen else PALETTE[0] for r in bars["region"]],
        text=[fmt.pct(s, v.lang) for s in bars["share_pct"]], textposition="auto",
        hovertemplate="%{y}: " + v.hover("x") + "<extra></extra>"))
    fig.update_layout(height=charts.MAP_HEIGHT, xaxis=dict(title=v.axis_unit, tickformat=formats.AXIS_TICK))
    return fig.to_dict()


def _trend(v: View, shown) -> dict:
    fig = charts.Figure()
    for i, (_, part) in enumerate(shown.groupby("sort", sort=True)):
        name = part[v.name].iloc[0]
        fig.add_trace(charts.bar(x=part["fiscal_year"].astype(str), y=v.axis(part["amount_mjpy"]),
                                 name=name, marker_color=PALETTE[i % len(PALETTE)],
                                 hovertemplate="%{x}: " + v.hover("y") + f"<extra>{name}</extra>"))
    # Nine region names in a horizontal legend would squeeze the bars; a column beside fits.
    fig.update_layout(barmode="relative", height=360,
                      legend=dict(orientation="v", x=1.02, y=1, yanchor="top"),
                      yaxis=dict(title=v.axis_unit, tickformat=formats.AXIS_TICK))
    return fig.to_dict()


def _split(v: View, split) -> dict:
    fig = charts.Figure()
    for i, r in enumerate(["political", "commercial"]):
        part = split[split["risk"] == r]
        fig.add_trace(charts.bar(x=part[v.name], y=v.axis(part["amount_mjpy"]),
                                 name=v.t(f"risk.{r}"), marker_color=PALETTE[i + 1],
                                 hovertemplate="%{x}: " + v.hover("y") + "<extra></extra>"))
    fig.update_layout(barmode="relative", height=340,
                      yaxis=dict(title=v.axis_unit, tickformat=formats.AXIS_TICK))
    return fig.to_dict()


def _side(v: View, by_region, measure: str, risk: str, label: str, region_names: dict) -> tuple:
    """International organisations (no region of their own) and the report's top 10."""
    t = v.t
    out = [Heading(region_names["intl_org"], 5)]
    intl = by_region[by_region["region"] == "intl_org"]
    if intl.empty or intl["amount_mjpy"].isna().all():
        out.append(Caption(t("regions.intl_none")))
    else:
        row = intl.iloc[0]
        out.append(Metrics((_region_card(v, label, row, measure, risk),)))
        out.append(Caption(t("regions.intl_note")))
    top = _top10(v)
    out += [Heading(t("regions.top10_legend") + " (" + v.fy(int(top["fiscal_year"].max())) + ")", 5),
            Table(top[["rank", "iso3", v.name, "share_pct"]],
                  labels={v.name: t("col.country"), "share_pct": t("col.share_printed")}),
            Caption(t("regions.top10_note"))]
    return tuple(out)


if __name__ == "__main__":
    from nexidash import render

    render.page(build)
