"""Build the DuckDB database from the CSV tables, atomically.

    python -m nexidash.build [--tables DIR] [--out FILE]

Every CSV is validated against `schema.TABLES` first; the first problem stops the build with one
message naming the file, the row (as a spreadsheet shows it: the header is row 1) and the column.
The database is written to a temporary file and renamed into place only when complete, so a
failed build never leaves half a database and the previous one keeps serving.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import re
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from . import paths
from .schema import TABLES, Col, Table

SCHEMA_VERSION = 2  # 2: the change_pct macro the queries use
_ARROW = {"BIGINT": pa.int64(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
          "INTEGER": pa.int32(), "VARCHAR": pa.string()}


class DataError(Exception):
    """A CSV that does not match the contract. str() is the one-line message a person reads."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column, self.message = file, row, column, message
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


_PATTERNS = {
    "int": re.compile(r"-?\d+"),
    "float": re.compile(r"-?\d+(\.\d+)?"),
    "year": re.compile(r"(19[5-9]\d|20\d\d)"),
    "month": re.compile(r"(19[5-9]\d|20\d\d)-(0[1-9]|1[0-2])"),
    "iso3": re.compile(r"[A-Z]{3}"),
    "pref": re.compile(r"0[1-9]|[1-3]\d|4[0-7]"),
    "bool": re.compile(r"true|false"),
}
_EXPECTED = {
    "int": "a whole number such as -2641 (no thousands separators; write △ as a minus sign)",
    "float": "a decimal number such as 7.2",
    "year": "a four-digit fiscal year such as 2024",
    "month": "a month written YYYY-MM",
    "iso3": "an ISO 3166-1 alpha-3 code in capitals",
    "pref": "a JIS X 0401 prefecture code 01-47",
    "bool": "true or false",
}


# A text cell cut short (a note split at an unquoted comma, a slip in copying) usually leaves a
# bracket or quote open, which no column type catches; the report's own text always closes them.
_CLOSERS = {"）": "（", ")": "(", "」": "「", "』": "『", "]": "[", "］": "［", "”": "“"}
_OPENERS = set(_CLOSERS.values())


def unbalanced(text: str) -> str | None:
    """What is wrong with the brackets and quotes of a text, or None if each pair closes in
    order. A straight double quote has no opening form, so it closes the last one open."""
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text, 1):
        if ch == '"' and stack and stack[-1][0] == '"':
            stack.pop()
        elif ch == '"' or ch in _OPENERS:
            stack.append((ch, i))
        elif ch in _CLOSERS:
            if not stack:
                return f"has a {ch} at character {i} that closes no {_CLOSERS[ch]}"
            if stack[-1][0] != _CLOSERS[ch]:
                return (f"has a {ch} at character {i} while the {stack[-1][0]} at character "
                        f"{stack[-1][1]} is still open")
            stack.pop()
    if stack:
        ch, i = stack[-1]
        return f"has a {ch} at character {i} that is never closed"
    return None


def _excerpt(raw: str, width: int = 40) -> str:
    return raw if len(raw) <= width else raw[: width - 1] + "…"


def parse_cell(col: Col, raw: str, file: str, row: int):
    """One CSV cell checked against its column and converted to its Python value."""
    if raw == "":
        if col.required:
            raise DataError(file, "is empty but the column requires a value", row, col.name)
        return None
    if raw != raw.strip():
        raise DataError(file, f"value {raw!r} has leading or trailing spaces", row, col.name)
    pattern = _PATTERNS.get(col.kind)
    if pattern is not None and not pattern.fullmatch(raw):
        raise DataError(file, f"value {raw!r} is not {_EXPECTED[col.kind]}", row, col.name)
    if col.kind == "str":
        problem = unbalanced(raw)
        if problem:
            raise DataError(file, f"value {_excerpt(raw)!r} {problem}", row, col.name)
    if col.choices is not None:
        items = raw.split(";") if col.multi else [raw]
        for item in items:
            if item not in col.choices:
                raise DataError(file, f"unknown code {item!r}; allowed: {', '.join(col.choices)}",
                                row, col.name)
    if col.kind in ("int", "year"):
        return int(raw)
    if col.kind == "float":
        return float(raw)
    if col.kind == "bool":
        return raw == "true"
    return raw


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        raise DataError(path.name, "starts with a byte-order mark; save as UTF-8 without BOM", 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The spreadsheet row holding the bad byte: count CSV records, not lines, because a
        # quoted field may hold a line break. The prefix before the bad byte is valid UTF-8.
        prefix = data[: exc.start].decode("utf-8") + "x"
        try:
            row = sum(1 for _ in csv.reader(io.StringIO(prefix, newline="")))
        except csv.Error:
            row = data[: exc.start].count(b"\n") + 1
        raise DataError(path.name, f"is not valid UTF-8 (byte {data[exc.start]:#04x})", row) from None


def read_table(table: Table, tables_dir: Path) -> list[tuple[int, tuple]]:
    """Parse and type-check one CSV; returns (row number, values) pairs in file order."""
    path = tables_dir / f"{table.name}.csv"
    file = path.name
    if not path.exists():
        raise DataError(file, f"is missing from {tables_dir}")
    reader = csv.reader(io.StringIO(_decode(path), newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(file, "is empty; it needs a header row", 1) from None
    except csv.Error as exc:
        raise DataError(file, f"is not well-formed CSV ({exc})", 1) from None
    expected = list(table.column_names)
    for name in expected:
        if name not in header:
            raise DataError(file, "is missing from the header", 1, name)
    for name in header:
        if name not in expected:
            raise DataError(file, "is not a column of this table", 1, name)
    if header != expected:
        raise DataError(file, f"columns are out of order; expected {','.join(expected)}", 1)

    rows: list[tuple[int, tuple]] = []
    seen: dict[tuple, int] = {}
    key_idx = [expected.index(k) for k in table.key]
    row_no = 1  # spreadsheet rows count records, not lines: a quoted field may hold a line break
    while True:
        row_no += 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataError(file, f"is not well-formed CSV ({exc})", row_no) from None
        if not record:
            raise DataError(file, "is a blank line", row_no)
        if len(record) > len(expected):
            # Nothing tells which cell held the comma; the overflow shows after the last column.
            raise DataError(file, f"has {len(record)} fields; the header has {len(expected)}: "
                            "an extra field after this column (quote a text cell that holds a "
                            "comma)", row_no, expected[-1])
        if len(record) < len(expected):
            raise DataError(file, f"has {len(record)} fields; the header has {len(expected)}: "
                            "no field for this column or those after it", row_no,
                            expected[len(record)])
        values = tuple(parse_cell(col, raw, file, row_no) for col, raw in zip(table.columns, record))
        key = tuple(values[i] for i in key_idx)
        if key in seen:
            raise DataError(file, f"duplicates the key {key!r} of row {seen[key]}", row_no,
                            ",".join(table.key))
        seen[key] = row_no
        rows.append((row_no, values))
    return rows


def _ident(name: str) -> str:
    # Table and column names come from schema.py, never from a user; quoting keeps DDL safe anyway.
    return '"' + name.replace('"', '""') + '"'


def _check_refs(table: Table, rows, loaded: dict[str, dict[str, set]]) -> None:
    for idx, col in enumerate(table.columns):
        if not col.ref:
            continue
        ref_table, ref_col = col.ref.split(".")
        allowed = loaded[ref_table][ref_col]
        for row_no, values in rows:
            if values[idx] is not None and values[idx] not in allowed:
                raise DataError(f"{table.name}.csv", f"{values[idx]!r} is not a {ref_col} in "
                                f"{ref_table}.csv", row_no, col.name)


def build(tables_dir: Path | None = None, out: Path | None = None) -> Path:
    """Validate every CSV, write a new database beside `out`, then rename it into place."""
    tables_dir = Path(tables_dir or paths.TABLES_DIR)
    out = Path(out or paths.db_path())
    declared = {f"{t.name}.csv" for t in TABLES}
    for extra in sorted(p.name for p in tables_dir.glob("*.csv")):
        if extra not in declared:
            raise DataError(extra, "is not a table declared in nexidash/schema.py")

    parsed = {t.name: read_table(t, tables_dir) for t in TABLES}
    loaded: dict[str, dict[str, set]] = {}
    for table in TABLES:
        _check_refs(table, parsed[table.name], loaded)
        loaded[table.name] = {c.name: {v[i] for _, v in parsed[table.name]}
                              for i, c in enumerate(table.columns)}

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=out.name + ".tmp-", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB refuses to open an existing empty file as a database
    try:
        con = duckdb.connect(str(tmp))
        try:
            _write(con, tables_dir, parsed)
        finally:
            con.close()
        os.replace(tmp, out)
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            leftover.unlink(missing_ok=True)
    return out


# The change from the previous year, in percent, as the report's 対前期増減率: (cur - prev) / |prev|
# x 100; NULL where either amount is missing or prev is 0. Every query that shows a change uses
# this one definition. Amounts are whole million yen, so it is computed in integers and cut
# (toward zero) after six decimals: the value keeps every digit up to the sixth exactly, and
# rounding it half-up to one decimal (fmt.pct, as the report prints rates) gives the same as
# rounding the exact ratio, with no printed tie (x.x5) left to a binary fraction's last bit.
# The result is DECIMAL(37, 6) (a float in pandas, whose shortest repr is those six decimals).
# A macro is part of the database file, so the read-only app has it without defining it.
CHANGE_PCT_MACRO = """
CREATE MACRO change_pct(cur, prev) AS
    CASE WHEN prev <> 0 THEN
        CAST(((CAST(cur AS HUGEINT) - prev) * 100000000) // abs(prev) AS DECIMAL(30, 0))
            * 0.000001
    END
"""


def _write(con, tables_dir: Path, parsed) -> None:
    con.execute(CHANGE_PCT_MACRO)
    con.execute("CREATE TABLE _build (table_name VARCHAR, file VARCHAR, sha256 VARCHAR, "
                "row_count BIGINT, schema_version INTEGER, built_at TIMESTAMPTZ)")
    built_at = datetime.now(timezone.utc)
    for table in TABLES:
        # Identifiers cannot be bound parameters; these come from schema.py, quoted by _ident.
        name = _ident(table.name)
        cols = ", ".join(f"{_ident(c.name)} {c.sql_type}" for c in table.columns)
        con.execute("CREATE TABLE " + name + " (_row INTEGER, " + cols + ")")
        rows = [(row_no, *values) for row_no, values in parsed[table.name]]
        # Column-wise Arrow data with the declared types: one bulk insert, not a row loop.
        arrow = pa.table({"_row": pa.array([r[0] for r in rows], pa.int32()),
                          **{c.name: pa.array([r[i + 1] for r in rows], _ARROW[c.sql_type])
                             for i, c in enumerate(table.columns)}})
        con.register("_src", arrow)
        con.execute("INSERT INTO " + name + " SELECT * FROM _src")
        con.unregister("_src")
        for expr in table.checks:
            # The rule text is schema.py's own, never data or user input.
            bad = con.execute("SELECT min(_row) FROM " + name + " WHERE NOT (" + expr + ")"
                              ).fetchone()[0]
            if bad is not None:
                raise DataError(f"{table.name}.csv", f"breaks the rule `{expr}`", bad)
        con.execute("ALTER TABLE " + name + " DROP COLUMN _row")
        path = tables_dir / f"{table.name}.csv"
        con.execute("INSERT INTO _build VALUES (?, ?, ?, ?, ?, ?)",
                    [table.name, path.name, hashlib.sha256(path.read_bytes()).hexdigest(),
                     len(rows), SCHEMA_VERSION, built_at])
    con.execute("CHECKPOINT")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=Path, default=None, help="folder of CSV tables")
    parser.add_argument("--out", type=Path, default=None, help="database file to write")
    args = parser.parse_args(argv)
    try:
        out = build(args.tables, args.out)
    except DataError as exc:
        print(f"data build failed: {exc}", file=sys.stderr)
        print("Nothing was changed; the previous database (if any) still serves.", file=sys.stderr)
        return 1
    print(f"built {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
