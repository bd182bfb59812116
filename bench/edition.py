"""The static edition on a phone: Lighthouse's mobile run on every static page, through nginx.

    python -m bench.edition                 # every page, both languages, every year, once
    python -m bench.edition --runs 3 --limit 8

A stack starts as `make serve` starts it (nexidash.serve.Stack with the edition in var/edition,
which `make edition` writes), and Lighthouse 12.2.3 runs all four categories with its default
mobile settings on Debian's Chromium, a fresh profile per run. The targets (issue: the static
edition): performance >= 95, LCP <= 2.5 s, CLS < 0.1, accessibility 100, SEO 100, best
practices >= 95, and at most 300 KB transferred before the first chart is visible: the bytes of
every request that started before the first chart's image had arrived. Results go to
artifacts/bench/edition.json and the "Static edition" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import re
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import report
from .common import (CHROMIUM, CHROMIUM_ARGS, OUT_DIR, free_port, loadavg, machine_info, median,
                     save_json)
from .phone import LIGHTHOUSE, RUN_TIMEOUT_S, _chromium_version, install_lighthouse, log

CATEGORIES = ("performance", "accessibility", "seo", "best-practices")


def static_paths(root: Path) -> list[str]:
    """Every page of the edition, as its URL path, in a fixed order (the front door first).
    The charts' embed pages are not among them: they are for other sites' frames, and ask
    search engines not to index them (noindex), which Lighthouse's SEO score counts against."""
    pages = sorted("/" + str(p.parent.relative_to(root)) + "/" for p in root.rglob("index.html")
                   if p.parent != root and p.relative_to(root).parts[0] != "embed")
    return ["/", *pages]


def run_once(url: str, out: Path) -> dict:
    assert url.startswith("http://127.0.0.1:"), url  # loopback only
    out.unlink(missing_ok=True)
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    cmd = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
           f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url}: {proc.stderr[-1000:]}")
    data = json.loads(out.read_text())
    audits = data["audits"]
    lcp = audits["largest-contentful-paint"]["numericValue"]
    requests = audits["network-requests"]["details"]["items"]
    # What a phone has fetched by the time its first chart is on screen: every request that
    # started before the first chart image finished (or before the largest paint, on a page
    # with no chart).
    charts = [r for r in requests if "/c/" in r["url"] and r["url"].endswith(".svg")]
    until = (min(r.get("networkEndTime", lcp) for r in charts) if charts else lcp)
    before_lcp = sum(r.get("transferSize", 0) for r in requests
                     if r.get("networkRequestTime", 0) <= until)
    failed = {c: [a for a in data["categories"][c]["auditRefs"]
                  if a["weight"] and (audits[a["id"]].get("score") is not None)
                  and audits[a["id"]]["score"] < 1][:8]
              for c in CATEGORIES if c != "performance"}
    return {
        "scores": {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES},
        "lcp_ms": lcp, "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"], "bytes_before_lcp": before_lcp,
        "requests": len(requests),
        "off_machine": [r["url"] for r in requests
                        if not r["url"].startswith(("http://127.0.0.1", "data:"))],
        "failed_audits": {c: [a["id"] for a in refs] for c, refs in failed.items() if refs},
    }


def main(argv=None) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(prog="python -m bench.edition", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="runs per page (default 1)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--match", default="", help="only pages whose path matches this regex "
                        "(reported in its own section, edition_sample)")
    args = parser.parse_args(argv)

    from nexidash import edition, serve

    install_lighthouse()
    if edition.stale():
        log("building the static edition")
        edition.build()
    paths = static_paths(edition.OUT)
    if args.match:
        paths = [p for p in paths if re.search(args.match, p)]
    if args.limit:
        paths = paths[:args.limit]
    raw_dir = OUT_DIR / "lighthouse-edition"
    raw_dir.mkdir(parents=True, exist_ok=True)
    stack = serve.Stack(serve.Settings(port=free_port(), replicas=1, listen_host="127.0.0.1",
                                       var=OUT_DIR / "serve-edition", edition=edition.OUT))
    results = {"settings": {"runs": args.runs, "lighthouse": "12.2.3", "pages": len(paths)},
               "raw": {}}
    t0, la = time.monotonic(), loadavg()
    try:
        stack.start()
        for run in range(args.runs):
            for path in paths:
                name = path.strip("/").replace("/", "_") or "index"
                row = run_once(stack.url + path, raw_dir / f"{name}-{run}.json")
                results["raw"].setdefault(path, []).append(row)
                log(f"run {run + 1}/{args.runs} {path}: {row['scores']}, LCP {row['lcp_ms']:.0f} ms, "
                    f"CLS {row['cls']:.3f}, {row['bytes_before_lcp'] / 1024:.0f} KB before LCP")
    finally:
        stack.stop()
    results["summary"] = {path: summarise(rows) for path, rows in results["raw"].items()}
    results["machine"] = machine_info(_chromium_version())
    results["machine"]["loadavg_start"], results["machine"]["loadavg_end"] = la, loadavg()
    results["seconds"] = time.monotonic() - t0
    section = "edition_sample" if args.match else "edition"
    results["settings"]["match"] = args.match
    save_json(f"{section}.json", results)
    report.update_section(section, report.edition_section(results))
    log(f"done in {results['seconds']:.0f} s")


def summarise(rows: list[dict]) -> dict:
    out = {k: median([r[k] for r in rows]) for k in
           ("lcp_ms", "fcp_ms", "tbt_ms", "cls", "bytes", "bytes_before_lcp", "requests")}
    out["scores"] = {c: median([r["scores"][c] for r in rows]) for c in CATEGORIES}
    out["off_machine"] = sorted({u for r in rows for u in r["off_machine"]})
    out["failed_audits"] = rows[-1]["failed_audits"]
    return out


if __name__ == "__main__":
    main()
