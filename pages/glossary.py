"""Glossary: the report's terms explained in this site's own words, one addressable entry each,
with the report section each explanation rests on (nexidash/sources.py)."""

from nexidash import glossary, sources
from nexidash.blocks import Caption, Heading, Link, Text
from nexidash.view import View


def build(v: View) -> list:
    t = v.t
    out = [Heading(t("glossary.title"), 1), Text(t("glossary.intro")), Caption(t("glossary.note"))]
    for term in glossary.BASE_TERMS:
        out += [Heading(t(f"glossary.term.{term}"), 2, anchor=glossary.anchor(term)),
                Text(t(f"glossary.def.{term}")),
                Caption(sources.line(v, f"glossary.def.{term}"))]

    # The products keep their one description, the products page's.
    products = v.q("products")
    names = dict(zip(products["product"], products[v.name]))
    out += [Caption(t("glossary.products_intro")), Link(t("glossary.products_link"), "products")]
    for term in glossary.TERMS:
        if glossary.is_product(term):
            out += [Heading(names[term], 2, anchor=glossary.anchor(term)),
                    Text(t(f"product.desc.{term}")),
                    Caption(sources.line(v, f"product.desc.{term}"))]
    return out


if __name__ == "__main__":
    from nexidash import render

    render.page(build)
