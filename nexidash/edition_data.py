"""The edition's pages about the data itself: the data dictionary (/{lang}/data/, with the
package's files in /data/) and the versions and corrections (/{lang}/changes/), both made from
what the package and the releases say (datapackage.py, releases.py), and the footer line that
names the data version on every page."""

from __future__ import annotations

import shutil
from pathlib import Path

from markupsafe import Markup

from . import datapackage, i18n, paths, releases, urls
from .schema import TABLES_BY_NAME
from .view import _MONTHS, View

DATA_DIR = urls.PACKAGE.strip("/")  # the package's folder in the edition


def page_path(page: str, lang: str) -> str:
    return urls.page(lang, page)


def date_text(v: View, iso: str | None) -> str:
    if not iso:
        return v.t("data.unreleased")
    year, month, day = (int(p) for p in iso[:10].split("-"))
    return v.t("data.date", year=year, month=month, day=day, month_name=_MONTHS[month - 1])


def footer(v: View) -> Markup:
    """The data version on every page, with links to the package and to what changed."""
    info = datapackage.version_info()
    return Markup('{} · <a href="{}">{}</a> · <a href="{}">{}</a>').format(
        v.t("data.footer", version=info["data_version"], date=date_text(v, info["created"])),
        page_path("data", v.lang), v.t("data.page.nav"), page_path("changes", v.lang),
        v.t("changes.nav"))


def _table(v: View, caption: str, head: list[str], rows: list[list]) -> Markup:
    """A plain table in the site's scrolling box (tables.CSS), every cell escaped."""
    th = Markup("").join(Markup('<th scope="col">{}</th>').format(h) for h in head)
    body = Markup("").join(
        Markup("<tr>{}</tr>").format(Markup("").join(Markup("<td>{}</td>").format(c) for c in r))
        for r in rows)
    return Markup('<div class="nexi-table" tabindex="0" role="region" aria-label="{}">'
                  "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>").format(
        caption, th, body)


def _rules(v: View, f: dict) -> str:
    c = f.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append(v.t("data.required"))
    if "enum" in c:
        parts.append(v.t("data.codes", codes=", ".join(c["enum"])))
    if "pattern" in c:
        parts.append(v.t("data.pattern", pattern=c["pattern"]))
    return "; ".join(parts)


def dictionary_body(v: View, desc: dict) -> Markup:
    t, lang = v.t, v.lang
    local = (lambda item, key: item.get(f"{key}_ja", item.get(key, ""))) if lang == "ja" else \
        (lambda item, key: item.get(key, ""))
    out = [Markup("<h1>{}</h1>").format(t("data.page.title")),
           Markup("<p>{}</p>").format(t("data.page.intro", count=len(desc["resources"]))),
           Markup('<p>{} · {}</p>').format(
               t("data.footer", version=desc["data_version"], date=date_text(
                   v, desc.get("created"))),
               t("data.licence", licence=desc["licenses"][0]["title"])),
           Markup('<p><a href="{}">{}</a> · <a href="{}">datapackage.json</a> · '
                  '<a href="{}">{}</a></p>').format(
               urls.PACKAGE, t("data.folder"), urls.package_file(datapackage.PACKAGE),
               page_path("changes", lang), t("changes.nav")),
           Markup("<h2>{}</h2>").format(t("data.page.load")),
           Markup('<dl class="load">{}</dl>').format(Markup("").join(
               Markup("<dt>{}</dt><dd><code>{}</code></dd>").format(tool, code)
               for tool, code in load_lines("region_stats"))),
           Markup("<h2>{}</h2>").format(t("data.page.tables")),
           Markup('<ul class="bullets">{}</ul>').format(Markup("").join(
               Markup('<li><a href="#{}">{}</a> ({})</li>').format(
                   r["name"], local(r, "title"), r["name"]) for r in desc["resources"]))]
    head = [t("data.col.field"), t("data.col.type"), t("data.col.description"),
            t("data.col.rules")]
    for r in desc["resources"]:
        table = TABLES_BY_NAME[r["name"]]
        s = r["schema"]
        out.append(Markup('<section id="{}"><h3>{} <code>{}</code></h3>').format(
            r["name"], local(r, "title"), r["name"]))
        # The catalog's notes stay in the package: they quote the report's symbols and units
        # (△, －, 百万円) as a transcriber needs them, not as this site's prose writes them.
        facts = [t("data.unit", unit=local(r, "unit"))]
        for src in r.get("sources", []):
            facts.append(local(src, "title"))
        facts.append(t("data.key", fields=", ".join(s["primaryKey"])))
        for fk in s.get("foreignKeys", []):
            facts.append(t("data.ref", field=fk["fields"][0], table=fk["reference"]["resource"],
                           target=fk["reference"]["fields"][0]))
        out.append(Markup('<ul class="bullets">{}</ul>').format(
            Markup("").join(Markup("<li>{}</li>").format(x) for x in facts)))
        out.append(Markup('<p><a href="{}">CSV</a> · <a href="{}">Parquet</a></p>').format(
            urls.package_file(f"{r['name']}.csv"), urls.package_file(f"{r['name']}.parquet")))
        rows = [[Markup("<code>{}</code>").format(f["name"]), f["type"],
                 local(f, "description"), _rules(v, f)] for f in s["fields"]]
        assert [f["name"] for f in s["fields"]] == list(table.column_names)
        out.append(_table(v, local(r, "title"), head, rows))
        out.append(Markup("</section>"))
    return Markup("\n").join(out)


def load_lines(table: str) -> list[tuple[str, str]]:
    """One table of the package loaded in DuckDB, pandas and R (UTF-8 without a BOM)."""
    url = urls.absolute(urls.package_file(f"{table}.csv"))
    return [("DuckDB", f"SELECT * FROM read_csv('{url}');"),
            ("pandas", f'pd.read_csv("{url}")'),
            ("R", f'read.csv("{url}", fileEncoding = "UTF-8")')]


def changes_body(v: View, history: list[releases.Changes]) -> Markup:
    t = v.t
    out = [Markup("<h1>{}</h1>").format(t("changes.title")),
           Markup("<p>{}</p>").format(t("changes.intro")),
           Markup('<p><a href="{}">corrections.csv</a></p>').format(
               urls.package_file("corrections.csv"))]
    # Every version at a glance, newest first; the sections below give each one's rows.
    out.append(_table(v, t("changes.versions"), [
        t("changes.col.version"), t("changes.col.date"), t("changes.col.added"),
        t("changes.col.removed"), t("changes.col.corrected")], [
        [Markup('<a href="#v-{}">{}</a>').format(ch.version, ch.version), date_text(v, ch.date),
         sum(map(len, ch.added.values())), sum(map(len, ch.removed.values())),
         len(ch.corrected)] for ch in history]))
    head = [t("changes.col.table"), t("changes.col.key"), t("changes.col.column"),
            t("changes.col.old"), t("changes.col.new"), t("changes.col.reason")]
    for ch in history:
        out.append(Markup('<h2 id="v-{}">{}</h2><p>{}</p>').format(
            ch.version, t("changes.version", version=ch.version), date_text(v, ch.date)))
        if ch.before is None:
            out.append(Markup("<p>{}</p>").format(t("changes.first")))
            continue
        out.append(Markup("<p>{}</p>").format(t("changes.since", before=ch.before)))
        if not (ch.added or ch.removed or ch.corrected or ch.unexplained):
            out.append(Markup("<p>{}</p>").format(t("changes.none")))
        for kind, found in (("added", ch.added), ("removed", ch.removed)):
            for table, keys in found.items():
                out.append(Markup("<details><summary>{}</summary><p>{}</p></details>").format(
                    t(f"changes.{kind}", table=table, count=len(keys)), ", ".join(keys)))
        if ch.corrected:
            out.append(Markup("<h3>{}</h3>").format(t("changes.corrected")))
            out.append(_table(v, t("changes.corrected"), head, [
                [e["table"], e["key"], e["column"], e["old"], e["new"], e[f"reason_{v.lang}"]]
                for e in ch.corrected]))
        if ch.unexplained:
            out.append(Markup('<p class="callout">{}</p>').format(t(
                "changes.unexplained", rows="; ".join(f"{a} {k}" for a, k in ch.unexplained))))
    return Markup("\n").join(out)


PAGES = ("data", "changes")


def sitemap() -> list:
    """The pages this module writes, as path_of(lang) functions for the sitemap."""
    return [lambda lang, page=page: page_path(page, lang) for page in PAGES]


def sources() -> list[Path]:
    """What these pages are made of beyond the code and the database: the releases and the log."""
    return [releases.CORRECTIONS, *releases.RELEASES_DIR.glob("*.json"),
            *paths.TABLES_DIR.glob("*.csv")]


def write(out: Path, env, frame) -> None:
    """The package into /data/, the dictionary and the changes in both languages; /data/
    itself opens the Japanese dictionary (as / opens the Japanese overview)."""
    desc = datapackage.write(out / DATA_DIR)
    shutil.copyfile(releases.CORRECTIONS, out / DATA_DIR / "corrections.csv")
    history = releases.history()
    for page, body in (("data", lambda v: dictionary_body(v, desc)),  # PAGES
                       ("changes", lambda v: changes_body(v, history))):
        for lang in i18n.LANGS:
            v = View(lang)
            html = frame(env, v, lambda lg, page=page: page_path(page, lg),
                         v.t(f"{'data.page' if page == 'data' else 'changes'}.title"),
                         v.t(f"{'data.page' if page == 'data' else 'changes'}.intro",
                             count=len(desc["resources"])), body(v))
            for target in [out / lang / page] + ([out / DATA_DIR]
                                                 if lang == i18n.DEFAULT_LANG and page == "data"
                                                 else []):
                target.mkdir(parents=True, exist_ok=True)
                (target / "index.html").write_text(html, encoding="utf-8")
