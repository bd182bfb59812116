"""Checks for the SME-support tables (network, prefectures, partnerships, package, cases, offices)."""
import pathlib

import pandas as pd
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
TABLES = ROOT / "data" / "tables"

PRODUCTS = {
    "general_trade", "limit_trade", "sme_agri_export", "simplified_comprehensive",
    "export_bill", "lc_confirmation", "prepayment_import", "overseas_investment",
    "buyer_credit", "overseas_untied_loan", "swap", "reinsurance",
}


def load(name):
    return pd.read_csv(TABLES / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def network():
    return load("sme_network.csv")


@pytest.fixture(scope="module")
def prefectures():
    return load("prefectures.csv")


@pytest.fixture(scope="module")
def by_year():
    return load("sme_partnerships_by_year.csv").set_index("fiscal_year")


@pytest.fixture(scope="module")
def cases():
    return load("sme_cases.csv")


def test_network_has_111_members(network):
    """Test that the network table lists the report's 111 member institutions."""
    assert len(network) == 111


def test_network_columns(network):
    """Test that the network table carries the contract columns in order, then name_en."""
    assert list(network.columns) == ["name_ja", "kind", "prefecture_code", "prefecture_ja", "name_en"]
    assert (network["name_en"] != "").all()


def test_network_names_unique(network):
    """Test that no member institution is listed twice."""
    assert network["name_ja"].is_unique
    assert network["name_en"].is_unique


def test_network_kind_counts(network):
    """Test that the map's black/blue split is 74 regional institutions and 37 shinkin banks."""
    assert set(network["kind"]) == {"bank", "shinkin"}
    assert (network["kind"] == "bank").sum() == 74
    assert (network["kind"] == "shinkin").sum() == 37


def test_network_kind_follows_name(network):
    """Test that exactly the members named 信金 are classed as shinkin."""
    is_shinkin = network["name_ja"].str.endswith("信金")
    assert ((network["kind"] == "shinkin") == is_shinkin).all()


def test_network_prefecture_codes_valid(network, prefectures):
    """Test that every member's prefecture code is a two-digit code 01-47 matching its prefecture name."""
    assert network["prefecture_code"].str.fullmatch(r"\d{2}").all()
    assert network["prefecture_code"].astype(int).between(1, 47).all()
    names = dict(zip(prefectures["prefecture_code"], prefectures["name_ja"]))
    assert (network["prefecture_code"].map(names) == network["prefecture_ja"]).all()


def test_network_covers_all_47_prefectures(network):
    """Test that the network has at least one member in each of the 47 prefectures."""
    assert network["prefecture_code"].nunique() == 47


def test_network_sample_placements(network):
    """Test that a sample of members sit in their head-office prefecture as placed on the map."""
    pref = dict(zip(network["name_ja"], network["prefecture_code"]))
    expected = {
        "阿波銀行": "36", "農林中央金庫": "13", "商工中金": "13", "長野信金": "20", "北陸銀行": "16",
        "玉島信金": "33", "広島銀行": "34", "山陰合同銀行": "32", "十八親和銀行": "42",
        "青森みちのく銀行": "02", "琉球銀行": "47", "北洋銀行": "01", "第四北越銀行": "15",
    }
    for name, code in expected.items():
        assert pref[name] == code, name


def test_network_tokyo_and_hokkaido_blocks(network):
    """Test that the Tokyo block holds 13 members (7 shinkin) and Hokkaido 6 (4 shinkin)."""
    tokyo = network[network["prefecture_code"] == "13"]
    hokkaido = network[network["prefecture_code"] == "01"]
    assert len(tokyo) == 13 and (tokyo["kind"] == "shinkin").sum() == 7
    assert len(hokkaido) == 6 and (hokkaido["kind"] == "shinkin").sum() == 4


def test_prefectures_table(prefectures):
    """Test that the prefecture table has the 47 JIS codes in order, eight regions, and unique names."""
    assert list(prefectures["prefecture_code"]) == [f"{i:02d}" for i in range(1, 48)]
    assert list(prefectures["sort"].astype(int)) == list(range(1, 48))
    assert prefectures["name_ja"].is_unique and prefectures["name_en"].is_unique
    assert set(prefectures["region_ja"]) == {"北海道", "東北", "関東", "中部", "近畿", "中国", "四国", "九州・沖縄"}
    by_code = prefectures.set_index("prefecture_code")
    assert by_code.loc["01", "name_ja"] == "北海道"
    assert by_code.loc["13", "name_ja"] == "東京都"
    assert by_code.loc["47", "name_ja"] == "沖縄県"
    assert (prefectures["region_ja"] == "九州・沖縄").sum() == 8


def test_by_year_latest_cumulative_equals_members(by_year, network):
    """Test that the FY2024 cumulative count is 111 and equals the number of network members."""
    assert int(by_year.loc["2024", "cumulative"]) == 111 == len(network)


def test_by_year_2015(by_year):
    """Test that FY2015 printed 12 regional banks and 16 shinkin (28 new partners), 105 in total."""
    row = by_year.loc["2015"]
    assert int(row["new_regional"]) + int(row["new_shinkin"]) == 28
    assert row["new_regional_unit"] == "行"
    assert int(row["cumulative"]) == 105


def test_by_year_cumulative_series(by_year):
    """Test that the cumulative counts FY2015-2024 match the printed table."""
    assert list(by_year.index) == [str(y) for y in range(2015, 2025)]
    assert list(by_year["cumulative"].astype(int)) == [105, 114, 117, 114, 111, 110, 110, 110, 110, 111]


def test_by_year_additions_add_up(by_year):
    """Test that in FY2016, FY2017 and FY2024 the new partners explain the change in the total."""
    def new(y):
        row = by_year.loc[y]
        return sum(int(v) for v in (row["new_regional"], row["new_shinkin"]) if v != "")
    for prev, year in (("2015", "2016"), ("2016", "2017"), ("2023", "2024")):
        assert int(by_year.loc[prev, "cumulative"]) + new(year) == int(by_year.loc[year, "cumulative"])


def test_support_package_regional_institutions():
    """Test that 118 regional financial institutions had joined the package by March 2025."""
    pkg = load("support_package.csv")
    fi = pkg[pkg["kind"] == "regional_fi"]
    assert len(fi) == 1
    assert int(fi.iloc[0]["institutions"]) == 118
    assert fi.iloc[0]["as_of"] == "2025-03"
    assert set(pkg["kind"]) <= {"founder", "partner", "regional_fi"}
    assert (pkg["package"] == "okinawa").sum() == 3
    jetro = pkg[(pkg["package"] == "overseas_business") & (pkg["kind"] == "partner")]
    assert list(jetro["joined"]) == ["2024-12"]


def test_cases_product_codes_valid(cases):
    """Test that every SME case uses a known product code."""
    assert set(cases["product"]) <= PRODUCTS
    assert (cases["product"] == "sme_agri_export").sum() == 7


def test_cases_destinations(cases):
    """Test that case destinations are the printed countries as uppercase ISO3 codes."""
    assert cases["dest_iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert sorted(cases["dest_iso3"]) == sorted(
        ["THA", "MAC", "KOR", "BRA", "DZA", "TUN", "ESP", "UKR", "USA", "ARG"])


def test_cases_destinations_in_country_regions(cases):
    """Test that every case destination appears in country_regions.csv when that table exists."""
    path = TABLES / "country_regions.csv"
    if not path.exists():
        pytest.skip("country_regions.csv not present yet")
    known = set(load("country_regions.csv")["iso3"])
    assert set(cases["dest_iso3"]) <= known


def test_cases_amounts(cases):
    """Test that the insured export amounts match the printed figures in yen."""
    got = {(r.case_no, r.dest_iso3): r.amount_jpy for r in cases.itertuples()}
    assert got == {
        ("1", "THA"): "30000000", ("1", "MAC"): "", ("2", "KOR"): "9000000",
        ("3", "BRA"): "10000000", ("4", "DZA"): "14000000", ("4", "TUN"): "430000",
        ("5", "ESP"): "4000000", ("6", "UKR"): "2200000", ("7", "USA"): "42000000",
        ("8", "ARG"): "3500000",
    }
    assert set(cases["amount_basis"]) <= {"per_month", "per_contract", ""}
    assert set(cases.loc[cases["amount_basis"] == "per_month", "dest_iso3"]) == {"THA", "USA"}
    assert set(cases["approx"]) <= {"true", "false", ""}
    assert list(cases.loc[cases["approx"] == "false", "dest_iso3"]) == ["ESP"]
    assert cases["signed"].str.fullmatch(r"20\d\d-(0[1-9]|1[0-2])").all()


def test_cases_prefectures(cases):
    """Test that case prefectures are the stated ones and blank where the report is silent."""
    pref = dict(zip(cases["company_ja"], cases["prefecture_code"]))
    assert pref == {
        "関空運輸株式会社": "27", "株式会社Seafoods Supply System": "35", "ハウス食品株式会社": "",
        "株式会社常光": "14", "アサヒ繊維工業株式会社": "23", "株式会社レクザム": "",
        "株式会社松北園茶店": "26", "株式会社タカギセイコー": "20",
    }


def test_offices():
    """Test that NEXI has five offices: one head office, two branches, two representative offices."""
    offices = load("offices.csv")
    assert len(offices) == 5
    assert offices["kind"].value_counts().to_dict() == {
        "head_office": 1, "branch": 2, "representative_office": 2}
    assert offices["lat"].astype(float).between(-90, 90).all()
    assert offices["lon"].astype(float).between(-180, 180).all()
