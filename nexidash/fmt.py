"""Money and percentages as a reader of each language expects them.

Amounts arrive in million yen (the report's 百万円). Japanese reads 兆円 / 億円 / 百万円, English
reads ¥ trillion / billion / million. Rounding is half-up on the exact value, as the report
rounds, and a value that rounds up to the next unit moves to that unit (never `10,000億円`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

# Thresholds in million yen.
_TRILLION = Decimal(1_000_000)
_HUNDRED_MILLION = Decimal(100)
_BILLION = Decimal(1_000)


def missing(value) -> bool:
    """None, NaN and pandas' NA alike: a cell the report prints as －."""
    return value is None or bool(pd.isna(value))


def round_half_up(value, places: int = 1) -> Decimal:
    q = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(q, rounding=ROUND_HALF_UP)


def _num(d: Decimal, places: int) -> str:
    return f"{round_half_up(d, places):,.{places}f}"


def money(mjpy, lang: str, approx: bool = False) -> str:
    """A headline amount: 約7.6兆円 / about ¥7.6 trillion; 1,151億円 / ¥115.1 billion."""
    if missing(mjpy):
        return "－" if lang == "ja" else "–"
    v = Decimal(str(mjpy))
    sign, a = ("-" if v < 0 else ""), abs(v)
    if lang == "ja":
        if round_half_up(a / _TRILLION, 1) >= 1:
            body = f"{_num(a / _TRILLION, 1)}兆円"
        elif round_half_up(a, 0) >= _HUNDRED_MILLION:
            body = f"{_num(a / _HUNDRED_MILLION, 0)}億円"
        else:
            body = f"{_num(a, 0)}百万円"
        return ("約" if approx else "") + ("△" if sign else "") + body
    if round_half_up(a / _TRILLION, 1) >= 1:
        body = f"¥{_num(a / _TRILLION, 1)} trillion"
    elif round_half_up(a / _BILLION, 1) >= 1:
        body = f"¥{_num(a / _BILLION, 1)} billion"
    else:
        body = f"¥{_num(a, 0)} million"
    return ("about " if approx else "") + sign + body


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
    if lang == "ja" and v < 0:
        return f"△{abs(v):,}"
    return f"{v:,}"


def pct(value, lang: str, signed: bool = False) -> str:
    if missing(value):
        return "－" if lang == "ja" else "–"
    d = round_half_up(value, 1)
    if d == 0:
        d = abs(d)  # never "-0.0%"
    if signed and lang == "ja" and d < 0:
        return f"△{abs(d):,.1f}%"
    if signed and d > 0:
        return f"+{d:,.1f}%"
    return f"{d:,.1f}%"


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
