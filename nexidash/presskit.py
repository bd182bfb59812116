"""The press office's kit for the report year: every chart as PNG and SVG (title, unit and
source in the picture), a one-page A4 fact sheet and a 16:9 slide deck per language, a draft
press release and likely questions in both languages, and one ZIP holding them with the
sentences, the findings and every table (CSV and Excel). The parts: presskit_charts (the
pictures' labels), presskit_sheet, presskit_slides, presskit_release (the words and settings).

Everything is made from the pages' own blocks and queries (the figures, rounding and chart
specs a visitor sees), offline: charts by Kaleido on Debian's Chromium (pictures.ChartMaker),
the PDF by fpdf2 with the Noto CJK font Debian installs, the deck by python-pptx. Building
twice gives the same bytes: fixed dates in every file and every archive entry, and a README
whose version is the data's own hash (version.data_version), not the time of building.

    python -m nexidash.presskit [--out DIR]     (the static edition builds it into /d/press/)
"""

from __future__ import annotations

import argparse
import io
import tempfile
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import blocks as b
from . import db, export, findings, i18n, paths, presskit_charts, presskit_release
from . import presskit_sheet, presskit_slides, site
from .view import View

OUT = paths.ROOT / "var" / "press"
ZIP_EPOCH = (2025, 3, 31, 0, 0, 0)  # every archive entry's date: reproducible bytes
# The charts of the deck, a slide each: (page, chart key), in the order they appear.
DECK_CHARTS = (("overview", "headline_trend"), ("regions", "region_map"),
               ("regions", "region_trend"), ("products", "product_mix"),
               ("products", "product_trend"), ("partners", "partner_map"),
               ("lead", "lead_map"), ("financials", "fin_waterfall"))


@dataclass(frozen=True)
class ChartFile:
    page: str
    chart: b.Chart
    plot: b.Plot
    lang: str
    png: bytes
    svg: bytes
    size: tuple[int, int]

    @property
    def stem(self) -> str:
        return f"{self.page}_{self.chart.key}_{self.plot.code}_{self.lang}"


def file_names(year: int) -> dict[str, str]:
    """The kit's files, by what they are: the names the press page and the edition offer."""
    out = {"pack": f"nexi_fy{year}_press_pack.zip"}
    for lang in i18n.LANGS:
        out[f"factsheet_{lang}"] = f"nexi_fy{year}_factsheet_{lang}.pdf"
        out[f"deck_{lang}"] = f"nexi_fy{year}_slides_{lang}.pptx"
    return out


# -- charts -----------------------------------------------------------------------------------
def chart_files(maker) -> list[ChartFile]:
    """Every plot of every chart on every page (its default view), in both languages, as the
    page draws it."""
    out = []
    for lang in i18n.LANGS:
        for page in site.PAGES:
            for block in b.walk(page.load().build(View(lang))):
                if isinstance(block, b.Chart):
                    for plot in block.plots:
                        png, svg, size = maker.files(plot.spec, lang)
                        out.append(ChartFile(page.path, block, plot, lang, png, svg, size))
    return out


def framed(f: ChartFile) -> ChartFile:
    """The chart with its title, unit and source drawn around it (presskit_charts.framed)."""
    frame = presskit_charts.frame_of(View(f.lang), f.chart, f.plot, f.size[0])
    return ChartFile(f.page, f.chart, f.plot, f.lang,
                     *presskit_charts.framed(frame, f.png, f.svg, f.size))


def _first_plot(files: list[ChartFile], lang: str, page: str, key: str) -> ChartFile:
    return next(f for f in files if (f.lang, f.page, f.chart.key) == (lang, page, key))


# -- the pictures ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Pictures:
    """Every picture the kit holds: the charts to take away (framed with their title, unit and
    source), the deck's (as drawn: the slide has their title and source) and the fact
    sheet's (narrower, amounts of a trillion yen or more in 兆円 / ¥ trillion)."""

    charts: list[ChartFile]
    deck: dict[str, list[ChartFile]]
    sheet: dict[str, dict[tuple[str, str], ChartFile]]


def pictures(maker) -> Pictures:
    plain = chart_files(maker)
    deck, sheet = {}, {}
    for lang in i18n.LANGS:
        deck[lang] = [_first_plot(plain, lang, *key) for key in DECK_CHARTS]
        sheet[lang] = {}
        for i, key in enumerate(presskit_sheet.CHARTS):
            f = _first_plot(plain, lang, *key)
            width = 880 if i == 0 else presskit_sheet.NARROW[lang]
            png, svg, size = maker.files(presskit_charts.in_trillions(f.plot.spec, lang), lang,
                                         width=width)
            sheet[lang][key] = ChartFile(f.page, f.chart, f.plot, lang, png, svg, size)
    return Pictures([framed(f) for f in plain], deck, sheet)


# -- the pack ---------------------------------------------------------------------------------
def _sentences_text(v: View) -> str:
    """The sentences to print, the report's record first."""
    return "\n".join(presskit_release.lead_sentences(v)) + "\n"


def _findings_text(v: View) -> str:
    lines = []
    for i, f in enumerate(findings.findings(v), start=1):
        lines += [f"{i}. {f.text}", f"   {v.t('kit.from')}: {f.table} — {f.method}", ""]
    return "\n".join(lines)


def assemble(pics: Pictures, settings: presskit_release.Settings
             ) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The kit's files from its pictures: ({what: bytes} of the files offered on their own,
    {name: bytes} of the pack's entries). The same pictures give the same bytes."""
    year = View(i18n.DEFAULT_LANG).report_year
    names = file_names(year)
    entries: dict[str, bytes] = {}
    for f in pics.charts:
        entries[f"charts/{f.stem}.png"] = f.png
        entries[f"charts/{f.stem}.svg"] = f.svg
    made: dict[str, bytes] = {}
    for lang in i18n.LANGS:
        v = View(lang)
        made[f"factsheet_{lang}"] = presskit_sheet.fact_sheet(v, pics.sheet[lang])
        made[f"deck_{lang}"] = presskit_slides.deck(v, pics.deck[lang])
        entries[f"sentences_{lang}.txt"] = _sentences_text(v).encode("utf-8")
        entries[f"findings_{lang}.txt"] = _findings_text(v).encode("utf-8")
        entries[f"press_release_{lang}.md"] = presskit_release.release_markdown(
            v, settings).encode("utf-8")
        entries[f"qa_{lang}.md"] = presskit_release.qa_markdown(v).encode("utf-8")
        entries[names[f"factsheet_{lang}"]] = made[f"factsheet_{lang}"]
        entries[names[f"deck_{lang}"]] = made[f"deck_{lang}"]
        entries[f"tables/nexi_fy{year}_{lang}.xlsx"] = export.tables_xlsx(lang=lang, year=year)
    with zipfile.ZipFile(io.BytesIO(export.tables_zip(year=year))) as tables:
        for item in tables.infolist():
            entries[f"tables/{Path(item.filename).name}"] = tables.read(item.filename)
    entries["README.txt"] = presskit_release.readme(year, settings).encode("utf-8")
    made["pack"] = _zip(entries)
    return made, entries


def build(out: Path, maker, settings: presskit_release.Settings | None = None
          ) -> dict[str, Path]:
    """Write the kit's files to `out` (charts under charts/), and return them by what they are."""
    out.mkdir(parents=True, exist_ok=True)
    settings = settings or presskit_release.Settings.from_env()
    made, entries = assemble(pictures(maker), settings)
    names = file_names(View(i18n.DEFAULT_LANG).report_year)
    written = {}
    for what, data in made.items():
        path = out / names[what]
        path.write_bytes(data)
        written[what] = path
    charts_dir = out / "charts"
    charts_dir.mkdir(exist_ok=True)
    for name, data in entries.items():
        if name.startswith("charts/"):
            (out / name).write_bytes(data)
    return written


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[name])
    return buf.getvalue()


# -- the app's downloads ----------------------------------------------------------------------
_built_in: list[Path] = []


def use(folder: Path | None) -> None:
    """Serve the kit's files from `folder` (the static edition builds the kit first, then the
    press page's downloads take their files from it instead of building them again); None
    stops."""
    _built_in[:] = [] if folder is None else [Path(folder)]


def prebuilt(name: str) -> Path | None:
    """A kit file already built: by the edition build under way, or in the static edition
    (`make serve` builds it) if it is not older than the database."""
    for folder in _built_in:
        if (folder / name).is_file():
            return folder / name
    from . import serve

    path = serve.Settings.from_env().edition / "d" / name
    if path.is_file() and path.stat().st_mtime >= paths.db_path().stat().st_mtime:
        return path
    return None


@lru_cache(maxsize=2)
def _built(generation: tuple) -> dict[str, bytes]:
    """The kit built here, once per database state, when no prebuilt copy exists."""
    from .pictures import ChartMaker

    with tempfile.TemporaryDirectory() as tmp:
        maker = ChartMaker(Path(tmp))
        try:
            written = build(Path(tmp) / "press", maker)
        finally:
            maker.close()
        return {p.name: p.read_bytes() for p in written.values()}


def file_bytes(name: str) -> bytes:
    """A kit file for a download button: the prebuilt copy, else built here on the click."""
    path = prebuilt(name)
    if path is not None:
        return path.read_bytes()
    return _built(db.generation())[name]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from .pictures import ChartMaker

    with tempfile.TemporaryDirectory() as tmp:
        maker = ChartMaker(Path(tmp))  # its /c/ pictures are the edition's, not the kit's
        try:
            written = build(args.out, maker)
        finally:
            maker.close()
    for what, path in written.items():
        print(f"{what}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

