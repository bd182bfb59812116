"""Press kit: the year's figures as ready sentences, every table as a download, a print view."""

from functools import partial

from nexidash import export, press
from nexidash.blocks import (Bullet, Bullets, Caption, Code, Columns, Controls, Download, Heading,
                             Text)
from nexidash.view import View

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build(v: View) -> list:
    t = v.t
    out = [Heading(t("press.title"), 1), Text(t("press.intro")),
           Controls((v.year_control(),), (1, 2))]

    sentences = press.sentences(v)
    titles = {name: v.q("catalog_entry", table_name=name).iloc[0][v.col("title")]
              for name in sorted({s.table for s in sentences})}
    out.append(Heading(t("press.sentences_title", fy=v.fy(v.year)), 2))
    items = [Bullet(s.text, t("press.from", title=titles[s.table])) for s in sentences]
    if v.year == v.report_year:
        items += [Bullet(t("overview.record_claims")), Bullet(t("overview.record_underwriting"))]
    out.append(Bullets(tuple(items)))
    out += [Code("\n".join(s.text for s in sentences)), Caption(t("press.sentences_note"))]

    # Both files are made when clicked (and then kept by export.py): a page view builds neither.
    year = v.report_year
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
