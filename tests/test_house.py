"""The house rules that keep one place for each decision.

Pages are data: `build(view)` returns blocks and makes no Streamlit call, so the same blocks can
be drawn by another renderer. These tests build every page, in both languages and with every
option of every control, through a plain View with no Streamlit in the loop, and read the page
files for what must not be in them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from nexidash import blocks as b
from nexidash import i18n, site, tables
from nexidash.view import View
from tests.helpers import every_view

ROOT = Path(__file__).resolve().parents[1]
# The Streamlit edge: the router, the renderer and the URL-bound state. serve_static.py reads the
# installed Streamlit's static folder and version, nothing of its API.
STREAMLIT_EDGE = {"app.py", "nexidash/render.py", "nexidash/urlstate.py", "nexidash/serve_static.py"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _page_body(path: Path) -> str:
    """A page file without its docstring and the two lines that hand it to the renderer."""
    text = path.read_text(encoding="utf-8")
    return text.split('if __name__ == "__main__":')[0]


def test_only_the_streamlit_edge_imports_streamlit():
    """Test that no module outside the router, renderer and URL state imports streamlit."""
    files = [ROOT / "app.py", *sorted((ROOT / "nexidash").glob("*.py"))]
    offenders = {str(f.relative_to(ROOT)) for f in files if "streamlit" in _imports(f)}
    assert offenders <= STREAMLIT_EDGE, offenders - STREAMLIT_EDGE
    for page in site.PAGES:
        assert "streamlit" not in _imports(ROOT / page.script), page.script


@pytest.mark.parametrize("page", site.PAGES, ids=lambda p: p.path)
def test_page_file_holds_no_sql_html_year_or_language_column(page):
    """Test that a page file has no SQL, no HTML, no literal fiscal year and no _ja/_en column."""
    body = _page_body(ROOT / page.script)
    assert not re.search(r"\b(SELECT|FROM|WHERE|JOIN)\b", body), "SQL belongs in queries/"
    # <extra> is Plotly's hover-template tag for the trace's name, not HTML.
    markup = re.sub(r"</?extra>", "", body)
    assert not re.search(r"<[a-zA-Z/][^>]*>", markup), "HTML belongs in tables.py or charts.py"
    assert not re.search(r"\b20[0-3]\d\b", body), "the year comes from the view"
    assert not re.search(r"_(ja|en)\b", body), "the language's column comes from View.col"
    assert "render.page(build)" in (ROOT / page.script).read_text(encoding="utf-8")


def _chooser(overrides: dict):
    return lambda control: overrides.get(control.key, control.default)


def _build(page, lang: str, overrides: dict | None = None) -> tuple[View, list]:
    v = View(lang, overrides.get("year") if overrides else None,
             chooser=_chooser(overrides or {}))
    return v, page.load().build(v)


def _tables(blocks):
    for block in b.walk(blocks):
        if isinstance(block, (b.Chart, b.Table, b.Data)):
            yield block.data, block.labels


@pytest.mark.parametrize("page", site.PAGES, ids=lambda p: p.path)
def test_every_view_builds_blocks_without_streamlit(page, built_db):
    """Test that every view of a page, in both languages, builds with no Streamlit present and
    that every control it chose is placed on the page."""
    for _, overrides, v, blocks in every_view(page):
        assert isinstance(blocks[0], b.Heading) and blocks[0].level == 1
        placed = {c.key for block in b.walk(blocks) if isinstance(block, b.Controls)
                  for c in block.items}
        assert set(v.chosen) <= placed, (overrides, set(v.chosen) - placed)


@pytest.mark.parametrize("page", site.PAGES, ids=lambda p: p.path)
def test_every_table_header_is_translated(page, built_db):
    """Test that no table or chart data shows a raw column name as its header."""
    for lang, overrides, _, blocks in every_view(page):
        for data, labels in _tables(blocks):
            raw = [c for c in data.columns if tables.header(str(c), lang, labels) == str(c)]
            assert not raw, (page.path, lang, overrides, raw)


def test_plots_of_one_chart_have_distinct_codes(built_db):
    """Test that a chart's plots can be told apart in the URL and in file names."""
    for page in site.PAGES:
        _, blocks = _build(page, "en")
        for block in b.walk(blocks):
            if isinstance(block, b.Chart):
                codes = [p.code for p in block.plots]
                assert codes and len(codes) == len(set(codes)) and "table" not in codes


@pytest.mark.parametrize("page", [p.path for p in site.PAGES])
def test_every_chart_says_what_it_shows(page):
    """Test that every chart of every page carries a one-sentence summary made from its figures, in both languages."""
    for lang in i18n.LANGS:
        for block in b.walk(site.PAGES[[p.path for p in site.PAGES].index(page)].load().build(
                View(lang))):
            if isinstance(block, b.Chart):
                assert block.summary and block.summary.strip(), (page, lang, block.key)
                assert "{" not in block.summary, (page, lang, block.key, block.summary)


# Charts about things the glossary has no entry for (Japan's exports, environmental screening,
# the SME network's banks, cash flows).
NO_TERMS = {"japan_exports", "env_screening", "sme_map", "sme_years", "fin_cash_flows"}


@pytest.mark.parametrize("page", [p.path for p in site.PAGES])
def test_charts_and_measure_cards_link_the_glossary(page):
    """Test that every chart (but those the glossary cannot explain) names its glossary entries, and that every entry named exists."""
    from nexidash import glossary

    built = site.PAGES[[p.path for p in site.PAGES].index(page)].load().build(View("en"))
    for block in b.walk(built):
        if isinstance(block, b.Chart):
            assert block.terms or block.key in NO_TERMS, (page, block.key)
            assert set(block.terms) <= set(glossary.BASE_TERMS), (page, block.key, block.terms)
        if isinstance(block, b.Metric) and block.term:
            assert block.term in glossary.BASE_TERMS, (page, block.label, block.term)


def test_both_renderers_draw_every_block_type():
    """Test that the Streamlit renderer and the edition's each have one drawer per block type
    a page may build, and no drawer for anything else."""
    from nexidash import edition_html, render

    assert set(render.DRAWERS) == set(b.BLOCKS)
    assert set(edition_html.WRITERS) == set(b.BLOCKS)


@pytest.mark.parametrize("page", [p.path for p in site.PAGES])
def test_every_block_a_page_builds_is_a_known_block_type(page):
    """Test that a page builds only block types both renderers draw (Metric and Control are
    parts of Metrics and Controls)."""
    built = site.PAGES[[p.path for p in site.PAGES].index(page)].load().build(View("ja"))
    parts = (b.Metric, b.Control)
    assert {type(x).__name__ for x in b.walk(built) if not isinstance(x, (*b.BLOCKS, *parts))} \
        == set()


def test_the_walk_reaches_the_metric_cards():
    """Test that blocks.walk yields each card of a Metrics, so the glossary check above sees
    them (it was blind while walk stopped at Metrics)."""
    built = site.DEFAULT_PAGE.load().build(View("en"))
    cards = [x for x in b.walk(built) if isinstance(x, b.Metric)]
    assert cards and any(c.term for c in cards)


def test_the_one_streamlit_internal_we_use_still_exists():
    """Test that PagesManager.uses_pages_directory, the internal flag render.ensure_router
    clears, still exists on the installed Streamlit: an upgrade that drops it fails here."""
    from streamlit.runtime.pages_manager import PagesManager

    assert hasattr(PagesManager, "uses_pages_directory")


def test_the_suites_streamlit_internal_still_exists_and_is_kept():
    """Test that the component scan the suite keeps (tests/conftest.py) is still Streamlit's
    function, and that AppTest still calls it by that name: if either changes, the suite's
    AppTests would each rescan every installed package again."""
    import inspect

    from streamlit.components.v2 import component_manager, manifest_scanner

    assert hasattr(manifest_scanner.scan_component_manifests, "cache_info")
    assert "scan_component_manifests" in inspect.getsource(
        component_manager.BidiComponentManager.discover_and_register_components)


def test_no_other_module_imports_a_streamlit_internal():
    """Test that streamlit.runtime is imported in one place only, render.ensure_router."""
    users = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8").count("streamlit.runtime")
             for p in [*ROOT.glob("nexidash/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]}
    assert {k: n for k, n in users.items() if n} == {"nexidash/render.py": 1}


@pytest.mark.parametrize("page", site.PAGES, ids=lambda p: p.path)
def test_rows_of_metrics_on_a_page_have_distinct_keys(page, built_db):
    """Test that no two rows of metrics of a view share their container's key (render keys a
    row by what it shows, to hold its room before it is drawn)."""
    from nexidash import room

    for lang, overrides, _, blocks in every_view(page):
        keys = [room.metrics_key(blk) for blk in b.walk(blocks) if isinstance(blk, b.Metrics)]
        assert len(keys) == len(set(keys)), (page.path, lang, overrides)


@pytest.mark.parametrize("page", site.PAGES, ids=lambda p: p.path)
def test_tables_on_a_page_have_distinct_keys(page, built_db):
    """Test that no two tables of a view share their container's key (render keys a table by
    what it shows, to hold its room before it is drawn)."""
    from nexidash import room

    for lang, overrides, _, blocks in every_view(page):
        keys = [room.table_key(blk) for blk in b.walk(blocks) if isinstance(blk, b.Table)]
        assert len(keys) == len(set(keys)), (page.path, lang, overrides)


def test_no_module_of_the_package_is_over_400_lines():
    """Test that every module of nexidash/ stays under 400 lines (a grab-bag grows past it)."""
    long = {p.name: n for p in (ROOT / "nexidash").glob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, long


def test_both_renderers_draw_every_part_of_a_chart_in_one_order():
    """Test that the app and the static edition each draw a chart by the one list of its parts
    (blocks.CHART_ANATOMY), with a drawer for every part and none besides."""
    from nexidash import edition_html, render

    assert list(render.CHART_PARTS) == list(b.CHART_ANATOMY)
    assert list(edition_html.Body.CHART_PARTS) == list(b.CHART_ANATOMY)
