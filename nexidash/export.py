"""Every public table as one download: a ZIP of the CSVs, or one Excel workbook.

The CSVs in data/tables/ are the public data itself (the database is built from them), so the
ZIP carries them byte for byte after a UTF-8 byte-order mark: without it Excel, where most
readers open a CSV, reads the Japanese as mojibake. The workbook adds each table's title, unit
and source; its sheets are named in its language, and the English one has English column
headers (tables.header) where the Japanese one keeps the CSV's.

Each file is made once per state of the tables (their names, sizes and modification times) and
report year, then kept in memory: a press-day crowd clicking the same button shares one build,
and a rebuilt data folder makes a new file.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from . import i18n, paths, tables
from .build import parse_cell
from .schema import TABLES

_EPOCH = (2025, 3, 31, 0, 0, 0)  # fixed timestamps keep the archive reproducible
BOM = "\ufeff".encode("utf-8")


def table_files(tables_dir: Path | None = None) -> list[Path]:
    tables_dir = Path(tables_dir or paths.TABLES_DIR)
    return [tables_dir / f"{t.name}.csv" for t in TABLES]


def report_year(tables_dir: Path | None = None) -> int:
    """The year the report is for: the latest year of its printed totals (as the app's
    queries/report_year.sql says), read from the tables themselves."""
    tables_dir = Path(tables_dir or paths.TABLES_DIR)
    with open(tables_dir / "report_totals.csv", encoding="utf-8", newline="") as fh:
        return max(int(row["fiscal_year"]) for row in csv.DictReader(fh))


def _state(tables_dir: Path) -> tuple:
    """What the files depend on: every table's CSV and the catalog, as they are on disk now."""
    files = [*table_files(tables_dir), tables_dir / "catalog.csv"]
    return tuple((p.name, st.st_size, st.st_mtime_ns) for p in files for st in [p.stat()])


def tables_zip(tables_dir: Path | None = None, year: int | None = None) -> bytes:
    """Every table's CSV as it is after a BOM, in a folder named for the report year."""
    tables_dir = Path(tables_dir or paths.TABLES_DIR)
    year = year or report_year(tables_dir)
    return _tables_zip(tables_dir, year, _state(tables_dir))


@lru_cache(maxsize=4)
def _tables_zip(tables_dir: Path, year: int, _state: tuple) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in table_files(tables_dir):
            info = zipfile.ZipInfo(f"nexi_fy{year}/{path.name}", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, BOM + path.read_bytes())
    return buf.getvalue()


def _catalog(tables_dir: Path) -> dict[str, dict[str, str]]:
    with open(tables_dir / "catalog.csv", encoding="utf-8", newline="") as fh:
        return {row["table_name"]: row for row in csv.DictReader(fh)}


def _source(entry: dict, lang: str) -> list[str]:
    """The report section in the workbook's language; an English sheet adds the report's own
    heading in the next cell, which is what a reader searches the (Japanese-only) report for."""
    ja = entry.get("source_ja", "")
    return [ja] if lang == "ja" else [entry.get("source_en", ""), ja]


def tables_xlsx(tables_dir: Path | None = None, lang: str = "ja",
                year: int | None = None) -> bytes:
    """One sheet per table: title, unit and source on top, then the table with typed cells."""
    tables_dir = Path(tables_dir or paths.TABLES_DIR)
    year = year or report_year(tables_dir)
    return _tables_xlsx(tables_dir, lang, year, _state(tables_dir))


@lru_cache(maxsize=8)
def _tables_xlsx(tables_dir: Path, lang: str, year: int, _state: tuple) -> bytes:
    from openpyxl import Workbook  # here: openpyxl costs ~0.1 s to import, only this needs it
    from openpyxl.styles import Font

    catalog = _catalog(tables_dir)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for table in TABLES:
        ws = wb.create_sheet(title=sheet_name(table.name, lang))
        entry = catalog.get(table.name, {})
        title = entry.get(f"title_{lang}", table.name)
        unit = entry.get(f"unit_{lang}", "")
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append(["単位" if lang == "ja" else "Unit", unit])
        section, *heading = _source(entry, lang)
        ws.append(["出典" if lang == "ja" else "Source",
                   (f"NEXI 年次報告書{year}：" if lang == "ja"
                    else f"NEXI Annual Report FY{year}: ") + section, *heading])
        ws.append([])
        ws.append(list(table.column_names) if lang == "ja" else
                  [column_header(name) for name in table.column_names])
        for cell in ws[5]:
            cell.font = bold
        with open(tables_dir / f"{table.name}.csv", encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            for row_no, record in enumerate(reader, start=2):
                ws.append([parse_cell(col, raw, f"{table.name}.csv", row_no)
                           for raw, col in zip(record, table.columns)])
        ws.freeze_panes = "A6"
    # The workbook's own dates and its zip entries' times are fixed: the same tables give the
    # same file (the static edition and the press pack are built to be reproducible).
    when = datetime(*_EPOCH)
    wb.properties.created = wb.properties.modified = when
    buf = io.BytesIO()
    wb.save(buf)
    return steady_zip(buf.getvalue())


def sheet_name(table: str, lang: str) -> str:
    """A table's sheet: a short title in the workbook's language (sheet.<table>, at most
    Excel's 31 characters; tests/test_export.py checks)."""
    return i18n.translate(lang, f"sheet.{table}")


def column_header(name: str) -> str:
    """A column's English header; a name_ja / name_en pair says which language each holds."""
    head = tables.header(name, "en")
    if name.endswith("_ja"):
        return head + " (Japanese)"
    if name.endswith("_en"):
        return head + " (English)"
    return head


def steady_zip(data: bytes) -> bytes:
    """The same archive with every entry dated _EPOCH."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-03-31T00:00:00Z", body)
            dst.writestr(info, body)
    return out.getvalue()
