"""How each kind of figure reads, decided once: in a table cell, on a chart's axis, in its hover
and in a sentence. The kind comes from a column's name, as Evidence chooses a format by suffix:

    fiscal_year, year, *_year, announced_fy, joined_fy   a year: 2024, never 2,024
    *_pct       a percentage, one decimal (whole when stored as integers: the report's 14%)
    *_mjpy      an amount in million yen (百万円, the report's unit); charts draw it in
                100-million yen (億円) in Japanese and ¥ billion in English
    other integers                                       a count, with thousands separators
    other floats      one decimal, or none where every value is whole (a count pandas summed)

In sentences the words come from fmt (約1,151億円 / about ¥115.1 billion, 14.1％ / 14.1%), the
signs from style (△ and ％ in Japanese). Tables, charts, describe, findings and the press kit all
ask this module, so the same figure reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import fmt

YEAR_COLUMNS = frozenset({"fiscal_year", "year", "announced_fy", "joined_fy"})


@dataclass(frozen=True)
class Format:
    name: str
    cell: str  # str.format pattern for a table cell
    tick: str  # d3 format for a chart axis
    said: Callable | None  # fmt's wording in a sentence: (value, lang) -> str
    places: int | None = None  # decimals a cell keeps, rounded half-up as the report rounds

    def text(self, value) -> str:
        """A cell's text. Floats are rounded half-up first: Python's format would round 1.25
        to 1.2 (half-even on the binary value) where the report prints 1.3."""
        if self.places is not None and isinstance(value, float):
            value = float(fmt.round_half_up(value, self.places))
        return self.cell.format(value)


YEAR = Format("year", "{:d}", "d", None)
PCT = Format("pct", "{:,.1f}", ",.1f", fmt.pct, 1)
PCT_WHOLE = Format("pct", "{:,d}", ",.0f", fmt.pct)
AMOUNT = Format("mjpy", "{:,.0f}", ",.0f", lambda v, lang: fmt.money(v, lang, approx=True), 0)
COUNT = Format("count", "{:,d}", ",d", fmt.number)
WHOLE = Format("number", "{:,.0f}", ",.0f", fmt.number, 0)
DECIMAL = Format("number", "{:,.1f}", ",.1f", lambda v, lang: fmt.number(v, lang, 1), 1)


UNITS = {"mjpy": AMOUNT, "pct": PCT, "count": COUNT}  # a sentence's figure by its unit


def for_column(name: str, kind: str, values: list = ()) -> Format | None:
    """The format of a column from its name and its dtype's kind (numpy's `dtype.kind`);
    None for text."""
    if name in YEAR_COLUMNS or name.endswith("_year"):
        return YEAR if kind in "iuf" else None
    if name.endswith("_pct"):
        return PCT_WHOLE if kind in "iu" else PCT
    if name.endswith(("_mjpy", "_jpy")):
        return AMOUNT
    if kind in "iu":
        return COUNT
    if kind == "f":
        whole = all(fmt.missing(v) or float(v).is_integer() for v in values)
        return WHOLE if whole else DECIMAL
    return None


# -- amounts on charts -------------------------------------------------------------------------
# A chart draws million yen in a unit a reader of its language counts in.
AXIS_UNITS = {"ja": (100, "億円"), "en": (1000, "¥ billion")}
AXIS_TICK = AMOUNT.tick  # whole 億円 / whole ¥ billion on the axis
AXIS_TICK_SIGNED = "+" + AXIS_TICK  # a change, its sign always shown


def axis_value(mjpy, lang: str):
    return mjpy / AXIS_UNITS[lang][0]


def axis_unit(lang: str) -> str:
    return AXIS_UNITS[lang][1]


def axis_hover(lang: str, var: str, signed: bool = False) -> str:
    """A Plotly hover placeholder for an axis amount: 1,151億円 / ¥115.1 billion (the hover is
    one step finer than the axis in English, as fmt.money is)."""
    sign = "+" if signed else ""
    if lang == "en":
        return f"¥%{{{var}:{sign},.1f}} billion"
    return f"%{{{var}:{sign},.0f}}億円"
