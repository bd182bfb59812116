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
_con_path: Path | None = None


def _connection() -> duckdb.DuckDBPyConnection:
    global _con, _con_path
    path = paths.db_path()
    with _lock:
        if _con is None or _con_path != path:
            if not path.exists():
                raise DatabaseUnavailable(f"The database {path.name} has not been built. "
                                          "Run `make data`.")
            try:
                con = duckdb.connect(str(path), config=_CONFIG)
                con.execute("SELECT count(*) FROM _build").fetchone()
            except duckdb.Error as exc:
                raise DatabaseUnavailable(f"The database {path.name} cannot be read ({type(exc).__name__}). "
                                          "Run `make data` to rebuild it.") from None
            if _con is not None:
                _con.close()
            _con, _con_path = con, path
        return _con


def reset() -> None:
    """Close the shared connection, so the next query reopens the (rebuilt) file."""
    global _con, _con_path
    with _lock:
        if _con is not None:
            _con.close()
        _con, _con_path = None, None


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
    cur = _connection().cursor()
    try:
        return cur.execute(query.sql, params).df()
    finally:
        cur.close()


def stale_tables() -> list[str]:
    """Tables whose CSV changed since the database was built (empty when current)."""
    cur = _connection().cursor()
    try:
        built = dict(cur.execute("SELECT file, sha256 FROM _build").fetchall())
    finally:
        cur.close()
    stale = []
    for file, digest in built.items():
        path = paths.TABLES_DIR / file
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            stale.append(file)
    on_disk = {p.name for p in paths.TABLES_DIR.glob("*.csv")}
    stale.extend(sorted(on_disk - set(built)))
    return stale
