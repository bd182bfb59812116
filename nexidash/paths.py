"""Where the project's files live. Settings (nexidash.settings) override for deployments and tests."""

from __future__ import annotations

from pathlib import Path

from . import settings

ROOT = Path(__file__).resolve().parents[1]
TABLES_DIR = ROOT / settings.get("NEXI_TABLES_DIR")  # an absolute setting stays as given
QUERIES_DIR = ROOT / "queries"
GEO_DIR = ROOT / "data" / "geo"
I18N_DIR = ROOT / "nexidash" / "i18n"


def db_path() -> Path:
    """The DuckDB file the app reads; read at call time so tests can point it elsewhere."""
    return ROOT / settings.get("NEXI_DB")
