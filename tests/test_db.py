"""Tests of nexidash.db: named queries against a database built from data/tables.

Expected figures are typed in from NEXI's Annual Report FY2024 (printed 合計 rows, 構成比,
対前期増減率, list counts), not read back from the CSVs.
"""

import pathlib
import random
import shutil
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import duckdb
import numpy as np
import pandas as pd
import pytest

from nexidash import db, fmt, paths
from nexidash.build import build
from nexidash.db import DatabaseUnavailable, QueryError

ROOT = pathlib.Path(__file__).resolve().parents[1]
TABLES = ROOT / "data" / "tables"
QUERIES = ROOT / "queries"


@pytest.fixture
def fresh_connection():
    """Close the shared connection before and after a test that points NEXI_DB elsewhere."""
    db.reset()
    yield
    db.reset()


def r1(x):
    """Round half up to one decimal, as the report prints percentages."""
    return float(Decimal(repr(float(x))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def one(df, **where):
    """The single row of df matching every column=value in `where`."""
    mask = pd.Series(True, index=df.index)
    for col, val in where.items():
        mask &= df[col] == val
    rows = df[mask]
    assert len(rows) == 1, (where, rows)
    return rows.iloc[0]


# ------------------------------------------------------ one case per query file
# name -> (params, expected columns, check). Each check asserts figures printed in the report.

def _catalog_entry(df):
    assert len(df) == 1
    row = df.iloc[0]
    assert row["table_name"] == "region_stats"
    assert (row["unit_ja"], row["unit_en"]) == ("百万円", "million yen")


def _country_names(df):
    assert len(df) == 178 and df["iso3"].is_unique
    assert df["iso3"].tolist() == sorted(df["iso3"])
    jpn = one(df, iso3="JPN")
    assert (jpn["name_ja"], jpn["region"]) == ("日本", "asia")
    assert not one(df, iso3="SGP")["on_map"]
    assert one(df, iso3="TUR")["region"] == "middle_east"
    assert one(df, iso3="EGY")["region"] == "africa"


def _country_region_values(df):
    assert len(df) == 178
    # a country shows its region's FY2024 underwriting: Asia 4,130,968, Middle East 934,053
    assert one(df, iso3="JPN")["amount_mjpy"] == 4130968
    assert one(df, iso3="CHN")["amount_mjpy"] == 4130968
    assert one(df, iso3="TUR")["amount_mjpy"] == 934053
    assert one(df, iso3="BRA")["amount_mjpy"] == 562076
    assert one(df, iso3="DEU")["region_en"] == "Europe"


def _financial_summary(df):
    items = dict(zip(df["item"], df["amount_mjpy"]))
    assert items["ordinary_income"] == 78263
    assert items["ordinary_expenses"] == 79263
    assert items["ordinary_loss"] == -1000
    assert items["net_premiums_written"] == 31679
    assert df["item"].iloc[0] == "ordinary_income"
    assert set(df["fiscal_year"]) == {2024}


def _fiscal_years(df):
    assert df["fiscal_year"].tolist() == [2024, 2023, 2022, 2021, 2020]


def _headline_totals(df):
    assert len(df) == 35
    uw = df[(df.measure == "underwriting") & (df.risk == "total")]
    assert uw["fiscal_year"].tolist() == [2020, 2021, 2022, 2023, 2024]
    assert uw["amount_mjpy"].tolist() == [6143627, 6947796, 7627149, 7966513, 7602398]
    assert one(df, fiscal_year=2024, measure="underwriting", risk="total")["amount_mjpy"] == 7602398
    assert one(df, fiscal_year=2024, measure="outstanding", risk="total")["amount_mjpy"] == 15484121
    assert one(df, fiscal_year=2024, measure="premium", risk="total")["amount_mjpy"] == 31679
    assert one(df, fiscal_year=2024, measure="claims_paid", risk="total")["amount_mjpy"] == 115097
    assert one(df, fiscal_year=2024, measure="claims_paid",
               risk="political")["amount_mjpy"] == 84605
    assert one(df, fiscal_year=2024, measure="claims_paid",
               risk="commercial")["amount_mjpy"] == 30493
    assert one(df, fiscal_year=2023, measure="recoveries", risk="total")["amount_mjpy"] == 27410
    # 対前期増減率 as the report prints them: underwriting △4.6%, claims paid 312.3%
    uw24 = one(df, fiscal_year=2024, measure="underwriting", risk="total")
    assert (uw24["prev_amount_mjpy"], r1(uw24["change_pct"])) == (7966513, -4.6)
    assert r1(one(df, fiscal_year=2024, measure="claims_paid", risk="total")["change_pct"]) == 312.3
    first = df[df.fiscal_year == 2020]
    assert first["prev_amount_mjpy"].isna().all() and first["change_pct"].isna().all()


def _japan_exports(df):
    got = list(zip(df["fiscal_year"], df["amount_mjpy"], df["status"]))
    assert got == [(2020, 69485414, "final"), (2021, 85873697, "final"),
                   (2022, 99223042, "final"), (2023, 102902399, "final_revised"),
                   (2024, 108939385, "preliminary_final")]
    assert pd.isna(df["change_pct"].iloc[0])  # no FY2019 figure
    assert r1(df["change_pct"].iloc[-1]) == 5.9


def _compare_years(df):
    # premium by product, FY2021 -> FY2024: buyer's credit △2,641 -> 1,676
    assert len(df) == 12
    assert df["code"].iloc[0] == "general_trade" and df["code"].iloc[-1] == "reinsurance"
    bc = one(df, code="buyer_credit")
    assert (bc["amount_a_mjpy"], bc["amount_b_mjpy"], bc["difference_mjpy"]) == (-2641, 1676, 4317)
    assert bc["change_pct"] > 0  # from a negative base: divided by its absolute value
    assert pd.isna(one(df, code="swap")["change_pct"])


def _report_year(df):
    assert df["fiscal_year"].tolist() == [2024]


def _lead_element_counts(df):
    assert list(zip(df["element"], df["projects"])) == [
        ("leading_tech", 4), ("environment_energy", 10), ("alliance", 6), ("development", 6)]


def _lead_projects(df):
    assert len(df) == 16
    assert df["no"].tolist() == list(range(1, 17))
    p1 = one(df, no=1)
    assert (p1["amount"], p1["currency"], bool(p1["approx"])) == (520000000, "USD", True)
    assert pd.isna(p1["iso3"]) and p1["region"] == "africa"
    p5 = one(df, no=5)
    assert (p5["amount"], p5["currency"], bool(p5["approx"])) == (60000000000, "JPY", False)
    # fiscal years start in April: 2021-01 is FY2020, 2024-04 is FY2024
    assert one(df, no=2)["fiscal_year"] == 2020
    assert one(df, no=13)["fiscal_year"] == 2024


def _partner_agreements(df):
    assert len(df) == 111
    assert Counter(df["agreement_type"]) == {"cooperation": 78, "one_stop_shop": 18,
                                             "short_term_reinsurance": 8,
                                             "private_reinsurance": 7}
    assert Counter(df["report_group"]) == {"europe": 40, "asia_oceania": 25, "multilateral": 13,
                                           "middle_east": 11, "north_america": 7, "private": 7,
                                           "south_america": 6, "africa": 2}
    assert df["agreement_type"].iloc[0] == "one_stop_shop"
    assert df["agreement_type"].iloc[-1] == "cooperation"


def _partner_countries(df):
    assert len(df) == 48 and df["iso3"].is_unique
    assert "JPN" not in set(df["iso3"])
    assert one(df, iso3="CAN")["map_type"] == "one_stop_shop"
    assert one(df, iso3="USA")["map_type"] == "one_stop_shop"
    assert one(df, iso3="GBR")["map_type"] == "one_stop_shop"
    assert one(df, iso3="RUS")["map_type"] == "short_term_reinsurance"  # EXIAR 2016
    assert one(df, iso3="ARE")["map_type"] == "cooperation"
    assert df["agreements"].sum() == 111 - 13 - 7  # without multilateral and private bodies


def _partner_timeline(df):
    assert df["agreements"].sum() == 111
    assert df["year"].min() == 1991 and df["year"].max() == 2025
    assert df.groupby("agreement_type")["agreements"].sum().to_dict() == {
        "cooperation": 78, "one_stop_shop": 18, "short_term_reinsurance": 8,
        "private_reinsurance": 7}


def _product_measure_year(df):
    # premium FY2021: buyer's credit △2,641; the printed 合計 is 30,444
    assert len(df) == 12
    bc = one(df, product="buyer_credit")
    assert bc["amount_mjpy"] == -2641
    assert bc["family"] == "loan"
    assert df["amount_mjpy"].sum() == 30444
    assert df["product"].iloc[0] == "general_trade" and df["product"].iloc[-1] == "reinsurance"
    assert pd.isna(one(df, product="swap")["amount_mjpy"])
    # the change in million yen, only where both years have a figure (FY2020 1,696)
    assert bc["change_mjpy"] == -2641 - 1696
    assert pd.isna(one(df, product="lc_confirmation")["change_mjpy"])


def _product_family_trend(df):
    # premium FY2021: the loan family is buyer's credit △2,641 + overseas untied loan 10,717
    # (swap has no figure); the four families add up to the printed 合計 30,444
    assert len(df) == 20
    assert one(df, fiscal_year=2021, family="loan")["amount_mjpy"] == -2641 + 10717
    assert df[df.fiscal_year == 2021]["amount_mjpy"].sum() == 30444
    assert df["family"].head(4).tolist() == ["export", "investment", "loan", "reinsurance"]


def _product_trend(df):
    assert len(df) == 60
    assert one(df, fiscal_year=2024, product="general_trade")["amount_mjpy"] == 5530453
    assert one(df, fiscal_year=2024, product="lc_confirmation")["amount_mjpy"] == 500
    # the parts add up to the printed 合計 within rounding (±0.5 per printed part)
    for year, total in zip(range(2020, 2025), [6143627, 6947796, 7627149, 7966513, 7602398]):
        assert abs(df[df.fiscal_year == year]["amount_mjpy"].sum() - total) <= 6


def _project_places(df):
    assert Counter(df["kind"]) == {"lead": 16, "decarbonisation": 8, "major": 7}
    assert df[df.kind == "major"]["ref"].nunique() == 6
    assert one(df, kind="lead", ref="13")["iso3"] == "DEU"
    assert set(df[df.kind == "major"]["iso3"]) == {"EGY", "DEU", "KEN", "TUN", "TUR", "PRT",
                                                    "ECU"}


def _recoveries_by_risk(df):
    pol = df[df.risk == "political"]["amount_mjpy"].tolist()
    com = df[df.risk == "commercial"]["amount_mjpy"].tolist()
    assert pol == [20926, 17454, 38627, 18315, 14586]
    assert com == [2533, 2153, 17095, 9096, 7750]


def _region_claims_split(df):
    assert len(df) == 16
    eu_pol = one(df, region="europe", risk="political")["amount_mjpy"]
    eu_com = one(df, region="europe", risk="commercial")["amount_mjpy"]
    assert eu_pol + eu_com == 106971  # Europe's printed FY2024 claims
    # the FY2024 claims pies: Europe is 99.6% of political, 74.6% of commercial claims
    assert r1(100 * eu_pol / 84605) == 99.6
    assert r1(100 * eu_com / 30493) == 74.6
    assert one(df, region="north_america", risk="commercial")["amount_mjpy"] == 0
    assert pd.isna(one(df, region="oceania", risk="political")["amount_mjpy"])


def _region_measure_year(df):
    assert df["region"].tolist() == ["asia", "middle_east", "europe", "north_america",
                                     "central_america", "south_america", "africa", "oceania",
                                     "intl_org"]
    asia = one(df, region="asia")
    assert asia["amount_mjpy"] == 4130968
    assert r1(asia["share_pct"]) == 50.6
    assert r1(asia["change_pct"]) == -4.4
    assert r1(one(df, region="south_america")["change_pct"]) == -27.1
    assert df["amount_mjpy"].sum() == 8162178  # the top-10 shares' denominator


def _region_trend(df):
    assert len(df) == 40  # recoveries: 8 regions x 5 years, no intl_org row
    assert "intl_org" not in set(df["region"])
    assert one(df, fiscal_year=2024, region="middle_east")["amount_mjpy"] == 8446
    for year, total in zip(range(2020, 2025), [23458, 19607, 55722, 27410, 22336]):
        assert abs(df[df.fiscal_year == year]["amount_mjpy"].sum() - total) <= 4


def _regions(df):
    assert df["region"].tolist() == ["asia", "middle_east", "europe", "north_america",
                                     "central_america", "south_america", "africa", "oceania",
                                     "intl_org"]
    assert df["name_ja"].tolist() == ["アジア", "中東", "ヨーロッパ", "北米", "中米", "南米",
                                      "アフリカ", "オセアニア", "国際機関"]


def _sme_cases(df):
    assert len(df) == 10 and df["case_no"].nunique() == 8
    tha = one(df, dest_iso3="THA")
    assert (tha["amount_jpy"], tha["amount_basis"], bool(tha["approx"])) == (
        30000000, "per_month", True)
    esp = one(df, dest_iso3="ESP")
    assert (esp["amount_jpy"], bool(esp["approx"])) == (4000000, False)
    assert one(df, dest_iso3="USA")["amount_jpy"] == 42000000
    assert one(df, dest_iso3="KOR")["prefecture_ja"] == "山口県"


def _sme_members(df):
    assert len(df) == 111 and df["name_ja"].is_unique
    assert Counter(df["kind"]) == {"bank": 74, "shinkin": 37}
    assert df["prefecture_code"].iloc[0] == "01" and df["prefecture_code"].iloc[-1] == "47"


def _sme_partnerships_by_year(df):
    assert df["fiscal_year"].tolist() == list(range(2015, 2025))
    assert df["cumulative"].tolist() == [105, 114, 117, 114, 111, 110, 110, 110, 110, 111]
    y2015 = one(df, fiscal_year=2015)
    assert y2015["new_regional"] + y2015["new_shinkin"] == 28


def _sme_prefecture_counts(df):
    assert len(df) == 47
    assert df["members"].sum() == 111
    assert df["banks"].sum() == 74 and df["shinkin"].sum() == 37
    assert (df["members"] >= 1).all()  # the network covers all 47 prefectures
    tokyo = one(df, prefecture_code="13")
    assert (tokyo["members"], tokyo["shinkin"]) == (13, 7)
    hokkaido = one(df, prefecture_code="01")
    assert (hokkaido["members"], hokkaido["shinkin"]) == (6, 4)


def _support_package(df):
    assert len(df) == 8
    fi = one(df, kind="regional_fi")
    assert (fi["institutions"], fi["as_of"]) == (118, "2025-03")
    assert (df["package"] == "okinawa").sum() == 3
    assert df["package"].iloc[0] == "overseas_business"


def _env_screening(df):
    shares = dict(zip(df["key"], df["share_pct"]))
    assert (shares["A"], shares["B"], shares["C"]) == (14, 28, 58)
    assert df[df["dimension"] == "region"]["share_pct"].sum() == 100
    assert set(df["cases"]) == {38}


def _offices(df):
    assert list(df["office"]) == ["tokyo", "osaka", "singapore", "new_york", "paris"]
    assert one(df, office="singapore")["iso3"] == "SGP"


def _recoveries_by_country(df):
    # The text's order of regions is the report's; the combined North America + Oceania row last.
    assert list(df["iso3"].fillna("")) == ["THA", "PAK", "IRQ", "ESP", "NOR", "MEX", "ARG",
                                           "CHL", "EGY", "TZA", "AGO", ""]
    assert one(df, iso3="IRQ")["amount_100mjpy"] == 83
    assert df["amount_100mjpy"].iloc[-1] == 0.4


def _products(df):
    assert list(df["product"])[:2] == ["general_trade", "limit_trade"] and len(df) == 12
    assert one(df, product="swap")["name_ja"] == "スワップ取引保険"


def _company_profile(df):
    assert list(df["item"])[:2] == ["name", "founded"]
    assert one(df, item="capital")["value_ja"] == "1,693億5,232万4,369円（政府全額出資）"
    assert one(df, item="employees")["value_ja"] == "277名"


def _history(df):
    assert list(df["date"]) == ["1950-03", "1999-07", "1999-12", "2001-04", "2015-07", "2017-04"]


def _country_recoveries(df):
    assert list(zip(df["fiscal_year"], df["amount_100mjpy"], df["basis"])) == \
        [(2024, 47.0, "paris_club_and_other")]


def _country_exports(df):
    assert list(zip(df["destination"], df["amount_trillion_jpy"], df["change_pct"])) == \
        [("china", 18.9, 3.4)]


def _top_countries(df):
    got = list(zip(df["rank"], df["iso3"], df["amount_mjpy"], df["share_pct"]))
    assert got == [(1, "JPN", 591000, 7.2), (2, "CHN", 577960, 7.1), (3, "USA", 523298, 6.4),
                   (4, "IDN", 473694, 5.8), (5, "THA", 387491, 4.7), (6, "TWN", 370811, 4.5),
                   (7, "VNM", 323546, 4.0), (8, "SAU", 319950, 3.9), (9, "SGP", 314176, 3.8),
                   (10, "ARE", 300684, 3.7)]
    assert one(df, iso3="SGP")["region"] == "asia"


STAT = dict(measure="underwriting", risk="total", fiscal_year=2024)
LEAD_ALL = dict(element=None, fiscal_year=None, region=None, currency=None)

def _fin_statement(df):
    # 損益計算書: 正味収入保険料 31,679, 正味支払保険金 112,404 (items indented by level).
    df = df.assign(item=df["item_ja"].str.strip("\u3000 "))
    assert one(df, item="正味収入保険料")["amount_mjpy"] == 31679
    assert one(df, item="正味支払保険金")["amount_mjpy"] == 112404
    assert df["line_no"].is_monotonic_increasing


def _fin_waterfall(df):
    # From net premiums (31,679) to net income (2, printed): the steps add up to it.
    assert df.iloc[0]["amount_mjpy"] == 31679 and df.iloc[-1]["amount_mjpy"] == 2
    steps = df[df["measure"] == "relative"]["amount_mjpy"].sum()
    assert 31679 + steps == 2


def _fin_ratios(df):
    # one row per input; the ratio's figures repeat on each of its rows
    loss = df[(df["ratio"] == "loss_ratio_paid") & (df["fiscal_year"] == 2024)]
    assert list(loss["item_ja"]) == ["正味支払保険金", "正味収入保険料"]
    assert set(zip(loss["numerator_mjpy"], loss["denominator_mjpy"])) == {(112404, 31679)}
    assert round(loss["ratio_pct"].iloc[0], 1) == 354.8
    expense = one(df, ratio="net_expense_ratio", fiscal_year=2024, item_ja="諸手数料")
    # (△1,445 + 8,956) ÷ 31,679 = 23.7%
    assert (expense["numerator_mjpy"], expense["denominator_mjpy"]) == (7511, 31679)
    assert round(expense["ratio_pct"], 1) == 23.7
    equity = one(df, ratio="equity_ratio", fiscal_year=2024, input_no=1)
    assert (equity["numerator_mjpy"], equity["denominator_mjpy"]) == (794956, 1915731)


def _fin_htm_bonds(df):
    # The GROUPING SETS sums of the parts against the printed 小計/合計: equal, except where the
    # report's rounding leaves them one apart (小計 of 時価が超えるもの: 267,289 vs 267,288 and
    # 7,957 vs 7,956; 合計: 1,108,606 vs 1,108,605 and △27,502 vs △27,503).
    sums = df[df["row_type"] != "part"]
    got = {(r.fair_value_group, c): (getattr(r, f"parts_{c}_mjpy"),
                                     getattr(r, "difference_mjpy" if c == "difference"
                                             else f"{c}_value_mjpy"))
           for r in sums.itertuples() for c in ("book", "fair", "difference")}
    rounding = {("above_book", "book"): (267289, 267288), ("above_book", "difference"): (7957, 7956),
                ("all", "book"): (1108606, 1108605), ("all", "difference"): (-27502, -27503)}
    assert {k: v for k, v in got.items() if v[0] != v[1]} == rounding
    assert got[("above_book", "fair")] == (275245, 275245)
    assert got[("not_above_book", "book")] == (841317, 841317)
    assert got[("not_above_book", "difference")] == (-35459, -35459)
    assert got[("all", "fair")] == (1081103, 1081103)
    assert list(df["row_type"]) == ["part"] * 4 + ["subtotal"] + ["part"] * 4 + ["subtotal", "total"]
    assert df["line"].tolist() == list(range(1, 12))


def _fin_any(df):
    assert not df.empty and df["amount_mjpy" if "amount_mjpy" in df else df.columns[-1]].notna().any()


def _country_index(df):
    assert len(df) == df["iso3"].nunique()
    egy = one(df, iso3="EGY")
    # Six entries across the lists (LEAD 5, 7, 8, 15; decarbonisation 7 and the Gulf of Suez 2
    # major project are both LEAD 15): four projects.
    assert (egy["projects"], egy["lead"], egy["decarbonisation"], egy["major"]) == (4, 4, 1, 1)
    assert (egy["figures"], egy["partners"]) == (1, 0)
    parts = ["partners", "lead", "decarbonisation", "major", "sme_cases", "figures", "offices"]
    assert (df["mentions"] == df[parts].sum(axis=1)).all()


def _country_projects(df):
    # Egypt: LEAD projects 5, 7, 8 and 15, one decarbonisation project, one major project.
    assert sorted(df[df["kind"] == "lead"]["ref"].astype(int)) == [5, 7, 8, 15]
    assert list(df["kind"]).count("major") == 1 and list(df["kind"]).count("decarbonisation") == 1
    assert df["project"].nunique() == 4


def _country_sme_cases(df):
    assert list(df["case_no"]) == [1] and one(df, case_no=1)["product"] == "simplified_comprehensive"


QUERY_CASES = {
    "catalog_entry": (
        {"table_name": "region_stats"},
        ["table_name", "title_ja", "title_en", "unit_ja", "unit_en", "source_ja", "notes_ja",
         "notes_en", "source_en"], _catalog_entry),
    "country_names": ({}, ["iso3", "name_ja", "name_en", "region", "on_map"], _country_names),
    "country_region_values": (
        STAT, ["iso3", "name_ja", "name_en", "on_map", "region", "region_ja", "region_en",
               "amount_mjpy"], _country_region_values),
    "financial_summary": (
        {"fiscal_year": 2024},
        ["fiscal_year", "item", "item_ja", "item_en", "amount_mjpy", "precision_mjpy"],
        _financial_summary),
    "fiscal_years": ({}, ["fiscal_year"], _fiscal_years),
    "compare_years": (
        dict(dim="product", measure="premium", year_a=2021, year_b=2024),
        ["code", "name_ja", "name_en", "sort", "amount_a_mjpy", "amount_b_mjpy", "difference_mjpy",
         "change_pct"], _compare_years),
    "headline_totals": (
        {}, ["fiscal_year", "measure", "risk", "amount_mjpy", "prev_amount_mjpy", "change_pct"],
        _headline_totals),
    "japan_exports": ({}, ["fiscal_year", "amount_mjpy", "status", "change_pct"], _japan_exports),
    "lead_element_counts": ({}, ["element", "projects"], _lead_element_counts),
    "lead_projects": (
        LEAD_ALL,
        ["no", "announced", "fiscal_year", "iso3", "place_ja", "place_en", "title_ja",
         "title_en", "elements", "amount", "currency", "approx", "region", "region_ja",
         "region_en"], _lead_projects),
    "partner_agreements": (
        dict(agreement_type=None, report_group=None, iso3=None),
        ["agreement_type", "report_group", "iso3", "country_ja", "country_en", "institution_ja",
         "institution_en", "year"], _partner_agreements),
    "partner_countries": (
        {}, ["iso3", "name_ja", "name_en", "on_map", "map_type", "agreements", "detail"],
        _partner_countries),
    "partner_timeline": ({}, ["year", "agreement_type", "agreements"], _partner_timeline),
    "product_measure_year": (
        dict(measure="premium", risk="total", fiscal_year=2021),
        ["product", "name_ja", "name_en", "sort", "family", "family_ja", "family_en",
         "family_sort", "amount_mjpy", "prev_amount_mjpy", "share_pct", "change_pct",
         "change_mjpy"],
        _product_measure_year),
    "product_family_trend": (
        dict(measure="premium", risk="total"),
        ["fiscal_year", "family", "family_ja", "family_en", "family_sort", "amount_mjpy"],
        _product_family_trend),
    "product_trend": (
        dict(measure="underwriting", risk="total"),
        ["fiscal_year", "product", "name_ja", "name_en", "sort", "family", "family_ja",
         "family_en", "amount_mjpy"], _product_trend),
    "project_places": (
        {}, ["kind", "ref", "iso3", "region", "month", "title_ja", "title_en", "place_ja",
             "place_en"], _project_places),
    "recoveries_by_risk": ({}, ["fiscal_year", "risk", "amount_mjpy"], _recoveries_by_risk),
    "region_claims_split": (
        {"fiscal_year": 2024}, ["region", "name_ja", "name_en", "sort", "risk", "amount_mjpy"],
        _region_claims_split),
    "region_measure_year": (
        STAT, ["region", "name_ja", "name_en", "sort", "amount_mjpy", "prev_amount_mjpy",
               "share_pct", "change_pct"], _region_measure_year),
    "region_trend": (
        dict(measure="recoveries", risk="total"),
        ["fiscal_year", "region", "name_ja", "name_en", "sort", "amount_mjpy"], _region_trend),
    "regions": ({}, ["region", "name_ja", "name_en", "sort"], _regions),
    "report_year": ({}, ["fiscal_year"], _report_year),
    "sme_cases": (
        {}, ["case_no", "company_ja", "company_en", "prefecture_code", "prefecture_ja",
             "prefecture_en", "city_ja", "product", "product_ja", "product_en", "goods_ja",
             "goods_en", "dest_iso3", "dest_ja", "dest_en", "amount_jpy", "amount_basis",
             "approx", "signed", "introducer_ja", "introducer_en"], _sme_cases),
    "sme_members": (
        {"prefecture_code": None},
        ["name_ja", "name_en", "kind", "prefecture_code", "prefecture_ja", "prefecture_en"],
        _sme_members),
    "sme_partnerships_by_year": (
        {}, ["fiscal_year", "new_regional", "new_regional_unit", "new_shinkin", "cumulative"],
        _sme_partnerships_by_year),
    "sme_prefecture_counts": (
        {}, ["prefecture_code", "name_ja", "name_en", "region_ja", "region_en", "sort", "banks",
             "shinkin", "members"], _sme_prefecture_counts),
    "support_package": (
        {}, ["package", "package_ja", "member_ja", "member_en", "kind", "joined",
             "institutions", "as_of"], _support_package),
    "env_screening": (
        {"fiscal_year": 2024}, ["dimension", "key", "label_ja", "label_en", "share_pct", "cases"],
        _env_screening),
    "offices": (
        {}, ["office", "name_ja", "name_en", "kind", "city_ja", "city_en", "iso3", "lat", "lon"],
        _offices),
    "recoveries_by_country": (
        {"fiscal_year": 2024},
        ["fiscal_year", "region", "region_ja", "region_en", "iso3", "name_ja", "name_en",
         "amount_100mjpy", "approx", "basis", "region_share_pct"], _recoveries_by_country),
    "products": ({}, ["product", "name_ja", "name_en", "family", "sort"], _products),
    "company_profile": ({}, ["item", "value_ja", "value_en", "as_of"], _company_profile),
    "history": ({}, ["date", "event_ja", "event_en"], _history),
    "country_recoveries": (
        {"iso3": "ARG"},
        ["fiscal_year", "region", "iso3", "name_ja", "name_en", "amount_100mjpy", "approx", "basis",
         "region_share_pct"], _country_recoveries),
    "country_exports": (
        {"iso3": "CHN"},
        ["fiscal_year", "destination", "iso3", "name_ja", "name_en", "amount_trillion_jpy",
         "approx", "change_pct"], _country_exports),
    "top_countries": (
        {}, ["fiscal_year", "rank", "iso3", "name_ja", "name_en", "region", "on_map",
             "amount_mjpy", "share_pct"], _top_countries),
    "fin_statement": (
        {"statement": "pl"}, ["line_no", "level", "is_total", "item_ja", "item_en", "amount_mjpy"],
        _fin_statement),
    "fin_notes": ({}, ["note", "line_no", "level", "sign", "is_total", "item_ja", "item_en",
                       "amount_mjpy"], _fin_any),
    "fin_net_assets": ({}, ["movement", "component", "movement_ja", "movement_en",
                            "component_ja", "component_en", "movement_sort", "component_sort",
                            "amount_mjpy"], _fin_any),
    "fin_waterfall": ({}, ["step_no", "step", "measure", "amount_mjpy", "running_mjpy"],
                      _fin_waterfall),
    "fin_bs_composition": ({}, ["side", "segment", "item_ja", "item_en", "sort", "amount_mjpy",
                                "share_pct"], _fin_any),
    "fin_cash_flows": ({}, ["line_no", "flow", "item_ja", "item_en", "amount_mjpy"], _fin_any),
    "fin_reserves": ({}, ["sort", "reserve", "item_ja", "item_en", "opening_mjpy",
                          "provision_mjpy", "closing_mjpy"], _fin_any),
    "fin_ratios": ({}, ["sort", "ratio", "fiscal_year", "input_no", "role", "statement",
                        "statement_line", "item_ja", "item_en", "amount_mjpy", "precision_mjpy",
                        "numerator_mjpy", "denominator_mjpy", "ratio_pct"], _fin_ratios),
    "fin_htm_bonds": ({}, ["line", "row_type", "fair_value_group", "kind", "kind_ja", "kind_en",
                           "book_value_mjpy", "fair_value_mjpy", "difference_mjpy",
                           "parts_book_mjpy", "parts_fair_mjpy", "parts_difference_mjpy"],
                      _fin_htm_bonds),
    "fin_redemptions": ({}, ["bucket", "sort", "bucket_ja", "bucket_en", "amount_mjpy"], _fin_any),
    "country_index": ({}, ["iso3", "name_ja", "name_en", "region", "region_ja", "region_en",
                           "region_sort", "mentions", "partners", "projects", "lead",
                           "decarbonisation", "major", "sme_cases", "figures", "offices"],
                      _country_index),
    "country_projects": ({"iso3": "EGY"}, ["kind", "ref", "month", "title_ja", "title_en",
                                           "product", "project"], _country_projects),
    "country_sme_cases": ({"iso3": "THA"}, ["case_no", "company_ja", "company_en", "goods_ja",
                                            "goods_en", "product", "product_ja", "product_en",
                                            "signed"], _country_sme_cases),
}


def test_every_query_file_has_a_case():
    """Test that every .sql file in queries/ has a case here, and no case lacks a file."""
    on_disk = {p.stem for p in QUERIES.glob("*.sql")}
    assert set(db.queries()) == on_disk
    assert set(QUERY_CASES) == on_disk


@pytest.mark.parametrize("name", sorted(QUERY_CASES))
def test_query_columns_and_printed_figures(name):
    """Test that the named query returns its columns and the report's printed figures."""
    params, columns, check = QUERY_CASES[name]
    assert db.queries()[name].params == frozenset(params)
    df = db.run(name, **params)
    assert list(df.columns) == columns
    check(df)


# ---------------------------------------------------- more figures through the queries

# FY2024 構成比 / 対前期増減率 as printed in the region tables
REGION_RATIOS_2024 = {
    "underwriting": {
        "asia": (50.6, -4.4), "middle_east": (11.4, 5.9), "europe": (5.7, -6.8),
        "north_america": (7.2, 2.6), "central_america": (9.7, -0.7),
        "south_america": (6.9, -27.1), "africa": (5.9, 9.9), "oceania": (1.7, 6.5),
        "intl_org": (1.0, -2.0)},
    "outstanding": {
        "asia": (47.6, -3.3), "middle_east": (16.8, -11.0), "europe": (4.9, -31.9),
        "north_america": (6.7, -6.7), "central_america": (3.7, -12.8),
        "south_america": (7.6, -11.7), "africa": (9.2, -4.5), "oceania": (2.1, -20.1),
        "intl_org": (1.4, -64.6)},
}


@pytest.mark.parametrize("measure", sorted(REGION_RATIOS_2024))
def test_region_measure_year_reproduces_printed_shares_and_growth(measure):
    """Test that region shares and growth for FY2024 round to the report's printed figures."""
    df = db.run("region_measure_year", measure=measure, risk="total", fiscal_year=2024)
    got = {r.region: (r1(r.share_pct), r1(r.change_pct)) for r in df.itertuples()}
    assert got == REGION_RATIOS_2024[measure]
    assert r1(df["share_pct"].sum()) == 100.0


def test_product_measure_year_underwriting_2024():
    """Test that FY2024 underwriting by product matches the report's amounts, shares and growth."""
    df = db.run("product_measure_year", measure="underwriting", risk="total", fiscal_year=2024)
    gt = one(df, product="general_trade")
    assert gt["amount_mjpy"] == 5530453
    assert (r1(gt["share_pct"]), r1(gt["change_pct"])) == (72.7, -0.4)
    oil = one(df, product="overseas_untied_loan")
    assert (r1(oil["share_pct"]), r1(oil["change_pct"])) == (10.5, -30.8)
    bc = one(df, product="buyer_credit")
    assert (r1(bc["share_pct"]), r1(bc["change_pct"])) == (0.6, 86.8)
    lc = one(df, product="lc_confirmation")  # 500 in FY2024, － in FY2023: no growth rate
    assert lc["amount_mjpy"] == 500 and pd.isna(lc["change_pct"])


def test_product_measure_year_change_from_negative_base():
    """Test that growth from a negative previous year divides by its absolute value."""
    df = db.run("product_measure_year", measure="premium", risk="total", fiscal_year=2022)
    bc = one(df, product="buyer_credit")
    assert (bc["amount_mjpy"], bc["prev_amount_mjpy"]) == (-444, -2641)
    assert bc["change_pct"] > 0  # a smaller loss is an improvement
    assert r1(bc["change_pct"]) == r1(100 * (-444 + 2641) / 2641)


# ------------------------------------------------------------ the change_pct macro
# Every change from the previous year the pages show comes from the database's change_pct macro
# (build.py). Rounded half-up to one decimal, as the pages print it, it must give exactly what
# the exact ratio gives (fmt.change_pct, in Decimal): the report's printed 対前期増減率.

# The yearly tables, and the columns that pick one series in each (besides fiscal_year).
YEARLY_SERIES = {"region_stats": ("region", "measure", "risk"),
                 "product_stats": ("product", "measure", "risk"),
                 "report_totals": ("measure", "risk"), "japan_exports": ()}


def _consecutive_years(table):
    """(current, previous, change_pct) for every pair of consecutive years of every series."""
    # The names come from YEARLY_SERIES above, never from input.
    same = "".join(f" AND prev.{c} = cur.{c}" for c in YEARLY_SERIES[table])
    return db._fetch("SELECT cur.amount_mjpy AS cur, prev.amount_mjpy AS prev, "
                     "change_pct(cur.amount_mjpy, prev.amount_mjpy) AS change "
                     f"FROM {table} cur JOIN {table} prev "
                     f"ON prev.fiscal_year = cur.fiscal_year - 1{same}")


def _same_as_exact(cur, prev, change):
    exact = fmt.change_pct(cur, prev)
    if exact is None:
        assert pd.isna(change), (cur, prev, change)
        return
    assert fmt.round_half_up(change, 1) == fmt.round_half_up(exact, 1), (cur, prev, change)
    # The value itself: the exact ratio cut (toward zero) after six decimals, which a float
    # carries exactly below a billion percent (fifteen significant digits).
    if abs(exact) < 10**9:
        assert Decimal(repr(float(change))) == exact.quantize(Decimal("0.000001"),
                                                              rounding=ROUND_DOWN), (cur, prev)


@pytest.mark.parametrize("table", sorted(YEARLY_SERIES))
def test_change_pct_rounds_as_the_exact_ratio_for_every_pair_of_years(table):
    """Test that change_pct, rounded half-up to one decimal, equals the exact change for every
    pair of consecutive years in every yearly table."""
    rows = _consecutive_years(table)
    assert len(rows) >= 4
    for cur, prev, change in rows.itertuples(index=False):
        _same_as_exact(cur, prev, change)


@pytest.mark.parametrize("cur,prev", [
    (2001, 2000), (1999, 2000), (20001, 20000), (19999, 20000),  # ties at x.x5: away from zero
    (1, 3), (2, 3), (-444, -2641), (1676, -2641), (0, 5), (5, 0), (7602398, 7966513),
    (115097, 27918), (108939385, 102902399), (4_000_000_000, 3)])
def test_change_pct_on_ties_signs_and_zero(cur, prev):
    """Test that change_pct rounds ties away from zero, divides by |previous| and is NULL
    from a zero base, as fmt.change_pct does."""
    df = db._fetch("SELECT change_pct($cur::BIGINT, $prev::BIGINT) AS change",
                   {"cur": cur, "prev": prev})
    _same_as_exact(cur, prev, df["change"].iloc[0])


def test_change_pct_is_stored_in_the_database_file():
    """Test that the macro comes with the built file: the app opens it read-only, unable to
    define anything."""
    df = db._fetch("SELECT database_name, function_type FROM duckdb_functions() "
                   "WHERE function_name = 'change_pct'")
    assert df["function_type"].tolist() == ["macro"]
    assert df["database_name"].iloc[0] not in ("system", "temp")  # the file's own catalogue


def test_region_claims_split_fy2024_commercial_pie():
    """Test that commercial claims by region reproduce the FY2024 pie's printed shares."""
    df = db.run("region_claims_split", fiscal_year=2024)
    com = df[df.risk == "commercial"].set_index("region")["amount_mjpy"]
    shares = {k: r1(100 * v / 30493) for k, v in com.items()}
    assert shares == {"europe": 74.6, "south_america": 9.5, "africa": 8.2, "asia": 5.0,
                      "central_america": 2.1, "middle_east": 0.5, "oceania": 0.1,
                      "north_america": 0.0}


@pytest.mark.parametrize("filters, expected_nos", [
    (dict(fiscal_year=2024), [13, 14, 15, 16]),
    (dict(currency="JPY"), [5]),
    (dict(currency="TWD"), [10]),
    (dict(element="leading_tech"), None),
    (dict(region="africa", element="development"), [1, 4, 5]),
    (dict(fiscal_year=2022, currency="USD"), [6, 7, 8, 9]),
    (dict(region="oceania", fiscal_year=2024), []),
])
def test_lead_projects_filters(filters, expected_nos):
    """Test that lead_projects filters by element, fiscal year (April start), region, currency."""
    df = db.run("lead_projects", **{**LEAD_ALL, **filters})
    if expected_nos is None:
        assert len(df) == 4  # four projects carry Leading Technologies & Businesses
        assert all("leading_tech" in e.split(";") for e in df["elements"])
    else:
        assert df["no"].tolist() == expected_nos


def test_partner_agreements_and_members_filters():
    """Test that the partner and network filters narrow to the report's groups."""
    can = db.run("partner_agreements", agreement_type=None, report_group=None, iso3="CAN")
    assert len(can) == 3 and set(can["institution_ja"].str.contains("EDC")) == {True}
    oss_eu = db.run("partner_agreements", agreement_type="one_stop_shop", report_group="europe",
                    iso3=None)
    assert len(oss_eu) == 13
    multi = db.run("partner_agreements", agreement_type=None, report_group="multilateral",
                   iso3=None)
    assert len(multi) == 13 and multi["iso3"].isna().all()
    tokyo = db.run("sme_members", prefecture_code="13")
    assert len(tokyo) == 13 and (tokyo["kind"] == "shinkin").sum() == 7


def test_query_results_are_fresh_dataframes():
    """Test that mutating one result does not change the next call's result."""
    a = db.run("regions")
    a.loc[0, "name_en"] = "changed"
    assert db.run("regions").loc[0, "name_en"] == "Asia"


# ------------------------------------------------------------------ call errors

def test_unknown_query_name_raises_query_error_naming_it():
    """Test that an unknown query name raises QueryError that names it."""
    with pytest.raises(QueryError, match="'no_such_query'"):
        db.run("no_such_query")


def test_missing_parameter_raises_query_error():
    """Test that leaving out a parameter raises QueryError naming the missing one."""
    with pytest.raises(QueryError) as info:
        db.run("region_measure_year", measure="underwriting", risk="total")
    assert "missing ['fiscal_year']" in str(info.value)
    assert "region_measure_year" in str(info.value)


def test_unexpected_parameter_raises_query_error():
    """Test that an extra parameter raises QueryError naming it."""
    with pytest.raises(QueryError) as info:
        db.run("regions", fiscal_year=2024)
    assert "unexpected ['fiscal_year']" in str(info.value)
    with pytest.raises(QueryError, match="unexpected \\['year'\\]"):
        db.run("financial_summary", fiscal_year=2024, year=2024)


def test_parameters_in_comments_are_not_required(tmp_path, monkeypatch):
    """Test that a $word inside a -- comment is not taken for a parameter."""
    (tmp_path / "probe.sql").write_text(
        "-- Costs $not_a_param; filtered by $region.\n"
        "SELECT name_en FROM regions WHERE region = $region -- not $this_either\n",
        encoding="utf-8")
    monkeypatch.setattr(paths, "QUERIES_DIR", tmp_path)
    db.queries.cache_clear()
    try:
        assert db.queries()["probe"].params == frozenset({"region"})
        assert db.run("probe", region="oceania")["name_en"].tolist() == ["Oceania"]
    finally:
        monkeypatch.undo()
        db.queries.cache_clear()
    assert "probe" not in db.queries()


# ----------------------------------------------------------------- the lockdown

def _cursor():
    return db._connection().cursor()


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/hostname')",
    "SELECT * FROM glob('/etc/*')",
])
def test_query_cannot_read_files(sql):
    """Test that a query through the app's connection cannot read files from disk."""
    cur = _cursor()
    try:
        with pytest.raises(duckdb.Error):
            cur.execute(sql).fetchall()
    finally:
        cur.close()


@pytest.mark.parametrize("sql", [
    "CREATE TABLE evil (a INTEGER)",
    "INSERT INTO regions VALUES ('x', 'x', 'x', 99)",
    "UPDATE report_totals SET amount_mjpy = 0",
    "DROP TABLE regions",
])
def test_query_cannot_write_the_database(sql):
    """Test that a query cannot create, change or drop tables in the database."""
    cur = _cursor()
    try:
        with pytest.raises(duckdb.Error):
            cur.execute(sql)
    finally:
        cur.close()
    assert len(db.run("regions")) == 9
    assert one(db.run("headline_totals"), fiscal_year=2024, measure="underwriting",
               risk="total")["amount_mjpy"] == 7602398


def test_query_cannot_copy_to_a_file(tmp_path):
    """Test that COPY ... TO cannot write a file."""
    for i, sql in enumerate(["COPY regions TO '{}'", "COPY (SELECT 42) TO '{}' (FORMAT csv)"]):
        target = tmp_path / f"leak{i}.csv"
        cur = _cursor()
        try:
            with pytest.raises(duckdb.Error):
                cur.execute(sql.format(target))
        finally:
            cur.close()
        assert not target.exists()


@pytest.mark.parametrize("sql", [
    "SET memory_limit = '16GB'",
    "RESET memory_limit",
    "PRAGMA memory_limit = '16GB'",
    "SET enable_external_access = true",
    "SET threads = 64",
    "SET lock_configuration = false",
    "SET python_enable_replacements = true",
])
def test_query_cannot_change_settings(sql):
    """Test that a query cannot loosen a setting: the configuration is locked."""
    cur = _cursor()
    try:
        before = cur.execute("SELECT current_setting('memory_limit'), "
                             "current_setting('enable_external_access')").fetchone()
        with pytest.raises(duckdb.Error):
            cur.execute(sql)
        after = cur.execute("SELECT current_setting('memory_limit'), "
                            "current_setting('enable_external_access')").fetchone()
    finally:
        cur.close()
    assert after == before
    assert after[1] is False


@pytest.mark.parametrize("sql", [
    "ATTACH ':memory:' AS scratch",
    "INSTALL httpfs",
    "LOAD httpfs",
])
def test_query_cannot_attach_or_load_extensions(sql):
    """Test that a query cannot attach databases or install/load extensions."""
    cur = _cursor()
    try:
        with pytest.raises(duckdb.Error):
            cur.execute(sql)
    finally:
        cur.close()


def test_query_cannot_see_dataframes_in_scope():
    """Test that replacement scans are off: a DataFrame in scope is not a table."""
    secret = pd.DataFrame({"password": ["hunter2"]})
    # positive control: an ordinary DuckDB connection WOULD read the local DataFrame
    plain = duckdb.connect()
    try:
        assert plain.cursor().execute("SELECT * FROM secret").fetchall() == [("hunter2",)]
    finally:
        plain.close()
    cur = _cursor()
    try:
        with pytest.raises(duckdb.CatalogException):
            cur.execute("SELECT * FROM secret").fetchall()
    finally:
        cur.close()
    assert secret is not None


# ----------------------------------------------------------------- concurrency

CALLS = [(name, params) for name, (params, _, _) in QUERY_CASES.items()] + [
    ("region_measure_year", dict(measure="claims_paid", risk="political", fiscal_year=2023)),
    ("region_measure_year", dict(measure="outstanding", risk="total", fiscal_year=2021)),
    ("product_measure_year", dict(measure="underwriting", risk="total", fiscal_year=2024)),
    ("product_trend", dict(measure="claims_paid", risk="commercial")),
    ("lead_projects", dict(element="environment_energy", fiscal_year=None, region=None,
                           currency=None)),
    ("lead_projects", dict(element=None, fiscal_year=2024, region=None, currency="USD")),
    ("sme_members", dict(prefecture_code="13")),
    ("country_region_values", dict(measure="outstanding", risk="total", fiscal_year=2022)),
    ("region_claims_split", dict(fiscal_year=2022)),
    ("catalog_entry", dict(table_name="lead_projects")),
    ("partner_agreements", dict(agreement_type="cooperation", report_group=None, iso3=None)),
]


# The output columns that each query's ORDER BY sorts on (or an equivalent unique key). If two
# rows share them, SQL leaves their order unspecified and DuckDB's parallel plans may swap them.
ORDER_KEYS = {
    "catalog_entry": ["table_name"],
    "compare_years": ["sort"],
    "country_names": ["iso3"],
    "country_region_values": ["iso3"],
    "financial_summary": ["item"],
    "fiscal_years": ["fiscal_year"],
    "headline_totals": ["measure", "risk", "fiscal_year"],
    "japan_exports": ["fiscal_year"],
    "lead_element_counts": ["element"],
    "lead_projects": ["no"],
    "partner_agreements": ["agreement_type", "report_group", "iso3", "year", "institution_ja"],
    "partner_countries": ["iso3"],
    "partner_timeline": ["year", "agreement_type"],
    "product_measure_year": ["sort"],
    "product_trend": ["fiscal_year", "sort"],
    "product_family_trend": ["fiscal_year", "family_sort"],
    "project_places": ["kind", "ref", "iso3"],
    "recoveries_by_risk": ["fiscal_year", "risk"],
    "region_claims_split": ["sort", "risk"],
    "region_measure_year": ["sort"],
    "region_trend": ["fiscal_year", "sort"],
    "regions": ["sort"],
    "report_year": ["fiscal_year"],
    "sme_cases": ["case_no", "signed", "dest_iso3"],
    "sme_members": ["prefecture_code", "kind", "name_ja"],
    "sme_partnerships_by_year": ["fiscal_year"],
    "sme_prefecture_counts": ["sort"],
    "support_package": ["package", "kind", "joined", "member_ja"],
    "top_countries": ["fiscal_year", "rank"],
    "env_screening": ["dimension", "key"],
    "offices": ["office"],
    "recoveries_by_country": ["region", "amount_100mjpy", "name_en"],
    "products": ["sort"],
    "company_profile": ["item"],
    "history": ["date"],
    "country_recoveries": ["fiscal_year"],
    "country_exports": ["fiscal_year", "destination"],
    "fin_statement": ["line_no"],
    "fin_notes": ["note", "line_no"],
    "fin_net_assets": ["movement_sort", "component_sort"],
    "fin_waterfall": ["step_no"],
    "fin_bs_composition": ["side", "sort"],
    "fin_cash_flows": ["line_no"],
    "fin_reserves": ["sort"],
    "fin_ratios": ["sort", "fiscal_year", "input_no"],
    "fin_htm_bonds": ["line"],
    "fin_redemptions": ["sort"],
    "country_index": ["region_sort", "iso3"],
    "country_projects": ["kind", "month", "ref"],
    "country_sme_cases": ["case_no"],
}

# partner_countries.detail is a list ordered by (type priority, year DESC, institution).
DETAIL_ORDER_KEYS = ("agreement_type", "year", "institution_ja")


def order_ties(name, df):
    """Rows (or partner_countries detail items) whose order the query leaves unspecified."""
    keys = ORDER_KEYS[name]
    dup = df[df.duplicated(keys, keep=False)]
    ties = [tuple(r) for r in dup[keys].itertuples(index=False)]
    if name == "partner_countries":
        for iso3, detail in zip(df["iso3"], df["detail"]):
            items = [tuple(d[k] for k in DETAIL_ORDER_KEYS) for d in detail]
            ties += [(iso3, *item) for item, n in Counter(items).items() if n > 1]
    return ties


def test_order_keys_cover_every_query():
    """Test that every query has its ORDER BY key listed for the tie check."""
    assert set(ORDER_KEYS) == set(QUERY_CASES)


@pytest.mark.parametrize("name", sorted(QUERY_CASES))
def test_query_order_is_total(name):
    """Test that the query's ORDER BY leaves no ties, so identical calls give identical answers."""
    params = QUERY_CASES[name][0]
    df = db.run(name, **params)
    assert order_ties(name, df) == [], (
        f"rows tie on the ORDER BY of queries/{name}.sql; add a tie-breaker there and list it "
        "in ORDER_KEYS (or DETAIL_ORDER_KEYS) here")


def canonical(df, ordered=True):
    """Columns, dtypes and rows; with ordered=False, row order (and list order) is ignored."""
    def norm(v):
        if isinstance(v, (list, tuple, np.ndarray)):
            items = [repr(x) for x in v]
            return tuple(items if ordered else sorted(items))
        return repr(v)
    rows = [tuple(norm(v) for v in row) for row in df.itertuples(index=False)]
    return list(df.columns), [str(t) for t in df.dtypes], rows if ordered else sorted(rows)


@pytest.mark.long
def test_concurrent_queries_match_single_threaded_answers():
    """Test that 16 threads x 200 mixed queries raise nothing and match the serial answers."""
    serial = [db.run(name, **params) for name, params in CALLS]
    # Where a query's ORDER BY has ties (a bug of its own, see test_query_order_is_total) the
    # row order is unspecified even in one thread, so only the rows are compared, not their order.
    ordered = [not order_ties(name, df) for (name, _), df in zip(CALLS, serial)]
    expected = [canonical(df, o) for df, o in zip(serial, ordered)]
    db.reset()  # the threads also race to open the connection
    start = threading.Barrier(16)

    def worker(t):
        start.wait()
        problems = []
        for i in range(200):
            k = (t * 7 + i) % len(CALLS)
            name, params = CALLS[k]
            try:
                got = canonical(db.run(name, **params), ordered[k])
            except Exception as exc:  # noqa: BLE001 - every failure is a finding
                problems.append((name, repr(exc)))
                continue
            if got != expected[k]:
                problems.append((name, params, "different answer"))
        return problems

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(worker, range(16)))
    assert [p for r in results for p in r] == []
    assert sum(ordered) >= len(CALLS) - 8  # most answers are compared row for row


# ------------------------------------------------------- unavailable databases

def test_missing_database_raises_database_unavailable(tmp_path, monkeypatch, fresh_connection):
    """Test that a missing database file raises DatabaseUnavailable telling to run make data."""
    monkeypatch.setenv("NEXI_DB", str(tmp_path / "missing.duckdb"))
    with pytest.raises(DatabaseUnavailable, match="make data"):
        db.run("regions")
    with pytest.raises(DatabaseUnavailable, match="make data"):
        db.stale_tables()


def test_database_built_after_failure_is_picked_up(tmp_path, monkeypatch, fresh_connection):
    """Test that once the missing database is built, the next query works without a restart."""
    target = tmp_path / "later.duckdb"
    monkeypatch.setenv("NEXI_DB", str(target))
    with pytest.raises(DatabaseUnavailable):
        db.run("regions")
    build(TABLES, target)
    assert len(db.run("regions")) == 9


@pytest.mark.parametrize("kind", ["random-bytes", "empty-file", "directory", "no-build-table"])
def test_unreadable_database_raises_database_unavailable(tmp_path, monkeypatch, fresh_connection,
                                                         kind):
    """Test that a corrupt or foreign database file raises DatabaseUnavailable, not a raw error."""
    target = tmp_path / "nexi.duckdb"
    if kind == "random-bytes":
        target.write_bytes(random.Random(2024).randbytes(256 * 1024))
    elif kind == "empty-file":
        target.write_bytes(b"")
    elif kind == "directory":
        target.mkdir()
    else:
        con = duckdb.connect(str(target))
        con.execute("CREATE TABLE regions AS SELECT 'asia' AS region")
        con.close()
    monkeypatch.setenv("NEXI_DB", str(target))
    with pytest.raises(DatabaseUnavailable) as info:
        db.run("regions")
    assert "make data" in str(info.value)
    assert "nexi.duckdb" in str(info.value)


def test_truncated_database_raises_database_unavailable(built_db, tmp_path, monkeypatch,
                                                        fresh_connection):
    """Test that a truncated database gives DatabaseUnavailable, never a raw DuckDB error."""
    data = built_db.read_bytes()
    target = tmp_path / "nexi.duckdb"
    target.write_bytes(data[: len(data) // 2])
    monkeypatch.setenv("NEXI_DB", str(target))
    outcomes = Counter()
    for name, (params, _, _) in QUERY_CASES.items():
        try:
            db.run(name, **params)
            outcomes["ok"] += 1
        except DatabaseUnavailable as exc:
            assert "make data" in str(exc)
            outcomes["unavailable"] += 1
    assert outcomes["unavailable"] > 0  # the truncation really hit table data


def test_nexi_db_is_read_at_call_time(tmp_path, monkeypatch):
    """Test that changing NEXI_DB switches databases on the next call, without reset()."""
    tables = tmp_path / "tables"
    shutil.copytree(TABLES, tables)
    text = (tables / "regions.csv").read_text(encoding="utf-8")
    (tables / "regions.csv").write_text(text.replace("asia,アジア,Asia,", "asia,アジア,Asia!,"),
                                        encoding="utf-8")
    other = build(tables, tmp_path / "other.duckdb")
    assert db.run("regions").loc[0, "name_en"] == "Asia"
    monkeypatch.setenv("NEXI_DB", str(other))
    assert db.run("regions").loc[0, "name_en"] == "Asia!"
    monkeypatch.undo()
    assert db.run("regions").loc[0, "name_en"] == "Asia"


# ----------------------------------------------------------------- staleness

def test_stale_tables_empty_for_fresh_build(monkeypatch):
    """Test that stale_tables() is empty right after building from the same CSVs."""
    monkeypatch.setattr(paths, "TABLES_DIR", TABLES)
    assert db.stale_tables() == []


def test_stale_tables_names_changed_added_and_removed_csvs(tmp_path, monkeypatch):
    """Test that stale_tables() names a modified, a deleted and an undeclared new CSV."""
    tables = tmp_path / "tables"
    shutil.copytree(TABLES, tables)
    monkeypatch.setattr(paths, "TABLES_DIR", tables)
    assert db.stale_tables() == []
    with open(tables / "region_stats.csv", "a", encoding="utf-8") as f:
        f.write("2025,asia,underwriting,total,1\n")
    assert db.stale_tables() == ["region_stats.csv"]
    (tables / "offices.csv").unlink()
    assert sorted(db.stale_tables()) == ["offices.csv", "region_stats.csv"]
    (tables / "zz_new.csv").write_text("a\n1\n", encoding="utf-8")
    assert sorted(db.stale_tables()) == ["offices.csv", "region_stats.csv", "zz_new.csv"]


def test_stale_tables_detects_a_one_byte_change(tmp_path, monkeypatch):
    """Test that changing one digit of a figure makes its table stale."""
    tables = tmp_path / "tables"
    shutil.copytree(TABLES, tables)
    monkeypatch.setattr(paths, "TABLES_DIR", tables)
    text = (tables / "top_countries.csv").read_text(encoding="utf-8")
    (tables / "top_countries.csv").write_text(text.replace("591000", "591001"), encoding="utf-8")
    assert db.stale_tables() == ["top_countries.csv"]
