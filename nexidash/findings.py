"""What changed, found in the data, under written editorial rules (EDITORIAL.md holds them in
prose; the tests hold each one):

1. The report's own records and explanations come first, in our words, each citing where it
   stands in the report (`Finding.cite`). Then the stories the data holds that a reader asks
   about: political-risk claims, the main recoveries by country, net income after the
   catastrophe-reserve provision, Japan's exports.
2. Materiality: a change, a five-year high or low counts only when it reaches MATERIAL_MJPY
   (¥1 billion, 10億円) and MATERIAL_SHARE_PCT (1％) of the measure's total.
3. Base effects: from a base below MATERIAL_MJPY, or a rise of more than BASE_EFFECT_PCT, a
   percentage misleads (+356,388％ from ¥17 million): both amounts are given instead.
4. A share shift counts only when the part's own amount moved the same way, materially; a share
   that only mirrors the total's growth (South America's claims share falling because claims
   quadrupled elsewhere) is not news.
5. At most one finding per subject (region or product) and measure: a five-year high or a share
   shift of the same subject joins its rise or fall as a clause, never a second line.
6. Every number is a figure with provenance (prose.Fig), worded by the formatters, so Japanese
   and English round an amount the same way.

The score ranks for a press officer: a change by its size in points of the measure's total, a
high or low by the part's share; records and stories first.

Plain functions of a View: no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from . import fmt, press, prose
from .prose import Fig, Prose
from .schema import BREAKDOWN_MEASURES

if TYPE_CHECKING:
    from .view import View

MATERIAL_MJPY = 1_000  # ¥1 billion
MATERIAL_SHARE_PCT = 1.0
BASE_EFFECT_PCT = 100  # beyond a doubling, give both amounts
SHARE_SHIFT_PP = 3.0  # a share moving by this many points or more, with its part, is news
PAGES = {"region": "regions", "product": "products"}
TABLES = {"region": "region_stats", "product": "product_stats"}


@dataclass(frozen=True)
class Finding:
    kind: str  # record | story | rise | fall | high | low | share
    text: Prose
    table: str
    method: str
    score: float
    page: str
    params: dict = field(default_factory=dict, hash=False, compare=False)
    subject: tuple = ()  # (dimension, code, measure): at most one finding each
    cite: str = ""  # where the report states it (records and stories)


def findings(v: View) -> list[Finding]:
    """Every finding for the view's year, most newsworthy first, one per subject."""
    out = records(v) + stories(v)
    for dim, measures in BREAKDOWN_MEASURES.items():
        for measure in measures:
            out += _breakdown(v, dim, measure)
    return sorted(out, key=lambda f: -f.score)


# -- the report's records and the stories it explains -----------------------------------------
def records(v: View) -> list[Finding]:
    """The records the report states for its own year, each worded from the printed totals."""
    if v.year != v.report_year:
        return []
    year, lang = v.year, v.lang
    amounts = v.q("headline_totals")
    this = amounts[(amounts["fiscal_year"] == year) & (amounts["risk"] == "total")]
    fig = {r["measure"]: press.total(lang, r["measure"], year, r["amount_mjpy"])
           for _, r in this.iterrows()}
    return [
        Finding("record", prose.said(lang, "finding.record.claims", fy=v.fy(year),
                                     amount=fig["claims_paid"]),
                "report_totals", v.t("finding.method.record"), 1000.0, "overview", {},
                ("total", "", "claims_paid"), v.t("finding.cite.claims_record")),
        Finding("record", prose.said(lang, "finding.record.book", fy=v.fy(year),
                                     underwriting=fig["underwriting"],
                                     outstanding=fig["outstanding"], third=_third(v)),
                "report_totals", v.t("finding.method.record"), 999.0, "overview", {},
                ("total", "", "underwriting"), v.t("finding.cite.book_record")),
    ]


def _third(v: View) -> Fig:
    """"3番目" is the report's own statement (its data before FY2020 is not in our tables)."""
    return Fig(prose._dec(3), "count", v.t("finding.third"),
               ("report", "トップメッセージ", "2017年度の株式会社化以来3番目の高水準"))


def stories(v: View) -> list[Finding]:
    """What the report explains and a reader asks about, for the report's year."""
    if v.year != v.report_year:
        return []
    out = []
    for score, make in enumerate((_political_claims, _recoveries, _net_income, _exports)):
        found = make(v)
        if found is not None:
            out.append(replace(found, score=900.0 - score))
    return out


def _political_claims(v: View) -> Finding | None:
    year, lang = v.year, v.lang
    rows = v.q("headline_totals")
    pick = lambda risk, y: rows[(rows["measure"] == "claims_paid") & (rows["risk"] == risk)  # noqa: E731
                                & (rows["fiscal_year"] == y)]["amount_mjpy"]
    now, before, total = pick("political", year), pick("political", year - 1), pick("total", year)
    if now.empty or before.empty or total.empty:
        return None
    cur = press.total(lang, "claims_paid", year, now.iloc[0], risk="political")
    prev = press.total(lang, "claims_paid", year - 1, before.iloc[0], risk="political")
    whole = press.total(lang, "claims_paid", year, total.iloc[0])
    share = cur.value / whole.value * 100
    return Finding("story", prose.said(
        lang, "finding.story.political", fy=v.fy(year), prev=v.fy(year - 1), before=prev, now=cur,
        share=Fig.derived("ratio_pct", share, "pct", fmt.pct(share, lang), cur, whole)),
        "report_totals", v.t("finding.method.story"), 0, "regions",
        {"measure": "claims_paid", "risk": "political", "year": year},
        ("risk", "political", "claims_paid"), v.t("finding.cite.political"))


def _recoveries(v: View) -> Finding | None:
    rows = v.q("recoveries_by_country", fiscal_year=v.year)
    rows = rows[rows["iso3"].notna()]
    if len(rows) < 2:
        return None
    top = rows.sort_values("amount_100mjpy", ascending=False).head(2)
    figs = [Fig.cell(r["amount_100mjpy"], "oku", fmt.oku(r["amount_100mjpy"], v.lang, approx=True),
                     "recoveries_by_country", {"fiscal_year": v.year, "iso3": r["iso3"]},
                     "amount_100mjpy") for _, r in top.iterrows()]
    names = [r[v.col("name")] for _, r in top.iterrows()]
    short = v.q("country_names")
    short = dict(zip(short["iso3"], short[v.col("name")]))
    names = [v.said(short.get(r["iso3"], n)) for n, (_, r) in zip(names, top.iterrows())]
    return Finding("story", prose.said(
        v.lang, "finding.story.recoveries", fy=v.fy(v.year), first=names[0], a=figs[0],
        second=names[1], b=figs[1], basis=v.t(f"finding.basis.{top.iloc[0]['basis']}")),
        "recoveries_by_country", v.t("finding.method.story"), 0, "country",
        {"iso3": top.iloc[0]["iso3"]}, ("country", "recoveries", ""), v.t("finding.cite.recoveries"))


def _net_income(v: View) -> Finding | None:
    rows = v.q("financial_summary", fiscal_year=v.year).set_index("item")["amount_mjpy"]
    if "net_income" not in rows or "catastrophe_reserve_provision" not in rows:
        return None
    cell = lambda item: prose.money(rows[item], v.lang,  # noqa: E731
                                    table="financial_summary",
                                    key={"fiscal_year": v.year, "item": item})
    return Finding("story", prose.said(
        v.lang, "finding.story.net_income", fy=v.fy(v.year), net=cell("net_income"),
        reserve=cell("catastrophe_reserve_provision")),
        "financial_summary", v.t("finding.method.story"), 0, "financials", {},
        ("fin", "net_income", ""), v.t("finding.cite.net_income"))


def _exports(v: View) -> Finding | None:
    rows = v.q("japan_exports").sort_values("fiscal_year")
    if v.year not in set(rows["fiscal_year"]) or v.year - 1 not in set(rows["fiscal_year"]):
        return None
    cell = {int(r["fiscal_year"]): prose.money(r["amount_mjpy"], v.lang, table="japan_exports",
                                               key={"fiscal_year": int(r["fiscal_year"])})
            for _, r in rows.iterrows()}
    cur, prev = cell[v.year], cell[v.year - 1]
    change, direction = press.rate(cur, prev, v.lang)
    if direction not in ("増", "up") or cur.value < max(f.value for f in cell.values()):
        return None
    years = Fig.derived("count", len(cell), "count", str(len(cell)), *cell.values())
    return Finding("story", prose.said(
        v.lang, "finding.story.exports", fy=v.fy(v.year), amount=cur, rate=change,
        first=v.fy(min(cell)), n=years),
        "japan_exports", v.t("finding.method.story"), 0, "overview", {},
        ("exports", "", ""), v.t("finding.cite.exports"))


# -- rises, falls, highs, lows and share shifts by region and product -------------------------
def _material(amount, total) -> bool:
    return abs(amount) >= MATERIAL_MJPY and abs(amount) / total * 100 >= MATERIAL_SHARE_PCT


def _breakdown(v: View, dim: str, measure: str) -> list[Finding]:
    t, year, lang, name = v.t, v.year, v.lang, v.name
    table = TABLES[dim]
    rows = v.q(f"{dim}_measure_year", measure=measure, risk="total", fiscal_year=year)
    rows = rows.dropna(subset=["amount_mjpy"])
    total = rows["amount_mjpy"].sum()
    if rows.empty or total <= 0:
        return []
    what = v.measure_label(measure)
    fy, prev_fy = v.fy(year), v.fy(year - 1)
    cell = lambda code, y, amount: press.part(lang, table, dim, code, measure, y, amount)  # noqa: E731
    parts = [cell(r[dim], year, r["amount_mjpy"]) for _, r in rows.iterrows()]
    params = lambda code: {"measure": measure, dim: code, "year": year}  # noqa: E731
    found: dict[str, list[Finding]] = {}

    def add(code, finding):
        found.setdefault(code, []).append(finding)

    # Largest rise and largest fall from the previous year, when material.
    moved = rows.dropna(subset=["prev_amount_mjpy"]).assign(
        diff=lambda d: d["amount_mjpy"] - d["prev_amount_mjpy"])
    if not moved.empty:
        for kind, pick in (("rise", moved.loc[moved["diff"].idxmax()]),
                           ("fall", moved.loc[moved["diff"].idxmin()])):
            if (pick["diff"] > 0) != (kind == "rise") or not _material(pick["diff"], total):
                continue
            cur = cell(pick[dim], year, pick["amount_mjpy"])
            before = cell(pick[dim], year - 1, pick["prev_amount_mjpy"])
            add(pick[dim], Finding(
                kind, _change(v, what, v.said(pick[name]), cur, before),
                table, t("finding.method.change", fy=fy, prev=prev_fy),
                round(abs(pick["diff"]) / total * 100, 2), PAGES[dim], params(pick[dim]),
                (dim, pick[dim], measure)))

    # Five-year highs and lows, when the part is material.
    trend = v.q(f"{dim}_trend", measure=measure, risk="total").dropna(subset=["amount_mjpy"])
    for code, part in trend.groupby(dim):
        if len(part) < 5 or year not in set(part["fiscal_year"]):
            continue
        now = part.loc[part["fiscal_year"] == year, "amount_mjpy"].iloc[0]
        others = part.loc[part["fiscal_year"] != year, "amount_mjpy"]
        kind = "high" if now > others.max() else "low" if now < others.min() else None
        if kind is None or not _material(now, total):
            continue
        years = [cell(code, int(r["fiscal_year"]), r["amount_mjpy"]) for _, r in part.iterrows()]
        n = Fig.derived("count", len(years), "count", str(len(years)), *years)
        first = v.fy(int(part["fiscal_year"].min()))
        last = v.fy(int(part["fiscal_year"].max()))
        add(code, Finding(
            kind, prose.said(lang, f"finding.{kind}", what=what, name=v.said(part[name].iloc[0]),
                             amount=cell(code, year, now), first=first, fy=fy, n=n),
            table, t("finding.method.extreme", first=first, last=last, fy=fy),
            round(now / total * 100 / 2, 2), PAGES[dim], params(code), (dim, code, measure)))

    # Shifts in share that the part's own amount made (not the total's growth alone).
    before = v.q(f"{dim}_measure_year", measure=measure, risk="total", fiscal_year=year - 1)
    before = before.dropna(subset=["amount_mjpy"])
    before_parts = [cell(r[dim], year - 1, r["amount_mjpy"]) for _, r in before.iterrows()]
    was_amount = dict(zip(before[dim], before["amount_mjpy"]))
    for (_, r), now_fig in zip(rows.iterrows(), parts):
        if r[dim] not in was_amount:
            continue
        was_fig = next(f for f in before_parts if dict(f.source[2])[dim] == r[dim])
        now_share, was_share = press.share(lang, now_fig, parts), press.share(lang, was_fig,
                                                                              before_parts)
        shift = fmt.round_half_up(now_share.value, 1) - fmt.round_half_up(was_share.value, 1)
        own = r["amount_mjpy"] - was_amount[r[dim]]
        if abs(shift) < SHARE_SHIFT_PP or (own > 0) != (shift > 0) or not _material(own, total):
            continue
        points = Fig.derived("points", abs(shift), "pp", f"{abs(shift):.1f}", now_share,
                             was_share)
        add(r[dim], Finding(
            "share", prose.said(lang, "finding.share_" + ("up" if shift > 0 else "down"),
                                what=what, name=v.said(r[name]), was=was_share, now=now_share,
                                prev=prev_fy, fy=fy, points=points),
            table, t("finding.method.share", prev=prev_fy, fy=fy), round(abs(float(shift)), 2),
            PAGES[dim], params(r[dim]), (dim, r[dim], measure)))

    return [_one(v, same) for same in found.values()]


def _change(v: View, what: str, name: str, cur: Fig, before: Fig) -> Prose:
    """A rise or fall: by how much, to what, and the rate; from a small base, both amounts."""
    lang = v.lang
    up = cur.value >= before.value
    gap = abs(cur.value - before.value)
    diff = Fig.derived("abs_diff", gap, "mjpy", fmt.money(gap, lang, approx=True), cur, before)
    rate, _ = press.rate(cur, before, lang)
    small_base = before.value < MATERIAL_MJPY or (up and rate.value > BASE_EFFECT_PCT)
    key = ("finding.up" if up else "finding.down") + ("_base" if small_base else "")
    return prose.said(lang, key, what=what, name=name, amount=cur, before=before, diff=diff,
                      rate=rate, fy=v.fy(v.year), prev=v.fy(v.year - 1))


def _one(v: View, same: list[Finding]) -> Finding:
    """The subject's one finding: its rise or fall, with a five-year high or low as a clause."""
    same = sorted(same, key=lambda f: -f.score)
    main = next((f for f in same if f.kind in ("rise", "fall")), same[0])
    extreme = next((f for f in same if f.kind in ("high", "low")), None)
    if main is extreme or extreme is None or main.kind not in ("rise", "fall"):
        return main
    n = next(f for f in extreme.text.figs if f.source == ("op", "count"))
    clause = prose.said(v.lang, f"finding.clause_{extreme.kind}", n=n, first=v.fy(min(v.years)))
    text = prose.join((main.text, clause), "" if v.lang == "ja" else " ")
    return Finding(main.kind, text, main.table, main.method, max(f.score for f in same),
                   main.page, main.params, main.subject)
