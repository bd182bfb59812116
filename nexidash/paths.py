"""Where the project's files live. Environment variables override for deployments and tests."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLES_DIR = Path(os.environ.get("NEXI_TABLES_DIR", ROOT / "data" / "tables"))
QUERIES_DIR = ROOT / "queries"
GEO_DIR = ROOT / "data" / "geo"
I18N_DIR = ROOT / "nexidash" / "i18n"


def db_path() -> Path:
    """The DuckDB file the app reads; read at call time so tests can point it elsewhere."""
    return Path(os.environ.get("NEXI_DB", ROOT / "data" / "nexi.duckdb"))
