"""Every number the site writes in a sentence traces to a figure, at its stated rounding.

The generated sentences (chart summaries, press sentences, findings) are `prose.Prose`: text
that carries its figures. For every view of every page and every year, in both languages, each
number in a sentence must be printed by one of its figures; each figure's text must state its
value at its rounding; a derived figure must follow from its inputs; and each input must be
held by the database (a table cell) or by the chart's own data, the table a reader downloads.
The report's own statements (NEXI's "third highest since 2017") are looked up in the report.

The report's rules are held here too: a regional sum of underwriting or outstanding is never
printed as a figure (regions double count, the report's note 2), and a chart that stacks those
regions says so.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from nexidash import blocks as b
from nexidash import findings, i18n, press, prose, site
from nexidash.prose import Fig, Prose
from nexidash.view import View

from tests.helpers import every_view

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_34803cd1d71dce87.txt"
TABLES = Path(__file__).resolve().parents[1] / "data" / "tables"


@pytest.fixture(scope="module")
def lookup():
    """A cell of a public table, read from its CSV in data/tables (the database is built from
    these files, so the figure is checked against what the report's transcription holds)."""
    frames: dict[str, pd.DataFrame] = {}
    held: dict = {}

    def cell(table: str, key: dict, column: str):
        memo = (table, tuple(sorted(key.items())), column)
        if memo not in held:
            held[memo] = _cell(table, key, column)
        return held[memo]

    def _cell(table: str, key: dict, column: str):
        if table not in frames:
            frames[table] = pd.read_csv(TABLES / f"{table}.csv", dtype=str,
                                        keep_default_na=False)
        rows = frames[table]
        for k, value in key.items():
            rows = rows[rows[k] == str(value)]
        return rows[column].iloc[0] if len(rows) == 1 and rows[column].iloc[0] != "" else None

    return cell


@pytest.fixture(scope="module")
def report():
    """The report's text without whitespace (the PDF's line breaks fall anywhere), if present."""
    if not SEED.exists():
        return None
    return re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))


def _sentences(v: View):
    yield from ((s.text, None) for s in press.sentences(v))
    yield from ((f.text, None) for f in findings.findings(v))


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_press_sentences_and_findings_trace_every_number(lang, lookup, report):
    """Test that every number in every press sentence and finding, every year, is a figure
    held by the database at its stated rounding."""
    seen = 0
    for year in View(lang).years:
        v = View(lang, year)
        for text, chart in _sentences(v):
            assert prose.problems(text, lookup, chart, report) == [], (year, str(text))
            seen += len(text.figs)
    assert seen > 100


# Pages whose measure cards are the report's amounts: each card is a figure with its source.
AMOUNT_CARDS = {"overview", "regions", "country"}


def _cards(blocks):
    """The measure cards that print a number (not a rank), with their value and change."""
    for block in b.walk(blocks):
        if isinstance(block, b.Metrics):
            for card in block.items:
                if re.search(r"\d", str(card.value)) and not str(card.value).startswith("#"):
                    yield card


@pytest.mark.parametrize("page", site.PAGES, ids=lambda p: p.path)
def test_every_summary_and_card_of_every_view_traces_its_numbers(page, lookup, report):
    """Test that every chart summary of every view of a page, in both languages, prints only
    figures held by the chart's own data or the tables at their stated rounding, and that the
    amount cards (overview, regions, the country view) are such figures too."""
    for lang, overrides, _, blocks in every_view(page):
        for block in b.walk(blocks):
            if isinstance(block, b.Chart) and block.summary:
                found = prose.problems(block.summary, lookup, block.data, report)
                assert found == [], (page.path, lang, overrides, block.key, found)
        for card in _cards(blocks):
            for text in (card.value, card.delta):
                if text is not None and (page.path in AMOUNT_CARDS or isinstance(text, Prose)):
                    found = prose.problems(text, lookup, None, report)
                    assert found == [], (page.path, lang, overrides, card.label, found)


def _regional_sums(fig: Fig, chart_sums: bool = False):
    """The sums of regional underwriting or outstanding in a figure; with `chart_sums`, any
    sum of a chart's cells too (on the regions page, under those measures)."""
    if fig.source == ("op", "sum"):
        leaves = [f.source for f in fig.inputs if f.source[0] == "cell"]
        if any(s[1] == "region_stats" and dict(s[2]).get("measure") in
               ("underwriting", "outstanding") for s in leaves):
            yield fig
        elif chart_sums and fig.inputs and all(f.source[0] == "chart" for f in fig.inputs):
            yield fig
    for f in fig.inputs:
        yield from _regional_sums(f, chart_sums)


def test_no_sentence_prints_a_regional_sum_of_double_counted_measures():
    """Test that no figure in any summary, press sentence or finding is a sum over regions of
    underwriting or outstanding (the report's note 2: such a sum is not a total)."""
    regions = next(p for p in site.PAGES if p.path == "regions")
    for lang in i18n.LANGS:
        for text, _ in _sentences(View(lang)):
            assert not [s for f in text.figs for s in _regional_sums(f)], str(text)
        for measure in ("underwriting", "outstanding"):
            view = View(lang, chooser=lambda c, m=measure: m if c.key == "measure"
                        else c.default)
            for block in b.walk(regions.load().build(view)):
                if isinstance(block, b.Chart) and isinstance(block.summary, Prose):
                    assert not [s for f in block.summary.figs
                                for s in _regional_sums(f, chart_sums=True)], (
                        block.key, str(block.summary))


def test_a_chart_stacking_double_counted_regions_says_so():
    """Test that the regions trend, stacking every region's underwriting or outstanding, notes
    that the stack is taller than the report's total and why."""
    regions = next(p for p in site.PAGES if p.path == "regions")
    for lang in i18n.LANGS:
        for measure in ("underwriting", "outstanding", "claims_paid"):
            view = View(lang, chooser=lambda c, m=measure: m if c.key == "measure"
                        else c.default)
            trend = next(x for x in b.walk(regions.load().build(view))
                         if isinstance(x, b.Chart) and x.key == "region_trend")
            said = i18n.translate(lang, "describe.stack_note") in (trend.note or "")
            assert said == (measure != "claims_paid"), (lang, measure, trend.note)
            # And its sentence gives the printed total, never the taller stack.
            total = View(lang).q("headline_totals")
            total = total[(total["measure"] == measure) & (total["risk"] == "total")
                          & (total["fiscal_year"] == view.report_year)]["amount_mjpy"].iloc[0]
            assert any(f.value == Decimal(int(total)) for f in trend.summary.figs), (
                lang, measure, str(trend.summary))


# -- the checker itself fails on planted errors ------------------------------------------------
def _claims(lang: str) -> Prose:
    return press.sentences(View(lang))[3].text


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_planted_wrong_amount_fails(lang, lookup):
    """Test that a sentence whose amount was edited (1,151 to 1,161) fails the check."""
    good = _claims(lang)
    assert prose.problems(good, lookup) == []
    wrong = good.replace("1,151", "1,161").replace("115.1", "116.1")
    bad = Prose(wrong, [Fig(f.value, f.unit, f.text.replace("1,151", "1,161")
                            .replace("115.1", "116.1"), f.source, f.inputs) for f in good.figs])
    assert any("states" in p for p in prose.problems(bad, lookup))


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_planted_number_without_a_figure_fails(lang, lookup):
    """Test that a number typed into a sentence, with no figure behind it, fails the check."""
    good = _claims(lang)
    bad = prose.join((good, Prose("ほか12件。" if lang == "ja" else "And 12 more.")))
    assert any("has no figure" in p for p in prose.problems(bad, lookup))


def test_a_planted_wrong_source_and_wrong_derivation_fail(lookup):
    """Test that a figure claiming a cell that holds another value fails, and that a change
    whose inputs do not give it fails."""
    good = _claims("en")
    amount = good.figs[0]
    moved = Fig(amount.value, amount.unit, amount.text,
                ("cell", "report_totals", (("fiscal_year", 2023), ("measure", "claims_paid"),
                                           ("risk", "total")), "amount_mjpy"))
    assert any("holds" in p for p in prose.problems(Prose(str(good), [moved]), lookup))
    rate = good.figs[1]
    twisted = Fig(rate.value, rate.unit, rate.text, rate.source, tuple(reversed(rate.inputs)))
    assert any("change_pct" in p for p in prose.problems(Prose(str(good), [amount, twisted]),
                                                         lookup))


def test_a_planted_sum_of_regions_is_caught():
    """Test that the report-rule check finds a sum of regional underwriting printed as a figure,
    and lets a sum of regional claims pass (claims are counted once)."""
    def cells(measure):
        return [Fig.cell(100, "mjpy", "", "region_stats",
                         {"region": r, "measure": measure, "risk": "total",
                          "fiscal_year": 2024}, "amount_mjpy") for r in ("asia", "europe")]
    planted = Fig.derived("sum", 200, "mjpy", "約2億円", *cells("underwriting"))
    assert list(_regional_sums(planted)) == [planted]
    assert list(_regional_sums(Fig.derived("sum", 200, "mjpy", "約2億円",
                                           *cells("claims_paid")))) == []


def test_report_statements_are_in_the_report(lookup, report):
    """Test that a statement of the report's own (the third-highest record) is found in the
    report, and a planted one is not."""
    if report is None:
        pytest.skip(f"the report's text is not beside the checkout ({SEED})")
    for lang in i18n.LANGS:
        record = findings.records(View(lang))[1].text
        assert any(f.source[0] == "report" for f in record.figs)
        assert prose.problems(record, lookup, None, report) == []
    fake = Fig(Decimal(2), "count", "2番目", ("report", "x", "2017年度の株式会社化以来2番目の高水準"))
    assert prose.problems(Prose("2番目", [fake]), None, None, report)



# Numbers in the release and the answers that are not figures of the data: the questions'
# numbers, the data version (a hash), the licence's version and the law's article.
NOT_FIGURES = re.compile(r"Q\d+\.|[0-9a-f]{12}|CC BY 4\.0|Attribution 4\.0|by/4\.0/"
                         r"|Article 22|第22条")


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_press_release_and_answers_trace_every_number(lang, lookup, report):
    """Test that every number in the release draft and the likely questions is one of the
    figures they are built from (the kit's own, the press sentences' and the findings'), held
    by the tables at its stated rounding."""
    from nexidash import presskit_release as release

    v = View(lang)
    figures = [x for x in release._values(v).values() if isinstance(x, Fig)]
    figures += [x for x in release.Figures(v).company().values() if isinstance(x, Fig)]
    figures += [f for s in _sentences(v) for f in s[0].figs]
    for doc in (release.release_markdown(v, release.Settings.from_env()),
                release.qa_markdown(v)):
        text = NOT_FIGURES.sub(lambda m: "#" * len(m.group()), doc)
        used = [f for f in figures if f.text and f.text in text]
        assert prose.problems(Prose(text, used), lookup, None, report) == []
