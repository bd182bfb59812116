"""The press kit's words: the press-release draft, the likely questions with their answers, the
pack's README, and the settings a press office fills in (embargo, contact, licence).

Every figure comes from the app's queries, rounded as the press sentences round them; every
explanation is one the report itself gives, worded here (the templates are kit.rel.* and
kit.qa.* in nexidash/i18n/presskit.*.json). Each answer names where in the report its figures
stand: the catalog's section (source_ja), in English from the source.<table> keys.
"""

from __future__ import annotations

import calendar
import os
from dataclasses import dataclass
from functools import cached_property

from . import findings, fmt, i18n, press
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
        env = os.environ if env is None else env
        return cls(embargo=(env.get("NEXI_PRESS_EMBARGO") or "").strip() or None,
                   contact=(env.get("NEXI_PRESS_CONTACT") or "").strip() or None,
                   license=(env.get("NEXI_LICENSE") or "").strip() or "CC-BY-4.0")

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
    """The figures the release and the answers quote, for the view's year, as text."""

    def __init__(self, v: View):
        self.v = v
        self.lang = v.lang

    def money(self, mjpy) -> str:
        return fmt.money(mjpy, self.lang, approx=True)

    def small(self, mjpy) -> str:
        """An amount under ¥100 million: 200万円 in Japanese prose (never 百万円), ¥2 million."""
        if self.lang == "ja":
            return f"{int(mjpy) * 100:,}万円"
        return fmt.money(mjpy, "en")

    def pct(self, value) -> str:
        text = fmt.pct(value, self.lang)
        return text.replace("%", "％") if self.lang == "ja" else text

    @staticmethod
    def rate(value) -> str:
        return f"{abs(fmt.round_half_up(value, 1)):,.1f}"

    @cached_property
    def totals(self) -> dict:
        rows = self.v.q("headline_totals")
        rows = rows[rows["fiscal_year"] == self.v.year]
        return {(r.measure, r.risk): r for r in rows.itertuples()}

    def total(self, measure: str, risk: str = "total"):
        return self.totals[(measure, risk)]

    @cached_property
    def summary(self) -> dict:
        rows = self.v.q("financial_summary", fiscal_year=self.v.year)
        return dict(zip(rows["item"], rows["amount_mjpy"]))

    def top(self, query: str, measure: str):
        rows = self.v.q(query, measure=measure, risk="total", fiscal_year=self.v.year)
        return rows.dropna(subset=["amount_mjpy"]).sort_values("amount_mjpy").iloc[-1]

    def headline(self) -> dict:
        """The amounts and rates of the headline measures: claims, claims_rate, ..."""
        out = {}
        for measure in ("underwriting", "outstanding", "premium", "claims_paid", "recoveries"):
            row = self.total(measure)
            out[measure] = self.money(row.amount_mjpy)
            out[f"{measure}_prev"] = self.money(row.prev_amount_mjpy)
            out[f"{measure}_rate"] = self.rate(row.change_pct)
        return out

    def claims(self) -> dict:
        region = self.top("region_measure_year", "claims_paid")
        return {"political": self.money(self.total("claims_paid", "political").amount_mjpy),
                "commercial": self.money(self.total("claims_paid", "commercial").amount_mjpy),
                "region": region[i18n.name_col(self.lang)], "region_amount":
                self.money(region.amount_mjpy), "region_share": self.pct(region.share_pct)}

    def recoveries(self) -> dict:
        risks = self.v.q("recoveries_by_risk")
        risks = dict(zip(risks[risks["fiscal_year"] == self.v.year]["risk"],
                         risks[risks["fiscal_year"] == self.v.year]["amount_mjpy"]))
        whole = sum(risks.values())
        countries = self.v.q("recoveries_by_country", fiscal_year=self.v.year)
        countries = countries.dropna(subset=["iso3"]).sort_values(
            ["amount_100mjpy", "name_en"], ascending=[False, True])
        out = {"political": self.money(risks["political"]),
               # The commercial amount is left out: the table's 7,750百万円 rounds to 約78億円
               # where the report's text says 約77億円; its share (34.7%) agrees.
               "political_share": self.pct(100 * risks["political"] / whole),
               "commercial_share": self.pct(100 * risks["commercial"] / whole)}
        for i, row in enumerate(countries.head(2).itertuples(), start=1):
            out[f"c{i}"] = getattr(row, i18n.name_col(self.lang))
            out[f"c{i}_amount"] = fmt.oku(row.amount_100mjpy, self.lang, approx=bool(row.approx))
            out[f"c{i}_basis"] = self.v.t(f"country.basis.{row.basis}")
        return out

    def finance(self) -> dict:
        s = self.summary
        return {"net_income": self.small(s["net_income"]),
                "reserve": self.money(s["catastrophe_reserve_provision"]),
                "ordinary_loss": self.money(abs(s["ordinary_loss"])),
                "extraordinary": self.money(s["extraordinary_income"])}

    def leaders(self) -> dict:
        region = self.top("region_measure_year", "underwriting")
        product = self.top("product_measure_year", "premium")
        name = i18n.name_col(self.lang)
        return {"region": region[name], "region_amount": self.money(region.amount_mjpy),
                "region_share": self.pct(region.share_pct), "product": product[name],
                "product_amount": self.money(product.amount_mjpy),
                "product_share": self.pct(product.share_pct)}

    def company(self) -> dict:
        rows = self.v.q("company_profile")
        col = "value_" + self.lang
        return dict(zip(rows["item"], rows[col])) | {
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
