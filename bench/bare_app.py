"""The baseline: the least a Streamlit page with one Plotly chart can cost.

Served exactly like the dashboard (`python -m streamlit run bench/bare_app.py` from the repository
root, so the same .streamlit/config.toml applies). The button gives the benchmark a rerun to time.
"""

import plotly.graph_objects as go
import streamlit as st

st.title("Bare page")
fig = go.Figure(go.Bar(x=["A", "B", "C", "D", "E"], y=[3, 1, 4, 1, 5]))
st.plotly_chart(fig, key="bare_chart")
st.button("Rerun", key="bench_rerun")
