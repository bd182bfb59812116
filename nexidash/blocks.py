"""What a page is made of, as data: a page's `build(view)` returns a list of these blocks.

A block says what to show, never how: the Streamlit renderer (render.py) turns the list into
elements, and a second renderer (the static edition) can turn the same list into HTML with no
Streamlit present. So blocks hold only plain values: text already in the page's language,
figures as JSON-ready Plotly specs (charts.py), tables as DataFrames with their raw column
names (tables.py formats and labels them by column name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd


@dataclass(frozen=True)
class Control:
    """A single choice a visitor makes, bound to the URL as `?key=code`.

    Options are codes (what the URL carries, in either language); `labels` says how each reads.
    A page asks its view for the value (View.choose) and places the control in a Controls block.
    """

    key: str
    label: str
    options: tuple
    default: object
    labels: dict = field(default_factory=dict, hash=False, compare=False)
    widget: str = "select"  # select | segmented | pills
    remember: bool = False  # kept while a page without this control is shown (the year)

    def label_of(self, option) -> str:
        return self.labels.get(option, str(option))

    def widget_key(self, page: str | None) -> str:
        """The key of its widget on a page: a remembered control (the year) has a widget of
        its own on each page (urlstate.on_page says why)."""
        return f"{self.key}@{page}" if self.remember and page else self.key


@dataclass(frozen=True)
class Controls:
    items: tuple[Control, ...]
    widths: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 4  # 1 the page title, 2 a section, 4 a chart or table title, 5 a minor label
    # The heading's id, so a link can point at it (#anchor). Streamlit sets ids on levels 1 and 2
    # only (st.title/st.subheader); its Markdown headings take theirs from the text.
    anchor: str | None = None


@dataclass(frozen=True)
class Text:
    """A paragraph of interface text from the i18n catalogues, plain text (no markup)."""

    text: str


@dataclass(frozen=True)
class Bullet:
    text: str
    note: str | None = None  # a smaller line under it (where a sentence's figures come from)
    link: "Link | None" = None  # the page view that shows it


@dataclass(frozen=True)
class Bullets:
    items: tuple[Bullet, ...]


@dataclass(frozen=True)
class Link:
    """A link to another page's view (View.href says where): `params` are its controls."""

    label: str
    page: str
    params: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Caption:
    text: str


@dataclass(frozen=True)
class Callout:
    text: str
    icon: str | None = None


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    delta: str | None = None
    delta_color: str = "normal"  # "inverse" where a rise is bad news (claims paid)
    delta_description: str | None = None
    help: str | None = None
    term: str | None = None  # the glossary entry (glossary.TERMS) explaining what is measured


@dataclass(frozen=True)
class Metrics:
    items: tuple[Metric, ...]
    per_row: int | None = None  # None: all in one row


@dataclass(frozen=True)
class Plot:
    """One way of drawing a chart's figures (a map, bars, a trend)."""

    code: str  # stable, for the URL and file names
    label: str
    spec: dict  # {"data": [...], "layout": {...}}, JSON-ready
    # The control a click on this plot sets: a clicked point's customdata is that control's
    # option code (a region, a product, a country). Points whose customdata is no option of it
    # (a marker of another kind) select nothing.
    select: str | None = None


# A chart's parts, in the order a reader meets them, in the app and the static edition alike:
# its title, the sentence saying what it shows, its views (the plots), how to read it, its
# glossary terms, where its numbers come from, and the table behind it with how to reuse it.
# Each renderer draws a part by name (render.CHART_PARTS, edition_html.Body.CHART_PARTS); the
# house test holds both to this list.
CHART_ANATOMY = ("heading", "summary", "views", "note", "terms", "source", "data")


@dataclass(frozen=True)
class Chart:
    """One thing a visitor looks at: its title, one or more plots of it, the numbers behind it
    as a table (with its CSV), a note on how to read it, and where the numbers come from."""

    key: str
    title: str
    plots: tuple[Plot, ...]
    data: pd.DataFrame = field(hash=False, compare=False)
    source: str  # the catalog table the figures come from
    note: str | None = None
    labels: dict = field(default_factory=dict, hash=False, compare=False)  # header overrides
    # One sentence saying what the chart shows, made from its figures (describe.py): the
    # line under the title, and the picture's text alternative for a screen reader.
    summary: str | None = None
    terms: tuple[str, ...] = ()  # the glossary entries (glossary.TERMS) a reader may need


@dataclass(frozen=True)
class Table:
    """A table shown as it is (not behind a chart). Formats and headers come from its column
    names (tables.py); `labels` overrides a header where the name alone cannot say it."""

    data: pd.DataFrame = field(hash=False, compare=False)
    labels: dict = field(default_factory=dict, hash=False, compare=False)
    height: int | None = None


@dataclass(frozen=True)
class Source:
    """The source line under a table: the report's section and the unit (from the catalog)."""

    table: str


@dataclass(frozen=True)
class Data:
    """The numbers behind a table shown above it, with their CSV download, drawn on request."""

    key: str
    data: pd.DataFrame = field(hash=False, compare=False)
    labels: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Columns:
    parts: tuple[tuple, ...]  # each part a tuple of blocks
    widths: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Details:
    """A folded section: its title shows, its blocks on request."""

    title: str
    blocks: tuple
    expanded: bool = False


@dataclass(frozen=True)
class Code:
    """Text a visitor copies as a whole (the press sentences)."""

    text: str


@dataclass(frozen=True)
class Download:
    """A file made when asked for: `make` is called on the click, not on the page view."""

    key: str
    label: str
    file_name: str
    mime: str
    make: Callable[[], bytes] = field(hash=False, compare=False)
    icon: str | None = None


@dataclass(frozen=True)
class Cite:
    """How to cite the page and the licence its figures are reused under (cite.py makes it):
    the suggested citation in each language as text, then as BibTeX and CSL-JSON."""

    title: str
    lead: str
    texts: tuple[tuple[str, str], ...]  # (language, citation in it)
    bibtex: str
    csl_json: str
    license_label: str
    license_id: str  # SPDX
    license_spdx: str  # the id as the page's language writes it: （SPDX：CC-BY-4.0）
    license_name: str
    license_url: str
    version_label: str


# What a page's build() may return: each renderer has a drawer for each (tests/test_house.py).
BLOCKS = (Heading, Text, Bullets, Link, Caption, Callout, Metrics, Chart, Table, Source, Data,
          Columns, Details, Code, Download, Controls, Cite)


def walk(blocks):
    """Every block, depth first, including those inside Columns and Details, and each Metric of
    a Metrics (the checks of a card's glossary term need them)."""
    for block in blocks:
        yield block
        if isinstance(block, Metrics):
            yield from block.items
        elif isinstance(block, Columns):
            for part in block.parts:
                yield from walk(part)
        elif isinstance(block, Details):
            yield from walk(block.blocks)
