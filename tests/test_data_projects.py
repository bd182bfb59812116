"""Checks for the LEAD, decarbonisation, major-project, financial-statement
and environmental-screening tables against figures typed in from the
NEXI Annual Report FY2024."""
import pathlib

import pandas as pd
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
TABLES = ROOT / "data" / "tables"
NOTES = ROOT / "data" / "notes" / "projects.md"


def load(name):
    return pd.read_csv(TABLES / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def lead():
    return load("lead_projects.csv")


@pytest.fixture(scope="module")
def decarb():
    return load("decarbonisation_projects.csv")


@pytest.fixture(scope="module")
def major():
    return load("major_projects.csv")


@pytest.fixture(scope="module")
def fs():
    return load("financial_statements.csv")


@pytest.fixture(scope="module")
def summary():
    return load("financial_summary.csv")


@pytest.fixture(scope="module")
def env():
    return load("env_screening.csv")


ELEMENTS = ["leading_tech", "environment_energy", "alliance", "development"]
REGIONS = {"asia", "middle_east", "europe", "north_america", "central_america",
           "south_america", "africa", "oceania", "intl_org"}

# ---------------------------------------------------------------- LEAD

# no -> (amount in whole units, currency, approx) as printed in the LEAD list
LEAD_AMOUNTS = {
    1: (520000000, "USD", True),      # 約5.2億米ドル
    2: (4000000, "USD", False),       # 0.04億米ドル
    3: (380000000, "USD", True),      # 約3.8億米ドル
    4: (207000000, "USD", True),      # 約2.07億米ドル
    5: (60000000000, "JPY", False),   # 600億円
    6: (1000000000, "USD", False),    # 10億米ドル
    7: (200000000, "USD", True),      # 約2億米ドル
    8: (163000000, "USD", True),      # 約1.63億米ドル
    9: (420000000, "USD", False),     # 4.2億米ドル
    10: (27000000000, "TWD", True),   # 約270億台湾ドル
    11: (100000000, "USD", False),    # 1億米ドル
    12: (140000000, "EUR", True),     # 約1.4億ユーロ
    13: (44000000, "EUR", True),      # 約0.44億ユーロ
    14: (100000000, "USD", True),     # 約1億米ドル
    15: (35000000, "USD", True),      # 約0.35億米ドル
    16: (139000000, "USD", True),     # 約1.39億米ドル
}
# The report: "2024年度末までに16プロジェクト計約6,300億円の案件組成"
REPORTED_LEAD_PROJECTS = 16
REPORTED_LEAD_TOTAL_OKU_JPY = 6300


def test_lead_has_16_projects_numbered_1_to_16(lead):
    """Test that the LEAD table has the 16 projects the report states, numbered 1-16."""
    assert len(lead) == REPORTED_LEAD_PROJECTS
    assert [int(n) for n in lead["no"]] == list(range(1, 17))


def test_lead_announced_months_in_range_and_order(lead):
    """Test that announced months are YYYY-MM, 2020-12..2025-01 and non-decreasing."""
    months = list(lead["announced"])
    assert all(pd.Series(months).str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])"))
    assert months[0] == "2020-12" and months[-1] == "2025-01"
    assert months == sorted(months)


def test_lead_elements_use_four_codes_in_canonical_order(lead):
    """Test that elements are non-empty lists of the four codes in canonical order."""
    for el in lead["elements"]:
        parts = el.split(";")
        assert parts and all(p in ELEMENTS for p in parts), el
        assert parts == sorted(parts, key=ELEMENTS.index), el
        assert len(set(parts)) == len(parts), el


def test_lead_element_counts(lead):
    """Test that the per-element project counts match the report's list."""
    counts = {e: sum(e in x.split(";") for x in lead["elements"]) for e in ELEMENTS}
    assert counts == {"leading_tech": 4, "environment_energy": 10,
                      "alliance": 6, "development": 6}
    el = dict(zip(lead["no"].astype(int), lead["elements"]))
    assert el[5] == "environment_energy;alliance;development"
    assert el[12] == "alliance;development"  # printed "Aliance & Development"
    assert el[14] == "leading_tech;environment_energy;development"


def test_lead_amounts_currencies_and_approx(lead):
    """Test that every amount, currency and approx flag matches the printed list."""
    assert set(lead["currency"]) <= {"USD", "JPY", "TWD", "EUR"}
    got = {int(r.no): (int(r.amount), r.currency, r.approx == "true")
           for r in lead.itertuples()}
    assert got == LEAD_AMOUNTS
    assert set(lead["approx"]) <= {"true", "false"}


def test_lead_spot_values(lead):
    """Test that projects 1 and 5 carry the printed amounts (約5.2億米ドル, 600億円)."""
    r1 = lead[lead["no"] == "1"].iloc[0]
    assert (r1["amount"], r1["currency"], r1["approx"]) == ("520000000", "USD", "true")
    r5 = lead[lead["no"] == "5"].iloc[0]
    assert (r5["amount"], r5["currency"], r5["approx"]) == ("60000000000", "JPY", "false")


def test_lead_places_and_regions(lead):
    """Test that iso3 is empty only for the region-level places and regions are valid codes."""
    assert set(lead.loc[lead["iso3"] == "", "no"]) == {"1", "4", "11"}
    assert set(lead["place_ja"][lead["iso3"] == ""]) == {"アフリカ", "アジア"}
    assert set(lead["region"]) <= REGIONS
    iso = dict(zip(lead["no"].astype(int), lead["iso3"]))
    assert iso == {1: "", 2: "PLW", 3: "ARE", 4: "", 5: "EGY", 6: "KWT", 7: "EGY",
                   8: "EGY", 9: "BRA", 10: "TWN", 11: "", 12: "TUR", 13: "DEU",
                   14: "TUR", 15: "EGY", 16: "IDN"}
    reg = dict(zip(lead["no"].astype(int), lead["region"]))
    assert reg[1] == reg[4] == "africa" and reg[11] == "asia"


def test_lead_announced_in_fy2024(lead):
    """Test that four listed LEAD projects (nos 13-16) were announced in FY2024.

    The president's message says five new LEAD cases were underwritten in
    FY2024; the list's announcement months give four (see notes)."""
    fy = lead[(lead["announced"] >= "2024-04") & (lead["announced"] <= "2025-03")]
    assert sorted(fy["no"].astype(int)) == [13, 14, 15, 16]


def test_lead_reported_total_recorded(lead):
    """Test that the report's total (約6,300億円, 16 projects) is recorded and not contradicted."""
    notes = NOTES.read_text(encoding="utf-8")
    assert "6,300" in notes
    jpy = lead.loc[lead["currency"] == "JPY", "amount"].astype(int).sum()
    assert jpy < REPORTED_LEAD_TOTAL_OKU_JPY * 100_000_000
    assert len(lead) == REPORTED_LEAD_PROJECTS


# ---------------------------------------------------- decarbonisation

def test_decarbonisation_rows(decarb):
    """Test that the FY2024 decarbonisation list has its 8 rows with printed months and countries."""
    assert [int(n) for n in decarb["no"]] == list(range(1, 9))
    assert list(decarb["signed"]) == ["2024-04", "2024-04", "2024-04", "2024-08",
                                      "2024-09", "2024-10", "2024-11", "2025-01"]
    assert list(decarb["iso3"]) == ["KEN", "LAO", "DEU", "TUN", "KEN", "KEN", "EGY", "IDN"]


def test_decarbonisation_products_only_where_stated(decarb):
    """Test that product codes appear only on the two rows that name a single product."""
    prod = {int(r.no): r.product for r in decarb.itertuples() if r.product}
    assert prod == {4: "reinsurance", 5: "general_trade"}
    codes = set(load("products.csv")["product"])
    assert set(prod.values()) <= codes


def test_decarbonisation_lead_links(decarb, lead):
    """Test that lead_no links Geretsried, Gulf of Suez 2 expansion and Muara Laboh to LEAD 13, 15, 16."""
    links = {int(r.no): int(r.lead_no) for r in decarb.itertuples() if r.lead_no}
    assert links == {3: 13, 7: 15, 8: 16}
    titles = dict(zip(lead["no"].astype(int), lead["title_ja"]))
    for no, key in ((13, "Geretsried"), (15, "Gulf of Suez 2"), (16, "Muara Laboh")):
        assert key in titles[no]
        row = decarb[decarb["lead_no"] == str(no)].iloc[0]
        assert key in row["title_ja"]
        assert row["iso3"] == lead.loc[lead["no"] == str(no), "iso3"].iloc[0]


# ----------------------------------------------------- major projects

MAJOR = {
    # (project_id, contract_no): (product, signed, amount, currency, host, site, lead_no)
    ("tunisia_solar", "1"): ("reinsurance", "2024-07", "", "", "TUN", "TUN", ""),
    ("kenya_menengai", "1"): ("general_trade", "2024-07", "", "", "KEN", "KEN", ""),
    ("kenya_menengai", "2"): ("buyer_credit", "2024-11", "", "", "KEN", "KEN", ""),
    ("turkey_calik", "1"): ("overseas_untied_loan", "2024-07", "", "", "TUR", "", "14"),
    ("germany_geretsried", "1"): ("overseas_untied_loan", "2024-06", "44000000", "EUR", "DEU", "DEU", "13"),
    ("turkey_yilport", "1"): ("buyer_credit", "2024-12", "17000000", "USD", "TUR", "PRT", ""),
    ("turkey_yilport", "2"): ("buyer_credit", "2025-03", "21000000", "USD", "TUR", "ECU", ""),
    ("egypt_gulf_of_suez2", "1"): ("overseas_untied_loan", "2024-11", "35000000", "USD", "EGY", "EGY", "15"),
    ("egypt_gulf_of_suez2", "2"): ("swap", "2024-11", "", "", "EGY", "EGY", "15"),
}


def test_major_projects_rows(major):
    """Test that each major-project contract row carries the product, month, amount and sites read from the report."""
    got = {(r.project_id, r.contract_no): (r.product, r.signed, r.amount, r.currency,
                                           r.host_iso3, r.site_iso3, r.lead_no)
           for r in major.itertuples()}
    assert got == MAJOR
    assert set(major["product"]) <= set(load("products.csv")["product"])
    assert set(major.loc[major["amount"] != "", "approx"]) == {"true"}
    assert set(major.loc[major["amount"] == "", "approx"]) == {""}


def test_major_projects_agree_with_lead(major, lead):
    """Test that major projects linked to LEAD share its country and, where both print one, its amount."""
    for r in major[major["lead_no"] != ""].itertuples():
        lr = lead[lead["no"] == r.lead_no].iloc[0]
        assert lr["iso3"] == r.host_iso3
        if r.amount:
            assert (lr["amount"], lr["currency"]) == (r.amount, r.currency)


# ------------------------------------------------ financial statements

# (statement, line_no) -> printed parent amount minus sum of children;
# the report rounds every figure to the million (注10 四捨五入), so a few
# printed subtotals differ from the sum of their printed parts by one.
ROUNDING_GAPS = {
    ("bs", 9): 1,    # 有形固定資産 609 vs 259+343+6 = 608
    ("bs", 25): 1,   # 資産の部 合計 1,915,731 vs parts 1,915,730
    ("bs", 28): 1,   # 責任準備金 1,085,635 vs 132,977+952,657
    ("bs", 31): -1,  # その他負債 31,872 vs parts 31,873
    ("bs", 49): 1,   # 株主資本合計 794,851 vs 169,352+625,553-55
    ("pl", 10): -1,  # 保険引受費用 64,271 vs parts 64,272
}


def _amounts(fs, st):
    d = fs[fs["statement"] == st]
    return {int(r.line_no): r for r in d.itertuples()}


def _by_name(fs, st, name):
    d = fs[(fs["statement"] == st) & (fs["item_ja"] == name)]
    assert len(d) == 1, name
    return int(d["amount_mjpy"].iloc[0])


def test_statement_line_numbers(fs):
    """Test that line numbers run 1..n per statement (30 PL lines, 53 BS lines)."""
    for st, n in (("pl", 30), ("bs", 53)):
        assert [int(x) for x in fs.loc[fs["statement"] == st, "line_no"]] == list(range(1, n + 1))


def test_statement_tree_is_consistent(fs):
    """Test that parents exist in the same statement and each child sits one level below its parent."""
    for st in ("pl", "bs"):
        rows = _amounts(fs, st)
        for ln, r in rows.items():
            if r.parent_line == "":
                assert r.level == "0", (st, ln)
            else:
                p = rows[int(r.parent_line)]
                assert int(r.level) == int(p.level) + 1, (st, ln)


def test_statement_parents_equal_sum_of_children(fs):
    """Test that every parent line equals the sum of its children, except the listed one-unit rounding gaps."""
    gaps = {}
    for st in ("pl", "bs"):
        rows = _amounts(fs, st)
        for ln, r in rows.items():
            kids = [int(k.amount_mjpy) for k in rows.values() if k.parent_line == str(ln)]
            if kids:
                diff = int(r.amount_mjpy) - sum(kids)
                if diff:
                    gaps[(st, ln)] = diff
    assert gaps == ROUNDING_GAPS


def test_pl_key_figures(fs):
    """Test that the PL key lines match the printed figures and 経常収益 − 経常費用 = 経常損失."""
    inc = _by_name(fs, "pl", "経常収益")
    exp = _by_name(fs, "pl", "経常費用")
    loss = _by_name(fs, "pl", "経常損失")
    assert (inc, exp, loss) == (78263, 79263, -1000)
    assert inc - exp == loss
    special = _by_name(fs, "pl", "特別利益")
    tax = _by_name(fs, "pl", "法人税等合計")
    net = _by_name(fs, "pl", "当期純利益")
    assert (special, tax, net) == (1000, -2, 2)
    assert loss + special - tax == net
    pre = fs[(fs["statement"] == "pl") & (fs["item_ja"] == "税引前当期純利益")]
    assert pre["amount_mjpy"].iloc[0] == ""  # printed －


def test_bs_balances(fs):
    """Test that assets 1,915,731 equal liabilities 1,120,774 plus net assets 794,956 within rounding."""
    assets = _by_name(fs, "bs", "資産の部 合計")
    liab = _by_name(fs, "bs", "負債の部 合計")
    net = _by_name(fs, "bs", "純資産の部 合計")
    both = _by_name(fs, "bs", "負債及び純資産の部 合計")
    assert (assets, liab, net, both) == (1915731, 1120774, 794956, 1915731)
    assert both == assets
    # 1,120,774 + 794,956 = 1,915,730: one unit short of the printed total (rounding)
    assert assets - (liab + net) == 1


def test_statement_total_flags(fs):
    """Test that is_total is true exactly for the 合計 lines."""
    flagged = set(fs.loc[fs["is_total"] == "true", "item_ja"])
    assert flagged == set(fs.loc[fs["item_ja"].str.contains("合計"), "item_ja"])
    assert len(flagged) == 7
    assert set(fs["is_total"]) == {"true", "false"}


# ------------------------------------------------- financial summary

def test_summary_fy2024_figures(summary, fs):
    """Test that the FY2024 summary carries the printed figures and agrees with the statements."""
    s = summary[summary["fiscal_year"] == "2024"]
    got = dict(zip(s["item"], s["amount_mjpy"]))
    expect = {
        "ordinary_income": "78263", "ordinary_expenses": "79263", "ordinary_loss": "-1000",
        "net_income": "2", "total_assets": "1915731", "net_assets": "794956",
        "net_premiums_written": "31679", "net_claims_paid": "112404",
        "investment_income": "25851", "subrogation_income": "20050",
        "operating_admin_expenses": "8956", "catastrophe_reserve_provision": "41695",
        "profit_before_tax": "",
    }
    for k, v in expect.items():
        assert got[k] == v, k
    assert set(s["precision_mjpy"]) == {"1"}
    pl = dict(zip(fs.loc[fs["statement"] == "pl", "item_ja"], fs.loc[fs["statement"] == "pl", "amount_mjpy"]))
    for r in s.itertuples():
        if r.item_ja in pl:
            assert pl[r.item_ja] == r.amount_mjpy, r.item_ja


def test_summary_fy2023_figures(summary):
    """Test that the FY2023 figures stated in the text (0.1億円 precision) are stored in mjpy."""
    s = summary[summary["fiscal_year"] == "2023"]
    got = {r.item: (int(r.amount_mjpy), int(r.precision_mjpy)) for r in s.itertuples()}
    assert got == {
        "net_premiums_written": (59170, 10),       # 591.7億円
        "subrogation_income": (23550, 10),         # 235.5億円
        "investment_income": (69500, 10),          # 695.0億円
        "net_claims_paid": (27480, 10),            # 274.8億円
        "outstanding_claims_provision": (80710, 10),  # 807.1億円
        "operating_admin_expenses": (8470, 10),    # 84.7億円
    }


def test_summary_yoy_rates_match_text(summary):
    """Test that the printed year-on-year rates follow from the stored figures within their precision."""
    printed = {"net_premiums_written": -46.5, "subrogation_income": -14.9,
               "investment_income": -62.8, "net_claims_paid": 309.0,
               "operating_admin_expenses": 5.8}
    cur = summary[summary["fiscal_year"] == "2024"].set_index("item")["amount_mjpy"]
    prev = summary[summary["fiscal_year"] == "2023"].set_index("item")
    for k, rate in printed.items():
        c = int(cur[k])
        p, prec = int(prev.loc[k, "amount_mjpy"]), int(prev.loc[k, "precision_mjpy"])
        lo = (c / (p + prec / 2) - 1) * 100
        hi = (c / (p - prec / 2) - 1) * 100
        assert lo - 0.05 <= rate <= hi + 0.05, k


# ------------------------------------------------------ env screening

def test_env_shares(env):
    """Test that the FY2024 screening shares match the printed percentages and sum to 100 per dimension."""
    got = {(r.dimension, r.key): int(r.share_pct) for r in env.itertuples()}
    assert got == {
        ("category", "A"): 14, ("category", "B"): 28, ("category", "C"): 58,
        ("region", "asia"): 50, ("region", "middle_east"): 13,
        ("region", "latin_america"): 13, ("region", "north_america"): 3,
        ("region", "africa"): 8, ("region", "europe_nis"): 13,
    }
    for dim, g in env.groupby("dimension"):
        assert g["share_pct"].astype(int).sum() == 100, dim
    assert set(env["fiscal_year"]) == {"2024"}


def test_env_cases():
    """Test that 38 screened cases are recorded for FY2024."""
    c = load("env_screening_cases.csv")
    assert c.to_dict("records") == [{"fiscal_year": "2024", "cases": "38"}]
