"""A chart's spec as the app hands it to Plotly: the house layout merged in, validated once, and
its wire form made once.

st.plotly_chart validates a figure given as a dict on every call (40–70 ms a chart); given a
go.Figure it asks for `to_dict()`, which deep-copies the figure and re-encodes its arrays each
time (2–5 ms a chart per rerun, on every rerun of every reader). A finished figure is never
changed after it is made (the renderer shares it between sessions), so both are done once.
The saving rests on Streamlit asking a go.Figure for `to_dict()`: tests/test_charts.py holds
that a finished figure is sent exactly as the same go.Figure is, and its dict made once.
"""

from __future__ import annotations

import copy

import plotly.graph_objects as go

from . import charts


class Finished(go.Figure):
    """A figure that will not change again: its dict is made on first use and handed out after.

    Callers must not change the dict they get (Streamlit only encodes it; plotly.io.to_json
    drops trace uids from it, which ours never have)."""

    def to_dict(self) -> dict:
        made = getattr(self, "_finished_dict", None)
        if made is None:
            made = self._finished_dict = super().to_dict()
        return made


def finished(spec: dict) -> Finished:
    """The figure for a page's plot spec (charts.py), with the house layout."""
    spec = copy.deepcopy(spec)
    spec["layout"] = charts.merge(copy.deepcopy(charts.CHART_LAYOUT), spec.get("layout", {}))
    for trace in spec["data"]:
        if trace.get("customdata") is not None:
            # A click selects through the page's control, which redraws the chart with the
            # choice marked; Plotly's own greying of the other points would hide the figures.
            trace["unselected"] = {"marker": {"opacity": 1}}
    return Finished(spec)
