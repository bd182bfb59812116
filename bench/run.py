"""The performance benchmark: every page of the dashboard against a bare Streamlit page.

    python -m bench.run                 # everything (about 30 minutes on 2 cores)
    python -m bench.run --runs 3        # fewer browser runs per page
    python -m bench.run --only browser,script
    python -m bench.run --load          # the load run instead (same as python -m bench.load)

Sections (each printed as a table and written to BENCHMARKS.md):
  browser   first visit and rerun per page in headless Chromium, interleaved with the bare page
            (A B A B ...), median of --runs; WebSocket bytes per view and per rerun; static bytes
  script    server-side script time through AppTest: cold (fresh process), warm, cold cache
  memory    server VmHWM / VmRSS after --views page views across all pages (and the bare page)
  cold      process start until the first page has rendered, app and bare, median of --cold-runs

Raw results go to artifacts/bench/run.json; BENCHMARKS.md is rebuilt from it (and from
artifacts/bench/load.json when a load run has been made).
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time

from . import report
from .browser import calibrate, cold_start, launch, view_only, visit
from . import common
from .common import (APP_SCRIPT, BARE_SCRIPT, CONTROLS, KNOWN_PAGES, ROOT, Server, load_json,
                     loadavg, machine_info, page_url, save_json, server_env, snapshot)

SECTIONS = ["browser", "script", "memory", "cold"]
SCRIPT_TIMEOUT_S = 300
MEMORY_DEADLINE_S = 1500
BROWSER_DEADLINE_S = 2400


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def discover(browser, app: Server, bare: Server, wanted: list[str] | None) -> tuple[list, dict]:
    """The pages in the sidebar, each page's chart count and control (a warm-up visit each)."""
    home = calibrate(browser, page_url(app.url, "overview"), "overview", CONTROLS)
    nav = [p or "overview" for p in home["nav"]] or list(KNOWN_PAGES)
    pages = [p for p in nav if wanted is None or p in wanted]
    calib = {"overview": home}
    for name in pages:
        if name not in calib:
            calib[name] = calibrate(browser, page_url(app.url, name), name, CONTROLS)
        c = calib[name]
        log(f"  {name}: {c['plots']} charts ({c['maps']} maps), control {c['control']}, "
            f"warm-up {c['warmup_s']} s, errors {c['errors']} {c['console_errors'][:2]}")
    calib["bare"] = calibrate(browser, bare.url + "/", "bare", CONTROLS)
    log(f"  bare: {calib['bare']['plots']} charts, control {calib['bare']['control']}")
    return pages, calib


def run_browser(browser, app: Server, bare: Server, pages: list[str], calib: dict,
                runs: int) -> dict:
    deadline = time.monotonic() + BROWSER_DEADLINE_S
    out = {}
    for name in pages:
        rows, bare_rows = [], []
        for i in range(runs):
            if time.monotonic() > deadline:
                log("browser section deadline reached; stopping early")
                break
            c = calib[name]
            rows.append(visit(browser, page_url(app.url, name), c["plots"],
                              tuple(c["control"]) if c["control"] else None,
                              collect_static=(i == 0), server=app))
            b = calib["bare"]
            bare_rows.append(visit(browser, bare.url + "/", b["plots"], tuple(b["control"]),
                                   collect_static=(i == 0), server=bare))
            r, br = rows[-1], bare_rows[-1]
            log(f"  {name} run {i + 1}/{runs}: first {r['first_ms'] or 0:.0f} ms, rerun "
                f"{r['rerun_ms'] or 0:.0f} ms, ws {r['ws_first'] or 0} B | bare first "
                f"{br['first_ms'] or 0:.0f} ms, rerun {br['rerun_ms'] or 0:.0f} ms"
                + (f" | problems {r['problems'][:2]}" if r["problems"] else ""))
        out[name] = {"control": calib[name]["control"], "runs": rows, "bare_runs": bare_rows,
                     "loadavg": loadavg()}
    return out


def _script_time(args: list[str]) -> dict:
    try:
        proc = subprocess.run([sys.executable, "-m", "bench.script_time", *args],
                              cwd=common.APP_ROOT,
                              env=server_env(), capture_output=True, text=True,
                              timeout=SCRIPT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"problems": [f"timed out after {SCRIPT_TIMEOUT_S} s"]}
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            import json
            return json.loads(line[len("BENCH-JSON "):])
    return {"problems": [f"exit {proc.returncode}: {proc.stderr[-500:]}"]}


def run_script(pages: list[str], runs: int) -> dict:
    out = {"pages": {}, "bare": []}
    for name in pages:
        out["pages"][name] = _script_time(["--page", name, "--runs", str(runs)])
        out["bare"].append(_script_time(["--bare", "--runs", str(runs)]))
        p, b = out["pages"][name], out["bare"][-1]
        log(f"  {name}: cold {p.get('cold_ms', 0):.0f} ms, warm {p.get('warm_ms') or 0:.0f} ms, "
            f"cold cache {p.get('cold_cache_ms', 0):.0f} ms | bare warm "
            f"{b.get('warm_ms') or 0:.0f} ms" + (f" | {p['problems']}" if p.get("problems") else ""))
    return out


def run_memory(browser, pages: list[str], calib: dict, views: int) -> dict:
    out = {}
    for target, script, names in (("app", APP_SCRIPT, pages), ("bare", BARE_SCRIPT, ["bare"])):
        srv = Server(script, f"{target}-memory").start()
        try:
            deadline = time.monotonic() + MEMORY_DEADLINE_S
            start = srv.memory()
            samples, problems, done = [], [], 0
            t0 = time.monotonic()
            for i in range(views):
                if time.monotonic() > deadline:
                    problems.append(f"deadline reached after {i} views")
                    break
                name = names[i % len(names)]
                url = srv.url + "/" if name == "bare" else page_url(srv.url, name)
                problem = view_only(browser, url, calib[name]["plots"])
                if problem:
                    problems.append(f"{name}: {problem}")
                done += 1
                if done % 10 == 0:
                    samples.append({"views": done, **srv.memory()})
            end = srv.memory()
            out[target] = {"views": done, "start": start, "end": end, "samples": samples,
                           "problems": problems, "seconds": time.monotonic() - t0,
                           "cpu_s": srv.cpu_seconds()}
            log(f"  {target}: {done} views in {out[target]['seconds']:.0f} s, RSS "
                f"{start['rss_mb']:.0f} -> {end['rss_mb']:.0f} MB, peak {end['hwm_mb']:.0f} MB, "
                f"{len(problems)} problems")
        finally:
            srv.stop()
    return out


def run_cold(browser, calib: dict, runs: int) -> dict:
    out = {"app": [], "bare": []}
    for i in range(runs):
        for target, script, first in (("app", APP_SCRIPT, "overview"), ("bare", BARE_SCRIPT, "bare")):
            try:
                r = cold_start(browser, Server(script, f"{target}-cold"), calib[first]["plots"])
            except Exception as exc:
                r = {"problems": [f"{type(exc).__name__}: {str(exc)[:300]}"]}
            out[target].append(r)
            log(f"  {target} cold start {i + 1}/{runs}: ready {r.get('ready_ms', 0):.0f} ms, "
                f"rendered {r.get('rendered_ms', 0):.0f} ms")
    return out


def main(argv=None) -> None:
    # A plain `kill` still stops the servers and the browser (the finally blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="browser runs per page (default 7)")
    parser.add_argument("--views", type=int, default=100, help="page views for memory (100)")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold starts each (default 3)")
    parser.add_argument("--pages", help="comma-separated pages (default: every sidebar page)")
    parser.add_argument("--only", help=f"comma-separated sections of {','.join(SECTIONS)}")
    parser.add_argument("--load", action="store_true", help="run the load test instead")
    parser.add_argument("--no-snapshot", action="store_true",
                        help="serve the working tree itself, not a copy taken at the start")
    args, rest = parser.parse_known_args(argv)
    if args.load:
        from . import load
        return load.main(rest)
    if rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    sections = SECTIONS if not args.only else [s.strip() for s in args.only.split(",")]
    wanted = [p.strip() for p in args.pages.split(",")] if args.pages else None

    from playwright.sync_api import sync_playwright

    previous = load_json("run.json") or {}
    results = {"settings": {"runs": args.runs, "views": args.views, "cold_runs": args.cold_runs,
                            "sections": sections}}
    if not args.no_snapshot:
        results["snapshot"] = snapshot("snapshot-run")
        log(f"serving a snapshot of the working tree: {results['snapshot']}")
    t_start = time.monotonic()
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            results["machine"] = machine_info(browser.version)
            log(f"machine: {results['machine']}")
            app = Server(APP_SCRIPT, "app").start()
            bare = Server(BARE_SCRIPT, "bare").start()
            try:
                log("discovering pages (one warm-up visit each)")
                pages, calib = discover(browser, app, bare, wanted)
                results["pages"], results["calibration"] = pages, calib
                if "browser" in sections:
                    log(f"browser: {args.runs} runs per page, interleaved with the bare page")
                    la = loadavg()
                    results["browser"] = run_browser(browser, app, bare, pages, calib, args.runs)
                    results.setdefault("loadavg", {})["browser"] = [la, loadavg()]
                    save_json("run-partial.json", results)
            finally:
                app.stop()
                bare.stop()
            if "script" in sections:
                log(f"script time (AppTest), {args.runs} warm reruns per page")
                la = loadavg()
                results["script"] = run_script(pages, args.runs)
                results.setdefault("loadavg", {})["script"] = [la, loadavg()]
                save_json("run-partial.json", results)
            if "memory" in sections:
                log(f"memory: {args.views} page views on a fresh server, then the bare page")
                la = loadavg()
                results["memory"] = run_memory(browser, pages, calib, args.views)
                results.setdefault("loadavg", {})["memory"] = [la, loadavg()]
                save_json("run-partial.json", results)
            if "cold" in sections:
                log(f"cold start: {args.cold_runs} each, alternating app and bare")
                la = loadavg()
                results["cold"] = run_cold(browser, calib, args.cold_runs)
                results.setdefault("loadavg", {})["cold"] = [la, loadavg()]
                save_json("run-partial.json", results)
        finally:
            browser.close()
    results["machine"]["loadavg_end"] = loadavg()
    results["seconds"] = time.monotonic() - t_start
    # A partial run (--only) keeps the other sections of the previous run.
    for key in SECTIONS:
        if key not in results and key in previous:
            results[key] = previous[key]
    path = save_json("run.json", results)
    log(f"raw results: {path.relative_to(ROOT)} ({results['seconds']:.0f} s)")
    text = report.write()
    print()
    print(report.run_tables(results))
    print()
    print(report.targets_table(results, load_json("load.json")))
    log(f"BENCHMARKS.md written ({len(text)} characters)")


if __name__ == "__main__":
    main()
