"""The baseline: the least a Streamlit page with one Plotly chart can cost.

Served exactly like the dashboard (`python -m streamlit run bench/bare_app.py` from the repository
root, so the same .streamlit/config.toml applies). Its one control changes the year its chart
shows, so a rerun here costs what a dashboard rerun costs at the least: the script, the new
figure on the wire, and the browser drawing one changed chart.
"""

import plotly.graph_objects as go
import streamlit as st

st.title("Bare page")
year = st.segmented_control("Year", [2020, 2021, 2022, 2023, 2024], default=2024,
                            key="bench_year", required=True)
values = [(year * k) % 7 + 1 for k in range(1, 6)]
fig = go.Figure(go.Bar(x=["A", "B", "C", "D", "E"], y=values))
st.plotly_chart(fig, key="bare_chart")
