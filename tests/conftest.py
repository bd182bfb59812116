"""Shared fixtures: one database built from data/tables per session, in a temporary folder,
which the app under test reads (whatever data/nexi.duckdb or NEXI_DB says), and the maps'
boundaries published to static/ as `make data` does."""

import os
import pathlib
import re
from html.parser import HTMLParser

import pytest

TABLES = pathlib.Path(__file__).resolve().parents[1] / "data" / "tables"


@pytest.fixture(scope="session")
def built_db(tmp_path_factory):
    """A database built once per session from the committed CSVs, in a temporary folder."""
    from nexidash.build import build

    out = tmp_path_factory.mktemp("db") / "nexi.duckdb"
    build(TABLES, out)
    return out


@pytest.fixture(scope="session", autouse=True)
def hermetic_database(built_db):
    """Every test, and every server a test starts, reads the session's own database."""
    from nexidash import db, geo

    old = os.environ.get("NEXI_DB")
    os.environ["NEXI_DB"] = str(built_db)
    db.reset()
    geo.publish_all()
    yield built_db
    db.reset()
    if old is None:
        os.environ.pop("NEXI_DB", None)
    else:
        os.environ["NEXI_DB"] = old


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


def shown_text(markup: str) -> "pd.DataFrame":
    """A table as the visitor reads its text (every cell a string)."""
    import pandas as pd

    parser = _TableParser()
    parser.feed(markup)
    return pd.DataFrame(parser.rows, columns=parser.header, dtype=object)


def shown_value(text: str):
    """A cell read as a visitor reads it: "84,226" is 84226, "12.5" is 12.5, "－" or "–" (no
    figure) is None, anything else the text shown."""
    if text in ("－", "–"):
        return None
    if _INT.fullmatch(text):
        return int(text.replace(",", ""))
    if _FLOAT.fullmatch(text):
        return float(text.replace(",", ""))
    return text


def tables(at) -> list:
    """Every table the page shows (tables.html), read back with shown_value."""
    import pandas as pd

    out = []
    for element in at.html:
        if 'class="nexi-table"' in element.value:
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
