"""Whether a replica answers, and whether one that does not is stuck or only busy.

A replica answers its health check in milliseconds; one that has not answered in a second is
taken out of nginx's pool at once (serve.Stack._watch). Restarting it is another matter: a
stopped process (SIGSTOP) or one blocked on a lock or a network call uses no CPU, and only a
restart brings its readers back; a replica busy with more readers than its core can serve
answers late but is working, and killing it sends all its readers onto the others at once.
Under a crowd past the knee (600 sessions on one replica, bench.press_day, 2026-12-04) the
supervisor killed busy replicas nine times in a minute, and no reader got a page at all.
So a replica that fails three checks in a row is restarted only if it used almost no CPU
since the first of them, or if it has not answered for a whole minute.
"""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request

from .serve_nginx import BASE

HEALTH_PATH = f"{BASE}/_stcore/health"
HEALTH_EVERY_S = 0.5
HEALTH_TIMEOUT_S = 1.0
HEALTH_FAILS_BEFORE_RESTART = 3
# Three failed checks take 1.5–4.5 s; a busy replica uses most of its core meanwhile, a
# stopped or blocked one nothing. A tenth of a second tells them apart with room either way.
BUSY_CPU_S = 0.1
BUSY_LIMIT_S = 60.0


def healthy(host: str, port: int, timeout: float = HEALTH_TIMEOUT_S) -> bool:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}{HEALTH_PATH}", timeout=timeout) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


def cpu_seconds(pid: int) -> float | None:
    """The CPU time a process has used (user and system), or None when it cannot be read."""
    try:
        fields = open(f"/proc/{pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Failing:
    """One replica's run of failed health checks, and the verdict on it."""

    def __init__(self) -> None:
        self.checks = 0
        self._since = 0.0
        self._cpu: float | None = None

    def answered(self) -> None:
        self.checks = 0

    def failed(self, pid: int | None) -> bool:
        """Count a failed check; True when the replica should be restarted now."""
        now, cpu = time.monotonic(), (cpu_seconds(pid) if pid else None)
        if self.checks == 0:
            self._since, self._cpu = now, cpu
        self.checks += 1
        if self.checks < HEALTH_FAILS_BEFORE_RESTART:
            return False
        working = cpu is not None and self._cpu is not None and cpu - self._cpu >= BUSY_CPU_S
        return not working or now - self._since >= BUSY_LIMIT_S
