"""One sentence that says what a chart shows, generated from the chart's own figures.

It is the chart's text alternative (a screen reader reads it instead of the picture), and the
line under the chart's title for everyone. Amounts are worded as the press sentences word them
(約3.8兆円 / about ¥3.8 trillion); shares and changes are the queries' own.

Every number is a prose.Fig whose source is a cell of the chart's own data (the values passed
in are its columns, named by the Series' name) or an operation on such cells, so the provenance
test can find each one in the table a reader downloads beside the chart.

Plain functions of a View and the chart's rows: no Streamlit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from . import fmt, formats, prose
from .prose import Fig, Prose

if TYPE_CHECKING:
    from .view import View


def _column(values) -> str:
    return getattr(values, "name", None) or "value"


def _word(v: View, unit: str, column: str):
    """A value of the chart's data, worded for a sentence, with its row's label."""
    unit = unit if unit in formats.UNITS else "mjpy"
    said = formats.UNITS[unit].said
    if unit == "count":
        return lambda x, label=None: Fig.chart(int(x), unit, said(int(x), v.lang), column, label)
    return lambda x, label=None: Fig.chart(x, unit, said(x, v.lang), column, label)


def what(v: View, label: str, when: str) -> str:
    """What a sentence is about: "Claims paid, FY2024" / 支払保険金（2024年度）."""
    return v.t("describe.what", what=label, when=when)


def largest(v: View, what: str, names: Sequence, values: Sequence, shares: Sequence | None = None,
            unit: str = "money", figs: Sequence[Fig] | None = None) -> Prose:
    """The two largest parts: "Underwriting, FY2024: largest in Asia, about ¥3.8 trillion
    (50.6%), followed by the Middle East, about ¥860 billion (11.4%)."""
    shares = [None] * len(names) if shares is None else shares
    rows = sorted(((n, x, s) for n, x, s in zip(names, values, shares) if not fmt.missing(x)),
                  key=lambda r: -r[1])
    if not rows:
        return prose.said(v.lang, "describe.none", what=what)
    word = _word(v, unit, _column(values))
    if figs is not None:  # the values as figures of their own (sums of the chart's cells)
        by_value = dict(zip(names, figs))
        word = lambda x, label: by_value[label]  # noqa: E731
    share_col = _column(shares)
    share = lambda s, n: "" if fmt.missing(s) else prose.said(  # noqa: E731
        v.lang, "describe.share", share=Fig.chart(s, "pct", fmt.pct(s, v.lang), share_col, n))
    # (the name as the sentence says it, value, share, the row's label in the chart's data)
    rows = [(_name(v, n), x, s, n) for n, x, s in rows]
    first = rows[0]
    if len(rows) == 1:
        return prose.said(v.lang, "describe.only", what=what, first=first[0],
                          amount=word(first[1], first[3]), share=share(first[2], first[3]))
    second = rows[1]
    return prose.said(v.lang, "describe.largest", what=what, first=first[0],
                      amount=word(first[1], first[3]), share=share(first[2], first[3]),
                      second=second[0], amount2=word(second[1], second[3]),
                      share2=share(second[2], second[3]))


def _name(v: View, name) -> str:
    """A row's name as it enters a sentence: "the Middle East" in English (style.en_name)."""
    return v.said(name) if isinstance(name, str) else name


def span(v: View, what: str, years: Sequence, values: Sequence, unit: str = "money",
         figs: Sequence[Fig] | None = None) -> Prose:
    """First year to last, with the change and the highest year: "Claims paid went from about
    ¥53.0 billion in FY2020 to about ¥115.1 billion in FY2024 (+117.2%); the highest was …".

    `figs`, when given, are the values as figures of their own source (a database cell, such
    as the report's printed total), instead of cells of the chart's data."""
    word = _word(v, unit, _column(values))
    given = list(figs) if figs is not None else [word(x, int(y)) if not fmt.missing(x) else None
                                                 for y, x in zip(years, values)]
    rows = sorted((int(y), f) for y, f in zip(years, given) if f is not None)
    if not rows:
        return prose.said(v.lang, "describe.none", what=what)
    (y0, a), (y1, b) = rows[0], rows[-1]
    top_year, top = max(rows, key=lambda r: (r[1].value, r[0]))
    change = fmt.change_pct(b.value, a.value)
    return prose.said(
        v.lang, "describe.span", what=what, fy0=v.fy(y0), a=a, fy1=v.fy(y1), b=b,
        change="" if change is None else _direction(v, Fig.derived(
            "change_pct", change, "pct", fmt.pct(abs(change), v.lang), b, a)),
        top_fy=v.fy(top_year), top=top)


def moves(v: View, what: str, names: Sequence, changes: Sequence, amounts: Sequence) -> Prose:
    """The largest rise and the largest fall between two years (amounts are the changes)."""
    rows = [(n, c, a) for n, c, a in zip(names, changes, amounts) if not fmt.missing(a)]
    if not rows:
        return prose.said(v.lang, "describe.none", what=what)
    up = max(rows, key=lambda r: r[2])
    down = min(rows, key=lambda r: r[2])
    amount_col, change_col = _column(amounts), _column(changes)
    # The words say which way (増/減, up/down): the rate is given without a sign.
    pct = lambda c, n: "" if fmt.missing(c) else prose.said(  # noqa: E731
        v.lang, "describe.rate", change=Fig.chart(c, "pct", fmt.pct(abs(c), v.lang), change_col, n))
    gap = lambda a, n: Fig.chart(a, "mjpy", fmt.money(abs(a), v.lang, approx=True),  # noqa: E731
                                 amount_col, n)
    parts = {"what": what, "up": _name(v, up[0]), "up_amount": gap(up[2], up[0]),
             "up_change": pct(up[1], up[0]), "down": _name(v, down[0]),
             "down_amount": gap(down[2], down[0]), "down_change": pct(down[1], down[0])}
    if up[2] > 0 and down[2] < 0:
        return prose.said(v.lang, "describe.moves", **parts)
    return prose.said(v.lang, "describe.moves_up" if up[2] > 0 else "describe.moves_down",
                      **parts)


def _direction(v: View, change: Fig) -> Prose:
    """A change worded by its direction, as the press sentences word it: （23.7％増）,
    (up 23.7%); the figure's text is the rate without a sign."""
    return prose.said(v.lang, "describe.up" if change.value >= 0 else "describe.down",
                      change=change)


def cell(v: View, value, column: str, label, unit: str = "money", signed: bool = True) -> Fig:
    """One value of the chart's data for a sentence of the page's own. `signed=False` words an
    amount without its sign, where the sentence's words carry it ("claims paid of")."""
    if unit == "money":
        shown = value if signed else abs(value)
        return Fig.chart(value, "mjpy", fmt.money(shown, v.lang, approx=True), column, label)
    return _word(v, unit, column)(value, label)


def rows(data, distinct: str = "ref", **where) -> Fig:
    """How many distinct `distinct` values the chart's data holds where each column equals its
    value (the projects of one kind on a map)."""
    part = data
    for column, value in where.items():
        part = part[part[column] == value]
    n = int(part[distinct].nunique())
    return Fig(prose._dec(n), "count", f"{n:,}", ("rows", distinct, tuple(sorted(where.items()))))


def sums(v: View, data, by: str, column: str, unit: str = "count") -> tuple[list, list]:
    """The chart's cells summed by one of its columns: (labels, figures), each figure the sum
    of the cells it adds up (the agreements signed in a year, over their kinds)."""
    labels, figs = [], []
    for label, part in data.dropna(subset=[column]).groupby(by, sort=True):
        cells = [Fig.chart(x, unit, "", column, label) for x in part[column]]
        total = sum(c.value for c in cells)
        text = f"{int(total):,}" if unit == "count" else fmt.money(total, v.lang, approx=True)
        labels.append(label)
        figs.append(Fig.derived("sum", total, unit, text, *cells))
    return labels, figs


def whole_span(v: View, label: str, rows, measure: str, risk: str) -> Prose:
    """The trend of a breakdown's whole. The report's printed total where it prints one: the
    regions' figures add up to more than the total (a policy counts in both the destination
    and the paying country, the report's note 2), so their sum is never called the total.
    Elsewhere, the sum of the chart's cells, worded as such."""
    from . import press

    printed = v.q("headline_totals")
    printed = printed[(printed["measure"] == measure) & (printed["risk"] == risk)]
    if not printed.empty:
        figs = [press.total(v, measure, int(y), a)
                for y, a in zip(printed["fiscal_year"], printed["amount_mjpy"])]
        return span(v, v.t("describe.total_of", what=label), printed["fiscal_year"],
                    printed["amount_mjpy"], figs=figs)
    years, figs = [], []
    for year, part in rows.dropna(subset=["amount_mjpy"]).groupby("fiscal_year"):
        cells = [Fig.chart(a, "mjpy", "", "amount_mjpy", int(year)) for a in part["amount_mjpy"]]
        total = sum(c.value for c in cells)
        years.append(int(year))
        figs.append(Fig.derived("sum", total, "mjpy", fmt.money(total, v.lang, approx=True),
                                *cells))
    return span(v, v.t("describe.sum_of", what=label), years, [f.value for f in figs],
                figs=figs)


def amount_card(v: View, label: str, cur: Fig, prev: Fig | None = None, **kw):
    """A measure card: the amount as a figure, and its change from `prev` (signed, as the
    card's arrow reads it) as a figure derived from both."""
    from .blocks import Metric

    delta = None
    if prev is not None and prev.value != 0:
        change = fmt.change_pct(cur.value, prev.value)
        text = fmt.pct(change, v.lang, signed=True)  # △ in Japanese: render sets the arrow
        delta = Prose(text, [Fig.derived("change_pct", change, "pct", text, cur, prev)])
    return Metric(label, Prose(cur.text, [cur]), delta=delta,
                  delta_description=v.t("overview.vs_prev") if delta is not None else None,
                  **kw)
