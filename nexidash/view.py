"""One page view's parameters, and the decisions every page shares: language, year, units.

A page's `build(view)` reads everything it needs from here. The view decides the language once
(`col("name")` is name_ja or name_en), the year (`year`, and `report_year` from the data), the
chart unit per language, and where each control's value comes from: the Streamlit renderer
binds controls to the URL, the static edition fixes them per file. Nothing here imports
Streamlit.
"""

from __future__ import annotations

import calendar
import threading
from collections import OrderedDict
from functools import cached_property
from typing import Callable

import pandas as pd

from . import db, formats, i18n, style, urls
from .blocks import Control

# English month names, independent of the machine's locale.
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

# Chart axes: 億円 reads naturally in Japanese, ¥ billion in English. Tables keep 百万円.
_MEMO: OrderedDict = OrderedDict()
_MEMO_SIZE = 4096
_MEMO_LOCK = threading.Lock()


def plain_query(name: str, **params) -> pd.DataFrame:
    """A named query outside Streamlit (the edition, the press kit, the tests), remembered for
    the database file it ran on: building every page in both languages and every year asks the
    same few thousand questions many times over. Each caller gets its own copy."""
    key = (name, repr(sorted(params.items())), db.generation())
    with _MEMO_LOCK:
        found = _MEMO.get(key)
        if found is not None:
            _MEMO.move_to_end(key)
    if found is None:
        found = db.run(name, **params)
        with _MEMO_LOCK:
            _MEMO[key] = found
            if len(_MEMO) > _MEMO_SIZE:
                _MEMO.popitem(last=False)
    return found.copy()


class View:
    """What one page view is drawn for.

    `query` runs a named query (the Streamlit edge passes a cached one); `chooser` gives the
    value of a control (the URL's, in the app); `year`, when given, fixes the fiscal year (a
    static page is drawn for one year); `static_prefix` is where the browser finds static/ (the
    maps' boundaries).
    """

    def __init__(self, lang: str, year: int | None = None, *,
                 query: Callable[..., pd.DataFrame] = plain_query,
                 chooser: Callable[[Control], object] | None = None,
                 static_prefix: str = urls.APP + "/static/", fixed: dict | None = None,
                 linker: Callable[[str, str, dict], str] | None = None):
        self.lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
        self._query = query
        self._chooser = chooser
        self.static_prefix = static_prefix
        self.chosen: dict[str, object] = {}
        self.controls: dict[str, Control] = {}
        self.asked: list[tuple[Control, object]] = []  # every question, in order (pagememo)
        self._fixed = dict(fixed or {})
        if year is not None:
            self._fixed["year"] = int(year)
        self._linker = linker or urls.app_link

    @property
    def year(self) -> int:
        """The fiscal year the page shows: a control of the page itself (on a phone the sidebar
        is out of sight), so a page that reads the year places `year_control()` among its
        controls."""
        return self.choose(self.year_control())

    def year_control(self) -> Control:
        years = tuple(self.years)
        return Control("year", self.t("ui.fiscal_year"), years, self.report_year,
                       {y: self.fy(y) for y in years}, remember=True)

    # -- data ----------------------------------------------------------------------------------
    def q(self, name: str, **params) -> pd.DataFrame:
        """A named query's rows (a fresh copy: pages may add columns). The frame remembers the
        query and its parameters (`attrs["query"]`, which pandas carries through selections), so
        a chart's published metadata can name the query behind its numbers."""
        data = self._query(name, **params)
        data.attrs["query"] = {"name": name, "parameters": dict(sorted(params.items()))}
        return data

    @cached_property
    def years(self) -> list[int]:
        """The fiscal years the statistics cover, newest first."""
        return [int(y) for y in self.q("fiscal_years")["fiscal_year"]]

    @cached_property
    def report_year(self) -> int:
        """The year the report is for: the latest year of its own printed totals."""
        return int(self.q("report_year")["fiscal_year"].iloc[0])

    def choose(self, control: Control):
        """The value of a control for this view (its default when nothing chose another)."""
        if control.key in self._fixed:
            value = self._fixed[control.key]
        else:
            value = self._chooser(control) if self._chooser else control.default
        if value not in control.options:
            value = control.default
        self.chosen[control.key] = value
        self.controls[control.key] = control
        self.asked.append((control, value))
        return value

    # -- language ------------------------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        return i18n.translate(self.lang, key, **values)

    def col(self, stem: str) -> str:
        """The column holding `stem` in this view's language: col("name") is name_ja or name_en."""
        return f"{stem}_{self.lang}"

    @property
    def name(self) -> str:
        return self.col("name")

    def said(self, name: str, start: bool = False) -> str:
        """A country or region name as it enters a sentence of this language: "the Philippines"
        in English (style.en_name), the name itself in Japanese."""
        return style.name_in_sentence(name, self.lang, start)

    def fy(self, year: int) -> str:
        return self.t("ui.fy", year=year)

    def as_of(self, iso: str) -> str:
        """The date a count stands at, in the house style: a month ("2025-03") means its last
        day, as the report's 2025年3月末 does (2025年3月末現在 / As of 31 March 2025); a day
        ("2025-04-01") is itself (2025年4月1日現在 / As of 1 April 2025)."""
        year, month, *day = (int(p) for p in str(iso).split("-"))
        if day:
            return self.t("ui.as_of_day", year=year, month=month, day=day[0],
                          month_name=_MONTHS[month - 1])
        return self.t("ui.as_of_month_end", year=year, month=month,
                      day=calendar.monthrange(year, month)[1], month_name=_MONTHS[month - 1])

    def measure_label(self, measure: str) -> str:
        return self.t(f"measure.{measure}")

    # -- chart units ---------------------------------------------------------------------------
    def axis(self, mjpy):
        """Million yen converted to the chart unit of this language."""
        return formats.axis_value(mjpy, self.lang)

    @property
    def axis_unit(self) -> str:
        return formats.axis_unit(self.lang)

    def hover(self, var: str, signed: bool = False) -> str:
        """A Plotly hover placeholder for an axis amount: 1,151億円 / ¥115.1 billion."""
        return formats.axis_hover(self.lang, var, signed)

    def source_line(self, table: str) -> str | None:
        """Where a table's figures come from in the report, and their unit (from the catalog)."""
        entry = self.q("catalog_entry", table_name=table)
        if entry.empty:
            return None
        row = entry.iloc[0]
        unit = row[self.col("unit")]
        text = self.t("ui.source", year=self.report_year, section=row[self.col("source")])
        if unit and unit != "—":
            text += " · " + self.t("ui.unit", unit=unit)
        return text

    # -- links ---------------------------------------------------------------------------------
    def href(self, page: str, **params) -> str:
        """Where a link to another page's view goes: the app's page with its controls in the
        URL, or the static edition's file for that view."""
        return self._linker(self.lang, page, params)

    def country_href(self, iso3: str) -> str:
        return self.href("country", iso3=iso3)

    def term_href(self, term: str) -> str:
        """The glossary entry of a term (glossary.TERMS), in this view's language."""
        from . import glossary

        return f"{self.href('glossary')}#{glossary.anchor(term)}"

    def term_name(self, term: str) -> str:
        return self.t(f"glossary.term.{term}")

    def mentioned_countries(self) -> frozenset:
        """The countries the report names somewhere: each has a static country page."""
        index = self.q("country_index")
        return frozenset(index.loc[index["mentions"] > 0, "iso3"])

    # -- files ---------------------------------------------------------------------------------
    def geo_url(self, name: str) -> str:
        """Where the browser fetches a map's boundaries (published to static/ by the build)."""
        return urls.geo(self.static_prefix, name)

    def file_name(self, stem: str, ext: str) -> str:
        """A download's name: the report year, what it is, the language."""
        return f"nexi_fy{self.report_year}_{stem}_{self.lang}.{ext}"


def measure_control(v: View, measures) -> Control:
    return Control("measure", v.t("ui.measure"), tuple(measures), measures[0],
                   {m: v.measure_label(m) for m in measures}, widget="pills")


def risk_control(v: View) -> Control:
    risks = ("total", "political", "commercial")
    return Control("risk", v.t("ui.risk"), risks, "total", {r: v.t(f"risk.{r}") for r in risks},
                   widget="segmented")


def measure_and_risk(v: View, measures) -> tuple[str, str, str, list[Control]]:
    """The measure pills, and the political/commercial split when claims paid is chosen.

    Returns (measure, risk, label, controls), the label naming both for chart titles.
    """
    measure_c = measure_control(v, measures)
    measure = v.choose(measure_c)
    controls = [measure_c]
    risk = "total"
    if measure == "claims_paid":
        risk_c = risk_control(v)
        risk = v.choose(risk_c)
        controls.append(risk_c)
    label = (v.measure_label(measure) if risk == "total" else
             v.t("ui.measure_risk", measure=v.measure_label(measure), risk=v.t(f"risk.{risk}")))
    return measure, risk, label, controls


def all_or(v: View, key: str, label: str, options, labels: dict, all_label: str | None = None,
           widget: str = "select") -> Control:
    """A filter whose first option, "all", shows everything."""
    options = ("all",) + tuple(options)
    return Control(key, label, options, "all",
                   {"all": all_label or v.t("ui.all"), **labels}, widget=widget)


def none_if_all(value):
    return None if value == "all" else value

