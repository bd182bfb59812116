"""Published versions of the data, and what changed between them.

    python -m nexidash.releases record --date 2026-12-03     (after a change to data/tables)

A release is a committed snapshot, `data/releases/<version>.json`: the data's version
(version.data_version), its date, the report year, and one short digest per row of every table,
keyed by the row's primary key. Digests, not copies: the tables themselves stay the one copy
of the data, and two snapshots are enough to say which rows were added, removed or corrected.

A corrected row (same key, other digest) must be explained by the committed log,
`data/corrections.csv` (version, table, key, column, old, new, reason in both languages): the
log's `new` must be the row's value now, and putting each `old` back must give exactly the
digest the previous release recorded, so an entry cannot claim a value that was never
published. `record` refuses a release with an unexplained correction, and the /changes/ page
lists the log's entries beside the rows added and removed.

The release's date is the day it was recorded, written into the snapshot: the data package's
`created` is that date, so two builds of the same data give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .schema import TABLES, TABLES_BY_NAME
from .version import data_version

RELEASES_DIR = paths.ROOT / "data" / "releases"
CORRECTIONS = paths.ROOT / "data" / "corrections.csv"
CORRECTION_COLUMNS = ("version", "table", "key", "column", "old", "new", "reason_ja", "reason_en")
KEY_SEP = "|"  # between the cells of a key of several columns, as the log writes it
DIGEST = 16  # hex digits per row


def _rows(table: str, tables_dir: Path) -> list[dict[str, str]]:
    with open(tables_dir / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def row_key(table: str, row: dict[str, str]) -> str:
    return KEY_SEP.join(row[k] for k in TABLES_BY_NAME[table].key)


def row_digest(table: str, row: dict[str, str]) -> str:
    cells = [row[c] for c in TABLES_BY_NAME[table].column_names]
    body = json.dumps(cells, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(body).hexdigest()[:DIGEST]


def snapshot(tables_dir: Path | None = None) -> dict:
    """The current tables' version and row digests (what `record` writes, less its date)."""
    tables_dir = Path(tables_dir or paths.TABLES_DIR)
    return {"version": data_version(tables_dir),
            "tables": {t.name: {row_key(t.name, r): row_digest(t.name, r)
                                for r in _rows(t.name, tables_dir)} for t in TABLES}}


def releases(releases_dir: Path | None = None) -> list[dict]:
    """Every recorded release, oldest first."""
    found = [json.loads(p.read_text(encoding="utf-8"))
             for p in Path(releases_dir or RELEASES_DIR).glob("*.json")]
    return sorted(found, key=lambda r: (r["date"], r["version"]))


def release_of(version: str, releases_dir: Path | None = None) -> dict | None:
    return next((r for r in releases(releases_dir) if r["version"] == version), None)


def corrections(path: Path | None = None) -> list[dict[str, str]]:
    path = Path(path or CORRECTIONS)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != CORRECTION_COLUMNS:
            raise ValueError(f"{path.name}: the header must be {','.join(CORRECTION_COLUMNS)}")
        return list(reader)


@dataclass
class Changes:
    """What one version changed against the one before it (`before` None: the first)."""

    version: str
    date: str | None  # None: the current tables, not yet recorded as a release
    before: str | None
    added: dict[str, list[str]] = field(default_factory=dict)  # table -> keys
    removed: dict[str, list[str]] = field(default_factory=dict)
    corrected: list[dict[str, str]] = field(default_factory=list)  # the log's entries
    unexplained: list[tuple[str, str]] = field(default_factory=list)  # (table, key)


def compare(old: dict, new: dict, log: list[dict[str, str]],
            tables_dir: Path | None = None) -> Changes:
    """Rows added, removed and corrected from release `old` to `new`; each corrected row is
    checked against the log's entries for `new`'s version (see the module's docstring). The
    check needs the new rows themselves, so it reads `tables_dir` when `new` is the current
    data; a recorded release's corrections were checked when it was recorded."""
    out = Changes(new["version"], new.get("date"), old["version"] if old else None)
    if not old:
        return out
    entries = [e for e in log if e["version"] == new["version"]]
    current = tables_dir is not None
    for table in sorted(set(old["tables"]) | set(new["tables"])):
        before, after = old["tables"].get(table, {}), new["tables"].get(table, {})
        if added := sorted(set(after) - set(before)):
            out.added[table] = added
        if removed := sorted(set(before) - set(after)):
            out.removed[table] = removed
        rows = {row_key(table, r): r for r in _rows(table, tables_dir)} if current else {}
        for key in sorted(k for k in set(before) & set(after) if before[k] != after[k]):
            mine = [e for e in entries if e["table"] == table and e["key"] == key]
            ok = _explains(table, rows[key], mine, before[key]) if current else bool(mine)
            if not ok:
                out.unexplained.append((table, key))
            out.corrected += mine
    return out


def _explains(table: str, row: dict[str, str], entries: list[dict[str, str]],
              old_digest: str) -> bool:
    """The entries turn today's row back into the one the previous release published."""
    if not entries:
        return False
    restored = dict(row)
    for e in entries:
        if e["column"] not in restored or restored[e["column"]] != e["new"]:
            return False
        restored[e["column"]] = e["old"]
    return row_digest(table, restored) == old_digest


def history(tables_dir: Path | None = None, releases_dir: Path | None = None,
            log_path: Path | None = None) -> list[Changes]:
    """Every release against the one before it, newest first; the current tables lead when
    they are not (yet) a recorded release."""
    tables_dir = Path(tables_dir or paths.TABLES_DIR)
    recorded, log = releases(releases_dir), corrections(log_path)
    out = [compare(a, b, log) for a, b in zip([None, *recorded], recorded)]
    now = snapshot(tables_dir)
    if not recorded or recorded[-1]["version"] != now["version"]:
        out.append(compare(recorded[-1] if recorded else None, now, log, tables_dir))
    return out[::-1]


def record(date: str, tables_dir: Path | None = None, releases_dir: Path | None = None,
           log_path: Path | None = None, report_year: int | None = None) -> Path:
    """Write the current tables as a release dated `date`; refuses an unexplained correction."""
    from .export import report_year as year_of

    dt.date.fromisoformat(date)
    tables_dir = Path(tables_dir or paths.TABLES_DIR)
    releases_dir = Path(releases_dir or RELEASES_DIR)
    latest = history(tables_dir, releases_dir, log_path)[0]
    if latest.date is not None:
        raise ValueError(f"version {latest.version} is already released ({latest.date})")
    if latest.unexplained:
        raise ValueError("corrected rows without an entry in data/corrections.csv (or whose "
                         "old value is not what was published): "
                         + ", ".join(f"{t} {k}" for t, k in latest.unexplained))
    snap = {"version": latest.version, "date": date,
            "report_year": report_year or year_of(tables_dir), **snapshot(tables_dir)}
    releases_dir.mkdir(parents=True, exist_ok=True)
    target = releases_dir / f"{latest.version}.json"
    buf = io.StringIO()
    json.dump(snap, buf, ensure_ascii=False, indent=1, sort_keys=True)
    target.write_text(buf.getvalue() + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="record the current tables as a release")
    rec.add_argument("--date", required=True, help="the release's date, YYYY-MM-DD")
    sub.add_parser("status", help="what changed since the latest release")
    args = parser.parse_args(argv)
    if args.command == "record":
        try:
            print(f"recorded {record(args.date)}")
        except ValueError as exc:
            print(f"not recorded: {exc}", file=sys.stderr)
            return 1
        return 0
    latest = history()[0]
    state = f"released {latest.date}" if latest.date else "not released"
    print(f"data version {latest.version} ({state}); since {latest.before}: "
          f"{sum(map(len, latest.added.values()))} rows added, "
          f"{sum(map(len, latest.removed.values()))} removed, {len(latest.corrected)} "
          f"corrections logged, {len(latest.unexplained)} unexplained")
    return 0


if __name__ == "__main__":
    sys.exit(main())
