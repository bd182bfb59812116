"""Shared fixtures: one database built from data/tables per session, in a temporary folder,
which the app under test reads (whatever data/nexi.duckdb or NEXI_DB says), and the maps'
boundaries published to static/ as `make data` does."""

import os
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


@pytest.fixture(scope="session")
def edition_dir(tmp_path_factory, hermetic_database):
    """The static edition, built once per session from the session's database."""
    from nexidash import edition

    return edition.build(tmp_path_factory.mktemp("edition") / "www")
