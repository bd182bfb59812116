"""Every chart of the static edition as a page another site can frame, and its oEmbed answer.

    /embed/{lang}/{page}/[{year}/|{iso3}/]{chart}/      the chart alone: title, pictures, source
    /oembed/{lang}/{page}/[{year}/|{iso3}/]{chart}.json  oEmbed 1.0 (type "rich") for it

A chart is named by its page's view and its key (blocks.Chart.key, fixed in the page's code),
never by its place on the page, so an embed's URL survives a reordering and a rebuild. The year
is always in the URL of a page that follows the year: an article that framed FY2024's chart
keeps showing FY2024 when a later report arrives.

The embed page sizes itself to its frame with CSS alone (the pictures take what the title and
the source line leave), and a frame narrower than a phone gets the phone drawing, as the page
does. Its last line links back to the chart and names the licence, which travels with it.
nginx lets any site frame /embed/ and nothing else (serve_nginx, frame-ancestors).
"""

from __future__ import annotations

import json
from pathlib import Path

from markupsafe import Markup, escape

from . import cite, i18n

# Room the embed page needs around its pictures: the title, the source line and the link back
# (two lines each at a phone's width), and a plot's label where a chart has several.
CHROME_HEIGHT = 150
LABEL_HEIGHT = 28

CSS = """*{box-sizing:border-box}html,body{height:100%;margin:0}
body{color:#1f2328;background:#fff;font:14px/1.5 "Hiragino Sans","Hiragino Kaku Gothic ProN",
"Noto Sans JP","Noto Sans CJK JP","Yu Gothic",Meiryo,system-ui,sans-serif}
main{height:100%;display:flex;flex-direction:column;padding:.5rem .75rem}
h1{font-size:1.05rem;line-height:1.35;margin:0 0 .25rem}
.plots{flex:1 1 auto;min-height:8rem;display:flex;flex-direction:column;gap:.25rem}
.plot{flex:1 1 0;min-height:0;display:flex;flex-direction:column}
.plot picture{flex:1 1 0;min-height:0;display:block}
.plot img{display:block;width:100%;height:100%;object-fit:contain;object-position:left top}
.plot-label{margin:0;font-weight:600;font-size:.875rem}
.source,.back{margin:.25rem 0 0;font-size:.8rem;color:#4f5661}
a{color:#0b5cad}a:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
"""


def size(pictures: list[dict]) -> tuple[int, int]:
    """The frame a chart's embed asks for: as wide as its desktop drawing, and tall enough for
    its tallest drawings (desktop or phone) and the text around them."""
    width = max(p["width"] for p in pictures)
    height = sum(max(p["height"], p["phone_height"]) for p in pictures)
    labels = LABEL_HEIGHT * len(pictures) if len(pictures) > 1 else 0
    return width, height + labels + CHROME_HEIGHT


def snippet(url: str, title: str, width: int, height: int) -> str:
    """The HTML a reader pastes: the frame fills its column up to the drawing's width."""
    return (f'<iframe src="{escape(url)}" title="{escape(title)}" width="{width}" '
            f'height="{height}" style="width:100%;max-width:{width}px;border:0" '
            f'loading="lazy"></iframe>')


def oembed(*, title: str, html: str, width: int, height: int, site_name: str,
           origin: str) -> str:
    """The oEmbed 1.0 answer for one chart (oembed.com, section 2.3.4: a "rich" type carries
    html, width and height)."""
    answer = {"version": "1.0", "type": "rich", "title": title, "html": html,
              "width": width, "height": height, "provider_name": site_name,
              "provider_url": origin + "/"}
    return json.dumps(answer, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def control(key: str, lang: str, url: str, path: str, title: str, width: int,
            height: int) -> Markup:
    """Under a chart on its page: the snippet to copy, folded. The pages run no script, so
    the copy control is a read-only text box the reader selects; the link opens the embed."""
    t = lambda k: i18n.translate(lang, k)  # noqa: E731
    return Markup(
        '<details class="embed"><summary>{summary}</summary>'
        '<label for="embed-{key}">{label}</label>'
        '<textarea id="embed-{key}" readonly rows="3" spellcheck="false">{code}</textarea>'
        '<p><a href="{path}">{preview}</a></p></details>').format(
        summary=t("embed.title"), key=key, label=t("embed.code"),
        code=snippet(url, title, width, height), path=path, preview=t("embed.preview"))


def write(env, out: Path, item: dict, *, lang: str, site_name: str, origin: str) -> None:
    """One chart's embed page and oEmbed answer. `item` is what the page's renderer kept of
    the chart (edition_html.Body.embeds)."""
    width, height = size(item["pictures"])
    html = env.get_template("embed.html.j2").render(
        lang=lang, css=Markup(CSS), site_name=site_name, item=item, license=cite.license_(),
        page_title=i18n.translate(lang, "embed.page", title=item["title"]),
        oembed=origin + item["oembed"], back_label=i18n.translate(lang, "embed.back"))
    target = out / item["path"].strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    answer = oembed(title=item["title"], width=width, height=height, site_name=site_name,
                    origin=origin, html=snippet(origin + item["path"], item["title"], width,
                                                height))
    target = out / item["oembed"].lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(answer, encoding="utf-8")
