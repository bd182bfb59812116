"""Controls bound to the URL: every choice a visitor makes lives in the address as `?key=code`.

The URL carries codes, never the translated labels, so a link works in either language.
Streamlit's own query-param binding writes the formatted label, hence this small sync: the URL
seeds the widget when the session first meets it, and the widget writes it back. A value the
URL names but the options do not (a tampered or stale link) falls back to the default, with a
notice that never repeats the value.
"""

from __future__ import annotations

import streamlit as st

from . import i18n
from .blocks import Control

MAX_PARAM_LEN = 64
NOTICES = "_notices"


def notice(message: str) -> None:
    """Queue a notice for the top of the page (the frame draws them after the page has run)."""
    st.session_state.setdefault(NOTICES, []).append(message)


def lang() -> str:
    value = st.session_state.get("lang")
    return value if value in i18n.LANGS else i18n.DEFAULT_LANG


def _from_url(control: Control, default):
    raw = st.query_params.get(control.key)
    if raw is None:
        return default
    by_text = {str(o): o for o in control.options}
    if len(raw) <= MAX_PARAM_LEN and raw in by_text:
        return by_text[raw]
    # The value itself is never shown: it came from a URL anyone can write.
    notice(i18n.translate(lang(), "notice.bad_param", param=control.key))
    return default


def _memory(control: Control | str) -> str:
    return f"_remembered_{getattr(control, 'key', control)}"


PAGE = "_page"


def on_page(name: str) -> None:
    """Say which page is running: a remembered control (the year) has a widget of its own on
    each page. Streamlit gives a page's widgets identities of their own, so one key shared by
    every page's year picker left the next page's picker showing the default while the page
    drew the remembered year; the year itself lives in the memory and the URL. Arriving on a
    page, its remembered widgets start again from the URL or the memory, not from the value
    they had when the visitor last left the page."""
    if st.session_state.get(PAGE) != name:
        for key in [k for k in st.session_state if str(k).endswith(f"@{name}")]:
            del st.session_state[key]
    st.session_state[PAGE] = name


def widget_key(control: Control) -> str:
    return control.widget_key(st.session_state.get(PAGE))


def remembered(key: str, default=None):
    """The last value a remembered control had, on whichever page."""
    return st.session_state.get(_memory(key), default)


def value(control: Control):
    """The control's value this run: the widget's, else the URL's, else the default.

    Called before the widget is drawn (a page decides what to show first, then the renderer
    draws it), which Streamlit allows: a keyed widget's value is in session_state when the run
    starts.
    """
    key = widget_key(control)
    if key not in st.session_state:
        initial = _from_url(control, st.session_state.get(_memory(control), control.default))
        st.session_state[key] = initial if initial in control.options else control.default
    elif st.session_state[key] not in control.options:
        st.session_state[key] = control.default
    chosen = st.session_state[key]
    if chosen not in control.options:  # a cleared control means "back to the default"
        chosen = control.default
    _to_url(control, chosen)
    return chosen


def _to_url(control: Control, chosen) -> None:
    if control.remember:
        st.session_state[_memory(control)] = chosen
    if chosen == control.default:
        if control.key in st.query_params:
            del st.query_params[control.key]
    else:
        st.query_params[control.key] = str(chosen)


def widget(control: Control, container=None):
    """Draw the control (after value() has settled it) and return what it shows."""
    value(control)
    box = container or st
    labels = {o: control.label_of(o) for o in control.options}
    fmt = lambda o: labels.get(o, str(o))  # noqa: E731
    options = list(control.options)
    if control.widget == "select":
        shown = box.selectbox(control.label, options, key=widget_key(control), format_func=fmt)
    elif control.widget == "segmented":
        shown = box.segmented_control(control.label, options, key=widget_key(control), format_func=fmt,
                                      required=True, wrap=True)
    elif control.widget == "pills":
        shown = box.pills(control.label, options, key=widget_key(control), format_func=fmt,
                          required=True, wrap=True)
    else:
        raise ValueError(control.widget)
    return shown if shown in control.options else control.default
