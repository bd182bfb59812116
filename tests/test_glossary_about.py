"""The glossary and about pages through Streamlit's AppTest, and the glossary's links.

Expected names and figures are typed in from the report (法人概要) and the products table's
names as the report prints them; none is read back from the CSVs.
"""


import pytest

from nexidash import glossary, i18n
from nexidash.schema import PRODUCTS
from tests.helpers import open_page, tables

# The twelve products' names as the report prints them (保険種別引受実績), in both languages.
PRODUCT_NAMES_JA = {"general_trade": "貿易一般保険", "swap": "スワップ取引保険",
                    "reinsurance": "再保険", "buyer_credit": "貿易代金貸付保険"}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("page", ["glossary", "about"])
def test_page_runs(page, lang):
    """Test that the page runs in both languages with no exception or error box."""
    at = open_page(page, lang=lang)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == i18n.translate(lang, f"{page}.title")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_term_has_an_addressable_heading(lang):
    """Test that each glossary term is a heading with its own anchor, in the TERMS order, with
    its name in the page's language and a definition under it."""
    at = open_page("glossary", lang=lang)
    # Every page ends with how to cite it (its own "cite" heading), not a term.
    headings = [(h.value, h.proto.anchor) for h in at.subheader if h.proto.anchor != "cite"]
    assert [a for _, a in headings] == [glossary.anchor(t) for t in glossary.TERMS]
    texts = dict((a, v) for v, a in headings)
    for term in glossary.BASE_TERMS:
        assert texts[glossary.anchor(term)] == i18n.translate(lang, f"glossary.term.{term}")
    if lang == "ja":
        for term, name in PRODUCT_NAMES_JA.items():
            assert texts[glossary.anchor(term)] == name
        assert texts[glossary.anchor("paris_club")] == "パリクラブ"
    else:
        assert texts[glossary.anchor("eca")].startswith("ECA")
        assert all(not any("\u3040" <= ch <= "\u9fff" for ch in v) for v, _ in headings)
    shown = "\n".join(m.value for m in at.markdown)
    for term in PRODUCTS:  # the products page's own descriptions, not copies
        assert i18n.translate(lang, f"product.desc.{term}") in shown


def test_href_points_at_the_entry():
    """Test the link format: the glossary page, the language when not the default, the anchor."""
    from nexidash.view import View

    assert View("ja").term_href("paris_club") == "glossary#term-paris_club"
    assert View("en").term_href("swap") == "glossary?lang=en#term-swap"
    assert len(glossary.TERMS) == 22 + 12 and len(set(glossary.TERMS)) == len(glossary.TERMS)
    with pytest.raises(KeyError):
        View("en").term_href("no_such_term")


def test_terms_have_text_in_both_languages():
    """Test that every non-product term has a heading and definition in both catalogues."""
    for lang in ("ja", "en"):
        cat = i18n.catalogue(lang)
        for term in glossary.BASE_TERMS:
            assert cat[f"glossary.term.{term}"].strip() and cat[f"glossary.def.{term}"].strip()


RATIO_TERMS = ("loss_ratio_paid", "loss_ratio_incurred", "net_expense_ratio", "equity_ratio",
               "investment_yield")


def test_ratio_terms_name_their_report_section():
    """Test that each financial ratio's entry names the financial statements its inputs come
    from (its source line, nexidash/sources.py), in both languages."""
    from nexidash import sources

    for term in RATIO_TERMS:
        assert term in glossary.BASE_TERMS
        assert sources.FIN_STATEMENTS in sources.sections(f"glossary.def.{term}"), term


def _cells(at) -> str:
    return "\n".join(str(c) for table in tables(at) for c in table.to_numpy().ravel())


@pytest.mark.parametrize("lang, capital, employees", [
    ("ja", "1,693億5,232万4,369円", "277名"),
    ("en", "¥169,352,324,369", "277"),
])
def test_about_shows_capital_and_headcount(lang, capital, employees):
    """Test that the profile shows the capital exactly and the 277 officers and employees."""
    at = open_page("about", lang=lang)
    profile = tables(at)[0]
    rows = {r[0]: r[1] for r in profile.itertuples(index=False)}
    assert capital in rows[i18n.translate(lang, "about.item.capital")]
    assert rows[i18n.translate(lang, "about.item.employees")] in (employees, int(employees[:3]))
    cells = _cells(at)
    assert "2017-04" in cells and "1999-07" in cells


def test_about_shows_history_and_offices():
    """Test the history in date order and the five offices."""
    at = open_page("about", lang="en")
    history, offices = tables(at)[1], tables(at)[2]
    assert list(history.iloc[:, 0]) == ["1950-03", "1999-07", "1999-12", "2001-04", "2015-07",
                                        "2017-04"]
    assert set(offices.iloc[:, 3]) == {"JPN", "SGP", "FRA", "USA"} and len(offices) == 5
