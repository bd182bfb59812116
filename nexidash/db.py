"""The one module that talks to DuckDB. Pages ask for named queries: `run("region_measure", ...)`.

Each file `queries/NAME.sql` holds one query with named parameters (`$fiscal_year`). The database
is opened once per process, read-only and locked down; every call runs on its own cursor, because
one DuckDB connection shared across Streamlit's session threads is not safe.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from . import paths

# The app never needs more than this; the lock stops a query from loosening it again.
_CONFIG = {
    "access_mode": "READ_ONLY",
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "python_enable_replacements": False,
    "memory_limit": "512MB",
    "threads": 2,
    "lock_configuration": True,
}

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


class QueryError(Exception):
    """A call that names no query, or passes the wrong parameters."""


class DatabaseUnavailable(Exception):
    """The database file is missing, unreadable or stale; `str()` says what to run."""


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    params: frozenset[str]


@cache
def queries() -> dict[str, Query]:
    found = {}
    for path in sorted(paths.QUERIES_DIR.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        found[path.stem] = Query(path.stem, sql, frozenset(_PARAM.findall(_COMMENT.sub("", sql))))
    return found


_lock = threading.Lock()
_con: duckdb.DuckDBPyConnection | None = None
_con_identity: tuple | None = None
_con_built_at = None


def _unreadable(path: Path, exc: BaseException) -> DatabaseUnavailable:
    return DatabaseUnavailable(f"The database {path.name} cannot be read ({type(exc).__name__}). "
                               "Run `make data` to rebuild it.")


def generation() -> tuple:
    """The database file's identity: changes when `make data` renames a new file into place."""
    path = paths.db_path()
    try:
        st = path.stat()
    except FileNotFoundError:
        return (str(path), None)
    return (str(path), st.st_ino, st.st_mtime_ns, st.st_size)


def _connection() -> duckdb.DuckDBPyConnection:
    global _con, _con_identity, _con_built_at
    from .build import SCHEMA_VERSION

    path = paths.db_path()
    identity = generation()
    with _lock:
        if _con is None or _con_identity != identity:
            if identity[1] is None:
                raise DatabaseUnavailable(f"The database {path.name} has not been built. "
                                          "Run `make data`.")
            if _con is not None:
                # DuckDB hands out one cached instance per path while any connection to it is
                # open, so the old one must close before the rebuilt file can be opened.
                # Cursors still reading on other threads keep their own reference.
                _con.close()
                _con = None
            try:
                con = duckdb.connect(str(path), config=_CONFIG)
                # Reads real data, not just the catalogue, so a damaged file fails here.
                versions, built_at = con.execute(
                    "SELECT list(DISTINCT schema_version), max(built_at) FROM _build").fetchone()
                con.execute("SELECT count(*), max(length(sha256)) FROM _build").fetchall()
            except duckdb.Error as exc:
                raise _unreadable(path, exc) from None
            if set(versions) != {SCHEMA_VERSION}:
                con.close()
                raise DatabaseUnavailable(f"The database {path.name} was built by another "
                                          "version of the dashboard. Run `make data`.")
            # Still the old instance (a cursor elsewhere kept it alive): serve it, retry later.
            fresh = _con_built_at is None or built_at != _con_built_at
            _con, _con_identity, _con_built_at = con, identity if fresh else None, built_at
        return _con


def reset() -> None:
    """Close the shared connection, so the next query reopens the (rebuilt) file."""
    global _con, _con_identity, _con_built_at
    with _lock:
        if _con is not None:
            _con.close()
        _con, _con_identity, _con_built_at = None, None, None


def _fetch(sql: str, params: dict | None = None) -> pd.DataFrame:
    cur = _connection().cursor()
    try:
        return cur.execute(sql, params or {}).df()
    except duckdb.Error as exc:
        # The queries are fixed and tested, and external access is off: a failure here means the
        # file is damaged or was built for another version of the tables.
        raise _unreadable(paths.db_path(), exc) from None
    finally:
        cur.close()


def run(name: str, **params) -> pd.DataFrame:
    """Run the named query with exactly its parameters and return a fresh DataFrame."""
    query = queries().get(name)
    if query is None:
        raise QueryError(f"No query named {name!r}; queries/ has: {', '.join(sorted(queries()))}")
    given = set(params)
    if given != query.params:
        missing, extra = sorted(query.params - given), sorted(given - query.params)
        raise QueryError(f"Query {name!r} takes {sorted(query.params)}; "
                         f"missing {missing}, unexpected {extra}")
    return _fetch(query.sql, params)


def stale_tables() -> list[str]:
    """Tables whose CSV changed since the database was built (empty when current)."""
    build_rows = _fetch("SELECT file, sha256 FROM _build")
    built = dict(zip(build_rows["file"], build_rows["sha256"]))
    stale = []
    for file, digest in built.items():
        path = paths.TABLES_DIR / file
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            stale.append(file)
    on_disk = {p.name for p in paths.TABLES_DIR.glob("*.csv")}
    stale.extend(sorted(on_disk - set(built)))
    return stale
