"""The production stack: nginx in front of several Streamlit replicas, supervised.

    python -m nexidash.serve            (or: make serve; Ctrl-C or SIGTERM stops all of it)

Settings come from the environment (the Makefile passes them on):

    PORT          where nginx listens (8080)
    REPLICAS      local Streamlit replicas, each on a loopback port (the number of cores)
    UPSTREAMS     host:port,... replicas run elsewhere (`make replica`); replaces local ones
    LIMIT_EXEMPT  addresses or CIDRs the per-client limits skip (none), e.g. a load generator

Everything the stack writes lives under var/ (git ignores it): nginx's config, pid, logs and
temp files, and a copy of Streamlit's static folder with a .gz and a .br beside each file, so
nginx serves compressed assets from disk with no CPU per request.

The dashboard lives at /app/ (Streamlit's server.baseUrlPath); / redirects there until the
static edition takes it. `make run` stays the one-process way for development.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import paths, settings
from .serve_nginx import BASE, NGINX, write_config
from .serve_settings import Settings, Upstream

log = logging.getLogger("nexidash.serve")

HEALTH_PATH = f"{BASE}/_stcore/health"
HEALTH_EVERY_S = 2.0
HEALTH_FAILS_BEFORE_RESTART = 3  # a replica that stops answering, though alive, is restarted
START_TIMEOUT_S = 90


# --------------------------------------------------------------------------------------------
# The replicas and their supervisor
# --------------------------------------------------------------------------------------------

def _term_when_parent_dies() -> None:
    """SIGTERM to this process when its parent dies (Linux's PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except OSError:
        pass


def _child_of_supervisor() -> None:
    """In a child before exec: its own process group, and SIGTERM if the supervisor dies.

    Without the second, a supervisor killed outright (SIGKILL, an OOM kill) would leave nginx
    and the replicas serving with nobody watching them.
    """
    os.setsid()
    _term_when_parent_dies()


def free_port(host: str = "127.0.0.1") -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def cookie_secret(var: Path) -> str:
    """One secret for every replica, so an XSRF token one issued is good at another.

    Replicas on other machines need the same value: NEXI_COOKIE_SECRET, or this file copied.
    """
    if settings.get("NEXI_COOKIE_SECRET"):
        return settings.get("NEXI_COOKIE_SECRET")
    path = var / "cookie_secret"
    if not path.exists():
        var.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def replica_command(port: int, address: str = "127.0.0.1", script: str = "app.py") -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
            "--server.address", address, "--server.baseUrlPath", BASE.strip("/"),
            "--server.headless", "true"]


def replica_env(var: Path, edition: bool = False) -> dict:
    env = dict(os.environ)
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret(var)
    if edition:  # the app then links each view to its static page
        env["NEXI_STATIC_EDITION"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def healthy(host: str, port: int, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}{HEALTH_PATH}", timeout=timeout) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class Replica:
    upstream: Upstream
    command: list[str]
    env: dict
    log_path: Path
    proc: subprocess.Popen | None = None
    failed_checks: int = 0
    crashes: int = 0  # exits since it last answered a health check
    not_before: float = 0.0

    def start(self) -> None:
        # A replica that keeps crashing at start is retried less and less often.
        self.crashes += 1
        self.not_before = time.monotonic() + min(30.0, 2.0 ** (self.crashes - 1))
        self.failed_checks = 0
        with open(self.log_path, "ab") as out:
            self.proc = subprocess.Popen(self.command, cwd=paths.ROOT, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         preexec_fn=_child_of_supervisor)
        log.info("replica %s started (pid %d) on %s", self.upstream.name, self.proc.pid,
                 self.upstream.addr)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout: float = 10) -> None:
        if not self.alive():
            return
        try:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=timeout)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=timeout)


class Stack:
    """nginx and the local replicas, started, watched and stopped together."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.replicas: list[Replica] = []
        self.upstreams: list[Upstream] = []
        self.nginx: subprocess.Popen | None = None
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.port}"

    def start(self) -> Stack:
        s = self.settings
        logs = s.var / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        if s.upstreams:
            self.upstreams = [Upstream(f"r{i}", h, p) for i, (h, p) in enumerate(s.upstreams)]
        else:
            env = replica_env(s.var, edition=s.edition is not None)
            for i in range(s.replicas):
                port = s.first_replica_port + i if s.first_replica_port else free_port()
                up = Upstream(f"r{i}", "127.0.0.1", port)
                self.upstreams.append(up)
                self.replicas.append(Replica(up, replica_command(port, script=s.script), env,
                                             logs / f"replica-{up.name}.log"))
        conf = write_config(s, self.upstreams)
        for r in self.replicas:
            r.start()
        self._wait_healthy()
        self.nginx = subprocess.Popen(
            [NGINX, "-p", str(s.var / "nginx"), "-c", str(conf), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, preexec_fn=_child_of_supervisor)
        self._wait_nginx()
        self._watcher = threading.Thread(target=self._watch, name="supervisor", daemon=True)
        self._watcher.start()
        log.info("serving %s/ (dashboard at %s%s/) with %d replica(s)", self.url, self.url,
                 BASE, len(self.upstreams))
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        waiting = list(self.replicas)
        while waiting:
            for r in list(waiting):
                if not r.alive():
                    raise SystemExit(f"replica {r.upstream.name} exited with "
                                     f"{r.proc.returncode}; see {r.log_path}")
                if healthy(r.upstream.host, r.upstream.port):
                    waiting.remove(r)
            if waiting and time.monotonic() > deadline:
                raise SystemExit(f"replicas did not answer {HEALTH_PATH} within "
                                 f"{START_TIMEOUT_S} s: {[r.upstream.name for r in waiting]}")
            time.sleep(0.25)

    def _wait_nginx(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.nginx.poll() is not None:
                raise SystemExit(f"nginx exited with {self.nginx.returncode}; see "
                                 f"{self.settings.var / 'nginx' / 'logs' / 'error.log'}")
            if healthy("127.0.0.1", self.settings.port, timeout=1):
                return
            time.sleep(0.1)
        raise SystemExit("nginx did not answer within 15 s")

    def _watch(self) -> None:
        """Restart a replica that exited, or that stopped answering its health check.

        nginx stops sending it readers on its own (the failed connection marks it down); its
        readers' browsers reconnect through nginx to another replica, which restores their
        view from the URL.
        """
        while not self._stop.wait(HEALTH_EVERY_S):
            for r in self.replicas:
                if self._stop.is_set():
                    return
                if not r.alive():
                    if time.monotonic() >= r.not_before:
                        log.warning("replica %s exited with %s; restarting", r.upstream.name,
                                    r.proc.returncode)
                        r.start()
                elif healthy(r.upstream.host, r.upstream.port):
                    r.failed_checks = 0
                    r.crashes = 0
                else:
                    r.failed_checks += 1
                    if r.failed_checks >= HEALTH_FAILS_BEFORE_RESTART:
                        log.warning("replica %s failed %d health checks; restarting",
                                    r.upstream.name, r.failed_checks)
                        r.stop(signal.SIGKILL)
                        r.start()
            if self.nginx is not None and self.nginx.poll() is not None:
                log.error("nginx exited with %s; stopping", self.nginx.returncode)
                self._stop.set()

    def replica_for(self, port: int) -> Replica:
        return next(r for r in self.replicas if r.upstream.port == port)

    def wait(self) -> None:
        while not self._stop.wait(0.5):
            pass

    def stop(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait(timeout=5)
        for r in self.replicas:
            r.stop()

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write the config, run nginx -t, and exit")
    parser.add_argument("--replica", action="store_true",
                        help="run one replica in the foreground, for nginx on another machine")
    parser.add_argument("--bind", default="0.0.0.0", help="with --replica: the address")
    parser.add_argument("--replica-port", type=int, default=8501, help="with --replica: the port")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = Settings.from_env()
    if args.replica:
        os.chdir(paths.ROOT)
        command = replica_command(args.replica_port, args.bind, settings.script)
        os.execve(command[0], command, replica_env(settings.var))
    if args.check:
        ups = [Upstream(f"r{i}", h, p) for i, (h, p) in enumerate(settings.upstreams)] or [
            Upstream(f"r{i}", "127.0.0.1", 8601 + i) for i in range(settings.replicas)]
        print(write_config(settings, ups))
        return
    # `make serve` is our parent; make does not pass a SIGTERM on to its children.
    _term_when_parent_dies()
    stack = Stack(settings)

    def _term(signum, _frame):
        log.info("signal %d: stopping", signum)
        stack._stop.set()

    signal.signal(signal.SIGTERM, _term)
    signal.signal(signal.SIGINT, _term)
    try:
        stack.start()
        stack.wait()
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
