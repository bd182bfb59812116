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

from . import fmt, i18n, prose, style
from .prose import Fig, Prose
from .schema import HEADLINE_MEASURES

if TYPE_CHECKING:
    from .view import View


@dataclass(frozen=True)
class Sentence:
    text: Prose
    table: str


def rate(current: Fig, previous: Fig, lang: str) -> tuple[Fig, str]:
    """The change from `previous` to `current` as the sentence words it (4.6: the template adds
    its ％ or %) and its direction (増/減, up/down).

    The direction is the amounts' own: a change from a negative base has the sign of
    current - previous, which the rounded rate (0.0%) cannot always tell."""
    change = fmt.change_pct(current.value, previous.value)
    text = f"{abs(fmt.round_half_up(change, 1)):,.1f}"
    up = current.value >= previous.value
    fig = Fig.derived("change_pct", abs(change), "pct", text, current, previous)
    if lang == "ja":
        return fig, "増" if up else "減"
    return fig, "up" if up else "down"


def total(v_or_lang, measure: str, year: int, amount, *, risk: str = "total",
          approx: bool = True) -> Fig:
    """A NEXI-wide total as the report prints it (its 合計 row)."""
    lang = getattr(v_or_lang, "lang", v_or_lang)
    return prose.money(amount, lang, approx=approx, table="report_totals",
                       key={"measure": measure, "risk": risk, "fiscal_year": int(year)})


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
        amount = total(lang, measure, year, row["amount_mjpy"])
        # One template per measure and language: "Outstanding commitments were", "Claims paid
        # came to", "Recoveries totalled"; the report's own 前年度比…％減 in Japanese.
        fy = t("ui.fy", year=year)
        if not fmt.missing(row["change_pct"]):
            change, direction = rate(amount, total(lang, measure, year - 1,
                                                   row["prev_amount_mjpy"]), lang)
            text = prose.said(lang, f"press.s.{measure}", fy=fy, amount=amount, rate=change,
                              direction=direction, prev=t("ui.fy", year=year - 1))
        else:
            text = prose.said(lang, f"press.s.{measure}.only", fy=fy, amount=amount)
        out.append(Sentence(text, "report_totals"))
    return out


def part(lang: str, table: str, dim: str, code: str, measure: str, year: int, amount,
         risk: str = "total") -> Fig:
    """One part of a breakdown (a region's or a product's amount) as its table holds it."""
    return prose.money(amount, lang, table=table,
                       key={dim: code, "measure": measure, "risk": risk,
                            "fiscal_year": int(year)})


def share(lang: str, of: Fig, parts: list[Fig]) -> Fig:
    """`of` as a share of the sum of `parts` (the report's 構成比: of its breakdown's sum)."""
    whole = sum(p.value for p in parts)
    value = of.value / whole * 100
    return Fig.derived("share", value, "pct", fmt.pct(value, lang), of, *parts)


def largest(rows: pd.DataFrame, key: str, lang: str, table: str, dim: str, measure: str,
            year: int) -> Sentence:
    """The largest part of a breakdown with its share of the breakdown's sum (region,
    product): the rows of queries/region_measure_year.sql or product_measure_year.sql."""
    rows = rows.dropna(subset=["amount_mjpy"]).sort_values("amount_mjpy", ascending=False)
    parts = [part(lang, table, dim, r[dim], measure, year, r["amount_mjpy"])
             for _, r in rows.iterrows()]
    top = rows.iloc[0]
    return Sentence(prose.said(lang, key, name=style.name_in_sentence(top["name_" + lang], lang),
                               amount=parts[0],
                               share=share(lang, parts[0], parts)), table)


def sentences(v: View) -> list[Sentence]:
    """Every sentence for the view's year and language, in the press kit's order."""
    year, lang = v.year, v.lang

    def stat(query: str, measure: str) -> pd.DataFrame:
        return v.q(query, measure=measure, risk="total", fiscal_year=year)

    return headline(v.q("headline_totals"), year, lang) + [
        largest(stat("region_measure_year", "underwriting"), "press.s.top_region", lang,
                "region_stats", "region", "underwriting", year),
        largest(stat("region_measure_year", "claims_paid"), "press.s.claims_region", lang,
                "region_stats", "region", "claims_paid", year),
        largest(stat("product_measure_year", "premium"), "press.s.top_product", lang,
                "product_stats", "product", "premium", year),
    ]
