"""Partners: NEXI's agreements with export credit agencies, insurers and development banks."""

from nexidash import charts, describe, geo, sources
from nexidash.blocks import (Caption, Chart, Columns, Controls, Data, Heading, Link, Text, Metric,
                             Metrics, Plot, Source, Table)
from nexidash.schema import AGREEMENT_GROUPS_SHOWN, AGREEMENT_TYPES
from nexidash.view import View, all_or, none_if_all

TYPE_COLORS = {"one_stop_shop": "#0072B2", "short_term_reinsurance": "#E69F00",
               "private_reinsurance": "#CC79A7", "cooperation": "#009E73"}
OFFICE_COLOR = "#D55E00"


def build(v: View) -> list:
    t, nc = v.t, v.name
    inst, country = v.col("institution"), v.col("country")
    out = [Heading(t("partners.title"), 1), Text(t("partners.intro")),
           Caption(sources.line(v, "partners.intro"))]

    countries = v.q("partner_countries")
    names = dict(zip(countries["iso3"], countries[nc]))
    type_c = all_or(v, "type", t("partners.type"), AGREEMENT_TYPES,
                    {a: t(f"agreement.{a}") for a in AGREEMENT_TYPES})
    group_c = all_or(v, "group", t("partners.group"), AGREEMENT_GROUPS_SHOWN,
                     {g: t(f"group.{g}") for g in AGREEMENT_GROUPS_SHOWN})
    country_c = all_or(v, "country", t("partners.country"), sorted(names, key=names.get), names)
    a_type, group, iso3 = v.choose(type_c), v.choose(group_c), v.choose(country_c)
    out.append(Controls((type_c, group_c, country_c)))

    every = v.q("partner_agreements", agreement_type=None, report_group=None, iso3=None)
    out.append(Metrics((
        Metric(t("partners.n_agreements"), f"{len(every):,}"),
        Metric(t("partners.n_countries"), f"{countries['iso3'].nunique():,}"),
        *(Metric(t(f"partners.n_{g}"), f"{(every['report_group'] == g).sum():,}")
          for g in ("multilateral", "private")),
    )))

    map_data = countries.assign(
        map_type=[t(f"agreement.{a}") for a in countries["map_type"]],
        detail=["; ".join(_agreement(v, d) for d in det) for det in countries["detail"]],
    )[["iso3", nc, "map_type", "agreements", "detail"]]
    out.append(Columns((
        (Chart("partner_map", t("partners.map_title"),
               (Plot("map", t("ui.view.map"), _map(v, countries, a_type, iso3), select="country"),),
               map_data, "partner_agreements", note=t("partners.map_note"),
               labels={"iso3": t("col.code"), nc: t("col.country"),
                       "detail": t("col.agreements_detail")},
               summary=describe.largest(v, t("partners.map_title"), map_data[nc],
                                        map_data["agreements"], unit="count"),
               terms=("eca", "reinsurance_ceded")),),
        tuple(block for g in ("multilateral", "private") for block in (
            Heading(t(f"group.{g}"), 5),
            Table(every[every["report_group"] == g][[inst, "year"]], height=260))),
    ), (5, 2)))

    agreements = v.q("partner_agreements", agreement_type=none_if_all(a_type),
                     report_group=none_if_all(group), iso3=none_if_all(iso3))
    shown = agreements.assign(
        agreement_type=[t(f"agreement.{a}") for a in agreements["agreement_type"]],
        report_group=[t(f"group.{g}") for g in agreements["report_group"]],
    )[["agreement_type", "report_group", "iso3", country, inst, "year"]]
    code_of = lambda col: t("col.code_of", what=t(f"col.{col}"))  # noqa: E731
    if iso3 != "all":
        out.append(Link(t("partners.country_view", name=names[iso3]), "country", {"iso3": iso3}))
    out += [Heading(t("partners.table_title", n=len(agreements))),
            Table(shown),
            Caption(t("partners.year_note")),
            Source("partner_agreements"),
            Data("partner_agreements",
                 agreements[["agreement_type", "report_group", "iso3", country, inst, "year"]],
                 labels={"agreement_type": code_of("agreement_type"),
                         "report_group": code_of("report_group"), "iso3": code_of("country")})]

    timeline = v.q("partner_timeline")
    out.append(Chart("partner_timeline", t("partners.timeline_title"),
                     (Plot("bars", t("ui.view.bars"), _timeline(v, timeline)),),
                     timeline.assign(agreement_type=[t(f"agreement.{a}")
                                                     for a in timeline["agreement_type"]]),
                     "partner_agreements", note=t("partners.year_note"),
                     summary=_peak(v, timeline), terms=("eca", "reinsurance_ceded")))
    return out


def _peak(v: View, timeline) -> str:
    years, figs = describe.sums(v, timeline, "year", "agreements")
    return describe.largest(v, v.t("partners.timeline_title"), years,
                            [f.value for f in figs], unit="count", figs=figs)


def _agreement(v: View, d: dict) -> str:
    """One agreement of a country, as its hover label and table cell read it."""
    kind = v.t(f"agreement.short.{d['agreement_type']}")
    return f"{kind}: {d[v.col('institution')]} ({d['year']})"


def _hover(v: View, name: str, detail) -> str:
    return charts.hover_text(name, *(_agreement(v, d) for d in detail))


def _map(v: View, countries, a_type: str, iso3: str) -> dict:
    t, nc = v.t, v.name
    drawn = countries[countries["on_map"]].copy()
    drawn["hover"] = [_hover(v, n, det) for n, det in zip(drawn[nc], drawn["detail"])]
    if a_type != "all":
        drawn = drawn[[any(d["agreement_type"] == a_type for d in det) for det in drawn["detail"]]]
    fig = charts.categorical_map(
        v.geo_url("world"), drawn["iso3"], drawn["map_type"], list(AGREEMENT_TYPES),
        {k: t(f"agreement.{k}") for k in AGREEMENT_TYPES}, TYPE_COLORS, drawn["hover"],
        charts.WORLD_VIEW, customdata=drawn["iso3"])
    pts = geo.points("world")
    small = countries[~countries["on_map"]]
    if not small.empty:
        charts.add_markers(fig, [pts[i][0] for i in small["iso3"]],
                           [pts[i][1] for i in small["iso3"]],
                           [_hover(v, n, det) for n, det in zip(small[nc], small["detail"])],
                           t("partners.small_places"), "#000000", size=9,
                           customdata=small["iso3"])
    offices = v.q("offices")
    charts.add_markers(fig, offices["lat"], offices["lon"],
                       [charts.hover_text(n) for n in offices[nc]],
                       t("partners.offices"), OFFICE_COLOR, symbol="circle", size=8)
    if iso3 != "all" and iso3 in pts:
        lat, lon = pts[iso3]
        charts.focus(fig, lat, lon, span=60)
    return fig.to_dict()


def _timeline(v: View, timeline) -> dict:
    fig = charts.Figure()
    for a in AGREEMENT_TYPES:
        part = timeline[timeline["agreement_type"] == a]
        name = v.t(f"agreement.{a}")
        fig.add_trace(charts.bar(x=part["year"], y=part["agreements"], name=name,
                                 marker_color=TYPE_COLORS[a],
                                 hovertemplate="%{x}: %{y}<extra>" + name + "</extra>"))
    fig.update_layout(barmode="stack", height=320,
                      yaxis=dict(title=v.t("partners.agreements_axis"), dtick=2),
                      xaxis=dict(dtick=2))
    return fig.to_dict()


if __name__ == "__main__":
    from nexidash import render

    render.page(build)
