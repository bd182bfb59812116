"""LEAD projects: the 16 LEAD initiative projects, and FY2024's decarbonisation and major projects."""

import streamlit as st

from nexidash import charts, fmt, geo, ui

ui.ensure_router()

lang = ui.lang()
t = ui.t
ELEMENTS = ["leading_tech", "environment_energy", "alliance", "development"]
CURRENCY_UNITS = {"USD": "currency.USD", "JPY": "currency.JPY", "TWD": "currency.TWD",
                  "EUR": "currency.EUR"}

st.title(t("lead.title"))
st.markdown(t("lead.intro"))

everything = ui.q("lead_projects", element=None, fiscal_year=None, region=None, currency=None)
regions = ui.q("regions")
region_names = dict(zip(regions["region"], regions[ui.name_col()]))

c1, c2, c3, c4 = st.columns(4)
element = ui.choice(t("lead.element"), ["all"] + ELEMENTS, "all", key="element",
                    format_func=lambda e: t("ui.all") if e == "all" else t(f"element.{e}"),
                    container=c1)
years = ["all"] + sorted({str(y) for y in everything["fiscal_year"]})
fy_choice = ui.choice(t("lead.announced_fy"), years, "all", key="lead_fy",
                      format_func=lambda y: t("ui.all") if y == "all" else ui.fy(int(y)),
                      container=c2)
places = ["all"] + [r for r in regions["region"] if r in set(everything["region"])]
place = ui.choice(t("lead.place"), places, "all", key="place",
                  format_func=lambda r: t("ui.all") if r == "all" else region_names[r],
                  container=c3)
currencies = ["all"] + sorted(set(everything["currency"]))
currency = ui.choice(t("lead.currency"), currencies, "all", key="currency",
                     format_func=lambda c: t("ui.all") if c == "all" else c, container=c4)

none_if_all = lambda v: None if v == "all" else v  # noqa: E731
projects = ui.q("lead_projects", element=none_if_all(element),
                fiscal_year=None if fy_choice == "all" else int(fy_choice),
                region=none_if_all(place), currency=none_if_all(currency))

m1, m2, m3 = st.columns(3)
m1.metric(t("lead.count_total"), t("lead.projects_n", n=len(everything)), border=True)
m2.metric(t("lead.stated_total"), t("lead.stated_total_value"), border=True,
          help=t("lead.stated_total_help"))
m3.metric(t("lead.count_shown"), t("lead.projects_n", n=len(projects)), border=True)


def amount_text(row) -> str:
    return fmt.foreign(row["amount"], row["currency"], lang, approx=bool(row["approx"]))


title_col, place_col = ("title_en", "place_en") if lang == "en" else ("title_ja", "place_ja")
shown = projects.assign(
    elements_text=[", ".join(t(f"element.{e}") for e in s.split(";")) for s in projects["elements"]],
    amount_text=[amount_text(r) for _, r in projects.iterrows()])
table = shown[["no", "announced", place_col, title_col, "elements_text", "amount_text", "amount",
               "currency"]].rename(columns={
    "no": t("col.no"), "announced": t("col.announced"), place_col: t("col.place"),
    title_col: t("col.project"), "elements_text": t("col.elements"),
    "amount_text": t("col.amount_stated"), "amount": t("col.amount_units"),
    "currency": t("col.currency")})

# The map: LEAD projects, FY2024 decarbonisation projects and major projects, told apart.
places_df = ui.q("project_places")
pts = geo.points("world")
KINDS = [("lead", "#0072B2", "circle"), ("decarbonisation", "#009E73", "circle"),
         ("major", "#D55E00", "circle")]
lead_shown = set(projects["no"].astype(str))
# A faint world underneath, darker where a project is, so markers have a place to sit.
base = ui.q("country_names")
base = base[base["on_map"]]
with_projects = set(places_df["iso3"].dropna())
fig = charts.choropleth("world", base["iso3"], [1 if i in with_projects else 0 for i in base["iso3"]],
                        base[ui.name_col()], "", charts.WORLD_VIEW,
                        colorscale=[[0, "#f1f3f5"], [1, "#c6dbef"]], zmin=0, zmax=1,
                        showscale=False)
sizes = {"lead": 14, "decarbonisation": 11, "major": 8}
for kind, color, symbol in KINDS:
    part = places_df[places_df["kind"] == kind]
    if kind == "lead":
        part = part[part["ref"].isin(lead_shown)]
    lat, lon, hover = [], [], []
    for _, r in part.iterrows():
        where = pts.get(r["iso3"]) if isinstance(r["iso3"], str) else geo.REGION_ANCHORS.get(r["region"])
        if where is None:
            continue
        # Jitter projects that share a place so each marker stays visible.
        k = sum(1 for a, b in zip(lat, lon) if abs(a - where[0]) < 1.5 and abs(b - where[1]) < 1.5)
        lat.append(where[0] + 1.4 * k)
        lon.append(where[1] + 1.4 * k)
        head = f"#{r['ref']} " if kind == "lead" else ""
        hover.append(f"{head}<b>{r['place_' + lang]}</b><br>{r['title_' + lang]}<br>{r['month']}")
    charts.add_markers(fig, lat, lon, hover, t(f"lead.kind.{kind}"), color, symbol, sizes[kind])
fig.update_layout(showlegend=True)
map_data = places_df.rename(columns={"kind": t("col.kind"), "month": t("col.month")})
ui.chart_block(t("lead.map_title"), fig, map_data, "lead_projects", "lead_map",
               note=t("lead.map_note"))

left, right = st.columns([1, 2])
with left:
    counts = ui.q("lead_element_counts")
    counts["label"] = [t(f"element.short.{e}") for e in counts["element"]]
    fig = charts.Figure(charts.bar(x=counts["projects"], y=counts["label"], orientation="h",
                           marker_color=ui.PALETTE[:4], text=counts["projects"].astype(str),
                           textposition="auto",
                           hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_layout(height=300, yaxis=dict(autorange="reversed"),
                      xaxis=dict(title=t("lead.projects_axis"), dtick=2))
    ui.chart_block(t("lead.elements_title"), fig, counts[["element", "label", "projects"]],
                   "lead_projects", "lead_elements", note=t("lead.elements_note"))
with right:
    st.markdown("#### " + t("lead.table_title"))
    ui.table(table)
    st.caption(t("lead.amount_note"))
    ui.source_line("lead_projects")
    ui.data_table(projects, "lead_projects")

# The environmental review behind these projects: how FY2024's screened cases were classed.
screening = ui.q("env_screening", fiscal_year=2024)
if not screening.empty:
    label_col = "label_en" if lang == "en" else "label_ja"
    fig = charts.Figure()
    for i, (dimension, part) in enumerate(screening.groupby("dimension", sort=False)):
        fig.add_trace(charts.bar(x=part["share_pct"], y=[t(f"lead.screening.{dimension}")] * len(part),
                             orientation="h", text=[f"{n} {v}%" for n, v in
                                                    zip(part[label_col], part["share_pct"])],
                             textposition="inside", insidetextanchor="middle",
                             marker_color=ui.PALETTE[:len(part)], showlegend=False,
                             hovertemplate="%{text}<extra></extra>"))
    fig.update_layout(barmode="stack", height=200, xaxis=dict(range=[0, 100], ticksuffix="%"))
    ui.chart_block(t("lead.screening_title", n=int(screening["cases"].iloc[0])), fig,
                   screening, "env_screening", "env_screening", note=t("lead.screening_note"))
