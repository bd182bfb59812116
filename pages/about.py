"""About NEXI: the company profile, its history and its offices, as the report lists them."""

import pandas as pd

from nexidash import sources
from nexidash.blocks import Caption, Heading, Source, Table, Text
from nexidash.view import View


def build(v: View) -> list:
    t = v.t
    value, event, name, city = v.col("value"), v.col("event"), v.name, v.col("city")

    profile = v.q("company_profile")
    profile = pd.DataFrame({"item": [t(f"about.item.{i}") for i in profile["item"]],
                            value: profile[value],
                            "as_of": [v.as_of(d) if isinstance(d, str) and d else None
                                      for d in profile["as_of"]]})
    history = v.q("history")[["date", event]]
    offices = v.q("offices")
    offices = pd.DataFrame({name: offices[name],
                            "kind": [t(f"about.kind.{k}") for k in offices["kind"]],
                            city: offices[city], "iso3": offices["iso3"]})

    return [
        Heading(t("about.title"), 1), Text(t("about.intro")),
        Caption(sources.line(v, "about.intro")),
        Heading(t("about.profile"), 2),
        Table(profile, labels={"item": t("about.col.item"), value: t("about.col.value"),
                               "as_of": t("about.col.as_of")}),
        Caption(t("about.profile_note")), Source("company_profile"),
        Heading(t("about.history"), 2),
        Table(history, labels={"date": t("about.col.date"), event: t("about.col.event")}),
        Source("history"),
        Heading(t("about.offices"), 2),
        Table(offices, labels={name: t("about.col.office"), "kind": t("about.col.kind"),
                               city: t("about.col.city"), "iso3": t("about.col.iso3")}),
        Source("offices"),
    ]


if __name__ == "__main__":
    from nexidash import render

    render.page(build)
