"""Press-statement sentences generated from the figures, in Japanese and English.

Each sentence carries the table its figures come from, so a press officer can check it.
Amounts are rounded the way the report words them (約7.6兆円); rates are computed from the
report's printed totals and match its printed 対前期増減率.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import fmt, i18n

MEASURES = ["underwriting", "outstanding", "premium", "claims_paid", "recoveries"]


@dataclass(frozen=True)
class Sentence:
    text: str
    table: str


def _rate(current, previous, lang: str) -> tuple[str, str]:
    change = fmt.change_pct(current, previous)
    rate = f"{abs(fmt.round_half_up(change, 1)):,.1f}%"
    if lang == "ja":
        return rate, "増" if change >= 0 else "減"
    return rate, "up" if change >= 0 else "down"


def headline(totals: pd.DataFrame, year: int, lang: str) -> list[Sentence]:
    """One sentence per headline measure: amount and change from the previous year."""
    out = []
    t = lambda key, **kw: i18n.translate(lang, key, **kw)  # noqa: E731
    for measure in MEASURES:
        s = totals[(totals["measure"] == measure) & (totals["risk"] == "total")]
        s = s.set_index("fiscal_year")["amount_mjpy"]
        if year not in s.index:
            continue
        amount = fmt.money(s[year], lang, approx=True)
        name = t(f"measure.{measure}")
        if year - 1 in s.index:
            rate, direction = _rate(s[year], s[year - 1], lang)
            text = t("press.s.measure", measure=name, amount=amount, rate=rate,
                     direction=direction, prev=t("ui.fy", year=year - 1))
        else:
            text = t("press.s.measure_only", measure=name, amount=amount)
        out.append(Sentence(text[0].upper() + text[1:] if lang == "en" else text, "report_totals"))
    return out


def largest(rows: pd.DataFrame, key: str, lang: str, table: str, name_ja: str = "name_ja",
            name_en: str = "name_en") -> Sentence:
    """The largest part of a breakdown with its share (region, product)."""
    top = rows.dropna(subset=["amount_mjpy"]).sort_values("amount_mjpy", ascending=False).iloc[0]
    return Sentence(i18n.translate(
        lang, key, name=top[name_en if lang == "en" else name_ja],
        amount=fmt.money(top["amount_mjpy"], lang, approx=True),
        share=fmt.pct(top["share_pct"], lang)), table)
