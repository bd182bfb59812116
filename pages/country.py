"""Country view: everything the report says about one country, on one page.

NEXI publishes its business statistics per region, so a country shows its region's figures
(marked as such) next to what the report names for the country itself: its top-10 rank, its
partner agreements, its projects, the cases of mid-sized and small companies shipping there,
the recoveries from it, Japan's exports to it and NEXI's offices there. Every country any report
table names has this view (queries/country_index.sql).
"""

from nexidash import describe, fmt, press, prose
from nexidash.prose import Fig, Prose
from nexidash.blocks import (Bullet, Bullets, Callout, Caption, Control, Controls, Heading, Link,
                             Metric, Metrics, Source, Table, Text)
from nexidash.glossary import MEASURE_TERMS
from nexidash.schema import REGION_MEASURES
from nexidash.view import View

ALL = "all"


def build(v: View) -> list:
    t = v.t
    index = v.q("country_index")
    country_c = _picker(v, index)
    iso3 = v.choose(country_c)
    if iso3 == ALL:
        return [Heading(t("country.title"), 1), Text(t("country.intro")), Controls((country_c,)),
                *_index(v, index)]

    row = index[index["iso3"] == iso3].iloc[0]
    name = v.said(row[v.name])
    out = [Heading(t("country.title_of", name=v.said(row[v.name], start=True)), 1),
           Text(t("country.lead", name=v.said(row[v.name], start=True),
                  region=v.said(row[v.col("region")]), iso3=iso3)),
           Controls((country_c,))]
    if row["mentions"] == 0:
        out.append(Callout(t("country.not_mentioned", name=name), icon=":material/info:"))
    out += _top10(v, iso3)
    out += _recoveries(v, iso3, name)
    out += _exports(v, iso3, name)
    out += _partners(v, iso3, name)
    out += _projects(v, iso3, name)
    out += _sme_cases(v, iso3, name)
    out += _offices(v, iso3, name)
    out += _region(v, row)
    return out


def _picker(v: View, index) -> Control:
    """Every country, labelled in both languages so the search box finds it by either name;
    the reader's language first."""
    other = v.col("name").replace(v.lang, "en" if v.lang == "ja" else "ja")
    ordered = index.sort_values(v.name)
    labels = {i: f"{a} / {b}" for i, a, b in zip(ordered["iso3"], ordered[v.name], ordered[other])}
    return Control("iso3", v.t("country.pick"), (ALL, *labels), ALL,
                   {ALL: v.t("country.all"), **labels})


def _index(v: View, index) -> list:
    """No country chosen: the countries the report names, each linking to its view."""
    t = v.t
    named = index[index["mentions"] > 0]
    table = named[["iso3", v.name, v.col("region"), "partners", "projects", "lead",
                   "decarbonisation", "major", "sme_cases", "figures", "offices"]]
    return [Heading(t("country.index_title", n=len(named)), 2),
            Table(table, labels={v.name: t("col.country"), v.col("region"): t("col.region"),
                                 "partners": t("country.n_partners"),
                                 "projects": t("country.n_projects"),
                                 "lead": t("country.n_lead"),
                                 "decarbonisation": t("country.n_decarbonisation"),
                                 "major": t("country.n_major"),
                                 "offices": t("country.n_offices"),
                                 "sme_cases": t("country.n_sme_cases"),
                                 "figures": t("country.n_figures")}, height=480),
            Caption(t("country.index_note", n=len(index) - len(named)))]


def _top10(v: View, iso3: str) -> list:
    top = v.q("top_countries")
    mine = top[top["iso3"] == iso3]
    if mine.empty:
        return []
    r = mine.iloc[0]
    fy = v.fy(int(r["fiscal_year"]))
    # The share as the report prints it (of the regions' combined underwriting).
    share = prose.pct(r["share_pct"], v.lang, table="top_countries",
                      key={"fiscal_year": int(r["fiscal_year"]), "iso3": iso3},
                      column="share_pct")
    return [Heading(v.t("country.top10_title", fy=fy), 2),
            Metrics((Metric(v.t("country.rank"), f"#{int(r['rank'])}"),
                     describe.amount_card(v, v.measure_label("underwriting"), prose.money(
                         r["amount_mjpy"], v.lang, approx=False, table="top_countries",
                         key={"fiscal_year": int(r["fiscal_year"]), "iso3": iso3}),
                         term="underwriting"),
                     Metric(v.t("col.share_printed"), Prose(share.text, [share])))),
            Source("top_countries")]


def _recoveries(v: View, iso3: str, name: str) -> list:
    rows = v.q("country_recoveries", iso3=iso3)
    if rows.empty:
        return []
    t = v.t
    items = tuple(Bullet(t("country.recovery_line", fy=v.fy(int(r["fiscal_year"])),
                           amount=fmt.oku(r["amount_100mjpy"], v.lang, bool(r["approx"])),
                           basis=t(f"country.basis.{r['basis']}")))
                  for _, r in rows.iterrows())
    return [Heading(t("country.recoveries_title", name=name), 2), Bullets(items),
            Source("recoveries_by_country")]


def _exports(v: View, iso3: str, name: str) -> list:
    rows = v.q("country_exports", iso3=iso3)
    if rows.empty:
        return []
    t = v.t
    items = tuple(Bullet(t("country.exports_line", fy=v.fy(int(r["fiscal_year"])),
                           amount=fmt.money(r["amount_trillion_jpy"] * 1_000_000, v.lang,
                                            approx=bool(r["approx"])),
                           change=fmt.change(r["change_pct"], v.lang)))
                  for _, r in rows.iterrows())
    return [Heading(t("country.exports_title", name=name), 2), Bullets(items),
            Source("japan_exports_by_destination")]


def _partners(v: View, iso3: str, name: str) -> list:
    rows = v.q("partner_agreements", agreement_type=None, report_group=None, iso3=iso3)
    if rows.empty:
        return []
    t = v.t
    inst = v.col("institution")
    shown = rows.assign(agreement_type=[t(f"agreement.{a}") for a in rows["agreement_type"]])[
        ["agreement_type", inst, "year"]]
    return [Heading(t("country.partners_title", name=name, n=len(rows)), 2), Table(shown),
            Source("partner_agreements"),
            Link(t("country.on_partners_page"), "partners", {"country": iso3})]


def _projects(v: View, iso3: str, name: str) -> list:
    rows = v.q("country_projects", iso3=iso3)
    if rows.empty:
        return []
    t = v.t
    shown = rows.assign(kind=[t(f"country.kind.{k}") for k in rows["kind"]])[
        ["kind", "ref", "month", v.col("title")]]
    # One project can be in several lists: the heading counts projects, the caption entries.
    per_list = {k: int((rows["kind"] == k).sum()) for k in ("lead", "decarbonisation", "major")}
    return [Heading(t("country.projects_title", name=name, n=rows["project"].nunique()), 2),
            Caption(t("country.projects_lists", entries=len(rows), **per_list)),
            Table(shown, labels={"kind": t("col.kind"), "ref": t("col.no"),
                                 "month": t("country.month"), v.col("title"): t("col.project")}),
            Source("lead_projects"), Link(t("country.on_lead_page"), "lead", {})]


def _sme_cases(v: View, iso3: str, name: str) -> list:
    rows = v.q("country_sme_cases", iso3=iso3)
    if rows.empty:
        return []
    t = v.t
    shown = rows[["case_no", v.col("company"), v.col("goods"), v.col("product"), "signed"]]
    return [Heading(t("country.sme_title", name=name, n=len(rows)), 2),
            Table(shown, labels={v.col("company"): t("country.company"),
                                 v.col("goods"): t("country.goods"),
                                 v.col("product"): t("col.product"),
                                 "signed": t("country.month")}),
            Source("sme_cases")]


def _offices(v: View, iso3: str, name: str) -> list:
    offices = v.q("offices")
    mine = offices[offices["iso3"] == iso3]
    if mine.empty:
        return []
    items = tuple(Bullet(f"{o[v.name]} ({o[v.col('city')]})") for _, o in mine.iterrows())
    return [Heading(v.t("country.offices_title", name=name), 2), Bullets(items),
            Source("offices")]


def _region(v: View, row) -> list:
    """The region's own figures: the report has no per-country statistics."""
    t, year = v.t, v.report_year
    cards = []
    for measure in REGION_MEASURES:
        r = v.q("region_measure_year", measure=measure, risk="total", fiscal_year=year)
        mine = r[r["region"] == row["region"]]
        if mine.empty or fmt.missing(mine.iloc[0]["amount_mjpy"]):
            continue
        m = mine.iloc[0]
        cell = lambda y, a, m=measure: press.part(  # noqa: E731
            v.lang, "region_stats", "region", row["region"], m, y, a)
        cur = cell(year, m["amount_mjpy"])
        cards.append(describe.amount_card(
            v, v.measure_label(measure), Fig(cur.value, cur.unit, fmt.money(cur.value, v.lang),
                                             cur.source),
            None if fmt.missing(m["prev_amount_mjpy"]) else cell(year - 1, m["prev_amount_mjpy"]),
            delta_color="inverse" if measure == "claims_paid" else "normal",
            help=t("country.region_share", share=fmt.pct(m["share_pct"], v.lang)),
            term=MEASURE_TERMS[measure]))
    region = v.said(row[v.col("region")])
    return [Heading(t("country.region_title", region=region, fy=v.fy(year)), 2),
            Metrics(tuple(cards), per_row=2),
            Caption(t("country.region_note")), Source("region_stats"),
            Link(t("country.on_regions_page", region=region), "regions",
                 {"region": row["region"]})]


if __name__ == "__main__":
    from nexidash import render

    render.page(build)
