"""Embeds: every chart of the static edition has a page another site can frame, with the same
pictures, its title, source and a link back; a snippet to paste under the chart on its page;
and an oEmbed answer announced by the page. A chart's URL comes from its view and its key,
never its place on the page. (tests/browser/test_embed_frames.py frames them across two origins.)"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from nexidash import blocks, cite, edition, embed, i18n, urls
from nexidash.view import View
from tests.helpers import check_oembed

CHART = re.compile(r'<section class="chart" id="([\w-]+)">(.*?)</section>', re.S)
IMAGES = re.compile(r'<(?:img src|source media="[^"]*" srcset)="([^"]+)"')


def _page_charts(built: Path, path: str) -> dict[str, str]:
    text = (built / path.strip("/") / "index.html").read_text(encoding="utf-8")
    return dict(CHART.findall(text))


def test_every_chart_has_an_embed_page_with_its_pictures_title_source_and_way_back(edition_dir):
    """Test that each chart of each static page offers its embed (a snippet to copy and a link), and that the embed page shows the same SVG files, the chart's title and source line, links back to the chart on its page and names the licence."""
    probe = View("ja")
    pages = edition.editions(probe.report_year, probe.years, edition.mentioned_countries())
    seen, licence = 0, cite.license_()
    for ed in pages:
        for key, part in _page_charts(edition_dir, ed.path).items():
            seen += 1
            link = re.search(r'<p><a href="(/embed/[^"]+)">', part).group(1)
            assert link == ed.chart_paths(key, probe.report_year)[0]
            code = html.unescape(re.search(r"<textarea[^>]*readonly[^>]*>(.*?)</textarea>",
                                           part, re.S).group(1))
            assert code.startswith(f'<iframe src="{urls.absolute(link)}" title="')
            assert re.search(r'<label for="embed-' + key + '">', part)
            page = (edition_dir / link.strip("/") / "index.html").read_text(encoding="utf-8")
            title = re.search(r"<h2>(.*?)</h2>|<h3>(.*?)</h3>", part)
            assert f"<h1>{title.group(1) or title.group(2)}</h1>" in page
            assert IMAGES.findall(page) == IMAGES.findall(part) != []
            source = re.search(r'<p class="source">(.*?)</p>', part)
            if source:
                assert f'<p class="source">{source.group(1)}</p>' in page
            assert f'<a href="{ed.path}#{key}" target="_blank" rel="noopener">' in page
            assert f'<a rel="license noopener" href="{licence.url(ed.lang)}"' in page
            assert "<script" not in page and 'name="robots" content="noindex"' in page
    assert seen >= 80


def test_a_charts_embed_url_is_its_view_and_key_not_its_place(edition_dir):
    """Test that the embed pages written are exactly one per chart block of every view, each named by the view (with its year where the page has years) and the chart's key."""
    probe = View("ja")
    countries = edition.mentioned_countries()
    wanted = set()
    for ed in edition.editions(probe.report_year, probe.years, countries):
        v = ed.view(countries)
        year = v.year if ed.page.uses_year else None
        for block in blocks.walk(ed.page.load().build(v)):
            if isinstance(block, blocks.Chart):
                wanted.add(urls.embed(ed.lang, ed.page.path, block.key, year, ed.iso3))
    written = {"/" + p.parent.relative_to(edition_dir).as_posix() + "/"
               for p in (edition_dir / "embed").rglob("index.html")}
    assert written == wanted
    assert "/embed/ja/regions/2024/region_map/" in written  # the report year is named too
    assert "/embed/en/financials/fin_waterfall/" in written  # no year where the page has none


def test_oembed_answers_carry_the_fields_the_spec_requires(edition_dir):
    """Test that each chart's page announces its oEmbed answer, and that the answer is oEmbed 1.0 of type rich: html framing the embed page, integer width and height, title, provider name and URL."""
    answers = 0
    for lang in i18n.LANGS:
        page = (edition_dir / lang / "regions" / "2022" / "index.html").read_text("utf-8")
        links = re.findall(r'<link rel="alternate" type="application/json\+oembed" '
                           r'href="([^"]+)" title="([^"]+)">', page)
        assert [t for _, t in links] == [
            html.unescape(re.search(r"<h[23]>(.*?)</h[23]>", part).group(1))
            for part in _page_charts(edition_dir, f"/{lang}/regions/2022/").values()]
        for href, title in links:
            assert href.startswith(urls.origin() + urls.OEMBED)
            answer = json.loads((edition_dir / href[len(urls.origin()):].lstrip("/"))
                                .read_text("utf-8"))
            check_oembed(answer, html.unescape(title), urls.origin())
            framed = re.search(r'<iframe src="([^"]+)"', answer["html"]).group(1)
            assert framed.startswith(urls.origin() + f"/embed/{lang}/regions/2022/")
            assert (edition_dir / framed[len(urls.origin()):].strip("/") / "index.html").is_file()
            answers += 1
    assert answers == 4


def test_a_frame_asks_room_for_its_tallest_drawings():
    """Test that a chart's frame is as wide as its drawing and tall enough for the taller of its desktop and phone drawings, each plot's, and the text around them."""
    one = {"width": 880, "height": 400, "phone_width": 400, "phone_height": 460}
    assert embed.size([one]) == (880, 460 + embed.CHROME_HEIGHT)
    assert embed.size([one, one]) == (880, 920 + 2 * embed.LABEL_HEIGHT + embed.CHROME_HEIGHT)
