"""Reuse: the data package validates, each chart's metadata says what its CSV holds, and the
versions and corrections are found from the data and explained by the log."""

from __future__ import annotations

import io
from csv import reader
from itertools import islice
import json
import math
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from frictionless import validate

from nexidash import blocks as b
from nexidash import chartdata, datapackage, db, edition_data, i18n, releases, site, urls
from nexidash.schema import TABLES
from nexidash.version import data_version
from nexidash.view import View
from tests.helpers import views

TABLES_DIR = Path(__file__).resolve().parents[1] / "data" / "tables"


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("package")
    datapackage.write(out)
    return out


def _errors(path: Path) -> list:
    return validate(str(path)).flatten(["resourceName", "type", "note"])


# -- the package --------------------------------------------------------------------------------
def test_the_package_passes_frictionless_validate(package):
    assert _errors(package / "datapackage.json") == []


def test_a_planted_error_fails_validation(package, tmp_path):
    """A code outside schema.py's list, in a package whose sizes and hashes were made to match
    the edited file: the schema catches it, not only the checksum."""
    out = tmp_path / "data"
    shutil.copytree(package, out)
    path = out / "region_stats.csv"
    path.write_bytes(path.read_bytes().replace(b",underwriting,", b",underwritng,", 1))
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    found = next(r for r in desc["resources"] if r["name"] == "region_stats")
    found["bytes"] = path.stat().st_size
    found.pop("hash")
    (out / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    errors = _errors(out / "datapackage.json")
    assert [e[1] for e in errors] == ["constraint-error"] and "enum" in errors[0][2]
    # and a reference to a row that does not exist
    path = out / "products.csv"
    path.write_bytes(path.read_bytes().replace(b",export,", b",exports,", 1))
    found = next(r for r in desc["resources"] if r["name"] == "products")
    found["bytes"] = path.stat().st_size
    found.pop("hash")
    (out / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    assert "foreign-key" in {e[1] for e in _errors(out / "datapackage.json")}


def test_every_table_and_field_is_described_in_both_languages(package):
    desc = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in desc["resources"]] == [t.name for t in TABLES]
    for table, r in zip(TABLES, desc["resources"]):
        assert r["title"] and r["title_ja"] and r["unit"] and r["unit_ja"], table.name
        assert r["schema"]["primaryKey"] == list(table.key)
        refs = {f["fields"][0]: f"{f['reference']['resource']}.{f['reference']['fields'][0]}"
                for f in r["schema"].get("foreignKeys", [])}
        assert refs == {c.name: c.ref for c in table.columns if c.ref}, table.name
        if table.name != "catalog":
            assert r["sources"][0]["title_ja"].endswith(
                datapackage.catalog()[table.name]["source_ja"])
        for col, f in zip(table.columns, r["schema"]["fields"]):
            assert f["name"] == col.name
            for text in (f["description"], f["description_ja"]):
                assert text and text != col.name, (table.name, col.name)
            if col.choices and not col.multi:
                assert f["constraints"]["enum"] == list(col.choices)
    assert desc["licenses"][0]["name"] == "CC-BY-4.0"
    assert desc["data_version"] == data_version()
    assert desc["version"] == f"fy{desc['report_year']}-{data_version()}"
    assert desc["created"] == releases.release_of(data_version())["date"] + "T00:00:00Z"


def test_the_parquet_files_hold_the_csv_rows_with_their_types(package):
    con = duckdb.connect()
    for table in TABLES:
        parquet = con.execute("SELECT * FROM read_parquet($p)",
                              {"p": str(package / f"{table.name}.parquet")}).df()
        assert list(parquet.columns) == list(table.column_names)
        assert len(parquet) == len(pd.read_csv(TABLES_DIR / f"{table.name}.csv"))
    kinds = dict(con.execute("SELECT name, type FROM parquet_schema($p)",
                             {"p": str(package / "region_stats.parquet")}).fetchall())
    assert kinds["fiscal_year"] == "INT32" and kinds["amount_mjpy"] == "INT64"


def test_the_package_is_the_same_twice(package, tmp_path):
    datapackage.write(tmp_path)
    for path in sorted(package.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


# -- each chart's metadata ----------------------------------------------------------------------
def _charts(blocks):
    for x in blocks:
        if isinstance(x, b.Columns):
            for part in x.parts:
                yield from _charts(part)
        elif isinstance(x, b.Details):
            yield from _charts(x.blocks)
        elif isinstance(x, b.Chart):
            yield x


def _norm(value):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) or hasattr(value, "item"):
        number = float(value)
        return int(number) if number.is_integer() else round(number, 6)
    return str(value)


def _number(value):
    """A CSV cell as the query's value would read: a number where it parses as one."""
    if not isinstance(value, str):
        return value
    if value in ("true", "false", "True", "False"):
        return value.lower() == "true"
    try:
        return float(value)
    except ValueError:
        return value


def check_chart(block: b.Chart, v: View) -> None:
    """The chart's published files against the query they name: the CSV's rows are rows of the
    query's result (on the figures the two share), and the title and unit are the chart's."""
    name, csv, meta_bytes = chartdata.files(block, v)
    meta = json.loads(meta_bytes)
    assert meta["title"] == block.title
    entry = v.q("catalog_entry", table_name=block.source)
    assert meta["unit"] == entry[f"unit_{v.lang}"].iloc[0]
    assert meta["source"] == v.source_line(block.source)
    if any(c["field"].endswith("_mjpy") for c in meta["columns"]):
        assert meta["unit"] == {"ja": "百万円", "en": "million yen"}[v.lang], block.key
    assert meta["csv"].endswith(f"/d/{name}.csv")
    assert meta["metadata"].endswith(f"/d/{name}.metadata.json")
    assert meta["data_version"] == data_version()
    query = meta["query"]
    assert query, f"{block.key}: no query named"
    answer = db.run(query["name"], **query["parameters"])
    head, *body = list(reader(io.StringIO(csv.decode("utf-8-sig"), newline="")))
    assert head == [c["name"] for c in meta["columns"]]
    published = pd.DataFrame([[x if x != "" else None for x in r] for r in body],
                             columns=[c["field"] for c in meta["columns"]], dtype=object)
    # The figures: a page may put a code's label in place of the code, never other numbers.
    both = [c for c in published.columns if c in answer.columns]
    shared = [c for c in both if answer[c].dtype.kind in "iuf"] or both
    assert shared, f"{block.key}: the CSV shares no column with {query['name']}"

    def rows(frame):
        return sorted((tuple(_norm(_number(x)) for x in r)
                       for r in frame[shared].itertuples(index=False, name=None)), key=repr)

    theirs = rows(answer)
    for row in rows(published):
        assert row in theirs, f"{block.key}: {row} is not a row of {query['name']}"


@pytest.mark.parametrize("page", [p.path for p in site.PAGES])
def test_each_charts_metadata_matches_its_query(page):
    found = 0
    spec = next(p for p in site.PAGES if p.path == page)
    # Every chart of the page in the default view, both languages, then the views one choice
    # away (the first dozen: the country page has a view per country).
    for params in islice(views(spec), 12):
        for lang in i18n.LANGS if not params else (i18n.DEFAULT_LANG,):
            year = params.get("year")
            v = View(lang, year, chooser=lambda c, p=params: p.get(c.key, c.default),
                     fixed={"iso3": "EGY"} if page == urls.COUNTRY_PAGE else None)
            for block in _charts(spec.load().build(v)):
                check_chart(block, v)
                found += 1
    assert found or page in {"press", "glossary", "about", "country"}


def test_a_wrong_query_or_unit_fails_the_check():
    v = View("ja")
    block = next(_charts(site.PAGES[1].load().build(v)))
    assert block.data.attrs["query"]["name"] == "region_measure_year"
    wrong = block.data.copy()
    wrong.attrs = {"query": {"name": "region_measure_year", "parameters": {
        "fiscal_year": 2020, "measure": "underwriting", "risk": "total"}}}  # another year
    with pytest.raises(AssertionError):
        check_chart(b.Chart(block.key, block.title, block.plots, wrong, block.source,
                            labels=block.labels), v)
    with pytest.raises(AssertionError):
        check_chart(b.Chart(block.key, block.title, block.plots, block.data, "regions",
                            labels=block.labels), v)  # a table without a unit


def test_chart_file_names_are_stable_and_follow_the_content():
    v = View("en")
    block = next(_charts(site.PAGES[1].load().build(v)))
    first = chartdata.files(block, v)
    again = View("en")
    second = chartdata.files(next(_charts(site.PAGES[1].load().build(again))), again)
    assert first == second
    other = b.Chart(block.key, block.title + " (x)", block.plots, block.data, block.source,
                    labels=block.labels)
    assert chartdata.files(other, v)[0] != first[0]


# -- versions and corrections -------------------------------------------------------------------
@pytest.fixture
def world(tmp_path):
    """A copy of the tables, the releases and an empty corrections log to plant changes in."""
    tables, recorded, log = tmp_path / "tables", tmp_path / "releases", tmp_path / "log.csv"
    shutil.copytree(TABLES_DIR, tables)
    shutil.copytree(releases.RELEASES_DIR, recorded)
    log.write_text(",".join(releases.CORRECTION_COLUMNS) + "\n", encoding="utf-8")
    return tables, recorded, log


def _plant(tables: Path) -> tuple[str, str, str]:
    """Change one figure of region_stats; returns (key, old, new)."""
    path = tables / "region_stats.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].rstrip("\n").split(",")
    old, new = cells[4], str(int(cells[4]) + 1)
    lines[1] = ",".join(cells[:4] + [new]) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return "|".join(cells[:4]), old, new


def _log(log: Path, version: str, key: str, old: str, new: str) -> None:
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"{version},region_stats,{key},amount_mjpy,{old},{new},転記の誤り,"
                 "A transcription slip\n")


def test_a_planted_correction_must_be_logged_with_its_old_value(world):
    tables, recorded, log = world
    key, old, new = _plant(tables)
    version = data_version(tables)
    latest = releases.history(tables, recorded, log)[0]
    assert latest.date is None and latest.version == version
    assert latest.unexplained == [("region_stats", key)]
    with pytest.raises(ValueError, match="without an entry"):
        releases.record("2027-01-15", tables, recorded, log)
    _log(log, version, key, str(int(old) - 5), new)  # an old value that was never published
    assert releases.history(tables, recorded, log)[0].unexplained == [("region_stats", key)]
    log.write_text(",".join(releases.CORRECTION_COLUMNS) + "\n", encoding="utf-8")
    _log(log, version, key, old, new)
    latest = releases.history(tables, recorded, log)[0]
    assert latest.unexplained == [] and [e["new"] for e in latest.corrected] == [new]
    releases.record("2027-01-15", tables, recorded, log)
    done = releases.history(tables, recorded, log)
    assert [c.date for c in done[:2]] == ["2027-01-15", done[1].date]
    assert done[0].before == done[1].version and done[0].corrected[0]["old"] == old
    html = edition_data.changes_body(View("en"), done)
    assert "A transcription slip" in html and f"Changes since version {done[1].version}" in html
    assert "転記の誤り" in edition_data.changes_body(View("ja"), done)


def test_added_and_removed_rows_are_found(world):
    tables, recorded, log = world
    path = tables / "history.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    gone = releases.row_key("history", dict(zip(lines[0].strip().split(","),
                                                lines[-1].strip().split(","))))
    latest = releases.history(tables, recorded, log)[0]
    assert latest.removed == {"history": [gone]} and not latest.unexplained


def test_the_committed_tables_are_a_recorded_release():
    """The package's `created` is the release's date: change a table, then record it
    (`python -m nexidash.releases record --date YYYY-MM-DD`, with any correction logged)."""
    latest = releases.history()[0]
    assert latest.date, (f"data version {latest.version} is not a recorded release; run "
                         "python -m nexidash.releases record --date YYYY-MM-DD")
    assert not latest.unexplained


def test_the_corrections_log_names_real_versions_tables_and_columns():
    versions = {r["version"] for r in releases.releases()}
    for e in releases.corrections():
        assert e["version"] in versions
        table = next(t for t in TABLES if t.name == e["table"])
        assert e["column"] in table.column_names and e["reason_ja"] and e["reason_en"]


def test_the_app_offers_the_charts_two_files_and_how_to_load_them():
    from tests.helpers import open_page

    at = open_page("regions", view_region_map="table", lang="en")
    code = "\n".join(c.value for c in at.code)
    assert "read_csv('nexi_fy2024_region_map_en.csv')" in code
    assert 'pd.read_csv("nexi_fy2024_region_map_en.csv")' in code and "read.csv(" in code


def test_the_app_names_the_stable_urls_when_the_served_edition_has_them(tmp_path, monkeypatch):
    from tests.helpers import open_page

    v = View("en")
    stem = chartdata.files(next(_charts(site.PAGES[1].load().build(v))), v)[0]
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / f"{stem}.csv").write_text("x\n", encoding="utf-8")
    monkeypatch.setenv("NEXI_STATIC_EDITION", "1")
    monkeypatch.setenv("NEXI_EDITION", str(tmp_path))
    at = open_page("regions", view_region_map="table", lang="en")
    assert f"SELECT * FROM read_csv('{urls.absolute(urls.chart_data(stem, 'csv'))}');" in \
        "\n".join(c.value for c in at.code)
    assert any(urls.chart_data(stem, "metadata.json") in m.value for m in at.markdown)
