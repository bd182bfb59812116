"""Sentences that know where their numbers come from.

A generated sentence (a chart summary, a press sentence, a finding, a slide's text) is a `Prose`:
a `str` that also carries the `Fig`s it prints. A `Fig` is one number as written ("約1,151億円",
"about ¥115.1 billion", "18.5％") with the exact value behind it, its unit, and where the value
comes from:

- a cell of a table in the database (`Fig.cell`: table, key columns, value column), or
- a cell of the chart's own data (`Fig.chart`: column and row label), the table a reader
  downloads beside the chart, or
- an operation on other figures (`Fig.derived`: sum, diff, change_pct, share, ratio, count), each
  input itself a Fig.

`said(lang, key, **values)` fills an i18n template: a Fig value prints as its text, a Prose value
brings its figures along. `tests/test_provenance.py` reads every sentence back: each number in
the text must be the printed form of one of its figures (a number with no figure fails), each
figure's text must be its value at the stated rounding, each derived value must follow from its
inputs, and each cell must hold the value in the database or in the chart's data.

Plain Python: no Streamlit, no database (the test does the looking up).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from . import fmt, i18n

# The operations a derived figure may be made by; the provenance test recomputes each.
OPS = ("sum", "diff", "abs_diff", "change_pct", "share", "ratio_pct", "points", "count", "max")


@dataclass(frozen=True)
class Fig:
    value: Decimal  # exact, in `unit`
    unit: str  # mjpy | oku (億円 as the report states it) | tjpy | pct | pp | count | yen
    text: str  # as the sentence prints it
    source: tuple  # ("cell", table, ((col, val), ...), column) | ("chart", column, label) | ("op", op)
    inputs: tuple = ()

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)

    def __str__(self) -> str:
        return self.text

    # -- constructors ------------------------------------------------------------------------
    @staticmethod
    def cell(value, unit: str, text: str, table: str, key: dict, column: str) -> "Fig":
        """A table cell; unit "text" for a cell printed as it stands (a capital of
        1,693億5,232万4,369円), checked against the cell word for word."""
        value = str(value) if unit == "text" else _dec(value)
        return Fig(value, unit, text, ("cell", table, tuple(sorted(key.items())), column))

    @staticmethod
    def chart(value, unit: str, text: str, column: str, label=None) -> "Fig":
        return Fig(_dec(value), unit, text, ("chart", column, label))

    @staticmethod
    def derived(op: str, value, unit: str, text: str, *inputs: "Fig") -> "Fig":
        if op not in OPS:
            raise ValueError(f"unknown operation {op!r}")
        return Fig(_dec(value), unit, text, ("op", op), tuple(inputs))

    def leaves(self) -> Iterable["Fig"]:
        if self.source[0] == "op":
            for f in self.inputs:
                yield from f.leaves()
        else:
            yield self

    def where(self) -> str:
        """Where the figure comes from, for a reader: a speaker note, a test's message."""
        kind, shown = self.source[0], _show(self.value)
        if kind == "cell":
            _, table, key, column = self.source
            keys = ", ".join(f"{k}={v}" for k, v in key)
            return f"{table} [{keys}] {column} = {shown}"
        if kind == "chart":
            return f"chart data {self.source[1]} [{self.source[2]}] = {shown}"
        if kind == "report":
            return f"the report, {self.source[1]}: 「{self.source[2]}」"
        return f"{self.source[1]}({'; '.join(f.where() for f in self.inputs)}) = {shown}"


def _show(value) -> str:
    """A value as a note shows it: 115,097; 39.2815 (four places are enough to check a
    rounding to one)."""
    if not isinstance(value, Decimal):
        return str(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.4f}"


def _dec(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


class Prose(str):
    """A sentence and the figures it prints."""

    figs: tuple[Fig, ...]

    def __new__(cls, text: str, figs: Iterable[Fig] = ()):
        self = super().__new__(cls, text)
        self.figs = tuple(figs)
        return self

    def __add__(self, other):
        return join((self, other), "")


def said(lang: str, key: str, **values) -> Prose:
    """An i18n template filled with figures (printed as their text), sentences (whose figures
    come along) and plain words."""
    figs: list[Fig] = []
    used = {field for _, field, _, _ in string.Formatter().parse(i18n.translate(lang, key))
            if field}
    for name, value in values.items():
        if name not in used:
            continue
        if isinstance(value, Fig):
            figs.append(value)
        elif isinstance(value, Prose):
            figs.extend(value.figs)
    return Prose(i18n.translate(lang, key, **values), figs)


def join(parts: Iterable, sep: str = " ") -> Prose:
    parts = [p for p in parts if p]
    figs = [f for p in parts if isinstance(p, Prose) for f in p.figs]
    return Prose(sep.join(str(p) for p in parts), figs)


# -- figures as the formatters word them ------------------------------------------------------
def money(value, lang: str, source: Fig | None = None, *, approx: bool = True, **where) -> Fig:
    """An amount in million yen worded as fmt.money words it. `where` is `table=, key=,
    column=` for a database cell, or `chart=column, label=` for a chart data cell."""
    return _make(value, "mjpy", fmt.money(value, lang, approx=approx), **where)


def pct(value, lang: str, *, signed: bool = False, **where) -> Fig:
    return _make(value, "pct", fmt.pct(value, lang, signed=signed), **where)


def count(value, lang: str, **where) -> Fig:
    return _make(value, "count", f"{int(value):,}", **where)


def _make(value, unit: str, text: str, *, table: str | None = None, key: dict | None = None,
          column: str | None = None, chart: str | None = None, label=None,
          op: str | None = None, inputs: tuple = ()) -> Fig:
    if op is not None:
        return Fig.derived(op, value, unit, text, *inputs)
    if table is not None:
        return Fig.cell(value, unit, text, table, key or {}, column or "amount_mjpy")
    if chart is not None:
        return Fig.chart(value, unit, text, chart, label)
    raise ValueError("a figure needs a source: a table cell, a chart cell or an operation")


# -- reading a sentence back (used by the provenance test) ------------------------------------
# Years are not figures of the data: FY2024, 2024年度, 2025年3月末, 31 March 2025, since 2001.
_YEAR = re.compile(
    r"FY\d{4}(?:[–-]\d{2,4})?|\d{4}年\d{1,2}月(?:末|\d{1,2}日)?|\d{4}年度?"
    r"|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{4}|(?<!\d)(?<!\d[,.])(?:19|20)\d{2}(?!\d|[,.]\d)")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")

# What one unit of the printed number is worth in the figure's unit.
_SCALE = (
    ("兆円", "mjpy", Decimal(1_000_000)), ("億円", "mjpy", Decimal(100)),
    ("百万円", "mjpy", Decimal(1)), ("万円", "mjpy", Decimal("0.01")),
    (" trillion", "mjpy", Decimal(1_000_000)), (" billion", "mjpy", Decimal(1_000)),
    (" million", "mjpy", Decimal(1)),
    # Amounts the report states in 億円 (recoveries by country): ¥1 billion is 10億円.
    ("億円", "oku", Decimal(1)), (" billion", "oku", Decimal(10)),
)


def numbers(text: str) -> list[tuple[int, int, str]]:
    """Every number in a text that is not part of a year: (start, end, digits)."""
    years = [m.span() for m in _YEAR.finditer(text)]
    out = []
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in years):
            continue
        out.append((m.start(), m.end(), m.group()))
    return out


_JA_PARTS = re.compile(r"(\d[\d,]*)(兆|億|万)")
_JA_UNIT = {"兆": Decimal(1_000_000), "億": Decimal(100), "万": Decimal("0.01")}


def parse(fig: Fig) -> tuple[Decimal, Decimal]:
    """The value a figure's text states, in the figure's unit, and half its rounding step:
    "約1,151億円" -> (115100, 50); "18.5％" -> (18.5, 0.05); "5億2,000万円" -> (520, 0.005)."""
    parts = _JA_PARTS.findall(fig.text) if fig.unit == "mjpy" else []
    if len(parts) > 1:  # a Japanese amount in several units: 7兆6,023億9,800万円
        value = sum(Decimal(n.replace(",", "")) * _JA_UNIT[u] for n, u in parts)
        negative = "△" in fig.text or "-" in fig.text
        return (-value if negative else value), _JA_UNIT[parts[-1][1]] / 2
    found = _NUMBER.findall(fig.text)
    if len(found) != 1:
        raise ValueError(f"{fig.text!r}: one number expected, found {found}")
    digits = found[0].replace(",", "")
    number = Decimal(digits)
    places = len(digits.split(".")[1]) if "." in digits else 0
    step = Decimal(1).scaleb(-places)
    scale = Decimal(1)
    for word, unit, factor in _SCALE:
        if unit == fig.unit and word in fig.text:
            scale = factor
            break
    negative = fig.text.lstrip("約about ").startswith(("△", "-", "−"))
    value = -number if negative else number
    return value * scale, step * scale / 2


def check(fig: Fig) -> str | None:
    """Why the figure's text does not state its value at its rounding, or None."""
    stated, half = parse(fig)
    value = fig.value
    if fig.unit in ("pct", "pp") and stated < 0 < value:
        return f"{fig.text!r} has a minus sign, its value {value} is positive"
    if abs(abs(stated) - abs(value)) > half:
        return f"{fig.text!r} states {stated}, its value is {value}"
    return None


def recompute(fig: Fig) -> Decimal | None:
    """A derived figure's value worked out again from its inputs (None for a leaf)."""
    if fig.source[0] != "op":
        return None
    op, xs = fig.source[1], [f.value for f in fig.inputs]
    if op == "sum":
        return sum(xs, Decimal(0))
    if op == "diff":
        return xs[0] - xs[1]
    if op == "abs_diff":
        return abs(xs[0] - xs[1])
    if op == "change_pct":
        return (xs[0] - xs[1]) / abs(xs[1]) * 100
    if op == "share":
        return xs[0] / sum(xs[1:], Decimal(0)) * 100
    if op == "ratio_pct":
        return xs[0] / xs[1] * 100
    if op == "points":
        return fmt.round_half_up(xs[0], 1) - fmt.round_half_up(xs[1], 1)
    if op == "count":
        return Decimal(len(xs))
    if op == "max":
        return max(xs)
    raise ValueError(op)


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= Decimal("1e-9") * max(Decimal(1), abs(b))


def problems(text: Prose, lookup=None, chart=None, report: str | None = None) -> list[str]:
    """Everything wrong with a sentence's numbers, for the provenance test:

    - a number in the text that no figure prints (no provenance);
    - a figure whose text is not its value at the text's rounding;
    - a derived figure whose value does not follow from its inputs;
    - a database cell (`lookup(table, key, column)`) or a chart data cell (`chart`, a
      DataFrame) that does not hold the figure's value; a statement of the report (`report`,
      its text) that it does not make.
    """
    out: list[str] = []
    if not isinstance(text, Prose):
        return [f"{text!r}: plain text, not a Prose with figures"]
    covered: list[tuple[int, int]] = []
    shown = None if chart is None else chart.astype(str)  # to find a row by its label
    for fig in text.figs:
        start = 0
        while fig.text and (i := text.find(fig.text, start)) >= 0:
            covered.append((i, i + len(fig.text)))
            start = i + 1
    for a, b, digits in numbers(text):
        if not any(x <= a and b <= y for x, y in covered):
            out.append(f"{digits!r} in …{str(text)[max(0, a - 30):b + 30]!r}… has no figure")
    for fig in text.figs:
        if fig.text and fig.text not in text:
            out.append(f"{fig.text!r} is not in {str(text)!r}")
        if fig.text and fig.unit != "text" and _NUMBER.search(fig.text):
            why = check(fig)
            if why:
                out.append(why)
        out += _source_problems(fig, lookup, chart, report, shown)
    return out


def _source_problems(fig: Fig, lookup, chart, report, shown=None) -> list[str]:
    kind = fig.source[0]
    if kind == "op":
        again = recompute(fig)
        found = [] if _close(abs(fig.value), abs(again)) else [
            f"{fig.text!r}: {fig.source[1]} of its inputs is {again}, not {fig.value}"]
        for f in fig.inputs:
            found += _source_problems(f, lookup, chart, report, shown)
        return found
    if kind == "cell":
        if lookup is None:
            return [f"{fig.text!r}: a database cell, and no database to look in"]
        _, table, key, column = fig.source
        held = lookup(table, dict(key), column)
        if fig.unit == "text":
            return [] if str(held) == fig.value == fig.text else [
                f"{fig.text!r}: {table} {dict(key)} {column} holds {held!r}"]
        if held is None or not _close(_dec(held), fig.value):
            return [f"{fig.text!r}: {table} {dict(key)} {column} holds {held}, not {fig.value}"]
        return []
    if kind == "chart":
        if chart is None:
            return [f"{fig.text!r}: a chart cell outside a chart"]
        _, column, label = fig.source
        if column not in chart.columns:
            return [f"{fig.text!r}: the chart's data has no column {column!r}"]
        rows = chart
        if label is not None:
            labelled = chart[shown.eq(str(label)).any(axis=1)]
            rows = labelled if not labelled.empty else chart
        values = [_dec(x) for x in rows[column].dropna()]
        if not any(_close(x, fig.value) for x in values):
            return [f"{fig.text!r}: no row {label!r} of the chart's {column} holds {fig.value}"]
        return []
    if kind == "rows":
        if chart is None:
            return [f"{fig.text!r}: a count of chart rows outside a chart"]
        _, distinct, where = fig.source
        part = chart
        for column, value in where:
            part = part[part[column] == value]
        n = part[distinct].nunique()
        return [] if n == fig.value else [f"{fig.text!r}: the chart holds {n}"]
    if kind == "report":
        _, section, quote = fig.source
        if report is not None and re.sub(r"\s+", "", quote) not in report:
            return [f"{fig.text!r}: the report does not say {quote!r} ({section})"]
        return []
    return [f"{fig.text!r}: unknown source {fig.source!r}"]
