"""BENCHMARKS.md from the raw results in artifacts/bench/run.json and load.json."""

from __future__ import annotations

from .common import (CONTROL_LABEL, ROOT, fmt_kb, fmt_mb, fmt_ms, fmt_ratio, load_json,
                     md_table, median, ratio)

LIMIT_RATIO = 1.5
LIMIT_BYTES = 1.5 * 1024 * 1024
LIMIT_SCRIPT_MS = 150
LIMIT_RSS_MB = 400
MB = 1024 * 1024


def _verdict(value, limit) -> str:
    if value is None:
        return "not measured"
    if value <= limit:
        return f"**met** ({(limit - value) / limit:.0%} under)"
    return f"**missed** ({value / limit - 1:.0%} over)"


def _ok(value, limit) -> str:
    if value is None:
        return "—"
    return "yes" if value <= limit else "**no**"


def _med(rows, key):
    return median(r.get(key) for r in rows)


# --------------------------------------------------------------------------------------------
# Summaries computed from the raw results
# --------------------------------------------------------------------------------------------

def browser_summary(run: dict) -> dict:
    out = {}
    for name, d in (run.get("browser") or {}).items():
        rows, bare = d["runs"], d["bare_runs"]
        first, bfirst = _med(rows, "first_ms"), _med(bare, "first_ms")
        rerun, brerun = _med(rows, "rerun_ms"), _med(bare, "rerun_ms")
        static = next((r for r in rows if r.get("static_bytes") is not None), {})
        bstatic = next((r for r in bare if r.get("static_bytes") is not None), {})
        out[name] = {
            "control": d.get("control"), "n": sum(1 for r in rows if r.get("first_ms")),
            "first": first, "bare_first": bfirst, "first_ratio": ratio(first, bfirst),
            "rerun": rerun, "bare_rerun": brerun, "rerun_ratio": ratio(rerun, brerun),
            "ws_first": _med(rows, "ws_first"), "ws_rerun": _med(rows, "ws_rerun"),
            "bare_ws_first": _med(bare, "ws_first"), "bare_ws_rerun": _med(bare, "ws_rerun"),
            "static": static.get("static_bytes"), "static_n": static.get("static_requests"),
            "static_biggest": static.get("static_biggest") or [],
            "bare_static": bstatic.get("static_bytes"),
            "bare_static_n": bstatic.get("static_requests"),
            "plots": _med(rows, "plots"), "maps": _med(rows, "maps"),
            "problems": sorted({p for r in rows for p in r.get("problems", [])}),
            "bare_problems": sorted({p for r in bare for p in r.get("problems", [])}),
            "cpu_first": _med(rows, "cpu_first_ms"), "cpu_rerun": _med(rows, "cpu_rerun_ms"),
            "bare_cpu_first": _med(bare, "cpu_first_ms"),
            "bare_cpu_rerun": _med(bare, "cpu_rerun_ms"),
            "first_all": [r.get("first_ms") for r in rows],
            "rerun_all": [r.get("rerun_ms") for r in rows],
        }
    return out


def script_summary(run: dict) -> dict:
    s = run.get("script") or {}
    bare = s.get("bare") or []
    bare_warm = median(b.get("warm_ms") for b in bare)
    bare_cold = median(b.get("cold_ms") for b in bare)
    bare_cc = median(b.get("cold_cache_ms") for b in bare)
    out = {"bare": {"warm": bare_warm, "cold": bare_cold, "cold_cache": bare_cc}}
    for name, p in (s.get("pages") or {}).items():
        out[name] = {"cold": p.get("cold_ms"), "warm": p.get("warm_ms"),
                     "cold_cache": p.get("cold_cache_ms"),
                     "warm_ratio": ratio(p.get("warm_ms"), bare_warm),
                     "problems": p.get("problems") or []}
    return out


def cold_summary(run: dict) -> dict:
    c = run.get("cold") or {}
    out = {}
    for target in ("app", "bare"):
        rows = c.get(target) or []
        out[target] = {"rendered": median(r.get("rendered_ms") for r in rows),
                       "ready": median(r.get("ready_ms") for r in rows),
                       "all": [r.get("rendered_ms") for r in rows],
                       "problems": [p for r in rows for p in r.get("problems", [])]}
    out["ratio"] = ratio(out["app"]["rendered"], out["bare"]["rendered"])
    return out


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

def browser_table(run: dict) -> str:
    b = browser_summary(run)
    if not b:
        return "_Not measured._"
    rows = []
    for name, s in b.items():
        control = s["control"]
        what = f"{CONTROL_LABEL.get(control[0], control[0])} `{control[1]}`" if control else "—"
        rows.append([f"`{name}`", f"{s['plots']:.0f} ({s['maps']:.0f})" if s["plots"] is not None
                     else "—",
                     fmt_ms(s["first"]), fmt_ms(s["bare_first"]), fmt_ratio(s["first_ratio"]),
                     _ok(s["first_ratio"], LIMIT_RATIO), what, fmt_ms(s["rerun"]),
                     fmt_ms(s["bare_rerun"]), fmt_ratio(s["rerun_ratio"]),
                     _ok(s["rerun_ratio"], LIMIT_RATIO)])
    table = md_table(["page", "charts (maps)", "first visit", "bare", "ratio", "≤ 1.5×",
                      "rerun control", "rerun", "bare", "ratio", "≤ 1.5×"], rows)
    problems = [f"- `{n}`: " + "; ".join(s["problems"][:4]) for n, s in b.items() if s["problems"]]
    problems += [f"- bare page beside `{n}`: " + "; ".join(s["bare_problems"][:3])
                 for n, s in b.items() if s["bare_problems"]]
    spread = md_table(["page", "first visit, every run (ms)", "rerun, every run (ms)"],
                      [[f"`{n}`", " ".join(f"{v:.0f}" if v else "✗" for v in s["first_all"]),
                        " ".join(f"{v:.0f}" if v else "✗" for v in s["rerun_all"])]
                       for n, s in b.items()])
    text = table + "\n\nEvery run, in order (✗ = did not settle):\n\n" + spread
    if problems:
        text += "\n\nProblems seen during these visits:\n\n" + "\n".join(problems)
    return text


def server_cpu_table(run: dict) -> str:
    b = browser_summary(run)
    if not b or all(s["cpu_rerun"] is None for s in b.values()):
        return "_Not measured._"
    rows = [[f"`{n}`", fmt_ms(s["cpu_first"]), fmt_ms(s["bare_cpu_first"]),
             fmt_ms(s["cpu_rerun"]), fmt_ms(s["bare_cpu_rerun"])] for n, s in b.items()]
    return md_table(["page", "page view", "bare", "rerun", "bare"], rows)


def bytes_table(run: dict) -> str:
    b = browser_summary(run)
    if not b:
        return "_Not measured._"
    rows = []
    for name, s in b.items():
        total = None if s["ws_first"] is None or s["static"] is None else s["ws_first"] + s["static"]
        rows.append([f"`{name}`", fmt_kb(s["ws_first"]), fmt_kb(s["bare_ws_first"]),
                     _ok(s["ws_first"], LIMIT_BYTES), fmt_kb(s["ws_rerun"]),
                     fmt_kb(s["bare_ws_rerun"]),
                     f"{fmt_kb(s['static'])} ({s['static_n']})" if s["static"] is not None else "—",
                     f"{fmt_kb(s['bare_static'])} ({s['bare_static_n']})"
                     if s["bare_static"] is not None else "—",
                     fmt_kb(total)])
    table = md_table(["page", "WebSocket, page view", "bare", "≤ 1.5 MB", "WebSocket, rerun",
                      "bare", "static assets, cold cache (requests)", "bare", "page view total, "
                      "cold cache"], rows)
    biggest = []
    for name, s in b.items():
        if s["static_biggest"]:
            biggest.append(f"- `{name}`: " + ", ".join(f"{f} {fmt_kb(n)}"
                                                       for n, f in s["static_biggest"][:3]))
            break
    if biggest:
        table += "\n\nLargest static assets (transfer size):\n\n" + "\n".join(biggest)
    return table


def script_table(run: dict) -> str:
    s = script_summary(run)
    if len(s) <= 1:
        return "_Not measured._"
    bare = s["bare"]
    rows = [[f"`{n}`", fmt_ms(p["cold"]), fmt_ms(p["cold_cache"]), fmt_ms(p["warm"]),
             fmt_ms(bare["warm"]), fmt_ratio(p["warm_ratio"]), _ok(p["warm"], LIMIT_SCRIPT_MS)]
            for n, p in s.items() if n != "bare"]
    rows.append(["bare page", fmt_ms(bare["cold"]), fmt_ms(bare["cold_cache"]),
                 fmt_ms(bare["warm"]), "", "", _ok(bare["warm"], LIMIT_SCRIPT_MS)])
    text = md_table(["page", "cold (fresh process)", "cold cache (warm process)", "warm rerun",
                     "bare warm", "ratio", "≤ 150 ms"], rows)
    problems = [f"- `{n}`: " + "; ".join(p["problems"][:3]) for n, p in s.items()
                if n != "bare" and p.get("problems")]
    if problems:
        text += "\n\n" + "\n".join(problems)
    return text


def memory_table(run: dict) -> str:
    m = run.get("memory") or {}
    if not m:
        return "_Not measured._"
    rows = []
    for target in ("app", "bare"):
        d = m.get(target)
        if not d:
            continue
        rows.append([target, d["views"], fmt_mb(d["start"]["rss_mb"]), fmt_mb(d["end"]["rss_mb"]),
                     fmt_mb(d["end"]["hwm_mb"]), _ok(d["end"]["hwm_mb"], LIMIT_RSS_MB),
                     f"{d['seconds']:.0f} s", f"{d['cpu_s']:.0f} s", len(d["problems"])])
    text = md_table(["server", "page views", "RSS at start", "RSS after", "peak (VmHWM)",
                     "≤ 400 MB", "wall time", "server CPU", "problems"], rows)
    app = m.get("app") or {}
    if app.get("samples"):
        text += "\n\nApp server RSS every 10 views: " + ", ".join(
            f"{s['rss_mb']:.0f}" for s in app["samples"]) + " MB"
    probs = (app.get("problems") or [])[:5]
    if probs:
        text += "\n\nProblems: " + "; ".join(probs)
    return text


def cold_table(run: dict) -> str:
    c = cold_summary(run)
    if not c["app"]["all"]:
        return "_Not measured._"
    rows = [[t, fmt_ms(c[t]["ready"]), fmt_ms(c[t]["rendered"]),
             " ".join(f"{v:.0f}" if v else "✗" for v in c[t]["all"])] for t in ("app", "bare")]
    text = md_table(["server", "process start → health ok", "process start → first page "
                     "rendered", "every run (ms)"], rows)
    text += f"\n\nRatio app / bare: {fmt_ratio(c['ratio'])} (target ≤ 1.5×: " \
            f"{_ok(c['ratio'], LIMIT_RATIO)})"
    probs = c["app"]["problems"] + c["bare"]["problems"]
    if probs:
        text += "\n\nProblems: " + "; ".join(probs[:4])
    return text


def targets_table(run: dict | None, load: dict | None) -> str:
    run = run or {}
    rows = []
    b = browser_summary(run)

    def worst(key):
        items = [(s[key], n) for n, s in b.items() if s[key] is not None]
        return max(items) if items else (None, None)

    for key, label in (("first_ratio", "First visit ≤ 1.5× bare, every page"),
                       ("rerun_ratio", "Rerun ≤ 1.5× bare, every page")):
        value, name = worst(key)
        over = [n for n, s in b.items() if s[key] is not None and s[key] > LIMIT_RATIO]
        rows.append([label, f"worst `{name}` {fmt_ratio(value)}" if name else "—",
                     _verdict(value, LIMIT_RATIO) + (f"; over: {', '.join(over)}" if over else "")])
    value, name = worst("ws_first")
    rows.append(["≤ 1.5 MB sent per page view (WebSocket)",
                 f"worst `{name}` {fmt_kb(value)}" if name else "—", _verdict(value, LIMIT_BYTES)])
    totals = [((s["ws_first"] or 0) + s["static"], n, s["bare_static"]) for n, s in b.items()
              if s["static"] is not None]
    if totals:
        value, name, bare_static = max(totals)
        rows.append(["(for reference) a first visit with a cold browser cache, static assets "
                     "included", f"worst `{name}` {fmt_kb(value)}; bare page "
                     f"{fmt_kb(bare_static)}",
                     "over 1.5 MB for the bare page too: Streamlit's own JavaScript, cached "
                     "after the first visit"])
    s = script_summary(run)
    items = [(p["warm"], n) for n, p in s.items() if n != "bare" and p.get("warm") is not None]
    value, name = max(items) if items else (None, None)
    over = [n for n, p in s.items() if n != "bare" and (p.get("warm") or 0) > LIMIT_SCRIPT_MS]
    rows.append(["Warm rerun script time ≤ 150 ms, every page",
                 f"worst `{name}` {fmt_ms(value)}" if name else "—",
                 _verdict(value, LIMIT_SCRIPT_MS) + (f"; over: {', '.join(over)}" if over else "")])
    m = (run.get("memory") or {}).get("app")
    value = m["end"]["hwm_mb"] if m else None
    rows.append([f"Server peak RSS ≤ 400 MB after {m['views'] if m else 100} page views",
                 fmt_mb(value), _verdict(value, LIMIT_RSS_MB)])
    c = cold_summary(run)
    rows.append(["Cold start ≤ 1.5× bare", fmt_ratio(c["ratio"]) + (
        f" ({fmt_ms(c['app']['rendered'])} vs {fmt_ms(c['bare']['rendered'])})"
        if c["ratio"] else ""), _verdict(c["ratio"], LIMIT_RATIO)])
    return md_table(["target", "measured", "verdict"], rows)


def load_tables(load: dict | None) -> str:
    if not load:
        return "_No load run yet: `python -m bench.load`._"
    s = load["summary"]
    head = md_table(["sessions", "pages × laps", "steps done / planned", "errors",
                     "wall time", "renders / minute", "render p50", "render p95",
                     "server CPU (avg cores)", "server CPU per render", "server peak RSS",
                     "machine CPU busy"],
                    [[load["settings"]["sessions"],
                      f"{len(load['pages'])} × {load['settings']['laps']}",
                      f"{s['steps_done']} / {s['steps_planned']}", s["errors"],
                      f"{s['wall_s']:.0f} s", f"{s['renders_per_min']:.0f}",
                      fmt_ms(s["p50"]), fmt_ms(s["p95"]), f"{s['server_cpu_cores']:.2f}",
                      fmt_ms(s.get("server_cpu_ms_per_render")),
                      fmt_mb(s["server_peak_rss_mb"]), f"{s['machine_cpu_busy']:.0%}"]])
    rows = []
    for name, p in load["per_page"].items():
        rows.append([f"`{name}`", p["views"], fmt_ms(p["view_p50"]), fmt_ms(p["view_p95"]),
                     p["reruns"], fmt_ms(p["rerun_p50"]), fmt_ms(p["rerun_p95"]), p["errors"]])
    per_page = md_table(["page", "page views", "p50", "p95", "control reruns", "p50", "p95",
                         "errors"], rows)
    text = head + "\n\n" + per_page
    kinds = s.get("error_kinds") or {}
    if kinds:
        text += "\n\nErrors by kind:\n\n" + md_table(
            ["kind", "count", "example"],
            [[k, v["count"], v["example"][:160].replace("|", "/")] for k, v in kinds.items()])
    timeline = load_timeline(load)
    if timeline:
        text += "\n\nMinute by minute (renders that settled, errors, the server's CPU):\n\n" + timeline
    if s.get("incomplete_sessions"):
        text += (f"\n\n{s['incomplete_sessions']} session(s) did not finish their walk "
                 f"before the {load['settings']['deadline_s']} s deadline.")
    return text


def load_timeline(load: dict) -> str:
    steps, samples = load.get("steps") or [], load.get("samples") or []
    if not steps:
        return ""
    t0 = min(x["t"] for x in steps + samples)
    minutes = {}
    for x in steps:
        m = minutes.setdefault(int((x["t"] - t0) // 60), {"ok": 0, "err": 0, "cpu": 0.0, "n": 0})
        m["err" if x["error"] else "ok"] += 1
    for x in samples:
        m = minutes.setdefault(int((x["t"] - t0) // 60), {"ok": 0, "err": 0, "cpu": 0.0, "n": 0})
        m["cpu"] += x["cpu_cores"]
        m["n"] += 1
    rows = []
    for k in sorted(minutes):
        m = minutes[k]
        cores = m["cpu"] / m["n"] if m["n"] else 0
        per = f"{m['cpu'] * 1000 / m['ok']:,.0f} ms" if m["ok"] else "—"
        rows.append([f"{k}–{k + 1}", m["ok"], m["err"], f"{cores:.2f}", per])
    return md_table(["minute", "renders", "errors", "server CPU (cores)",
                     "server CPU per render"], rows)


def load_history_table(history: dict | None) -> str:
    runs = (history or {}).get("runs") or []
    if len(runs) < 2:
        return ""
    rows = []
    for r in runs:
        st, s, m = r["settings"], r["summary"], r.get("machine") or {}
        rows.append([m.get("date", "?"), st["sessions"], f"{st['stagger_s']} s", st["laps"],
                     f"{s['steps_done']} / {s['steps_planned']}", s["errors"],
                     f"{s['wall_s']:.0f} s", fmt_ms(s["p50"]), fmt_ms(s["p95"]),
                     f"{s['server_cpu_cores']:.2f}", f"{s['machine_cpu_busy']:.0%}"])
    return "Every load run so far (newest last):\n\n" + md_table(
        ["date", "sessions", "start gap", "laps", "steps done / planned", "errors", "wall time",
         "render p50", "render p95", "server CPU (cores)", "machine CPU busy"], rows)


def run_tables(run: dict) -> str:
    parts = [
        "## First visit and rerun (headless Chromium, median of "
        f"{(run.get('settings') or {}).get('runs', '?')} runs)", browser_table(run),
        "## Bytes sent to the browser", bytes_table(run),
        "## Server CPU in the live server (median, during the browser runs above)",
        "CPU time of the server process from navigation to settled (page view: the script, "
        "its messages and the static files of a cold browser cache) and from the click to "
        "settled (rerun), read from `/proc/<pid>/stat`. Unlike the AppTest figures below, this "
        "includes Streamlit's own work around a run (protobuf, WebSocket, the post-run garbage "
        "collection).\n\n" + server_cpu_table(run),
        "## Server-side script time (AppTest)", script_table(run),
        f"## Server memory after {((run.get('memory') or {}).get('app') or {}).get('views', '?')} "
        "page views", memory_table(run),
        "## Cold start (median of "
        f"{(run.get('settings') or {}).get('cold_runs', '?')})", cold_table(run),
    ]
    return "\n\n".join(parts)


# --------------------------------------------------------------------------------------------
# BENCHMARKS.md
# --------------------------------------------------------------------------------------------

INTRO = """# Benchmarks

What a visitor waits for and what the server spends, page by page, measured against a bare
Streamlit page with one Plotly chart (`bench/bare_app.py`: a title, a year control, a 5-bar
chart that the control changes),
served the same way (`python -m streamlit run … --server.headless true --server.address
127.0.0.1`, same `.streamlit/config.toml`).

```sh
.venv/bin/python -m bench.run          # this file's tables (about 30 minutes on 2 cores)
.venv/bin/python -m bench.run --load   # the load section (python -m bench.load does the same)
```

Raw numbers: `artifacts/bench/run.json` and `artifacts/bench/load.json`; server logs in
`artifacts/bench/logs/`.
"""

NOTES = """## Reading the targets

- **What a rerun costs.** The bare page's rerun redraws its one chart; a dashboard page's control
  redraws every chart it drives (three on regions and products, with a map on regions), and
  Streamlit remounts each changed chart rather than updating it (a chart's element id includes
  its figure). On two cores the browser's redraw is most of a page's rerun: the server's part
  is the CPU column above, about a tenth of it. So the rerun ratio of a page is roughly the
  number of charts its control changes; pages whose control changes one chart are near 1.5×.
- **What was removed to get here** (2026-11-26, measured on this machine): Plotly's object
  model (figures are now plain dicts, 40–70 ms of server time per chart per rerun); MapLibre
  maps (a WebGL context per redraw, ~0.7 s of a regions rerun; now SVG geo maps); the data grid
  and Markdown-per-cell tables (now escaped HTML, ~0.9 s off the SME page's first visit); the
  numbers behind each chart are drawn only when opened; Streamlit's full garbage collection
  after every run (65 ms; the long-lived heap is now frozen); Vega sparklines on the overview.
- **First visits** are dominated by what the bare page pays too: fetching and evaluating
  Streamlit's JavaScript and Plotly's 4.6 MB bundle. A page's extra is its extra charts and
  elements to lay out, and a few small component chunks.
- **Cold start** adds the first run's imports in a fresh process (pandas alone ~0.7 s; the bare
  page never imports it) and the first database connection to a first visit.
- **Load**: the 25 browser contexts run on the same two cores as the server, and each fresh
  context fetches and compiles Streamlit's ~7.5 MB of JavaScript. Every error of the load runs
  is a render that did not settle within 60 s in the first minutes, while those compiles
  queue for the cores; from then on the runs have no errors. The server meanwhile used
  0.1–0.2 cores: the load generator, not the server, is what the machine runs out of.
- The machine is shared: the load averages above show how busy it was besides the benchmark.
  Page and bare runs alternate, so a busy spell slows both sides of a ratio.
"""

METHOD = """## How it is measured

- **Settled** (the end of every browser timing): Streamlit's script state went to `running` and
  back to `notRunning`, the WebSocket is connected, no `stSkeleton` is left, every
  `.js-plotly-plot` has drawn (a `.main-svg`; a map its country shapes), at least as many
  charts as the page's warm-up visit had, and the DOM has not changed for 500 ms. The time taken
  is that of the **last DOM change** (a MutationObserver installed before any page script), so
  the 500 ms quiet window is not counted.
- **First visit**: a fresh browser context (no HTTP cache) per visit; from navigation start
  (`performance.timeOrigin`) to settled. The servers have had one warm-up visit per page, so
  this is a warm server and a cold browser.
- **Rerun**: in the same visit, one control is changed (the first unselected pill/segment, or the
  first unselected option of a selectbox); from the click's event time to settled again. The
  bare page's rerun changes its year control, which redraws its one chart with new bars.
- **A B A B**: each page's runs alternate with a bare-page run; a page's ratio is against the bare
  runs made beside it.
- **Bytes**: WebSocket frame payloads the page received (Streamlit does not compress its
  WebSocket by default, so this is what crosses the wire), from navigation to settled (page
  view) and from the click to settled (rerun); static assets are the encoded HTTP response
  bodies of a cold-cache first visit (they are cached afterwards).
- **Script time**: `AppTest.from_file("app.py")`, `switch_page`, timed `at.run()`, one process
  per page: *cold* = the first run of a fresh process after `st.cache_data.clear()` (imports,
  database connection and queries included), *warm* = median of the following reruns, *cold
  cache* = one more run after `st.cache_data.clear()` in the warm process. AppTest's own
  overhead (it parses every message) is in both the page's and the bare page's figure.
- **Memory**: a fresh server, page views cycling through every page, a new browser context
  each, then `VmRSS` and `VmHWM` from `/proc/<pid>/status` of the server and its children.
- **Cold start**: from spawning `python -m streamlit run` until the first page (`/`) has settled
  in a browser that was already running; app and bare alternate.
"""


def _snapshot_text(snap: dict | None) -> str:
    if not snap:
        return "the working tree as it was during the run"
    return (f"a copy of the working tree taken {snap['taken']} ({snap['files']} code/config "
            f"files, digest `{snap['digest']}`), so every section measured the same code")


def machine_section(run: dict) -> str:
    m = run.get("machine") or {}
    rows = [["date", m.get("date")], ["CPU", m.get("cpu")], ["cores", m.get("cores")],
            ["RAM", f"{m.get('ram_gb')} GB"], ["kernel", m.get("kernel")],
            ["Python", m.get("python")], ["Streamlit", m.get("streamlit")],
            ["Plotly", m.get("plotly")], ["DuckDB", m.get("duckdb")],
            ["Chromium", m.get("chromium")],
            ["load average (1, 5, 15 min) at start / end",
             f"{m.get('loadavg_start')} / {m.get('loadavg_end')}"],
            *[[f"load average, {sec} section start / end", f"{a} / {b}"]
              for sec, (a, b) in (run.get("loadavg") or {}).items()],
            ["pages measured", ", ".join(f"`{p}`" for p in run.get("pages") or [])],
            ["code measured", _snapshot_text(run.get("snapshot"))],
            ["benchmark wall time", f"{run.get('seconds', 0) / 60:.0f} min"]]
    return md_table(["", ""], rows)


def build(run: dict | None, load: dict | None) -> str:
    run = run or {}
    parts = [INTRO, "## Machine", machine_section(run) if run else "_No run yet._",
             "## Targets", targets_table(run, load)]
    if run:
        parts.append(run_tables(run))
    parts += ["## Load", load_intro(load), load_tables(load),
              load_history_table(load_json("load-history.json")), NOTES, METHOD]
    return "\n\n".join(p.strip("\n") for p in parts if p) + "\n"


def load_intro(load: dict | None) -> str:
    if not load:
        return ""
    st = load["settings"]
    m = load.get("machine") or {}
    return (f"{st['sessions']} concurrent browser sessions (Playwright contexts on one Chromium, "
            f"async API, started {st['stagger_s']} s apart) against one server, on the same "
            f"{m.get('cores', '?')}-core machine as the browser; each session walks every page "
            f"{st['laps']} times through the sidebar (its first page by URL), and on each page "
            "changes its rerun control once. A render is timed like a first visit (navigation "
            "or sidebar click to settled); errors are `stException`s, the app's error sentence, "
            "renders that did not settle within 60 s, and console errors other than Streamlit's "
            "base-path 404 probes. Run on " + str(m.get("date", "?")) + ", load average at start "
            + str(m.get("loadavg_start", "?")) + ", at the end " + str(m.get("loadavg_end", "?"))
            + "; code measured: " + _snapshot_text(load.get("snapshot")) + ".")


# --------------------------------------------------------------------------------------------
# Phone: Lighthouse through the production stack (bench/phone.py)
# --------------------------------------------------------------------------------------------

PHONE_LCP_RATIO = 1.2
PHONE_TBT_RATIO = 1.5
PHONE_BYTES = 2.2e6  # 2.2 MB, decimal, as Lighthouse counts its total byte weight


def phone_verdicts(phone: dict) -> dict:
    """Per page: the ratios to the bare page and whether each target is met."""
    summary = phone.get("summary") or {}
    bare = summary.get("bare") or {}
    out = {}
    for name, s in summary.items():
        if name == "bare":
            continue
        lcp_ratio = ratio(s["lcp_ms"], bare.get("lcp_ms"))
        tbt_ratio = ratio(s["tbt_ms"], bare.get("tbt_ms"))
        out[name] = {"lcp_ratio": lcp_ratio, "tbt_ratio": tbt_ratio,
                     "lcp_ok": lcp_ratio is not None and lcp_ratio <= PHONE_LCP_RATIO,
                     "tbt_ok": tbt_ratio is not None and tbt_ratio <= PHONE_TBT_RATIO,
                     "bytes_ok": s["bytes"] <= PHONE_BYTES}
    return out


def phone_table(phone: dict | None) -> str:
    if not phone:
        return "_No phone run yet: `python -m bench.phone`._"
    summary = phone["summary"]
    verdicts = phone_verdicts(phone)
    yes = {True: "yes", False: "**no**"}
    rows = []
    for name, s in summary.items():
        v = verdicts.get(name)
        rows.append([f"`{name}`", s["score"], f"{s['fcp_ms'] / 1000:.1f} s",
                     f"{s['lcp_ms'] / 1000:.1f} s",
                     "—" if not v else f"{fmt_ratio(v['lcp_ratio'])} {yes[v['lcp_ok']]}",
                     f"{s['tbt_ms']:,.0f} ms",
                     "—" if not v else f"{fmt_ratio(v['tbt_ratio'])} {yes[v['tbt_ok']]}",
                     f"{s['cls']:.3f}", f"{s['bytes'] / 1e6:.2f} MB"
                     + ("" if not v else f" {yes[v['bytes_ok']]}"),
                     s["requests"], len(s["off_machine"])])
    return md_table(["page", "score", "FCP", "LCP", "LCP vs bare (≤ 1.2×)", "TBT",
                     "TBT vs bare (≤ 1.5×)", "CLS", "bytes (≤ 2.2 MB)", "requests",
                     "requests off 127.0.0.1"], rows)


def phone_bytes_table(phone: dict | None) -> str:
    if not phone:
        return ""
    summary = phone["summary"]
    types = ["script", "font", "stylesheet", "document", "image", "other"]
    rows = [[f"`{name}`", *[fmt_kb(s["bytes_by_type"].get(t) or 0)
                            for t in types]] for name, s in summary.items()]
    return md_table(["page", *types], rows)


def warm_table(phone: dict) -> tuple[str, list[list]]:
    """The returning reader's table, and its two target rows (issue 5's, measured here)."""
    warm = phone.get("warm") or {}
    rows, worst = [], {"first": (None, None), "rerun": (None, None)}
    over = {"first": [], "rerun": []}
    for name, sides in warm.items():
        cells = [f"`{name}`"]
        for key in ("first", "rerun"):
            page = median([r[f"{key}_ms"] for r in sides["page"]])
            bare = median([r[f"{key}_ms"] for r in sides["bare"]])
            r = ratio(page, bare)
            cells += [fmt_ms(page), fmt_ms(bare), fmt_ratio(r)]
            if r is not None and (worst[key][0] is None or r > worst[key][0]):
                worst[key] = (r, name)
            if r is not None and r > LIMIT_RATIO:
                over[key].append(name)
        problems = sum(len(r["problems"]) for s in sides.values() for r in s)
        rows.append(cells + [problems])
    table = md_table(["page", "returning visit", "bare", "ratio", "rerun", "bare", "ratio",
                      "problems"], rows) if rows else ""
    targets = []
    for key, label in (("first", "Returning visit (JavaScript cached) ≤ 1.5× bare"),
                       ("rerun", "Rerun after a control change ≤ 1.5× bare")):
        value, name = worst[key]
        if name is None:
            continue
        targets.append([label + ", every page, through the proxy",
                        f"worst `{name}` {fmt_ratio(value)}",
                        _verdict(value, LIMIT_RATIO) + (f"; over: {', '.join(over[key])}"
                                                        if over[key] else "")])
    return table, targets


PHONE_NOTES = """Reading these figures:

- **LCP.** Streamlit's HTML shell is empty until its JavaScript has run and the WebSocket has
  brought the page. nginx writes each page's heading and opening paragraph into the shell
  (`serve_nginx.page_heads`), so a phone paints them as soon as the HTML and CSS are in. Before that,
  a page's LCP was either about 8.7 s or about 14 s: the 14 s runs were those where Plotly's
  one-megabyte bundle started downloading a few milliseconds before the page's text was painted,
  which Lighthouse's simulation then counts as on the way to that paint.
- **TBT** is counted from the first paint. The bare page paints nothing before its JavaScript
  has run; a dashboard page now paints its text before, so the main bundle's evaluation falls
  inside its window too. Without the early text (the run before it, same day, median of 3)
  the pages measured 1.2–2.1× the bare page (overview 2,374 ms against 1,207 ms; only compare
  and press within 1.5×): each page draws two to four charts, some with a map, against the
  bare page's one, plus the app's frame. Drawing the charts with
  Streamlit's theme off halved the overview's chart drawing (173 → 88 ms unthrottled).
- **Rerun.** A control redraws every chart it drives (three on regions and products, with the
  map), against the bare page's one five-bar chart; Streamlit remounts each changed chart. The
  server's share of a rerun is small (see Crowd: about 35 ms of CPU per render).
"""


def phone_section(phone: dict) -> str:
    st, m = phone["settings"], phone.get("machine") or {}
    warm, warm_targets = warm_table(phone)
    return "\n\n".join([
        "## Phone (Lighthouse, through `make serve`)",
        md_table(["target", "measured", "verdict"], phone_targets(phone) + warm_targets),
        f"Lighthouse {st['lighthouse']}, default mobile settings (simulated mid-range phone on "
        f"slow 4G), Debian Chromium {m.get('chromium', '?')}, a fresh profile per run (a cold "
        f"first visit), median of {st['runs']} runs per page. The dashboard ran behind nginx "
        f"with {st['replicas']} replicas, the bare one-chart page (`bench/bare_app.py`) behind "
        "the same generated nginx config with one; each round measured the bare page, then "
        f"every page. Run {m.get('date', '?')}, load average at start "
        f"{m.get('loadavg_start', '?')}, at the end {m.get('loadavg_end', '?')}; "
        f"{phone.get('seconds', 0) / 60:.0f} min. Raw reports: `artifacts/bench/lighthouse/`.",
        phone_table(phone),
        PHONE_NOTES,
        "Bytes transferred by resource type (median, KB as 1,024 bytes):",
        phone_bytes_table(phone),
        *(["### A returning reader (headless Chromium through the stack, desktop size)",
           f"Median of {st.get('warm_runs', '?')} visits per page, each beside a bare-page "
           "visit. A visit opens the page once, unmeasured, in a new browser context, then "
           "opens it again (the JavaScript now from the browser's cache) and times it from "
           "navigation to settled; then it changes the page's control and times the click to "
           "settled. Settled is defined as for the first-visit table above.", warm]
          if warm else [])])


def phone_targets(phone: dict) -> list[list]:
    v = phone_verdicts(phone)
    summary = phone["summary"]
    rows = []
    for key, label, limit in (("lcp_ratio", "Phone LCP ≤ 1.2× bare, every page", PHONE_LCP_RATIO),
                              ("tbt_ratio", "Phone TBT ≤ 1.5× bare, every page", PHONE_TBT_RATIO)):
        name, value = max(((n, x[key]) for n, x in v.items()), key=lambda p: p[1])
        over = [n for n, x in v.items() if x[key] > limit]
        rows.append([label, f"worst `{name}` {fmt_ratio(value)}",
                     _verdict(value, limit) + (f"; over: {', '.join(over)}" if over else "")])
    name, value = max(((n, s["bytes"]) for n, s in summary.items() if n != "bare"),
                      key=lambda p: p[1])
    over = [n for n, s in summary.items() if n != "bare" and s["bytes"] > PHONE_BYTES]
    rows.append(["Phone: ≤ 2.2 MB on a cold first visit, every page",
                 f"worst `{name}` {value / 1e6:.2f} MB (bare {summary['bare']['bytes'] / 1e6:.2f}"
                 " MB)", _verdict(value, PHONE_BYTES) + (f"; over: {', '.join(over)}" if over
                                                         else "")])
    return rows


SERVING_SECTIONS = {}  # name -> (raw results file, section builder), filled below


def _put_section(doc: str, name: str, text: str, before: str = "## Load") -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{text.strip()}\n{end}"
    if start in doc and end in doc:
        return doc[:doc.index(start)] + block + doc[doc.index(end) + len(end):]
    if f"\n{before}" in doc:
        i = doc.index(f"\n{before}") + 1
        return doc[:i] + block + "\n\n" + doc[i:]
    return doc.rstrip("\n") + "\n\n" + block + "\n"


def _marked(doc: str, name: str) -> str | None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start in doc and end in doc:
        return doc[doc.index(start) + len(start):doc.index(end)]
    return None


def update_section(name: str, text: str) -> None:
    """Put one section's text into BENCHMARKS.md between its markers, leaving the rest as it is.

    The serving sections come from runs of their own (bench.phone, bench.crowd), so writing one
    must not drop the tables of a run whose raw results live on another machine.
    """
    path = ROOT / "BENCHMARKS.md"
    doc = path.read_text("utf-8") if path.exists() else INTRO
    path.write_text(_put_section(doc, name, text), "utf-8")


def write() -> str:
    """BENCHMARKS.md rebuilt from the raw results; a serving section with no raw results here
    keeps the text it has in the file."""
    path = ROOT / "BENCHMARKS.md"
    old = path.read_text("utf-8") if path.exists() else ""
    text = build(load_json("run.json"), load_json("load.json"))
    for name, (raw, make) in SERVING_SECTIONS.items():
        data = load_json(raw)
        section = make(data) if data else _marked(old, name)
        if section:
            text = _put_section(text, name, section)
    path.write_text(text, "utf-8")
    return text


SERVING_SECTIONS["phone"] = ("phone.json", phone_section)


# --------------------------------------------------------------------------------------------
# Crowd: bench.crowd's protocol readers through the production stack (bench/press_day.py)
# --------------------------------------------------------------------------------------------

CROWD_P95_MS = 1000


def _crowd_row(label: str, replicas, s: dict) -> list:
    steady = s.get("steady") or {}
    stats = steady if steady else s.get("actions") or {}
    errors = sum((s.get("errors") or {}).values())
    return [label, replicas, s["users"], f"{steady.get('renders_per_s', s['renders_per_s'])}",
            fmt_ms(stats.get("p50_ms")), fmt_ms(stats.get("p95_ms")), fmt_ms(stats.get("p99_ms")),
            errors, s.get("replica_cpu_s", "—")]


def crowd_section(data: dict) -> str:
    st, m = data["settings"], data.get("machine") or {}
    rows, targets = [], []
    for replicas, k in sorted((data.get("knee") or {}).items()):
        for step in k["steps"]:
            rows.append(_crowd_row(f"knee step, {replicas} replica(s)", replicas, step))
        targets.append([f"Knee with {replicas} replica(s): most sessions with p95 ≤ 1 s",
                        f"{k['knee_users']} sessions" if k["knee_users"] else "below the first step",
                        "measured"])
    target = data.get("target")
    if target:
        rows.append(_crowd_row("target run", 2, target))
        steady = target.get("steady") or target["actions"]
        errors = sum((target.get("errors") or {}).values())
        p95 = steady.get("p95_failures_as_slow_ms") or steady.get("p95_ms")
        ok = errors == 0 and p95 is not None and p95 <= CROWD_P95_MS
        targets.append([f"{target['users']} sessions acting every {st['think_s'][0]:g}–"
                        f"{st['think_s'][1]:g} s through the proxy: zero errors, p95 ≤ 1 s",
                        f"{errors} errors, p95 {fmt_ms(p95)}, {steady.get('renders_per_s')} "
                        "renders/s", "**met**" if ok else "**missed**"])
    kill = data.get("kill")
    kill_text = ""
    if kill:
        rows.append(_crowd_row("kill run", 2, kill))
        k = kill.get("kill") or {}
        outage = k.get("outage_ms") or {}
        kill_text = (
            f"**A replica killed mid-run.** {str(k.get('result', '?')).strip(chr(39))} at "
            f"{k.get('done_at_s', '?')} s of {kill['duration_s']:g} s. Afterwards: "
            f"{k.get('sessions_reconnected', 0)} sessions reconnected through nginx to the "
            f"surviving replica ({k.get('reconnects_ok', 0)} reconnects ok, "
            f"{k.get('reconnects_failed', 0)} failed; each reran its page from its URL), "
            f"outage p50 {fmt_ms(outage.get('p50'))}, p95 {fmt_ms(outage.get('p95'))}, max "
            f"{fmt_ms(outage.get('max'))}; {k.get('actions_failed_after_kill', 0)} reader "
            f"actions failed after the kill; {k.get('actions_ok_after_last_reconnect', 0)} "
            "actions succeeded after the last reconnect; the supervisor "
            + ("restarted the killed replica." if kill.get("victim_restarted") else
               "had not restarted the killed replica by the end of the run.")
            + f" Errors over the run: {kill.get('errors') or 'none'}.")
    return "\n\n".join(p for p in [
        "## Crowd (protocol readers through `make serve`)",
        md_table(["target", "measured", "verdict"], targets),
        f"Locust users that speak Streamlit's WebSocket protocol (`bench/crowd.py`, no browser), "
        f"each opening every page and changing a control on each, thinking "
        f"{st['think_s'][0]:g}–{st['think_s'][1]:g} s between actions, started "
        f"{st['spawn_rate']:g} a second, through nginx as `make serve` runs it (127.0.0.1 exempt "
        f"from the per-client limits, as every simulated reader shares it). Times are from "
        f"sending the request to the script's finish message, after every user had started. "
        f"Knee steps ran {st['step_s']:g} s each, the target and kill runs "
        f"{st['target_s']:g} s. Run {m.get('date', '?')} on {m.get('cores', '?')} cores, the "
        f"load generator on the same machine; load average at the end "
        f"{m.get('loadavg_end', '?')}; {data.get('seconds', 0) / 60:.0f} min in all.",
        md_table(["run", "replicas", "sessions", "renders/s", "p50", "p95", "p99", "errors",
                  "replica CPU (s)"], rows),
        "Errors past the knee are grouped by message: "
        + "; ".join(f"{step['users']} sessions with {replicas} replica(s): "
                    + ", ".join(f"{n} × {msg}" for msg, n in step["errors"].items())
                    for replicas, k in sorted((data.get("knee") or {}).items())
                    for step in k["steps"] if step.get("errors"))
        + "." if any(step.get("errors") for k in (data.get("knee") or {}).values()
                     for step in k["steps"]) else "",
        kill_text] if p)


SERVING_SECTIONS["crowd"] = ("press_day.json", crowd_section)


# --------------------------------------------------------------------------------------------
# The static edition (bench.edition)
# --------------------------------------------------------------------------------------------

EDITION_TARGETS = [  # (what, key, limit, at least?)
    ("performance ≥ 95", ("scores", "performance"), 95, True),
    ("LCP ≤ 2.5 s", "lcp_ms", 2500, False),
    ("CLS < 0.1", "cls", 0.0999, False),
    ("accessibility 100", ("scores", "accessibility"), 100, True),
    ("SEO 100", ("scores", "seo"), 100, True),
    ("best practices ≥ 95", ("scores", "best-practices"), 95, True),
    ("≤ 300 KB transferred before the first chart is visible", "bytes_before_lcp", 300 * 1024,
     False),
]


def _get(row: dict, key):
    return row[key[0]][key[1]] if isinstance(key, tuple) else row[key]


def edition_section(run: dict) -> str:
    summary, st, m = run["summary"], run["settings"], run.get("machine") or {}
    rows = []
    for what, key, limit, at_least in EDITION_TARGETS:
        values = {path: _get(s, key) for path, s in summary.items()}
        worst_path = (min if at_least else max)(values, key=values.get)
        worst = values[worst_path]
        ok = worst >= limit if at_least else worst <= limit
        missing = [p for p, v in values.items() if not (v >= limit if at_least else v <= limit)]
        shown = (f"{worst / 1024:.0f} KB" if key == "bytes_before_lcp" else
                 f"{worst:.3f}" if key == "cls" else f"{worst / 1000:.2f} s" if key == "lcp_ms"
                 else f"{worst:g}")
        verdict = "**met**" if ok else f"**missed** on {len(missing)} of {len(values)}"
        rows.append([what, f"worst `{worst_path}` {shown}", verdict])
    table = []
    for path, s in summary.items():
        sc = s["scores"]
        table.append([f"`{path}`", f"{sc['performance']:g}", f"{s['fcp_ms'] / 1000:.2f} s",
                      f"{s['lcp_ms'] / 1000:.2f} s", f"{s['tbt_ms']:.0f} ms", f"{s['cls']:.3f}",
                      f"{sc['accessibility']:g}", f"{sc['seo']:g}", f"{sc['best-practices']:g}",
                      f"{s['bytes_before_lcp'] / 1024:.0f} KB", f"{s['bytes'] / 1024:.0f} KB",
                      f"{s['requests']:.0f}", str(len(s["off_machine"]))])
    failed = sorted({f"{c}: {a}" for s in summary.values()
                     for c, ids in s.get("failed_audits", {}).items() for a in ids})
    sample = st.get("match")
    which = (f"the {st['pages']} pages whose path matches `{sample}`" if sample else
             f"every page of the edition ({st['pages']}: both languages, every fiscal year, the "
             "front door)")
    return "\n\n".join([
        "## Static edition (Lighthouse, through `make serve`)" if not sample else
        "## Static edition, a sample of pages (Lighthouse, through `make serve`)",
        md_table(["target (every page measured)", "measured", "verdict"], rows),
        f"Lighthouse {st['lighthouse']}, all four categories, default mobile settings (simulated "
        f"mid-range phone on slow 4G), Debian Chromium {m.get('chromium', '?')}, a fresh profile "
        f"per run, {st['runs']} run(s) per page, {which}, served by nginx from `var/edition` with "
        "its precompressed files. \"Before the first chart is visible\" counts every request "
        "that started before the first chart's image had arrived. "
        f"Run {m.get('date', '?')}, load average at start {m.get('loadavg_start', '?')}, at the "
        f"end {m.get('loadavg_end', '?')}; {run.get('seconds', 0) / 60:.0f} min. Raw reports: "
        "`artifacts/bench/lighthouse-edition/`.",
        md_table(["page", "perf.", "FCP", "LCP", "TBT", "CLS", "a11y", "SEO", "best pr.",
                  "KB before 1st chart", "KB total", "requests", "off 127.0.0.1"], table),
        ("Audits not passed on some page: " + ", ".join(f"`{f}`" for f in failed) + "."
         if failed else "Every accessibility, SEO and best-practice audit passed on every page."),
    ])


SERVING_SECTIONS["edition"] = ("edition.json", edition_section)
