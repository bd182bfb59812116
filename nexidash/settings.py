"""Every environment variable the project reads, with its default and what it is for.

Nothing else in the project reads `os.environ` (child processes are handed a copy of it):
a deployment learns every knob from this one list, and `tests/test_settings.py` holds the
README's table of settings to it. Paths are given relative to the project's folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None  # None: unset unless given
    help: str

    def get(self, env: Mapping[str, str] | None = None) -> str | None:
        """The value given in the environment (blank counts as not given), else the default."""
        value = ((os.environ if env is None else env).get(self.name) or "").strip()
        return value or self.default


SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("PORT", None, "where the dashboard (make run: 8501) or nginx (make serve: 8080) "
            "listens"),
    Setting("REPLICAS", None, "make serve: local Streamlit replicas (default: the number of "
            "cores)"),
    Setting("UPSTREAMS", None, "make serve: host:port,... replicas started elsewhere "
            "(make replica) instead of local ones"),
    Setting("LIMIT_EXEMPT", None, "make serve: addresses or CIDRs the per-client limits skip"),
    Setting("NEXI_COOKIE_SECRET", None, "the secret every replica signs XSRF tokens with "
            "(default: made once in var/cookie_secret)"),
    Setting("NEXI_DB", "data/nexi.duckdb", "the database file the app reads and make data "
            "writes"),
    Setting("NEXI_TABLES_DIR", "data/tables", "the CSV tables the build reads"),
    Setting("NEXI_SITE_URL", "http://localhost:8080", "the public origin the static edition's "
            "absolute URLs (canonical, cards, sitemap) name"),
    Setting("NEXI_EDITION", "var/edition", "make serve: the static edition nginx serves at /"),
    Setting("NEXI_STATIC_EDITION", None, "set by make serve for its replicas: the app then "
            "links each view to its static page"),
    Setting("NEXI_CHROMIUM", "/usr/bin/chromium", "the Chromium that Kaleido draws the "
            "edition's and the press kit's charts with"),
    Setting("NEXI_PRESS_EMBARGO", None, "the press release's embargo line, e.g. "
            "2025年7月1日 15:00"),
    Setting("NEXI_PRESS_CONTACT", None, "the press release's media contact (one line)"),
    Setting("NEXI_LICENSE", "CC-BY-4.0", "the licence of the data, the pages and the press "
            "pack, an SPDX id"),
)}


def get(name: str, env: Mapping[str, str] | None = None) -> str | None:
    return SETTINGS[name].get(env)
