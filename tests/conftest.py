"""Shared fixture: one database built from data/tables per session, in a temporary folder."""

import pathlib

import pytest

TABLES = pathlib.Path(__file__).resolve().parents[1] / "data" / "tables"


@pytest.fixture(scope="session")
def built_db(tmp_path_factory):
    """A database built once per session from the committed CSVs, in a temporary folder."""
    from nexidash.build import build

    out = tmp_path_factory.mktemp("db") / "nexi.duckdb"
    build(TABLES, out)
    return out
