"""Tables as a visitor reads them: formats and headers chosen by column name, the HTML, its CSS.

As in Evidence, a column's name decides how it reads (the registry is nexidash/formats.py); a
negative figure is △1,234 in Japanese (-1,234 in English) and a missing one － (–), as the
report prints them. Its header is the catalogue's
`col.<name>` (a `_ja`/`_en` suffix dropped), unless the block names it. Both renderers use
this module, so every "numbers behind" table reads the same everywhere.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from . import formats, i18n, style

LANG_SUFFIXES = ("_ja", "_en")

# Longer tables scroll inside a fixed height, their header staying in view.
SCROLL_ROWS, SCROLL_HEIGHT = 12, 420
SCROLL_HEIGHTS = (260, 420, 480)


def _missing(value) -> bool:
    # Not fmt.missing: its pd.isna answers element by element for a list-valued cell.
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _signed(text: str, lang: str) -> str:
    """A formatted figure with the language's minus (style.MINUS: △ in Japanese, as the
    report's tables print it)."""
    return style.MINUS[lang] + text[1:] if text.startswith("-") and lang in style.MINUS else text


def cells(data: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table as text, each column formatted by its name (see the module's docstring)."""
    missing = "－" if lang == "ja" else "–"
    out = {}
    for col in data.columns:
        column = data[col]
        values = column.tolist()  # plain Python values: pandas' own per-item access is slow
        form = formats.for_column(str(col), column.dtype.kind, values)
        pattern = form.cell if form else None
        if pattern == "{:d}":
            out[col] = [missing if _missing(v) else str(int(v)) for v in values]
        elif pattern:
            out[col] = [missing if _missing(v) else _signed(form.text(v), lang) for v in values]
        else:
            out[col] = [missing if _missing(v) else str(v) for v in values]
    return pd.DataFrame(out, columns=data.columns, dtype=object)


def header(name: str, lang: str, labels: dict | None = None) -> str:
    """A column's header: the block's own label, else the catalogue's col.<name>."""
    if labels and name in labels:
        return labels[name]
    stem = name
    for suffix in LANG_SUFFIXES:
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    key = f"col.{stem}"
    return i18n.translate(lang, key) if key in i18n.catalogue(lang) else name


def headed(data: pd.DataFrame, lang: str, labels: dict | None = None) -> pd.DataFrame:
    """The table with translated headers (for a CSV a visitor downloads)."""
    return data.rename(columns={c: header(str(c), lang, labels) for c in data.columns})


def numeric(data: pd.DataFrame) -> list[bool]:
    return [data[c].dtype.kind in "iuf" for c in data.columns]


def scroll_height(data: pd.DataFrame, height: int | None = None) -> int | None:
    """The height a table's box scrolls at: the one asked for, else SCROLL_HEIGHT for a table
    longer than SCROLL_ROWS, else none (it shows whole)."""
    if height is None and len(data) > SCROLL_ROWS:
        return SCROLL_HEIGHT
    return height


def html(data: pd.DataFrame, lang: str, labels: dict | None = None,
         height: int | None = None, country_href=None) -> str:
    """A plain HTML table: numbers right-aligned, every text escaped, a sticky header when it
    scrolls. Styled by CSS below. With `country_href` (View.country_href), a country code (a
    column named iso3 or ending in _iso3) links to that country's view."""
    height = scroll_height(data, height)
    text = cells(data, lang)
    nums = numeric(data)
    cls = lambda n: ' class="num"' if n else ""  # noqa: E731
    head = "".join(f'<th scope="col"{cls(n)}>{escape(header(str(c), lang, labels))}</th>'
                   for c, n in zip(data.columns, nums))
    linked = [bool(country_href) and (str(c) == "iso3" or str(c).endswith("_iso3"))
              for c in data.columns]

    def cell(value: str, num: bool, link: bool) -> str:
        if link and value:
            return (f'<td{cls(num)}><a href="{escape(country_href(value))}">'
                    f"{escape(value)}</a></td>")
        return f"<td{cls(num)}>{escape(value)}</td>"

    body = "".join(
        "<tr>" + "".join(cell(v, n, k) for v, n, k in zip(row, nums, linked)) + "</tr>"
        for row in text.itertuples(index=False, name=None))
    # The box scrolls, down when it is long and sideways when it is wider than a phone, so it
    # takes the keyboard focus: it can be scrolled without a mouse. Its height is a class, not
    # a style attribute: the static edition's CSP allows no inline style.
    if height and int(height) not in SCROLL_HEIGHTS:
        raise ValueError(f"no scroll height {height}; tables.SCROLL_HEIGHTS has {SCROLL_HEIGHTS}")
    scroll = (f' class="nexi-table h{int(height)}"' if height else ' class="nexi-table"')
    scroll += ' tabindex="0"'
    label = escape(i18n.translate(lang, "ui.table"))
    return (f'<div{scroll} role="region" aria-label="{label}">'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def csv_bytes(data: pd.DataFrame, lang: str, labels: dict | None = None) -> bytes:
    """The CSV a visitor downloads: translated headers, raw figures, a BOM so Excel reads UTF-8."""
    return headed(data, lang, labels).to_csv(index=False).encode("utf-8-sig")


# A constant stylesheet: no data or URL text is ever part of it.
CSS = """
.nexi-table { overflow: auto; border: 1px solid rgba(49, 51, 63, 0.15); border-radius: 0.5rem; }
/* A table fills its box and wraps its text; no column is squeezed below a few characters,
   so a table too wide for its box (a phone, a narrow column) scrolls sideways inside it. */
.nexi-table table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
.nexi-table th { position: sticky; top: 0; background: #f0f2f6; text-align: left;
                 font-weight: 600; }
.nexi-table th, .nexi-table td { padding: 0.3rem 0.6rem; vertical-align: top;
                                 border-bottom: 1px solid rgba(49, 51, 63, 0.1); }
.nexi-table td:not(.num) { min-width: 7em; }
.nexi-table .num { text-align: right; font-variant-numeric: tabular-nums; }
.nexi-table td.num { white-space: nowrap; }
.nexi-table tr:last-child td { border-bottom: none; }
.nexi-table.h260 { max-height: 260px; }
.nexi-table.h420 { max-height: 420px; }
.nexi-table.h480 { max-height: 480px; }
"""

PRINT_CSS = """
@media print {
  .nexi-table { max-height: none !important; overflow: visible !important; }
}
"""
