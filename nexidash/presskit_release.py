"""The press kit's words: the press-release draft, the likely questions with their answers, the
pack's README, and the settings a press office fills in (embargo, contact, licence).

Every figure comes from the app's queries, rounded as the press sentences round them; every
explanation is one the report itself gives, worded here (the templates are kit.rel.* and
kit.qa.* in nexidash/i18n/presskit.*.json). Each answer names where in the report its figures
stand: the catalog's section (source_ja), in English from the source.<table> keys.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from functools import cached_property

from . import findings, fmt, i18n, press, prose, settings, style
from .prose import Fig
from .presskit_charts import section
from .version import data_version
from .view import View

# Licences by SPDX id: their names and the text a reader follows. Another id is shown as given.
LICENSES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0 International (CC BY 4.0)",
                  "https://creativecommons.org/licenses/by/4.0/"),
}


@dataclass(frozen=True)
class Settings:
    """What a press office sets before it hands the kit out. Unset, the files carry a visible
    placeholder ([EMBARGO: to be set]) that nobody can mistake for the real line."""

    embargo: str | None = None
    contact: str | None = None
    license: str = "CC-BY-4.0"

    @classmethod
    def from_env(cls, env=None) -> "Settings":
        """The one place the kit reads its settings (README, "Settings")."""
        return cls(embargo=settings.get("NEXI_PRESS_EMBARGO", env),
                   contact=settings.get("NEXI_PRESS_CONTACT", env),
                   license=settings.get("NEXI_LICENSE", env))

    def license_text(self) -> str:
        name, url = LICENSES.get(self.license, (self.license, ""))
        return f"{name} {url}".strip()


def as_of(v: View) -> str:
    """The date the report's figures stand at: the end of its fiscal year (31 March)."""
    return v.t("kit.as_of", year=v.report_year + 1)


def lead_sentences(v: View) -> list[str]:
    """The kit's sentences, the report's own headline first: claims paid, the largest since
    NEXI's founding in 2001; then the other record and the press page's sentences."""
    return [f.text for f in findings.records(v)] + [s.text for s in press.sentences(v)]


class Figures:
    """The figures the release and the answers quote, for the view's year: each a prose.Fig
    with the table cell it comes from or the operation that derives it, so the provenance test
    can read the release and the answers back as it reads every other sentence."""

    def __init__(self, v: View):
        self.v = v
        self.lang = v.lang

    @cached_property
    def totals(self) -> dict:
        rows = self.v.q("headline_totals")
        rows = rows[rows["fiscal_year"] == self.v.year]
        return {(r.measure, r.risk): r for r in rows.itertuples()}

    def total(self, measure: str, risk: str = "total", previous: bool = False) -> Fig:
        row = self.totals[(measure, risk)]
        year = self.v.year - 1 if previous else self.v.year
        return press.total(self.lang, measure, year,
                           row.prev_amount_mjpy if previous else row.amount_mjpy, risk=risk)

    def summary(self, item: str, absolute: bool = False) -> Fig:
        rows = self.v.q("financial_summary", fiscal_year=self.v.year).set_index("item")
        value = rows.at[item, "amount_mjpy"]
        fig = prose.money(value, self.lang, table="financial_summary",
                          key={"fiscal_year": self.v.year, "item": item})
        # "an ordinary loss of about ¥1.0 billion": the words carry the sign
        return Fig(fig.value, fig.unit, fmt.money(abs(value), self.lang, approx=True),
                   fig.source) if absolute else fig

    def top(self, dim: str, measure: str) -> tuple[str, Fig, Fig]:
        """The largest part of a breakdown: its name, amount and share of the breakdown's sum."""
        rows = self.v.q(f"{dim}_measure_year", measure=measure, risk="total",
                        fiscal_year=self.v.year).dropna(subset=["amount_mjpy"])
        rows = rows.sort_values("amount_mjpy", ascending=False)
        parts = [press.part(self.lang, f"{dim}_stats", dim, r[dim], measure, self.v.year,
                            r["amount_mjpy"]) for _, r in rows.iterrows()]
        name = style.name_in_sentence(rows.iloc[0][i18n.name_col(self.lang)], self.lang)
        return name, parts[0], press.share(self.lang, parts[0], parts)

    def headline(self) -> dict:
        """The amounts and rates of the headline measures: claims, claims_rate, ..."""
        out = {}
        for measure in ("underwriting", "outstanding", "premium", "claims_paid", "recoveries"):
            out[measure] = cur = self.total(measure)
            out[f"{measure}_prev"] = prev = self.total(measure, previous=True)
            out[f"{measure}_rate"] = press.rate(cur, prev, self.lang)[0]
        return out

    def claims(self) -> dict:
        region, amount, share = self.top("region", "claims_paid")
        return {"political": self.total("claims_paid", "political"),
                "commercial": self.total("claims_paid", "commercial"),
                "region": region, "region_amount": amount, "region_share": share}

    def recoveries(self) -> dict:
        rows = self.v.q("recoveries_by_risk")
        rows = rows[rows["fiscal_year"] == self.v.year]
        risks = {r: prose.money(a, self.lang, table="risk_stats",
                                key={"fiscal_year": self.v.year, "measure": "recoveries",
                                     "risk": r})
                 for r, a in zip(rows["risk"], rows["amount_mjpy"])}
        both = [risks["political"], risks["commercial"]]
        countries = self.v.q("recoveries_by_country", fiscal_year=self.v.year)
        countries = countries.dropna(subset=["iso3"]).sort_values(
            ["amount_100mjpy", "name_en"], ascending=[False, True])
        out = {"political": risks["political"],
               # The commercial amount is left out: the table's 7,750百万円 rounds to 約78億円
               # where the report's text says 約77億円; its share (34.7%) agrees.
               "political_share": press.share(self.lang, risks["political"], both),
               "commercial_share": press.share(self.lang, risks["commercial"], both)}
        for i, row in enumerate(countries.head(2).itertuples(), start=1):
            out[f"c{i}"] = style.name_in_sentence(getattr(row, i18n.name_col(self.lang)),
                                                  self.lang)
            out[f"c{i}_amount"] = Fig.cell(
                row.amount_100mjpy, "oku",
                fmt.oku(row.amount_100mjpy, self.lang, approx=bool(row.approx)),
                "recoveries_by_country", {"fiscal_year": self.v.year, "iso3": row.iso3},
                "amount_100mjpy")
            out[f"c{i}_basis"] = self.v.t(f"country.basis.{row.basis}")
        return out

    def finance(self) -> dict:
        return {"net_income": self.summary("net_income"),
                "reserve": self.summary("catastrophe_reserve_provision"),
                "ordinary_loss": self.summary("ordinary_loss", absolute=True),
                "extraordinary": self.summary("extraordinary_income")}

    def leaders(self) -> dict:
        region, region_amount, region_share = self.top("region", "underwriting")
        product, product_amount, product_share = self.top("product", "premium")
        return {"region": region, "region_amount": region_amount, "region_share": region_share,
                "product": product, "product_amount": product_amount,
                "product_share": product_share}

    def company(self) -> dict:
        rows = self.v.q("company_profile")
        col = "value_" + self.lang
        return {r["item"]: Fig.cell(r[col], "text", str(r[col]), "company_profile",
                                    {"item": r["item"]}, col) for _, r in rows.iterrows()} | {
            "staff_as_of": self.v.t("kit.staff_as_of", **_ymd(
                rows[rows["item"] == "employees"]["as_of"].iloc[0], self.lang))}


def _ymd(iso: str, lang: str) -> dict:
    """A date's parts for kit.staff_as_of: 2025年4月1日, 1 April 2025."""
    y, m, d = (int(x) for x in iso.split("-"))
    return {"y": y, "m": m if lang == "ja" else calendar.month_name[m], "d": d}


# The likely questions, in the order a reporter asks them, and the tables each answer quotes.
QUESTIONS = (("claims", ("report_totals", "region_stats")),
             ("recoveries", ("risk_stats", "recoveries_by_country")),
             ("net_income", ("financial_summary", "financial_notes")),
             ("premium", ("report_totals", "financial_summary")),
             ("underwriting", ("report_totals", "financial_summary")),
             ("leaders", ("region_stats", "product_stats")))


def _values(v: View) -> dict:
    f = Figures(v)
    return {"fy": v.fy(v.year), "year": v.report_year, "as_of": as_of(v),
            **f.headline(), **{f"claims_{k}": x for k, x in f.claims().items()},
            **{f"rec_{k}": x for k, x in f.recoveries().items()}, **f.finance(),
            **{f"top_{k}": x for k, x in f.leaders().items()}}


def qa_markdown(v: View) -> str:
    """The likely questions, each answered with the figures and where they stand."""
    t, values = v.t, _values(v)
    out = [f"# {t('kit.qa.title', fy=v.fy(v.year))}", "", t("kit.qa.intro"), ""]
    for i, (key, tables) in enumerate(QUESTIONS, start=1):
        where = t("kit.qa.where", year=v.report_year,
                  sections=t("kit.qa.joiner").join(section(v, table) for table in tables))
        out += [f"## Q{i}. {t(f'kit.qa.q.{key}', **values)}", "",
                f"A. {t(f'kit.qa.a.{key}', **values)}", "", f"*{where}*", ""]
    out += ["---", "", t("kit.source", year=v.report_year) + " " + t("kit.derived"), ""]
    return "\n".join(out)


def release_markdown(v: View, s: Settings) -> str:
    """A draft press release: embargo, headline, lead, key figures, context, about NEXI,
    contact. A press office edits it; the figures are the tables'."""
    t, values = v.t, _values(v)
    company = Figures(v).company()
    embargo = t("kit.rel.embargo", embargo=s.embargo) if s.embargo else t("kit.rel.embargo_unset")
    contact = s.contact or t("kit.rel.contact_unset")
    out = [embargo, "", t("kit.rel.draft"), "",
           f"# {t('kit.rel.headline', **values)}", "", t("kit.rel.dateline", **values), "",
           t("kit.rel.lead", **values), "",
           f"## {t('kit.rel.figures_title')}", ""]
    out += [f"- {line}" for line in lead_sentences(v)]
    out += ["", f"## {t('kit.rel.context_title')}", ""]
    for key in ("claims", "business", "finance"):
        out += [t(f"kit.rel.context.{key}", **values), ""]
    out += [f"## {t('kit.rel.about_title')}", "", t("kit.rel.about", **company), "",
            f"## {t('kit.rel.contact_title')}", "", contact, "", "---", "",
            t("kit.source", year=v.report_year) + " " + t("kit.derived"),
            t("kit.rel.version", version=data_version(), as_of=as_of(v)),
            t("kit.rel.license", license=s.license_text()), ""]
    return "\n".join(out)


def citation(lang: str, year: int) -> str:
    return i18n.translate(lang, "kit.cite", year=year, version=data_version())


def readme(year: int, s: Settings) -> str:
    """Both languages: what the pack holds, its version and date, its licence, how to cite it."""
    parts = []
    for lang in i18n.LANGS:
        v = View(lang)
        parts.append("\n".join([
            i18n.translate(lang, "kit.readme", year=year, end=f"{year + 1}-03-31"), "",
            i18n.translate(lang, "kit.readme.version", version=data_version()),
            i18n.translate(lang, "kit.readme.date", as_of=as_of(v), end=f"{year + 1}-03-31"),
            i18n.translate(lang, "kit.readme.license", license=s.license_text()),
            i18n.translate(lang, "kit.readme.cite_title"), citation(lang, year)]))
    return "\n\n".join(parts) + "\n"
