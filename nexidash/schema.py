"""The public tables' columns, types, keys and codes: the data contract in executable form.

The build validates every CSV against these declarations before anything reaches DuckDB, so a
transcription slip stops the build with the file, row and column instead of surfacing as a
wrong figure on a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

REGIONS = ("asia", "middle_east", "europe", "north_america", "central_america",
           "south_america", "africa", "oceania", "intl_org")
PRODUCTS = ("general_trade", "limit_trade", "sme_agri_export", "simplified_comprehensive",
            "export_bill", "lc_confirmation", "prepayment_import", "overseas_investment",
            "buyer_credit", "overseas_untied_loan", "swap", "reinsurance")
RISKS = ("total", "political", "commercial")
# The measures each breakdown has, in the report's order: the controls offer these.
REGION_MEASURES = ("underwriting", "outstanding", "claims_paid", "recoveries")
PRODUCT_MEASURES = ("underwriting", "outstanding", "premium", "claims_paid")
HEADLINE_MEASURES = ("underwriting", "outstanding", "premium", "claims_paid", "recoveries")
# The breakdowns two years can be compared by (the compare page), each with its measures; the
# figures are in the table <breakdown>_stats.
BREAKDOWN_MEASURES = {"region": REGION_MEASURES, "product": PRODUCT_MEASURES}
LEAD_ELEMENTS = ("leading_tech", "environment_energy", "alliance", "development")
AGREEMENT_TYPES = ("one_stop_shop", "short_term_reinsurance", "private_reinsurance", "cooperation")
AGREEMENT_REGIONS = ("multilateral", "south_america", "north_america", "africa", "middle_east",
                     "asia_oceania", "europe", "private")
# The same groups in the order the partners page offers them: multilateral bodies first, the
# regions from Japan outwards, the private insurers last.
AGREEMENT_GROUPS_SHOWN = ("multilateral", "asia_oceania", "middle_east", "europe", "africa",
                          "north_america", "south_america", "private")
assert sorted(AGREEMENT_GROUPS_SHOWN) == sorted(AGREEMENT_REGIONS)
# What the SME network map can count per prefecture: every member, or one kind of member
# (sme_prefecture_counts' columns).
SME_COUNTS = ("members", "banks", "shinkin")
# The financial statements' notes (財務諸表等 注記) and the net-assets statement's rows and columns.
FINANCIAL_NOTES = ("premiums", "claims", "commissions", "claims_reserve_provision",
                   "uw_reserve_provision", "interest", "subrogation_income",
                   "subrogation_expenses", "outstanding_claims", "uw_reserves",
                   "subrogated_claims", "unlisted_securities", "accumulated_depreciation",
                   "cuba_fund", "cash_reconciliation")
NET_ASSET_MOVEMENTS = ("opening", "net_income", "non_equity_net", "change_total", "closing")
NET_ASSET_COMPONENTS = ("capital", "capital_reserve", "capital_surplus_total",
                        "retained_brought_forward", "retained_earnings_total",
                        "shareholders_equity_total", "securities_valuation", "valuation_total",
                        "net_assets_total")
# What a recovery named in the recoveries text came from (パリクラブ, 信用事故案件, 非常事故案件).
RECOVERY_BASES = ("paris_club", "paris_club_and_other", "commercial", "political")
# The destinations the exports text names (world is the total).
EXPORT_DESTINATIONS = ("world", "asia", "china", "usa", "eu", "middle_east")


@dataclass(frozen=True)
class Col:
    name: str
    # str | int | float | bool | year | month | iso3 | pref; a str cell's brackets and quotes
    # must close in order (build.unbalanced), as a number must parse
    kind: str = "str"
    required: bool = True
    choices: tuple[str, ...] | None = None
    multi: bool = False  # a ';'-separated list, each item from choices
    ref: str | None = None  # "table.column" the value must exist in

    @property
    def sql_type(self) -> str:
        return {"int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN",
                "year": "INTEGER"}.get(self.kind, "VARCHAR")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Col, ...]
    key: tuple[str, ...]
    checks: tuple[str, ...] = field(default=())  # SQL boolean expressions every row must satisfy

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _t(name: str, key: tuple[str, ...], *cols: Col, checks: tuple[str, ...] = ()) -> Table:
    return Table(name, tuple(cols), key, checks)


S = lambda name, **kw: Col(name, "str", **kw)  # noqa: E731
I = lambda name, **kw: Col(name, "int", **kw)  # noqa: E731, E741 (S, I, F: the column types)
FY = Col("fiscal_year", "year")

TABLES: tuple[Table, ...] = (
    # Reference tables first: the build loads in this order so references resolve.
    _t("regions", ("region",),
       S("region", choices=REGIONS), S("name_ja"), S("name_en"), I("sort")),
    _t("product_families", ("family",),
       S("family"), S("name_ja"), S("name_en"), I("sort")),
    _t("products", ("product",),
       S("product", choices=PRODUCTS), S("name_ja"), S("name_en"),
       S("family", ref="product_families.family"), I("sort")),
    _t("country_regions", ("iso3",),
       Col("iso3", "iso3"), S("region", ref="regions.region"), S("name_ja"), S("name_en"),
       Col("on_map", "bool")),
    _t("prefectures", ("prefecture_code",),
       Col("prefecture_code", "pref"), S("name_ja"), S("name_en"), S("region_ja"),
       S("region_en"), I("sort")),
    # Business statistics.
    _t("region_stats", ("fiscal_year", "region", "measure", "risk"),
       FY, S("region", ref="regions.region"),
       S("measure", choices=REGION_MEASURES),
       S("risk", choices=RISKS), I("amount_mjpy", required=False),
       checks=("risk = 'total' OR measure = 'claims_paid'",)),
    _t("product_stats", ("fiscal_year", "product", "measure", "risk"),
       FY, S("product", ref="products.product"),
       S("measure", choices=PRODUCT_MEASURES),
       S("risk", choices=RISKS), I("amount_mjpy", required=False),
       checks=("risk = 'total' OR measure = 'claims_paid'",)),
    _t("risk_stats", ("fiscal_year", "measure", "risk"),
       FY, S("measure", choices=("recoveries",)), S("risk", choices=RISKS),
       I("amount_mjpy", required=False)),
    # The report's printed 合計 rows: what headlines show, and what the parts are tested against.
    _t("report_totals", ("fiscal_year", "measure", "risk"),
       FY, S("measure", choices=HEADLINE_MEASURES),
       S("risk", choices=RISKS), I("amount_mjpy"),
       checks=("risk = 'total' OR measure = 'claims_paid'",)),
    _t("top_countries", ("fiscal_year", "rank"),
       FY, I("rank"), Col("iso3", "iso3", ref="country_regions.iso3"), S("name_ja"),
       I("amount_mjpy"), Col("share_pct", "float"),
       checks=("rank BETWEEN 1 AND 10", "share_pct BETWEEN 0 AND 100")),
    _t("japan_exports", ("fiscal_year",),
       FY, I("amount_mjpy"), S("status", choices=("final", "final_revised", "preliminary_final"))),
    # Partners.
    _t("partner_agreements", ("agreement_type", "region", "institution_ja", "year"),
       S("agreement_type", choices=AGREEMENT_TYPES), S("region", choices=AGREEMENT_REGIONS),
       Col("iso3", "iso3", required=False, ref="country_regions.iso3"),
       S("country_ja", required=False), S("institution_ja"), Col("year", "year"),
       S("institution_en"), S("country_en", required=False),
       checks=("(iso3 IS NULL) = (region IN ('multilateral', 'private'))",
               "(country_ja IS NULL) = (iso3 IS NULL)")),
    # SME network and SME support.
    _t("sme_network", ("name_ja",),
       S("name_ja"), S("kind", choices=("bank", "shinkin")),
       Col("prefecture_code", "pref", ref="prefectures.prefecture_code"), S("prefecture_ja"),
       S("name_en")),
    _t("sme_partnerships_by_year", ("fiscal_year",),
       FY, I("new_regional", required=False), S("new_regional_unit", required=False,
                                                 choices=("行", "機関")),
       I("new_shinkin", required=False), I("cumulative"),
       checks=("(new_regional IS NULL) = (new_regional_unit IS NULL)",)),
    _t("support_package", ("package", "member_ja"),
       S("package", choices=("overseas_business", "okinawa")), S("member_ja"), S("member_en"),
       S("kind", choices=("founder", "partner", "regional_fi")),
       Col("joined", "month", required=False), I("institutions", required=False),
       Col("as_of", "month", required=False), S("package_ja"),
       checks=("(kind = 'regional_fi') = (institutions IS NOT NULL)",)),
    _t("sme_cases", ("case_no", "dest_iso3"),
       I("case_no"), S("company_ja"), S("company_en"),
       Col("prefecture_code", "pref", required=False, ref="prefectures.prefecture_code"),
       S("city_ja", required=False), S("product", ref="products.product"), S("goods_ja"),
       S("goods_en"), Col("dest_iso3", "iso3", ref="country_regions.iso3"),
       I("amount_jpy", required=False),
       S("amount_basis", required=False, choices=("per_month", "per_contract")),
       Col("approx", "bool", required=False), Col("signed", "month"),
       S("introducer_ja", required=False), S("introducer_en", required=False),
       checks=("(amount_jpy IS NULL) = (amount_basis IS NULL)",
               "(amount_jpy IS NULL) = (approx IS NULL)")),
    # LEAD initiative and underwritten projects.
    _t("lead_projects", ("no",),
       I("no"), Col("announced", "month"),
       Col("iso3", "iso3", required=False, ref="country_regions.iso3"), S("place_ja"),
       S("title_ja"), S("title_en"), S("elements", choices=LEAD_ELEMENTS, multi=True),
       I("amount"), S("currency", choices=("USD", "JPY", "TWD", "EUR")), Col("approx", "bool"),
       S("region", ref="regions.region"), S("place_en"),
       checks=("amount > 0",)),
    _t("decarbonisation_projects", ("no",),
       I("no"), Col("signed", "month"), Col("iso3", "iso3", ref="country_regions.iso3"),
       S("country_ja"), S("title_ja"), S("title_en"),
       S("product", required=False, ref="products.product"),
       I("lead_no", required=False, ref="lead_projects.no"),
       S("product_family", required=False, ref="product_families.family"),
       S("project_id", required=False)),
    _t("major_projects", ("project_id", "contract_no"),
       S("project_id"), I("contract_no"), S("title_ja"), S("title_en"),
       Col("host_iso3", "iso3", ref="country_regions.iso3"),
       Col("site_iso3", "iso3", required=False, ref="country_regions.iso3"),
       S("product", ref="products.product"), Col("signed", "month"),
       I("amount", required=False), S("currency", required=False, choices=("USD", "EUR")),
       Col("approx", "bool", required=False), I("lead_no", required=False, ref="lead_projects.no"),
       S("country_ja"),
       checks=("(amount IS NULL) = (currency IS NULL)",)),
    # Financial statements and sustainability.
    _t("financial_statements", ("statement", "line_no"),
       S("statement", choices=("pl", "bs", "cf")), I("line_no"), S("item_ja"), S("item_en"),
       I("parent_line", required=False), I("level"), I("amount_mjpy", required=False),
       Col("is_total", "bool")),
    _t("financial_summary", ("fiscal_year", "item"),
       FY, S("item"), S("item_ja"), S("item_en"), I("amount_mjpy", required=False),
       I("precision_mjpy"),
       checks=("precision_mjpy IN (1, 10)",)),
    _t("financial_notes", ("note", "line_no"),
       S("note", choices=FINANCIAL_NOTES), I("line_no"), S("item_ja"), S("item_en"),
       I("parent_line", required=False), I("level"), I("amount_mjpy", required=False),
       I("sign"), Col("is_total", "bool"), S("statement", required=False, choices=("pl", "bs", "cf")),
       I("statement_line", required=False),
       checks=("sign IN (1, -1)", "(statement IS NULL) = (statement_line IS NULL)",
               "(parent_line IS NULL) = (level = 0)")),
    _t("net_assets_changes", ("movement", "component"),
       S("movement", choices=NET_ASSET_MOVEMENTS), S("component", choices=NET_ASSET_COMPONENTS),
       S("movement_ja"), S("movement_en"), S("component_ja"), S("component_en"),
       I("movement_sort"), I("component_sort"),
       S("movement_parent", required=False, choices=NET_ASSET_MOVEMENTS),
       S("component_parent", required=False, choices=NET_ASSET_COMPONENTS),
       I("amount_mjpy", required=False)),
    _t("htm_bonds", ("fair_value_group", "kind"),
       S("fair_value_group", choices=("above_book", "not_above_book")),
       S("kind", choices=("jgb", "local", "corporate", "foreign")), S("kind_ja"), S("kind_en"),
       I("sort"), I("book_value_mjpy", required=False), I("fair_value_mjpy", required=False),
       I("difference_mjpy", required=False),
       checks=("(book_value_mjpy IS NULL) = (fair_value_mjpy IS NULL)",
               "(fair_value_group = 'above_book') = (difference_mjpy > 0)"
               " OR difference_mjpy IS NULL")),
    # The printed 小計 (per group) and 合計 (all) rows of the same table, kept as printed: the
    # report rounds each cell, so they may differ by one from the sum of the parts above.
    _t("htm_bond_totals", ("fair_value_group",),
       S("fair_value_group", choices=("above_book", "not_above_book", "all")),
       I("book_value_mjpy"), I("fair_value_mjpy"), I("difference_mjpy"),
       checks=("(fair_value_group = 'above_book') = (difference_mjpy > 0)",)),
    _t("bond_redemptions", ("asset", "bucket"),
       S("asset", choices=("htm_bonds",)), S("bucket"), S("bucket_ja"), S("bucket_en"), I("sort"),
       I("amount_mjpy", required=False),
       checks=("amount_mjpy IS NULL OR amount_mjpy > 0",)),
    _t("env_screening", ("fiscal_year", "dimension", "key"),
       FY, S("dimension", choices=("category", "region")), S("key"), S("label_ja"),
       S("label_en"), I("share_pct"), I("sort"),
       checks=("share_pct BETWEEN 0 AND 100",)),
    _t("env_screening_cases", ("fiscal_year",), FY, I("cases")),
    _t("offices", ("office",),
       S("office"), S("name_ja"), S("name_en"),
       S("kind", choices=("head_office", "branch", "representative_office")),
       S("city_ja"), S("city_en"), Col("iso3", "iso3", ref="country_regions.iso3"),
       Col("lat", "float"), Col("lon", "float")),
    # Per-country figures from the report's text, and the company itself.
    _t("recoveries_by_country", ("fiscal_year", "name_ja"),
       FY, S("region", required=False, ref="regions.region"),
       Col("iso3", "iso3", required=False, ref="country_regions.iso3"), S("name_ja"), S("name_en"),
       Col("amount_100mjpy", "float"), Col("approx", "bool"), S("basis", choices=RECOVERY_BASES),
       Col("region_share_pct", "float", required=False),
       checks=("amount_100mjpy > 0", "region_share_pct BETWEEN 0 AND 100",
               "region_share_pct IS NULL OR region IS NOT NULL",
               "iso3 IS NULL OR region = (SELECT c.region FROM country_regions c"
               " WHERE c.iso3 = recoveries_by_country.iso3)")),
    _t("japan_exports_by_destination", ("fiscal_year", "destination"),
       FY, S("destination", choices=EXPORT_DESTINATIONS),
       Col("iso3", "iso3", required=False, ref="country_regions.iso3"), S("name_ja"), S("name_en"),
       Col("amount_trillion_jpy", "float"), Col("approx", "bool"),
       Col("change_pct", "float", required=False),
       checks=("amount_trillion_jpy > 0", "(iso3 IS NOT NULL) = (destination IN ('china', 'usa'))")),
    _t("company_profile", ("item",),
       S("item"), S("value_ja"), S("value_en"), S("as_of", required=False),
       checks=("as_of IS NULL OR regexp_full_match(as_of, '\\d{4}-\\d{2}-\\d{2}')",)),
    _t("history", ("date",),
       Col("date", "month"), S("event_ja"), S("event_en")),
    # Where every table comes from: the source line under each chart.
    _t("catalog", ("table_name",),
       S("table_name"), S("title_ja"), S("title_en"), S("unit_ja"), S("unit_en"),
       S("source_ja"), S("notes_ja"), S("notes_en"),
       # Beyond the shared data contract: the section names in English, for the English pages.
       S("source_en")),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}
