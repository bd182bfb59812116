"""Checks of the per-country tables transcribed from the report's text, and of the company
profile and history, against the report's printed figures.

Every expected value is typed in from NEXI's Annual Report FY2024 (回収状況 text, 2024年度の
輸出動向 text and table, 法人概要, 沿革); none is read back from the CSVs. The text's figures
are rounded (約 N億円, 約 N兆円), so they are held to the tables with exact rounded-figure
rules: a 約 figure printed to whole 億円 stands for a value within ±0.5億円 of it.
"""

from fractions import Fraction
from math import floor
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
TABLES = ROOT / "data" / "tables"
FY = 2024


def load(name):
    return pd.read_csv(TABLES / name, dtype=str, keep_default_na=False)


def round_half_up(x: Fraction, places: int) -> Fraction:
    scale = 10 ** places
    return Fraction(floor(x * scale + Fraction(1, 2)), scale)


def region_recoveries() -> dict:
    """FY2024 recoveries by region in million yen (region_stats)."""
    df = load("region_stats.csv")
    df = df[(df.fiscal_year == str(FY)) & (df.measure == "recoveries") & (df.risk == "total")]
    return {r.region: int(r.amount_mjpy) for r in df.itertuples() if r.amount_mjpy}


def report_total(measure="recoveries", year=FY) -> int:
    df = load("report_totals.csv")
    row = df[(df.fiscal_year == str(year)) & (df.measure == measure) & (df.risk == "total")]
    return int(row.amount_mjpy.iloc[0])


def risk_recoveries(risk: str) -> int:
    df = load("risk_stats.csv")
    row = df[(df.fiscal_year == str(FY)) & (df.measure == "recoveries") & (df.risk == risk)]
    return int(row.amount_mjpy.iloc[0])


def oku(mjpy: int) -> Fraction:
    """Million yen as 億円 (1億円 = 100百万円)."""
    return Fraction(mjpy, 100)


def recoveries() -> pd.DataFrame:
    return load("recoveries_by_country.csv")


# ------------------------------------------------------------------ recoveries by country

# As printed: (iso3, 約 億円, basis) per country the text names.
PRINTED_COUNTRIES = {
    "IRQ": ("83", "paris_club"), "ARG": ("47", "paris_club_and_other"),
    "CHL": ("4", "commercial"), "EGY": ("12", "commercial"), "TZA": ("8", "political"),
    "AGO": ("7", "political"), "ESP": ("13", "commercial"), "NOR": ("10", "commercial"),
    "THA": ("10", "commercial"), "PAK": ("5", "paris_club"), "MEX": ("7", "commercial"),
}
# The regions' printed amounts (約 億円) and the three printed shares of the total (%).
PRINTED_REGION_OKU = {"middle_east": 84, "south_america": 54, "africa": 29, "europe": 27,
                      "asia": 20, "central_america": 8}
PRINTED_REGION_SHARE = {"middle_east": Fraction("37.8"), "south_america": Fraction("24.3"),
                        "africa": Fraction("13.2")}


def test_recoveries_rows_are_the_countries_the_text_names():
    """Test that each named country has one row with its printed amount and basis, plus the one
    combined North America and Oceania row."""
    df = recoveries()
    countries = df[df.iso3 != ""]
    got = {r.iso3: (r.amount_100mjpy, r.basis) for r in countries.itertuples()}
    assert got == PRINTED_COUNTRIES
    assert set(df.fiscal_year) == {str(FY)} and set(df.approx) == {"true"}
    combined = df[df.iso3 == ""]
    assert len(combined) == 1
    row = combined.iloc[0]
    assert (row.region, row.amount_100mjpy, row.basis) == ("", "0.4", "commercial")
    assert "北米" in row.name_ja and "オセアニア" in row.name_ja
    assert "North America" in row.name_en and "Oceania" in row.name_en


def test_each_country_fits_within_its_region():
    """Test that each country's 約 amount, and the sum of a region's named countries, is at
    most the region's recoveries in region_stats (allowing ±0.5億円 per 約 figure)."""
    regions = region_recoveries()
    df = recoveries()
    named = df[df.region != ""]
    for r in named.itertuples():
        assert Fraction(r.amount_100mjpy) - Fraction(1, 2) <= oku(regions[r.region]), r.iso3
    for region, part in named.groupby("region"):
        low = sum(Fraction(a) - Fraction(1, 2) for a in part.amount_100mjpy)
        assert low <= oku(regions[region]), region


def test_combined_north_america_and_oceania_matches_region_stats():
    """Test that the printed 約0.4億円 is North America plus Oceania in region_stats."""
    regions = region_recoveries()
    assert round_half_up(oku(regions["north_america"] + regions["oceania"]), 1) == \
        Fraction("0.4")


def test_printed_region_amounts_match_region_stats():
    """Test that the text's region figures (約84億円 ...) are region_stats rounded to 億円."""
    regions = region_recoveries()
    for region, printed in PRINTED_REGION_OKU.items():
        assert abs(oku(regions[region]) - printed) <= Fraction(1, 2), region


def test_printed_region_shares_derive_from_region_stats_and_total():
    """Test that 37.8 / 24.3 / 13.2 % are region_stats over the printed total, to 0.1, and that
    the table carries them on exactly those regions' rows."""
    regions, total = region_recoveries(), report_total()
    for region, printed in PRINTED_REGION_SHARE.items():
        assert round_half_up(Fraction(regions[region] * 100, total), 1) == printed, region
    df = recoveries()
    for r in df.itertuples():
        want = PRINTED_REGION_SHARE.get(r.region)
        assert (Fraction(r.region_share_pct) if r.region_share_pct else None) == want, r.name_en


def test_printed_recovery_totals_match_risk_stats_and_report_totals():
    """Test 約223億円 in all (約274億円 the year before), 約146億円 political and 約77億円
    commercial against report_totals and risk_stats, within the 約 rounding."""
    half = Fraction(1, 2)
    assert abs(oku(report_total()) - 223) <= half
    assert abs(oku(report_total(year=FY - 1)) - 274) <= half
    assert abs(oku(risk_recoveries("political")) - 146) <= half
    assert abs(oku(risk_recoveries("commercial")) - 77) <= half


def test_region_rows_agree_with_country_regions():
    """Test that each country row sits in the region country_regions gives it."""
    regions = dict(load("country_regions.csv")[["iso3", "region"]].itertuples(index=False))
    for r in recoveries().itertuples():
        if r.iso3:
            assert regions[r.iso3] == r.region, r.iso3


# ------------------------------------------------------------------ exports by destination

PRINTED_EXPORTS = {  # destination: (約 兆円, 前年度比 %)
    "world": ("108.9", "5.9"), "asia": ("58.1", "8.8"), "china": ("18.9", "3.4"),
    "usa": ("21.6", "3.8"), "eu": ("9.8", "-7.8"), "middle_east": ("4.4", "22.3"),
}


def exports_by_destination() -> dict:
    df = load("japan_exports_by_destination.csv")
    assert set(df.fiscal_year) == {str(FY)}
    return {r.destination: r for r in df.itertuples()}


def japan_exports() -> dict:
    return {int(r.fiscal_year): int(r.amount_mjpy) for r in load("japan_exports.csv").itertuples()}


def test_exports_by_destination_as_printed():
    """Test every destination's 約 amount, change and country code as the text prints them."""
    rows = exports_by_destination()
    assert {d: (r.amount_trillion_jpy, r.change_pct) for d, r in rows.items()} == PRINTED_EXPORTS
    assert {d: r.iso3 for d, r in rows.items() if r.iso3} == {"china": "CHN", "usa": "USA"}


def test_world_exports_match_japan_exports_table():
    """Test that 約108.9兆円 is japan_exports' FY2024 figure, which is in million yen.

    The report's table (（単位：百万円）, 出所：財務省貿易統計) prints 108,939,385; the
    （単位：億円） beside it belongs to the 貿易保険事業収支 chart. 108,939,385百万円 is
    108.9兆円 (1兆円 = 1,000,000百万円); read as 億円 it would be about 10,894兆円.
    """
    amounts = japan_exports()
    assert amounts[FY] == 108_939_385  # as printed
    world = Fraction(exports_by_destination()["world"].amount_trillion_jpy)
    assert round_half_up(Fraction(amounts[FY], 1_000_000), 1) == world
    # "約6.0兆円増加": the change in 兆円 from FY2023's 102,902,399百万円.
    assert round_half_up(Fraction(amounts[FY] - amounts[FY - 1], 1_000_000), 1) == \
        Fraction("6.0")


def test_world_growth_reproduced_from_japan_exports():
    """Test that 5.9% (and the table's 3.7% for FY2023) follow from japan_exports."""
    amounts = japan_exports()
    world = exports_by_destination()["world"]
    growth = round_half_up(Fraction(amounts[FY], amounts[FY - 1]) * 100 - 100, 1)
    assert growth == Fraction(world.change_pct) == Fraction("5.9")
    assert round_half_up(Fraction(amounts[FY - 1], amounts[FY - 2]) * 100 - 100, 1) == \
        Fraction("3.7")


def test_parts_fit_within_the_whole():
    """Test that China is within Asia and every region within the world total."""
    rows = exports_by_destination()
    amount = {d: Fraction(r.amount_trillion_jpy) for d, r in rows.items()}
    assert amount["china"] <= amount["asia"]
    assert all(amount[d] < amount["world"] for d in amount if d != "world")


# ------------------------------------------------------------------ company profile, history

def profile() -> dict:
    return {r.item: r for r in load("company_profile.csv").itertuples()}


def yen(text: str) -> int:
    """A printed Japanese amount such as 1,693億5,232万4,369円 in yen."""
    import re

    m = re.fullmatch(r"(?:([\d,]+)億)?(?:([\d,]+)万)?([\d,]+)?円", text)
    assert m, text
    parts = [int(g.replace(",", "")) if g else 0 for g in m.groups()]
    return parts[0] * 10**8 + parts[1] * 10**4 + parts[2]


def test_capital_exact():
    """Test that the capital is carried exactly: 1,693億5,232万4,369円, government-owned."""
    capital = profile()["capital"]
    printed = capital.value_ja.split("（")[0]
    assert printed == "1,693億5,232万4,369円"
    assert yen(printed) == 169_352_324_369
    assert "169,352,324,369" in capital.value_en
    assert "政府全額出資" in capital.value_ja


def test_profile_items_as_printed():
    """Test the name, founding date, law, minister and headcount (with its date)."""
    p = profile()
    assert p["name"].value_ja == "株式会社日本貿易保険"
    assert "Nippon Export and Investment Insurance" in p["name"].value_en
    assert p["founded"].value_ja == "2017年4月1日"
    assert p["founding_law"].value_ja == "貿易保険法"
    assert p["minister"].value_ja == "経済産業大臣"
    assert (p["employees"].value_ja, p["employees"].value_en, p["employees"].as_of) == \
        ("277名", "277", "2025-04-01")


def test_offices_in_profile_match_offices_table():
    """Test that the profile's five offices are the offices table's, by name."""
    p = profile()
    names = set(load("offices.csv").name_ja)
    listed = p["offices_domestic"].value_ja.split("、") + p["offices_overseas"].value_ja.split("、")
    assert sorted(listed) == sorted(names) and len(listed) == 5


def test_history_dates_ordered_and_as_printed():
    """Test that the history runs in date order with the report's months, founding 2017-04."""
    df = load("history.csv")
    dates = list(df.date)
    assert dates == sorted(dates)
    assert dates == ["1950-03", "1999-07", "1999-12", "2001-04", "2015-07", "2017-04"]
    last = df.iloc[-1]
    assert "株式会社日本貿易保険" in last.event_ja
    assert "独立行政法人日本貿易保険" in df[df.date == "2001-04"].event_ja.iloc[0]


@pytest.mark.parametrize("name", ["recoveries_by_country", "japan_exports_by_destination",
                                  "company_profile", "history"])
def test_catalog_row_names_the_section(name):
    """Test that each new table has a catalog row naming the report section it comes from."""
    cat = load("catalog.csv").set_index("table_name")
    assert cat.loc[name, "source_ja"].strip() and cat.loc[name, "notes_en"].strip()
