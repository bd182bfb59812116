"""The public tables as a Frictionless Data Package: `/data/` of the static edition.

    /data/datapackage.json      the package: every table's schema, description, source, unit
    /data/<table>.csv           the table as committed (UTF-8, no BOM: this copy is for machines)
    /data/<table>.parquet       the same rows with their types, written by DuckDB

Everything the descriptor says comes from where the site already keeps it: types, keys,
references and accepted codes from schema.py; titles, units, notes and report sections from the
catalog (data/tables/catalog.csv); each field's name in both languages from the column headers
the tables show (i18n `col.<name>`); the licence from the settings; the version and its date from
the recorded releases (releases.py). Nothing here describes a table a second time.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import duckdb

from . import i18n, paths, settings, tables, urls
from .build import _ident, _write, read_table
from .export import report_year
from .presskit_release import LICENSES
from .releases import release_of
from .schema import TABLES, Col, Table
from .version import data_version

PACKAGE = "datapackage.json"
# Our column kinds as Table Schema types; a kind without its own type is a string with a pattern.
_TYPES = {"int": "integer", "float": "number", "bool": "boolean", "year": "year",
          "month": "yearmonth"}
_PATTERNS = {"iso3": "[A-Z]{3}", "pref": "0[1-9]|[1-3][0-9]|4[0-7]"}
# What a name's language suffix adds to its header.
_IN_LANG = {"ja": {"_ja": "（日本語）", "_en": "（英語）"},
            "en": {"_ja": " (Japanese)", "_en": " (English)"}}


def catalog(tables_dir: Path | None = None) -> dict[str, dict[str, str]]:
    with open(Path(tables_dir or paths.TABLES_DIR) / "catalog.csv", encoding="utf-8",
              newline="") as fh:
        return {row["table_name"]: row for row in csv.DictReader(fh)}


def entry(table: str, cat: dict) -> dict[str, str]:
    """A table's catalog row; the catalog describes the other tables, so its own comes from the
    interface text (data.catalog.*)."""
    if table in cat:
        return cat[table]
    t = {lang: (lambda key, lang=lang: i18n.translate(lang, f"data.catalog.{key}"))
         for lang in i18n.LANGS}
    return {"title_ja": t["ja"]("title"), "title_en": t["en"]("title"), "unit_ja": "—",
            "unit_en": "—", "notes_ja": t["ja"]("notes"), "notes_en": t["en"]("notes"),
            "source_ja": "", "source_en": ""}


def field_label(col: Col, lang: str) -> str:
    """The column's header as the site's tables show it, with the language a text column holds."""
    head = tables.header(col.name, lang)
    suffix = next((s for s in _IN_LANG[lang] if col.name.endswith(s)), None)
    return head + (_IN_LANG[lang][suffix] if suffix else "")


def field(col: Col, table: Table) -> dict:
    out = {"name": col.name, "type": _TYPES.get(col.kind, "string"),
           "title": field_label(col, "en"), "description": field_label(col, "en"),
           "description_ja": field_label(col, "ja")}
    constraints: dict = {}
    if col.required or col.name in table.key:
        constraints["required"] = True
    if col.choices is not None and col.multi:
        one = "(" + "|".join(col.choices) + ")"
        constraints["pattern"] = f"{one}(;{one})*"
    elif col.choices is not None:
        constraints["enum"] = list(col.choices)
    elif col.kind in _PATTERNS:
        constraints["pattern"] = _PATTERNS[col.kind]
    if col.multi:
        out["description"] += " (codes separated by ;)"
        out["description_ja"] += "（複数のコードを ; で区切る）"
    if constraints:
        out["constraints"] = constraints
    if col.kind == "bool":
        out["trueValues"], out["falseValues"] = ["true"], ["false"]
    return out


def schema(table: Table) -> dict:
    out = {"fields": [field(c, table) for c in table.columns], "missingValues": [""],
           "primaryKey": list(table.key)}
    refs = [c for c in table.columns if c.ref]
    if refs:
        out["foreignKeys"] = [{"fields": [c.name], "reference": {
            "resource": c.ref.split(".")[0], "fields": [c.ref.split(".")[1]]}} for c in refs]
    return out


def licence() -> dict:
    spdx = settings.get("NEXI_LICENSE")
    name, url = LICENSES.get(spdx, (spdx, ""))
    return {"name": spdx, "title": name, **({"path": url} if url else {})}


def version_info(tables_dir: Path | None = None) -> dict:
    """The data's version (its content hash), the report year, and the date the version was
    released. A build must give the same bytes twice, so the date is the release's own,
    recorded with it (releases.py), never the time of building; data that is not a recorded
    release has no date, and the package says it is unreleased."""
    version = data_version(tables_dir)
    year = report_year(tables_dir)
    release = release_of(version)
    return {"data_version": version, "report_year": year,
            "version": f"fy{year}-{version}",
            "created": f"{release['date']}T00:00:00Z" if release else None}


def descriptor(tables_dir: Path | None = None) -> dict:
    tables_dir = Path(tables_dir or paths.TABLES_DIR)
    cat = catalog(tables_dir)
    info = version_info(tables_dir)
    year = info["report_year"]
    resources = []
    for table in TABLES:
        e = entry(table.name, cat)
        body = (tables_dir / f"{table.name}.csv").read_bytes()
        source = {}
        if e["source_ja"]:
            source = {"sources": [{
                "title": f"NEXI Annual Report FY{year}: {e['source_en']}",
                "title_ja": f"NEXI 年次報告書{year}：{e['source_ja']}"}]}
        resources.append({
            "name": table.name, "path": f"{table.name}.csv", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "bytes": len(body),
            "hash": hashlib.md5(body).hexdigest(),
            "title": e["title_en"], "title_ja": e["title_ja"],
            "description": e["notes_en"], "description_ja": e["notes_ja"],
            "unit": e["unit_en"], "unit_ja": e["unit_ja"], **source,
            "parquet": f"{table.name}.parquet", "schema": schema(table)})
    out = {"name": f"nexi-annual-report-fy{year}", "title": i18n.translate(
        "en", "data.package.title", year=year), "title_ja": i18n.translate(
        "ja", "data.package.title", year=year),
        "description": i18n.translate("en", "data.package.description", year=year),
        "description_ja": i18n.translate("ja", "data.package.description", year=year),
        "version": info["version"], "data_version": info["data_version"],
        "report_year": year, "licenses": [licence()],
        "homepage": urls.absolute(urls.PACKAGE), "resources": resources}
    if info["created"]:
        out["created"] = info["created"]
    else:
        out["unreleased"] = True
    return out


def write_parquet(out: Path, tables_dir: Path | None = None) -> None:
    """Each table as Parquet, typed as the database types it: the same validated build
    (build._write) into an in-memory DuckDB, then COPY ... TO each file. The path is a bound
    parameter (DuckDB takes one in brackets); the table name is schema.py's own, quoted."""
    tables_dir = Path(tables_dir or paths.TABLES_DIR)
    parsed = {t.name: read_table(t, tables_dir) for t in TABLES}
    con = duckdb.connect(":memory:", config={"threads": 1})  # one thread: the same bytes twice
    try:
        _write(con, tables_dir, parsed)
        for table in TABLES:
            con.execute("COPY (SELECT * FROM " + _ident(table.name) + ") TO ($path) "
                        "(FORMAT parquet, COMPRESSION zstd)",
                        {"path": str(out / f"{table.name}.parquet")})
    finally:
        con.close()


def write(out: Path, tables_dir: Path | None = None) -> dict:
    """The package into `out` (the edition's /data/): the CSVs byte for byte, the Parquet files
    and the descriptor. Returns the descriptor."""
    tables_dir = Path(tables_dir or paths.TABLES_DIR)
    out.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        shutil.copyfile(tables_dir / f"{table.name}.csv", out / f"{table.name}.csv")
    write_parquet(out, tables_dir)
    desc = descriptor(tables_dir)
    (out / PACKAGE).write_text(json.dumps(desc, ensure_ascii=False, indent=1) + "\n",
                               encoding="utf-8")
    return desc
