"""The findings' editorial rules (EDITORIAL.md), each held on the real data and on a planted case.

The figures are worked out here from the CSVs or typed from the report, not from the app's
queries: Europe's claims FY2023 4,221 and FY2024 106,971 百万円; Overseas Investment Insurance's
claims FY2023 17 and FY2024 60,603 百万円.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from nexidash import findings, i18n, paths
from nexidash.view import View


@pytest.fixture(scope="module")
def found():
    return {lang: findings.findings(View(lang)) for lang in i18n.LANGS}


def test_the_reports_records_and_stories_lead(found):
    """Test that the report's two records come first, then the four stories it explains, each
    citing where the report states it."""
    for lang, items in found.items():
        assert [f.kind for f in items[:6]] == ["record"] * 2 + ["story"] * 4, lang
        assert all(f.cite for f in items[:6])
    en = [str(f.text) for f in found["en"][:6]]
    assert en[0].startswith("Claims paid in FY2024 came to about ¥115.1 billion, the largest")
    assert "political-risk claims came to about ¥84.6 billion, up from about ¥1.6 billion" in en[2]
    assert "Iraq, about ¥8.3 billion" in en[3] and "Argentina, about ¥4.7 billion" in en[3]
    assert "catastrophe reserve" in en[4] and "¥41.7 billion" in en[4]
    assert "about ¥108.9 trillion, up 5.9%" in en[5]


def test_one_finding_per_subject_and_measure(found):
    """Test that no subject (a region or product) and measure has two findings."""
    for lang, items in found.items():
        subjects = Counter(f.subject for f in items if f.kind not in ("record", "story"))
        assert [s for s, n in subjects.items() if n > 1] == [], lang


def test_a_high_joins_its_rise_as_a_clause(found):
    """Test that Europe's claims, both the largest rise and a five-year high, are one finding
    that says both."""
    europe = [f for f in found["en"] if f.subject == ("region", "europe", "claims_paid")]
    assert len(europe) == 1
    assert "It was the highest of the 5 years from FY2020." in europe[0].text


def test_materiality_floor(found):
    """Test that every computed finding's amount reaches ¥1 billion and 1% of its total: a few
    tens of millions is never news."""
    for f in found["en"]:
        if f.kind in ("record", "story", "share"):  # a share's part: the share test
            continue
        amounts = [x for x in f.text.figs if x.unit == "mjpy"]
        assert max(abs(x.value) for x in amounts) >= findings.MATERIAL_MJPY, str(f.text)


def test_base_effects_give_both_amounts():
    """Test that a rise from a small base gives both amounts and no rate (Overseas Investment
    Insurance's claims: from 1,700万円 / ¥17 million to ¥60.6 billion), and never reads 'by X
    to X'."""
    for lang in i18n.LANGS:
        items = findings.findings(View(lang))
        oii = next(f for f in items if f.subject == ("product", "overseas_investment",
                                                     "claims_paid"))
        assert not any(x.unit == "pct" for x in oii.text.figs), str(oii.text)
        amounts = [x.value for x in oii.text.figs if x.unit == "mjpy"]
        assert amounts == [60603, 17], str(oii.text)
        for f in items:
            diffs = [x.text for x in f.text.figs if x.source == ("op", "abs_diff")]
            levels = [x.text for x in f.text.figs if x.source[0] == "cell"]
            assert not set(diffs) & set(levels), str(f.text)


def test_share_shifts_that_mirror_the_total_are_not_findings(found):
    """Test that South America's claims share (44.9% to 2.5%, while its own claims fell far less
    than the total rose) is not a share finding, and that every share finding's part moved the
    same way as its share, by at least the floor."""
    for f in found["en"]:
        assert f.kind != "share" or f.subject != ("region", "south_america", "claims_paid")
    rows = pd.read_csv(paths.TABLES_DIR / "region_stats.csv")
    rows = rows[rows["risk"] == "total"].set_index(["region", "measure", "fiscal_year"])
    for f in found["en"]:
        if f.kind == "share" and f.subject[0] == "region":
            _, region, measure = f.subject
            own = rows.loc[(region, measure, 2024), "amount_mjpy"] - \
                rows.loc[(region, measure, 2023), "amount_mjpy"]
            assert abs(own) >= findings.MATERIAL_MJPY, str(f.text)
            assert (own > 0) == ("rose" in f.text), str(f.text)


def test_both_languages_round_each_amount_the_same_way(found):
    """Test that the Japanese and English findings print the same figures, each stating the
    same rounded amount: 約1,070億円 and about ¥107.0 billion; 約5億2,000万円 and ¥520 million."""
    from nexidash import prose

    for ja, en in zip(found["ja"], found["en"]):
        assert ja.subject == en.subject
        pairs = list(zip(ja.text.figs, en.text.figs))
        assert [a.value for a, _ in pairs] == [b.value for _, b in pairs]
        for a, b in pairs:
            if a.unit in ("mjpy", "oku", "pct") and a.text and b.text:
                assert prose.parse(a)[0] == prose.parse(b)[0], (a.text, b.text)
    # And the formatter itself, where the steps once differed (5億円 beside ¥520 million).
    for mjpy in (2, 17, 520, 999, 4221, 949_999, 950_000, 7_602_398):
        ja, en = (prose.money(mjpy, lang, op="sum", inputs=()) for lang in ("ja", "en"))
        assert prose.parse(ja)[0] == prose.parse(en)[0], (ja.text, en.text)


def test_planted_immaterial_and_duplicate_findings_are_dropped():
    """Test that the rules reject a planted finding below the floor and merge a planted second
    finding on the same subject."""
    assert not findings._material(999, 100_000)
    assert not findings._material(5_000, 1_000_000)  # ¥5 billion, 0.5% of ¥1 trillion
    assert findings._material(5_000, 100_000)
    v = View("en")
    real = next(f for f in findings.findings(v) if f.kind == "fall")
    twin = findings.Finding("share", real.text, real.table, real.method, real.score + 1,
                            real.page, real.params, real.subject)
    assert findings._one(v, [real, twin]).kind == "fall"


def test_findings_are_computed_from_the_tables(found):
    """Test that the largest claims rise by region is Europe's, from the amounts the tables give
    (FY2023 4,221 and FY2024 106,971 百万円), worded from both amounts (a base effect)."""
    rise = next(f for f in found["en"] if f.kind == "rise"
                and f.params.get("measure") == "claims_paid" and "region" in f.params)
    assert rise.params["region"] == "europe" and rise.page == "regions"
    assert "rose from about ¥4.2 billion in FY2023 to about ¥107.0 billion in FY2024" in rise.text


def test_no_span_runs_from_a_year_to_itself():
    """Test that no finding or method of any year names a span from a year to itself
    (2020年度〜2020年度, FY2020–FY2020): the years compared are the data's, not the page's."""
    import re

    same = re.compile(r"(\d{4})年度〜\1年度|FY(\d{4})–FY\2")
    for lang in i18n.LANGS:
        for year in View(lang).years:
            for f in findings.findings(View(lang, year)):
                assert not same.search(f.method) and not same.search(f.text), (year, f.method)
