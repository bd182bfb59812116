"""Tests of nexidash.fmt: amounts and percentages as the report (and an English reader) writes them.

Amounts are typed in from NEXI's Annual Report FY2024 (百万円 tables, 億円 text, the LEAD list's
foreign-currency amounts and the SME cases' yen amounts).
"""

from decimal import Decimal

import pandas as pd
import pytest

import re

from nexidash import fmt, formats, paths
from nexidash.fmt import change_pct, foreign, mjpy, money, pct, yen


# ------------------------------------------------------------------- money()

@pytest.mark.parametrize("mjpy_, ja, en", [
    (7602398, "7.6兆円", "¥7.6 trillion"),        # FY2024 underwriting 合計
    (15484121, "15.5兆円", "¥15.5 trillion"),     # FY2024 outstanding 合計
    (115097, "1,151億円", "¥115.1 billion"),      # FY2024 claims paid 合計
    (31679, "317億円", "¥31.7 billion"),          # FY2024 premium 合計 (text: 316.8億円)
    (22336, "223億円", "¥22.3 billion"),          # FY2024 recoveries 合計
    (500, "5億円", "¥500 million"),               # lc_confirmation FY2024
    (100, "1億円", "¥100 million"),
    (149, "1億4,900万円", "¥149 million"),        # the same step as English: ¥1 million
    (150, "1億5,000万円", "¥150 million"),
    (949, "9億4,900万円", "¥949 million"),
    (950, "10億円", "¥1.0 billion"),              # both move to the ¥0.1 billion step
    (950, "10億円", "¥1.0 billion"),              # 0.95 billion rounds up to the next unit
    (50, "5,000万円", "¥50 million"),             # under 1億円 reads in 万円, never 百万円
    (99, "9,900万円", "¥99 million"),
    (17, "1,700万円", "¥17 million"),             # Oceania claims FY2024
    (999950, "1.0兆円", "¥1.0 trillion"),         # never 10,000億円 / ¥1,000.0 billion
    (999949, "1.0兆円", "¥1.0 trillion"),
    (950000, "1.0兆円", "¥1.0 trillion"),
    (949999, "9,500億円", "¥950.0 billion"),
    (9999950, "10.0兆円", "¥10.0 trillion"),
    (-2641, "△26億円", "-¥2.6 billion"),          # buyer_credit premium FY2021
    (-444, "△4億4,400万円", "-¥444 million"),     # buyer_credit premium FY2022
    (-26, "△2,600万円", "-¥26 million"),          # South America political claims FY2023
    (2, "200万円", "¥2 million"),                 # FY2024 net income
    (0.5, "50万円", "¥1 million"),                # half a million yen: 50万円, half up
    (0, "0円", "¥0 million"),
])
def test_money(mjpy_, ja, en):
    """Test that money() reads million yen as 兆円/億円/万円 and ¥ trillion/billion/million."""
    assert money(mjpy_, "ja") == ja
    assert money(mjpy_, "en") == en


def test_money_never_prints_ten_thousand_oku():
    """Test that no amount is shown as 10,000億円 or ¥1,000.0 billion: it moves to the next unit."""
    for v in range(999_000, 1_001_000, 7):
        assert "10,000億円" not in money(v, "ja")
        assert "1,000.0 billion" not in money(v, "en")
    for v in range(0, 2_000):
        assert "百万円" not in money(v, "ja") and money(v, "ja") != "10,000万円"
        assert money(v, "en") != "¥1,000 million"


def test_money_approx_and_missing():
    """Test that money() adds 約/about when approximate and prints a dash for missing values."""
    assert money(7602398, "ja", approx=True) == "約7.6兆円"
    assert money(7602398, "en", approx=True) == "about ¥7.6 trillion"
    assert money(-2641, "ja", approx=True) == "約△26億円"
    assert money(17, "ja", approx=True) == "約1,700万円"
    for missing in (None, float("nan"), pd.NA):
        assert money(missing, "ja") == "－"
        assert money(missing, "en") == "–"


def test_money_accepts_numpy_and_pandas_integers():
    """Test that money() formats the integer types a DataFrame hands it."""
    s = pd.Series([7602398], dtype="Int64")
    assert money(s.iloc[0], "ja") == "7.6兆円"
    assert money(pd.Series([115097]).iloc[0], "en") == "¥115.1 billion"


# ------------------------------------------------------------------- mjpy()

@pytest.mark.parametrize("value, ja, en", [
    (7602398, "7,602,398", "7,602,398"),
    (-2641, "△2,641", "-2,641"),
    (0, "0", "0"),
    (500, "500", "500"),
    (None, "－", "–"),
    (float("nan"), "－", "–"),
    (pd.NA, "－", "–"),
])
def test_mjpy(value, ja, en):
    """Test that mjpy() prints a table cell as the report does: thousands commas, △ for minus, －."""
    assert mjpy(value, "ja") == ja
    assert mjpy(value, "en") == en


# -------------------------------------------------------------------- pct()

@pytest.mark.parametrize("value, signed, ja, en", [
    (50.611099, False, "50.6％", "50.6%"),            # Asia's FY2024 underwriting share
    (-4.356834, True, "△4.4％", "-4.4%"),            # Asia's growth
    (-4.356834, False, "△4.4％", "-4.4%"),           # a negative figure is △ even unsigned
    (312.268, True, "+312.3％", "+312.3%"),          # claims 合計 growth: + never beside △
    (312.268, False, "312.3％", "312.3%"),
    (360759.4, True, "+360,759.4％", "+360,759.4%"),  # overseas_investment claims growth
    (2.25, False, "2.3％", "2.3%"),                  # half up, not half even
    (-0.45, True, "△0.5％", "-0.5%"),
    (0.05, True, "+0.1％", "+0.1%"),
    (0, True, "0.0％", "0.0%"),
    (None, False, "－", "–"),
    (float("nan"), True, "－", "–"),
])
def test_pct(value, signed, ja, en):
    """Test that pct() rounds half up to one decimal, signs growth and prints －/– when missing."""
    assert pct(value, "ja", signed=signed) == ja
    assert pct(value, "en", signed=signed) == en


@pytest.mark.parametrize("value", [-0.04, -0.0001, -0.0])
@pytest.mark.parametrize("signed", [False, True])
def test_pct_never_prints_negative_zero(value, signed):
    """Test that a tiny negative rounding to zero never prints -0.0% or △0.0％."""
    assert pct(value, "en", signed=signed) == "0.0%"
    assert pct(value, "ja", signed=signed) == "0.0％"


@pytest.mark.parametrize("value, places, signed, ja, en", [
    (-42.4, 1, True, "△42.4", "-42.4"),      # South America's share of claims, points
    (30.2, 1, True, "+30.2", "+30.2"),
    (30.2, 1, False, "30.2", "30.2"),
    (-2641, 0, False, "△2,641", "-2,641"),
    (-0.04, 1, True, "0.0", "0.0"),
])
def test_number(value, places, signed, ja, en):
    """Test that number() signs a plain figure as each language does: △ in Japanese, - in English."""
    assert fmt.number(value, "ja", places, signed) == ja
    assert fmt.number(value, "en", places, signed) == en


# -------------------------------------------------------------- change_pct()

@pytest.mark.parametrize("current, previous, printed", [
    (7602398, 7966513, "-4.6"),       # underwriting 合計
    (15484121, 17245632, "-10.2"),    # outstanding 合計
    (31679, 59168, "-46.5"),          # premium 合計
    (115097, 27918, "312.3"),         # claims paid 合計
    (22336, 27410, "-18.5"),          # recoveries 合計
    (108939385, 102902399, "5.9"),    # Japan's exports FY2024
])
def test_change_pct_reproduces_printed_growth(current, previous, printed):
    """Test that change_pct() reproduces the report's 対前期増減率 after half-up rounding."""
    got = change_pct(current, previous)
    assert isinstance(got, Decimal)
    assert fmt.round_half_up(got, 1) == Decimal(printed)
    assert pct(got, "en", signed=True) == ("+" if not printed.startswith("-") else "") + \
        printed + "%"


def test_change_pct_undefined_cases():
    """Test that change_pct() is None without a previous value or from zero, and uses |previous|."""
    assert change_pct(115097, 0) is None
    assert change_pct(None, 27918) is None
    assert change_pct(115097, None) is None
    assert change_pct(float("nan"), 1) is None
    assert change_pct(4, pd.NA) is None
    # buyer_credit premium: △2,641 (FY2021) -> △444 (FY2022) is an improvement
    assert fmt.round_half_up(change_pct(-444, -2641), 1) == Decimal("83.2")


# ----------------------------------------------------------------- foreign()

# The LEAD list as printed: no -> (amount in whole units, currency, approx, printed Japanese)
LEAD_PRINTED = {
    1: (520000000, "USD", True, "約5.2億米ドル"),
    2: (4000000, "USD", False, "0.04億米ドル"),
    3: (380000000, "USD", True, "約3.8億米ドル"),
    4: (207000000, "USD", True, "約2.07億米ドル"),
    5: (60000000000, "JPY", False, "600億円"),
    6: (1000000000, "USD", False, "10億米ドル"),
    7: (200000000, "USD", True, "約2億米ドル"),
    8: (163000000, "USD", True, "約1.63億米ドル"),
    9: (420000000, "USD", False, "4.2億米ドル"),
    10: (27000000000, "TWD", True, "約270億台湾ドル"),
    11: (100000000, "USD", False, "1億米ドル"),
    12: (140000000, "EUR", True, "約1.4億ユーロ"),
    13: (44000000, "EUR", True, "約0.44億ユーロ"),
    14: (100000000, "USD", True, "約1億米ドル"),
    15: (35000000, "USD", True, "約0.35億米ドル"),
    16: (139000000, "USD", True, "約1.39億米ドル"),
}


@pytest.mark.parametrize("no", sorted(LEAD_PRINTED))
def test_foreign_japanese_matches_lead_list(no):
    """Test that foreign() in Japanese reproduces each LEAD amount exactly as the list prints it."""
    amount, currency, approx, printed = LEAD_PRINTED[no]
    assert foreign(amount, currency, "ja", approx=approx) == printed


@pytest.mark.parametrize("amount, currency, approx, en", [
    (520000000, "USD", True, "about US$520 million"),
    (60000000000, "JPY", False, "¥60 billion"),
    (4000000, "USD", False, "US$4 million"),
    (1000000000, "USD", False, "US$1 billion"),
    (27000000000, "TWD", True, "about NT$27 billion"),
    (44000000, "EUR", True, "about €44 million"),
    (207000000, "USD", True, "about US$207 million"),
    (139000000, "USD", True, "about US$139 million"),
    (17000000, "USD", True, "about US$17 million"),
    (1500000000, "USD", False, "US$1.5 billion"),
])
def test_foreign_english(amount, currency, approx, en):
    """Test that foreign() in English reads millions and billions with the currency's symbol."""
    assert foreign(amount, currency, "en", approx=approx) == en


def test_foreign_never_converts_to_yen():
    """Test that foreign() keeps the project's own currency (the report gives no exchange rates)."""
    assert "円" not in foreign(520000000, "USD", "ja")
    assert "¥" not in foreign(520000000, "USD", "en")
    assert foreign(60000000000, "JPY", "ja") == "600億円"


# --------------------------------------------------------------------- yen()

@pytest.mark.parametrize("amount, ja, en", [
    (30000000, "3,000万円", "¥30 million"),   # 関空運輸, 約3,000万円 per month
    (9000000, "900万円", "¥9 million"),       # Seafoods Supply System
    (10000000, "1,000万円", "¥10 million"),   # ハウス食品
    (14000000, "1,400万円", "¥14 million"),   # 常光, Algeria
    (430000, "43万円", "¥0.43 million"),      # 常光, Tunisia 約43万円
    (4000000, "400万円", "¥4 million"),       # アサヒ繊維工業
    (2200000, "220万円", "¥2.2 million"),     # レクザム
    (42000000, "4,200万円", "¥42 million"),   # 松北園茶店
    (3500000, "350万円", "¥3.5 million"),     # タカギセイコー
])
def test_yen(amount, ja, en):
    """Test that yen() states the SME cases' amounts as 万円 and ¥ million."""
    assert yen(amount, "ja") == ja
    assert yen(amount, "en") == en


# ------------------------------------------------------------------- exact()

@pytest.mark.parametrize("mjpy_, ja, en", [
    (7602398, "7兆6,023億9,800万円", "¥7,602,398 million"),   # FY2024 underwriting 合計
    (8162178, "8兆1,621億7,800万円", "¥8,162,178 million"),   # the regional table's total
    (115097, "1,150億9,700万円", "¥115,097 million"),         # FY2024 claims paid 合計
    (17, "1,700万円", "¥17 million"),
    (100, "1億円", "¥100 million"),
    (1000000, "1兆円", "¥1,000,000 million"),
    (-2641, "△26億4,100万円", "-¥2,641 million"),             # buyer_credit premium FY2021
    (None, "－", "–"),
])
def test_exact(mjpy_, ja, en):
    """Test that exact() states an amount to the million yen in the report's long form, never 百万円."""
    assert fmt.exact(mjpy_, "ja") == ja
    assert fmt.exact(mjpy_, "en") == en


@pytest.mark.parametrize("name, kind, values, cell, tick", [
    ("fiscal_year", "i", [2024], "2024", "d"),
    ("share_pct", "f", [14.06], "14.1", ",.1f"),
    ("share_pct", "i", [14], "14", ",.0f"),
    ("amount_mjpy", "i", [115097], "115,097", ",.0f"),
    ("cases", "i", [1234], "1,234", ",d"),
    ("cases", "f", [1234.0, 2.0], "1,234", ",.0f"),
    ("ratio", "f", [1.25], "1.3", ",.1f"),  # half-up, as the report rounds
    ("loss_pct", "f", [-0.05], "-0.1", ",.1f"),
])
def test_a_columns_name_decides_its_cell_and_axis_format(name, kind, values, cell, tick):
    """Test that the formats registry reads a column's kind from its name as the module says:
    years bare, percentages to one decimal (whole when stored whole), amounts and counts with
    thousands separators."""
    form = formats.for_column(name, kind, values)
    assert form.text(values[0]) == cell
    assert form.tick == tick
    assert formats.for_column("name_ja", "O") is None


def test_every_chart_axis_format_comes_from_the_registry():
    """Test that no page types a d3 tick format: each asks nexidash.formats."""
    typed = {p.name: re.findall(r'tickformat\s*=\s*["\']', p.read_text(encoding="utf-8"))
             for p in (paths.ROOT / "pages").glob("*.py")}
    assert {k: v for k, v in typed.items() if v} == {}
