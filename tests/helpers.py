"""Helpers the tests share: opening a page in AppTest, and reading back what it shows.

Test modules import from here, never from each other.
"""

from __future__ import annotations

import re
import socket
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from nexidash import site

ROOT = Path(__file__).resolve().parents[1]
PAGES = [p.path for p in site.PAGES]


def free_port() -> int:
    """A loopback port nothing listens on now, for a server a test starts."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = str(value)
    at.run()
    if page != "overview":
        # Only the language is the frame's own widget; the year lives in the session's memory
        # (urlstate.remembered), which the switch keeps.
        frame = {k: at.session_state[k] for k in ("lang",) if k in params
                 and k in at.session_state and at.session_state[k] is not None}
        at.switch_page(f"pages/{page}.py").run()
        if frame:
            # AppTest sends no value for a segmented control it did not click, where a
            # browser sends the selected one; carry the frame's choices over explicitly.
            for key, value in frame.items():
                at.session_state[key] = value
            at.run()
    return at


def open_direct(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = str(value)
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    at.run()
    return at


_INT = re.compile(r"-?\d{1,3}(,\d{3})*|-?\d+")
_FLOAT = re.compile(r"-?[\d,]+\.\d+")


class _TableParser(HTMLParser):
    """The header and cell texts of one <table>, as the browser shows them (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.header, self.rows, self._cell, self._row = [], [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr":
            if self.header or self.rows:
                self.rows.append(self._row)
            else:
                self.header = self._row


def shown_text(markup: str) -> pd.DataFrame:
    """A table as the visitor reads its text (every cell a string)."""
    parser = _TableParser()
    parser.feed(markup)
    return pd.DataFrame(parser.rows, columns=parser.header, dtype=object)


def shown_value(text: str):
    """A cell read as a visitor reads it: "84,226" is 84226, "12.5" is 12.5, "△1,445" is -1445,
    "－" or "–" (no figure) is None, anything else the text shown."""
    if text in ("－", "–"):
        return None
    if text.startswith("△") and (_INT.fullmatch(text[1:]) or _FLOAT.fullmatch(text[1:])):
        return -shown_value(text[1:])  # the report's minus, as a Japanese reader reads it
    if _INT.fullmatch(text):
        return int(text.replace(",", ""))
    if _FLOAT.fullmatch(text):
        return float(text.replace(",", ""))
    return text


def tables(at) -> list:
    """Every table the page shows (tables.html), read back with shown_value."""

    out = []
    for element in at.html:
        if 'class="nexi-table' in element.value:
            frame = shown_text(element.value)
            out.append(pd.DataFrame({c: [shown_value(v) for v in frame[c]] for c in frame.columns},
                                    columns=frame.columns))
    return out


def open_data(at, *charts: str):
    """Open the table view of each named chart (as a link with ?view_<chart>=table does), or the
    'numbers behind' a table (blocks.Data), and rerun."""
    for chart in charts:
        at.query_params[f"view_{chart}"] = "table"
        at.session_state[f"data_{chart}"] = True
    at.run()
    return at


def views(page):
    """The default view, then each option of each control the default view offers, then each
    year: what a reader can reach on a page with one choice."""
    from nexidash.view import View

    yield {}
    v = View("ja", chooser=lambda c: c.default)
    page.load().build(v)
    for control in v.controls.values():
        for option in control.options:
            if option != control.default:
                yield {control.key: option}
    if page.uses_year:
        for year in v.years:
            yield {"year": year}


_ANSWERS: dict = {}


def cached_query(name: str, **params) -> pd.DataFrame:
    """A named query's rows, run once per test session (the database does not change in it):
    views of one page repeat the same queries, and building them all is most of the cost."""
    from nexidash import db

    key = (name, tuple(sorted(params.items())))
    if key not in _ANSWERS:
        _ANSWERS[key] = db.run(name, **params)
    return _ANSWERS[key].copy()


_BUILT: dict = {}


def built_view(page, lang: str, overrides: dict | None = None):
    """(View, blocks) of one view of a page, built once per session: test_house and
    test_provenance walk the same views, and the blocks are only read."""
    from nexidash.view import View

    overrides = overrides or {}
    key = (page.path, lang, tuple(sorted((k, str(o)) for k, o in overrides.items())))
    if key not in _BUILT:
        v = View(lang, overrides.get("year"), query=cached_query,
                 chooser=lambda c, o=overrides: o.get(c.key, c.default))
        _BUILT[key] = (v, page.load().build(v))
    return _BUILT[key]


def every_view(page, langs=("ja", "en")):
    """(language, the controls chosen, the view, the page's blocks) for every view `views`
    lists."""
    for overrides in views(page):
        for lang in langs:
            yield (lang, overrides, *built_view(page, lang, overrides))


def check_oembed(answer: dict, title: str, origin: str) -> None:
    """oEmbed 1.0, section 2.3.4: version and type; for "rich", html, width and height."""
    assert answer["version"] == "1.0" and answer["type"] == "rich"
    assert answer["title"] == title
    assert isinstance(answer["width"], int) and isinstance(answer["height"], int)
    assert 300 <= answer["width"] <= 2000 and 300 <= answer["height"] <= 3000
    assert re.fullmatch(r'<iframe src="[^"]+" title="[^"]+" width="(\d+)" height="(\d+)" '
                        r'style="[^"]*" loading="lazy"></iframe>', answer["html"])
    assert f'width="{answer["width"]}" height="{answer["height"]}"' in answer["html"]
    assert answer["provider_name"] and answer["provider_url"] == origin + "/"
