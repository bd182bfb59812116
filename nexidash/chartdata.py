"""Every chart's numbers by URL: its CSV and, beside it, its `metadata.json`.

    /d/{name}.csv               the numbers behind the chart (headers in the page's language)
    /d/{name}.metadata.json     title, unit, source, notes, the query and its parameters, the
                                citation, the licence and the data version

`name` is a digest of the CSV and of the metadata (less its own URLs), so a link stays the same
for the same view on every build, and changes only when the numbers or what is said about them
change (a new data version among them). Both renderers use this module: the static page links to
the files; the app offers the same two files and names the static ones when the edition has them.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import i18n, paths, settings, tables, urls
from . import datapackage
from .pictures import digest
from .version import data_version


def _plain(value):
    """JSON for a query parameter DuckDB was given (numpy scalars become Python's)."""
    return value.item() if hasattr(value, "item") else value


def core(block, v) -> dict:
    """What is said about one chart (blocks.Chart) in the view `v`: everything but its URLs."""
    entry = v.q("catalog_entry", table_name=block.source)
    unit = str(entry[f"unit_{v.lang}"].iloc[0]) if len(entry) else ""
    query = block.data.attrs.get("query")
    version = data_version()
    return {
        "title": block.title,
        "unit": unit,
        "source": v.source_line(block.source),
        "source_table": block.source,
        "notes": block.note,
        "summary": block.summary,
        "language": v.lang,
        "columns": [{"name": tables.header(str(c), v.lang, block.labels), "field": str(c)}
                    for c in block.data.columns],
        "query": None if query is None else {
            "name": query["name"], "file": f"queries/{query['name']}.sql",
            "parameters": {k: _plain(x) for k, x in query["parameters"].items()}},
        "citation": i18n.translate(v.lang, "data.cite", year=v.report_year, title=block.title,
                                   version=version),
        "license": datapackage.licence(),
        "data_version": version,
        "report_year": v.report_year,
    }


def files(block, v) -> tuple[str, bytes, bytes]:
    """The chart's file name (no extension), its CSV and its metadata.json, as published."""
    csv = tables.csv_bytes(block.data, v.lang, block.labels)
    said = core(block, v)
    name = digest(csv + json.dumps(said, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    meta = {**said, "csv": data_url(name, "csv"), "metadata": data_url(name, "metadata.json"),
            "package": urls.absolute(urls.package_file(datapackage.PACKAGE))}
    body = json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return name, csv, body.encode("utf-8")


def data_url(name: str, ext: str) -> str:
    return urls.absolute(urls.chart_data(name, ext))


def snippets(csv_url: str) -> list[tuple[str, str]]:
    """How to load the CSV: one line each for DuckDB, pandas and R. The CSV starts with a
    byte-order mark (for Excel); DuckDB and pandas skip it, R is told to."""
    quoted = csv_url.replace("'", "%27").replace('"', "%22")
    return [("DuckDB", f"SELECT * FROM read_csv('{quoted}');"),
            ("pandas", f'pd.read_csv("{quoted}")'),
            ("R", f'read.csv("{quoted}", fileEncoding = "UTF-8-BOM")')]


def published(name: str) -> bool:
    """The edition `make serve` serves has this chart's files (the app then names their URLs);
    only under make serve, which sets NEXI_STATIC_EDITION."""
    if not settings.get("NEXI_STATIC_EDITION"):
        return False
    root = Path(settings.get("NEXI_EDITION"))
    root = root if root.is_absolute() else paths.ROOT / root
    return (root / "d" / f"{name}.csv").is_file()

