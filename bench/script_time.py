"""Server-side script time of one page, through Streamlit's AppTest, in a process of its own.

    python -m bench.script_time --page regions --runs 7     (prints one JSON line)
    python -m bench.script_time --bare --runs 7

cold        the first run in this fresh process, after st.cache_data.clear(): module imports,
            the database connection and every query included, as a fresh server's first visitor
warm        the median of the following `runs` reruns (every query cached)
cold_cache  one more run with every cache of the app emptied (queries, built pages, finished
            figures), in the now warm process: a view no reader has asked for yet, without the
            imports
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from .common import APP_SCRIPT, BARE_SCRIPT, ROOT, median

TIMEOUT_S = 120


def measure(script: str, page: str | None, runs: int) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / script), default_timeout=TIMEOUT_S)
    if page and page != "overview":
        # The page files are named after their url_path, so the switch works before a first run.
        at.switch_page(f"pages/{page}.py")
    t0 = time.perf_counter()
    at.run()
    cold = (time.perf_counter() - t0) * 1000
    title = [str(e.value) for e in at.title][:1]
    problems = [str(e.value)[:200] for e in at.exception] + [str(e.value)[:200] for e in at.error]
    warm = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        warm.append((time.perf_counter() - t0) * 1000)
    _forget()
    t0 = time.perf_counter()
    at.run()
    cold_cache = (time.perf_counter() - t0) * 1000
    problems += [str(e.value)[:200] for e in at.exception]
    return {"page": page or "bare", "cold_ms": cold, "warm_ms": median(warm), "warm_all_ms": warm,
            "cold_cache_ms": cold_cache, "title": title[0] if title else None,
            "problems": problems}


def _forget() -> None:
    """Empty what the app remembers between runs: Streamlit's caches, the query memo
    (view.plain_query) and the built pages (render's PageMemo)."""
    import streamlit as st

    from nexidash import render, view

    st.cache_data.clear()
    st.cache_resource.clear()
    render._PAGES.clear()
    with view._MEMO_LOCK:
        view._MEMO.clear()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--page", default="overview")
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    os.environ.setdefault("NEXI_DB", str(ROOT / "data" / "nexi.duckdb"))
    result = (measure(BARE_SCRIPT, None, args.runs) if args.bare
              else measure(APP_SCRIPT, args.page, args.runs))
    sys.stdout.write("BENCH-JSON " + json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
