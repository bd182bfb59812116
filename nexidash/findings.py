"""What changed, found in the data: the year's largest rises and falls, five-year highs and lows,
and shifts in share, by region and by product for every measure, plus the report's own stated
records. Each finding is a sentence with its figures, the table it comes from, how it was
computed, a score, and the page view that shows it.

The score ranks findings for a press officer: a change counts by its size in points of the
measure's total (a ¥100 billion rise in a ¥1 trillion measure scores 10), a share shift by its
points, a five-year high or low by the part's share of the total, and the report's own records
come first. The figures are the app's own queries, rounded as the app rounds them.

Plain functions of a View: no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import fmt
from .schema import BREAKDOWN_MEASURES

if TYPE_CHECKING:
    from .view import View

SHARE_SHIFT_PP = 3.0  # a share moving by this many points or more is news
PAGES = {"region": "regions", "product": "products"}


@dataclass(frozen=True)
class Finding:
    kind: str  # record | rise | fall | high | low | share
    text: str
    table: str
    method: str
    score: float
    page: str
    params: dict = field(default_factory=dict, hash=False, compare=False)


TENFOLD_PCT = 1000  # beyond a ten-fold change a rate misleads (+356,388% from ¥17 million)


def _pct(v: View, value) -> str:
    """A share as the language prints it: the report's full-width ％ in Japanese."""
    text = fmt.pct(value, v.lang)
    return text.replace("%", "％") if v.lang == "ja" else text


def _change(v: View, row) -> str:
    """The change from the previous year, worded as the press sentences word it (前年度比4.6％減,
    +4.6%); from a base so small that the rate exceeds ten-fold, the previous amount instead."""
    rate = row["change_pct"]
    if fmt.missing(rate):
        return ""
    if abs(rate) >= TENFOLD_PCT:
        return v.t("find.change_from", prev_amount=fmt.money(row["prev_amount_mjpy"], v.lang,
                                                             approx=True))
    value = fmt.round_half_up(abs(rate), 1)
    up = row["amount_mjpy"] >= row["prev_amount_mjpy"]
    return v.t("find.change_" + ("up" if up else "down"), rate=f"{value:,.1f}")


def findings(v: View) -> list[Finding]:
    """Every finding for the view's year, most newsworthy first."""
    out = _records(v)
    for dim, measures in BREAKDOWN_MEASURES.items():
        for measure in measures:
            out += _breakdown(v, dim, measure)
    return sorted(out, key=lambda f: -f.score)


def _records(v: View) -> list[Finding]:
    if v.year != v.report_year:
        return []
    return [Finding("record", v.t(f"overview.record_{m}"), "report_totals",
                    v.t("find.method.record"), 1000.0 - i, "overview", {})
            for i, m in enumerate(("claims", "underwriting"))]


def _breakdown(v: View, dim: str, measure: str) -> list[Finding]:
    t, year, name = v.t, v.year, v.name
    table = f"{dim}_stats"
    rows = v.q(f"{dim}_measure_year", measure=measure, risk="total", fiscal_year=year)
    rows = rows.dropna(subset=["amount_mjpy"])
    total = rows["amount_mjpy"].sum()
    if rows.empty or total <= 0:
        return []
    what = v.measure_label(measure)
    fy, prev = v.fy(year), v.fy(year - 1)
    params = lambda code: {"measure": measure, dim: code, "year": year}  # noqa: E731
    out: list[Finding] = []

    # Largest rise and largest fall from the previous year.
    moved = rows.dropna(subset=["prev_amount_mjpy"]).assign(
        diff=lambda d: d["amount_mjpy"] - d["prev_amount_mjpy"])
    if not moved.empty:
        for kind, pick in (("rise", moved.loc[moved["diff"].idxmax()]),
                           ("fall", moved.loc[moved["diff"].idxmin()])):
            if (pick["diff"] > 0) != (kind == "rise") or pick["diff"] == 0:
                continue
            change = _change(v, pick)
            out.append(Finding(
                kind, t(f"find.{kind}", what=what, name=pick[name], fy=fy,
                        diff=fmt.money(abs(pick["diff"]), v.lang, approx=True),
                        amount=fmt.money(pick["amount_mjpy"], v.lang, approx=True),
                        change=change),
                table, t("find.method.change", fy=fy, prev=prev),
                round(abs(pick["diff"]) / total * 100, 2), PAGES[dim], params(pick[dim])))

    # Five-year highs and lows.
    trend = v.q(f"{dim}_trend", measure=measure, risk="total").dropna(subset=["amount_mjpy"])
    first = int(trend["fiscal_year"].min())
    for code, part in trend.groupby(dim):
        if len(part) < 5 or year not in set(part["fiscal_year"]):
            continue
        now = part.loc[part["fiscal_year"] == year, "amount_mjpy"].iloc[0]
        others = part.loc[part["fiscal_year"] != year, "amount_mjpy"]
        kind = "high" if now > others.max() else "low" if now < others.min() else None
        if kind is None or now == 0:
            continue
        share = now / total * 100
        out.append(Finding(
            kind, t(f"find.{kind}", what=what, name=part[name].iloc[0],
                    amount=fmt.money(now, v.lang, approx=True), first=v.fy(first), fy=fy),
            table, t("find.method.extreme", first=v.fy(first), last=fy),
            round(max(share, 1.0) / 2, 2), PAGES[dim], params(code)))

    # Shifts in share of the measure's total.
    before = v.q(f"{dim}_measure_year", measure=measure, risk="total", fiscal_year=year - 1)
    before_share = dict(zip(before[dim], before["share_pct"]))
    for _, r in rows.iterrows():
        was = before_share.get(r[dim])
        if fmt.missing(was) or fmt.missing(r["share_pct"]):
            continue
        shift = fmt.round_half_up(r["share_pct"], 1) - fmt.round_half_up(was, 1)
        if abs(shift) < SHARE_SHIFT_PP:
            continue
        out.append(Finding(
            "share", t("find.share", what=what, name=r[name], was=_pct(v, was),
                       now=_pct(v, r["share_pct"]), prev=prev, fy=fy,
                       points=f"{float(shift):+.1f}"),
            table, t("find.method.share", prev=prev, fy=fy), round(abs(float(shift)), 2),
            PAGES[dim], params(r[dim])))
    return out
