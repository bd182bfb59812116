"""Tests for partner_agreements.csv and country_regions.csv (NEXI Annual Report FY2024)."""
import collections
import importlib.util
import pathlib

import pandas as pd
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
TABLES = ROOT / "data" / "tables"

REGION_CODES = {"asia", "middle_east", "europe", "north_america", "central_america",
                "south_america", "africa", "oceania"}
PARTNER_REGIONS = {"multilateral", "south_america", "north_america", "africa", "middle_east",
                   "asia_oceania", "europe", "private"}
AGREEMENT_TYPES = {"one_stop_shop", "short_term_reinsurance", "private_reinsurance", "cooperation"}

# Partner countries that the report's partner map lists under ヨーロッパ although NEXI's
# statistical regions put them elsewhere (report note 4: アジアには、中央アジアを含みます).
EUROPE_GROUP_EXCEPTIONS = {"KAZ": "asia", "TKM": "asia", "UZB": "asia"}


def read(name):
    return pd.read_csv(TABLES / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def pa():
    return read("partner_agreements.csv")


@pytest.fixture(scope="module")
def cr():
    return read("country_regions.csv")


def test_partner_columns(pa):
    """Test that partner_agreements.csv starts with the contract's columns in order."""
    assert list(pa.columns[:6]) == ["agreement_type", "region", "iso3", "country_ja",
                                    "institution_ja", "year"]
    assert {"institution_en", "country_en"} <= set(pa.columns)


def test_partner_total(pa):
    """Test that the partner map yields 111 agreements once the duplicated page is counted once."""
    assert len(pa) == 111


def test_partner_counts_by_type(pa):
    """Test that the agreement counts per type match the map as read."""
    assert pa["agreement_type"].value_counts().to_dict() == {
        "cooperation": 78, "one_stop_shop": 18, "short_term_reinsurance": 8,
        "private_reinsurance": 7}


def test_partner_counts_by_region(pa):
    """Test that the agreement counts per report region match the map as read."""
    assert pa["region"].value_counts().to_dict() == {
        "europe": 40, "asia_oceania": 25, "multilateral": 13, "middle_east": 11,
        "north_america": 7, "private": 7, "south_america": 6, "africa": 2}


def test_partner_counts_by_region_and_type(pa):
    """Test that every (region, type) block has the number of entries printed in its map block."""
    got = collections.Counter(zip(pa["region"], pa["agreement_type"]))
    assert dict(got) == {
        ("multilateral", "cooperation"): 13,
        ("private", "private_reinsurance"): 7,
        ("south_america", "cooperation"): 6,
        ("north_america", "one_stop_shop"): 2,
        ("north_america", "short_term_reinsurance"): 1,
        ("north_america", "cooperation"): 4,
        ("africa", "cooperation"): 2,
        ("middle_east", "cooperation"): 11,
        ("asia_oceania", "one_stop_shop"): 3,
        ("asia_oceania", "short_term_reinsurance"): 6,
        ("asia_oceania", "cooperation"): 16,
        ("europe", "one_stop_shop"): 13,
        ("europe", "short_term_reinsurance"): 1,
        ("europe", "cooperation"): 26,
    }


def test_partner_codes(pa):
    """Test that agreement types and report regions use only the contract's codes."""
    assert set(pa["agreement_type"]) <= AGREEMENT_TYPES
    assert set(pa["region"]) <= PARTNER_REGIONS


def test_partner_years(pa):
    """Test that every agreement year is a four-digit year between 1990 and 2025."""
    assert pa["year"].str.fullmatch(r"\d{4}").all()
    years = pa["year"].astype(int)
    assert years.between(1990, 2025).all()
    assert years.min() == 1991 and years.max() == 2025


def test_partner_iso3_empty_only_for_bodies_without_country(pa):
    """Test that iso3 is empty exactly for multilateral bodies and private reinsurers."""
    no_country = pa["region"].isin(["multilateral", "private"])
    assert (pa.loc[no_country, "iso3"] == "").all()
    assert (pa.loc[no_country, "country_ja"] == "").all()
    assert (pa.loc[~no_country, "iso3"].str.fullmatch(r"[A-Z]{3}")).all()
    assert (pa.loc[~no_country, "country_ja"] != "").all()


def test_partner_no_duplicates(pa):
    """Test that no (agreement_type, iso3, institution_ja, year) row is listed twice."""
    key = ["agreement_type", "iso3", "institution_ja", "year"]
    assert not pa.duplicated(key).any(), pa[pa.duplicated(key, keep=False)]


def test_partner_names_filled(pa):
    """Test that every agreement has a Japanese and an English institution name, with no broken line."""
    assert (pa["institution_ja"].str.strip() != "").all()
    assert (pa["institution_en"].str.strip() != "").all()
    assert not pa["institution_ja"].str.contains(r"\n|^\s|\s$|\d{4}年").any()
    has_country = pa["iso3"] != ""
    assert (pa.loc[has_country, "country_en"] != "").all()


def test_partner_distinct_countries(pa):
    """Test that the map names 48 distinct partner countries/territories."""
    assert pa.loc[pa["iso3"] != "", "iso3"].nunique() == 48


def test_partner_country_codes(pa):
    """Test that printed country names map to the expected ISO3 codes."""
    pairs = set(zip(pa["country_ja"], pa["iso3"]))
    for ja, iso in [("アブダビ首長国", "ARE"), ("香港", "HKG"), ("台湾", "TWN"), ("イギリス", "GBR"),
                    ("アメリカ", "USA"), ("韓国", "KOR"), ("ジョージア", "GEO"), ("チェコ", "CZE")]:
        assert (ja, iso) in pairs
    # one code per printed country name and vice versa
    m = pa[pa["iso3"] != ""].groupby("country_ja")["iso3"].nunique()
    assert (m == 1).all()
    m = pa[pa["iso3"] != ""].groupby("iso3")["country_ja"].nunique()
    assert (m == 1).all()


def test_partner_spot_rows(pa):
    """Test that selected agreements carry the type, country and year read from the map."""
    rows = set(zip(pa["agreement_type"], pa["iso3"], pa["institution_ja"], pa["year"]))
    expected = [
        ("one_stop_shop", "CAN", "カナダ輸出開発公社（EDC）", "2018"),
        ("one_stop_shop", "USA", "米国輸出入銀行（US EXIMBANK）", "2019"),
        ("short_term_reinsurance", "CAN", "カナダ輸出開発公社（EDC）", "2012"),
        ("cooperation", "CAN", "カナダ輸出開発公社（EDC）", "2024"),
        ("cooperation", "USA", "米国輸出入銀行（US EXIMBANK）", "1991"),
        ("one_stop_shop", "AUS", "オーストラリア輸出信用機関（EFA）", "2005"),
        ("one_stop_shop", "KOR", "韓国輸出保険公社（K-SURE）", "2011"),
        ("short_term_reinsurance", "HKG", "香港輸出信用保険会社（HKECIC）", "2012"),
        ("short_term_reinsurance", "THA", "タイ輸出入銀行（THAI EXIMBANK）", "2009"),
        ("cooperation", "AUS", "オーストラリア外務貿易省（DFAT）／オーストラリア輸出信用機関（EFA）", "2018"),
        ("cooperation", "IDN", "プルタミナ・ジオサーマル・エナジー(PT Pertamina Geothermal Energy Tbk)", "2024"),
        ("one_stop_shop", "GBR", "英国輸出信用保証局（UKEF）", "2023"),
        ("cooperation", "GBR", "英国輸出信用保証局（UKEF）", "1995"),
        ("short_term_reinsurance", "RUS", "ロシア輸出信用・投資保険機関（EXIAR）", "2016"),
        ("cooperation", "RUS", "ロシア輸出信用・投資保険機関（EXIAR）", "2013"),
        ("cooperation", "RUS", "Joint Stock Company Siberian Coal Energy Company（SUEK社）", "2019"),
        ("cooperation", "DEU", "C＆Lドイツ監査会社（C＆L）/ユーラーヘルメス信用保険会社（EULER HERMES）", "1996"),
        ("cooperation", "KEN", "ケニア財務省（The National Treasury ＆ Economic Planning of the Republic of Kenya）", "2024"),
        ("cooperation", "ARE", "ムバダラ開発（MDC）", "2008"),
        ("cooperation", "BRA", "CSN Mineração社", "2024"),
        ("cooperation", "", "多数国間投資保証機関（MIGA）", "2024"),
        ("cooperation", "", "APECメンバーの輸出保険機関・輸出金融機関", "1997"),
        ("private_reinsurance", "", "アメリカン・インターナショナル・グループ（AIG）", "2015"),
        ("private_reinsurance", "", "Tokio Marine HCC（HCC）", "2016"),
    ]
    for row in expected:
        assert row in rows, row


def test_europe_one_stop_shop_partners(pa):
    """Test that the 13 Western European ECAs are the Europe One-Stop-Shop partners."""
    oss = pa[(pa["region"] == "europe") & (pa["agreement_type"] == "one_stop_shop")]
    assert set(oss["iso3"]) == {"AUT", "BEL", "CZE", "DNK", "FIN", "FRA", "DEU", "ITA", "NLD",
                                "ESP", "SWE", "CHE", "GBR"}
    assert len(oss) == 13


def test_partner_iso3_in_country_regions(pa, cr):
    """Test that every non-empty partner iso3 has a row in country_regions.csv."""
    missing = set(pa.loc[pa["iso3"] != "", "iso3"]) - set(cr["iso3"])
    assert not missing


def test_partner_region_matches_country_region(pa, cr):
    """Test that each partner country's statistical region agrees with the map group, bar the documented Central Asia exceptions."""
    region_of = dict(zip(cr["iso3"], cr["region"]))
    allowed = {"europe": {"europe"}, "asia_oceania": {"asia", "oceania"},
               "middle_east": {"middle_east"}, "north_america": {"north_america"},
               "south_america": {"south_america"}, "africa": {"africa"}}
    mismatches = {}
    for grp, iso in zip(pa["region"], pa["iso3"]):
        if iso and region_of[iso] not in allowed[grp]:
            mismatches[iso] = (grp, region_of[iso])
    # the only mismatches are the Central Asian states the map lists under ヨーロッパ
    assert mismatches == {k: ("europe", v) for k, v in EUROPE_GROUP_EXCEPTIONS.items()}


def test_country_regions_columns_and_codes(cr):
    """Test that country_regions.csv has the contract columns and valid, unique codes."""
    assert list(cr.columns[:2]) == ["iso3", "region"]
    assert {"name_ja", "name_en", "on_map"} <= set(cr.columns)
    assert cr["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert cr["iso3"].is_unique
    assert set(cr["region"]) == REGION_CODES
    assert (cr["name_ja"] != "").all() and (cr["name_en"] != "").all()
    assert set(cr["on_map"]) == {"true", "false"}


def test_country_regions_counts(cr):
    """Test that country_regions holds 173 map shapes plus 5 off-map places, with the expected region sizes."""
    assert len(cr) == 178
    assert (cr["on_map"] == "true").sum() == 173
    assert set(cr.loc[cr["on_map"] == "false", "iso3"]) == {"SGP", "HKG", "MAC", "BHR", "PLW"}
    assert cr["region"].value_counts().to_dict() == {
        "africa": 50, "europe": 43, "asia": 31, "middle_east": 15, "central_america": 15,
        "south_america": 13, "oceania": 8, "north_america": 3}
    assert not {"ATA", "ATF"} & set(cr["iso3"])


def test_country_regions_rules(cr):
    """Test that the documented region rules are applied to the borderline countries."""
    region_of = dict(zip(cr["iso3"], cr["region"]))
    expected = {
        "TUR": "middle_east", "EGY": "africa", "MEX": "central_america", "GRL": "north_america",
        "CYP": "europe", "RUS": "europe", "GEO": "europe", "ARM": "europe", "AZE": "europe",
        "KAZ": "asia", "UZB": "asia", "TKM": "asia", "KGZ": "asia", "TJK": "asia", "AFG": "asia",
        "PAK": "asia", "PSE": "middle_east", "IRN": "middle_east", "ISR": "middle_east",
        "BHR": "middle_east", "PNG": "oceania", "NCL": "oceania", "PLW": "oceania",
        "FLK": "south_america", "ESH": "africa", "PRI": "central_america", "TTO": "central_america",
        "TWN": "asia", "HKG": "asia", "SGP": "asia", "XKX": "europe", "FRA": "europe", "NOR": "europe",
        "JPN": "asia", "USA": "north_america", "BRA": "south_america",
    }
    for iso, reg in expected.items():
        assert region_of[iso] == reg, iso


def test_top_countries_in_country_regions(cr):
    """Test that every FY2024 top-10 country has a row in country_regions.csv."""
    top = read("top_countries.csv")
    assert set(top["iso3"]) <= set(cr["iso3"])
    for iso in ["JPN", "CHN", "USA", "IDN", "THA", "TWN", "VNM", "SAU", "SGP", "ARE"]:
        assert iso in set(cr["iso3"])


def test_on_map_matches_natural_earth(cr):
    """Test that on_map is true exactly for the Natural Earth 110m countries kept on the map."""
    spec = importlib.util.find_spec("pyogrio")
    if spec is None:
        pytest.skip("pyogrio not installed")
    shp = (pathlib.Path(spec.origin).parent / "tests" / "fixtures" / "naturalearth_lowres"
           / "naturalearth_lowres.shp")
    if not shp.exists():
        pytest.skip("Natural Earth fixture not available")
    import pyogrio
    ne = pyogrio.read_dataframe(shp, read_geometry=False)
    fix = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX"}
    codes = {fix.get(n, c) for n, c in zip(ne["name"], ne["iso_a3"])
             if n not in {"N. Cyprus", "Somaliland"}} - {"ATA", "ATF"}
    assert set(cr.loc[cr["on_map"] == "true", "iso3"]) == codes
