"""Tests of the data contract: schema.py, data/tables/*.csv, catalog.csv and the built database."""

import csv
import io
import pathlib

import duckdb
import pytest

from nexidash.schema import TABLES as SCHEMA_TABLES
from nexidash.schema import TABLES_BY_NAME

ROOT = pathlib.Path(__file__).resolve().parents[1]
TABLES = ROOT / "data" / "tables"

# The contract: each table with (at least) these leading columns, in this order.
CONTRACT = {
    "regions": ["region", "name_ja", "name_en", "sort"],
    "products": ["product", "name_ja", "name_en", "family", "sort"],
    "region_stats": ["fiscal_year", "region", "measure", "risk", "amount_mjpy"],
    "product_stats": ["fiscal_year", "product", "measure", "risk", "amount_mjpy"],
    "risk_stats": ["fiscal_year", "measure", "risk", "amount_mjpy"],
    "top_countries": ["fiscal_year", "rank", "iso3", "name_ja", "amount_mjpy", "share_pct"],
    "lead_projects": ["no", "announced", "iso3", "place_ja", "title_ja", "title_en", "elements",
                      "amount", "currency", "approx"],
    "partner_agreements": ["agreement_type", "region", "iso3", "country_ja", "institution_ja",
                           "year"],
    "sme_network": ["name_ja", "kind", "prefecture_code", "prefecture_ja"],
    "country_regions": ["iso3", "region"],
}

# DuckDB types the contract's columns must arrive as (everything else is VARCHAR).
TYPES = {"fiscal_year": "INTEGER", "year": "INTEGER", "amount_mjpy": "BIGINT", "sort": "BIGINT",
         "rank": "BIGINT", "no": "BIGINT", "amount": "BIGINT", "share_pct": "DOUBLE",
         "approx": "BOOLEAN"}


def header(name):
    text = (TABLES / f"{name}.csv").read_text(encoding="utf-8")
    return next(csv.reader(io.StringIO(text, newline="")))


def catalog_rows():
    text = (TABLES / "catalog.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_every_declared_table_has_one_catalog_row_and_vice_versa():
    """Test that catalog.csv has exactly one row per declared table (catalog excepted), no more."""
    names = [r["table_name"] for r in catalog_rows()]
    declared = {t.name for t in SCHEMA_TABLES} - {"catalog"}
    assert len(names) == len(set(names)), "a table has more than one catalog row"
    assert set(names) - {"catalog"} == declared


def test_catalog_rows_say_where_each_table_comes_from():
    """Test that every catalog row has a title, unit and source line in Japanese and English."""
    for row in catalog_rows():
        for col in ("title_ja", "title_en", "unit_ja", "unit_en", "source_ja", "source_en"):
            assert row[col].strip(), (row["table_name"], col)


def test_every_csv_is_declared_and_every_declared_table_has_a_csv():
    """Test that data/tables holds exactly one CSV per table declared in schema.py."""
    on_disk = sorted(p.stem for p in TABLES.glob("*.csv"))
    assert on_disk == sorted(t.name for t in SCHEMA_TABLES)


def test_schema_declarations_are_consistent():
    """Test that each table's key columns, refs and names are declared and unique."""
    assert len(TABLES_BY_NAME) == len(SCHEMA_TABLES)
    order = [t.name for t in SCHEMA_TABLES]
    for table in SCHEMA_TABLES:
        cols = table.column_names
        assert len(cols) == len(set(cols)), table.name
        assert table.key and set(table.key) <= set(cols), table.name
        for col in table.columns:
            if col.ref:
                ref_table, ref_col = col.ref.split(".")
                assert ref_col in TABLES_BY_NAME[ref_table].column_names, (table.name, col.name)
                # references must point at a table loaded earlier
                assert order.index(ref_table) < order.index(table.name), (table.name, col.name)


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_columns_lead_in_schema_and_csv(name):
    """Test that the schema and the CSV header start with the contract's columns in order."""
    want = CONTRACT[name]
    assert list(TABLES_BY_NAME[name].column_names[: len(want)]) == want
    assert header(name)[: len(want)] == want


@pytest.fixture(scope="module")
def described(built_db):
    from nexidash import db

    db.reset()  # DuckDB refuses a second connection to one file with another configuration
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        out = {}
        for name in CONTRACT:
            rel = con.table(name)  # the relation API: no SQL text built from names
            out[name] = [(c, str(t)) for c, t in zip(rel.columns, rel.types)]
        out["_tables"] = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        return out
    finally:
        con.close()


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_tables_exist_in_database_with_columns_in_order(described, name):
    """Test that the built database has the contract's table with its columns first, typed."""
    want = CONTRACT[name]
    assert name in described["_tables"]
    got = described[name][: len(want)]
    assert [c for c, _ in got] == want
    for col, typ in got:
        assert typ == TYPES.get(col, "VARCHAR"), (name, col, typ)


def test_database_has_every_declared_table(described):
    """Test that the built database holds every declared table plus _build, and nothing else."""
    assert described["_tables"] == {t.name for t in SCHEMA_TABLES} | {"_build"}
