"""Performance benchmark and load run for the dashboard (see BENCHMARKS.md).

    python -m bench.run            every page against a bare Streamlit page
    python -m bench.run --load     25 concurrent browser sessions against one server
"""
