"""A press-day crowd through the production stack: the knee, the target, a replica killed mid-run.

    python -m bench.press_day                        # everything below (about 15 minutes)
    python -m bench.press_day --steps 100,200,300 --duration 60

Readers are bench.crowd's Locust users: each speaks Streamlit's own WebSocket protocol (no
browser, so the two cores measure the server, not browsers), opens every page and changes a
control on each, thinking 10-20 s between actions. They go through nginx exactly as `make serve`
starts it (nexidash.serve.Stack), with 127.0.0.1 exempt from the per-client limits: every
simulated reader comes from that one address, which a real crowd does not.

1. The knee, with 1 replica and with 2 (the number of cores): the most sessions whose p95
   (request to script finished, failures counted as too slow) stays at or under 1 s.
2. The target: 100 concurrent sessions through the proxy with 2 replicas, zero errors, p95 at or
   under 1 s.
3. The same 100 sessions, and the replica holding the most sessions is killed (SIGKILL) in the
   middle: what its sessions saw, and that they carried on.

Results go to artifacts/bench/press_day.json and the "Crowd" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections import Counter

from . import crowd, report
from .common import OUT_DIR, ROOT, free_port, loadavg, machine_info, process_cpu_seconds, save_json

TARGET_USERS = 100
TARGET_P95_MS = 1000


def log(msg: str) -> None:
    print(f"[press-day {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _stack(replicas: int):
    from nexidash import serve

    settings = serve.Settings(port=free_port(), replicas=replicas, listen_host="127.0.0.1",
                              var=OUT_DIR / f"serve-crowd-{replicas}",
                              limit_exempt=["127.0.0.1/32"])
    return serve.Stack(settings).start()


def _replica_cpu(stack) -> float:
    return sum(process_cpu_seconds(r.proc.pid) for r in stack.replicas if r.alive())


def _busiest_replica(stack):
    """The replica with the most open WebSockets, read from its sockets on the kernel's table."""
    def sockets(r) -> int:
        port = r.upstream.port
        count = 0
        for line in open("/proc/net/tcp").read().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "01" and int(local.split(":")[1], 16) == port:
                count += 1
        return count
    return max(stack.replicas, key=sockets)


def _warm(url: str, replicas: int) -> None:
    """A few quick readers first, so no measured step pays a fresh replica's first imports."""
    crowd.run(url, 4 * replicas, 10, 20, think_s=(0.5, 1.0), label="warm-up")


def _trim(summary: dict) -> dict:
    """The summary without its raw samples (kept in the per-run JSON files of bench.crowd)."""
    return {k: v for k, v in summary.items() if k != "samples"}


def main(argv=None) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(prog="python -m bench.press_day", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", default="100,200,300,400,600,800",
                        help="session counts for the knee (default 100,200,300,400,600,800)")
    parser.add_argument("--duration", type=float, default=60,
                        help="seconds each knee step runs after its last session started (60)")
    parser.add_argument("--target-duration", type=float, default=150,
                        help="seconds of the target and kill runs (150)")
    parser.add_argument("--spawn-rate", type=float, default=10,
                        help="sessions started per second (10)")
    parser.add_argument("--only", default="knee,target,kill")
    args = parser.parse_args(argv)
    steps = tuple(int(s) for s in args.steps.split(","))
    only = set(args.only.split(","))
    think = (10.0, 20.0)
    results = {"settings": {"steps": list(steps), "step_s": args.duration,
                            "target_s": args.target_duration, "spawn_rate": args.spawn_rate,
                            "think_s": list(think), "target_users": TARGET_USERS},
               "machine": machine_info(), "knee": {}}
    t0 = time.monotonic()

    if "knee" in only:
        for replicas in (1, os.cpu_count() or 2):
            stack = _stack(replicas)
            try:
                url = f"{stack.url}/app/"
                log(f"knee, {replicas} replica(s), steps {steps}")
                _warm(url, replicas)
                k = {"knee_users": None, "limit_ms": TARGET_P95_MS, "steps": []}
                for users in steps:
                    # Each step runs until every session has started, then `duration` more.
                    cpu0 = _replica_cpu(stack)
                    step = crowd.run(url, users, args.spawn_rate,
                                     users / args.spawn_rate + args.duration, think_s=think,
                                     label=f"knee-{replicas}-{users}")
                    step["replica_cpu_s"] = round(_replica_cpu(stack) - cpu0, 1)
                    steady = step.get("steady") or {}
                    p95 = steady.get("p95_failures_as_slow_ms")
                    step["within_limit"] = p95 is not None and p95 <= TARGET_P95_MS
                    k["steps"].append(_trim(step))
                    log(f"  {users} sessions: p95 {p95} ms, {steady.get('renders_per_s')} "
                        f"renders/s, errors {sum((step.get('errors') or {}).values())}")
                    if not step["within_limit"]:
                        break
                    k["knee_users"] = users
                results["knee"][str(replicas)] = k
                log(f"  knee: {k['knee_users']} sessions")
            finally:
                stack.stop()

    if "target" in only or "kill" in only:
        replicas = os.cpu_count() or 2
        for name in ("target", "kill"):
            if name not in only:
                continue
            stack = _stack(replicas)
            try:
                url = f"{stack.url}/app/"
                kill_at = args.target_duration / 2 if name == "kill" else None
                victim = {}

                def kill(stack=stack, victim=victim):  # bound now: called in this iteration
                    r = _busiest_replica(stack)
                    victim.update(name=r.upstream.name, pid=r.proc.pid)
                    os.killpg(r.proc.pid, signal.SIGKILL)
                    return f"SIGKILL to replica {r.upstream.name} (pid {r.proc.pid})"

                _warm(url, replicas)
                log(f"{name}: {TARGET_USERS} sessions, {replicas} replicas"
                    + (f", kill at {kill_at:.0f} s" if kill_at else ""))
                cpu0 = _replica_cpu(stack)
                summary = crowd.run(url, TARGET_USERS, args.spawn_rate, args.target_duration,
                                    think_s=think, kill_at_s=kill_at,
                                    kill=kill if kill_at else None, label=f"press-day-{name}")
                summary["replica_cpu_s"] = round(_replica_cpu(stack) - cpu0, 1)
                if victim:
                    summary["victim"] = victim
                    summary["victim_restarted"] = any(
                        r.upstream.name == victim["name"] and r.proc.pid != victim["pid"]
                        and r.alive() for r in stack.replicas)
                results[name] = _trim(summary)
                steady = summary.get("steady") or {}
                log(f"  {summary['renders_per_s']} renders/s, p95 {steady.get('p95_ms')} ms, "
                    f"errors {dict(Counter(summary.get('errors') or {}))}")
            finally:
                stack.stop()

    results["machine"]["loadavg_end"] = loadavg()
    results["seconds"] = round(time.monotonic() - t0)
    path = save_json("press_day.json", results)
    log(f"raw results: {path.relative_to(ROOT)} ({results['seconds']} s)")
    report.update_section("crowd", report.crowd_section(results))
    print(report.crowd_section(results))


if __name__ == "__main__":
    main()
