"""A phone's first visit, through the production stack: Lighthouse's mobile run on every page.

    python -m bench.phone                  # every page, median of 3, beside the bare page
    python -m bench.phone --runs 1 --pages overview,regions

Two stacks start exactly as `make serve` starts one (nexidash.serve.Stack, the same generated
nginx config, precompressed static files): the dashboard with two replicas, and the bare
one-chart page (bench/bare_app.py) with one. Lighthouse 12.2.3 (npm, pinned in
bench/lighthouse/package.json) runs with its default mobile settings (a mid-range phone on
slow 4G, simulated throttling) on Debian's Chromium, a fresh profile each run, so every run is
a cold first visit. Each round measures the bare page and then every page, so a busy spell of
the machine slows both sides of a ratio. Results go to artifacts/bench/phone.json and the
"Phone" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import report
from .common import (BARE_SCRIPT, CHROMIUM, CHROMIUM_ARGS, LOG_DIR, OUT_DIR, ROOT,
                     app_page_paths, free_port, loadavg, machine_info, median, save_json)

LIGHTHOUSE_DIR = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
RUN_TIMEOUT_S = 240
METRICS = {  # Lighthouse audit id -> our name
    "first-contentful-paint": "fcp_ms",
    "largest-contentful-paint": "lcp_ms",
    "total-blocking-time": "tbt_ms",
    "cumulative-layout-shift": "cls",
    "speed-index": "si_ms",
    "total-byte-weight": "bytes",
}


def log(msg: str) -> None:
    print(f"[phone {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def install_lighthouse() -> None:
    """npm ci from the committed lock: the pinned Lighthouse, no other version."""
    if LIGHTHOUSE.exists():
        return
    log("installing Lighthouse (npm ci in bench/lighthouse)")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                   cwd=LIGHTHOUSE_DIR, check=True)


def page_url(origin: str, name: str) -> str:
    return f"{origin}/app/" if name in ("overview", "bare") else f"{origin}/app/{name}"


def lighthouse(url: str, out: Path, tries: int = 3) -> dict:
    """One Lighthouse mobile run; the metrics we report, plus the bytes by resource type.

    Lighthouse now and then fails to record its trace (NO_NAVSTART); such a run is tried again.
    """
    for attempt in range(1, tries + 1):
        try:
            return _lighthouse_once(url, out)
        except RuntimeError as exc:
            if attempt == tries:
                raise
            log(f"  {exc.args[0][:160]}; trying again")
    raise AssertionError("unreachable")


def _lighthouse_once(url: str, out: Path) -> dict:
    assert url.startswith("http://127.0.0.1:"), url  # loopback only
    out.unlink(missing_ok=True)
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    cmd = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
           "--only-categories=performance", f"--chrome-flags={flags}"]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url}: {proc.stderr[-2000:]}")
    data = json.loads(out.read_text())
    if data.get("runtimeError"):
        raise RuntimeError(f"lighthouse runtime error on {url}: {data['runtimeError']}")
    audits = data["audits"]
    row = {name: audits[audit]["numericValue"] for audit, name in METRICS.items()}
    row["score"] = round(data["categories"]["performance"]["score"] * 100)
    items = audits["resource-summary"]["details"]["items"]
    row["bytes_by_type"] = {i["resourceType"]: i["transferSize"] for i in items}
    row["requests"] = next(i["requestCount"] for i in items if i["resourceType"] == "total")
    requests = audits["network-requests"]["details"]["items"]
    row["off_machine"] = [r["url"] for r in requests
                          if not r["url"].startswith(("http://127.0.0.1", "data:", "blob:"))]
    return row


def warm(origin: str, names: list[str]) -> None:
    """One visit per page first, so no measured run pays a replica's first-run imports."""
    from playwright.sync_api import sync_playwright

    from .browser import launch, view_only

    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            for name in names:
                for _ in range(2):  # both replicas, as the pool alternates
                    view_only(browser, page_url(origin, name), 0)
        finally:
            browser.close()


def warm_browser(app_origin: str, bare_origin: str, pages: list[str], runs: int) -> dict:
    """A returning reader through the stack: the page opened in a browser that has the
    JavaScript cached, then one control changed; each run beside a bare-page run (A B A B)."""
    from playwright.sync_api import sync_playwright

    from .browser import calibrate, launch, visit
    from .common import CONTROLS

    out = {}
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            calib = {"bare": calibrate(browser, page_url(bare_origin, "bare"), "bare", CONTROLS)}
            for name in pages:
                calib[name] = calibrate(browser, page_url(app_origin, name), name, CONTROLS)
            for name in pages:
                rows = out[name] = {"page": [], "bare": []}
                for _ in range(runs):
                    for side, target, origin in (("page", name, app_origin),
                                                 ("bare", "bare", bare_origin)):
                        c = calib[target]
                        r = visit(browser, page_url(origin, target), c["plots"], c["control"],
                                  warm_cache=True)
                        rows[side].append({k: r[k] for k in ("first_ms", "rerun_ms",
                                                              "problems")})
                page_first = median([r["first_ms"] for r in rows["page"]])
                bare_first = median([r["first_ms"] for r in rows["bare"]])
                log(f"warm browser {name}: {page_first} ms vs bare {bare_first} ms")
        finally:
            browser.close()
    return out


def summarise(rows: list[dict]) -> dict:
    out = {k: median([r[k] for r in rows]) for k in [*METRICS.values(), "score", "requests"]}
    out["runs"] = len(rows)
    out["off_machine"] = sorted({u for r in rows for u in r["off_machine"]})
    types = {t for r in rows for t in r["bytes_by_type"]}
    out["bytes_by_type"] = {t: median([r["bytes_by_type"].get(t, 0) for r in rows])
                            for t in sorted(types)}
    return out


def main(argv=None) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(prog="python -m bench.phone", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per page (default 3)")
    parser.add_argument("--pages", help="comma-separated pages (default: all)")
    parser.add_argument("--warm-runs", type=int, default=5,
                        help="returning-reader visits per page, beside the bare page (5)")
    args = parser.parse_args(argv)
    pages = [p.strip() for p in args.pages.split(",")] if args.pages else app_page_paths()

    from nexidash import serve

    install_lighthouse()
    raw_dir = OUT_DIR / "lighthouse"
    raw_dir.mkdir(parents=True, exist_ok=True)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    app = serve.Stack(serve.Settings(port=free_port(), replicas=2, listen_host="127.0.0.1",
                                     var=OUT_DIR / "serve-app"))
    # The bare page gets the same config but none of our pages' text in its HTML shell.
    bare = serve.Stack(serve.Settings(port=free_port(), replicas=1, listen_host="127.0.0.1",
                                      var=OUT_DIR / "serve-bare", script=BARE_SCRIPT,
                                      page_heads=False))
    results = {"settings": {"runs": args.runs, "pages": pages, "lighthouse": "12.2.3",
                            "replicas": 2, "warm_runs": args.warm_runs}, "raw": {}}
    t0 = time.monotonic()
    la = loadavg()
    try:
        app.start()
        bare.start()
        log("warming every page on every replica")
        warm(app.url, pages)
        warm(bare.url, ["bare"])
        for run in range(args.runs):
            for name in ["bare", *pages]:
                origin = bare.url if name == "bare" else app.url
                row = lighthouse(page_url(origin, name), raw_dir / f"{name}-{run}.json")
                results["raw"].setdefault(name, []).append(row)
                log(f"run {run + 1}/{args.runs} {name}: score {row['score']}, "
                    f"LCP {row['lcp_ms']:.0f} ms, TBT {row['tbt_ms']:.0f} ms, "
                    f"{row['bytes'] / 1e6:.2f} MB")
        if args.warm_runs:
            log(f"returning readers: {args.warm_runs} visits per page, beside the bare page")
            results["warm"] = warm_browser(app.url, bare.url, pages, args.warm_runs)
    finally:
        app.stop()
        bare.stop()
    results["summary"] = {name: summarise(rows) for name, rows in results["raw"].items()}
    results["machine"] = machine_info(_chromium_version())
    results["machine"]["loadavg_start"], results["machine"]["loadavg_end"] = la, loadavg()
    results["seconds"] = time.monotonic() - t0
    path = save_json("phone.json", results)
    log(f"raw results: {path.relative_to(ROOT)} ({results['seconds']:.0f} s)")
    report.update_section("phone", report.phone_section(results))
    print(report.phone_table(results))


def _chromium_version() -> str:
    out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    return out.strip().removeprefix("Chromium ").split()[0] if out else "?"


if __name__ == "__main__":
    main()
