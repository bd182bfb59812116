"""Adding next year's report needs no code: append FY2025 rows, rebuild, and the pages follow.

THE FY2025 FIGURES HERE ARE SYNTHETIC TEST DATA, NOT NEXI'S: every FY2024 amount of the five
yearly tables is doubled (an empty cell stays empty), so FY2025 is easy to tell apart on the
page (underwriting 7.6兆円 -> 15.2兆円, +100.0%) and every printed total still adds up.
Nothing in app.py, pages/, nexidash/ or queries/ is touched: a copy of data/tables gets the
rows, the database is built into tmp, and the app is pointed at both.
"""

from __future__ import annotations

import csv
import io
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import helpers
from tests.helpers import PAGES, open_data, tables

ROOT = Path(__file__).resolve().parents[1]
TABLES = ROOT / "data" / "tables"
YEARLY = ["region_stats", "product_stats", "risk_stats", "report_totals", "japan_exports"]
NEW, LAST = 2025, 2024


def synthetic_next_year(tables: Path) -> dict[str, list[dict]]:
    """Append FY2025 = 2 x FY2024 (SYNTHETIC) to each yearly table; return the rows added."""
    added = {}
    for name in YEARLY:
        path = tables / f"{name}.csv"
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            fields, rows = reader.fieldnames, list(reader)
        assert not [r for r in rows if r["fiscal_year"] == str(NEW)], f"{name} already has {NEW}"
        new_rows = []
        for row in rows:
            if row["fiscal_year"] != str(LAST):
                continue
            amount = row["amount_mjpy"]
            new = dict(row, fiscal_year=str(NEW), amount_mjpy=str(2 * int(amount)) if amount else "")
            if name == "japan_exports":
                new["status"] = "preliminary_final"
            new_rows.append(new)
        assert new_rows, f"{name} has no {LAST} rows to extend"
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        writer.writerows(new_rows)
        text = path.read_text(encoding="utf-8")
        path.write_text(text + ("" if text.endswith("\n") else "\n") + buf.getvalue(),
                        encoding="utf-8")
        added[name] = new_rows
    return added


@pytest.fixture(scope="module")
def next_year(tmp_path_factory):
    """A copy of the tables with synthetic FY2025 rows, and a database built from it."""
    from nexidash.build import build

    root = tmp_path_factory.mktemp("next_year")
    tables = root / "tables"
    shutil.copytree(TABLES, tables)
    added = synthetic_next_year(tables)
    database = build(tables, root / "nexi.duckdb")
    return tables, database, added


@pytest.fixture
def app_on_next_year(next_year, monkeypatch):
    """The app reading the FY2025 database and tables (caches and connection reset around)."""
    import streamlit as st

    from nexidash import db, paths

    tables, database, added = next_year
    monkeypatch.setenv("NEXI_DB", str(database))
    monkeypatch.setattr(paths, "TABLES_DIR", tables)
    db.reset()
    st.cache_data.clear()
    yield added
    db.reset()
    st.cache_data.clear()


def open_direct(page: str, **params) -> AppTest:
    at = helpers.open_direct(page, **params)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def cho_yen(mjpy: int) -> str:
    """The card's 兆円 figure, rounded half-up to one decimal (computed here, not by the app)."""
    value = (Decimal(mjpy) / Decimal(1_000_000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}兆円"


def trend_table(at: AppTest, chart: str):
    """The table behind the five-year trend chart: the one with a fiscal-year column."""
    open_data(at, chart)
    found = [d for d in tables(at) if "年度" in d.columns]
    assert found, [list(d.columns) for d in tables(at)]
    return found[0]


def test_synthetic_rows_added_to_every_yearly_table(app_on_next_year):
    """Test that the synthetic FY2025 rows cover every yearly table and double FY2024."""
    added = app_on_next_year
    assert set(added) == set(YEARLY)
    totals = {(r["measure"], r["risk"]): r["amount_mjpy"] for r in added["report_totals"]}
    assert totals[("underwriting", "total")] == str(2 * 7602398)


def test_year_selector_offers_and_defaults_to_new_year(app_on_next_year):
    """Test that the page's year selector lists FY2025 and opens on it."""
    at = open_direct("overview")
    selector = at.selectbox(key="year@overview")
    assert selector.options[0] == "2025年度", selector.options
    assert "2024年度" in selector.options
    assert selector.value == NEW
    assert at.session_state["_remembered_year"] == NEW


def test_overview_cards_show_new_year(app_on_next_year):
    """Test that the overview's underwriting card shows the synthetic FY2025 figure and change."""
    added = app_on_next_year
    amount = int(next(r["amount_mjpy"] for r in added["report_totals"]
                      if (r["measure"], r["risk"]) == ("underwriting", "total")))
    at = open_direct("overview")
    cards = {m.label: (m.value, m.delta) for m in at.metric}
    assert cards["保険引受実績"] == (cho_yen(amount), "+100.0％")
    assert cards["保険引受実績"][0] != "7.6兆円"
    assert any("2025年度" in s.value for s in at.subheader)
    # FY2024 is still one click away, unchanged.
    cards_2024 = {m.label: m.value for m in open_direct("overview", year=LAST).metric}
    assert cards_2024["保険引受実績"] == "7.6兆円"


def test_regions_trend_includes_new_year(app_on_next_year):
    """Test that the regions page's trend table includes the synthetic FY2025 amounts."""
    added = app_on_next_year
    at = open_direct("regions")
    trend = trend_table(at, "region_trend")
    assert NEW in set(trend["年度"]), sorted(set(trend["年度"]))
    asia = next(int(r["amount_mjpy"]) for r in added["region_stats"]
                if (r["region"], r["measure"], r["risk"]) == ("asia", "underwriting", "total"))
    row = trend[(trend["年度"] == NEW) & (trend["地域（コード）"] == "asia")]
    assert row["金額（百万円）"].tolist() == [asia]


def test_products_trend_includes_new_year(app_on_next_year):
    """Test that the products page's trend table includes FY2025."""
    at = open_direct("products")
    trend = trend_table(at, "product_trend")
    assert NEW in set(trend["年度"]), sorted(set(trend["年度"]))
    assert LAST in set(trend["年度"])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_new_year(app_on_next_year, page):
    """Test that every page runs without an error on the FY2025 database, in its default view."""
    at = open_direct(page)
    assert at.title
    assert not [w.value for w in at.warning], "the FY2025 database must not look stale"


def test_titles_sentences_and_file_names_follow_the_new_report_year(app_on_next_year):
    """Test that with FY2025 rows the overview title, the press kit's heading and sentences and the download names say FY2025, with no code change."""
    overview = open_direct("overview", lang="en")
    assert "FY2025" in overview.title[0].value and "FY2024" not in overview.title[0].value
    press = open_direct("press", lang="en")
    text = "\n".join(str(e.value) for e in press.markdown) + "\n".join(
        str(e.value) for e in press.subheader)
    assert "FY2025" in text
    assert "Underwriting in FY2025 was about ¥15.2 trillion, up 100.0% from FY2024." in text
    # The download names, from the same blocks the renderers draw.
    from nexidash import blocks, site
    from nexidash.view import View

    v = View("en")
    press_blocks = next(p for p in site.PAGES if p.path == "press").load().build(v)
    names = [blk.file_name for blk in blocks.walk(press_blocks)
             if isinstance(blk, blocks.Download)]
    assert names and all("fy2025" in n for n in names), names
    assert v.file_name("region_map", "csv") == "nexi_fy2025_region_map_en.csv"
