"""LEAD projects: the LEAD initiative's projects, and the report year's decarbonisation and
major projects, on one map."""

from nexidash import charts, describe, fmt, geo, prose, sources, style
from nexidash.blocks import (Bullet, Bullets, Caption, Chart, Columns, Controls, Data, Heading,
                             Link, Metric, Metrics, Plot, Source, Table, Text)
from nexidash.charts import PALETTE
from nexidash.schema import LEAD_ELEMENTS
from nexidash.view import View, all_or, none_if_all

# What the map shows, in the legend's order: colour and marker size (LEAD projects largest).
KINDS = (("lead", "#0072B2", 14), ("decarbonisation", "#009E73", 11), ("major", "#D55E00", 8))


def build(v: View) -> list:
    t = v.t
    out = [Heading(t("lead.title"), 1), Text(t("lead.intro")),
           Caption(sources.line(v, "lead.intro"))]

    everything = v.q("lead_projects", element=None, fiscal_year=None, region=None, currency=None)
    regions = v.q("regions")
    region_names = dict(zip(regions["region"], regions[v.name]))
    element_c = all_or(v, "element", t("lead.element"), LEAD_ELEMENTS,
                       {e: t(f"element.{e}") for e in LEAD_ELEMENTS})
    # Codes as text, as the URL carries them.
    years = sorted({str(y) for y in everything["fiscal_year"]})
    fy_c = all_or(v, "lead_fy", t("lead.announced_fy"), years, {y: v.fy(int(y)) for y in years})
    present = set(everything["region"])
    place_c = all_or(v, "place", t("lead.place"), [r for r in regions["region"] if r in present],
                     region_names)
    currencies = sorted(set(everything["currency"]))
    currency_c = all_or(v, "currency", t("lead.currency"), currencies,
                        {c: c for c in currencies})
    titles = {str(n): f"#{n} {title}" for n, title in zip(everything["no"],
                                                         everything[v.col("title")])}
    project_c = all_or(v, "project", t("lead.project"), list(titles), titles)
    element, fy_choice, place, currency, project = (
        v.choose(c) for c in (element_c, fy_c, place_c, currency_c, project_c))
    out.append(Controls((element_c, fy_c, place_c, currency_c)))

    projects = v.q("lead_projects", element=none_if_all(element),
                   fiscal_year=None if fy_choice == "all" else int(fy_choice),
                   region=none_if_all(place), currency=none_if_all(currency))
    out.append(Metrics((
        Metric(t("lead.count_total", fy=v.fy(v.report_year)),
               t("lead.projects_n", n=len(everything))),
        Metric(t("lead.stated_total"), t("lead.stated_total_value"),
               help=t("lead.stated_total_help")),
        Metric(t("lead.count_shown"), t("lead.projects_n", n=len(projects))),
    )))

    places = v.q("project_places")
    kind_names = {k: t(f"lead.kind.{k}", fy=v.fy(v.report_year)) if k == "decarbonisation"
                  else t(f"lead.kind.{k}") for k, _, _ in KINDS}
    place_col, title_col = v.col("place"), v.col("title")
    map_data = places.assign(kind_name=[kind_names[k] for k in places["kind"]])[
        ["kind", "kind_name", "ref", place_col, "iso3", "region", "month", title_col]]
    out.append(Chart("lead_map", t("lead.map_title"),
                     (Plot("map", t("ui.view.map"), _map(v, places, projects, kind_names),
                           select="project"),),
                     map_data, "lead_projects", note=t("lead.map_note"),
                     labels={"kind": _code_of(v, "col.kind"), "kind_name": t("col.kind"),
                             "ref": t("col.no"), "iso3": _code_of(v, "col.country"),
                             "region": _code_of(v, "col.region"), title_col: t("col.project")},
                     summary=prose.said(v.lang, "describe.lead_map", **{
                         k: describe.rows(map_data, kind=k) for k in ("lead", "decarbonisation",
                                                                      "major")}),
                     terms=("lead",)))

    out += [Controls((project_c,), (2, 1)), *_project(v, everything, project)]
    out.append(Columns((
        (_elements(v, len(everything)),),
        _project_table(v, projects),
    ), (1, 2)))

    # The environmental review behind these projects: how the report year's cases were classed.
    screening = v.q("env_screening", fiscal_year=v.report_year)
    if not screening.empty:
        out.append(_screening(v, screening))
    return out


def _code_of(v: View, key: str) -> str:
    return v.t("col.code_of", what=v.t(key))


def _map(v: View, places, projects, kind_names: dict) -> dict:
    """A faint world underneath, darker where a project is, so the markers have a place to sit;
    LEAD projects only as the filters leave them."""
    nc = v.name
    base = v.q("country_names")
    base = base[base["on_map"]]
    with_projects = set(places["iso3"].dropna())
    fig = charts.choropleth(v.geo_url("world"), base["iso3"],
                            [1 if i in with_projects else 0 for i in base["iso3"]],
                            [charts.hover_text(n) for n in base[nc]], "", charts.WORLD_VIEW,
                            colorscale=[[0, "#f1f3f5"], [1, "#c6dbef"]], zmin=0, zmax=1,
                            showscale=False)
    pts = geo.points("world")
    lead_shown = set(projects["no"].astype(str))
    for kind, color, size in KINDS:
        part = places[places["kind"] == kind]
        if kind == "lead":
            part = part[part["ref"].isin(lead_shown)]
        lat, lon, hover, refs = [], [], [], []
        for ref, iso3, region, place, title, month in zip(
                part["ref"], part["iso3"], part["region"], part[v.col("place")],
                part[v.col("title")], part["month"]):
            where = pts.get(iso3) if isinstance(iso3, str) else geo.REGION_ANCHORS.get(region)
            if where is None:
                continue
            # Projects that share a place are offset, so each marker stays visible.
            k = sum(1 for a, b in zip(lat, lon)
                    if abs(a - where[0]) < 1.5 and abs(b - where[1]) < 1.5)
            lat.append(where[0] + 1.4 * k)
            lon.append(where[1] + 1.4 * k)
            head = f"#{ref} " if kind == "lead" else ""
            hover.append(charts.hover_text(head + place, title, month))
            refs.append(str(ref) if kind == "lead" else f"{kind}:{ref}")
        charts.add_markers(fig, lat, lon, hover, kind_names[kind], color, "circle", size,
                           customdata=refs)
    fig.update_layout(showlegend=True)
    return fig.to_dict()


def _project(v: View, everything, project: str) -> list:
    """The project a click on its marker (or the list) chose, as the report states it."""
    if project == "all":
        return [Caption(v.t("lead.project_hint"))]
    t, lang = v.t, v.lang
    row = everything[everything["no"].astype(str) == project].iloc[0]
    where = ([Link(t("partners.country_view", name=v.said(row[v.col("place")])), "country",
                   {"iso3": row["iso3"]})] if isinstance(row["iso3"], str) else [])
    return [Heading(f"#{row['no']} {row[v.col('title')]}", 4), Bullets((
        Bullet(t("lead.project_place", place=v.said(row[v.col("place")]),
                 region=v.said(row[v.col("region")]))),
        Bullet(t("lead.project_announced", month=style.iso_month(row["announced"], lang))),
        Bullet(t("lead.project_elements",
                 elements=", ".join(t(f"element.{e}") for e in row["elements"].split(";")))),
        Bullet(t("lead.project_amount",
                 amount=fmt.foreign(row["amount"], row["currency"], lang,
                                    approx=bool(row["approx"])))),
    )), *where]


def _elements(v: View, total: int) -> Chart:
    t = v.t
    counts = v.q("lead_element_counts")
    counts["label"] = [t(f"element.short.{e}") for e in counts["element"]]
    fig = charts.Figure(charts.bar(
        x=counts["projects"], y=counts["label"], orientation="h",
        marker_color=[PALETTE[LEAD_ELEMENTS.index(e)] for e in counts["element"]],
        text=counts["projects"].astype(str), textposition="auto",
        hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_layout(height=300, yaxis=dict(autorange="reversed"),
                      xaxis=dict(title=t("lead.projects_axis"), dtick=2))
    return Chart("lead_elements", t("lead.elements_title"),
                 (Plot("bars", t("ui.view.bars"), fig.to_dict()),),
                 counts[["element", "label", "projects"]], "lead_projects",
                 note=t("lead.elements_note", n=total),
                 labels={"element": _code_of(v, "col.elements"), "label": t("col.elements"),
                         "projects": t("lead.projects_axis")},
                 summary=describe.largest(v, t("lead.elements_title"), counts["label"],
                                          counts["projects"], unit="count"),
                 terms=("lead",))


def _project_table(v: View, projects) -> tuple:
    """The projects the filters leave, amounts as the report states them (no conversion)."""
    t, lang = v.t, v.lang
    place_col, title_col = v.col("place"), v.col("title")
    shown = projects.assign(
        elements_text=[", ".join(t(f"element.{e}") for e in s.split(";"))
                       for s in projects["elements"]],
        amount_stated=[fmt.foreign(a, c, lang, approx=bool(x)) for a, c, x in
                       zip(projects["amount"], projects["currency"], projects["approx"])])
    table = shown[["no", "announced", "iso3", place_col, title_col, "elements_text", "amount_stated",
                   "amount", "currency"]]
    behind = projects[["no", "announced", "fiscal_year", "iso3", place_col, title_col,
                       "elements", "amount", "currency", "approx", "region", v.col("region")]]
    return (
        Heading(t("lead.table_title")),
        Table(table, labels={title_col: t("col.project"), "elements_text": t("col.elements"),
                             "amount": t("col.amount_units")}),
        Caption(t("lead.amount_note")),
        Source("lead_projects"),
        Data("lead_projects", behind,
             labels={"fiscal_year": t("lead.announced_fy"), "iso3": _code_of(v, "col.country"),
                     title_col: t("col.project"), "elements": _code_of(v, "col.elements"),
                     "amount": t("col.amount_units"), "region": _code_of(v, "col.region")}),
    )


def _screening(v: View, screening) -> Chart:
    t = v.t
    fig = charts.Figure()
    for dimension, part in screening.groupby("dimension", sort=False):
        dim = t(f"lead.screening.{dimension}")
        shares = [f"{n} {s}{style.percent(v.lang)}"
                  for n, s in zip(part[v.col("label")], part["share_pct"])]
        fig.add_trace(charts.bar(
            x=part["share_pct"], y=[dim] * len(part), orientation="h", text=shares,
            textposition="inside", insidetextanchor="middle",
            marker_color=PALETTE[:len(part)], showlegend=False,
            hovertext=[charts.hover_text(dim, s) for s in shares],
            hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_layout(barmode="stack", height=200,
                      xaxis=dict(range=[0, 100], ticksuffix=style.percent(v.lang)))
    data = screening.assign(breakdown=[t(f"lead.screening.{d}") for d in screening["dimension"]])[
        ["dimension", "breakdown", "key", v.col("label"), "share_pct", "cases"]]
    return Chart("env_screening",
                 t("lead.screening_title", fy=v.fy(v.report_year),
                   n=int(screening["cases"].iloc[0])),
                 (Plot("bars", t("ui.view.bars"), fig.to_dict()),), data, "env_screening",
                 note=t("lead.screening_note"),
                 labels={"dimension": _code_of(v, "col.breakdown"),
                         "key": _code_of(v, "col.item"), v.col("label"): t("col.item"),
                         "share_pct": t("col.share_printed")},
                 summary=prose.join(
                     describe.largest(v, t(f"lead.screening.{d}"), part[v.col("label")],
                                      part["share_pct"], unit="pct")
                     for d, part in screening.groupby("dimension", sort=False)))


if __name__ == "__main__":
    from nexidash import render

    render.page(build)
