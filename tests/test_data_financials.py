"""Checks of the financial statements' cash flows, changes in net assets and notes (財務諸表等)
against the report's printed figures.

Every expected value is typed in from NEXI's Annual Report FY2024 (2024年度決算報告 財務諸表等);
none is read back from the CSVs. The report rounds every figure to the million (記載単位未満
四捨五入), so a printed total can differ from the sum of its printed parts by one. Each check is
exact, except for the cells listed in a ``*_ROUNDING`` set: those must be off by exactly one, and
the test asserts that the exact check really fails for them, so the lists cannot grow stale.
"""

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
TABLES = ROOT / "data" / "tables"


def load(name):
    return pd.read_csv(TABLES / f"{name}.csv", dtype=str, keep_default_na=False)


def num(s):
    return None if s == "" else int(s)


def z(x):
    return 0 if x is None else x


def check(label, printed, computed, rounding):
    """Exact, or off by exactly one where the cell is listed as a rounding case."""
    if label in rounding:
        assert printed != computed, f"{label}: listed as rounding but adds up exactly"
        assert abs(printed - computed) == 1, f"{label}: {printed} vs {computed}"
    else:
        assert printed == computed, f"{label}: printed {printed}, parts give {computed}"


@pytest.fixture(scope="module")
def fs():
    df = load("financial_statements")
    return {(r.statement, int(r.line_no)): r for r in df.itertuples()}


@pytest.fixture(scope="module")
def notes():
    df = load("financial_notes")
    return {(r.note, int(r.line_no)): r for r in df.itertuples()}


@pytest.fixture(scope="module")
def nac():
    df = load("net_assets_changes")
    return {(r.movement, r.component): num(r.amount_mjpy) for r in df.itertuples()}


def amt(rows, key):
    return num(rows[key].amount_mjpy)


# ------------------------------------------------------------------ cash flows

# キャッシュ・フロー計算書 (2024年4月1日から2025年3月31日まで), line by line as printed.
CF_PRINTED = {
    1: ("保険料の収入", 36526), 2: ("保険金の支出", -115107), 3: ("諸手数料の支出", -3),
    4: ("保険代位債権等の回収による収入", 23509),
    5: ("保険代位債権等に係る回収金の配分による支出", -4180),
    6: ("営業費及び一般管理費の支出", -8023), 7: ("その他", 171), 8: ("小計", -67106),
    9: ("利息及び配当金の受取額", 30885), 10: ("法人税等の還付又は支払額", -134),
    11: ("営業活動によるキャッシュ・フロー", -36355),
    12: ("定期預金の預入による支出", -179960), 13: ("定期預金の払戻による収入", 281013),
    14: ("有価証券の取得による支出", -125398), 15: ("有価証券の売却・償還による収入", 64631),
    16: ("資産運用活動計", 40287), 17: ("（営業活動及び資産運用活動計）", 3932),
    18: ("有形固定資産の取得による支出", -96), 19: ("無形固定資産の取得による支出", -6108),
    20: ("その他", -20), 21: ("投資活動によるキャッシュ・フロー", 34063),
    22: ("政府交付金の受入による収入", 1000), 23: ("財務活動によるキャッシュ・フロー", 1000),
    24: ("現金及び現金同等物に係る換算差額", -1997),
    25: ("現金及び現金同等物の増減額（△は減少）", -3289),
    26: ("現金及び現金同等物期首残高", 550230), 27: ("現金及び現金同等物期末残高", 546941),
}

# printed total line -> the lines it is printed as the sum of
CF_TOTALS = {
    8: [1, 2, 3, 4, 5, 6, 7],  # 小計
    11: [8, 9, 10],  # 営業活動によるキャッシュ・フロー
    16: [12, 13, 14, 15],  # 資産運用活動計
    17: [11, 16],  # （営業活動及び資産運用活動計）
    21: [16, 18, 19, 20],  # 投資活動によるキャッシュ・フロー
    23: [22],  # 財務活動によるキャッシュ・フロー
    25: [11, 21, 23, 24],  # 増減額
    27: [26, 25],  # 期末残高 = 期首残高 + 増減額
}
CF_ROUNDING = {8, 16}  # 小計: parts give -67,107; 資産運用活動計: parts give 40,286


def test_cf_lines_as_printed(fs):
    """Test that every cash-flow line holds the printed name and amount, in printed order."""
    got = {ln: (r.item_ja, num(r.amount_mjpy)) for (st, ln), r in fs.items() if st == "cf"}
    assert got == CF_PRINTED


def test_cf_totals_reproduced_from_parts(fs):
    """Test that every printed CF total, the net change and the closing cash follow from their
    parts (小計 and 資産運用活動計 within one unit of rounding)."""
    for total, parts in CF_TOTALS.items():
        check(("cf", total), CF_PRINTED[total][1], sum(amt(fs, ("cf", p)) for p in parts),
              {("cf", t) for t in CF_ROUNDING})


def test_cf_closing_cash_is_opening_plus_change(fs):
    """Test that 資金の期末残高 546,941 = 期首 550,230 + 増減 △3,289."""
    assert amt(fs, ("cf", 26)) + amt(fs, ("cf", 25)) == amt(fs, ("cf", 27)) == 546941


def test_cf_tree_matches_printed_totals(fs):
    """Test that the stored tree (parent_line) sums the same way the printed totals do."""
    rows = {ln: r for (st, ln), r in fs.items() if st == "cf"}
    kids = {}
    for ln, r in rows.items():
        if r.parent_line:
            kids.setdefault(int(r.parent_line), []).append(ln)
            assert int(r.level) == int(rows[int(r.parent_line)].level) + 1, ln
        else:
            assert r.level == "0", ln
    assert kids == {8: [1, 2, 3, 4, 5, 6, 7], 11: [8, 9, 10], 16: [12, 13, 14, 15],
                    21: [16, 18, 19, 20], 23: [22]}


# ------------------------------------------------------- changes in net assets

COMPONENTS = ["capital", "capital_reserve", "capital_surplus_total", "retained_brought_forward",
              "retained_earnings_total", "shareholders_equity_total", "securities_valuation",
              "valuation_total", "net_assets_total"]
MOVEMENTS = ["opening", "net_income", "non_equity_net", "change_total", "closing"]
_ = None
# 株主資本等変動計算書: rows as printed, columns in COMPONENTS order (－ and blanks are None)
NAC_PRINTED = {
    "opening": [169352, 625553, 625553, -57, -57, 794849, 125, 125, 794973],
    "net_income": [_, _, _, 2, 2, 2, _, _, 2],
    "non_equity_net": [_, _, _, _, _, _, -19, -19, -19],
    "change_total": [_, _, _, 2, 2, 2, -19, -19, -17],
    "closing": [169352, 625553, 625553, -55, -55, 794851, 105, 105, 794956],
}
# column totals: total component -> the components it adds up
NAC_COLUMN_SUMS = {
    "capital_surplus_total": ["capital_reserve"],
    "retained_earnings_total": ["retained_brought_forward"],
    "shareholders_equity_total": ["capital", "capital_surplus_total", "retained_earnings_total"],
    "valuation_total": ["securities_valuation"],
    "net_assets_total": ["shareholders_equity_total", "valuation_total"],
}
# row totals: total movement -> the movements it adds up
NAC_ROW_SUMS = {"change_total": ["net_income", "non_equity_net"],
                "closing": ["opening", "change_total"]}
NAC_ROUNDING = {
    ("across", "opening", "shareholders_equity_total"),  # 169,352 + 625,553 − 57 = 794,848
    ("across", "opening", "net_assets_total"),  # 794,849 + 125 = 794,974 vs 794,973
    ("across", "closing", "shareholders_equity_total"),  # 794,850 vs 794,851 (as on the BS)
    ("down", "closing", "securities_valuation"),  # 125 − 19 = 106 vs 105
    ("down", "closing", "valuation_total"),  # 125 − 19 = 106 vs 105
}


def test_net_assets_matrix_as_printed(nac):
    """Test that every cell of the matrix holds the printed figure (or is empty where none is)."""
    assert len(nac) == len(MOVEMENTS) * len(COMPONENTS)
    for m in MOVEMENTS:
        assert [nac[(m, c)] for c in COMPONENTS] == NAC_PRINTED[m], m


def test_net_assets_matrix_sums_across(nac):
    """Test that in every row the printed totals (株主資本合計, 純資産合計 …) add up their columns."""
    for m in MOVEMENTS:
        for total, parts in NAC_COLUMN_SUMS.items():
            printed = z(NAC_PRINTED[m][COMPONENTS.index(total)])
            check(("across", m, total), printed, sum(z(nac[(m, p)]) for p in parts), NAC_ROUNDING)


def test_net_assets_matrix_sums_down(nac):
    """Test that in every column 当期変動額合計 and 当期末残高 follow from the rows above."""
    for c in COMPONENTS:
        for total, parts in NAC_ROW_SUMS.items():
            printed = z(NAC_PRINTED[total][COMPONENTS.index(c)])
            check(("down", total, c), printed, sum(z(nac[(p, c)]) for p in parts), NAC_ROUNDING)


# component -> its balance-sheet line (貸借対照表 純資産の部)
NAC_BS_LINES = {"capital": 43, "capital_reserve": 45, "capital_surplus_total": 44,
                "retained_brought_forward": 48, "retained_earnings_total": 46,
                "shareholders_equity_total": 49, "securities_valuation": 50,
                "valuation_total": 51, "net_assets_total": 52}


def test_net_assets_closing_equals_balance_sheet(nac, fs):
    """Test that 当期末残高 equals the balance sheet's net-assets lines and net income the PL's."""
    for c, line in NAC_BS_LINES.items():
        assert nac[("closing", c)] == amt(fs, ("bs", line)), c
    assert amt(fs, ("bs", 52)) == 794956
    assert nac[("net_income", "retained_brought_forward")] == amt(fs, ("pl", 30)) == 2


# ----------------------------------------------------------------------- notes

# (note, line) -> printed total, for every 計 / 差引 / 小計 line in the notes
NOTE_TOTALS = {
    ("premiums", 3): 31679,  # 収入保険料 41,426 + 支払再保険料 △9,747
    ("claims", 4): 112404,  # 115,097 − 2,693 (回収再保険金 －)
    ("commissions", 3): -1445,  # 3 − 1,448
    ("claims_reserve_provision", 3): -80276,  # △79,785 − 492
    ("uw_reserve_provision", 3): -8106,  # △115 − 7,992
    ("uw_reserve_provision", 5): 33589,  # △8,106 + 41,695
    ("interest", 4): 25851,  # 16,759 + 9,092
    ("subrogation_income", 9): 20050,
    ("subrogation_expenses", 6): 397,  # 89 + 223 + 14 + 71
    ("outstanding_claims", 4): 2337,  # 3,049 − 220 − 492
    ("uw_reserves", 3): 132977,  # 151,099 − 18,122
    ("uw_reserves", 5): 1085635,  # 132,977 + 952,657
    ("subrogated_claims", 4): 19781,
    ("cash_reconciliation", 4): 546941,  # 751,920 − 177,412 − 27,567
}
NOTE_ROUNDING = {
    ("claims_reserve_provision", 3),  # parts give −80,277
    ("uw_reserve_provision", 3),  # parts give −8,107
    ("subrogation_income", 9),  # parts give 20,049
    ("uw_reserves", 5),  # parts give 1,085,634 (as 責任準備金 on the balance sheet)
}
# the lines of each note that are not printed totals, typed in as printed
NOTE_PARTS_PRINTED = {
    "premiums": [41426, -9747], "claims": [115097, -2693, None],
    "commissions": [3, -1448], "claims_reserve_provision": [-79785, 492],
    "uw_reserve_provision": [-115, 7992, 41695],
    "interest": [16759, 9092, None],
    "subrogation_income": [10712, 1363, 52, 1271, 73, 2007, 4571, None],
    "subrogation_expenses": [89, 223, 14, None, 71],
    "outstanding_claims": [3049, 220, 492], "uw_reserves": [151099, 18122, 952657],
    "subrogated_claims": [19781, None, None],
    "cash_reconciliation": [751920, -177412, -27567],
}


def test_note_lines_as_printed(notes):
    """Test that each note's lines below its total hold the printed amounts, in order."""
    for note, parts in NOTE_PARTS_PRINTED.items():
        got = [num(r.amount_mjpy) for (n, ln), r in sorted(notes.items()) if n == note
               and (n, ln) not in NOTE_TOTALS]
        assert got == parts, note
    for key, printed in NOTE_TOTALS.items():
        assert amt(notes, key) == printed, key


def test_note_totals_reproduced_from_parts(notes):
    """Test that every printed 計 / 差引 in the notes is its parts' sum, deducted lines
    (（控除）) subtracted, within one unit only where listed."""
    seen = set()
    for (note, ln), _row in notes.items():
        kids = [k for (n, _l), k in notes.items() if n == note and k.parent_line == str(ln)]
        if not kids:
            continue
        seen.add((note, ln))
        computed = sum(int(k.sign) * z(num(k.amount_mjpy)) for k in kids)
        check((note, ln), NOTE_TOTALS[(note, ln)], computed, NOTE_ROUNDING)
    assert seen == set(NOTE_TOTALS)


def test_deducted_lines_are_the_printed_kojo_lines(notes):
    """Test that sign = -1 is on exactly the lines printed with （控除）."""
    deducted = {k for k, r in notes.items() if r.sign == "-1"}
    assert deducted == {k for k, r in notes.items() if "（控除）" in r.item_ja}
    assert len(deducted) == 5


# note line -> the statement line it must equal (typed from the report's layout)
NOTE_LINKS = {
    ("premiums", 3): ("pl", 3, 31679), ("claims", 4): ("pl", 11, 112404),
    ("commissions", 3): ("pl", 12, -1445), ("claims_reserve_provision", 3): ("pl", 13, -80276),
    ("uw_reserve_provision", 3): ("pl", 15, -8106), ("uw_reserve_provision", 4): ("pl", 16, 41695),
    ("uw_reserve_provision", 5): ("pl", 14, 33589), ("interest", 4): ("pl", 7, 25851),
    ("subrogation_income", 9): ("pl", 5, 20050), ("subrogation_expenses", 6): ("pl", 17, 397),
    ("outstanding_claims", 4): ("bs", 27, 2337), ("uw_reserves", 3): ("bs", 29, 132977),
    ("uw_reserves", 4): ("bs", 30, 952657), ("uw_reserves", 5): ("bs", 28, 1085635),
    ("subrogated_claims", 4): ("bs", 8, 19781), ("cash_reconciliation", 1): ("bs", 1, 751920),
    ("cash_reconciliation", 4): ("cf", 27, 546941),
}


def test_notes_agree_with_statements(notes, fs):
    """Test that each note's total equals its statement line: the reserves in the notes are the
    balance sheet's, the PL breakdowns the PL's, the cash note the CF's closing cash."""
    links = {k: (r.statement, int(r.statement_line)) for k, r in notes.items() if r.statement}
    assert links == {k: (st, ln) for k, (st, ln, _) in NOTE_LINKS.items()}
    for key, (st, ln, printed) in NOTE_LINKS.items():
        assert amt(notes, key) == amt(fs, (st, ln)) == printed, key


def test_reserves_on_balance_sheet(fs):
    """Test that 保険契約準備金 1,087,972 = 支払備金 2,337 + 責任準備金 1,085,635, and 責任準備金 is
    未経過保険料 132,977 + 異常危険準備金 952,657 within one unit."""
    assert amt(fs, ("bs", 26)) == 1087972 == amt(fs, ("bs", 27)) + amt(fs, ("bs", 28))
    check("責任準備金", 1085635, amt(fs, ("bs", 29)) + amt(fs, ("bs", 30)), {"責任準備金"})


def test_cuba_fund_and_single_line_notes(notes, fs):
    """Test the single-figure notes: the Cuba fund 27,567 in both cash and deposits received
    (no more than either balance sheet line), unlisted securities 2,259, depreciation 952."""
    assert amt(notes, ("cuba_fund", 1)) == amt(notes, ("cuba_fund", 2)) == 27567
    assert 27567 <= amt(fs, ("bs", 1)) and 27567 <= amt(fs, ("bs", 34))
    assert -amt(notes, ("cash_reconciliation", 3)) == 27567  # その他の預金 is the same fund
    assert amt(notes, ("unlisted_securities", 1)) == 2259
    assert amt(notes, ("accumulated_depreciation", 1)) == 952


# ------------------------------------------------------- held-to-maturity bonds

# 満期保有目的の債券 (注1): (group, kind) -> (計上額, 時価, 差額) as printed
HTM_PRINTED = {
    ("above_book", "jgb"): (204374, 211547, 7174),
    ("above_book", "local"): (None, None, None),
    ("above_book", "corporate"): (None, None, None),
    ("above_book", "foreign"): (62915, 63698, 783),
    ("not_above_book", "jgb"): (101120, 93010, -8110),
    ("not_above_book", "local"): (146500, 140542, -5958),
    ("not_above_book", "corporate"): (524200, 504395, -19805),
    ("not_above_book", "foreign"): (69497, 67911, -1586),
}
HTM_SUBTOTALS = {"above_book": (267288, 275245, 7956), "not_above_book": (841317, 805858, -35459)}
HTM_TOTAL = (1108605, 1081103, -27503)  # 合計, and 満期保有目的の債券 / 資産計 in the table above it
HTM_ROUNDING = {
    ("diff", "above_book", "jgb"),  # 211,547 − 204,374 = 7,173 vs 7,174
    ("sub", "above_book", 0),  # 204,374 + 62,915 = 267,289 vs 267,288
    ("sub", "above_book", 2),  # 7,174 + 783 = 7,957 vs 7,956
    ("diff", "total"),  # 1,081,103 − 1,108,605 = −27,502 vs −27,503
}


@pytest.fixture(scope="module")
def htm():
    df = load("htm_bonds")
    return {(r.fair_value_group, r.kind): (num(r.book_value_mjpy), num(r.fair_value_mjpy),
                                           num(r.difference_mjpy)) for r in df.itertuples()}


def test_htm_cells_as_printed(htm):
    """Test that every held-to-maturity cell holds the printed figure."""
    assert htm == HTM_PRINTED


def test_htm_subtotals_totals_and_differences(htm):
    """Test that 小計 and 合計 add up per column and 差額 = 時価 − 計上額 (listed cells ±1)."""
    for key, (book, fair, diff) in htm.items():
        if book is not None:
            check(("diff",) + key, diff, fair - book, HTM_ROUNDING)
    for group, printed in HTM_SUBTOTALS.items():
        for i in range(3):
            computed = sum(z(v[i]) for (g, _k), v in htm.items() if g == group)
            check(("sub", group, i), printed[i], computed, HTM_ROUNDING)
    for i in range(3):
        assert HTM_TOTAL[i] == HTM_SUBTOTALS["above_book"][i] + HTM_SUBTOTALS["not_above_book"][i]
    check(("diff", "total"), HTM_TOTAL[2], HTM_TOTAL[1] - HTM_TOTAL[0], HTM_ROUNDING)


def test_htm_printed_subtotals_and_total_rows():
    """Test that htm_bond_totals holds the printed 小計 and 合計 rows, cell for cell."""
    df = load("htm_bond_totals")
    got = {r.fair_value_group: (num(r.book_value_mjpy), num(r.fair_value_mjpy),
                                num(r.difference_mjpy)) for r in df.itertuples()}
    assert got == {**HTM_SUBTOTALS, "all": HTM_TOTAL}


def test_htm_and_unlisted_make_the_balance_sheet_securities(htm, notes, fs):
    """Test that 有価証券 1,110,864 = held-to-maturity 1,108,605 + unlisted 2,259, and each kind
    matches the balance sheet (外国証券 includes the unlisted investment; 国債 within one)."""
    unlisted = amt(notes, ("unlisted_securities", 1))
    assert HTM_TOTAL[0] + unlisted == amt(fs, ("bs", 3)) == 1110864
    by_kind = {k: sum(z(v[0]) for (_g, kk), v in htm.items() if kk == k)
               for k in ("jgb", "local", "corporate", "foreign")}
    check("国債", 305493, by_kind["jgb"], {"国債"})  # 204,374 + 101,120 = 305,494
    assert amt(fs, ("bs", 4)) == 305493
    assert by_kind["local"] == amt(fs, ("bs", 5)) == 146500
    assert by_kind["corporate"] == amt(fs, ("bs", 6)) == 524200
    assert by_kind["foreign"] + unlisted == amt(fs, ("bs", 7)) == 134671


# --------------------------------------------------------------- redemptions

def test_redemption_schedule_as_printed():
    """Test the redemption schedule (注2): each bucket as printed; the 合計 row repeats it."""
    df = load("bond_redemptions")
    got = [num(a) for a in df.sort_values("sort", key=lambda s: s.astype(int))["amount_mjpy"]]
    printed_total_row = [110881, 204362, 288673, 456570, 47700, None]  # 合計
    assert got == printed_total_row
    assert set(df["asset"]) == {"htm_bonds"}
    # amounts due are face values, not the amortised book value: no equality is printed
    assert sum(z(x) for x in got) == 1108186
