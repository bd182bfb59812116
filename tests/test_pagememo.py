"""Pages remembered per view (nexidash/pagememo.py): reused only where every answer matches.

A remembered page must be the page a fresh build would draw, its controls must still be asked
(so a tampered URL still gets its notice), and a different answer anywhere must build anew.
"""

from __future__ import annotations

import re

import pytest

from helpers import open_direct
from nexidash import pagememo, render
from nexidash.blocks import Control
from nexidash.view import View

YEAR = Control("year", "year", (2023, 2024), 2024)
REGION = Control("region", "region", ("asia", "europe"), "asia")
PRODUCT = Control("product", "product", ("trade", "invest"), "trade")


class Page:
    """A page that asks the year, then a region in 2024 but a product in 2023."""

    def __init__(self):
        self.builds = 0

    def __call__(self, v: View) -> list:
        self.builds += 1
        year = v.choose(YEAR)
        second = v.choose(REGION if year == 2024 else PRODUCT)
        return [f"{year} {second}", self.builds]


class Reader:
    """A visitor's URL: the answers, and every question it was asked."""

    def __init__(self, **answers):
        self.answers, self.asked = answers, []

    def __call__(self, control: Control):
        self.asked.append(control.key)
        return self.answers.get(control.key, control.default)

    def view(self) -> View:
        return View("ja", chooser=self)


def test_the_same_answers_get_the_page_built_before():
    """Test that a second view with the same answers gets the first build, not a new one."""
    memo, page = pagememo.PageMemo(), Page()
    _, first = memo.get(("p",), Reader(year=2024, region="europe").view, page)
    v, second = memo.get(("p",), Reader(year=2024, region="europe").view, page)
    assert page.builds == 1
    assert second is first and first[0] == "2024 europe"
    assert v.chosen == {"year": 2024, "region": "europe"}


def test_a_remembered_page_still_asks_every_question():
    """Test that the view of a reused page has answered each control, as a build would have
    made it: the URL's checks and notices run on every view."""
    memo, page = pagememo.PageMemo(), Page()
    memo.get(("p",), Reader(year=2023).view, page)
    reader = Reader(year=2023)
    v, _ = memo.get(("p",), reader.view, page)
    assert page.builds == 1
    assert reader.asked == ["year", "product"]
    assert v.controls == {"year": YEAR, "product": PRODUCT}


@pytest.mark.parametrize("later", [dict(year=2024, region="asia"), dict(year=2023),
                                   dict(year=2024, region="europe")])
def test_a_different_answer_builds_the_page_anew(later):
    """Test that any answer unlike every remembered page's, first or later, builds anew."""
    memo, page = pagememo.PageMemo(), Page()
    memo.get(("p",), Reader(year=2024, region="europe").view, page)
    memo.get(("p",), Reader(**later).view, page)
    expected = 1 if later == dict(year=2024, region="europe") else 2
    assert page.builds == expected
    _, again = memo.get(("p",), Reader(**later).view, page)
    assert page.builds == expected, "the second page was not remembered beside the first"
    assert again[0] == f"{later['year']} {later.get('region', 'trade')}"


def test_the_fixed_parameters_keep_pages_apart():
    """Test that a page remembered for one language or database is not reused for another."""
    memo, page = pagememo.PageMemo(), Page()
    memo.get(("p", "ja"), Reader().view, page)
    memo.get(("p", "en"), Reader().view, page)
    assert page.builds == 2


def test_the_least_recently_used_page_is_dropped_first():
    """Test that the memo holds at most its size, and drops the page unused longest."""
    memo, page = pagememo.PageMemo(pages=2), Page()
    for year in (2023, 2024, 2023):
        memo.get(("p",), Reader(year=year).view, page)
    memo.get(("p",), Reader(year=2024, region="europe").view, page)  # drops 2024 asia
    assert page.builds == 3
    memo.get(("p",), Reader(year=2023).view, page)
    assert page.builds == 3
    memo.get(("p",), Reader(year=2024).view, page)
    assert page.builds == 4


def test_a_failed_build_is_not_remembered():
    """Test that a build that raises leaves nothing behind: the next view builds again."""
    memo = pagememo.PageMemo()

    def broken(v):
        v.choose(YEAR)
        raise RuntimeError("the database is gone")

    with pytest.raises(RuntimeError):
        memo.get(("p",), Reader().view, broken)
    page = Page()
    memo.get(("p",), Reader().view, page)
    assert page.builds == 1


def _elements(at) -> list[str]:
    """Every element the page sent, in order, as its protobuf text (but the per-session id a
    download gets for its file, made when a reader asks for it)."""
    out, stack = [], [at.main]
    while stack:
        node = stack.pop(0)
        children = getattr(node, "children", None)
        if children is not None:
            stack[:0] = [children[i] for i in sorted(children)]
        elif getattr(node, "proto", None) is not None:
            out.append(re.sub(r'deferred_file_id: "\w+"', "", str(node.proto)))
    return out


@pytest.mark.parametrize("page,params", [("regions", {"year": "2022"}),
                                         ("financials", {"lang": "en"}),
                                         ("press", {})])
def test_a_remembered_page_draws_what_a_fresh_build_draws(page, params):
    """Test that a page drawn from the memo sends exactly the elements of a fresh build."""
    render._PAGES.clear()
    fresh = open_direct(page, **params)
    built = len(render._PAGES._pages)
    remembered = open_direct(page, **params)
    assert len(render._PAGES._pages) == built, "the second view built its page again"
    assert not fresh.exception and not remembered.exception
    assert _elements(remembered) == _elements(fresh)
    assert len(_elements(fresh)) > 20
