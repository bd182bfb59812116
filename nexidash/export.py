"""Every public table as one download: a ZIP of the CSVs, or one Excel workbook.

The CSVs in data/tables/ are the public data itself (the database is built from them), so the
ZIP carries them byte for byte; the workbook adds each table's title, unit and source.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from . import paths
from .build import parse_cell
from .schema import TABLES

_EPOCH = (2025, 3, 31, 0, 0, 0)  # fixed timestamps keep the archive reproducible


def table_files(tables_dir: Path | None = None) -> list[Path]:
    tables_dir = Path(tables_dir or paths.TABLES_DIR)
    return [tables_dir / f"{t.name}.csv" for t in TABLES]


def tables_zip(tables_dir: Path | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in table_files(tables_dir):
            info = zipfile.ZipInfo(f"nexi_fy2024/{path.name}", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    return buf.getvalue()


def _catalog(tables_dir: Path) -> dict[str, dict[str, str]]:
    with open(tables_dir / "catalog.csv", encoding="utf-8", newline="") as fh:
        return {row["table_name"]: row for row in csv.DictReader(fh)}


def tables_xlsx(tables_dir: Path | None = None, lang: str = "ja") -> bytes:
    """One sheet per table: title, unit and source on top, then the table with typed cells."""
    from openpyxl import Workbook  # here: openpyxl costs ~0.1 s to import, only this needs it
    from openpyxl.styles import Font

    tables_dir = Path(tables_dir or paths.TABLES_DIR)
    catalog = _catalog(tables_dir)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for table in TABLES:
        ws = wb.create_sheet(title=table.name[:31])
        entry = catalog.get(table.name, {})
        title = entry.get(f"title_{lang}", table.name)
        unit = entry.get(f"unit_{lang}", "")
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append(["単位" if lang == "ja" else "Unit", unit])
        ws.append(["出典" if lang == "ja" else "Source",
                   "NEXI 年次報告書 2024 / NEXI Annual Report FY2024: " + entry.get("source_ja", "")])
        ws.append([])
        ws.append(list(table.column_names))
        for cell in ws[5]:
            cell.font = bold
        with open(tables_dir / f"{table.name}.csv", encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            for row_no, record in enumerate(reader, start=2):
                ws.append([parse_cell(col, raw, f"{table.name}.csv", row_no)
                           for raw, col in zip(record, table.columns)])
        ws.freeze_panes = "A6"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
