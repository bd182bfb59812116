"""The dashboard's layout shift on a phone, page by page, with what moved: a probe beside
Lighthouse (bench.phone), fast enough to run after every change and able to name the culprit.

    python -m bench.layout_shift                      # every page, 2 runs each
    python -m bench.layout_shift --pages about,country --runs 3

The stack starts as `make serve` starts it (nginx, two replicas; one visit per page first, so
no measured run pays a replica's first imports). Each run is a fresh browser context at
Lighthouse's phone size (412 x 823 CSS px, DPR 1.75, touch) with the CPU slowed 4x, as
Lighthouse's mobile run does. A PerformanceObserver records every `layout-shift` entry
without recent input over the first 12 s, with the elements it moved. Two figures per run:

sum   every shift added up: what a reader sees move, and an upper bound of the next figure
cls   Lighthouse's CLS: the largest session window (shifts under 1 s apart, at most 5 s)

Results go to artifacts/bench/layout_shift.json.
"""

from __future__ import annotations

import argparse
import json
import time

from .common import OUT_DIR, app_page_paths, free_port, loadavg, machine_info, save_json

WATCH_S = 12
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75,
         "is_mobile": True, "has_touch": True}
OBSERVER = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) {
    if (e.hadRecentInput) continue;
    window.__shifts.push({t: Math.round(e.startTime), v: e.value, sources: (e.sources || []).map(s => {
      const n = s.node, el = n && n.nodeType === 1 ? n : n && n.parentElement;
      const tid = el && el.closest('[data-testid]');
      const key = el && el.closest('[class*=st-key-]');
      return {tag: el ? el.tagName : null, testid: tid ? tid.dataset.testid : null,
              key: key ? [...key.classList].find(c => c.startsWith('st-key-')) : null,
              from: [s.previousRect.y, s.previousRect.height], to: [s.currentRect.y, s.currentRect.height]};
    })});
  }
}).observe({type: 'layout-shift', buffered: true});
"""


def log(msg: str) -> None:
    print(f"[layout-shift {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def lighthouse_cls(shifts: list[dict]) -> float:
    """The largest session window: shifts less than 1 s apart, a window at most 5 s long."""
    best = current = 0.0
    start = last = None
    for s in sorted(shifts, key=lambda s: s["t"]):
        if start is None or s["t"] - last >= 1000 or s["t"] - start >= 5000:
            start, current = s["t"], 0.0
        current += s["v"]
        last = s["t"]
        best = max(best, current)
    return best


def probe(browser, url: str) -> dict:
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.add_init_script(OBSERVER)
        page.goto(url, wait_until="load")
        page.wait_for_timeout(WATCH_S * 1000)
        shifts = page.evaluate("window.__shifts")
    finally:
        context.close()
    return {"sum": round(sum(s["v"] for s in shifts), 4),
            "cls": round(lighthouse_cls(shifts), 4), "shifts": shifts}


def main(argv=None) -> None:
    from playwright.sync_api import sync_playwright

    from nexidash import serve

    from .browser import launch, view_only
    from .phone import page_url

    parser = argparse.ArgumentParser(prog="python -m bench.layout_shift", description=__doc__)
    parser.add_argument("--pages", default=",".join(app_page_paths()))
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    names = [p for p in args.pages.split(",") if p]

    settings = serve.Settings(port=free_port(), replicas=2, listen_host="127.0.0.1",
                              var=OUT_DIR / "serve-layout-shift")
    stack = serve.Stack(settings).start()
    origin = f"http://127.0.0.1:{settings.port}"
    results: dict[str, list] = {}
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                for name in names:
                    for _ in range(2):  # both replicas
                        view_only(browser, page_url(origin, name), 0)
                for name in names:
                    results[name] = [probe(browser, page_url(origin, name))
                                     for _ in range(args.runs)]
                    log(f"{name}: cls {[r['cls'] for r in results[name]]}, "
                        f"sum {[r['sum'] for r in results[name]]}")
            finally:
                browser.close()
    finally:
        stack.stop()
    worst = {n: max(r["cls"] for r in rs) for n, rs in results.items()}
    save_json("layout_shift.json", {"machine": machine_info(), "loadavg": loadavg(),
                               "watch_s": WATCH_S, "worst_cls": worst, "pages": results})
    print(json.dumps(worst))


if __name__ == "__main__":
    main()
