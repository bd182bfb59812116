"""Press-statement sentences generated from the figures, in Japanese and English.

Each sentence carries the table its figures come from, so a press officer can check it.
Amounts are rounded the way the report words them (約7.6兆円); rates are the queries' change
from the previous year (the database's change_pct, computed from the report's printed totals),
rounded half-up to one decimal as the report prints its 対前期増減率.

Plain functions of a language and query rows, or of a View (`sentences`): no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from . import fmt, i18n
from .schema import HEADLINE_MEASURES

if TYPE_CHECKING:
    from .view import View


@dataclass(frozen=True)
class Sentence:
    text: str
    table: str


def _rate(change, current, previous, lang: str) -> tuple[str, str]:
    """The rate as the sentence words it (4.6, the template adds its % or ％) and its
    direction (増/減, up/down).

    The direction is the amounts' own: a change from a negative base has the sign of
    current - previous, which the rounded rate (0.0%) cannot always tell."""
    rate = f"{abs(fmt.round_half_up(change, 1)):,.1f}"
    up = current >= previous
    if lang == "ja":
        return rate, "増" if up else "減"
    return rate, "up" if up else "down"


def headline(totals: pd.DataFrame, year: int, lang: str) -> list[Sentence]:
    """One sentence per headline measure: amount and change from the previous year.

    `totals` are the rows of queries/headline_totals.sql (amount, previous amount, change)."""
    out = []
    t = lambda key, **kw: i18n.translate(lang, key, **kw)  # noqa: E731
    for measure in HEADLINE_MEASURES:
        rows = totals[(totals["measure"] == measure) & (totals["risk"] == "total")
                      & (totals["fiscal_year"] == year)]
        if rows.empty:
            continue
        row = rows.iloc[0]
        amount = fmt.money(row["amount_mjpy"], lang, approx=True)
        # One template per measure and language: "Outstanding commitments were", "Claims paid
        # came to", "Recoveries totalled"; the report's own 前年度比…％減 in Japanese.
        fy = t("ui.fy", year=year)
        if not fmt.missing(row["change_pct"]):
            rate, direction = _rate(row["change_pct"], row["amount_mjpy"],
                                    row["prev_amount_mjpy"], lang)
            text = t(f"press.s.{measure}", fy=fy, amount=amount, rate=rate,
                     direction=direction, prev=t("ui.fy", year=year - 1))
        else:
            text = t(f"press.s.{measure}.only", fy=fy, amount=amount)
        out.append(Sentence(text, "report_totals"))
    return out


def largest(rows: pd.DataFrame, key: str, lang: str, table: str) -> Sentence:
    """The largest part of a breakdown with its share (region, product): the rows of
    queries/region_measure_year.sql or product_measure_year.sql."""
    top = rows.dropna(subset=["amount_mjpy"]).sort_values("amount_mjpy", ascending=False).iloc[0]
    share = fmt.pct(top["share_pct"], lang)
    return Sentence(i18n.translate(
        lang, key, name=top["name_" + lang],
        amount=fmt.money(top["amount_mjpy"], lang, approx=True),
        share=share.replace("%", "％") if lang == "ja" else share), table)


def sentences(v: View) -> list[Sentence]:
    """Every sentence for the view's year and language, in the press kit's order."""
    year, lang = v.year, v.lang

    def stat(query: str, measure: str) -> pd.DataFrame:
        return v.q(query, measure=measure, risk="total", fiscal_year=year)

    return headline(v.q("headline_totals"), year, lang) + [
        largest(stat("region_measure_year", "underwriting"), "press.s.top_region", lang,
                "region_stats"),
        largest(stat("region_measure_year", "claims_paid"), "press.s.claims_region", lang,
                "region_stats"),
        largest(stat("product_measure_year", "premium"), "press.s.top_product", lang,
                "product_stats"),
    ]
