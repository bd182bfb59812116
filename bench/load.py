"""The load run: many concurrent browser sessions against one server.

    python -m bench.load                     # 25 sessions, every page twice (python -m bench.run --load)
    python -m bench.load --sessions 10 --laps 1 --deadline 300

One Chromium, one Playwright context per session (async API), one Streamlit server. Each session
opens its first page by URL (sessions start on different pages), then walks every page of the
sidebar `--laps` times by clicking the sidebar links, and on each page changes that page's control
once. Every render is timed from navigation start or from the click to settled (bench.common).

Errors: a `stException` or the app's error sentence on the page, a render that does not settle
within 60 s, a click that fails, and console errors other than Streamlit's base-path 404 probes.
The whole run stops at `--deadline` seconds; sessions that had not finished say so.
Results: artifacts/bench/load.json and the "Load" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from collections import defaultdict
from pathlib import Path

from . import report
from .common import (APP_SCRIPT, CHROMIUM, CHROMIUM_ARGS, CONTROLS, DIAG_JS, FRIENDLY_ERRORS,
                     GENERIC_CONTROLS, KNOWN_PAGES, LOCALE, NAV_JS, PAGE_ERRORS_JS, PROBE_JS,
                     ROOT, SETTLE_TIMEOUT_MS, SETTLED_JS, VIEWPORT, ConsoleWatch, Server,
                     control_selectors, load_json, loadavg, machine_info, percentile, page_path,
                     page_url,
                     save_json, settle_arg, snapshot)

POLL_MS = 100
CLICK_TIMEOUT_MS = 30_000


def log(msg: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {msg}", flush=True)


async def new_page(browser):
    ctx = await browser.new_context(viewport=VIEWPORT, locale=LOCALE)
    await ctx.add_init_script(PROBE_JS)
    ctx.set_default_timeout(SETTLE_TIMEOUT_MS)
    return ctx, await ctx.new_page()


async def settled(page, arg: dict) -> dict:
    handle = await page.wait_for_function(SETTLED_JS, arg=arg, polling=POLL_MS,
                                          timeout=SETTLE_TIMEOUT_MS)
    return await handle.json_value()


async def page_errors(page) -> str | None:
    errs = await page.evaluate(PAGE_ERRORS_JS, list(FRIENDLY_ERRORS))
    if errs["exceptions"] or errs["friendly"]:
        return f"page shows an error ({errs['exceptions']} stException, {errs['friendly']} " \
               "error sentence)"
    return None


async def failure(page, exc: Exception) -> str:
    """The exception's first line and what the page was waiting for."""
    text = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
    try:
        text += f" | {await asyncio.wait_for(page.evaluate(DIAG_JS), timeout=10)}"
    except Exception:
        pass
    return text


async def click_control(page, control) -> float:
    first, second = control_selectors(*control)
    await page.locator(first).click(timeout=CLICK_TIMEOUT_MS)
    if second:
        await page.locator(second).click(timeout=CLICK_TIMEOUT_MS)
    return await page.evaluate("() => window.__bench.lastInput")


async def calibrate(browser, base: str) -> tuple[list[str], dict]:
    """One sequential walk first: the sidebar's pages, chart counts, controls; warms the server."""
    ctx, page = await new_page(browser)
    calib = {}
    try:
        for name in ["overview"]:
            await page.goto(page_url(base, name), wait_until="commit")
            r = await settled(page, settle_arg(0, 0, quiet=1500))
            nav = [p or "overview" for p in await page.evaluate(NAV_JS)] or list(KNOWN_PAGES)
        for name in nav:
            await page.goto(page_url(base, name), wait_until="commit")
            r = await settled(page, settle_arg(0, 0, quiet=1500))
            control = None
            for kind, key in ([CONTROLS[name]] if name in CONTROLS else GENERIC_CONTROLS):
                if await page.locator(f".st-key-{key}").count():
                    control = (kind, key)
                    break
            calib[name] = {"plots": r["plots"], "maps": r["maps"], "control": control}
            log(f"  {name}: {r['plots']} charts, control {control}")
        return nav, calib
    finally:
        await ctx.close()


async def session(idx: int, browser, base: str, pages: list[str], calib: dict, laps: int,
                  stagger_s: float, deadline: float, steps: list, status: dict) -> None:
    await asyncio.sleep(idx * stagger_s)
    start = idx % len(pages)
    walk = (pages[start:] + pages[:start]) * laps
    planned = len(walk) * 2
    status[idx] = {"planned": planned, "done": 0, "finished": False}
    ctx, page = await new_page(browser)
    watch = ConsoleWatch()
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_pageerror)
    page.on("response", watch.on_response)

    def record(name, lap, kind, ms=None, error=None):
        steps.append({"session": idx, "page": name, "lap": lap, "kind": kind, "ms": ms,
                      "error": error, "t": time.monotonic()})
        status[idx]["done"] += 1

    reload_next = True
    try:
        for n, name in enumerate(walk):
            lap = n // len(pages)
            if time.monotonic() > deadline:
                return
            c = calib[name]
            # The page: by URL first (and after a failure), then through the sidebar.
            try:
                if reload_next:
                    await page.goto(page_url(base, name), wait_until="commit")
                    since, kind = 0.0, "visit"
                else:
                    link = page.locator('[data-testid="stSidebarNavLink"]').nth(pages.index(name))
                    await link.click(timeout=CLICK_TIMEOUT_MS)
                    since, kind = await page.evaluate("() => window.__bench.lastInput"), "nav"
                r = await settled(page, settle_arg(since, c["plots"], path=page_path(name)))
                if r.get("failed"):
                    raise RuntimeError(r["failed"])
                record(name, lap, kind, r["end"] - since, await page_errors(page))
                reload_next = False
            except Exception as exc:
                record(name, lap, "visit" if reload_next else "nav", None,
                       await failure(page, exc))
                reload_next = True
                status[idx]["done"] += 1  # the control step is skipped with the page
                continue
            if time.monotonic() > deadline:
                return
            if c["control"] is None:
                status[idx]["done"] += 1
                continue
            try:
                since = await click_control(page, c["control"])
                r = await settled(page, settle_arg(since, 0, path=page_path(name)))
                if r.get("failed"):
                    raise RuntimeError(r["failed"])
                record(name, lap, "rerun", r["end"] - since, await page_errors(page))
            except Exception as exc:
                record(name, lap, "rerun", None, await failure(page, exc))
                reload_next = True
        status[idx]["finished"] = True
    finally:
        status[idx]["console_errors"] = watch.real_errors()
        try:
            await ctx.close()
        except Exception:
            pass


async def sample_server(server: Server, stop: asyncio.Event, samples: list) -> None:
    def machine_cpu():
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        values = [int(v) for v in fields]
        return sum(values), values[3] + values[4]  # total, idle + iowait

    last = (time.monotonic(), server.cpu_seconds(), *machine_cpu())
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except asyncio.TimeoutError:
            pass
        now = (time.monotonic(), server.cpu_seconds(), *machine_cpu())
        dt = now[0] - last[0]
        busy = 1 - (now[3] - last[3]) / max(1, now[2] - last[2])
        samples.append({"t": now[0], "cpu_cores": (now[1] - last[1]) / dt if dt else 0,
                        "machine_busy": busy, **server.memory()})
        last = now


def summarise(steps: list, status: dict, samples: list, wall_s: float) -> dict:
    errors_by_kind = defaultdict(lambda: {"count": 0, "example": ""})
    for s in steps:
        if s["error"]:
            if s["error"].startswith("TimeoutError") and "wait_for_function" in s["error"]:
                kind = "did not settle in 60 s"
            elif s["error"].startswith("TimeoutError") and "click" in s["error"]:
                kind = "click timed out (30 s)"
            else:
                kind = s["error"].split(":")[0]
            errors_by_kind[kind]["count"] += 1
            errors_by_kind[kind]["example"] = errors_by_kind[kind]["example"] or \
                f"{s['page']} {s['kind']}: {s['error']}"
    console = [e for st in status.values() for e in st.get("console_errors", [])]
    for e in console:
        errors_by_kind["console error"]["count"] += 1
        errors_by_kind["console error"]["example"] = errors_by_kind["console error"]["example"] or e
    times = [s["ms"] for s in steps if s["ms"] is not None]
    renders = len(times)
    return {
        "steps_done": len(steps), "steps_planned": sum(st["planned"] for st in status.values()),
        "errors": sum(1 for s in steps if s["error"]) + len(console),
        "step_errors": sum(1 for s in steps if s["error"]), "console_errors": len(console),
        "error_kinds": dict(errors_by_kind), "wall_s": wall_s,
        "renders_per_min": renders / wall_s * 60 if wall_s else 0,
        "p50": percentile(times, 50), "p95": percentile(times, 95),
        "view_p50": percentile([s["ms"] for s in steps if s["kind"] != "rerun" and s["ms"]], 50),
        "view_p95": percentile([s["ms"] for s in steps if s["kind"] != "rerun" and s["ms"]], 95),
        "rerun_p50": percentile([s["ms"] for s in steps if s["kind"] == "rerun" and s["ms"]], 50),
        "rerun_p95": percentile([s["ms"] for s in steps if s["kind"] == "rerun" and s["ms"]], 95),
        "incomplete_sessions": sum(1 for st in status.values() if not st["finished"]),
        "server_cpu_cores": (sum(x["cpu_cores"] for x in samples) / len(samples)) if samples else 0,
        "server_peak_rss_mb": max((x["hwm_mb"] for x in samples), default=0),
        "server_rss_end_mb": samples[-1]["rss_mb"] if samples else 0,
        "machine_cpu_busy": (sum(x["machine_busy"] for x in samples) / len(samples))
        if samples else 0,
    }


async def run(args) -> dict:
    from playwright.async_api import async_playwright

    snap = None if args.no_snapshot else snapshot("snapshot-load")
    if snap:
        log(f"serving a snapshot of the working tree: {snap}")
    server = Server(APP_SCRIPT, "app-load").start()
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                               headless=True)
            try:
                machine = machine_info(browser.version)
                log(f"server on {server.url}; calibrating (one sequential walk)")
                pages, calib = await calibrate(browser, server.url)
                if args.pages:
                    wanted = [p.strip() for p in args.pages.split(",")]
                    pages = [p for p in pages if p in wanted]
                log(f"{args.sessions} sessions × {len(pages)} pages × {args.laps} laps, "
                    f"deadline {args.deadline} s")
                steps, status, samples = [], {}, []
                stop = asyncio.Event()
                sampler = asyncio.create_task(sample_server(server, stop, samples))
                t0 = time.monotonic()
                cpu0 = server.cpu_seconds()
                deadline = t0 + args.deadline

                async def progress():
                    while not stop.is_set():
                        try:
                            await asyncio.wait_for(stop.wait(), timeout=30)
                        except asyncio.TimeoutError:
                            done = len(steps)
                            errs = sum(1 for s in steps if s["error"])
                            last = samples[-1] if samples else {}
                            log(f"  {time.monotonic() - t0:.0f} s: {done} steps, {errs} errors, "
                                f"server RSS {last.get('rss_mb', 0):.0f} MB, "
                                f"server CPU {last.get('cpu_cores', 0):.2f} cores")

                reporter = asyncio.create_task(progress())
                tasks = [session(i, browser, server.url, pages, calib, args.laps, args.stagger,
                                 deadline, steps, status) for i in range(args.sessions)]
                try:
                    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True),
                                           timeout=args.deadline + 90)
                except asyncio.TimeoutError:
                    log("sessions still running after the deadline; cancelled")
                wall = time.monotonic() - t0
                server_cpu = server.cpu_seconds() - cpu0
                stop.set()
                await sampler
                await reporter
            finally:
                await browser.close()
    finally:
        server.stop()
    machine["loadavg_end"] = loadavg()
    summary = summarise(steps, status, samples, wall)
    renders = sum(1 for s in steps if s["ms"] is not None)
    summary["server_cpu_s"] = server_cpu
    summary["server_cpu_ms_per_render"] = server_cpu * 1000 / renders if renders else None
    return {"machine": machine, "snapshot": snap, "pages": pages, "calibration": calib,
            "settings": {"sessions": args.sessions, "laps": args.laps, "stagger_s": args.stagger,
                         "deadline_s": args.deadline},
            "summary": summary,
            "per_page": summarise_pages(steps, pages),
            "steps": steps, "samples": samples,
            "sessions": {str(k): v for k, v in status.items()}}


def summarise_pages(steps: list, pages: list[str]) -> dict:
    out = {}
    for name in pages:
        views = [s for s in steps if s["page"] == name and s["kind"] in ("visit", "nav")]
        reruns = [s for s in steps if s["page"] == name and s["kind"] == "rerun"]
        vt = [s["ms"] for s in views if s["ms"] is not None]
        rt = [s["ms"] for s in reruns if s["ms"] is not None]
        out[name] = {"views": len(vt), "view_p50": percentile(vt, 50),
                     "view_p95": percentile(vt, 95), "reruns": len(rt),
                     "rerun_p50": percentile(rt, 50), "rerun_p95": percentile(rt, 95),
                     "errors": sum(1 for s in views + reruns if s["error"])}
    return out


def main(argv=None) -> None:
    # A plain `kill` still stops the servers and the browser (the finally blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=25)
    parser.add_argument("--laps", type=int, default=2, help="times each session walks every page")
    parser.add_argument("--stagger", type=float, default=0.2, help="seconds between session starts")
    parser.add_argument("--deadline", type=int, default=540, help="seconds before sessions stop")
    parser.add_argument("--pages", help="comma-separated pages (default: every sidebar page)")
    parser.add_argument("--no-snapshot", action="store_true",
                        help="serve the working tree itself, not a copy taken at the start")
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.sessions > 100 or args.laps < 1 or args.laps > 10:
        parser.error("sessions must be 1..100 and laps 1..10")
    args.deadline = max(30, min(args.deadline, 1200))
    result = asyncio.run(run(args))
    path = save_json("load.json", result)
    # Every run's summary is kept, so BENCHMARKS.md can show runs of different sizes side by side.
    history = (load_json("load-history.json") or {"runs": []})["runs"]
    history.append({k: result[k] for k in ("machine", "settings", "summary", "per_page")})
    save_json("load-history.json", {"runs": history[-10:]})
    s = result["summary"]
    log(f"done: {s['steps_done']}/{s['steps_planned']} steps, {s['errors']} errors, "
        f"wall {s['wall_s']:.0f} s, p50 {s['p50'] or 0:.0f} ms, p95 {s['p95'] or 0:.0f} ms; "
        f"raw results {path.relative_to(ROOT)}")
    report.write()
    print()
    print(report.load_tables(result))
    log("BENCHMARKS.md written")


if __name__ == "__main__":
    main()
