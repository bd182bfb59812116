"""Financials: the year's statements for an executive: how premiums became net income, what NEXI
owns and owes, how cash moved, the reserves behind future claims, and the ratios derived from
them (computed in queries/fin_ratios.sql, one place)."""

import pandas as pd

from nexidash import charts, describe, fmt, formats, prose, sources
from nexidash.blocks import (Caption, Chart, Columns, Data, Details, Heading, Metric, Metrics,
                             Plot, Source, Table, Text)
from nexidash.charts import PALETTE
from nexidash.view import View

PAST_COLOR = "#9ecae1"  # the computed previous year-end, a lighter shade of the year's blue
# A rise in these is bad news; the arrow colour should say so.
INVERSE = {"loss_ratio_paid", "loss_ratio_incurred", "net_expense_ratio"}
# The loss ratios' gap is the change in the outstanding claims reserve: said under the paid one.
RESERVE_LINE = ("loss_ratio_incurred", 2)  # (ratio, input_no) of 支払備金繰入額 in fin_ratios


def build(v: View) -> list:
    t, fy = v.t, v.fy(v.report_year)
    out = [Heading(t("financials.title", fy=fy), 1),
           Text(t("financials.intro", year=v.report_year)),
           Caption(sources.line(v, "financials.intro"))]
    out += _ratios(v)
    out.append(_waterfall(v))
    out.append(Columns(((_balance_sheet(v),), (_cash_flows(v),))))
    out.append(_reserves(v))
    out += _statements(v)
    return out


def _hover(v: View) -> str:
    return "%{x}: " + v.hover("y") + "<extra></extra>"


def _computation(v: View, inputs) -> str:
    """One year of a ratio as a reader redoes it: the inputs as printed, their sums, the value;
    or which inputs the report does not give."""
    t, lang = v.t, v.lang
    first = inputs.iloc[0]
    if fmt.missing(first["ratio_pct"]):
        absent = [n if lang == "ja" else n[0].lower() + n[1:]  # a name mid-sentence
                  for n in inputs.loc[inputs["amount_mjpy"].isna(), v.col("item")]]
        return t("fin.ratio_missing", fy=v.fy(first["fiscal_year"]),
                 items=t("fin.list_sep").join(absent))

    def side(role: str, total) -> str:
        amounts = list(inputs.loc[inputs["role"] == role, "amount_mjpy"])
        if len(amounts) == 1:
            return fmt.mjpy(total, lang)
        terms = fmt.mjpy(amounts[0], lang) + "".join(
            (t("fin.plus") if a >= 0 else t("fin.minus")) + fmt.mjpy(abs(a), lang)
            for a in amounts[1:])
        return t("fin.group", terms=terms + t("fin.equals") + fmt.mjpy(total, lang))

    return t("fin.ratio_help", fy=v.fy(first["fiscal_year"]),
             numerator=side("numerator", first["numerator_mjpy"]),
             denominator=side("denominator", first["denominator_mjpy"]),
             value=fmt.pct(first["ratio_pct"], lang))


def _inputs_table(v: View, rows, years: list) -> Table:
    """The statement lines a ratio uses, one column of amounts per year that has any."""
    t, item = v.t, v.col("item")
    shown = [y for y in years if rows.loc[rows["fiscal_year"] == y, "amount_mjpy"].notna().any()]
    first = rows[rows["fiscal_year"] == years[0]]
    table = {"role": [t(f"fin.role.{r}") for r in first["role"]],
             "statement_line": [t("fin.statement_line", item=n,
                                  statement=t(f"fin.statement.{s}"))
                                for n, s in zip(first[item], first["statement"])]}
    labels = {"role": t("col.role"), "statement_line": t("fin.col.statement_line")}
    for y in shown:
        col = f"fy{y}_mjpy"
        table[col] = pd.array(rows.loc[rows["fiscal_year"] == y, "amount_mjpy"], dtype="Int64")
        labels[col] = t("fin.col.year_mjpy" if y == years[0] else "fin.col.prev_mjpy",
                        fy=v.fy(y))
    return Table(pd.DataFrame(table), labels=labels)


def _reserve_sentences(v: View, ratios) -> list:
    """Per year, whether the outstanding claims reserve was released or built up, which is
    what separates the paid basis from the incurred basis."""
    code, line = RESERVE_LINE
    rows = ratios[(ratios["ratio"] == code) & (ratios["input_no"] == line)]
    out = []
    for r in rows.sort_values("fiscal_year", ascending=False).itertuples():
        if fmt.missing(r.amount_mjpy) or r.amount_mjpy == 0:
            continue
        key = "fin.reserve.release" if r.amount_mjpy < 0 else "fin.reserve.build"
        out.append(v.t(key, fy=v.fy(r.fiscal_year),
                       amount=fmt.money(abs(r.amount_mjpy), v.lang, approx=True)))
    return out


def _ratios(v: View) -> list:
    """Each ratio for the statements' year, with the change from the year before where the
    report gives both; then, per ratio, its formula, basis and the statement lines it uses."""
    t, lang = v.t, v.lang
    ratios = v.q("fin_ratios")
    years = sorted(ratios["fiscal_year"].unique(), reverse=True)
    year = years[0]  # the statements' own year
    values = ratios.drop_duplicates(["ratio", "fiscal_year"]).set_index(["ratio", "fiscal_year"])
    cards, sections = [], []
    for code in ratios["ratio"].drop_duplicates():
        rows = ratios[ratios["ratio"] == code]
        per_year = [_computation(v, rows[rows["fiscal_year"] == y]) for y in years]
        cur = values.loc[(code, year), "ratio_pct"]
        delta = description = None
        if (code, year - 1) in values.index and not fmt.missing(values.loc[(code, year - 1),
                                                                           "ratio_pct"]):
            points = cur - values.loc[(code, year - 1), "ratio_pct"]
            delta = t("fin.delta_pt", value=fmt.number(points, lang, 1, signed=True))
            description = t("fin.vs_prev", fy=v.fy(year - 1))
        cards.append(Metric(t(f"fin.ratio.{code}"), fmt.pct(cur, lang), delta=delta,
                            delta_color="inverse" if code in INVERSE else "normal",
                            delta_description=description,
                            help="  \n".join([t(f"fin.formula.{code}")] + per_year),
                            term=code))
        remarks = [t(f"fin.remark.{code}")]
        if code == "loss_ratio_paid":
            remarks += _reserve_sentences(v, ratios)
        sections += [Heading(f"{t(f'fin.ratio.{code}')}{t('fin.equals')}{fmt.pct(cur, lang)}", 4),
                     Text(t("fin.formula_label", formula=t(f"fin.formula.{code}")) + "  \n"
                          + t("fin.basis_label", basis=t(f"fin.basis.{code}"))),
                     _inputs_table(v, rows, years),
                     Caption(" ".join(per_year + remarks))]
    data = values.reset_index()
    data = data.assign(ratio=[t(f"fin.ratio.{c}") for c in data["ratio"]])
    return [Heading(t("fin.ratios.title"), 2), Metrics(tuple(cards), per_row=3),
            Caption(t("fin.ratios.note")), *sections,
            Source("financial_statements"), Source("financial_summary"),
            Data("fin_ratios", data[["ratio", "fiscal_year", "numerator_mjpy",
                                     "denominator_mjpy", "ratio_pct"]])]


def _waterfall(v: View) -> Chart:
    """Net premiums to net income, each step an income-statement line's effect on profit."""
    t = v.t
    steps = v.q("fin_waterfall")
    labels = [t(f"fin.step.{s}") for s in steps["step"]]
    fig = charts.Figure(charts.waterfall(
        x=labels, y=v.axis(steps["amount_mjpy"]), measure=steps["measure"],
        hovertemplate=_hover(v)))
    fig.update_layout(height=460, showlegend=False,
                      yaxis=dict(title=v.axis_unit, tickformat=formats.AXIS_TICK),
                      xaxis=dict(tickangle=-40))
    data = steps.assign(item=labels)[["item", "amount_mjpy", "running_mjpy"]]
    return Chart("fin_waterfall", t("fin.waterfall.title", fy=v.fy(v.report_year),
                                    unit=v.axis_unit),
                 (Plot("waterfall", t("fin.view.waterfall"), fig.to_dict()),), data,
                 "financial_statements", note=t("fin.waterfall.note"),
                 summary=prose.said(v.lang, "describe.waterfall", **{
                     # The sentence says "claims paid of", so the step's minus sign is dropped
                     # (the figure keeps it: the provenance test compares magnitudes).
                     k: describe.cell(v, data.loc[steps["step"] == s, "amount_mjpy"].iloc[0],
                                      "amount_mjpy", data.loc[steps["step"] == s, "item"].iloc[0],
                                      signed=k != "claims")
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
                                                               tickformat=formats.AXIS_TICK),
                      yaxis=dict(autorange="reversed"), legend=dict(y=-0.25, yanchor="top"))
    return Chart("fin_balance_sheet", t("fin.bs.title", fy=v.fy(v.report_year), unit=v.axis_unit),
                 (Plot("bars", t("ui.view.bars"), fig.to_dict()),),
                 parts[["side", "item", "amount_mjpy", "share_pct"]], "financial_statements",
                 note=t("fin.bs.note"),
                 summary=prose.join(describe.largest(v, side, part["item"], part["amount_mjpy"],
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
    fig.update_layout(height=420, yaxis=dict(title=v.axis_unit, tickformat=formats.AXIS_TICK))
    data = flows.assign(item=[t(f"fin.cf.{f}") for f in flows["flow"]])
    return Chart("fin_cash_flows", t("fin.cf.title", fy=v.fy(v.report_year), unit=v.axis_unit),
                 (Plot("bars", t("ui.view.bars"), fig.to_dict()),),
                 data[["item", "amount_mjpy"]], "financial_statements", note=t("fin.cf.note"),
                 summary=prose.said(v.lang, "describe.cash", **{
                     k: describe.cell(v, data.loc[flows["flow"] == f, "amount_mjpy"].iloc[0],
                                      "amount_mjpy", data.loc[flows["flow"] == f, "item"].iloc[0])
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
                      yaxis=dict(title=v.axis_unit, tickformat=formats.AXIS_TICK))
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

    redemptions = v.q("fin_redemptions")
    out += _htm_bonds(v)
    out += [Heading(t("fin.redemptions.title"), 4),
            Table(redemptions[[v.col("bucket"), "amount_mjpy"]]), Source("bond_redemptions")]
    return out


def _htm_bonds(v: View) -> list:
    """The bonds by kind with the report's printed subtotals and total under their parts, and
    where a printed figure differs from the sum of the parts shown (rounding)."""
    t, fy = v.t, v.fy(v.report_year)
    bonds = v.q("fin_htm_bonds")
    group = [t(f"fin.htm.group.{g}") for g in bonds["fair_value_group"]]
    kind = [k if r == "part" else t(f"fin.htm.{r}")
            for r, k in zip(bonds["row_type"], bonds[v.col("kind")])]
    shown = bonds.assign(fair_value_group=group, kind=kind)
    cells = [t("fin.htm.difference_cell", group=t(f"fin.htm.group.{r.fair_value_group}"),
               kind=k, computed=fmt.mjpy(r.fair_value_mjpy - r.book_value_mjpy, v.lang),
               printed=fmt.mjpy(r.difference_mjpy, v.lang))
             for r, k in zip(bonds.itertuples(), bonds[v.col("kind")])
             if r.row_type == "part" and not fmt.missing(r.difference_mjpy)
             and r.difference_mjpy != r.fair_value_mjpy - r.book_value_mjpy]
    for row in bonds[bonds["row_type"] != "part"].itertuples():
        where = (t("fin.htm.subtotal_of", group=t(f"fin.htm.group.{row.fair_value_group}"))
                 if row.row_type == "subtotal" else t("fin.htm.total_short"))
        for col, printed, parts in (
                ("book", row.book_value_mjpy, row.parts_book_mjpy),
                ("fair", row.fair_value_mjpy, row.parts_fair_mjpy),
                ("difference", row.difference_mjpy, row.parts_difference_mjpy)):
            if printed != parts:
                cells.append(t("fin.htm.cell", row=where, column=t(f"fin.htm.col.{col}"),
                               parts=fmt.mjpy(parts, v.lang), printed=fmt.mjpy(printed, v.lang)))
    note = t("fin.htm.note")
    if cells:
        note += t("fin.htm.rounding", cells=t("fin.list_sep").join(cells))
    return [Heading(t("fin.htm.title", fy=fy), 4),
            Table(shown[["fair_value_group", "kind", "book_value_mjpy", "fair_value_mjpy",
                         "difference_mjpy"]], labels={"kind": t("col.kind")}),
            Caption(note), Source("htm_bonds")]


if __name__ == "__main__":
    from nexidash import render

    render.page(build)
