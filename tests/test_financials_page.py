"""The financials page: it runs in both languages, its waterfall steps add up to the printed net
income, and its ratios are the ones worked out by hand from the report's printed figures.

Every expected figure is typed in from the report (2024年度決算報告: 財務諸表等 and 決算の概要).
"""

import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from nexidash import db
from tests.helpers import open_page, tables

# 損益計算書 (FY2024), as printed
PREMIUMS, CLAIMS, CLAIMS_RESERVE = 31679, 112404, -80276
UNEARNED, CATASTROPHE, COMMISSIONS = -8106, 41695, -1445
SUBROGATION_INCOME, SUBROGATION_COSTS = 20050, 397
INVESTMENT_INCOME, INVESTMENT_COSTS, OPEX = 25851, 5638, 8956
FX_GAINS, OTHER_INCOME, OTHER_COSTS = 452, 231, 1
ORDINARY_LOSS, EXTRAORDINARY, TAXES, NET_INCOME = -1000, 1000, -2, 2
# 貸借対照表 (end of FY2024)
CASH, SECURITIES, TOTAL_ASSETS, NET_ASSETS = 751920, 1110864, 1915731, 794956
# 決算の概要: FY2023 as stated in the text (億円 to 0.1): 正味収入保険料 591.7億円, 正味支払保険金
# 274.8億円, 支払備金繰入額 807.1億円, 営業費及び一般管理費 84.7億円, 資産運用収益 695.0億円
PREV_PREMIUMS, PREV_CLAIMS, PREV_RESERVE, PREV_OPEX, PREV_INVESTMENT = 59170, 27480, 80710, 8470, 69500


def pct(numerator, denominator):
    """The exact ratio in percent, rounded half up to one decimal as the page prints it."""
    exact = Fraction(100 * numerator, denominator)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)


def shown(value) -> Decimal:
    """A ratio_pct from the query, rounded half up as fmt.pct does."""
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# Each ratio worked by hand from the printed lines above: the value the page must show.
#   正味損害率（支払ベース）  112,404 ÷ 31,679 = 354.82% ; FY2023 27,480 ÷ 59,170 = 46.44%
#   正味損害率（発生ベース）  (112,404 − 80,276 = 32,128) ÷ 31,679 = 101.42% ;
#                            FY2023 (27,480 + 80,710 = 108,190) ÷ 59,170 = 182.85%
#   正味事業費率              (△1,445 + 8,956 = 7,511) ÷ 31,679 = 23.71% (FY2023: no 諸手数料)
#   自己資本比率              794,956 ÷ 1,915,731 = 41.50% (FY2023: no balance sheet)
#   運用利回り（期末残高）     25,851 ÷ (751,920 + 1,110,864 = 1,862,784) = 1.39%
EXPECTED_RATIOS = {
    ("loss_ratio_paid", 2024): (CLAIMS, PREMIUMS, Decimal("354.8")),
    ("loss_ratio_paid", 2023): (PREV_CLAIMS, PREV_PREMIUMS, Decimal("46.4")),
    ("loss_ratio_incurred", 2024): (CLAIMS + CLAIMS_RESERVE, PREMIUMS, Decimal("101.4")),
    ("loss_ratio_incurred", 2023): (PREV_CLAIMS + PREV_RESERVE, PREV_PREMIUMS, Decimal("182.8")),
    ("net_expense_ratio", 2024): (COMMISSIONS + OPEX, PREMIUMS, Decimal("23.7")),
    ("equity_ratio", 2024): (NET_ASSETS, TOTAL_ASSETS, Decimal("41.5")),
    ("investment_yield", 2024): (INVESTMENT_INCOME, CASH + SECURITIES, Decimal("1.4")),
}
# The inputs the report does not give for FY2023, by ratio: the page says so instead.
NOT_GIVEN_2023 = {"net_expense_ratio": {"諸手数料"},
                  "equity_ratio": {"純資産の部 合計", "資産の部 合計"},
                  "investment_yield": {"現金及び預貯金", "有価証券"}}


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


def test_hand_worked_ratios_are_the_printed_figures():
    """Test that the hand-worked values above follow from the typed-in lines (so a slip in
    EXPECTED_RATIOS cannot hide), including the issue's 23.7% net expense ratio."""
    for (numerator, denominator, value) in EXPECTED_RATIOS.values():
        assert pct(numerator, denominator) == value
    assert COMMISSIONS + OPEX == 7511 and CASH + SECURITIES == 1862784


def test_ratio_query_matches_hand_computation():
    """Test that fin_ratios gives each ratio's numerator, denominator and value worked out by
    hand, rounded half up to one decimal, and no value where the report lacks an input."""
    ratios = db.run("fin_ratios")
    per_ratio = ratios.drop_duplicates(["ratio", "fiscal_year"])
    got = {(r.ratio, r.fiscal_year): (r.numerator_mjpy, r.denominator_mjpy, shown(r.ratio_pct))
           for r in per_ratio.itertuples() if r.ratio_pct == r.ratio_pct}
    assert got == EXPECTED_RATIOS
    missing = ratios[ratios["amount_mjpy"].isna()]
    assert {(r.ratio, r.fiscal_year) for r in per_ratio.itertuples()
            if r.ratio_pct != r.ratio_pct} == {(k, 2023) for k in NOT_GIVEN_2023}
    assert {k: set(g["item_ja"]) for k, g in missing.groupby("ratio")} == NOT_GIVEN_2023
    assert set(missing["fiscal_year"]) == {2023}


def test_ratio_inputs_are_the_statement_lines():
    """Test that each FY2024 input is the named line of the printed statement, with its amount
    (so the page's table of inputs can be checked against the report line by line)."""
    ratios = db.run("fin_ratios")
    rows = ratios[ratios["fiscal_year"] == 2024]
    got = {(r.ratio, r.input_no): (r.role, r.statement, r.statement_line, r.item_ja,
                                   r.amount_mjpy) for r in rows.itertuples()}
    assert got == {
        ("loss_ratio_paid", 1): ("numerator", "pl", 11, "正味支払保険金", CLAIMS),
        ("loss_ratio_paid", 2): ("denominator", "pl", 3, "正味収入保険料", PREMIUMS),
        ("loss_ratio_incurred", 1): ("numerator", "pl", 11, "正味支払保険金", CLAIMS),
        ("loss_ratio_incurred", 2): ("numerator", "pl", 13, "支払備金繰入額", CLAIMS_RESERVE),
        ("loss_ratio_incurred", 3): ("denominator", "pl", 3, "正味収入保険料", PREMIUMS),
        ("net_expense_ratio", 1): ("numerator", "pl", 12, "諸手数料", COMMISSIONS),
        ("net_expense_ratio", 2): ("numerator", "pl", 20, "営業費及び一般管理費", OPEX),
        ("net_expense_ratio", 3): ("denominator", "pl", 3, "正味収入保険料", PREMIUMS),
        ("equity_ratio", 1): ("numerator", "bs", 52, "純資産の部 合計", NET_ASSETS),
        ("equity_ratio", 2): ("denominator", "bs", 25, "資産の部 合計", TOTAL_ASSETS),
        ("investment_yield", 1): ("numerator", "pl", 6, "資産運用収益", INVESTMENT_INCOME),
        ("investment_yield", 2): ("denominator", "bs", 1, "現金及び預貯金", CASH),
        ("investment_yield", 3): ("denominator", "bs", 3, "有価証券", SECURITIES),
    }
    prev = ratios[(ratios["fiscal_year"] == 2023) & ratios["amount_mjpy"].notna()]
    assert sorted(zip(prev["ratio"], prev["item_ja"], prev["amount_mjpy"])) == sorted([
        ("loss_ratio_paid", "正味支払保険金", PREV_CLAIMS),
        ("loss_ratio_paid", "正味収入保険料", PREV_PREMIUMS),
        ("loss_ratio_incurred", "正味支払保険金", PREV_CLAIMS),
        ("loss_ratio_incurred", "支払備金繰入額", PREV_RESERVE),
        ("loss_ratio_incurred", "正味収入保険料", PREV_PREMIUMS),
        ("net_expense_ratio", "営業費及び一般管理費", PREV_OPEX),
        ("net_expense_ratio", "正味収入保険料", PREV_PREMIUMS),
        ("investment_yield", "資産運用収益", PREV_INVESTMENT)])
    assert set(prev["precision_mjpy"]) == {10} and set(rows["precision_mjpy"]) == {1}


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


LABELS = {
    "ja": {"loss_ratio_paid": "正味損害率（支払ベース）", "loss_ratio_incurred": "正味損害率（発生ベース）",
           "net_expense_ratio": "正味事業費率", "equity_ratio": "自己資本比率",
           "investment_yield": "運用利回り（期末残高ベース）"},
    "en": {"loss_ratio_paid": "Net loss ratio (paid basis)",
           "loss_ratio_incurred": "Net loss ratio (incurred basis)",
           "net_expense_ratio": "Net expense ratio", "equity_ratio": "Equity ratio",
           "investment_yield": "Investment yield (year-end basis)"},
}


def cells(df) -> list:
    """A shown table's rows, an empty cell (－) as None."""
    return [[None if v != v else v for v in row] for row in df.values.tolist()]


def number(text: str) -> Decimal:
    return Decimal(text.rstrip("%％"))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_page_runs_with_waterfall_and_ratios(lang):
    """Test that the page runs in both languages and shows the waterfall and the five ratios,
    each card linking its own glossary entry."""
    at = open_page("financials", lang=lang)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    waterfalls = [s for s in specs if any(t["type"] == "waterfall" for t in s["data"])]
    assert len(waterfalls) == 1
    trace = waterfalls[0]["data"][0]
    assert len(trace["x"]) == 16 and trace["measure"][-1] == "total"
    m = _metrics(at)
    assert list(m) == list(LABELS[lang].values())
    for code, label in LABELS[lang].items():
        assert f"#term-{code})" in m[label][2], (code, m[label][2])


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_ratio_cards_show_hand_worked_values(lang):
    """Test that each card shows the hand-worked value, the change in points only where the
    report gives FY2023's inputs, and its formula and figures in the help."""
    m = _metrics(open_page("financials", lang=lang))
    for code, label in LABELS[lang].items():
        value, delta, help_ = m[label]
        assert number(value) == EXPECTED_RATIOS[(code, 2024)][2], code
        if (code, 2023) in EXPECTED_RATIOS:
            exact = (Fraction(100 * CLAIMS + (100 * CLAIMS_RESERVE if "incurred" in code else 0),
                              PREMIUMS)
                     - Fraction(100 * PREV_CLAIMS + (100 * PREV_RESERVE if "incurred" in code
                                                     else 0), PREV_PREMIUMS))
            points = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP)
            unit = "ポイント" if lang == "ja" else " pts"
            signed = f"{points:+}" if lang == "en" or points >= 0 else f"△{-points}"
            assert delta == f"{signed}{unit}", (code, delta)
        else:
            assert not delta, code
    paid, incurred = m[LABELS[lang]["loss_ratio_paid"]], m[LABELS[lang]["loss_ratio_incurred"]]
    assert (paid[1], incurred[1]) == (("+308.4ポイント", "△81.4ポイント") if lang == "ja"
                                      else ("+308.4 pts", "-81.4 pts"))
    assert "112,404 ÷ 31,679" in paid[2] and "27,480 ÷ 59,170" in paid[2]
    assert "32,128" in incurred[2] and "108,190" in incurred[2]
    expense = m[LABELS[lang]["net_expense_ratio"]][2]
    assert "8,956" in expense and "7,511" in expense and "31,679" in expense
    assert "794,956 ÷ 1,915,731" in m[LABELS[lang]["equity_ratio"]][2]
    assert "1,862,784" in m[LABELS[lang]["investment_yield"]][2]


def test_ratio_sections_show_inputs_basis_and_what_is_missing():
    """Test that under the cards each ratio's statement lines and amounts are tabled, and that
    the page says which FY2023 inputs the report lacks instead of showing a value."""
    at = open_page("financials")
    shown_tables = tables(at)
    expense = next(df for df in shown_tables
                   if "財務諸表の科目（出典）" in df.columns
                   and "営業費及び一般管理費（損益計算書）" in set(df["財務諸表の科目（出典）"]))
    assert list(expense.columns) == ["役割", "財務諸表の科目（出典）", "2024年度（百万円、財務諸表）",
                                     "2023年度（百万円、決算の概要の本文・0.1億円単位）"]
    assert cells(expense) == [["分子", "諸手数料（損益計算書）", COMMISSIONS, None],
                                       ["分子", "営業費及び一般管理費（損益計算書）", OPEX, PREV_OPEX],
                                       ["分母", "正味収入保険料（損益計算書）", PREMIUMS, PREV_PREMIUMS]]
    captions = " ".join(c.value for c in at.caption)
    assert "2023年度：報告書に諸手数料の記載がないため計算していません。" in captions
    assert "2023年度：報告書に純資産の部 合計、資産の部 合計の記載がないため計算していません。" in captions
    assert "2024年度：（△1,445 ＋ 8,956 ＝ 7,511） ÷ 31,679（百万円）＝ 23.7" in captions
    assert "2024年度：（112,404 － 80,276 ＝ 32,128） ÷ 31,679（百万円）＝ 101.4" in captions
    assert "2024年度は支払備金繰入額がマイナス（約803億円の戻入）" in captions
    assert "2023年度は支払備金を約807億円繰り入れて" in captions
    texts = " ".join(m.value for m in at.markdown)
    for basis in ("支払ベース", "発生ベース", "年度末の貸借対照表", "期中平均ではない"):
        assert basis in texts


def test_htm_bonds_table_has_printed_subtotals_under_their_parts():
    """Test that the bonds table lists the parts, then each group's printed 小計, then the
    printed 合計, and that the note names every cell where a printed figure is not what the
    other cells give (rounding)."""
    at = open_page("financials")
    bonds = next(df for df in tables(at) if "時価（百万円）" in df.columns)
    rows = [tuple(row) for row in cells(bonds.iloc[:, 1:])]
    assert rows == [
        ("国債", 204374, 211547, 7174), ("地方債", None, None, None), ("社債", None, None, None),
        ("外国証券", 62915, 63698, 783), ("小計（報告書の印刷値）", 267288, 275245, 7956),
        ("国債", 101120, 93010, -8110), ("地方債", 146500, 140542, -5958),
        ("社債", 524200, 504395, -19805), ("外国証券", 69497, 67911, -1586),
        ("小計（報告書の印刷値）", 841317, 805858, -35459),
        ("合計（報告書の印刷値）", 1108605, 1081103, -27503)]
    captions = " ".join(c.value for c in at.caption)
    for cell in ("国債の差額（時価−計上額は 7,173、報告書 7,174）",
                 "小計の貸借対照表計上額（内訳の和 267,289、報告書 267,288）",
                 "小計の差額（内訳の和 7,957、報告書 7,956）",
                 "合計の貸借対照表計上額（内訳の和 1,108,606、報告書 1,108,605）",
                 "合計の差額（内訳の和 △27,502、報告書 △27,503）"):
        assert cell in captions, cell
    assert captions.count("内訳の和") == 4
