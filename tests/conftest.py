"""Shared fixtures: one database built from data/tables per session, in a temporary folder,
which the app under test reads (whatever data/nexi.duckdb or NEXI_DB says), and the maps'
boundaries published to static/ as `make data` does."""

import fcntl
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
    """The static edition, built once per run from the suite's tables. Under pytest-xdist the
    workers share one build (the first to need it builds it, the others wait on a lock): each
    build is over a minute of Chromium drawing charts, and every worker's database is built
    from the same CSVs."""
    from nexidash import edition

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return edition.build(tmp_path_factory.mktemp("edition") / "www")
    shared = tmp_path_factory.getbasetemp().parent / "edition"
    shared.mkdir(exist_ok=True)
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "www" / "index.html").exists():
            edition.build(shared / "www")
    return shared / "www"


# Browser tests that read only the static edition: they need the stack's nginx but none of the
# dashboard's own state, so they form a group of their own that the other worker can take.
STATIC_GROUP_FILES = {"test_static_pages.py"}


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`--dist loadgroup`), the dashboard's browser tests run on one worker,
    one after another (they share one server and one stack); the static edition's browser tests
    form a second group, so each worker drives one Chromium at most, while the rest of the
    suite fills both."""
    for item in items:
        if item.get_closest_marker("browser"):
            group = "static" if item.path.name in STATIC_GROUP_FILES else "browser"
            item.add_marker(pytest.mark.xdist_group(group))
