"""Hostile URL query parameters on every page: no crash, a notice, the default view, no echo.

Every control's code lives in the URL (`?measure=claims_paid`), and a URL is something anyone
can write. Each case opens one page the way a visitor following a link does (the page is the
session's first run, so the frame's `lang` and `year` are read on that same run) with *every*
parameter of the page set to the same hostile string, and checks on that one AppTest:

- no exception and no error box (neither the friendly page error nor the database error);
- one notice per hostile parameter, and nothing else new: the warnings are exactly the
  baseline's plus `notice.bad_param` for each parameter (Japanese: "…既定の表示に戻しました。");
- every control holds the value it holds with no URL at all, and the URL no longer carries it;
- the rendered page (text, metrics, tables, widget labels and options, chart JSON) is exactly
  the baseline page, so the hostile value is echoed nowhere; the echo is also checked
  explicitly by counting the value in all rendered text.

The empty string (`?year=`): the key is present but names no option, so the app treats it like
any other invalid value: a notice, and the default. It is not taken as "no value" (only an
absent key is), because a truncated link is worth telling the visitor about. These tests pin
that choice.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st_
from streamlit.testing.v1 import AppTest

from tests.helpers import tables

ROOT = Path(__file__).resolve().parents[1]
NOTICE_MARK = "既定の表示"

# page -> (the parameters set hostile, valid parameters the page needs to read them)
GROUPS: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "overview": ("overview", ("lang", "year"), {}),
    "regions": ("regions", ("lang", "year", "measure", "region"), {}),
    # `risk` is read only when the measure is claims paid.
    "regions+risk": ("regions", ("risk",), {"measure": "claims_paid"}),
    "products": ("products", ("lang", "year", "measure", "product"), {}),
    "products+risk": ("products", ("risk",), {"measure": "claims_paid"}),
    "lead": ("lead", ("lang", "element", "lead_fy", "place", "currency"), {}),
    "partners": ("partners", ("lang", "type", "group", "country"), {}),
    "sme": ("sme", ("lang", "kind", "pref"), {}),
    # Pages added after the brief was written; their parameters get the same treatment.
    "compare": ("compare", ("lang", "dim", "measure", "a", "b"), {}),
    "press": ("press", ("lang", "year"), {}),
}

HOSTILE = {
    "empty": "",
    "space": " ",
    "whitespace": " \t\r\n ",
    "long_10k": "2024" * 2500,
    "emoji": "🇯🇵💴🔥👍🏽",
    "rtl_override": "\u202e4202\u202c",
    "zero_width_all": "all\u200b",
    "control_chars": "\x01\x07\x08\x1b[31m\x7f\x9b",
    "fullwidth_2024": "２０２４",
    "padded_2024": " 2024 ",
    "sql_or": "' OR 1=1 --",
    "sql_drop": "2024; DROP TABLE regions",
    "html_script": "<script>alert(1)</script>",
    "html_img": "<img src=x onerror=alert(1)>",
    "js_url": "javascript:alert(1)",
    "path_traversal": "../../etc/passwd",
    "year_1999": "1999",
    "minus_one": "-1",
    "float_2024": "2024.0",
    "exp_1e9": "1e9",
    "pref_99": "99",
    "upper_EN": "EN",
    "title_Regions": "Regions",
}


def open_direct(page: str, params: dict[str, str]) -> AppTest:
    """The page as the session's first run, as when a visitor opens a shared link."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    at.run()
    return at


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in [str(k), *_strings(v)]]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [] if node is None else [str(node)]


def rendered(at: AppTest) -> tuple[list[str], list[str]]:
    """Every piece of text the page shows a visitor, in a stable order: (body, warnings)."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "error",
                 "success", "exception", "code", "text"):
        out += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        out += [str(m.label), str(m.value), str(m.delta), str(m.proto.help)]
    for frame in tables(at):
        out += [str(c) for c in frame.columns]
        out += [str(v) for v in frame.astype(str).to_numpy().ravel()]
    for e in at.expander:
        out.append(str(e.label))
    for kind in ("selectbox", "button_group", "toggle", "download_button"):
        for w in getattr(at, kind):
            out.append(str(w.label))
            out += [str(o) for o in getattr(w, "options", [])]
    for h in at.get("html"):
        out.append(h.proto.body)
    for chart in at.get("plotly_chart"):
        out += _strings(json.loads(chart.proto.spec))  # the JSON escapes non-ASCII; undo it
    return out, [str(w.value) for w in at.warning]


def notice_for(param: str) -> str:
    from nexidash import i18n
    return i18n.translate("ja", "notice.bad_param", param=param)


@cache
def baseline(group: str) -> tuple[AppTest, list[str], list[str]]:
    """The page with no hostile parameter: its AppTest, rendered body and warnings."""
    page, _, fixed = GROUPS[group]
    at = open_direct(page, dict(fixed))
    assert not at.exception and not at.error, "the page fails even without hostile input"
    return (at, *rendered(at))


def check_falls_back(group: str, hostile: dict[str, str]) -> None:
    """The shared assertions for one page opened with hostile values for some parameters."""
    page, _, fixed = GROUPS[group]
    base, base_body, base_warnings = baseline(group)
    at = open_direct(page, {**fixed, **hostile})
    body, warnings = rendered(at)

    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]

    expected_notices = {notice_for(p) for p in hostile}
    new_warnings = [w for w in warnings if w not in base_warnings]
    assert sorted(new_warnings) == sorted(expected_notices), new_warnings
    assert all(NOTICE_MARK in w for w in new_warnings)

    for param, value in hostile.items():
        # The year picker is a widget of each page's own (urlstate.widget_key).
        key = f"year@{page}" if param == "year" else param
        assert at.session_state[key] == base.session_state[key], param
        assert at.query_params.get(param) != value, f"{param} still in the URL"

    # Falls back to the default view: everything but the notices is the baseline page.
    assert body == base_body

    # And, explicitly, the hostile value is not echoed anywhere (only as often as the default
    # page and the fixed notices already contain it, e.g. "-1" in "-10.2%").
    text = "\n".join(body + warnings)
    base_text = "\n".join(base_body + base_warnings)
    for value in set(hostile.values()):
        if value.strip():
            allowed = base_text.count(value) + sum(n.count(value) for n in expected_notices)
            assert text.count(value) == allowed, f"{value[:40]!r} echoed on {page}"


@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
@pytest.mark.parametrize("group", list(GROUPS))
def test_hostile_query_params_fall_back_with_notice(group, value):
    """Test that a hostile value in every URL parameter of a page falls back quietly."""
    _, params, _ = GROUPS[group]
    check_falls_back(group, {p: value for p in params})


def test_hostile_table_covers_every_listed_param():
    """Test that the hostile table is run against every URL parameter the pages read."""
    covered = {(GROUPS[g][0], p) for g in GROUPS for p in GROUPS[g][1]}
    wanted = {("overview", "lang"), ("overview", "year"),
              ("regions", "measure"), ("regions", "risk"), ("regions", "region"),
              ("products", "measure"), ("products", "risk"), ("products", "product"),
              ("lead", "element"), ("lead", "lead_fy"), ("lead", "place"), ("lead", "currency"),
              ("partners", "type"), ("partners", "group"), ("partners", "country"),
              ("sme", "kind"), ("sme", "pref")}
    assert wanted <= covered
    assert max(len(v) for v in HOSTILE.values()) >= 10_000
    assert "\x00" not in "".join(HOSTILE.values())


@cache
def _valid_codes() -> dict[str, set[str]]:
    from nexidash import db
    return {"lang": {"ja", "en"}, "year": {str(y) for y in db.run("fiscal_years")["fiscal_year"]}}


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(lang=st_.text(), year=st_.text())
def test_any_text_in_frame_params_falls_back(lang, year):
    """Test that arbitrary text in the frame's lang and year parameters falls back quietly."""
    valid = _valid_codes()
    hostile = {"lang": lang, "year": year}
    for param, value in hostile.items():
        assume(value not in valid[param])
    check_falls_back("overview", hostile)
