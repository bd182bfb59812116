"""Tests of nexidash.build: CSV validation (file, row, column) and the atomic DuckDB build.

Every test copies data/tables to a temporary folder and corrupts exactly one thing there, so the
error must come from that one thing. Row numbers are spreadsheet rows: the header is row 1.
"""

import csv
import hashlib
import io
import os
import pathlib
import shutil
import subprocess
import sys

import duckdb
import pytest

from nexidash import build as build_mod
from nexidash.build import DataError, build
from nexidash.schema import TABLES as SCHEMA_TABLES

ROOT = pathlib.Path(__file__).resolve().parents[1]
TABLES = ROOT / "data" / "tables"

STAT_KEY = "fiscal_year,region,measure,risk"


# ---------------------------------------------------------------- helpers

@pytest.fixture
def tables(tmp_path):
    """A private, writable copy of data/tables."""
    d = tmp_path / "tables"
    shutil.copytree(TABLES, d)
    return d


@pytest.fixture
def out(tmp_path):
    """Where the database goes: its own folder, so stray files are easy to spot."""
    d = tmp_path / "out"
    d.mkdir()
    return d / "nexi.duckdb"


def read_lines(d, name):
    return (d / name).read_text(encoding="utf-8").split("\n")


def write_lines(d, name, lines):
    (d / name).write_text("\n".join(lines), encoding="utf-8")


def set_row(d, name, row, text):
    """Replace spreadsheet row `row` (header = 1) of a CSV with `text`."""
    lines = read_lines(d, name)
    lines[row - 1] = text
    write_lines(d, name, lines)


def insert_row(d, name, row, text):
    """Insert `text` so that it becomes spreadsheet row `row`."""
    lines = read_lines(d, name)
    lines.insert(row - 1, text)
    write_lines(d, name, lines)


def map_lines(d, name, fn):
    write_lines(d, name, [fn(line) if line else line for line in read_lines(d, name)])


def build_error(tables_dir, out):
    with pytest.raises(DataError) as info:
        build(tables_dir, out)
    return info.value


def where(file, row=None, column=None):
    text = file
    if row is not None:
        text += f", row {row}"
    if column is not None:
        text += f", column '{column}'"
    return text


def assert_error(err, file, row, column, fragment):
    assert (err.file, err.row, err.column) == (file, row, column), str(err)
    assert str(err).startswith(where(file, row, column) + ": "), str(err)
    assert fragment in str(err), str(err)
    assert "\n" not in str(err)


def csv_rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def dump(db_file):
    """Every table's rows (in insertion order) and the _build table without its timestamp."""
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        got = {t.name: con.table(t.name).fetchall() for t in SCHEMA_TABLES}
        got["_build"] = con.execute("SELECT table_name, file, sha256, row_count, schema_version "
                                    "FROM _build ORDER BY table_name").fetchall()
        got["_tables"] = sorted(r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall())
        return got
    finally:
        con.close()


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


# ------------------------------------------------------ the clean build works

def test_committed_tables_build(tables, out):
    """Test that the committed CSVs build without error into exactly one database file."""
    assert build(tables, out) == out
    assert listing(out.parent) == ["nexi.duckdb"]


# ------------------------------------------------------------ one corruption each

def _extra_csv(d):
    (d / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")


def _drop_column(d, name, col):
    rows = csv_rows(d / name)
    idx = rows[0].index(col)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows([r[:idx] + r[idx + 1:] for r in rows])
    (d / name).write_text(buf.getvalue(), encoding="utf-8")


def _bad_utf8(d):
    # Cut the three-byte 業 of row 4's name in half (中小企業・... in products.csv).
    raw = (d / "products.csv").read_bytes()
    lines = raw.split(b"\n")
    good = "中小企業".encode()
    assert good in lines[3]
    lines[3] = lines[3].replace(good, good[:-1], 1)
    (d / "products.csv").write_bytes(b"\n".join(lines))


def _bom(d):
    (d / "regions.csv").write_bytes(b"\xef\xbb\xbf" + (d / "regions.csv").read_bytes())


def _trailing_blank_line(d):
    (d / "japan_exports.csv").write_text(
        (d / "japan_exports.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")


CASES = [
    # wrong type
    pytest.param(lambda d: set_row(d, "region_stats.csv", 2,
                                   '2020,asia,underwriting,total,"1,234"'),
                 "region_stats.csv", 2, "amount_mjpy", "'1,234' is not a whole number",
                 id="thousands-separator"),
    pytest.param(lambda d: set_row(d, "product_stats.csv", 106,
                                   "2021,buyer_credit,premium,total,△2641"),
                 "product_stats.csv", 106, "amount_mjpy", "'△2641' is not a whole number",
                 id="triangle-minus"),
    pytest.param(lambda d: set_row(d, "region_stats.csv", 7,
                                   "2020,south_america,underwriting,total,4549.5"),
                 "region_stats.csv", 7, "amount_mjpy", "is not a whole number",
                 id="decimal-in-int"),
    pytest.param(lambda d: set_row(d, "top_countries.csv", 3,
                                   "2024,2,CHN,中華人民共和国,577960,7,1"),
                 "top_countries.csv", 3, "share_pct", "has 7 fields; the header has 6",
                 id="decimal-comma-splits-field"),
    pytest.param(lambda d: set_row(d, "top_countries.csv", 3,
                                   "FY2024,2,CHN,中華人民共和国,577960,7.1"),
                 "top_countries.csv", 3, "fiscal_year", "is not a four-digit fiscal year",
                 id="bad-year"),
    pytest.param(lambda d: set_row(d, "top_countries.csv", 4,
                                   "2024,3,usa,アメリカ合衆国,523298,6.4"),
                 "top_countries.csv", 4, "iso3", "is not an ISO 3166-1 alpha-3 code",
                 id="lowercase-iso3"),
    pytest.param(lambda d: set_row(d, "sme_network.csv", 3,
                                   "北洋銀行,bank,1,北海道,North Pacific Bank"),
                 "sme_network.csv", 3, "prefecture_code", "is not a JIS X 0401 prefecture code",
                 id="prefecture-without-zero"),
    pytest.param(lambda d: set_row(d, "lead_projects.csv", 3,
                                   read_lines(d, "lead_projects.csv")[2].replace(",false,",
                                                                                 ",no,")),
                 "lead_projects.csv", 3, "approx", "is not true or false", id="bad-bool"),
    pytest.param(lambda d: set_row(d, "top_countries.csv", 2, "2024,1,JPN,,591000,7.2"),
                 "top_countries.csv", 2, "name_ja", "is empty but the column requires a value",
                 id="empty-required"),
    pytest.param(lambda d: set_row(d, "top_countries.csv", 2, "2024,1,JPN,日本, 591000,7.2"),
                 "top_countries.csv", 2, "amount_mjpy", "leading or trailing spaces",
                 id="leading-space"),
    # unknown codes
    pytest.param(lambda d: set_row(d, "regions.csv", 2, "mars,火星,Mars,1"),
                 "regions.csv", 2, "region", "unknown code 'mars'", id="unknown-region-code"),
    pytest.param(lambda d: set_row(d, "region_stats.csv", 2,
                                   "2020,asia,sales,total,2949704"),
                 "region_stats.csv", 2, "measure", "unknown code 'sales'",
                 id="unknown-measure-code"),
    pytest.param(lambda d: set_row(d, "lead_projects.csv", 3,
                                   read_lines(d, "lead_projects.csv")[2].replace(
                                       ",alliance,", ",alliance;mars,")),
                 "lead_projects.csv", 3, "elements", "unknown code 'mars'",
                 id="unknown-code-in-list"),
    # references to rows that do not exist
    pytest.param(lambda d: set_row(d, "region_stats.csv", 5,
                                   "2020,mars,underwriting,total,645106"),
                 "region_stats.csv", 5, "region", "'mars' is not a region in regions.csv",
                 id="region-not-in-regions"),
    pytest.param(lambda d: set_row(d, "top_countries.csv", 3,
                                   "2024,2,ZZZ,中華人民共和国,577960,7.1"),
                 "top_countries.csv", 3, "iso3", "'ZZZ' is not a iso3 in country_regions.csv",
                 id="iso3-not-in-country-regions"),
    pytest.param(lambda d: set_row(d, "decarbonisation_projects.csv", 9,
                                   read_lines(d, "decarbonisation_projects.csv")[8].replace(
                                       ",,16,,", ",,17,,")),
                 "decarbonisation_projects.csv", 9, "lead_no",
                 "17 is not a no in lead_projects.csv", id="lead-no-not-in-lead-projects"),
    # duplicate key
    pytest.param(lambda d: set_row(d, "region_stats.csv", 4,
                                   "2020,asia,underwriting,total,1"),
                 "region_stats.csv", 4, STAT_KEY,
                 "duplicates the key (2020, 'asia', 'underwriting', 'total') of row 2",
                 id="duplicate-key"),
    # header problems
    pytest.param(lambda d: _drop_column(d, "region_stats.csv", "amount_mjpy"),
                 "region_stats.csv", 1, "amount_mjpy", "is missing from the header",
                 id="missing-column"),
    pytest.param(lambda d: map_lines(d, "risk_stats.csv",
                                     lambda s: s + (",note" if s.startswith("fiscal") else ",x")),
                 "risk_stats.csv", 1, "note", "is not a column of this table",
                 id="extra-column"),
    pytest.param(lambda d: set_row(d, "regions.csv", 1, "region,name_en,name_ja,sort"),
                 "regions.csv", 1, None, "columns are out of order", id="columns-out-of-order"),
    # encoding and CSV shape
    pytest.param(_bad_utf8, "products.csv", 4, None, "is not valid UTF-8", id="bad-utf8"),
    pytest.param(_bom, "regions.csv", 1, None, "byte-order mark", id="bom"),
    pytest.param(lambda d: set_row(d, "region_stats.csv", 5,
                                   "2020,north_america,underwriting,total,645106,1"),
                 "region_stats.csv", 5, "amount_mjpy", "has 6 fields; the header has 5",
                 id="too-many-fields"),
    pytest.param(lambda d: set_row(d, "region_stats.csv", 5,
                                   "2020,north_america,underwriting,total"),
                 "region_stats.csv", 5, "amount_mjpy", "has 4 fields; the header has 5",
                 id="too-few-fields"),
    pytest.param(lambda d: set_row(d, "region_stats.csv", 5, "2020,north_america,underwriting"),
                 "region_stats.csv", 5, "risk", "no field for this column or those after it",
                 id="two-fields-missing"),
    pytest.param(lambda d: insert_row(d, "region_stats.csv", 5, ""),
                 "region_stats.csv", 5, None, "is a blank line", id="blank-line"),
    pytest.param(_trailing_blank_line, "japan_exports.csv", 7, None, "is a blank line",
                 id="blank-line-at-end"),
    pytest.param(lambda d: set_row(d, "regions.csv", 3, 'middle_east,"中東,Middle East,2'),
                 "regions.csv", 3, None, "is not well-formed CSV", id="unclosed-quote"),
    # check rules (validated by DuckDB after loading)
    pytest.param(lambda d: set_row(d, "region_stats.csv", 2,
                                   "2020,asia,underwriting,political,2949704"),
                 "region_stats.csv", 2, None,
                 "breaks the rule `risk = 'total' OR measure = 'claims_paid'`",
                 id="political-underwriting"),
    pytest.param(lambda d: set_row(d, "top_countries.csv", 11,
                                   "2024,10,ARE,アラブ首長国連邦,300684,103.7"),
                 "top_countries.csv", 11, None, "breaks the rule `share_pct BETWEEN 0 AND 100`",
                 id="share-over-100"),
    pytest.param(lambda d: set_row(d, "lead_projects.csv", 3,
                                   read_lines(d, "lead_projects.csv")[2].replace(
                                       ",4000000,", ",0,")),
                 "lead_projects.csv", 3, None, "breaks the rule `amount > 0`",
                 id="lead-amount-zero"),
    # files
    pytest.param(_extra_csv, "notes.csv", None, None,
                 "is not a table declared in nexidash/schema.py", id="undeclared-csv"),
    pytest.param(lambda d: (d / "risk_stats.csv").unlink(), "risk_stats.csv", None, None,
                 "is missing from", id="missing-csv"),
    pytest.param(lambda d: (d / "japan_exports.csv").write_bytes(b""), "japan_exports.csv", 1,
                 None, "is empty; it needs a header row", id="empty-file"),
]


@pytest.mark.parametrize("corrupt, file, row, column, fragment", CASES)
def test_corruption_is_reported_with_file_row_and_column(tables, out, corrupt, file, row,
                                                         column, fragment):
    """Test that each kind of corruption stops the build with the exact file, row and column."""
    corrupt(tables)
    err = build_error(tables, out)
    assert_error(err, file, row, column, fragment)
    assert not out.exists()


def test_missing_csv_message_names_the_folder(tables, out):
    """Test that a missing CSV's message names the folder it was expected in."""
    (tables / "regions.csv").unlink()
    err = build_error(tables, out)
    assert str(err) == f"regions.csv: is missing from {tables}"


def test_bad_utf8_reports_row_of_the_bad_byte_not_first_row(tables, out):
    """Test that bad UTF-8 deep in a file reports the row holding the bad byte."""
    lines = (tables / "country_regions.csv").read_bytes().split(b"\n")
    assert lines[150].count(b",") == 4
    lines[150] = lines[150] + b"\xe3"  # a lone lead byte at the end of row 151
    (tables / "country_regions.csv").write_bytes(b"\n".join(lines))
    err = build_error(tables, out)
    assert_error(err, "country_regions.csv", 151, None, "(byte 0xe3)")


# A CSV field may legally hold a line break. A spreadsheet shows that record as ONE row, so the
# rows after it must keep their spreadsheet numbers, not the physical line numbers.

def _multiline_catalog_note(d):
    rows = csv_rows(d / "catalog.csv")
    assert rows[2][0] == "products"
    rows[2][-1] = rows[2][-1] + "\nSecond line of the note"  # spreadsheet row 3
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (d / "catalog.csv").write_text(buf.getvalue(), encoding="utf-8")


def test_multiline_field_is_one_spreadsheet_row(tables, out):
    """Test that a quoted line break keeps later rows at their spreadsheet numbers."""
    _multiline_catalog_note(tables)
    build(tables, out)  # a line break inside a quoted field is valid
    lines = read_lines(tables, "catalog.csv")
    assert lines[5].startswith("region_stats,")  # physical line 6 is spreadsheet row 5
    lines[5] = lines[5] + ",extra"
    write_lines(tables, "catalog.csv", lines)
    err = build_error(tables, out)
    assert_error(err, "catalog.csv", 5, "source_en", "has 10 fields; the header has 9")


def test_duplicate_after_multiline_field_names_spreadsheet_rows(tables, out):
    """Test that a duplicate key after a multi-line field names both rows as a spreadsheet does."""
    _multiline_catalog_note(tables)
    lines = read_lines(tables, "catalog.csv")
    assert lines[4].startswith("product_families,")  # spreadsheet row 4
    lines[5] = lines[4]  # spreadsheet row 5 becomes a copy of row 4
    write_lines(tables, "catalog.csv", lines)
    err = build_error(tables, out)
    assert_error(err, "catalog.csv", 5, "table_name",
                 "duplicates the key ('product_families',) of row 4")


def test_bad_utf8_after_multiline_field_names_spreadsheet_row(tables, out):
    """Test that a bad byte after a multi-line field reports its spreadsheet row."""
    _multiline_catalog_note(tables)
    raw = (tables / "catalog.csv").read_bytes().split(b"\n")
    assert raw[5].startswith(b"region_stats,")  # spreadsheet row 5
    raw[5] = raw[5].replace(b"region_stats", b"region_st\xffats", 1)
    (tables / "catalog.csv").write_bytes(b"\n".join(raw))
    err = build_error(tables, out)
    assert_error(err, "catalog.csv", 5, None, "is not valid UTF-8 (byte 0xff)")


# ------------------------------------------------------------------- the CLI

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "nexidash.build", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_cli_failure_exits_1_with_one_line_message(tables, out):
    """Test that the CLI exits 1 and prints one 'data build failed: ...' line, no traceback."""
    set_row(tables, "region_stats.csv", 2, '2020,asia,underwriting,total,"1,234"')
    proc = run_cli("--tables", tables, "--out", out)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    failed = [ln for ln in proc.stderr.splitlines() if ln.startswith("data build failed: ")]
    assert len(failed) == 1
    assert proc.stderr.splitlines()[0] == failed[0]
    assert failed[0].startswith(
        "data build failed: region_stats.csv, row 2, column 'amount_mjpy': value '1,234' is not "
        "a whole number")
    assert not out.exists()


def test_cli_success_exits_0_and_names_the_file(tables, out):
    """Test that a successful CLI build exits 0 and says which file it built."""
    proc = run_cli("--tables", tables, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"built {out}"
    assert out.exists()


# ------------------------------------------------------------------- atomicity

def _fail_in_write(monkeypatch):
    def boom(con, tables_dir, parsed):
        con.execute("CREATE TABLE half (a INTEGER)")
        raise RuntimeError("disk full")
    monkeypatch.setattr(build_mod, "_write", boom)


@pytest.mark.parametrize("failure", ["parse", "check-rule", "crash-mid-write"])
def test_failed_build_leaves_existing_database_untouched(tables, out, monkeypatch, failure):
    """Test that a failed build leaves the previous database byte-identical and no temp files."""
    build(tables, out)
    before = out.read_bytes()
    stat = out.stat()
    if failure == "parse":
        set_row(tables, "region_stats.csv", 2, "2020,asia,underwriting,total,△5")
    elif failure == "check-rule":  # fails inside DuckDB, after the temp file exists
        set_row(tables, "region_stats.csv", 2, "2020,asia,underwriting,political,2949704")
    else:
        _fail_in_write(monkeypatch)
    with pytest.raises((DataError, RuntimeError)):
        build(tables, out)
    assert out.read_bytes() == before
    assert out.stat().st_ino == stat.st_ino
    assert listing(out.parent) == ["nexi.duckdb"]
    con = duckdb.connect(str(out), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM _build").fetchone()[0] == len(SCHEMA_TABLES)
    finally:
        con.close()


@pytest.mark.parametrize("failure", ["parse", "check-rule", "crash-mid-write"])
def test_failed_first_build_creates_nothing(tables, out, monkeypatch, failure):
    """Test that a failed build with no previous database leaves the folder empty."""
    if failure == "parse":
        set_row(tables, "regions.csv", 2, "mars,火星,Mars,1")
    elif failure == "check-rule":
        set_row(tables, "top_countries.csv", 11, "2024,10,ARE,アラブ首長国連邦,300684,103.7")
    else:
        _fail_in_write(monkeypatch)
    with pytest.raises((DataError, RuntimeError)):
        build(tables, out)
    assert listing(out.parent) == []


def test_successful_build_replaces_database_atomically(tables, out, monkeypatch):
    """Test that a build writes a complete file beside the target and renames it into place."""
    out.write_bytes(b"the previous database")
    real_replace = os.replace
    seen = []

    def spy(src, dst):
        src, dst = os.fspath(src), os.fspath(dst)
        if dst == os.fspath(out):
            # At the moment of the rename: the old file still serves, the new one is complete.
            assert out.read_bytes() == b"the previous database"
            assert os.path.dirname(src) == os.fspath(out.parent)
            con = duckdb.connect(src, read_only=True)
            try:
                seen.append(con.execute("SELECT count(*) FROM _build").fetchone()[0])
            finally:
                con.close()
        return real_replace(src, dst)

    monkeypatch.setattr(build_mod.os, "replace", spy)
    build(tables, out)
    assert seen == [len(SCHEMA_TABLES)]
    assert listing(out.parent) == ["nexi.duckdb"]
    assert out.read_bytes() != b"the previous database"


def test_build_table_lists_every_table_with_hash_and_row_count(tables, out):
    """Test that _build lists every declared table with its CSV's sha256 and data-row count."""
    build(tables, out)
    con = duckdb.connect(str(out), read_only=True)
    try:
        rows = con.execute("SELECT table_name, file, sha256, row_count, schema_version, built_at "
                           "FROM _build").fetchall()
        counts = {t.name: len(con.table(t.name).fetchall()) for t in SCHEMA_TABLES}
    finally:
        con.close()
    assert sorted(r[0] for r in rows) == sorted(t.name for t in SCHEMA_TABLES)
    assert len(rows) == len(SCHEMA_TABLES)
    for name, file, sha, row_count, version, built_at in rows:
        raw = (tables / file).read_bytes()
        assert file == f"{name}.csv"
        assert sha == hashlib.sha256(raw).hexdigest()
        assert row_count == len(csv_rows(tables / file)) - 1 == counts[name]
        assert version == build_mod.SCHEMA_VERSION
        assert built_at is not None
    by_name = {r[0]: r[3] for r in rows}
    # a few counts the report fixes: 111 partner agreements, 111 network members, 16 LEAD projects
    assert by_name["partner_agreements"] == 111
    assert by_name["sme_network"] == 111
    assert by_name["lead_projects"] == 16
    assert by_name["top_countries"] == 10
    assert by_name["prefectures"] == 47


def test_build_is_deterministic(tables, tmp_path):
    """Test that building twice from the same CSVs gives identical tables and _build rows."""
    a, b = build(tables, tmp_path / "a.duckdb"), build(tables, tmp_path / "b.duckdb")
    first, second = dump(a), dump(b)
    assert first == second
    assert first["_tables"] == sorted([t.name for t in SCHEMA_TABLES] + ["_build"])


def test_rebuild_over_existing_database_gives_same_contents(tables, out):
    """Test that rebuilding in place over an existing database gives the same table contents."""
    build(tables, out)
    first = dump(out)
    build(tables, out)
    assert dump(out) == first
    assert listing(out.parent) == ["nexi.duckdb"]


def test_built_types_follow_the_schema(tables, out):
    """Test that ints, floats, booleans, years and empty cells arrive typed (NULL, not '')."""
    build(tables, out)
    con = duckdb.connect(str(out), read_only=True)
    try:
        assert con.execute("SELECT amount_mjpy FROM product_stats WHERE fiscal_year = 2021 AND "
                           "product = 'buyer_credit' AND measure = 'premium'"
                           ).fetchone() == (-2641,)
        assert con.execute("SELECT share_pct, amount_mjpy FROM top_countries "
                           "WHERE rank = 1").fetchone() == (7.2, 591000)
        assert con.execute("SELECT on_map FROM country_regions WHERE iso3 = 'SGP'"
                           ).fetchone() == (False,)
        assert con.execute("SELECT count(*) FROM product_stats WHERE product = 'swap' AND "
                           "measure = 'underwriting' AND amount_mjpy IS NULL").fetchone() == (5,)
        assert con.execute("SELECT typeof(fiscal_year), typeof(amount_mjpy) FROM region_stats "
                           "LIMIT 1").fetchone() == ("INTEGER", "BIGINT")
        assert con.execute("SELECT prefecture_code FROM prefectures ORDER BY sort LIMIT 1"
                           ).fetchone() == ("01",)
    finally:
        con.close()


# ------------------------------------------------------ text cells, checked like numbers
# A note cut short at an unquoted comma once reached the pages (catalog.csv's products and
# top_countries rows): the field count and the brackets and quotes of every text cell catch it.

def set_cell(d, name, row, column, value):
    """Set one cell (spreadsheet row, header = 1), written back with proper CSV quoting."""
    rows = csv_rows(d / name)
    rows[row - 1][rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (d / name).write_text(buf.getvalue(), encoding="utf-8")


def _catalog_line(d, row, tail):
    """Spreadsheet row `row` of catalog.csv rewritten unquoted, its last two cells `tail`."""
    cells = csv_rows(d / "catalog.csv")[row - 1]
    rest = io.StringIO()
    csv.writer(rest, lineterminator="").writerow(cells[8:])  # source_en, quoted as written
    set_row(d, "catalog.csv", row, ",".join(cells[:6] + tail) + "," + rest.getvalue())


TEXT_CASES = [
    # the committed defect, replanted as it was: the note stopped at 「（8」 and 「162」 spilled
    # into notes_en, so the count matched and only the open bracket gives it away
    pytest.param(lambda d: _catalog_line(d, 8, ["構成比は地域別保険引受実績の合計（8", "162"]),
                 "catalog.csv", 8, "notes_ja", "（ at character 17 that is never closed",
                 id="note-cut-at-comma"),
    pytest.param(lambda d: _catalog_line(d, 3, ["保険種の区分", "Each of four families: export",
                                                " investment", " loan and reinsurance"]),
                 "catalog.csv", 3, "source_en", "has 11 fields; the header has 9",
                 id="catalog-extra-fields"),
    pytest.param(lambda d: set_row(d, "catalog.csv", 3, ",".join(
                     csv_rows(d / "catalog.csv")[2][:7])),
                 "catalog.csv", 3, "notes_en", "has 7 fields; the header has 9",
                 id="catalog-missing-field"),
    pytest.param(lambda d: set_cell(d, "regions.csv", 3, "name_en", "Middle East (with Türkiye"),
                 "regions.csv", 3, "name_en", "( at character 13 that is never closed",
                 id="open-paren"),
    pytest.param(lambda d: set_cell(d, "regions.csv", 3, "name_ja", "中東）"),
                 "regions.csv", 3, "name_ja", "） at character 3 that closes no （",
                 id="stray-fullwidth-paren"),
    pytest.param(lambda d: set_cell(d, "catalog.csv", 3, "notes_ja", "「輸出・投資の区分"),
                 "catalog.csv", 3, "notes_ja", "「 at character 1 that is never closed",
                 id="open-kagi"),
    pytest.param(lambda d: set_cell(d, "catalog.csv", 3, "notes_ja", "輸出』の区分"),
                 "catalog.csv", 3, "notes_ja", "』 at character 3 that closes no 『",
                 id="stray-double-kagi"),
    pytest.param(lambda d: set_cell(d, "catalog.csv", 3, "notes_en", "see [note 4"),
                 "catalog.csv", 3, "notes_en", "[ at character 5 that is never closed",
                 id="open-square"),
    pytest.param(lambda d: set_cell(d, "catalog.csv", 3, "notes_ja", "参考］欄"),
                 "catalog.csv", 3, "notes_ja", "］ at character 3 that closes no ［",
                 id="stray-fullwidth-square"),
    pytest.param(lambda d: set_cell(d, "catalog.csv", 3, "notes_en", 'the "family column'),
                 "catalog.csv", 3, "notes_en", '" at character 5 that is never closed',
                 id="odd-straight-quote"),
    pytest.param(lambda d: set_cell(d, "catalog.csv", 3, "notes_en", "the “family column"),
                 "catalog.csv", 3, "notes_en", "“ at character 5 that is never closed",
                 id="open-curly-quote"),
    pytest.param(lambda d: set_cell(d, "catalog.csv", 3, "notes_en", "the family” column"),
                 "catalog.csv", 3, "notes_en", "” at character 11 that closes no “",
                 id="stray-curly-quote"),
    pytest.param(lambda d: set_cell(d, "catalog.csv", 3, "notes_ja", "区分（輸出「投資）」"),
                 "catalog.csv", 3, "notes_ja", "） at character 9 while the 「 at character 6 is still open",
                 id="crossed-pairs"),
]


@pytest.mark.parametrize("corrupt, file, row, column, fragment", TEXT_CASES)
def test_malformed_text_cell_is_reported_with_file_row_and_column(tables, out, corrupt, file,
                                                                  row, column, fragment):
    """Test that a row of the wrong length, or a text cell whose brackets or quotes do not
    close, stops the build naming the file, the spreadsheet row and the column."""
    corrupt(tables)
    err = build_error(tables, out)
    assert_error(err, file, row, column, fragment)
    assert not out.exists()


@pytest.mark.parametrize("text", [
    "計（イ＋ロ）", "中小企業・小規模事業者向け「海外ビジネス支援パッケージ（沖縄）」",
    "年月は報告書どおり。1950年3月の行は報告書の［参考］欄から。", 'the "family" column',
    "(a) and [b]", "“quoted (in) full”", "『書名』", "no brackets at all", ""])
def test_balanced_text_passes(text):
    """Test that text whose pairs all close in order is accepted."""
    assert build_mod.unbalanced(text) is None


def test_every_committed_text_cell_is_balanced():
    """Test that no committed CSV has a text cell the bracket check would reject (the build
    test above stops at the first; this one lists them all)."""
    bad = [(path.name, n, header[i], cell)
           for path in sorted(TABLES.glob("*.csv"))
           for header, *rows in [csv_rows(path)]
           for n, row in enumerate(rows, 2) for i, cell in enumerate(row)
           if build_mod.unbalanced(cell)]
    assert bad == []
