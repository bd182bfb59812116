"""The production stack: nginx in front of several Streamlit replicas, supervised.

    python -m nexidash.serve            (or: make serve; Ctrl-C or SIGTERM stops all of it)

Settings come from the environment (nexidash/settings.py says each one's meaning): PORT,
REPLICAS, UPSTREAMS (replicas elsewhere, replacing local ones), LIMIT_EXEMPT, SERVER_NAMES
(the hosts nginx answers for) and TRUSTED_PROXIES (a front proxy whose X-Forwarded-* count).

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
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .serve_nginx import BASE, NGINX, WS_PING_S, let_reach, prepare_folders, run_as_user, write_config
from .serve_health import HEALTH_EVERY_S, HEALTH_PATH, Failing, healthy
from .serve_settings import Settings, Upstream, cookie_secret

log = logging.getLogger("nexidash.serve")

# A restarted replica rejoins the pool this long after its first answer. A fresh process's
# first script runs import and build everything (seconds); the dead replica's readers, their
# cookies naming it, would otherwise all come back to it at once and queue behind that. Kept
# out, they reconnect to a warm replica; new readers come to it one by one afterwards.
REJOIN_AFTER_S = 5.0
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


def replica_command(port: int, address: str = "127.0.0.1", script: str = "app.py",
                    hosts: tuple[str, ...] = ("localhost", "127.0.0.1")) -> list[str]:
    """A replica's command line. server.allowedHosts: a WebSocket handshake naming any other
    Host is refused before Streamlit looks at its Origin (nginx refuses it first; this holds
    for a replica reached directly). Streamlit 1.67 has no option to turn off its external-IP
    lookup, which it makes for an Origin that is neither loopback nor the Host: nginx lets no
    such handshake through. The ping keeps a reader's idle tunnel talking, so nginx can tell a
    silent one (a stuck replica) by its read timeout."""
    allowed = [arg for host in hosts for arg in ("--server.allowedHosts", host)]
    return [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
            "--server.address", address, "--server.baseUrlPath", BASE.strip("/"),
            "--server.headless", "true", "--server.websocketPingInterval", str(WS_PING_S),
            *allowed]


def replica_env(var: Path, edition: bool = False, home: Path | None = None) -> dict:
    env = dict(os.environ)
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret(var)
    if home is not None:  # the unprivileged user's: Streamlit keeps a machine id there
        env["HOME"] = str(home)
    if edition:  # the app then links each view to its static page
        env["NEXI_STATIC_EDITION"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Replica:
    upstream: Upstream
    command: list[str]
    env: dict
    log_path: Path
    proc: subprocess.Popen | None = None
    crashes: int = 0  # exits since it last answered a health check
    not_before: float = 0.0
    user: object = None  # pwd entry of the unprivileged user it runs as (as root)
    answered: bool = False  # has answered a health check since it was started
    answered_at: float = 0.0
    started_at: float = 0.0

    def start(self) -> None:
        # A replica that keeps crashing at start is retried less and less often.
        self.crashes += 1
        self.not_before = time.monotonic() + min(30.0, 2.0 ** (self.crashes - 1))
        self.answered = False
        self.started_at = time.monotonic()
        with open(self.log_path, "ab") as out:
            ids = ({"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
                   if self.user else {})
            self.proc = subprocess.Popen(self.command, cwd=paths.ROOT, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         preexec_fn=_child_of_supervisor, **ids)
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
        self._watchers: list[threading.Thread] = []
        self._lock = threading.Lock()
        self.down: set[str] = set()  # replicas whose last health check failed
        self._marked: set[str] = set()  # those marked down in nginx's config now
        self._folders = None

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
            user = self._unprivileged()
            env = replica_env(s.var, edition=s.edition is not None,
                              home=(s.var / "home") if user else None)
            for i in range(s.replicas):
                port = s.first_replica_port + i if s.first_replica_port else free_port()
                up = Upstream(f"r{i}", "127.0.0.1", port)
                self.upstreams.append(up)
                command = replica_command(port, script=s.script, hosts=tuple(s.hosts))
                self.replicas.append(Replica(up, command, env, logs / f"replica-{up.name}.log",
                                             user=user))
        self._folders = prepare_folders(s)
        conf = write_config(s, self.upstreams, folders=self._folders)
        for r in self.replicas:
            r.start()
        self._wait_healthy()
        self.nginx = subprocess.Popen(
            [NGINX, "-p", str(s.var / "nginx"), "-c", str(conf), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, preexec_fn=_child_of_supervisor)
        self._wait_nginx()
        self._watchers = [threading.Thread(target=self._watch, args=(up,), daemon=True,
                                           name=f"health-{up.name}") for up in self.upstreams]
        self._watchers.append(threading.Thread(target=self._watch_nginx, daemon=True,
                                               name="nginx-watch"))
        for w in self._watchers:
            w.start()
        log.info("serving %s/ (dashboard at %s%s/) with %d replica(s)", self.url, self.url,
                 BASE, len(self.upstreams))
        return self

    def _unprivileged(self):
        """As root, the user the replicas run as, with what they read made reachable."""
        from . import paths as p

        user = run_as_user(self.settings.run_as)
        if user is None:
            return None
        for path in (p.ROOT, Path(sys.executable).resolve(), p.db_path()):
            let_reach(path)
        home = self.settings.var / "home"
        home.mkdir(parents=True, exist_ok=True)
        os.chown(home, user.pw_uid, user.pw_gid)
        let_reach(home)
        return user

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

    def _watch(self, up: Upstream) -> None:
        """Check one replica's health every HEALTH_EVERY_S, local or remote (UPSTREAMS).

        A replica that fails a check is taken out of nginx's pool at once (new readers and
        reconnects go to the others; its sticky readers fall through to the backups); one that
        answers again is put back. A local replica that exited, or failed three checks in a
        row and is stuck rather than busy (serve_health), is killed and restarted. Its readers' browsers
        reconnect through nginx to another replica, which restores their view from the URL.
        """
        r = next((x for x in self.replicas if x.upstream is up), None)
        failing = Failing()
        while not self._stop.wait(HEALTH_EVERY_S):
            if r is not None and not r.alive():
                self._mark(up, down=True)
                if time.monotonic() >= r.not_before:
                    log.warning("replica %s exited with %s; restarting", up.name,
                                r.proc.returncode)
                    r.start()
                continue
            if healthy(up.host, up.port):
                failing.answered()
                if r is not None:
                    if not r.answered:
                        r.answered, r.answered_at = True, time.monotonic()
                    r.crashes = 0
                    if (up.name in self.down
                            and time.monotonic() - r.answered_at < REJOIN_AFTER_S):
                        continue
                self._mark(up, down=False)
                continue
            self._mark(up, down=True)
            if r is None:
                continue  # a remote replica: out of the pool until it answers, nothing more
            if not r.answered and time.monotonic() - r.started_at < START_TIMEOUT_S:
                continue  # still starting: its first answer may take seconds
            if failing.failed(r.proc.pid) and not self._stop.is_set():
                log.warning("replica %s failed %d health checks and is stuck; restarting",
                            up.name, failing.checks)
                r.stop(signal.SIGKILL)
                r.start()
                failing.answered()

    def _mark(self, up: Upstream, down: bool) -> None:
        """Take a replica out of nginx's pool, or put it back: a reload (graceful; sockets in
        flight stay open). With every replica failing, none is marked: nginx then still
        tries each, which is better than refusing every reader."""
        with self._lock:
            if (up.name in self.down) == down:
                return
            (self.down.add if down else self.down.discard)(up.name)
            marked = self.down if len(self.down) < len(self.upstreams) else set()
            if marked == self._marked:
                return
            log.warning("replica %s %s nginx's pool", up.name, "out of" if down else "back in")
            write_config(self.settings, self.upstreams, down=marked, folders=self._folders)
            self._marked = set(marked)
            if self.nginx is not None and self.nginx.poll() is None:
                self.nginx.send_signal(signal.SIGHUP)

    def _watch_nginx(self) -> None:
        while not self._stop.wait(HEALTH_EVERY_S):
            if self.nginx is not None and self.nginx.poll() is not None:
                log.error("nginx exited with %s; stopping", self.nginx.returncode)
                self._stop.set()

    def wait(self) -> None:
        while not self._stop.wait(0.5):
            pass

    def stop(self) -> None:
        self._stop.set()
        for w in self._watchers:
            w.join(timeout=5)
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
        command = replica_command(args.replica_port, args.bind, settings.script,
                                  tuple(settings.hosts))
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
