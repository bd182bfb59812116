"""The room the dashboard holds for what Streamlit draws late, so the page does not shift.

Streamlit puts a one-line placeholder (stSkeleton) where an element goes until that element's
code has loaded (Plotly's takes a second or more on a phone), and draws a control or a metric
before its label; each then grows to its full height, pushing everything under it down:
Lighthouse counted a layout shift of 0.25 on the overview. Rules on the classes Streamlit
gives keyed containers (st-key-KEY) hold a plot's, a metric card's and a control's full height
from the first paint. No Streamlit here: render.py draws what this writes.
"""

from __future__ import annotations

import hashlib
import re

from . import blocks as b
from . import tables

# Containers keyed with this prefix are hidden: the proxy's shell carries the rule from the
# first paint (nginx.conf.j2), the app's stylesheet after it. !important because Streamlit's
# own class rule for a block (display:flex) has the same weight and comes later in the head:
# without it the shell's rule lost, and the hidden container's placeholder line stood at the
# top of every page until the app's stylesheet arrived, then went, moving the page up 40 px.
HIDDEN = "nexi_hidden_"
HIDDEN_CSS = f"[class*=st-key-{HIDDEN}]{{display:none!important}}"
# Heights of what Streamlit draws late, measured at 390 and 1366 px alike (2026-12-04): a
# bordered metric card, with a change and its description or without; a labelled control.
METRIC_PX, METRIC_DELTA_PX, CONTROL_PX = 108, 143, 68
# A table row of one line (tables.CSS), and the box's border: a table is at least this tall,
# more where its text wraps (measured at 412 and 1366 px, 2026-12-04: 32.5–33 px a row).
TABLE_ROW_PX, TABLE_BORDER_PX = 33, 2


def reserved_space(blocks, widget_key) -> str:
    """A stylesheet holding the room of a page's plots, metric rows, controls and tables (a
    control's container is keyed by `widget_key`, urlstate's)."""
    rules = []
    for block in b.walk(blocks):
        if isinstance(block, b.Chart):
            for plot in block.plots:
                height = plot.spec.get("layout", {}).get("height")
                if height:
                    rules.append(f".{key_class(plot_key(block.key, plot))}"
                                 f"{{min-height:{int(height)}px}}")
        elif isinstance(block, b.Metrics):
            tall = any(m.delta is not None for m in block.items)
            rules.append(f".{key_class(metrics_key(block))} [data-testid=stElementContainer]"
                         f"{{min-height:{METRIC_DELTA_PX if tall else METRIC_PX}px}}")
        elif isinstance(block, b.Controls):
            rules += [f".{key_class(widget_key(c))}{{min-height:{CONTROL_PX}px}}"
                      for c in block.items]
        elif isinstance(block, b.Table):
            rules.append(f".{key_class(table_key(block))}{{min-height:{table_px(block)}px}}")
    return "<style>" + "".join(rules) + "</style>"


def table_px(block: b.Table) -> int:
    """The least a table's box can be: a line a row, under its scroll height if it has one."""
    least = (len(block.data) + 1) * TABLE_ROW_PX + TABLE_BORDER_PX  # the rows and the header
    scroll = tables.scroll_height(block.data, block.height)
    return min(least, scroll) if scroll else least


def table_key(block: b.Table) -> str:
    """A table's container key, from what it shows (test_house holds a page's to distinct)."""
    shown = repr(sorted(block.labels.items())) + block.data.to_csv(index=False)
    return "table_" + hashlib.sha256(shown.encode("utf-8")).hexdigest()[:12]


def key_class(key: str) -> str:
    """The class Streamlit's frontend gives a keyed element's container (its characters other
    than letters, digits, _ and - made -)."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def metrics_key(block: b.Metrics) -> str:
    """A row of metrics' container key, from what it shows (two rows on a page never show the
    same cards: test_house holds them to it)."""
    shown = "\n".join(f"{m.label}\t{m.value}" for m in block.items)
    return "metrics_" + hashlib.sha256(shown.encode("utf-8")).hexdigest()[:12]


def plot_key(chart_key: str, plot: b.Plot) -> str:
    return f"{chart_key}_{plot.code}"
