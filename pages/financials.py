"""Financials: the year's statements for an executive: how premiums became net income, what NEXI
owns and owes, how cash moved, the reserves behind future claims, and the ratios derived from
them (computed in queries/fin_ratios.sql, one place)."""

from nexidash import charts, describe, fmt
from nexidash.blocks import (Caption, Chart, Columns, Data, Details, Heading, Metric, Metrics,
                             Plot, Source, Table, Text)
from nexidash.charts import PALETTE
from nexidash.view import View

PAST_COLOR = "#9ecae1"  # the computed previous year-end, a lighter shade of the year's blue
# A rise in these is bad news; the arrow colour should say so.
DELTA_COLOR = {"loss_ratio": "inverse", "expense_ratio": "inverse"}
# The glossary entry behind each ratio's denominator or reserve.
RATIO_TERMS = {"loss_ratio": "net_premiums_written", "expense_ratio": "net_premiums_written",
               "equity_ratio": "contingency_reserve"}


def build(v: View) -> list:
    t, fy = v.t, v.fy(v.report_year)
    out = [Heading(t("financials.title", fy=fy), 1),
           Text(t("financials.intro", year=v.report_year))]
    out += _ratios(v)
    out.append(_waterfall(v))
    out.append(Columns(((_balance_sheet(v),), (_cash_flows(v),))))
    out.append(_reserves(v))
    out += _statements(v)
    return out


def _hover(v: View) -> str:
    return "%{x}: " + v.hover("y") + "<extra></extra>"


def _ratios(v: View) -> list:
    """Each ratio for the report year, with the change from the year before where both exist."""
    t, lang, year = v.t, v.lang, v.report_year
    ratios = v.q("fin_ratios")
    cards = []
    for code in ratios["ratio"].drop_duplicates():
        rows = ratios[ratios["ratio"] == code].set_index("fiscal_year")
        if year not in rows.index:
            continue
        cur = rows.loc[year]
        help_lines = [t(f"fin.formula.{code}")] + [
            t("fin.ratio_help", fy=v.fy(y), numerator=fmt.mjpy(r["numerator_mjpy"], lang),
              denominator=fmt.mjpy(r["denominator_mjpy"], lang),
              value=fmt.pct(r["ratio_pct"], lang))
            for y, r in rows.sort_index(ascending=False).iterrows()]
        delta = description = None
        if year - 1 in rows.index:
            points = cur["ratio_pct"] - rows.loc[year - 1, "ratio_pct"]
            delta = t("fin.delta_pt", value=fmt.number(points, lang, 1, signed=True))
            description = t("fin.vs_prev", fy=v.fy(year - 1))
        cards.append(Metric(t(f"fin.ratio.{code}"), fmt.pct(cur["ratio_pct"], lang), delta=delta,
                            delta_color=DELTA_COLOR.get(code, "normal"),
                            delta_description=description, help="  \n".join(help_lines),
                            term=RATIO_TERMS.get(code)))
    data = ratios.assign(ratio=[t(f"fin.ratio.{c}") for c in ratios["ratio"]])
    return [Heading(t("fin.ratios.title"), 2), Metrics(tuple(cards), per_row=4),
            Caption(t("fin.ratios.note")),
            Data("fin_ratios", data[["ratio", "fiscal_year", "numerator_mjpy", "denominator_mjpy",
                                     "precision_mjpy", "ratio_pct"]])]


def _waterfall(v: View) -> Chart:
    """Net premiums to net income, each step an income-statement line's effect on profit."""
    t = v.t
    steps = v.q("fin_waterfall")
    labels = [t(f"fin.step.{s}") for s in steps["step"]]
    fig = charts.Figure(charts.waterfall(
        x=labels, y=v.axis(steps["amount_mjpy"]), measure=steps["measure"],
        hovertemplate=_hover(v)))
    fig.update_layout(height=460, showlegend=False,
                      yaxis=dict(title=v.axis_unit, tickformat=",.0f"),
                      xaxis=dict(tickangle=-40))
    data = steps.assign(item=labels)[["item", "amount_mjpy", "running_mjpy"]]
    return Chart("fin_waterfall", t("fin.waterfall.title", fy=v.fy(v.report_year),
                                    unit=v.axis_unit),
                 (Plot("waterfall", t("fin.view.waterfall"), fig.to_dict()),), data,
                 "financial_statements", note=t("fin.waterfall.note"),
                 summary=t("describe.waterfall", **{
                     # The sentence says "claims paid of", so the step's minus sign is dropped.
                     k: fmt.money(abs(steps.loc[steps["step"] == s, "amount_mjpy"].iloc[0])
                                  if k == "claims" else
                                  steps.loc[steps["step"] == s, "amount_mjpy"].iloc[0], v.lang,
                                  approx=True)
                     for k, s in (("premiums", "premiums"), ("claims", "claims"),
                                  ("investment", "investment_income"), ("net", "net_income"))}),
                 terms=("net_premiums_written", "claims_reserve", "underwriting_reserve",
                        "contingency_reserve", "subrogation"))


def _balance_sheet(v: View) -> Chart:
    """Both sides of the balance sheet as stacked bars of their parts."""
    t, item = v.t, v.col("item")
    parts = v.q("fin_bs_composition")
    parts = parts.assign(item=[t("fin.bs.provisions") if fmt.missing(n) else n
                               for n in parts[item]],
                         side=[t(f"fin.bs.side.{s}") for s in parts["side"]])
    fig = charts.Figure()
    for i, row in enumerate(parts.itertuples()):
        fig.add_trace(charts.bar(
            y=[row.side], x=[v.axis(row.amount_mjpy)], orientation="h", name=row.item,
            marker_color=PALETTE[i % len(PALETTE)],
            hovertemplate=f"{row.item}: " + v.hover("x") + "<extra></extra>"))
    fig.update_layout(barmode="stack", height=420, xaxis=dict(title=v.axis_unit,
                                                               tickformat=",.0f"),
                      yaxis=dict(autorange="reversed"), legend=dict(y=-0.25, yanchor="top"))
    return Chart("fin_balance_sheet", t("fin.bs.title", fy=v.fy(v.report_year), unit=v.axis_unit),
                 (Plot("bars", t("ui.view.bars"), fig.to_dict()),),
                 parts[["side", "item", "amount_mjpy", "share_pct"]], "financial_statements",
                 note=t("fin.bs.note"),
                 summary=" ".join(describe.largest(v, side, part["item"], part["amount_mjpy"],
                                                   part["share_pct"])
                                  for side, part in parts.groupby("side", sort=False)),
                 terms=("contingency_reserve", "claims_reserve"))


def _cash_flows(v: View) -> Chart:
    """Each section's net cash flow and the change in cash they add up to."""
    t = v.t
    flows = v.q("fin_cash_flows")
    shown = flows[~flows["flow"].isin(["opening", "closing"])]
    labels = [t(f"fin.cf.{f}") for f in shown["flow"]]
    fig = charts.Figure(charts.bar(
        x=labels, y=v.axis(shown["amount_mjpy"]),
        marker_color=[PALETTE[0] if f == "net_change" else PALETTE[2] if a >= 0 else PALETTE[5]
                      for f, a in zip(shown["flow"], shown["amount_mjpy"])],
        hovertemplate=_hover(v)))
    fig.update_layout(height=420, yaxis=dict(title=v.axis_unit, tickformat=",.0f"))
    data = flows.assign(item=[t(f"fin.cf.{f}") for f in flows["flow"]])
    return Chart("fin_cash_flows", t("fin.cf.title", fy=v.fy(v.report_year), unit=v.axis_unit),
                 (Plot("bars", t("ui.view.bars"), fig.to_dict()),),
                 data[["item", "amount_mjpy"]], "financial_statements", note=t("fin.cf.note"),
                 summary=t("describe.cash", **{
                     k: fmt.money(flows.loc[flows["flow"] == f, "amount_mjpy"].iloc[0], v.lang,
                                  approx=True)
                     for k, f in (("op", "operating"), ("inv", "investing"), ("fin", "financing"),
                                  ("net", "net_change"))}))


def _reserves(v: View) -> Chart:
    """The reserves at the year end beside the previous year-end implied by the provisions."""
    t, item, year = v.t, v.col("item"), v.report_year
    res = v.q("fin_reserves")
    parts = res[res["reserve"] != "underwriting_reserves"]  # the total of the two after it
    fig = charts.Figure()
    for col, name, color in (("opening_mjpy", t("fin.reserves.opening", fy=v.fy(year - 1)),
                              PAST_COLOR),
                             ("closing_mjpy", t("fin.reserves.closing", fy=v.fy(year)),
                              PALETTE[0])):
        fig.add_trace(charts.bar(x=parts[item], y=v.axis(parts[col]), name=name,
                                 marker_color=color,
                                 hovertemplate="%{x}: " + v.hover("y") + f" ({name})<extra></extra>"))
    fig.update_layout(barmode="group", height=400,
                      yaxis=dict(title=v.axis_unit, tickformat=",.0f"))
    return Chart("fin_reserves", t("fin.reserves.title", unit=v.axis_unit),
                 (Plot("bars", t("ui.view.bars"), fig.to_dict()),),
                 res[[item, "opening_mjpy", "provision_mjpy", "closing_mjpy"]],
                 "financial_statements", note=t("fin.reserves.note"),
                 summary=describe.largest(v, t("fin.reserves.closing", fy=v.fy(year)),
                                          parts[item], parts["closing_mjpy"]),
                 terms=("claims_reserve", "underwriting_reserve", "contingency_reserve"))


def _statement(v: View, statement: str) -> Table:
    lines = v.q("fin_statement", statement=statement)
    return Table(lines[[v.col("item"), "amount_mjpy"]], height=420)


def _statements(v: View) -> list:
    """The statements as printed, names indented by level, and the notes' breakdowns."""
    t, fy, item = v.t, v.fy(v.report_year), v.col("item")
    out = [Heading(t("fin.statements.title"), 2)]
    out.append(Columns((
        (Heading(t("fin.pl.title", fy=fy), 4), _statement(v, "pl"),
         Source("financial_statements")),
        (Heading(t("fin.bs_table.title", fy=fy), 4), _statement(v, "bs"),
         Source("financial_statements")))))
    out += [Heading(t("fin.cf_table.title", fy=fy), 4), _statement(v, "cf"),
            Source("financial_statements")]

    changes = v.q("fin_net_assets")
    movement = v.col("movement")
    wide = changes.pivot(index=["movement_sort", movement], columns="component_sort",
                         values="amount_mjpy").reset_index()
    components = changes.drop_duplicates("component").sort_values("component_sort")
    wide.columns = ["movement_sort", movement] + [f"{c}_mjpy" for c in components["component"]]
    labels = {f"{c}_mjpy": n for c, n in zip(components["component"],
                                             components[v.col("component")])}
    out += [Heading(t("fin.na.title", fy=fy), 4), Caption(t("fin.na.note")),
            Table(wide.drop(columns="movement_sort"), labels=labels),
            Source("net_assets_changes")]

    notes = v.q("fin_notes")
    parts = []
    for code in notes["note"].drop_duplicates():
        rows = notes[notes["note"] == code]
        parts += [Heading(t(f"fin.note.{code}"), 5), Table(rows[[item, "amount_mjpy"]])]
    out.append(Details(t("fin.notes.title"),
                       (Caption(t("fin.notes.note")), *parts, Source("financial_notes"))))

    bonds = v.q("fin_htm_bonds")
    bonds = bonds.assign(fair_value_group=[t(f"fin.htm.group.{g}")
                                           for g in bonds["fair_value_group"]])
    redemptions = v.q("fin_redemptions")
    out.append(Columns((
        (Heading(t("fin.htm.title", fy=fy), 4),
         Table(bonds[["fair_value_group", v.col("kind"), "book_value_mjpy", "fair_value_mjpy",
                      "difference_mjpy"]]),
         Source("htm_bonds")),
        (Heading(t("fin.redemptions.title"), 4),
         Table(redemptions[[v.col("bucket"), "amount_mjpy"]]), Source("bond_redemptions")))))
    return out


if __name__ == "__main__":
    from nexidash import render

    render.page(build)
