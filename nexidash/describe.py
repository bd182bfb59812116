"""One sentence that says what a chart shows, generated from the chart's own figures.

It is the chart's text alternative (a screen reader reads it instead of the picture), and the
line under the chart's title for everyone. Amounts are worded as the press sentences word them
(約3.8兆円 / about ¥3.8 trillion); shares and changes are the queries' own.

Plain functions of a View and the chart's rows: no Streamlit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from . import fmt

if TYPE_CHECKING:
    from .view import View


def _money(v: View, mjpy) -> str:
    return fmt.money(mjpy, v.lang, approx=True)


def _count(v: View, n) -> str:
    return v.t("describe.n", n=f"{int(n):,}")


def _word(v: View, unit: str):
    if unit == "count":
        return lambda x: _count(v, x)
    if unit == "pct":
        return lambda x: fmt.pct(x, v.lang)
    return lambda x: _money(v, x)


def what(v: View, label: str, when: str) -> str:
    """What a sentence is about: "Claims paid, FY2024" / 支払保険金（2024年度）."""
    return v.t("describe.what", what=label, when=when)


def largest(v: View, what: str, names: Sequence, values: Sequence, shares: Sequence | None = None,
            unit: str = "money") -> str:
    """The two largest parts: "Underwriting, FY2024: largest in Asia, about ¥3.8 trillion
    (50.6%), followed by the Middle East, about ¥860 billion (11.4%)."""
    rows = sorted(((n, x, s) for n, x, s in zip(names, values, [None] * len(names) if shares is None else shares)
                   if not fmt.missing(x)), key=lambda r: -r[1])
    if not rows:
        return v.t("describe.none", what=what)
    word = _word(v, unit)
    share = lambda s: "" if fmt.missing(s) else v.t("describe.share", share=fmt.pct(s, v.lang))  # noqa: E731
    first = rows[0]
    if len(rows) == 1:
        return v.t("describe.only", what=what, first=first[0], amount=word(first[1]),
                   share=share(first[2]))
    second = rows[1]
    return v.t("describe.largest", what=what, first=first[0], amount=word(first[1]),
               share=share(first[2]), second=second[0], amount2=word(second[1]),
               share2=share(second[2]))


def span(v: View, what: str, years: Sequence, values: Sequence, unit: str = "money") -> str:
    """First year to last, with the change and the highest year: "Claims paid went from about
    ¥53.0 billion in FY2020 to about ¥115.1 billion in FY2024 (+117.2%); the highest was …"."""
    rows = sorted((int(y), x) for y, x in zip(years, values) if not fmt.missing(x))
    if not rows:
        return v.t("describe.none", what=what)
    word = _word(v, unit)
    (y0, a), (y1, b) = rows[0], rows[-1]
    top_year, top = max(rows, key=lambda r: (r[1], r[0]))
    change = fmt.change_pct(b, a)
    return v.t("describe.span", what=what, fy0=v.fy(y0), a=word(a), fy1=v.fy(y1), b=word(b),
               change="" if change is None else
               v.t("describe.change", change=fmt.pct(change, v.lang, signed=True)),
               top_fy=v.fy(top_year), top=word(top))


def moves(v: View, what: str, names: Sequence, changes: Sequence, amounts: Sequence) -> str:
    """The largest rise and the largest fall between two years (amounts are the changes)."""
    rows = [(n, c, a) for n, c, a in zip(names, changes, amounts) if not fmt.missing(a)]
    if not rows:
        return v.t("describe.none", what=what)
    up = max(rows, key=lambda r: r[2])
    down = min(rows, key=lambda r: r[2])
    pct = lambda c: "" if fmt.missing(c) else v.t(  # noqa: E731
        "describe.change", change=fmt.pct(c, v.lang, signed=True))
    parts = {"what": what, "up": up[0], "up_amount": _money(v, abs(up[2])), "up_change": pct(up[1]),
             "down": down[0], "down_amount": _money(v, abs(down[2])),
             "down_change": pct(down[1])}
    if up[2] > 0 and down[2] < 0:
        return v.t("describe.moves", **parts)
    return v.t("describe.moves_up" if up[2] > 0 else "describe.moves_down", **parts)
