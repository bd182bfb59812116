"""The report section each descriptive text of the site rests on.

Figures carry their source through the catalog (catalog.csv: the line under each chart). The
prose does too: every glossary entry, every product description and every page introduction is
written in this site's own words, and says here which part of the report it paraphrases, so a
reader (or an editor) can check the words against the report as they would a number. The
Japanese names are the report's own headings, as printed (tests/test_sources.py finds each one
in the report, next to its chapter); the English is this site's gloss, since the report has no
English edition.

Each key is the i18n key of the text; `line(v, key)` is the 出典／Source line shown under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .glossary import BASE_TERMS
from .schema import PRODUCTS


@dataclass(frozen=True)
class Section:
    chapter_ja: str  # the report's chapter, as its page footers name it
    section_ja: str  # the heading inside that chapter
    en: str  # "Chapter: Heading" in English

    @property
    def ja(self) -> str:
        return f"{self.chapter_ja} {self.section_ja}"


def _s(chapter_ja: str, section_ja: str, en: str) -> Section:
    return Section(chapter_ja, section_ja, en)


BIZ = "NEXIの業務実績"
BIZ_EN = "NEXI's business results"
ACT = "NEXIの活動"
ACT_EN = "NEXI's activities"
PROD = "保険商品"
PROD_EN = "Insurance products"
FIN = "2024年度決算報告"
FIN_EN = "FY2024 financial report"
ORG = "NEXI概要・組織運営"

UNDERWRITING = _s(BIZ, "保険引受実績", f"{BIZ_EN}: Underwriting")
OUTSTANDING = _s(BIZ, "保険責任残高", f"{BIZ_EN}: Outstanding commitments")
CLAIMS = _s(BIZ, "支払保険金", f"{BIZ_EN}: Claims paid")
RECOVERIES = _s(BIZ, "回収状況", f"{BIZ_EN}: Recoveries")
PREMIUMS = _s(BIZ, "保険料収入", f"{BIZ_EN}: Premium income")
BY_REGION = _s(BIZ, "●地域別保険引受実績", f"{BIZ_EN}: Underwriting by region")
BY_PRODUCT = _s(BIZ, "●保険種別引受実績", f"{BIZ_EN}: Underwriting by product")
OVERVIEW = _s(BIZ, "業務概況", f"{BIZ_EN}: Business overview")
HOW_IT_WORKS = _s(PROD, "貿易保険制度の仕組み", f"{PROD_EN}: How trade insurance works")
PROCEDURE = _s(PROD, "貿易保険手続の流れ", f"{PROD_EN}: The steps of a trade-insurance policy")
PARIS_CLUB = _s(PROD, "債権回収の一手段としての「パリクラブ」",
                f"{PROD_EN}: The Paris Club as one way of recovering debts")
FIN_SUMMARY = _s(FIN, "決算の概要", f"{FIN_EN}: Summary of the financial results")
FIN_STATEMENTS = _s(FIN, "財務諸表等", f"{FIN_EN}: Financial statements")
FIN_TERMS = _s("財務諸表等", "固有の表示科目の内容",
               "Financial statements: Items particular to NEXI's statements")
FIN_POLICIES = _s("財務諸表等", "重要な会計方針",
                  "Financial statements: Significant accounting policies")
CLIMATE_RISK = _s("気候変動に対する取組み", "リスク低減の取組み",
                  "Topics, Climate change: Reducing risk")
LEAD = _s("資金調達ニーズへの支援強化", "LEADイニシアティブの推進（2020年12月）",
          "Feature 3, Stronger support for financing needs: Promoting the LEAD Initiative "
          "(December 2020)")
LEAD_PRODUCTS = _s(PROD, "LEADイニシアティブ", f"{PROD_EN}: The LEAD Initiative")
PARTNERS = _s(ACT, "海外の関連組織との協力",
              f"{ACT_EN}: Cooperation with overseas partner organisations")
BERNE_UNION = _s("TOPICS", "国際輸出信用保険機構",
                 "Topics: The International Union of Credit & Investment Insurers "
                 "(Berne Union)")
SME_NETWORK = _s(ACT, "中堅・中小企業に対する支援ネットワーク",
                 f"{ACT_EN}: The support network for mid-sized and small companies")
PROFILE = _s(ORG, "法人概要", "NEXI profile and organisation: Company profile")
FRONTING = _s(PROD, "フロンティング", f"{PROD_EN}: Fronting")


def _product(name_ja: str, name_en: str) -> Section:
    return _s(PROD, name_ja, f"{PROD_EN}: {name_en}")


PRODUCT_SECTIONS = {
    "general_trade": (_product("貿易一般保険", "Trade Insurance (General)"), BY_PRODUCT),
    "limit_trade": (_product("限度額設定型貿易保険", "Export Credit Insurance with Credit Limit"),),
    "sme_agri_export": (_product("中小企業・農林水産業輸出代金保険",
                                 "Export Credit Insurance for SMEs and Agriculture-Forestry-"
                                 "Fisheries"),),
    "simplified_comprehensive": (_product("簡易通知型包括保険",
                                          "Simplified Comprehensive Insurance with "
                                          "Notification"),),
    "export_bill": (_product("輸出手形保険", "Export Bill Insurance"),),
    "lc_confirmation": (_product("信用状確認保険", "L/C Confirmation Insurance"),),
    "prepayment_import": (_product("前払購入保険", "Prepayment Import Insurance"),),
    "overseas_investment": (_product("海外投資保険", "Overseas Investment Insurance"),),
    "buyer_credit": (_product("貿易代金貸付保険", "Buyer's Credit Insurance"),),
    "overseas_untied_loan": (_product("海外事業資金貸付保険", "Overseas Untied Loan Insurance"),
                             _product("資源エネルギー総合保険",
                                      "Comprehensive Resources and Energy Insurance")),
    "swap": (_product("スワップ取引保険", "Swap Transaction Insurance"),),
    "reinsurance": (FRONTING, PARTNERS),
}

GLOSSARY_SECTIONS = {
    "underwriting": (FIN_SUMMARY, UNDERWRITING),
    "outstanding": (OUTSTANDING,),
    "political_risk": (HOW_IT_WORKS,),
    "commercial_risk": (HOW_IT_WORKS,),
    "claims_paid": (CLAIMS,),
    "recoveries": (RECOVERIES, PROCEDURE),
    "subrogation": (PROCEDURE, FIN_TERMS),
    "paris_club": (PARIS_CLUB,),
    "premium_income": (PREMIUMS,),
    "net_premiums_written": (FIN_TERMS,),
    "reinsurance_ceded": (CLIMATE_RISK, FIN_TERMS),
    "claims_reserve": (FIN_TERMS,),
    "underwriting_reserve": (FIN_TERMS, FIN_STATEMENTS),
    "contingency_reserve": (FIN_POLICIES, FIN_SUMMARY),
    "loss_ratio_paid": (FIN_STATEMENTS, FIN_SUMMARY),
    "loss_ratio_incurred": (FIN_STATEMENTS, FIN_SUMMARY),
    "net_expense_ratio": (FIN_STATEMENTS,),
    "equity_ratio": (FIN_STATEMENTS,),
    "investment_yield": (FIN_STATEMENTS,),
    "eca": (PARTNERS, BERNE_UNION),
    "lead": (LEAD,),
    "statistical_regions": (BY_REGION,),
}

INTRO_SECTIONS = {
    "overview.intro": (OVERVIEW,),
    "regions.intro": (BY_REGION,),
    "products.intro": (BY_PRODUCT,),
    "lead.intro": (LEAD,),
    "partners.intro": (PARTNERS,),
    "sme.intro": (SME_NETWORK,),
    "financials.intro": (FIN_STATEMENTS,),
    "about.intro": (PROFILE,),
}

SOURCES: dict[str, tuple[Section, ...]] = {
    **{f"glossary.def.{t}": s for t, s in GLOSSARY_SECTIONS.items()},
    **{f"product.desc.{p}": s for p, s in PRODUCT_SECTIONS.items()},
    **INTRO_SECTIONS,
}
assert set(GLOSSARY_SECTIONS) == set(BASE_TERMS)
assert set(PRODUCT_SECTIONS) == set(PRODUCTS)


def sections(key: str) -> tuple[Section, ...]:
    return SOURCES[key]


def line(v, key: str) -> str:
    """出典：NEXI 年次報告書 2024（…）/ Source: NEXI Annual Report FY2024 (section: …), from the
    same template as the charts' source lines."""
    parts = [s.ja if v.lang == "ja" else s.en for s in SOURCES[key]]
    return v.t("ui.source", year=v.report_year, section=("／" if v.lang == "ja" else "; ")
               .join(parts))
