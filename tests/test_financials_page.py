"""The financials page: it runs in both languages, its waterfall steps add up to the printed net
income, and its ratios are the ones worked out by hand from the report's printed figures.

Every expected figure is typed in from the report (2024年度決算報告: 財務諸表等 and 決算の概要).
"""

import json

import pytest

from nexidash import db
from tests.helpers import open_page

# 損益計算書 (FY2024), as printed
PREMIUMS, CLAIMS, CLAIMS_RESERVE = 31679, 112404, -80276
UNEARNED, CATASTROPHE, COMMISSIONS = -8106, 41695, -1445
SUBROGATION_INCOME, SUBROGATION_COSTS = 20050, 397
INVESTMENT_INCOME, INVESTMENT_COSTS, OPEX = 25851, 5638, 8956
FX_GAINS, OTHER_INCOME, OTHER_COSTS = 452, 231, 1
ORDINARY_LOSS, EXTRAORDINARY, TAXES, NET_INCOME = -1000, 1000, -2, 2
# 貸借対照表 (end of FY2024)
CASH, SECURITIES, TOTAL_ASSETS, NET_ASSETS = 751920, 1110864, 1915731, 794956
# 決算の概要: FY2023 as stated in the text (億円 to 0.1)
PREV_PREMIUMS, PREV_CLAIMS, PREV_OPEX = 59170, 27480, 8470


def pct(numerator, denominator):
    return round(100 * numerator / denominator, 1)


def test_waterfall_steps_add_up_to_printed_net_income():
    """Test that each step is the PL line's effect on profit and that they add up to the printed
    ordinary loss (△1,000) and net income (2), with rounding a visible step of exactly 1."""
    steps = db.run("fin_waterfall")
    got = dict(zip(steps["step"], steps["amount_mjpy"]))
    expected = {
        "premiums": PREMIUMS, "claims": -CLAIMS, "claims_reserve": -CLAIMS_RESERVE,
        "unearned_premiums": -UNEARNED, "catastrophe_reserve": -CATASTROPHE,
        "commissions": -COMMISSIONS, "subrogation": SUBROGATION_INCOME - SUBROGATION_COSTS,
        "investment_income": INVESTMENT_INCOME, "investment_expenses": -INVESTMENT_COSTS,
        "operating_expenses": -OPEX, "other": FX_GAINS + OTHER_INCOME - OTHER_COSTS,
        "rounding": 1, "ordinary_result": ORDINARY_LOSS, "extraordinary": EXTRAORDINARY,
        "taxes": -TAXES, "net_income": NET_INCOME,
    }
    assert got == expected
    moves = steps[steps["measure"] != "total"]
    before_ordinary = moves[moves["step_no"] < 13]
    assert before_ordinary["amount_mjpy"].sum() == ORDINARY_LOSS
    assert moves["amount_mjpy"].sum() == NET_INCOME
    assert list(steps["running_mjpy"])[-1] == NET_INCOME
    # the PL's own lines miss the printed ordinary loss by one (保険引受費用 64,271 vs 64,272)
    without_rounding = sum(v for k, v in expected.items()
                           if k not in ("rounding", "ordinary_result", "extraordinary", "taxes",
                                        "net_income"))
    assert without_rounding == ORDINARY_LOSS - 1


def test_ratio_query_matches_hand_computation():
    """Test that fin_ratios gives the ratios worked out by hand from the printed figures."""
    ratios = db.run("fin_ratios")
    got = {(r.ratio, r.fiscal_year): (r.numerator_mjpy, r.denominator_mjpy, round(r.ratio_pct, 1))
           for r in ratios.itertuples()}
    assert got == {
        ("loss_ratio", 2024): (CLAIMS, PREMIUMS, pct(CLAIMS, PREMIUMS)),
        ("loss_ratio", 2023): (PREV_CLAIMS, PREV_PREMIUMS, pct(PREV_CLAIMS, PREV_PREMIUMS)),
        ("expense_ratio", 2024): (OPEX, PREMIUMS, pct(OPEX, PREMIUMS)),
        ("expense_ratio", 2023): (PREV_OPEX, PREV_PREMIUMS, pct(PREV_OPEX, PREV_PREMIUMS)),
        ("equity_ratio", 2024): (NET_ASSETS, TOTAL_ASSETS, pct(NET_ASSETS, TOTAL_ASSETS)),
        ("investment_yield", 2024): (INVESTMENT_INCOME, CASH + SECURITIES,
                                     pct(INVESTMENT_INCOME, CASH + SECURITIES)),
    }
    assert pct(CLAIMS, PREMIUMS) == 354.8 and pct(NET_ASSETS, TOTAL_ASSETS) == 41.5


def test_reserves_previous_year_end_is_balance_minus_provision():
    """Test the reserves chart's figures: year-end balances from the balance sheet, provisions
    from the PL, and the previous year-end computed from them."""
    res = db.run("fin_reserves")
    got = {r.reserve: (r.opening_mjpy, r.provision_mjpy, r.closing_mjpy) for r in res.itertuples()}
    assert got == {
        "outstanding_claims": (2337 + 80276, -80276, 2337),
        "unearned_premiums": (132977 + 8106, -8106, 132977),
        "catastrophe_reserve": (952657 - 41695, 41695, 952657),
        "underwriting_reserves": (1085635 - 33589, 33589, 1085635),
    }


def test_cash_flow_chart_figures():
    """Test the cash-flow chart's figures against the printed CF statement."""
    flows = db.run("fin_cash_flows")
    assert dict(zip(flows["flow"], flows["amount_mjpy"])) == {
        "operating": -36355, "investing": 34063, "financing": 1000, "fx": -1997,
        "net_change": -3289, "opening": 550230, "closing": 546941}


def _metrics(at):
    return {m.label: (m.value, m.delta, m.proto.help) for m in at.metric}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_page_runs_with_waterfall_and_ratios(lang):
    """Test that the page runs in both languages and shows the waterfall and the four ratios."""
    at = open_page("financials", lang=lang)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    waterfalls = [s for s in specs if any(t["type"] == "waterfall" for t in s["data"])]
    assert len(waterfalls) == 1
    trace = waterfalls[0]["data"][0]
    assert len(trace["x"]) == 16 and trace["measure"][-1] == "total"
    assert len(at.metric) == 4


def test_ratio_cards_show_hand_computed_values_ja():
    """Test that the Japanese cards show each ratio, its change in points, and the figures used."""
    m = _metrics(open_page("financials"))
    loss = m["損害率"]
    assert loss[0] == f"{pct(CLAIMS, PREMIUMS)}％"
    change = 100 * CLAIMS / PREMIUMS - 100 * PREV_CLAIMS / PREV_PREMIUMS
    assert loss[1] == f"+{round(change, 1)}ポイント"
    assert "112,404 ÷ 31,679" in loss[2] and "27,480 ÷ 59,170" in loss[2]
    assert m["事業費率"][0] == f"{pct(OPEX, PREMIUMS)}％"
    assert m["自己資本比率"][0] == f"{pct(NET_ASSETS, TOTAL_ASSETS)}％" == "41.5％"
    assert "794,956 ÷ 1,915,731" in m["自己資本比率"][2]
    assert m["運用利回り"][0] == f"{pct(INVESTMENT_INCOME, CASH + SECURITIES)}％"


def test_ratio_cards_in_english():
    """Test that the English cards show the same values with the change in points."""
    m = _metrics(open_page("financials", lang="en"))
    assert m["Loss ratio"][:2] == ("354.8%", "+308.4 pts")
    assert m["Expense ratio"][:2] == (f"{pct(OPEX, PREMIUMS)}%", "+14.0 pts")
    assert m["Equity ratio"][0] == "41.5%"
