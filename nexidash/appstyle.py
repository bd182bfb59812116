"""The dashboard's constant stylesheet, in one place for its two readers.

app.py draws it (with `make run` there is no proxy), and the proxy writes it into every page's
HTML shell (nginx.conf.j2), where it holds from the first paint. The app's own copy arrives in
an st.html element, whose code Streamlit loads late: until then the tables had no style and the
hidden container was not hidden, and the page moved when they came. Constants only: no data
or URL text is ever part of it.
"""

from __future__ import annotations

import re

from . import room, tables

# Printing (to paper or PDF) drops the menu and controls and keeps charts whole on a page.
PRINT_CSS = """
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stExpander"], [data-testid="stDownloadButton"], [role="tablist"],
  .modebar { display: none !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  .js-plotly-plot, [data-testid="stMetric"] { break-inside: avoid; }
}
"""
# Streamlit greys captions (and the metrics' delta descriptions) by opacity, to 3.8:1 on white;
# WCAG AA asks 4.5:1 for text this size. An opaque grey of 6:1 instead.
CAPTION_CSS = '[data-testid="stCaptionContainer"] { opacity: 1; color: #5c5f66; }'


def css() -> str:
    """The whole stylesheet, comments and runs of white space taken out."""
    text = PRINT_CSS + CAPTION_CSS + tables.CSS + tables.PRINT_CSS + room.HIDDEN_CSS
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"\s*([{};,>])\s*", r"\1", re.sub(r"\s+", " ", text)).strip()
