"""The country view: what the report says about one country, found by either language's name."""

from nexidash import db
from tests.helpers import open_direct, tables


def _text(at) -> str:
    """Everything the page writes: markdown, captions, notices, bullets."""
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "info", "warning", "title", "subheader")
                     for e in at.get(kind))


def _index():
    return db.run("country_index")


def test_country_view_gathers_what_the_report_names():
    """Test that Egypt's view shows its recovery as printed (約12億円), its six list entries (four projects: LEAD 15 is also a decarbonisation and a major project) and its region's four figures."""
    at = open_direct("country", iso3="EGY")
    assert not at.exception
    text = _text(at)
    assert "エジプト" in at.title[0].value
    assert "約12億円" in text and "信用事故案件の回収金" in text
    [projects] = [tb for tb in tables(at) if "案件" in tb.columns]
    assert len(projects) == 6
    assert any(h.value == "エジプトの案件（4件）" for h in at.subheader)
    assert sorted(m.label for m in at.metric) == sorted(
        ["保険引受実績", "保険責任残高", "支払保険金", "回収金"])
    # Africa's FY2024 recoveries: 2,926 百万円 in region_stats is 29億円 at the metric's rounding.
    assert any(m.label == "回収金" and m.value == "29億円" for m in at.metric)


def test_country_view_in_english_names_exports_and_partners():
    """Test that the United States' view, in English, gives Japan's exports to it as printed and its partner agreements."""
    at = open_direct("country", iso3="USA", lang="en")
    assert not at.exception
    text = _text(at)
    assert "about ¥21.6 trillion (up 3.8% from the previous year)" in text
    partners = db.run("partner_agreements", agreement_type=None, report_group=None, iso3="USA")
    assert f"({len(partners)})" in text and len(partners) > 0


def test_country_the_report_never_names_says_so():
    """Test that a country on the map but never named in the report says so plainly and still shows its region."""
    index = _index()
    silent = index[index["mentions"] == 0]["iso3"].iloc[0]
    at = open_direct("country", iso3=silent, lang="en")
    assert not at.exception
    assert any("None of the report's tables this site checks names" in i.value for i in at.info)
    assert len(at.metric) >= 3


def test_index_lists_every_named_country_with_a_link():
    """Test that without a country the page lists every country the report names, each code a link to its view."""
    at = open_direct("country")
    index = _index()
    named = index[index["mentions"] > 0]
    html = "".join(h.value for h in at.html)
    for iso3 in named["iso3"]:
        assert f'href="country?iso3={iso3}"' in html, iso3
    assert len(named) > 50 and len(named) < len(index)


def test_tampered_country_code_falls_back_with_a_notice():
    """Test that an unknown code in the link shows the list and a notice, never the code."""
    at = open_direct("country", iso3="<script>")
    assert not at.exception
    assert "<script>" not in _text(at)
    assert any("iso3" in w.value for w in at.warning)
