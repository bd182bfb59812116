"""Faults a deployment meets: a missing, corrupt or stale database, and a malformed CSV.

Every test points the app at files under tmp_path (NEXI_DB is read at call time; the tables
folder is read at import, so `nexidash.paths.TABLES_DIR` is monkeypatched), closes the shared
connection and clears Streamlit's data cache before and after, and drives the real app.py
with AppTest, each page opened as the session's first run (a visitor's shared link).

What a visitor must see in every case: a sentence, never a traceback or a server path.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import PAGES, open_direct

ROOT = Path(__file__).resolve().parents[1]
TABLES = ROOT / "data" / "tables"
UNDERWRITING = "保険引受実績"


def all_text(at: AppTest) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success", "exception", "code", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    return "\n".join(parts)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def app_env(monkeypatch):
    """Point the app at files of the test's choosing; leave no connection or cache behind."""
    import streamlit as st
    from streamlit.runtime.caching import cache_utils

    from nexidash import db, paths

    # A clock the test can move forward, to let cache_data's TTLs expire as they would.
    offset = [0.0]
    monkeypatch.setattr(cache_utils, "TTLCACHE_TIMER", lambda: time.monotonic() + offset[0])
    db.reset()
    st.cache_data.clear()  # caches made from now on use the clock above

    class Env:
        def use(self, database: Path, tables: Path = TABLES) -> None:
            monkeypatch.setenv("NEXI_DB", str(database))
            monkeypatch.setattr(paths, "TABLES_DIR", tables)

        def advance(self, seconds: float) -> None:
            offset[0] += seconds

    yield Env()
    db.reset()
    monkeypatch.undo()
    st.cache_data.clear()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A copy of data/tables and a database built from it (shared, never modified)."""
    from nexidash.build import build

    root = tmp_path_factory.mktemp("pristine")
    tables = root / "tables"
    shutil.copytree(TABLES, tables)
    database = build(tables, root / "nexi.duckdb")
    return tables, database


@pytest.fixture
def workspace(pristine, tmp_path):
    """A private copy of the pristine tables and database for one test to change."""
    tables, database = pristine
    shutil.copytree(tables, tmp_path / "tables")
    shutil.copy2(database, tmp_path / "nexi.duckdb")
    return tmp_path / "tables", tmp_path / "nexi.duckdb"


def assert_one_friendly_db_error(at: AppTest, tmp_path: Path) -> None:
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors
    assert "make data" in errors[0], errors[0]
    text = all_text(at)
    assert "Traceback" not in text
    assert str(tmp_path) not in text, "the server's file path is shown to visitors"


# --- (a) the database is missing -------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES)
def test_missing_database_shows_one_friendly_error(app_env, tmp_path, page):
    """Test that with no database file every page shows one error naming `make data`."""
    app_env.use(tmp_path / "nexi.duckdb")
    at = open_direct(page)
    assert_one_friendly_db_error(at, tmp_path)
    assert not (tmp_path / "nexi.duckdb").exists(), "the app must not create the database"


# --- (b) the database is corrupt -------------------------------------------------------------



def _random_bytes(path: Path, real: bytes) -> None:
    path.write_bytes(random.Random(20240331).randbytes(1 << 20))


def _empty_file(path: Path, real: bytes) -> None:
    path.write_bytes(b"")


def _truncated_half(path: Path, real: bytes) -> None:
    path.write_bytes(real[: len(real) // 2])


def _truncated_tail(path: Path, real: bytes) -> None:
    path.write_bytes(real[:-4096])


def _damaged_blocks(path: Path, real: bytes) -> None:
    """Bit rot: 64 bytes overwritten in every 256 KiB block after the first (which opens)."""
    data = bytearray(real)
    for offset in range(262_144 + 12_288 + 1_000, len(data), 262_144):
        data[offset:offset + 64] = b"\xaa" * 64
    path.write_bytes(bytes(data))


CORRUPTIONS = [
    pytest.param(_random_bytes, id="random_bytes"),
    pytest.param(_empty_file, id="empty_file"),
    pytest.param(_truncated_half, id="truncated_half"),
    pytest.param(_truncated_tail, id="truncated_last_4k"),
    pytest.param(_damaged_blocks, id="damaged_blocks"),
]


@pytest.fixture(scope="module")
def real_db_bytes(pristine) -> bytes:
    """A database built from data/tables (the suite never reads data/nexi.duckdb)."""
    return pristine[1].read_bytes()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("corrupt", CORRUPTIONS)
def test_corrupt_database_shows_one_friendly_error(app_env, tmp_path, real_db_bytes, corrupt,
                                                   page):
    """Test that a corrupt database file gives every page one error naming `make data`."""
    database = tmp_path / "nexi.duckdb"
    corrupt(database, real_db_bytes)
    app_env.use(database)
    at = open_direct(page)
    assert_one_friendly_db_error(at, tmp_path)


def test_database_from_older_build_names_make_data(app_env, workspace):
    """Test that a database missing a column the queries need tells the visitor `make data`."""
    import duckdb

    tables, database = workspace
    con = duckdb.connect(str(database))
    try:
        con.execute("ALTER TABLE lead_projects DROP COLUMN place_en")
    finally:
        con.close()
    app_env.use(database, tables)
    assert_one_friendly_db_error(open_direct("lead"), database.parent)


# --- (c) the database is older than the CSVs -------------------------------------------------

def _bump_underwriting_2024(tables: Path, amount: int) -> None:
    path = tables / "report_totals.csv"
    text = path.read_text(encoding="utf-8")
    old = "2024,underwriting,total,7602398\n"
    assert old in text
    path.write_text(text.replace(old, f"2024,underwriting,total,{amount}\n"), encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_stale_database_still_serves_with_warning(app_env, workspace, page):
    """Test that a CSV changed after the build gives a `make data` warning, old figures shown."""
    tables, database = workspace
    _bump_underwriting_2024(tables, 9_999_999)
    app_env.use(database, tables)
    at = open_direct(page)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title, "the page did not render"
    stale = [w.value for w in at.warning if "report_totals.csv" in w.value]
    assert len(stale) == 1, [w.value for w in at.warning]
    assert "make data" in stale[0]
    assert "region_stats.csv" not in stale[0], "only the changed CSV is named"
    if page == "overview":
        assert {m.label: m.value for m in at.metric}[UNDERWRITING] == "7.6兆円"


def test_stale_warning_clears_after_make_data(app_env, workspace):
    """Test that a minute after `make data` a running app drops the warning, shows new data."""
    tables, database = workspace
    app_env.use(database, tables)
    assert {m.label: m.value for m in open_direct("overview").metric}[UNDERWRITING] == "7.6兆円"
    _bump_underwriting_2024(tables, 9_999_999)
    app_env.advance(61)  # past app.py's 60 s cache of the staleness check
    assert any("report_totals.csv" in w.value for w in open_direct("overview").warning)

    done = subprocess.run([sys.executable, "-m", "nexidash.build", "--tables", str(tables),
                           "--out", str(database)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    app_env.advance(61)
    at = open_direct("overview")  # the same server process: no db.reset(), no restart
    assert not at.exception and not at.error
    assert not [w.value for w in at.warning if "make data" in w.value]
    assert {m.label: m.value for m in at.metric}[UNDERWRITING] == "10.0兆円"


# --- (d) a malformed CSV leaves the existing database serving --------------------------------

def _edit_line(path: Path, line_no: int, edit) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[line_no - 1] = edit(lines[line_no - 1])
    path.write_bytes(b"\n".join(lines))


def _replace_amount(line: bytes) -> bytes:
    return line.rsplit(b",", 1)[0] + ",△2641".encode()


MALFORMED = [
    # (id, file, change, the row the message must name, the column it must name or None)
    ("triangle_minus", "region_stats.csv",
     lambda p: _edit_line(p, 5, _replace_amount), 5, "amount_mjpy"),
    ("unknown_code", "region_stats.csv",
     lambda p: _edit_line(p, 7, lambda line: line.replace(b"underwriting", b"underwritting")),
     7, "measure"),
    ("extra_field", "product_stats.csv", lambda p: _edit_line(p, 9, lambda line: line + b",9"), 9, None),
    ("not_utf8", "products.csv", lambda p: _edit_line(p, 3, lambda line: line + b"\xff"), 3, None),
    ("byte_order_mark", "regions.csv",
     lambda p: p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes()), 1, None),
    # Found only after the temporary database was created: the build must remove it.
    ("breaks_rule", "region_stats.csv",
     lambda p: _edit_line(p, 4, lambda line: line.replace(b",total,", b",political,")), 4, None),
]


@pytest.mark.parametrize("file,change,row,column", [m[1:] for m in MALFORMED],
                         ids=[m[0] for m in MALFORMED])
def test_malformed_csv_fails_build_and_keeps_database(workspace, file, change, row, column):
    """Test that a malformed CSV stops the build with one line and leaves the database alone."""
    tables, database = workspace
    before = sha256(database)
    change(tables / file)
    done = subprocess.run([sys.executable, "-m", "nexidash.build", "--tables", str(tables),
                           "--out", str(database)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    naming = [line for line in done.stderr.splitlines() if file in line]
    assert len(naming) == 1, done.stderr
    assert f"row {row}" in naming[0], naming[0]
    if column is not None:
        assert f"column '{column}'" in naming[0], naming[0]
    assert sha256(database) == before, "the existing database changed"
    assert sorted(p.name for p in database.parent.iterdir()) == ["nexi.duckdb", "tables"], \
        "the failed build left files behind"


def test_app_keeps_serving_after_failed_build(app_env, workspace):
    """Test that after a failed build the app still serves the previous database's figures."""
    tables, database = workspace
    before = sha256(database)
    _edit_line(tables / "region_stats.csv", 5, _replace_amount)
    done = subprocess.run([sys.executable, "-m", "nexidash.build", "--tables", str(tables),
                           "--out", str(database)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert sha256(database) == before
    app_env.use(database, tables)
    at = open_direct("overview")
    assert not at.exception and not at.error
    assert {m.label: m.value for m in at.metric}[UNDERWRITING] == "7.6兆円"
    assert any("region_stats.csv" in w.value and "make data" in w.value for w in at.warning)
