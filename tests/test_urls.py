"""The URLs: one module makes them all, and they are the ones the rest of the site expects."""

from __future__ import annotations

import ast

import pytest

from nexidash import paths, urls

ROUTES = ("/app", "/d/", "/c/", "/data/", "/embed/", "/oembed/", "/changes/")


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.body and isinstance(node.body[0], ast.Expr) \
                    and isinstance(node.body[0].value, ast.Constant):
                out.add(id(node.body[0].value))
    return out


def route_literals(source: str) -> list[str]:
    """Strings in code (not docstrings) that spell a route or a page path by hand."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            if node.value.startswith(ROUTES):
                found.append(node.value)
        elif isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            if isinstance(first, ast.Constant) and (first.value == "/"
                                                    or str(first.value).startswith(ROUTES)):
                found.append(ast.unparse(node))
    return found


def test_only_the_urls_module_spells_a_route():
    """Test that no module but nexidash/urls.py writes a route of the site by hand."""
    files = [*paths.ROOT.glob("nexidash/*.py"), *paths.ROOT.glob("pages/*.py"),
             paths.ROOT / "app.py"]
    found = {f.relative_to(paths.ROOT).as_posix(): hits for f in files
             if f.name != "urls.py" and (hits := route_literals(f.read_text(encoding="utf-8")))}
    assert found == {}


def test_the_route_check_finds_a_hand_written_path():
    """Test that the check catches a page path and a download path typed by hand."""
    assert route_literals('x = f"/{lang}/{page}/"\ny = "/d/press.zip"') == [
        "f'/{lang}/{page}/'", "/d/press.zip"]
    assert route_literals('"""/app/ in a docstring is prose."""') == []


@pytest.mark.parametrize("args, path", [
    (("ja", "overview"), "/ja/overview/"),
    (("en", "regions", 2021), "/en/regions/2021/"),
    (("en", "country", None, "EGY"), "/en/country/EGY/"),
])
def test_static_page_paths(args, path):
    """Test that a static page's path has the language, the page, then its year or country."""
    assert urls.page(*args) == path


def test_a_dashboard_view_keeps_every_control_in_its_url():
    """Test that a view's dashboard URL keeps its language and controls, the default page at
    the dashboard's root, and that links between app pages stay relative."""
    assert urls.app_url("en", "overview", {"year": 2021}, default_page=True) == \
        "/app/?lang=en&year=2021"
    assert urls.app_url("ja", "country", {"iso3": "EGY"}) == "/app/country?iso3=EGY"
    assert urls.app_link("en", "country", {"iso3": "EGY"}) == "country?lang=en&iso3=EGY"
    assert urls.app_static("") == "/app/static/"


def test_a_country_view_links_to_its_own_static_page_only_if_it_has_one():
    """Test that the dashboard's "plain page" link keeps the country (the old link dropped it)
    where the edition has its page, and opens the country index otherwise."""
    known = frozenset({"EGY"})
    assert urls.static_view(known, "ja", "country", None, 2024, "EGY") == "/ja/country/EGY/"
    assert urls.static_view(known, "ja", "country", None, 2024, "ZZZ") == "/ja/country/"
    assert urls.static_view(known, "en", "regions", 2022, 2024) == "/en/regions/2022/"
    assert urls.static_view(known, "en", "regions", 2024, 2024) == "/en/regions/"
