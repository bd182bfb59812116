"""One visit in headless Chromium (sync Playwright): first render, one rerun, and what was sent.

A visit opens a fresh browser context (no HTTP cache, no cookies), loads the page, waits until it
has settled (see common.SETTLED_JS), then changes one control and waits until it has settled
again. Times come from the page's own clock: the first visit from navigation start, the rerun
from the click that changed the control, each to the last DOM change before the page went quiet.
"""

from __future__ import annotations

import time

from .common import (CHROMIUM, CHROMIUM_ARGS, DIAG_JS, FRIENDLY_ERRORS, GENERIC_CONTROLS, LOCALE,
                     NAV_JS, OUT_DIR, PAGE_ERRORS_JS, PROBE_JS, SETTLE_TIMEOUT_MS, SETTLED_JS,
                     VIEWPORT, ConsoleWatch, control_selectors, settle_arg)

POLL_MS = 50
CLICK_TIMEOUT_MS = 15_000


def launch(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def new_page(browser):
    ctx = browser.new_context(viewport=VIEWPORT, locale=LOCALE)
    ctx.add_init_script(PROBE_JS)
    ctx.set_default_timeout(SETTLE_TIMEOUT_MS)
    page = ctx.new_page()
    return ctx, page


def wait_settled(page, arg: dict, timeout_ms: int = SETTLE_TIMEOUT_MS) -> dict:
    handle = page.wait_for_function(SETTLED_JS, arg=arg, polling=POLL_MS, timeout=timeout_ms)
    return handle.json_value()


def diagnose(page, what: str) -> str:
    """What the page was waiting for, and a screenshot in artifacts/bench/failures/."""
    try:
        state = page.evaluate(DIAG_JS)
    except Exception as exc:
        state = f"(page unreadable: {type(exc).__name__})"
    try:
        folder = OUT_DIR / "failures"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%H%M%S')}-{what.replace(' ', '_')}.png"
        page.screenshot(path=str(folder / name), timeout=10_000)
    except Exception:
        pass
    return f"{what}: {state}"


def change_control(page, control: tuple[str, str]) -> float:
    """Change the control; returns the page-clock time of the click that changed it."""
    first, second = control_selectors(*control)
    page.locator(first).click(timeout=CLICK_TIMEOUT_MS)
    if second:
        page.locator(second).click(timeout=CLICK_TIMEOUT_MS)
    return page.evaluate("() => window.__bench.lastInput")


def find_control(page, name: str, known: dict) -> tuple[str, str] | None:
    """The page's rerun control: the known one, else the first generic one the page has."""
    candidates = [known[name]] if name in known else GENERIC_CONTROLS
    for kind, key in candidates:
        if page.locator(f".st-key-{key}").count():
            return (kind, key)
    return None


def calibrate(browser, url: str, name: str, known: dict) -> dict:
    """A warm-up visit: how many charts and maps the page settles with, and its control."""
    ctx, page = new_page(browser)
    watch = ConsoleWatch()
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_pageerror)
    page.on("response", watch.on_response)
    try:
        t0 = time.monotonic()
        page.goto(url, wait_until="commit")
        r = wait_settled(page, settle_arg(0, 0, quiet=1500))
        info = {"failed": r.get("failed"), "plots": r["plots"], "maps": r["maps"],
                "nav": page.evaluate(NAV_JS),
                "control": find_control(page, name, known),
                "errors": page.evaluate(PAGE_ERRORS_JS, list(FRIENDLY_ERRORS)),
                "console_errors": watch.real_errors(),
                "warmup_s": round(time.monotonic() - t0, 1)}
        return info
    finally:
        ctx.close()


def visit(browser, url: str, min_plots: int, control: tuple[str, str] | None,
          collect_static: bool = False, server=None, warm_cache: bool = False) -> dict:
    """One first visit and one rerun of a page, with the bytes each received and, given the
    server, the CPU time its process spent on each (script, messages, static files, GC).

    warm_cache: the context opens the page once, unmeasured, so the measured visit is a
    returning reader's: the JavaScript comes from the browser's cache, the session is new."""
    cpu = server.cpu_seconds if server is not None else (lambda: None)
    ctx, page = new_page(browser)
    watch = ConsoleWatch()
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_pageerror)
    page.on("response", watch.on_response)
    ws = {"bytes": 0, "frames": 0}

    def on_frame(payload) -> None:
        ws["bytes"] += len(payload)
        ws["frames"] += 1

    page.on("websocket", lambda sock: sock.on("framereceived", on_frame))
    finished = []
    if collect_static:
        page.on("requestfinished", lambda req: finished.append(req))
    out = {"first_ms": None, "rerun_ms": None, "ws_first": None, "ws_rerun": None,
           "frames_first": None, "static_bytes": None, "static_requests": None, "plots": None,
           "maps": None, "cpu_first_ms": None, "cpu_rerun_ms": None, "problems": []}
    try:
        if warm_cache:
            page.goto(url, wait_until="commit")
            wait_settled(page, settle_arg(0, min_plots))
            page.goto("about:blank")
            ws.update(bytes=0, frames=0)
        cpu0 = cpu()
        page.goto(url, wait_until="commit")
        try:
            r = wait_settled(page, settle_arg(0, min_plots))
        except Exception as exc:  # a timeout is a result, not a crash
            out["problems"].append(diagnose(page, f"first visit did not settle "
                                                  f"({type(exc).__name__})"))
            out["problems"] += watch.real_errors()
            return out
        if r.get("failed"):
            out["problems"].append(f"first visit: {r['failed']}")
            out["problems"] += watch.real_errors()
            return out
        out.update(first_ms=r["end"], plots=r["plots"], maps=r["maps"], ws_first=ws["bytes"],
                   frames_first=ws["frames"])
        cpu1 = cpu()
        if cpu0 is not None:
            out["cpu_first_ms"] = (cpu1 - cpu0) * 1000
        requests = list(finished)
        errs = page.evaluate(PAGE_ERRORS_JS, list(FRIENDLY_ERRORS))
        if errs["exceptions"] or errs["friendly"]:
            out["problems"].append(f"page shows errors: {errs}")
        if collect_static:
            static, count, biggest = 0, 0, []
            for req in requests:
                if req.resource_type == "websocket":
                    continue
                size = req.sizes()["responseBodySize"]
                static += max(size, 0)
                count += 1
                biggest.append((size, req.url.split("?")[0].rsplit("/", 1)[-1]))
            out.update(static_bytes=static, static_requests=count,
                       static_biggest=sorted(biggest, reverse=True)[:5])
        if control is not None:
            before = ws["bytes"]
            try:
                since = change_control(page, control)
                r = wait_settled(page, settle_arg(since, 0))
                if r.get("failed"):
                    raise RuntimeError(r["failed"])
                out.update(rerun_ms=r["end"] - since, ws_rerun=ws["bytes"] - before)
                if cpu1 is not None:
                    out["cpu_rerun_ms"] = (cpu() - cpu1) * 1000
                errs = page.evaluate(PAGE_ERRORS_JS, list(FRIENDLY_ERRORS))
                if errs["exceptions"] or errs["friendly"]:
                    out["problems"].append(f"page shows errors after rerun: {errs}")
            except Exception as exc:
                out["problems"].append(diagnose(page, f"rerun failed ({type(exc).__name__}: "
                                                      f"{str(exc).splitlines()[0][:120]})"))
        out["problems"] += watch.real_errors()
        return out
    finally:
        ctx.close()


def view_only(browser, url: str, min_plots: int, quiet: int = 200) -> str | None:
    """A page view for the memory run: open, settle, close. Returns a problem or None."""
    ctx, page = new_page(browser)
    try:
        page.goto(url, wait_until="commit")
        r = wait_settled(page, settle_arg(0, min_plots, quiet=quiet))
        if r.get("failed"):
            return r["failed"]
        errs = page.evaluate(PAGE_ERRORS_JS, list(FRIENDLY_ERRORS))
        if errs["exceptions"] or errs["friendly"]:
            return f"page shows errors: {errs}"
        return None
    except Exception as exc:
        return diagnose(page, f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    finally:
        ctx.close()


def cold_start(browser, server, min_plots: int) -> dict:
    """Spawn the server, then time process start until the first page has rendered."""
    server.start(wait=False)
    try:
        server.wait_healthy(poll_s=0.02)
        ctx, page = new_page(browser)
        try:
            page.goto(server.url + "/", wait_until="commit")
            r = wait_settled(page, settle_arg(0, min_plots))
            if r.get("failed"):
                raise RuntimeError(r["failed"])
            rendered_epoch_ms = r["timeOrigin"] + r["end"]
            return {"ready_ms": (server.ready_at - server.started_at) * 1000,
                    "rendered_ms": rendered_epoch_ms - server.started_at * 1000,
                    "first_visit_ms": r["end"]}
        finally:
            ctx.close()
    finally:
        server.stop()
