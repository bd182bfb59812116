"""Press kit: the year's figures as ready sentences, every table as a download, a print view."""

from functools import partial

from nexidash import export, findings, press, presskit
from nexidash.blocks import (Bullet, Bullets, Caption, Code, Columns, Controls, Download, Heading,
                             Link, Text)
from nexidash.view import View

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME = {"pack": "application/zip", "factsheet": "application/pdf",
        "deck": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
LANG_NAMES = {"ja": "日本語", "en": "English"}
SHOWN_FINDINGS = 12


def titles_of(v: View, table: str) -> str:
    return v.q("catalog_entry", table_name=table).iloc[0][v.col("title")]


def build(v: View) -> list:
    t = v.t
    out = [Heading(t("press.title"), 1), Text(t("press.intro")),
           Controls((v.year_control(),), (1, 2))]

    sentences = press.sentences(v)
    titles = {name: v.q("catalog_entry", table_name=name).iloc[0][v.col("title")]
              for name in sorted({s.table for s in sentences})}
    out.append(Heading(t("press.sentences_title", fy=v.fy(v.year)), 2))
    # The report's own record leads, as it leads the report.
    records = findings.records(v)
    items = [Bullet(r.text, r.cite) for r in records]
    items += [Bullet(s.text, t("press.from", title=titles[s.table])) for s in sentences]
    out.append(Bullets(tuple(items)))
    out += [Code("\n".join([r.text for r in records] + [s.text for s in sentences])),
            Caption(t("press.sentences_note"))]

    # What changed, most newsworthy first, each with where it comes from and the view showing it.
    found = findings.findings(v)
    out += [Heading(t("kit.changed_title", fy=v.fy(v.year)), 2), Text(t("kit.changed_intro")),
            Bullets(tuple(
                Bullet(f.text, " ".join(filter(None, (t("kit.finding_note",
                                                         table=titles_of(v, f.table),
                                                         method=f.method), f.cite))),
                       link=Link(t("kit.see"), f.page, f.params))
                for f in found[:SHOWN_FINDINGS])),
            Caption(t("kit.changed_more", n=len(found)))]

    # The kit's files are built with the static edition (`make serve`), or here on the click.
    year = v.report_year
    names = presskit.file_names(year)
    out += [Heading(t("kit.files_title", fy=v.fy(year)), 2), Text(t("kit.files_intro")),
            Columns(tuple(
                (Download(f"dl_{what}", t(f"kit.file.{what.rsplit('_', 1)[0]}",
                                          language=LANG_NAMES[what.rsplit('_', 1)[-1]])
                          if what != "pack" else t("kit.file.pack"),
                          names[what], MIME[what.split("_")[0]],
                          partial(presskit.file_bytes, names[what]),
                          icon=":material/download:"),)
                for what in ("pack", f"factsheet_{v.lang}", f"deck_{v.lang}")), (1, 1, 1)),
            Caption(t("kit.files_note"))]
    out += [Heading(t("press.downloads_title"), 2),
            Columns(((Download("dl_zip", t("press.download_zip"), f"nexi_fy{year}_tables.zip",
                               "application/zip", partial(export.tables_zip, year=year),
                               icon=":material/folder_zip:"),),
                     (Download("dl_xlsx", t("press.download_xlsx"),
                               f"nexi_fy{year}_{v.lang}.xlsx", XLSX,
                               partial(export.tables_xlsx, lang=v.lang, year=year),
                               icon=":material/table_view:"),),
                     (Text(t("press.png_hint")),))),
            Caption(t("press.downloads_note", n=len(export.table_files()))),
            Heading(t("press.print_title"), 2),
            Text(t("press.print_hint"))]
    return out


if __name__ == "__main__":
    from nexidash import render

    render.page(build)
