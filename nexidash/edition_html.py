"""The static edition's second renderer: a page's blocks written as HTML (the same blocks the
Streamlit renderer draws), each chart as its SVG pictures with the table behind it, its CSV
and its text alternative, and no script."""

from __future__ import annotations

import copy
from pathlib import Path

from markupsafe import Markup, escape

from . import blocks as b
from . import chartdata, embed, style, tables, urls
from .pictures import CARD, ChartMaker, digest as _digest
from .view import View

TEMPLATES = Path(__file__).resolve().parent / "templates"
_CSS_CACHE: list[str] = []


SCRIPTS = Path(__file__).resolve().parents[1] / "assets" / "js"
SCRIPT, SEARCH_SCRIPT = SCRIPTS / "marks.js", SCRIPTS / "search.js"


def script_url(script: Path = SCRIPT) -> str:
    """Where one of the edition's scripts is served: beside the charts, named by its content."""
    return urls.chart_file(f"{script.stem}-{_digest(script.read_bytes())[:10]}.js")


def css() -> str:
    if not _CSS_CACHE:
        _CSS_CACHE.append((TEMPLATES / "edition.css").read_text(encoding="utf-8")
                          + tables.CSS + tables.PRINT_CSS)
    return _CSS_CACHE[0]


class Body:
    """A page's blocks as HTML: the second renderer of the same blocks (render.py is the first)."""

    def __init__(self, v: View, maker: ChartMaker, data_dir: Path, page_path: str = "",
                 embeds_at=None, year_href=None):
        self.v, self.maker, self.data_dir = v, maker, data_dir
        # Where a chart's embed page and oEmbed answer go: chart key -> (embed, oembed) paths.
        self.page_path, self.embeds_at = page_path, embeds_at
        self.embeds: list[dict] = []
        self.year_href = year_href  # a year's page, on pages that follow the year
        self.first_image = True
        self.card: dict | None = None
        self.datasets: list[dict] = []
        self.live = False  # a chart with marks: the page loads the script
        self.level = 1  # the last heading's level, so none skips one (h2 then h4)

    def render(self, blocks) -> Markup:
        return Markup("\n").join(self._block(block) for block in blocks)

    def _heading(self, text: str, wanted: int, cls: str = "", anchor: str | None = None) -> Markup:
        level = 1 if wanted == 1 else max(2, min(wanted, self.level + 1))
        self.level = level
        attr = Markup(f' class="{cls}"') if cls else ""
        if level == 1:
            attr += Markup(' data-pagefind-weight="10"')  # a page's title outranks a mention
        if anchor:
            attr += Markup(' id="{}"').format(anchor)
        return Markup(f"<h{level}{attr}>{escape(text)}</h{level}>")

    def _block(self, block) -> Markup:
        writer = WRITERS.get(type(block))
        if writer is None:
            raise TypeError(f"no way to write {type(block).__name__}")
        return writer(self, block)

    def _w_heading(self, block: b.Heading) -> Markup:
        # The page's own levels (1 title, 2 section, 4 chart, 5 minor) mapped to an outline
        # without gaps: 4 follows 2 as the next level down.
        wanted = {1: 1, 2: 2, 4: 3, 5: 4}.get(block.level, block.level)
        return self._heading(block.text, wanted, anchor=block.anchor)

    def _w_bullets(self, block: b.Bullets) -> Markup:
        items = Markup("").join(
            Markup("<li>{}{}{}</li>").format(
                i.text,
                Markup(' <a href="{}">{}</a>').format(
                    self.v.href(i.link.page, **i.link.params), i.link.label)
                if i.link else "",
                Markup('<br><small>{}</small>').format(i.note) if i.note else "")
            for i in block.items)
        return Markup("<ul class=\"bullets\">{}</ul>").format(items)

    def _w_link(self, block: b.Link) -> Markup:
        return Markup('<p class="link"><a href="{}">{} →</a></p>').format(
            self.v.href(block.page, **block.params), block.label)

    def _w_controls(self, block: b.Controls) -> Markup:
        shown = Markup("; ").join(
            Markup("{}: <strong>{}</strong>").format(
                c.label, c.label_of(self.v.chosen.get(c.key, c.default)))
            for c in block.items)
        return Markup('<p class="controls">{} <span class="hint">({})</span></p>').format(
            shown, self.v.t("edition.controls_hint"))

    def _w_table(self, block: b.Table) -> Markup:
        return Markup(tables.html(block.data, self.v.lang, block.labels, block.height,
                                  country_href=self.v.country_href))

    def _w_source(self, block: b.Source) -> Markup:
        line = self.v.source_line(block.table)
        return Markup('<p class="source">{}</p>').format(line) if line else Markup("")

    def _w_columns(self, block: b.Columns) -> Markup:
        # A class per layout, not a style attribute: the pages' CSP allows no inline style
        # but the one stylesheet (edition.css defines each layout the pages use).
        widths = block.widths or (1,) * len(block.parts)
        layout = "cols-" + "-".join(f"{w:g}" for w in widths)
        if f".{layout} " not in css():
            raise ValueError(f"edition.css has no column layout {layout}")
        parts = Markup("").join(Markup('<div class="col">{}</div>').format(self.render(p))
                                for p in block.parts)
        return Markup('<div class="cols {}">{}</div>').format(layout, parts)

    def _w_details(self, block: b.Details) -> Markup:
        return Markup("<details{}><summary>{}</summary>{}</details>").format(
            Markup(" open") if block.expanded else "", block.title, self.render(block.blocks))

    def _w_download(self, block: b.Download) -> Markup:
        (self.data_dir / block.file_name).write_bytes(block.make())
        return Markup('<p class="download"><a href="{}" download>{}</a></p>').format(
            urls.download(block.file_name), block.label)

    def _metrics(self, block: b.Metrics) -> Markup:
        cards = []
        for m in block.items:
            delta = Markup("")
            if m.delta:
                way = style.direction(m.delta)
                good = (way >= 0) if m.delta_color != "inverse" else (way <= 0)
                # A black triangle means minus in Japanese finance: a neutral arrow instead.
                mark = style.DELTA_MARK[way > 0] + " " if way else ""
                delta = Markup('<p class="delta {}">{}{}</p>').format(
                    "good" if good else "bad", mark, m.delta)
                if m.delta_description:
                    delta += Markup('<p class="help">{}</p>').format(m.delta_description)
            help_ = Markup('<p class="help">{}</p>').format(m.help) if m.help else Markup("")
            if m.term:
                help_ += Markup('<p class="help"><a href="{}">{}</a></p>').format(
                    self.v.term_href(m.term),
                    self.v.t("ui.in_glossary", term=self.v.term_name(m.term)))
            cards.append(Markup('<div class="metric"><p class="label">{}</p>'
                                '<p class="value">{}</p>{}{}</div>').format(
                m.label, m.value, delta, help_))
        per_row = min(block.per_row or len(block.items), 4)
        return Markup('<div class="metrics per-{}">{}</div>').format(
            per_row, Markup("").join(cards))

    def _chart(self, block: b.Chart) -> Markup:
        """One chart as a section, part by part (blocks.CHART_ANATOMY)."""
        self.level = max(2, min(3, self.level + 1))
        drawn = {"pictures": [], "source": self.v.source_line(block.source)}
        parts = [Markup('<section class="chart" id="{}">').format(block.key)]
        for part in b.CHART_ANATOMY:
            parts += self.CHART_PARTS[part](self, block, drawn)
        parts.append(Markup("</section>"))
        return Markup("").join(parts)

    def _chart_heading(self, block: b.Chart, drawn: dict) -> list:
        return [Markup(f"<h{self.level}>{escape(block.title)}</h{self.level}>")]

    def _chart_summary(self, block: b.Chart, drawn: dict) -> list:
        if not block.summary:
            return []
        return [Markup('<p class="summary" id="{}-summary">{}</p>').format(block.key, block.summary)]

    def _chart_views(self, block: b.Chart, drawn: dict) -> list:
        parts = []
        for plot in block.plots:
            made = self.maker.chart(plot.spec, self.v.lang)
            eager = self.first_image
            self.first_image = False
            alt = f"{block.title} ({plot.label})"
            drawn["pictures"].append({**made, "label": plot.label, "alt": alt})
            if len(block.plots) > 1:
                parts.append(Markup('<p class="plot-label">{}</p>').format(plot.label))
            self.live = self.live or made["marks"]
            parts.append(Markup(
                '<div class="plot"{marks}><picture><source media="(max-width: 640px)" '
                'srcset="{phone}" width="{pw}" height="{ph}">'
                '<img src="{src}" width="{w}" height="{h}" alt="{alt}"{described} '
                'loading="{loading}" decoding="async"{priority}></picture></div>').format(
                marks=Markup(" data-marks") if made["marks"] else "",
                described=Markup(' aria-describedby="{}-summary"').format(block.key)
                if block.summary else "",
                phone=made["phone"], pw=made["phone_width"], ph=made["phone_height"],
                src=made["src"], w=made["width"], h=made["height"], alt=alt,
                loading="eager" if eager else "lazy",
                priority=Markup(' fetchpriority="high"') if eager else ""))
            if plot.spec.get("frames") and self.year_href:
                parts.append(self._timeline(block, plot))
            if self.card is None:
                self.card = {"url": urls.absolute(self.maker.card(plot.spec, self.v.lang)),
                             "width": CARD[0], "height": CARD[1], "alt": alt}
        return parts

    def _chart_note(self, block: b.Chart, drawn: dict) -> list:
        return [Markup('<p class="caption">{}</p>').format(block.note)] if block.note else []

    def _chart_terms(self, block: b.Chart, drawn: dict) -> list:
        if not block.terms:
            return []
        return [Markup('<p class="caption">{} {}</p>').format(
            self.v.t("ui.glossary_links"), Markup(" · ").join(
                Markup('<a href="{}">{}</a>').format(self.v.term_href(x), self.v.term_name(x))
                for x in block.terms))]

    def _chart_source(self, block: b.Chart, drawn: dict) -> list:
        line = drawn["source"]
        return [Markup('<p class="source">{}</p>').format(line)] if line else []

    def _chart_data(self, block: b.Chart, drawn: dict) -> list:
        """The table behind the chart with its downloads, and the chart's embed code."""
        parts = [self._data(block.key, block.data, block.labels, self.v.t("ui.view.table"),
                            title=block.title, note=block.note, chart=block)]
        if self.embeds_at:
            path, oembed = self.embeds_at(block.key)
            pictures = drawn["pictures"]
            self.embeds.append({"key": block.key, "title": block.title,
                                "summary": block.summary, "pictures": pictures,
                                "source": drawn["source"], "path": path, "oembed": oembed,
                                "back": f"{self.page_path}#{block.key}"})
            parts.append(embed.control(block.key, self.v.lang, urls.absolute(path), path,
                                       block.title, *embed.size(pictures)))
        return parts

    CHART_PARTS = {"heading": _chart_heading, "summary": _chart_summary, "views": _chart_views,
                   "note": _chart_note, "terms": _chart_terms, "source": _chart_source,
                   "data": _chart_data}

    def _timeline(self, block: b.Chart, plot) -> Markup:
        """A timeline's years as links to each year's page; the script swaps the year's
        picture in place instead (each drawn from its frame, on the one classed scale the
        figure keeps for every year)."""
        spec, here = plot.spec, self.v.fy(self.v.year)
        links = []
        for year, frame in zip(sorted(self.v.years), spec["frames"]):
            if frame["name"] != self.v.fy(year):
                raise ValueError(f"{block.key}: frame {frame['name']} is not {self.v.fy(year)}")
            one = copy.deepcopy({k: v for k, v in spec.items() if k != "frames"})
            one["data"][0].update({k: v for k, v in frame["data"][0].items() if k != "type"})
            made = self.maker.chart(one, self.v.lang)
            title = block.title.replace(here, frame["name"])
            links.append(Markup(
                '<a href="{href}#{key}" data-src="{src}" data-phone="{phone}" data-title="{title}"'
                ' data-alt="{alt}"{current}>{label}</a>').format(
                href=self.year_href(year), key=block.key, src=made["src"], phone=made["phone"],
                title=title, alt=f"{title} ({plot.label})", label=frame["name"],
                current=Markup(' aria-current="true"') if year == self.v.year else ""))
        return Markup('<nav class="timeline" aria-label="{}"><span>{}:</span> {}</nav>').format(
            self.v.t("edition.timeline"), self.v.t("ui.fiscal_year"), Markup(" ").join(links))

    def _data(self, key: str, data, labels: dict, summary: str, title: str | None = None,
              note: str | None = None, chart: b.Chart | None = None) -> Markup:
        reuse = Markup("")
        if chart is None:
            csv = tables.csv_bytes(data, self.v.lang, labels)
            name = f"{_digest(csv)}.csv"
        else:
            # A chart's CSV has its metadata.json beside it, under one content-derived name.
            stem, csv, meta = chartdata.files(chart, self.v)
            name = f"{stem}.csv"
            (self.data_dir / f"{stem}.metadata.json").write_bytes(meta)
            reuse = self._reuse(stem)
        (self.data_dir / name).write_bytes(csv)
        self.datasets.append({"key": key, "title": title or summary, "note": note,
                              "csv": urls.download(name)})
        return Markup('<details class="data"><summary>{}</summary>{}'
                      '<p><a href="{}" download="{}">{}</a></p>{}</details>').format(
            summary, Markup(tables.html(data, self.v.lang, labels,
                                        country_href=self.v.country_href)), urls.download(name),
            self.v.file_name(key, "csv"), self.v.t("ui.download_csv"), reuse)

    def _reuse(self, stem: str) -> Markup:
        """The chart's two files by URL, and a line to load the CSV in each of three tools."""
        t = self.v.t
        lines = Markup("").join(Markup("<dt>{}</dt><dd><code>{}</code></dd>").format(tool, code)
                                for tool, code in chartdata.snippets(
                                    chartdata.data_url(stem, "csv")))
        return Markup('<p class="reuse">{} <a href="{}">CSV</a> · <a href="{}">metadata.json'
                      '</a></p><dl class="load">{}</dl>').format(
            t("data.by_url"), urls.chart_data(stem, "csv"),
            urls.chart_data(stem, "metadata.json"), lines)



    def _cite(self, block: b.Cite) -> Markup:
        """The page's "Cite and reuse" part: the citation in each language, BibTeX and
        CSL-JSON folded, and the licence with the data version."""
        texts = Markup("").join(Markup('<p class="citation" lang="{}">{}</p>').format(lang, text)
                                for lang, text in block.texts)
        folded = Markup("").join(
            Markup('<details><summary>{}</summary><pre class="code">{}</pre></details>').format(
                name, text) for name, text in (("BibTeX", block.bibtex),
                                               ("CSL-JSON", block.csl_json)))
        name = (Markup('<a rel="license" href="{}">{}</a>').format(block.license_url,
                                                                   block.license_name)
                if block.license_url else escape(block.license_name))
        return Markup('<section class="cite" aria-labelledby="cite">{}<p>{}</p>{}{}'
                      '<p class="license">{}{}{} · {}</p></section>').format(
            self._heading(block.title, 2, anchor="cite"), block.lead, texts, folded,
            block.license_label, name, block.license_spdx, block.version_label)


# One writer per block type, as render.DRAWERS has one drawer: tests/test_house.py holds both
# tables to blocks.BLOCKS.
WRITERS = {
    b.Heading: Body._w_heading,
    b.Text: lambda body, block: Markup("<p>{}</p>").format(block.text),
    b.Bullets: Body._w_bullets,
    b.Caption: lambda body, block: Markup('<p class="caption">{}</p>').format(block.text),
    b.Link: Body._w_link,
    b.Callout: lambda body, block: Markup('<p class="callout">{}</p>').format(block.text),
    b.Controls: Body._w_controls,
    b.Metrics: Body._metrics,
    b.Chart: Body._chart,
    b.Table: Body._w_table,
    b.Source: Body._w_source,
    b.Data: lambda body, block: body._data(block.key, block.data, block.labels,
                                           body.v.t("ui.data_behind")),
    b.Columns: Body._w_columns,
    b.Details: Body._w_details,
    b.Code: lambda body, block: Markup('<pre class="code">{}</pre>').format(block.text),
    b.Download: Body._w_download,
    b.Cite: Body._cite,
}
