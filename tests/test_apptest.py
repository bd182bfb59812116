"""Every page through Streamlit's AppTest: it runs, and controls change the figures correctly.

Expected values are the report's printed figures (rounded the way the cards show them).
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import PAGES, open_data, open_page, tables

ROOT = Path(__file__).resolve().parents[1]


def metrics(at: AppTest) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def texts(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.warning] + [e.value for e in at.info]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs(page, lang):
    """Test that every page runs in both languages without an exception or an error box."""
    at = open_page(page, lang=lang)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title, "page has no title"


def test_overview_headline_fy2024():
    """Test that the overview cards show the report's FY2024 totals and year-on-year rates."""
    at = open_page("overview")
    m = metrics(at)
    assert m["保険引受実績"] == ("7.6兆円", "△4.6％")
    assert m["保険責任残高"] == ("15.5兆円", "△10.2％")
    assert m["保険料収入"] == ("317億円", "△46.5％")
    assert m["支払保険金"] == ("1,151億円", "+312.3％")
    assert m["回収金"] == ("223億円", "△18.5％")
    assert m["参考：日本の輸出金額"] == ("108.9兆円", "+5.9％")
    # Streamlit reads a fall from a leading "-" only: a △ fall still points down, in red (and a
    # rise in claims, bad news, in red too).
    way = {e.label: (e.proto.direction, e.proto.color) for e in at.metric}
    proto = type(at.metric[0].proto)
    assert way["保険引受実績"] == (proto.MetricDirection.DOWN, proto.MetricColor.RED)
    assert way["支払保険金"] == (proto.MetricDirection.UP, proto.MetricColor.RED)


def test_overview_changes_with_year_and_language():
    """Test that choosing FY2023 in English shows that year's totals in English units."""
    m = metrics(open_page("overview", lang="en", year=2023))
    assert m["Underwriting"][0] == "¥8.0 trillion"
    assert m["Outstanding commitments"][0] == "¥17.2 trillion"
    assert m["Premium income"][0] == "¥59.2 billion"
    assert m["Claims paid"][0] == "¥27.9 billion"
    assert m["Recoveries"][0] == "¥27.4 billion"
    # FY2023 claims 27,918 vs FY2022 32,260 (printed totals)
    assert m["Claims paid"][1] == "-13.5%"


def test_overview_records_only_for_fy2024():
    """Test that the records the report states appear for FY2024 and not for other years."""
    assert "2001年" in texts(open_page("overview"))
    assert "2001" not in texts(open_page("overview", lang="en", year=2022))


def test_regions_international_organisations_follow_year():
    """Test that the international-organisation card follows the year and measure chosen."""
    assert metrics(open_page("regions"))["保険引受実績"][0] == "802億円"
    assert metrics(open_page("regions", year=2022))["保険引受実績"][0] == "1,552億円"
    assert metrics(open_page("regions", measure="outstanding"))["保険責任残高"][0] == "2,215億円"
    at = open_page("regions", measure="claims_paid")
    assert "国際機関の数字は示されていません" in texts(at)


def test_regions_table_matches_report():
    """Test that the regional table behind the map holds the printed FY2024 claims by region."""
    at = open_data(open_page("regions", measure="claims_paid", risk="political", year=2024),
                   "region_map")
    table = tables(at)[0]
    amounts = dict(zip(table.iloc[:, 0], table.iloc[:, 2]))
    assert amounts["europe"] == 84226
    assert amounts["asia"] == 108


def test_products_negative_premium_shown():
    """Test that buyer's credit premium is shown negative for FY2021, as printed."""
    at = open_data(open_page("products", measure="premium", year=2021), "product_mix")
    table = tables(at)[0]
    row = table[table.iloc[:, 0] == "buyer_credit"].iloc[0]
    assert row.iloc[3] == -2641
    assert round(row.iloc[6], 1) == round((-2641 - 1696) / 1696 * 100, 1)


def test_lead_filters():
    """Test that the LEAD filters narrow the 16 projects to the right ones."""
    at = open_page("lead")
    assert metrics(at)["条件に合う案件"][0] == "16件"
    assert metrics(open_page("lead", element="alliance"))["条件に合う案件"][0] == "6件"
    assert metrics(open_page("lead", currency="EUR"))["条件に合う案件"][0] == "2件"
    assert metrics(open_page("lead", lead_fy=2024, lang="en"))[
        "Projects matching the filters"][0] == "4 projects"


def test_partners_counts_and_filter():
    """Test that the partner page counts 111 agreements, 13 multilateral and 7 private."""
    m = metrics(open_page("partners"))
    assert m["協定数"][0] == "111"
    assert m["国際機関・複数機関"][0] == "13"
    assert m["欧米民間保険会社"][0] == "7"
    at = open_page("partners", type="one_stop_shop")
    assert "協定一覧（18件）" in texts(at)


def test_sme_counts_and_prefecture():
    """Test that the SME page counts 111 members in 47 prefectures and lists Nagano's four."""
    m = metrics(open_page("sme"))
    assert m["提携機関（計）"][0] == "111"
    assert m["提携機関のある都道府県"][0] == "47 / 47"
    at = open_page("sme", pref="20")
    assert "提携機関：長野県（4機関）" in texts(at)


@pytest.mark.parametrize("page,params", [
    ("overview", {"year": "1999"}), ("regions", {"measure": "<script>"}),
    ("overview", {"lang": "xx"}), ("overview", {"year": "9" * 10000}),
    ("regions", {"region": "mars"}), ("sme", {"pref": "99"}), ("lead", {"element": "' OR 1=1"}),
])
def test_tampered_param_falls_back_with_notice(page, params):
    """Test that a bad URL value shows a notice, falls back to the default and is not echoed."""
    # The frame's controls (lang, year) are met on the first run, which AppTest makes on
    # the overview; a page's own controls are met when the page first runs.
    at = open_page(page, **params)
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("既定の表示" in w for w in warnings), warnings
    assert "<script>" not in texts(at) and "9" * 100 not in texts(at)
    assert "OR 1=1" not in texts(at) and "mars" not in texts(at)


def test_compare_years_side_by_side():
    """Test that comparing FY2021 with FY2024 premium by product shows both printed figures."""
    at = open_page("compare", dim="product", measure="premium", a=2021, b=2024)
    table = tables(at)[-1]
    row = table.iloc[list(table.iloc[:, 0]).index("貿易代金貸付保険")]
    assert list(row.iloc[1:4]) == [-2641, 1676, 1676 + 2641]


def test_press_sentences():
    """Test that the press kit words the FY2024 figures as the report does, in both languages."""
    ja = "\n".join(e.value for e in open_page("press").markdown)
    assert "2024年度の保険引受実績は約7.6兆円（前年度比4.6％減）となりました。" in ja
    assert "2024年度の支払保険金は約1,151億円（前年度比312.3％増）となりました。" in ja
    assert "アジア向けが約4.1兆円と最も大きく、地域別実績の合計の50.6％" in ja
    en = "\n".join(e.value for e in open_page("press", lang="en").markdown)
    assert "Underwriting in FY2024 was about ¥7.6 trillion, down 4.6% from FY2023." in en
    assert "Claims paid in FY2024 came to about ¥115.1 billion, up 312.3% from FY2023." in en


# A non-default value for every control of every page: a copied link must reopen exactly this.
ROUND_TRIPS = {
    "overview": {"lang": "en", "year": "2022"},
    "regions": {"year": "2023", "measure": "claims_paid", "risk": "commercial", "region": "europe"},
    "products": {"year": "2021", "measure": "premium", "product": "buyer_credit"},
    "lead": {"element": "environment_energy", "lead_fy": "2022", "place": "africa",
             "currency": "USD", "project": "3"},
    "partners": {"type": "cooperation", "group": "europe", "country": "POL"},
    "country": {"iso3": "EGY"},
    "financials": {"lang": "en"},
    "glossary": {"lang": "en"},
    "about": {"lang": "en"},
    "sme": {"kind": "shinkin", "pref": "23"},
    "compare": {"dim": "product", "measure": "outstanding", "a": "2020", "b": "2023"},
    "press": {"year": "2023"},
}


@pytest.mark.parametrize("page", PAGES)
def test_deep_link_round_trip(page):
    """Test that a link's every control value is applied and written back to the URL as is."""
    params = ROUND_TRIPS[page]
    at = open_page(page, **params)
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    url = {k: at.query_params[k][0] if isinstance(at.query_params[k], list) else
           at.query_params[k] for k in params}
    assert url == params
