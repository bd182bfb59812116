"""The glossary's terms, in the order the glossary page shows them, and links to each entry.

Every term is a code: its heading is the i18n key `glossary.term.<code>` and its definition
`glossary.def.<code>`, except the insurance products (schema.PRODUCTS), whose names come from
products.csv and whose definitions are the products page's own `product.desc.<code>`, so a
product is described in one place only.

A link to an entry is the glossary page with the entry's heading as the fragment
(`View.term_href`: `glossary?lang=en#term-paris_club` in the app, relative so it works at / and
under /app/; `lang` only when it is not the default). The static edition writes
the same ids on its headings, so `#term-<code>` also finds the entry there.
"""

from __future__ import annotations

from .schema import PRODUCTS

BASE_TERMS = (
    "underwriting", "outstanding", "political_risk", "commercial_risk", "claims_paid",
    "recoveries", "subrogation", "paris_club", "premium_income", "net_premiums_written",
    "reinsurance_ceded", "claims_reserve", "underwriting_reserve", "contingency_reserve",
    # the financials page's ratios, each by its definition and basis
    "loss_ratio_paid", "loss_ratio_incurred", "net_expense_ratio", "equity_ratio",
    "investment_yield", "eca", "lead", "statistical_regions",
)
TERMS = BASE_TERMS + PRODUCTS
assert len(set(TERMS)) == len(TERMS)


# The entry that explains each measure a chart or a card shows.
MEASURE_TERMS = {"underwriting": "underwriting", "outstanding": "outstanding",
                 "premium": "premium_income", "claims_paid": "claims_paid",
                 "recoveries": "recoveries"}


def is_product(term: str) -> bool:
    return term in PRODUCTS


def anchor(term: str) -> str:
    """The id of the term's heading on the glossary page."""
    if term not in TERMS:
        raise KeyError(term)
    return f"term-{term}"

