"""What a public deployment relies on, read from the files: server settings, HTML, SQL.

- `.streamlit/config.toml` keeps XSRF protection on, hides error details and the developer
  toolbar from visitors, and sends no usage statistics.
- No data or URL text reaches HTML unescaped. `unsafe_allow_html=True` is used nowhere (so
  Markdown never passes HTML through), and `st.html` / `components.html` take a single string
  literal or constants (app.py's stylesheets), with one exception: the renderer's tables,
  whose markup comes from tables.html, which escapes every header and cell (tested below with
  hostile text). So the rule is: `unsafe_allow_html=True` never; `st.html` only with
  constants or tables.html.
- No SQL is built with f-strings, `%` or `.format` and passed to `execute` / `sql` / `query`
  in the modules that serve pages (nexidash/db.py, app.py, pages/): every query is a file
  in queries/ with `$named` parameters. (nexidash/build.py builds DDL from schema.py's
  identifiers, never from a visitor, and is not served.)
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVED = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "nexidash").glob("*.py")])
QUERY_RUNNERS = sorted([ROOT / "app.py", ROOT / "nexidash" / "db.py", *(ROOT / "pages").glob("*.py")])


@pytest.fixture(scope="module")
def config() -> dict:
    with open(ROOT / ".streamlit" / "config.toml", "rb") as fh:
        return tomllib.load(fh)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_xsrf_protection_on(config):
    """Test that the server keeps Streamlit's XSRF protection switched on."""
    assert config["server"]["enableXsrfProtection"] is True


def test_error_details_hidden(config):
    """Test that visitors see no exception details (the server log keeps them)."""
    assert config["client"]["showErrorDetails"] in ("none", False)


def test_toolbar_for_viewers_only(config):
    """Test that the toolbar offers visitors no developer options."""
    assert config["client"]["toolbarMode"] in ("viewer", "minimal")


def test_no_usage_statistics(config):
    """Test that the browser sends Streamlit no usage statistics."""
    assert config["browser"]["gatherUsageStats"] is False


def test_served_files_found():
    """Test that the source scans below look at the app, every page and the package."""
    names = {_rel(p) for p in SERVED}
    assert {"app.py", "nexidash/render.py", "nexidash/db.py", "pages/overview.py",
            "pages/regions.py", "pages/sme.py"} <= names


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _callee(call: ast.Call) -> str:
    return ast.unparse(call.func)


@pytest.mark.parametrize("path", SERVED, ids=_rel)
def test_no_unsafe_allow_html(path):
    """Test that no Streamlit call in the file passes unsafe_allow_html=True."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    bad = [f"{_rel(path)}:{c.lineno}" for c in _calls(tree) for kw in c.keywords
           if kw.arg == "unsafe_allow_html"
           and not (isinstance(kw.value, ast.Constant) and kw.value.value is False)]
    assert not bad, bad
    assert "unsafe_allow_html=True" not in source.replace(" ", "")


# The one place that builds HTML: the renderer's tables, from tables.html, which escapes every
# text it puts in (tested below with hostile cells). The stylesheet is constants joined
# (appstyle.css: tables.CSS and the module's own); the
# room held for late-drawn elements (room.reserved_space) is class selectors and heights.
# Anything else must be a constant.
# The language script's tag takes the static prefix (server configuration) and the view's
# language, which urlstate.lang() only returns from i18n.LANGS.
BUILT_HTML = {
    # tables.html's output for a Table block or a chart's table view, made once per
    # remembered page (render._table_html), and for the numbers behind a table.
    ("nexidash/render.py", "_table_html(block, v)"),
    ("nexidash/render.py", "_table_html(block, v, block.height)"),
    ("nexidash/render.py", "tables.html(data, lang, labels, country_href=lambda iso3: "
                           "urls.app_link(lang, urls.COUNTRY_PAGE, {'iso3': iso3}))"),
    ("app.py", "'<style>' + appstyle.css() + '</style>'"),
    # Rules of class selectors and pixel heights only (held below for every view): the
    # remembered page's room.reserved_space(blocks, urlstate.widget_key), made in render._built.
    ("nexidash/render.py", "reserved"),
    ("app.py", 'f\'<script src="{render.static_prefix()}js/lang.js" '
               'data-nexi-lang="{urlstate.lang()}"></script>\''),
}


@pytest.mark.parametrize("path", SERVED, ids=_rel)
def test_raw_html_only_from_constants(path):
    """Test that st.html and components.html receive a constant, or tables.html's output."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for call in _calls(tree):
        name = _callee(call)
        if not re.search(r"(^|\.)html$", name) or name.startswith("html."):
            continue  # html.escape(...) and friends are fine
        if name == "tables.html":
            continue  # the builder itself, which escapes (tested below)
        args = call.args + [kw.value for kw in call.keywords]
        assert len(args) >= 1, f"{_rel(path)}:{call.lineno}"
        body = call.args[0] if call.args else call.keywords[0].value
        if (_rel(path), ast.unparse(body)) in BUILT_HTML:
            continue
        assert isinstance(body, ast.Constant) and isinstance(body.value, str), (
            f"{_rel(path)}:{call.lineno}: {name}() with a non-constant body")


def test_the_room_held_on_a_page_is_selectors_and_heights_only(built_db):
    """Test that the stylesheet holding each view's room is class selectors and pixel heights,
    nothing a page's data could turn into markup."""
    from nexidash import room, site, urlstate
    from tests.helpers import every_view

    import inspect

    from nexidash import render

    # What render.page draws in the sidebar as `reserved` is this function's output.
    assert "room.reserved_space(blocks, urlstate.widget_key)" in inspect.getsource(render._built)
    rule = r"\.st-key-[A-Za-z0-9_-]+( \[data-testid=stElementContainer\])?\{min-height:\d+px\}"
    rules = 0
    for page in site.PAGES:
        for _, _, _, blocks in every_view(page):
            css = room.reserved_space(blocks, urlstate.widget_key)
            assert re.fullmatch(f"<style>({rule})*</style>", css), (page.path, css[:300])
            rules += css.count("{")
    assert rules > 100


HOSTILE_CELLS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "&lt;b&gt;",
                 "</td></tr></table><iframe src=//x>", "'; --", "\u202eevil"]


def test_table_html_escapes_every_cell_and_header(monkeypatch):
    """Test that tables.html turns hostile headers and cells into text, never into markup."""
    import pandas as pd

    from nexidash import i18n, tables
    from tests.helpers import shown_text

    monkeypatch.setattr(i18n, "translate", lambda lang, key, **_: '<x aria="')
    frame = pd.DataFrame({h: HOSTILE_CELLS for h in HOSTILE_CELLS})
    markup = tables.html(frame, "en", labels={h: h for h in HOSTILE_CELLS}, height=420)
    tags = re.findall(r"<\s*([a-zA-Z]+)", markup)
    assert set(tags) <= {"div", "table", "thead", "tbody", "tr", "th", "td"}, set(tags)
    back = shown_text(markup)
    assert list(back.columns) == HOSTILE_CELLS
    assert back.to_numpy().tolist() == [[c] * len(HOSTILE_CELLS) for c in HOSTILE_CELLS]


def _is_built_string(node: ast.AST) -> bool:
    """An f-string, `%`-formatting, `+` concatenation or `.format()` call."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return True
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format")


@pytest.mark.parametrize("path", QUERY_RUNNERS, ids=_rel)
def test_no_sql_built_from_strings(path):
    """Test that execute/sql/query never receive SQL built with f-strings or formatting."""
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\b(execute|executemany|sql|query)\(\s*(?:[fF][rR]?|[rR][fF])[\"']", source)
    tree = ast.parse(source)
    bad = []
    for call in _calls(tree):
        if isinstance(call.func, ast.Attribute) and call.func.attr in (
                "execute", "executemany", "sql", "query"):
            if call.args and _is_built_string(call.args[0]):
                bad.append(f"{_rel(path)}:{call.lineno}")
    assert not bad, bad


def test_queries_take_named_parameters_only():
    """Test that db.run passes visitor values as bound parameters, never into the SQL text."""
    from nexidash import db

    # A value shaped like an injection is compared as a value: it matches nothing.
    rows = db.run("region_measure_year", measure="underwriting' OR '1'='1", risk="total",
                  fiscal_year=2024)
    assert rows.empty
    assert len(db.run("region_measure_year", measure="underwriting", risk="total",
                      fiscal_year=2024)) == 9
    for sql_file in sorted((ROOT / "queries").glob("*.sql")):
        text = sql_file.read_text(encoding="utf-8")
        assert "{" not in text and "%s" not in text, sql_file.name
