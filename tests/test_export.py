"""The all-tables downloads: the ZIP and the workbook hold exactly the public tables."""

import csv
import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from nexidash import export
from nexidash.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]
NAMES = [t.name for t in TABLES]


def test_zip_holds_every_table_byte_for_byte():
    """Test that the ZIP holds one CSV per declared table, identical to data/tables after a UTF-8 BOM (Excel reads it as UTF-8)."""
    zf = zipfile.ZipFile(io.BytesIO(export.tables_zip()))
    names = sorted(n.split("/")[-1] for n in zf.namelist())
    assert names == sorted(f"{n}.csv" for n in NAMES)
    for n in NAMES:
        assert zf.read(f"nexi_fy2024/{n}.csv") == \
            b"\xef\xbb\xbf" + (ROOT / "data/tables" / f"{n}.csv").read_bytes()


def test_zip_is_reproducible():
    """Test that two exports of the same tables are byte-identical."""
    assert export.tables_zip() == export.tables_zip()


def test_workbook_has_a_sheet_per_table_with_unit_source_and_rows():
    """Test that the workbook has one sheet per table named in its language, its unit and source in that language, English column headers in English, and every row."""
    wb = load_workbook(io.BytesIO(export.tables_xlsx(lang="en")))
    assert wb.sheetnames == [export.sheet_name(n, "en") for n in NAMES]
    assert all(0 < len(n) <= 31 and n.isascii() for n in wb.sheetnames)
    assert len(set(wb.sheetnames)) == len(NAMES)
    ws = wb["Results by product"]
    assert ws["A1"].value == "Business results by product"
    assert ws["A2"].value == "Unit" and ws["B2"].value == "million yen"
    assert "NEXI's business results" in ws["B3"].value and "NEXIの業務実績" in ws["C3"].value
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    with open(ROOT / "data/tables/product_stats.csv", encoding="utf-8") as fh:
        expected = list(csv.reader(fh))
    assert len(rows) == len(expected)
    assert list(rows[0]) == ["Fiscal year", "Product", "Measure", "Type of loss",
                             "Amount (¥ million)"]
    ja = load_workbook(io.BytesIO(export.tables_xlsx(lang="ja")))
    assert ja.sheetnames == [export.sheet_name(n, "ja") for n in NAMES]
    assert [c.value for c in ja["保険種別業務実績"][5]] == expected[0]
    assert "NEXIの業務実績" in ja["保険種別業務実績"]["B3"].value
    # typed cells: a printed △2,641 is the number -2641, a printed － is an empty cell
    bc = [r for r in rows[1:] if r[1] == "buyer_credit" and r[2] == "premium" and r[0] == 2021]
    assert bc[0][4] == -2641
    lc = [r for r in rows[1:] if r[1] == "lc_confirmation" and r[2] == "underwriting"
          and r[0] == 2020]
    assert lc[0][4] is None
