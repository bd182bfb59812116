"""The data's version: a short hash of the public tables' contents.

The press pack, and anything else that must say which data it was made from, names this one
value. It changes when any table changes (a corrected figure, a new year), and not when a file
is merely touched or copied: it hashes each CSV's name and bytes, in name order.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import paths

LENGTH = 12  # hex digits: enough to tell versions apart, short enough to quote


def data_version(tables_dir: Path | None = None) -> str:
    """sha256 over data/tables/*.csv (each file's name, then its bytes), sorted by name."""
    digest = hashlib.sha256()
    for path in sorted(Path(tables_dir or paths.TABLES_DIR).glob("*.csv")):
        name = path.name.encode("utf-8")
        body = path.read_bytes()
        # Lengths first: no file's end can be read as the next file's start.
        digest.update(len(name).to_bytes(8, "big") + name + len(body).to_bytes(8, "big") + body)
    return digest.hexdigest()[:LENGTH]
