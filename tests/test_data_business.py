"""Checks of the business statistics tables (業務実績) against the report's printed figures.

Every expected value below is typed in from NEXI's Annual Report FY2024
(printed 合計 rows, 構成比, 対前期増減率, chart labels and a few spot values);
none is read back from the CSVs.

Rounding: the report prints amounts rounded to the million yen and says
totals may not equal the sum of the parts. A printed integer x therefore
stands for a true value in [x - 0.5, x + 0.5]. Every check is exact first;
only the cells listed in the ``*_ROUNDING`` sets below are instead held to
"consistent with rounding of the printed inputs", and for those the test also
asserts that the exact check really fails, so the lists cannot grow stale.
"""

from fractions import Fraction
from itertools import product as cartesian
from math import floor
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
TABLES = ROOT / "data" / "tables"

YEARS = [2020, 2021, 2022, 2023, 2024]
REGIONS = ["asia", "middle_east", "europe", "north_america", "central_america",
           "south_america", "africa", "oceania", "intl_org"]
REGIONS8 = REGIONS[:8]
PRODUCTS = ["general_trade", "limit_trade", "sme_agri_export", "simplified_comprehensive",
            "export_bill", "lc_confirmation", "prepayment_import", "overseas_investment",
            "buyer_credit", "overseas_untied_loan", "swap", "reinsurance"]
RISKS3 = ["total", "political", "commercial"]


# ---------------------------------------------------------------- helpers

def load(name):
    return pd.read_csv(TABLES / name, dtype=str, keep_default_na=False)


def num(s):
    return None if s == "" else int(s)


def region_cells():
    df = load("region_stats.csv")
    return {(int(r.fiscal_year), r.region, r.measure, r.risk): num(r.amount_mjpy)
            for r in df.itertuples()}


def product_cells():
    df = load("product_stats.csv")
    return {(int(r.fiscal_year), r.product, r.measure, r.risk): num(r.amount_mjpy)
            for r in df.itertuples()}


def risk_cells():
    df = load("risk_stats.csv")
    return {(int(r.fiscal_year), r.risk): num(r.amount_mjpy) for r in df.itertuples()}


def round1(x):
    """Round an exact Fraction to one decimal, half away from zero (half up)."""
    sign = -1 if x < 0 else 1
    return sign * Fraction(floor(abs(x) * 10 + Fraction(1, 2)), 10)


def printed(s):
    """A printed one-decimal figure ('△4.6' style already converted to '-4.6')."""
    return Fraction(s)


def within_rounding(printed_pct, numerators, denominators, minus_one=False):
    """Return whether a printed percentage is consistent with inputs rounded to 1 unit."""
    values = []
    for n, d in cartesian(numerators, denominators):
        r = Fraction(n) / Fraction(d)
        values.append((r - 1 if minus_one else r) * 100)
    lo, hi = min(values), max(values)
    return lo - Fraction(1, 20) <= printed_pct <= hi + Fraction(1, 20)


def corners(x):
    return (Fraction(2 * x - 1, 2), Fraction(2 * x + 1, 2))


def share_ok(printed_s, part, total):
    exact = round1(Fraction(part, total) * 100) == printed(printed_s)
    loose = within_rounding(printed(printed_s), corners(part), corners(total))
    return exact, loose


def yoy_ok(printed_s, cur, prev):
    exact = round1((Fraction(cur, prev) - 1) * 100) == printed(printed_s)
    loose = within_rounding(printed(printed_s), corners(cur), corners(prev), minus_one=True)
    return exact, loose


def check(label, key, exact, loose, tolerated):
    if key in tolerated:
        assert loose, f"{label} {key}: not even consistent with rounding"
        assert not exact, f"{label} {key}: listed as a rounding case but matches exactly"
    else:
        assert exact, f"{label} {key}: does not recompute exactly"


# ------------------------------------------------- printed figures (typed in)

# 合計 rows of the product tables, FY2020..FY2024
PRODUCT_TOTALS = {
    "underwriting": [6143627, 6947796, 7627149, 7966513, 7602398],
    "outstanding": [12724503, 14311346, 16103751, 17245632, 15484121],
    "premium": [31852, 30444, 29942, 59168, 31679],
}
# 合計 row of the claims tables (same in the product and region tables): total, political, commercial
CLAIMS_TOTALS = {
    2020: (23076, 4071, 19005),
    2021: (61241, 36541, 24699),
    2022: (32260, 7441, 24819),
    2023: (27918, 1609, 26309),
    2024: (115097, 84605, 30493),
}
# 合計 row of 地域別回収状況 and of 非常・信用別回収状況 (printed identically in both)
RECOVERIES_TOTALS = [23458, 19607, 55722, 27410, 22336]
RISK_RECOVERIES_TOTALS = [23458, 19607, 55722, 27410, 22336]

# (table, fiscal_year, risk) where the printed 合計 differs from the sum of the printed parts
TOTAL_ROUNDING = {
    ("underwriting", 2020, "total"), ("underwriting", 2021, "total"),
    ("underwriting", 2022, "total"), ("underwriting", 2024, "total"),
    ("outstanding", 2021, "total"), ("outstanding", 2022, "total"),
    ("outstanding", 2024, "total"),
    ("premium", 2020, "total"), ("premium", 2022, "total"),
    ("claims_paid", 2021, "total"), ("claims_paid", 2022, "total"),
    ("claims_paid", 2024, "total"), ("claims_paid", 2022, "political"),
    ("claims_paid", 2024, "political"), ("claims_paid", 2024, "commercial"),
    ("region_claims", 2020, "political"), ("region_claims", 2021, "political"),
    ("region_claims", 2022, "total"), ("region_claims", 2022, "political"),
    ("region_claims", 2022, "commercial"),
    ("region_recoveries", 2020, "total"), ("region_recoveries", 2022, "total"),
    ("region_recoveries", 2023, "total"), ("region_recoveries", 2024, "total"),
    ("risk_recoveries", 2020, "total"), ("risk_recoveries", 2023, "total"),
}

# FY2024 構成比 and 対前期増減率 as printed (None = printed －)
PRODUCT_RATIOS = {
    "underwriting": {
        "general_trade": ("72.7", "-0.4"), "limit_trade": ("0.1", "-17.7"),
        "sme_agri_export": ("0.2", "-0.5"), "simplified_comprehensive": ("3.1", "23.3"),
        "export_bill": ("0.1", "17.8"), "lc_confirmation": ("0.0", None),
        "prepayment_import": ("0.0", "-49.3"), "overseas_investment": ("9.7", "-4.2"),
        "buyer_credit": ("0.6", "86.8"), "overseas_untied_loan": ("10.5", "-30.8"),
        "swap": (None, None), "reinsurance": ("2.9", "-9.1"),
    },
    "outstanding": {
        "general_trade": ("44.0", "-9.0"), "limit_trade": ("0.1", "-17.8"),
        "sme_agri_export": ("0.0", "-4.8"), "simplified_comprehensive": ("0.6", "34.5"),
        "export_bill": ("0.0", "5.0"), "lc_confirmation": (None, None),
        "prepayment_import": ("0.0", "-75.5"), "overseas_investment": ("12.6", "-5.1"),
        "buyer_credit": ("3.1", "-17.9"), "overseas_untied_loan": ("35.5", "-9.8"),
        "swap": (None, None), "reinsurance": ("4.0", "-33.1"),
    },
    "premium": {
        "general_trade": ("39.3", "0.3"), "limit_trade": ("0.6", "-36.1"),
        "sme_agri_export": ("0.5", "-10.1"), "simplified_comprehensive": ("2.3", "26.2"),
        "export_bill": ("0.3", "19.0"), "lc_confirmation": (None, None),
        "prepayment_import": ("0.0", None), "overseas_investment": ("23.5", "-3.9"),
        "buyer_credit": ("5.3", "31.7"), "overseas_untied_loan": ("21.9", "-78.2"),
        "swap": (None, None), "reinsurance": ("6.2", "-58.3"),
    },
    "claims_paid": {
        "general_trade": ("2.6", "-68.2"), "limit_trade": ("2.2", None),
        "sme_agri_export": ("0.0", "134.5"), "simplified_comprehensive": (None, None),
        "export_bill": ("0.0", None), "lc_confirmation": (None, None),
        "prepayment_import": (None, None), "overseas_investment": ("52.7", "360759.4"),
        "buyer_credit": (None, None), "overseas_untied_loan": ("35.5", "544.7"),
        "swap": (None, None), "reinsurance": ("7.0", "-33.6"),
    },
}
PRODUCT_TOTAL_YOY = {"underwriting": "-4.6", "outstanding": "-10.2", "premium": "-46.5",
                     "claims_paid": "312.3"}

REGION_RATIOS = {
    "underwriting": {
        "asia": ("50.6", "-4.4"), "middle_east": ("11.4", "5.9"), "europe": ("5.7", "-6.8"),
        "north_america": ("7.2", "2.6"), "central_america": ("9.7", "-0.7"),
        "south_america": ("6.9", "-27.1"), "africa": ("5.9", "9.9"),
        "oceania": ("1.7", "6.5"), "intl_org": ("1.0", "-2.0"),
    },
    "outstanding": {
        "asia": ("47.6", "-3.3"), "middle_east": ("16.8", "-11.0"), "europe": ("4.9", "-31.9"),
        "north_america": ("6.7", "-6.7"), "central_america": ("3.7", "-12.8"),
        "south_america": ("7.6", "-11.7"), "africa": ("9.2", "-4.5"),
        "oceania": ("2.1", "-20.1"), "intl_org": ("1.4", "-64.6"),
    },
    "claims_paid": {
        "asia": ("1.4", "-24.7"), "middle_east": ("0.2", "-97.5"), "europe": ("92.9", "2434.5"),
        "north_america": ("0.2", "1746.3"), "central_america": ("0.6", "-55.1"),
        "south_america": ("2.5", "-77.0"), "africa": ("2.2", "669.6"),
        "oceania": (None, None),
    },
    "recoveries": {
        "asia": ("9.0", "-31.4"), "middle_east": ("37.8", "-0.5"), "europe": ("12.0", "-32.4"),
        "north_america": ("0.2", "492.7"), "central_america": ("3.5", "-41.0"),
        "south_america": ("24.3", "-39.7"), "africa": ("13.2", "76.7"),
        "oceania": ("0.0", "-56.0"),
    },
}
RISK_RATIOS = {"political": ("65.3", "-20.4"), "commercial": ("34.7", "-14.8")}
RECOVERIES_TOTAL_YOY = "-18.5"

# ratio cells that only recompute within rounding: (table, code, "share"|"yoy")
RATIO_ROUNDING = {
    ("underwriting", "prepayment_import", "yoy"),
    ("outstanding", "export_bill", "yoy"),
    ("outstanding", "prepayment_import", "yoy"),
    ("premium", "limit_trade", "yoy"),
    ("premium", "sme_agri_export", "yoy"),
    ("premium", "export_bill", "yoy"),
    ("claims_paid", "sme_agri_export", "yoy"),
    ("claims_paid", "overseas_investment", "yoy"),
    ("region_claims_paid", "europe", "yoy"),
    ("region_claims_paid", "north_america", "yoy"),
    ("region_claims_paid", "central_america", "yoy"),
    ("region_claims_paid", "africa", "yoy"),
    ("region_recoveries", "north_america", "yoy"),
    ("region_recoveries", "oceania", "yoy"),
}
# FY2024 share printed － although the FY2024 amount is positive (it would round to 0.0)
SHARE_PRINTED_DASH_WITH_AMOUNT = {
    ("outstanding", "lc_confirmation"),
    ("region_claims_paid", "oceania"),
}


# ------------------------------------------------------------------ tests

def test_regions_table_matches_contract():
    """Test that regions.csv holds the 9 contract regions in report order with their names."""
    df = load("regions.csv")
    assert list(df.columns) == ["region", "name_ja", "name_en", "sort"]
    assert df["region"].tolist() == REGIONS
    assert df["sort"].tolist() == [str(i) for i in range(1, 10)]
    assert df["name_ja"].tolist() == ["アジア", "中東", "ヨーロッパ", "北米", "中米", "南米",
                                      "アフリカ", "オセアニア", "国際機関"]
    assert df["name_en"].tolist() == ["Asia", "Middle East", "Europe", "North America",
                                      "Central America", "South America", "Africa", "Oceania",
                                      "International organisations"]


def test_products_and_families_match_contract():
    """Test that products.csv and product_families.csv hold the contract codes, names and families."""
    df = load("products.csv")
    assert list(df.columns) == ["product", "name_ja", "name_en", "family", "sort"]
    assert df["product"].tolist() == PRODUCTS
    assert df["sort"].tolist() == [str(i) for i in range(1, 13)]
    assert df["name_ja"].tolist() == [
        "貿易一般保険", "限度額設定型貿易保険", "中小企業・農林水産業輸出代金保険",
        "簡易通知型包括保険", "輸出手形保険", "信用状確認保険", "前払購入保険", "海外投資保険",
        "貿易代金貸付保険", "海外事業資金貸付保険", "スワップ取引保険", "再保険"]
    assert df["family"].tolist() == ["export"] * 7 + ["investment", "loan", "loan", "loan",
                                                      "reinsurance"]
    assert (df["name_en"] != "").all() and df["name_en"].is_unique
    fam = load("product_families.csv")
    assert list(fam.columns) == ["family", "name_ja", "name_en", "sort"]
    assert fam.values.tolist() == [
        ["export", "輸出保険", "Export insurance", "1"],
        ["investment", "投資保険", "Investment insurance", "2"],
        ["loan", "融資保険", "Loan insurance", "3"],
        ["reinsurance", "再保険", "Reinsurance", "4"],
    ]


def test_region_stats_grid_is_complete_and_unique():
    """Test that region_stats.csv has exactly the report's region×year×measure×risk cells, once each."""
    df = load("region_stats.csv")
    assert list(df.columns) == ["fiscal_year", "region", "measure", "risk", "amount_mjpy"]
    keys = list(zip(df.fiscal_year.astype(int), df.region, df.measure, df.risk))
    assert len(keys) == len(set(keys))
    expected = set()
    for y in YEARS:
        for r in REGIONS:
            expected |= {(y, r, "underwriting", "total"), (y, r, "outstanding", "total")}
        for r in REGIONS8:
            expected |= {(y, r, "claims_paid", k) for k in RISKS3}
            expected.add((y, r, "recoveries", "total"))
    assert set(keys) == expected
    assert len(keys) == 250
    assert df["amount_mjpy"].str.fullmatch(r"(-?\d+)?").all()


def test_product_stats_grid_is_complete_and_unique():
    """Test that product_stats.csv has exactly the report's product×year×measure×risk cells, once each."""
    df = load("product_stats.csv")
    assert list(df.columns) == ["fiscal_year", "product", "measure", "risk", "amount_mjpy"]
    keys = list(zip(df.fiscal_year.astype(int), df["product"], df.measure, df.risk))
    assert len(keys) == len(set(keys))
    expected = set()
    for y, p in cartesian(YEARS, PRODUCTS):
        expected |= {(y, p, m, "total") for m in ("underwriting", "outstanding", "premium")}
        expected |= {(y, p, "claims_paid", k) for k in RISKS3}
    assert set(keys) == expected
    assert len(keys) == 360
    assert df["amount_mjpy"].str.fullmatch(r"(-?\d+)?").all()


def test_risk_stats_rows():
    """Test that risk_stats.csv holds the printed political/commercial recoveries and no total rows."""
    df = load("risk_stats.csv")
    assert list(df.columns) == ["fiscal_year", "measure", "risk", "amount_mjpy"]
    assert set(df.measure) == {"recoveries"}
    cells = risk_cells()
    assert len(cells) == len(df) == 10
    assert [cells[(y, "political")] for y in YEARS] == [20926, 17454, 38627, 18315, 14586]
    assert [cells[(y, "commercial")] for y in YEARS] == [2533, 2153, 17095, 9096, 7750]


def test_zero_cells_are_exactly_the_printed_zeros():
    """Test that 0 appears only where the report prints 0 (less than one unit), not for －."""
    zeros_r = {k for k, v in region_cells().items() if v == 0}
    assert zeros_r == {(2020, "north_america", "claims_paid", "political"),
                       (2023, "north_america", "claims_paid", "commercial"),
                       (2024, "north_america", "claims_paid", "commercial")}
    zeros_p = {k for k, v in product_cells().items() if v == 0}
    assert zeros_p == {(2022, "prepayment_import", "premium", "total"),
                       (2023, "prepayment_import", "premium", "total")}


def test_empty_region_cells_are_exactly_the_printed_dashes():
    """Test that the region tables are empty exactly where the report prints －."""
    empties = {k for k, v in region_cells().items() if v is None}
    cp = "claims_paid"
    assert empties == {
        (2020, "oceania", cp, "political"), (2021, "europe", cp, "political"),
        (2021, "north_america", cp, "commercial"), (2021, "oceania", cp, "political"),
        (2022, "africa", cp, "political"), (2022, "oceania", cp, "total"),
        (2022, "oceania", cp, "political"), (2022, "oceania", cp, "commercial"),
        (2023, "central_america", cp, "political"), (2023, "africa", cp, "political"),
        (2023, "oceania", cp, "total"), (2023, "oceania", cp, "political"),
        (2023, "oceania", cp, "commercial"), (2024, "central_america", cp, "political"),
        (2024, "south_america", cp, "political"), (2024, "oceania", cp, "political"),
    }


def test_empty_product_cells_outside_claims_are_the_printed_dashes():
    """Test that underwriting, outstanding and premium are empty exactly where the report prints －."""
    empties = {k for k, v in product_cells().items() if v is None and k[2] != "claims_paid"}
    expected = set()
    for y in YEARS:
        expected |= {(y, "swap", m, "total") for m in ("underwriting", "outstanding", "premium")}
        expected.add((y, "lc_confirmation", "premium", "total"))
    for y in (2020, 2021, 2022, 2023):
        expected |= {(y, "lc_confirmation", m, "total") for m in ("underwriting", "outstanding")}
    expected.add((2022, "prepayment_import", "outstanding", "total"))
    assert empties == expected


# The claims table by product, as printed (per year: 合計, 非常危険事故, 信用危険事故)
PRINTED_PRODUCT_CLAIMS = """
general_trade 2,831 104 2,727 1,217 523 694 2,925 918 2,007 9,407 1,592 7,815 2,995 2,235 760
limit_trade 67 － 67 32 － 32 65 4 61 － － － 2,515 1 2,513
sme_agri_export 180 － 180 6 － 6 81 21 60 18 － 18 42 － 42
simplified_comprehensive － － － － － － 42 － 42 － － － － － －
export_bill 84 － 84 22 － 22 － － － － － － 16 － 16
lc_confirmation － － － － － － － － － － － － － － －
prepayment_import － － － 149 － 149 － － － － － － － － －
overseas_investment 1,797 1,797 － 33,830 33,830 － 1,438 1,438 － 17 17 － 60,603 60,603 －
buyer_credit 2,287 2,170 117 7,091 2,188 4,903 7,002 5,059 1,943 － － － － － －
overseas_untied_loan 11,724 － 11,724 7,824 － 7,824 7,184 － 7,184 6,338 － 6,338 40,862 21,765 19,098
swap － － － － － － － － － － － － － － －
reinsurance 4,106 － 4,106 11,069 － 11,069 13,522 － 13,522 12,138 － 12,138 8,063 － 8,063
"""


def test_product_claims_match_printed_rows():
    """Test that every product claims cell (including － as empty) equals the printed table."""
    cells = product_cells()
    lines = [ln.split() for ln in PRINTED_PRODUCT_CLAIMS.strip().splitlines()]
    assert [ln[0] for ln in lines] == PRODUCTS
    for ln in lines:
        code, vals = ln[0], ln[1:]
        assert len(vals) == 15
        for i, y in enumerate(YEARS):
            for j, risk in enumerate(RISKS3):
                s = vals[i * 3 + j]
                want = None if s == "－" else int(s.replace(",", ""))
                assert cells[(y, code, "claims_paid", risk)] == want, (code, y, risk)


def test_spot_checks_of_printed_values():
    """Test that a handful of printed cells hold, including － versus 0 and △ as minus."""
    p = product_cells()
    r = region_cells()
    assert p[(2020, "lc_confirmation", "underwriting", "total")] is None
    assert p[(2024, "lc_confirmation", "underwriting", "total")] == 500
    assert p[(2024, "lc_confirmation", "outstanding", "total")] == 500
    assert p[(2022, "prepayment_import", "premium", "total")] == 0
    assert p[(2024, "prepayment_import", "premium", "total")] == 4
    assert p[(2021, "buyer_credit", "premium", "total")] == -2641
    assert p[(2022, "buyer_credit", "premium", "total")] == -444
    assert p[(2024, "general_trade", "underwriting", "total")] == 5530453
    assert p[(2024, "overseas_untied_loan", "outstanding", "total")] == 5492868
    assert r[(2023, "south_america", "claims_paid", "political")] == -26
    assert r[(2023, "south_america", "claims_paid", "commercial")] == 12560
    assert r[(2024, "europe", "claims_paid", "total")] == 106971
    assert r[(2024, "intl_org", "underwriting", "total")] == 80171
    assert r[(2020, "intl_org", "outstanding", "total")] == 727950
    assert r[(2024, "middle_east", "recoveries", "total")] == 8446


def _sum(values):
    return sum(v for v in values if v is not None)


def _nonnull(values):
    return sum(1 for v in values if v is not None)


def _check_total(label, year, risk, parts, printed_total):
    exact = _sum(parts) == printed_total
    loose = abs(_sum(parts) - printed_total) <= Fraction(_nonnull(parts) + 1, 2)
    check("total", (label, year, risk), exact, loose, TOTAL_ROUNDING)


def test_product_totals_match_printed_totals():
    """Test that the product parts add up to every printed 合計 (within rounding only where listed)."""
    cells = product_cells()
    for measure, totals in PRODUCT_TOTALS.items():
        for y, t in zip(YEARS, totals):
            _check_total(measure, y, "total",
                         [cells[(y, p, measure, "total")] for p in PRODUCTS], t)
    for y in YEARS:
        for j, risk in enumerate(RISKS3):
            _check_total("claims_paid", y, risk,
                         [cells[(y, p, "claims_paid", risk)] for p in PRODUCTS],
                         CLAIMS_TOTALS[y][j])


def test_region_claims_and_recoveries_match_printed_totals():
    """Test that region claims (each risk) and recoveries add up to their printed 合計."""
    cells = region_cells()
    for y in YEARS:
        for j, risk in enumerate(RISKS3):
            _check_total("region_claims", y, risk,
                         [cells[(y, r, "claims_paid", risk)] for r in REGIONS8],
                         CLAIMS_TOTALS[y][j])
    for y, t in zip(YEARS, RECOVERIES_TOTALS):
        _check_total("region_recoveries", y, "total",
                     [cells[(y, r, "recoveries", "total")] for r in REGIONS8], t)


def test_risk_recoveries_match_printed_totals_and_region_recoveries():
    """Test that political+commercial recoveries match the printed 合計 and the region recoveries."""
    risk = risk_cells()
    reg = region_cells()
    assert RISK_RECOVERIES_TOTALS == RECOVERIES_TOTALS
    for y, t in zip(YEARS, RISK_RECOVERIES_TOTALS):
        parts = [risk[(y, "political")], risk[(y, "commercial")]]
        _check_total("risk_recoveries", y, "total", parts, t)
        region_sum = _sum(reg[(y, r, "recoveries", "total")] for r in REGIONS8)
        # both sums estimate the same printed total; each is off by at most half a unit per part
        assert abs(region_sum - _sum(parts)) <= Fraction(8 + 2, 2)


# rows where printed political + commercial differs from the printed total by one unit (rounding)
PC_ROUNDING = {
    ("product", "limit_trade", 2024), ("product", "overseas_untied_loan", 2024),
    ("region", "asia", 2022), ("region", "middle_east", 2020), ("region", "middle_east", 2022),
    ("region", "middle_east", 2024), ("region", "central_america", 2020),
    ("region", "central_america", 2022), ("region", "south_america", 2020),
    ("total", "合計", 2021), ("total", "合計", 2024),
}


def test_political_plus_commercial_equals_total_on_every_claims_row():
    """Test that political + commercial = total on every claims row (±1 only on listed rounding rows)."""
    rows = []
    p = product_cells()
    r = region_cells()
    for y in YEARS:
        for code in PRODUCTS:
            rows.append((("product", code, y), [p[(y, code, "claims_paid", k)] for k in RISKS3]))
        for code in REGIONS8:
            rows.append((("region", code, y), [r[(y, code, "claims_paid", k)] for k in RISKS3]))
        rows.append((("total", "合計", y), list(CLAIMS_TOTALS[y])))
    for key, (t, pol, com) in rows:
        if t is None:
            assert pol is None and com is None, key
            continue
        diff = t - _sum([pol, com])
        exact = diff == 0
        check("political+commercial", key, exact, abs(diff) <= 1, PC_ROUNDING)


def _check_ratios(label, amounts24, amounts23, denominator, ratios):
    for code, (share, yoy) in ratios.items():
        a24, a23 = amounts24[code], amounts23[code]
        if share is None:
            if (label, code) in SHARE_PRINTED_DASH_WITH_AMOUNT:
                assert a24 is not None and a24 > 0
                assert round1(Fraction(a24, denominator) * 100) == 0
            else:
                assert a24 in (None, 0), (label, code)
        else:
            exact, loose = share_ok(share, a24 or 0, denominator)
            check("share", (label, code, "share"), exact, loose, RATIO_ROUNDING)
        if yoy is None:
            assert a24 is None or a23 in (None, 0), (label, code)
        else:
            exact, loose = yoy_ok(yoy, a24, a23)
            check("yoy", (label, code, "yoy"), exact, loose, RATIO_ROUNDING)


def test_product_fy2024_composition_and_growth():
    """Test that every printed FY2024 構成比 and 対前期増減率 of the product tables recomputes."""
    cells = product_cells()
    denominators = {"underwriting": PRODUCT_TOTALS["underwriting"][4],
                    "outstanding": PRODUCT_TOTALS["outstanding"][4],
                    "premium": PRODUCT_TOTALS["premium"][4],
                    "claims_paid": CLAIMS_TOTALS[2024][0]}
    for measure, ratios in PRODUCT_RATIOS.items():
        a24 = {p: cells[(2024, p, measure, "total")] for p in PRODUCTS}
        a23 = {p: cells[(2023, p, measure, "total")] for p in PRODUCTS}
        _check_ratios(measure, a24, a23, denominators[measure], ratios)
    # the 合計 rows' own growth rates, from the printed totals
    for measure, yoy in PRODUCT_TOTAL_YOY.items():
        if measure == "claims_paid":
            cur, prev = CLAIMS_TOTALS[2024][0], CLAIMS_TOTALS[2023][0]
        else:
            cur, prev = PRODUCT_TOTALS[measure][4], PRODUCT_TOTALS[measure][3]
        assert round1((Fraction(cur, prev) - 1) * 100) == printed(yoy), measure


def test_region_fy2024_composition_and_growth():
    """Test that every printed FY2024 構成比 and 対前期増減率 of the region tables recomputes."""
    cells = region_cells()
    for measure, ratios in REGION_RATIOS.items():
        codes = list(ratios)
        a24 = {r: cells[(2024, r, measure, "total")] for r in codes}
        a23 = {r: cells[(2023, r, measure, "total")] for r in codes}
        if measure == "claims_paid":
            denominator = CLAIMS_TOTALS[2024][0]
        elif measure == "recoveries":
            denominator = RECOVERIES_TOTALS[4]
        else:
            # no printed 合計: the shares are of the sum over the regions (incl. intl_org)
            denominator = _sum(a24.values())
        label = measure if measure in ("underwriting", "outstanding") else "region_" + measure
        _check_ratios(label, a24, a23, denominator, ratios)
    assert round1((Fraction(RECOVERIES_TOTALS[4], RECOVERIES_TOTALS[3]) - 1) * 100) == \
        printed(RECOVERIES_TOTAL_YOY)


def test_region_underwriting_and_outstanding_do_not_need_to_match_product_totals():
    """Test that region sums exceed the product totals, as the report's note on double counting says."""
    cells = region_cells()
    for measure in ("underwriting", "outstanding"):
        for y, t in zip(YEARS, PRODUCT_TOTALS[measure]):
            assert _sum(cells[(y, r, measure, "total")] for r in REGIONS) > t


def test_risk_fy2024_composition_and_growth():
    """Test that the printed FY2024 構成比 and 対前期増減率 of recoveries by risk recompute."""
    cells = risk_cells()
    for risk, (share, yoy) in RISK_RATIOS.items():
        assert round1(Fraction(cells[(2024, risk)], RECOVERIES_TOTALS[4]) * 100) == printed(share)
        assert round1((Fraction(cells[(2024, risk)], cells[(2023, risk)]) - 1) * 100) == \
            printed(yoy)


# chart 保険引受実績／保険責任残高の地域別構成比 (FY2023 and FY2024 bars), percent
REGION_CHART = {
    ("underwriting", 2023): ["50.9", "10.4", "5.9", "6.7", "9.4", "9.1", "5.1", "1.5", "1.0"],
    ("underwriting", 2024): ["50.6", "11.4", "5.7", "7.2", "9.7", "6.9", "5.9", "1.7", "1.0"],
    ("outstanding", 2023): ["44.1", "16.9", "6.5", "6.5", "3.8", "7.7", "8.7", "2.3", "3.6"],
    ("outstanding", 2024): ["47.6", "16.8", "4.9", "6.7", "3.7", "7.6", "9.2", "2.1", "1.4"],
}


def test_region_composition_chart_bars():
    """Test that the regional composition bars (FY2023, FY2024) recompute from the region amounts."""
    cells = region_cells()
    for (measure, y), shares in REGION_CHART.items():
        amounts = [cells[(y, r, measure, "total")] for r in REGIONS]
        total = _sum(amounts)
        got = [round1(Fraction(a, total) * 100) for a in amounts]
        assert got == [printed(s) for s in shares], (measure, y)


# pie charts ●2024年度地域別支払保険金 (全体 / 非常危険事故 / 信用危険事故), percent
CLAIMS_PIES = {
    "total": {"europe": "92.9", "south_america": "2.5", "africa": "2.2", "asia": "1.4",
              "central_america": "0.6", "middle_east": "0.2", "north_america": "0.2",
              "oceania": "0.0"},
    "political": {"europe": "99.6", "north_america": "0.3", "asia": "0.1",
                  ("middle_east", "africa"): "0.0"},
    "commercial": {"europe": "74.6", "south_america": "9.5", "africa": "8.2", "asia": "5.0",
                   "central_america": "2.1", "middle_east": "0.5", "oceania": "0.1",
                   "north_america": "0.0"},
}


def test_fy2024_claims_pie_charts():
    """Test that the FY2024 claims pies by region (all, political, commercial) recompute."""
    cells = region_cells()
    for j, risk in enumerate(RISKS3):
        denominator = CLAIMS_TOTALS[2024][j]
        for key, share in CLAIMS_PIES[risk].items():
            codes = key if isinstance(key, tuple) else (key,)
            amount = _sum(cells[(2024, c, "claims_paid", risk)] for c in codes)
            assert round1(Fraction(amount, denominator) * 100) == printed(share), (risk, key)
    # the chart's footnote: no political claims paid for South/Central America and Oceania
    for r in ("south_america", "central_america", "oceania"):
        assert cells[(2024, r, "claims_paid", "political")] is None


def _oku_consistent(amount_mjpy, oku):
    """Exact half-up rounding to 億円 (100 mjpy), or consistent with the amount's own rounding."""
    exact = floor(Fraction(amount_mjpy, 100) + Fraction(1, 2)) == oku
    lo = floor(Fraction(2 * amount_mjpy - 1, 200) + Fraction(1, 2))
    hi = floor(Fraction(2 * amount_mjpy + 1, 200) + Fraction(1, 2))
    return exact, lo <= oku <= hi


CHART_OKU_ROUNDING = {("recoveries", 2024, "commercial")}


def test_chart_figures_in_oku_yen_match_tables():
    """Test that the 億円 chart labels (premium, recoveries, claims) equal the tables rounded."""
    p = product_cells()
    k = risk_cells()
    premium = [319, 304, 299, 592, 317]
    recoveries = {"total": [235, 196, 557, 274, 223], "political": [209, 175, 386, 183, 146],
                  "commercial": [25, 22, 171, 91, 77]}
    claims = {"total": [231, 612, 323, 279, 1151], "political": [41, 365, 74, 16, 846],
              "commercial": [190, 247, 248, 263, 305]}
    for i, y in enumerate(YEARS):
        amount = _sum(p[(y, c, "premium", "total")] for c in PRODUCTS)
        assert abs(amount - PRODUCT_TOTALS["premium"][i]) <= 1
        exact, loose = _oku_consistent(PRODUCT_TOTALS["premium"][i], premium[i])
        check("oku", ("premium", y, "total"), exact, loose, CHART_OKU_ROUNDING)
        for risk in ("political", "commercial"):
            exact, loose = _oku_consistent(k[(y, risk)], recoveries[risk][i])
            check("oku", ("recoveries", y, risk), exact, loose, CHART_OKU_ROUNDING)
        exact, loose = _oku_consistent(RECOVERIES_TOTALS[i], recoveries["total"][i])
        check("oku", ("recoveries", y, "total"), exact, loose, CHART_OKU_ROUNDING)
        for j, risk in enumerate(RISKS3):
            parts_sum = _sum(p[(y, c, "claims_paid", risk)] for c in PRODUCTS)
            assert abs(parts_sum - CLAIMS_TOTALS[y][j]) <= 1
            exact, loose = _oku_consistent(CLAIMS_TOTALS[y][j], claims[risk][i])
            check("oku", ("claims", y, risk), exact, loose, CHART_OKU_ROUNDING)


TOP10 = [
    (1, "JPN", "日本", 591000, "7.2"), (2, "CHN", "中華人民共和国", 577960, "7.1"),
    (3, "USA", "アメリカ合衆国", 523298, "6.4"), (4, "IDN", "インドネシア", 473694, "5.8"),
    (5, "THA", "タイ", 387491, "4.7"), (6, "TWN", "台湾", 370811, "4.5"),
    (7, "VNM", "ベトナム", 323546, "4.0"), (8, "SAU", "サウジアラビア", 319950, "3.9"),
    (9, "SGP", "シンガポール", 314176, "3.8"), (10, "ARE", "アラブ首長国連邦", 300684, "3.7"),
]


def test_top_countries_rows_and_shares():
    """Test that the FY2024 top-10 rows are as printed and each share recomputes against the regional total."""
    df = load("top_countries.csv")
    assert list(df.columns) == ["fiscal_year", "rank", "iso3", "name_ja", "amount_mjpy",
                                "share_pct"]
    got = [(int(r.rank), r.iso3, r.name_ja, int(r.amount_mjpy), r.share_pct)
           for r in df.itertuples()]
    assert got == TOP10
    assert set(df.fiscal_year) == {"2024"}
    # The shares are of the regional underwriting sum (8,162,178, which counts both the
    # destination and the payer country), not of the product total 7,602,398.
    cells = region_cells()
    regional = _sum(cells[(2024, r, "underwriting", "total")] for r in REGIONS)
    assert regional == 8162178
    for _, _, _, amount, share in TOP10:
        assert round1(Fraction(amount, regional) * 100) == printed(share)
    assert round1(Fraction(591000, PRODUCT_TOTALS["underwriting"][4]) * 100) != printed("7.2")


def test_japan_exports_and_growth():
    """Test that Japan's exports FY2020–2024, their status and the printed growth for 2021–2024 hold."""
    df = load("japan_exports.csv")
    assert list(df.columns) == ["fiscal_year", "amount_mjpy", "status"]
    got = [(int(r.fiscal_year), int(r.amount_mjpy), r.status) for r in df.itertuples()]
    assert got == [(2020, 69485414, "final"), (2021, 85873697, "final"),
                   (2022, 99223042, "final"), (2023, 102902399, "final_revised"),
                   (2024, 108939385, "preliminary_final")]
    growth = {2021: "23.6", 2022: "15.5", 2023: "3.7", 2024: "5.9"}
    amounts = {y: a for y, a, _ in got}
    for y, g in growth.items():
        assert round1((Fraction(amounts[y], amounts[y - 1]) - 1) * 100) == printed(g), y


@pytest.mark.parametrize("name", ["region_stats.csv", "product_stats.csv", "risk_stats.csv",
                                  "top_countries.csv", "japan_exports.csv", "regions.csv",
                                  "products.csv", "product_families.csv"])
def test_csv_encoding_and_line_endings(name):
    """Test that the CSV is UTF-8 without BOM and uses LF line endings."""
    raw = (TABLES / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    raw.decode("utf-8")
