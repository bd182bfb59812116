"""The network for mid-sized and small companies (中堅・中小企業): the regional banks and shinkin
that bring them to NEXI, on a map of Japan, and the cases the report tells."""

import pandas as pd

from nexidash import charts, describe, fmt, geo, sources
from nexidash.blocks import (Caption, Chart, Columns, Control, Controls, Data, Heading, Text,
                             Metric, Metrics, Plot, Source, Table)
from nexidash.charts import PALETTE
from nexidash.schema import SME_COUNTS
from nexidash.view import View, all_or, none_if_all

CASE_COLOR = "#D55E00"


def build(v: View) -> list:
    t, nc = v.t, v.name
    pref_col = v.col("prefecture")
    code_of = lambda col: t("col.code_of", what=t(f"col.{col}"))  # noqa: E731
    out = [Heading(t("sme.title"), 1), Text(t("sme.intro")),
           Caption(sources.line(v, "sme.intro"))]

    counts = v.q("sme_prefecture_counts")
    pref_names = dict(zip(counts["prefecture_code"], counts[nc]))
    kind_c = Control("kind", t("sme.kind"), SME_COUNTS, SME_COUNTS[0],
                     {k: t(f"sme.kind.{k}") for k in SME_COUNTS}, widget="segmented")
    pref_c = all_or(v, "pref", t("sme.prefecture"), counts["prefecture_code"], pref_names)
    kind, pref = v.choose(kind_c), v.choose(pref_c)
    out.append(Controls((kind_c, pref_c), (2, 2)))

    out.append(Metrics((
        Metric(t("sme.kind.members"), f"{counts['members'].sum():,}"),
        Metric(t("sme.kind.banks"), f"{counts['banks'].sum():,}"),
        Metric(t("sme.kind.shinkin"), f"{counts['shinkin'].sum():,}"),
        Metric(t("sme.prefectures_covered"), f"{(counts['members'] > 0).sum()} / {len(counts)}"),
    )))

    cases = v.q("sme_cases")
    members = v.q("sme_members", prefecture_code=none_if_all(pref))
    where = t("ui.all") if pref == "all" else pref_names[pref]
    out.append(Columns((
        (Chart("sme_map", t("sme.map_title", kind=t(f"sme.kind.{kind}")),
               (Plot("map", t("ui.view.map"), _map(v, counts, cases, kind, pref), select="pref"),),
               counts[["prefecture_code", nc, v.col("region"), *SME_COUNTS]], "sme_network",
               note=t("sme.map_note"),
               labels={"prefecture_code": t("col.code"), nc: t("col.prefecture"),
                       **{k: t(f"sme.kind.{k}") for k in SME_COUNTS}},
               summary=describe.largest(v, t("sme.map_title", kind=t(f"sme.kind.{kind}")),
                                        counts[nc], counts[kind], unit="count")),),
        (Heading(t("sme.members_title", where=where, n=len(members))),
         Table(members.assign(kind=[t(f"sme.kind_one.{k}") for k in members["kind"]])
               [[nc, "kind", pref_col]], labels={nc: t("col.institution")}, height=480),
         Source("sme_network"),
         Data("sme_members", members[["prefecture_code", pref_col, nc, "kind"]],
              labels={"prefecture_code": code_of("prefecture"), nc: t("col.institution"),
                      "kind": code_of("kind")})),
    ), (3, 2)))

    years = v.q("sme_partnerships_by_year")
    out.append(Columns((
        (Chart("sme_years", t("sme.years_title"),
               (Plot("chart", t("ui.view.chart"), _years(v, years)),),
               years.assign(new_regional_unit=[
                   None if fmt.missing(u) else t(f"sme.regional_unit.{u}")
                   for u in years["new_regional_unit"]]),
               "sme_partnerships_by_year", note=t("sme.years_note"),
               labels={"new_regional": t("sme.new_regional"), "new_shinkin": t("sme.new_shinkin"),
                       "cumulative": t("sme.cumulative")},
               summary=describe.span(v, t("sme.cumulative"), years["fiscal_year"],
                                     years["cumulative"], unit="count")),),
        _package(v, code_of),
    )))

    introducer = v.col("introducer")
    shown = cases.fillna({pref_col: "", introducer: ""}).assign(insured_amount=[
        "" if pd.isna(a) else t("sme.amount_" + b, amount=fmt.yen(int(a), v.lang),
                                approx=t("ui.approx") if ap else "")
        for a, b, ap in zip(cases["amount_jpy"], cases["amount_basis"], cases["approx"])])
    dest = v.col("dest")
    out += [Heading(t("sme.cases_title")),
            Table(shown[[v.col("company"), pref_col, v.col("goods"), dest, v.col("product"),
                         "insured_amount", "signed", introducer]],
                  labels={dest: t("col.destination")}),
            Caption(t("sme.cases_note")),
            Source("sme_cases"),
            Data("sme_cases",
                 cases[["case_no", v.col("company"), "prefecture_code", pref_col, v.col("goods"),
                        "dest_iso3", dest, "product", v.col("product"), "amount_jpy",
                        "amount_basis", "approx", "signed", introducer]],
                 labels={"prefecture_code": code_of("prefecture"),
                         "dest_iso3": code_of("destination"), dest: t("col.destination"),
                         "product": code_of("product"), "amount_basis": code_of("amount_basis")})]
    return out


def _map(v: View, counts, cases, kind: str, pref: str) -> dict:
    t, nc = v.t, v.name
    hover = [charts.hover_text(n, f"{t('sme.kind.banks')}: {b}", f"{t('sme.kind.shinkin')}: {s}")
             for n, b, s in zip(counts[nc], counts["banks"], counts["shinkin"])]
    fig = charts.choropleth(v.geo_url("japan"), counts["prefecture_code"], counts[kind],
                            pd.Series(hover), t("sme.count_unit"), charts.JAPAN_VIEW,
                            colorscale="Blues", zmin=0, customdata=counts["prefecture_code"])
    fig.update_layout(height=560)
    pts = geo.points("japan")
    placed = cases.dropna(subset=["prefecture_code"]).drop_duplicates("case_no")
    if not placed.empty:
        charts.add_markers(
            fig, [pts[p][0] for p in placed["prefecture_code"]],
            [pts[p][1] for p in placed["prefecture_code"]],
            [charts.hover_text(c, g) for c, g in zip(placed[v.col("company")],
                                                      placed[v.col("goods")])],
            t("sme.cases_legend"), CASE_COLOR, size=12)
        fig.update_layout(showlegend=True)
    if pref != "all":
        lat, lon = pts[pref]
        charts.focus(fig, lat, lon, span=8)
    return fig.to_dict()


def _years(v: View, years) -> dict:
    t = v.t
    fig = charts.Figure()
    fig.add_trace(charts.bar(x=years["fiscal_year"], y=years["new_regional"],
                             name=t("sme.new_regional"), marker_color=PALETTE[0]))
    fig.add_trace(charts.bar(x=years["fiscal_year"], y=years["new_shinkin"],
                             name=t("sme.new_shinkin"), marker_color=PALETTE[4]))
    fig.add_trace(charts.scatter(x=years["fiscal_year"], y=years["cumulative"], yaxis="y2",
                                 name=t("sme.cumulative"), mode="lines+markers",
                                 line=dict(color=PALETTE[5])))
    fig.update_layout(barmode="stack", height=340, xaxis=dict(dtick=1),
                      yaxis=dict(title=t("sme.new_axis")),
                      yaxis2=dict(title=t("sme.cumulative_axis"), overlaying="y", side="right",
                                  range=[0, 130], dtick=20, showgrid=False))
    return fig.to_dict()


def _package(v: View, code_of) -> tuple:
    """The support packages: how many regional institutions take part, and who founded them."""
    t = v.t
    package = v.q("support_package")
    member = v.col("member")
    out = [Heading(t("sme.package_title"))]
    regional = package[package["kind"] == "regional_fi"]
    if not regional.empty:
        out.append(Metrics((Metric(
            t("sme.package_regional"), f"{int(regional['institutions'].iloc[0]):,}",
            help=t("sme.package_regional_help", as_of=v.as_of(regional["as_of"].iloc[0]))),)))
    for code, part in package.groupby("package", sort=False):
        rows = part[part["kind"] != "regional_fi"]
        out += [Heading(t(f"sme.package.{code}"), 5),
                Table(rows.assign(role=[t(f"sme.member_kind.{k}") for k in rows["kind"]])
                      [[member, "role", "joined"]], labels={member: t("col.institution")})]
    out += [Source("support_package"),
            Data("support_package",
                 package[["package", member, "kind", "joined", "institutions", "as_of"]],
                 labels={"package": code_of("package"), member: t("col.institution"),
                         "kind": code_of("role")})]
    return tuple(out)


if __name__ == "__main__":
    from nexidash import render

    render.page(build)
