"""Money and percentages as a reader of each language expects them.

Amounts arrive in million yen (the report's 百万円). Japanese reads 兆円 / 億円 / 万円 (百万円 is
a table's unit, never a sentence's), English reads ¥ trillion / billion / million. Rounding is
half-up on the exact value, as the report rounds, and a value that rounds up to the next unit
moves to that unit (never `10,000億円`). Signs and percent signs follow style.py: △ and ％ in
Japanese, - and % in English.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from . import style

# Thresholds in million yen.
_TRILLION = Decimal(1_000_000)
_HUNDRED_MILLION = Decimal(100)
_BILLION = Decimal(1_000)
_TEN_THOUSAND_YEN = Decimal("0.01")  # 1万円 in million yen


def missing(value) -> bool:
    """None, NaN and pandas' NA alike: a cell the report prints as －."""
    return value is None or bool(pd.isna(value))


def round_half_up(value, places: int = 1) -> Decimal:
    q = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(q, rounding=ROUND_HALF_UP)


def _num(d: Decimal, places: int) -> str:
    return f"{round_half_up(d, places):,.{places}f}"


def money(mjpy, lang: str, approx: bool = False) -> str:
    """A headline amount: 約7.6兆円 / about ¥7.6 trillion; 1,151億円 / ¥115.1 billion; 5億2,000万円
    / ¥520 million; below 1億円, 1,700万円 / ¥17 million. Both languages round to the same step
    (¥0.1 trillion, ¥0.1 billion = 1億円, ¥1 million = 100万円)."""
    if missing(mjpy):
        return "－" if lang == "ja" else "–"
    v = Decimal(str(mjpy))
    sign, a = ("-" if v < 0 else ""), abs(v)
    if lang == "ja":
        if round_half_up(a / _TRILLION, 1) >= 1:
            body = f"{_num(a / _TRILLION, 1)}兆円"
        elif round_half_up(a / _BILLION, 1) >= 1:
            body = f"{_num(a / _HUNDRED_MILLION, 0)}億円"
        elif round_half_up(a, 0) >= _HUNDRED_MILLION:
            # Where English says ¥520 million, Japanese keeps the same step: 5億2,000万円, not
            # 5億円, so both languages state the same amount.
            oku, man = divmod(int(round_half_up(a, 0)), 100)
            body = f"{oku:,}億" + (f"{man * 100:,}万円" if man else "円")
        elif round_half_up(a / _TEN_THOUSAND_YEN, 0) >= 1:
            body = f"{_num(a / _TEN_THOUSAND_YEN, 0)}万円"
        else:
            body, sign = "0円", ""
        return ("約" if approx else "") + ("△" if sign else "") + body
    if round_half_up(a / _TRILLION, 1) >= 1:
        body = f"¥{_num(a / _TRILLION, 1)} trillion"
    elif round_half_up(a / _BILLION, 1) >= 1:
        body = f"¥{_num(a / _BILLION, 1)} billion"
    else:
        body = f"¥{_num(a, 0)} million"
    return ("about " if approx else "") + sign + body


def exact(mjpy, lang: str) -> str:
    """An amount to the million yen, as a sentence states it: 7兆6,023億9,800万円 (the report's
    own long form, never 7,602,398百万円) / ¥7,602,398 million."""
    if missing(mjpy):
        return "－" if lang == "ja" else "–"
    v = int(mjpy)
    if lang != "ja":
        return ("-" if v < 0 else "") + f"¥{abs(v):,} million"
    man = abs(v) * 100  # in 万円
    parts = [(man // 100_000_000, "兆"), (man // 10_000 % 10_000, "億"), (man % 10_000, "万")]
    body = "".join(f"{n:,}{unit}" for n, unit in parts if n)
    return ("△" if v < 0 else "") + (body + "円" if body else "0円")


def oku(value, lang: str, approx: bool = False) -> str:
    """An amount the report states in 億円 (約83億円, 約0.4億円), kept to its printed digits:
    about ¥8.3 billion, about ¥0.04 billion (1億円 is ¥0.1 billion)."""
    if missing(value):
        return "－" if lang == "ja" else "–"
    d = Decimal(str(value))
    if lang == "ja":
        return ("約" if approx else "") + f"{_trim(d)}億円"
    return ("about " if approx else "") + f"¥{_trim(d / 10)} billion"


def mjpy(value, lang: str) -> str:
    """A table cell in million yen, as the report prints it (△ for minus in Japanese)."""
    if missing(value):
        return "－" if lang == "ja" else "–"
    v = int(value)
    return style.signed(f"{abs(v):,}", v < 0, lang, plus=False)


def pct(value, lang: str, signed: bool = False) -> str:
    """One decimal, half up: 50.6％ / 50.6%; a negative value △4.4％ / -4.4%; with `signed`, a
    rise +312.3％ / +312.3%."""
    if missing(value):
        return "－" if lang == "ja" else "–"
    d = round_half_up(value, 1)
    if d == 0:
        d = abs(d)  # never "-0.0%"
    return style.signed(f"{abs(d):,.1f}{style.percent(lang)}", d < 0, lang, plus=signed and d > 0)


def number(value, lang: str, places: int = 0, signed: bool = False) -> str:
    """A plain figure with thousands commas, △ for minus in Japanese (a point change: △42.4)."""
    if missing(value):
        return "－" if lang == "ja" else "–"
    d = round_half_up(value, places)
    if d == 0:
        d = abs(d)
    return style.signed(f"{abs(d):,.{places}f}", d < 0, lang, plus=signed and d > 0)


def change(value, lang: str) -> str:
    """A change as a sentence says it: 3.8％増 / 4.4％減 (never a signed figure with 増/減),
    up 3.8% / down 4.4%."""
    if missing(value):
        return "－" if lang == "ja" else "–"
    d = round_half_up(value, 1)
    body = pct(abs(d), lang)
    if d == 0:
        return "横ばい" if lang == "ja" else "unchanged"
    if lang == "ja":
        return body + ("増" if d > 0 else "減")
    return ("up " if d > 0 else "down ") + body


def change_pct(current, previous):
    """Year-on-year change in percent, as the report's 対前期増減率; None where undefined."""
    if missing(current) or missing(previous) or previous == 0:
        return None
    return (Decimal(str(current)) - Decimal(str(previous))) / abs(Decimal(str(previous))) * 100


_CURRENCY_JA = {"USD": "米ドル", "JPY": "円", "TWD": "台湾ドル", "EUR": "ユーロ"}
_CURRENCY_EN = {"USD": "US$", "JPY": "¥", "TWD": "NT$", "EUR": "€"}


def _trim(d: Decimal) -> str:
    text = f"{d:,.2f}".rstrip("0").rstrip(".")
    return text


def foreign(amount, currency: str, lang: str, approx: bool = False) -> str:
    """An amount in its own currency, as the report states it (約5.2億米ドル / about US$520 million).

    No conversion to yen: the report gives no exchange rates for these projects.
    """
    a = Decimal(int(amount))
    if lang == "ja":
        # The report states every project amount in 億 units, even 0.04億米ドル.
        body = f"{_trim(a / 100_000_000)}億{_CURRENCY_JA[currency]}"
        return ("約" if approx else "") + body
    if a >= 1_000_000_000:
        body = f"{_CURRENCY_EN[currency]}{_trim(a / 1_000_000_000)} billion"
    else:
        body = f"{_CURRENCY_EN[currency]}{_trim(a / 1_000_000)} million"
    return ("about " if approx else "") + body


def yen(amount: int, lang: str) -> str:
    """A small amount in yen, as the SME cases state them (約3,000万円 / ¥30 million)."""
    a = Decimal(int(amount))
    if lang == "ja":
        return f"{_trim(a / 10_000)}万円"
    return f"¥{_trim(a / 1_000_000)} million"
