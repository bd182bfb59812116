"""UPSTREAMS for real: two replicas on hosts of their own, nginx in front of them.

Each replica runs in a network namespace of this test's making (`ip netns`), reached over a
veth pair on addresses the test gives it; nginx and its health checker stay in the machine's
own namespace, as on a proxy host. Stickiness, failover (one host's link taken down) and a
download from the replica that made it are checked across the hosts. Where the machine
refuses namespaces (not root, no `ip`, a container without the capability), the test is
skipped with the reason.
"""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from nexidash import paths

pytestmark = pytest.mark.browser  # a stack of its own, and Chromium for the download

TAG = f"{os.getpid() % 100000}"
# Two /30 links of this test's own: the root side .1/.5, each replica host .2/.6. The whole
# /24 is unreachable from the root namespace but through those links: should a link's route go
# away, a packet for its host fails at once here instead of taking the default route out.
NET = "10.224.24.0/24"
HOSTS = [("a", "10.224.24.1", "10.224.24.2"), ("b", "10.224.24.5", "10.224.24.6")]
REPLICA_PORT = 8501


def _ip(*args, ns: str | None = None) -> subprocess.CompletedProcess:
    cmd = ["ip", *(["netns", "exec", ns, "ip"] if ns else []), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=20)


def _must(result: subprocess.CompletedProcess) -> None:
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(result.args)}: {result.stderr.strip()}")


@pytest.fixture(scope="module")
def hosts():
    """Two namespaces, each with a veth link to the root namespace; removed afterwards."""
    if os.geteuid() != 0:
        pytest.skip("network namespaces need root")
    if shutil.which("ip") is None:
        pytest.skip("no `ip` (iproute2) on this machine")
    made = []
    fenced = False
    try:
        trial = _ip("route", "add", "unreachable", NET)
        if trial.returncode != 0:
            pytest.skip(f"the machine refuses a route of the test's own: {trial.stderr.strip()}")
        fenced = True
        for name, outer, inner in HOSTS:
            ns, veth = f"nexi{TAG}{name}", f"nx{TAG}{name}"
            trial = _ip("netns", "add", ns)
            if trial.returncode != 0:
                pytest.skip(f"the machine refuses network namespaces: {trial.stderr.strip()}")
            made.append((ns, veth))
            _must(_ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns))
            _must(_ip("addr", "add", f"{outer}/30", "dev", veth))
            _must(_ip("link", "set", veth, "up"))
            _must(_ip("addr", "add", f"{inner}/30", "dev", "eth0", ns=ns))
            _must(_ip("link", "set", "eth0", "up", ns=ns))
            _must(_ip("link", "set", "lo", "up", ns=ns))
        yield [(ns, veth, inner) for (ns, veth), (_, _, inner) in zip(made, HOSTS)]
    except RuntimeError as exc:
        pytest.skip(f"the machine refuses the namespaces' links: {exc}")
    finally:
        for ns, veth in made:
            _ip("link", "del", veth)
            _ip("netns", "del", ns)
        if fenced:
            _ip("route", "del", "unreachable", NET)


@pytest.fixture(scope="module")
def remote_stack(hosts, tmp_path_factory):
    """A replica in each namespace (as `make replica` starts one), and the stack in front."""
    from nexidash import serve

    var = tmp_path_factory.mktemp("hosts")
    settings = serve.Settings(port=serve.free_port(), listen_host="127.0.0.1", var=var,
                              upstreams=[(inner, REPLICA_PORT) for _, _, inner in hosts],
                              edition=None)
    env = serve.replica_env(var)
    procs = []
    try:
        for ns, _, inner in hosts:
            command = serve.replica_command(REPLICA_PORT, inner, hosts=tuple(settings.hosts))
            log = open(var / f"replica-{ns}.log", "wb")
            procs.append(subprocess.Popen(["ip", "netns", "exec", ns, *command], cwd=paths.ROOT,
                                          env=env, stdout=log, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, start_new_session=True))
        deadline = time.monotonic() + 90
        for _, _, inner in hosts:
            while not serve.healthy(inner, REPLICA_PORT):
                assert time.monotonic() < deadline, (var / f"replica-{hosts[0][0]}.log")
                time.sleep(0.5)
        stack = serve.Stack(settings)
        stack.start()
        yield stack
        stack.stop()
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, 15)
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, 9)


def _get(stack, path: str, cookie: str | None = None) -> tuple[int, str, float]:
    conn = http.client.HTTPConnection("127.0.0.1", stack.settings.port, timeout=15)
    started = time.monotonic()
    try:
        conn.request("GET", path, headers={"Cookie": f"nexi_replica={cookie}"} if cookie else {})
        resp = conn.getresponse()
        resp.read()
        value = next((v.split(";")[0].split("=", 1)[1] for k, v in resp.getheaders()
                      if k.lower() == "set-cookie" and v.startswith("nexi_replica=")), "")
        return resp.status, value, time.monotonic() - started
    finally:
        conn.close()


def test_sticky_failover_and_downloads_across_hosts(remote_stack, hosts, browser):
    """Test that across two replica hosts readers are spread and stay on theirs, a download comes from the host that made it, and with one host's link down its readers go to the other within 2 s while the health checker takes it out of the pool, and back in when the link returns."""
    stack = remote_stack
    names = {u.name: u for u in stack.upstreams}
    cookies = {}
    for _ in range(20):
        status, value, _ = _get(stack, "/app/_stcore/health")
        assert status == 200
        cookies[value.split(".")[0]] = value
    assert set(cookies) == set(names), cookies  # both hosts take readers
    for value in cookies.values():
        assert {_get(stack, "/app/_stcore/health", value)[1] for _ in range(5)} == {value}

    # A download: the page's CSV comes from the host that ran the reader's script.
    ctx = browser.new_context(accept_downloads=True)
    try:
        page = ctx.new_page()
        page.goto(f"{stack.url}/app/regions?lang=en&measure=claims_paid&risk=political"
                  "&view_region_map=table", wait_until="domcontentloaded")
        page.locator(".st-key-view_region_map_en .nexi-table").wait_for(timeout=60_000)
        with page.expect_download(timeout=30_000) as info:
            page.locator(".st-key-dl_region_map button").click()
        text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
        assert any(line.startswith("europe,") for line in text.splitlines()), text[:300]
        sticky = {c["name"]: c["value"] for c in ctx.cookies()}["nexi_replica"]
    finally:
        ctx.close()
    log = (stack.settings.var / "nginx" / "logs" / "access.log").read_text()
    media = [line for line in log.splitlines() if "/app/media/" in line]
    assert media and f'"{names[sticky.split(".")[0]].addr}"' in media[-1], media[-1:]

    # One host's link goes down (its side of the cable: packets to it are lost, as when a
    # machine drops off the network): its readers are answered by the other within 2 s.
    victim = stack.upstreams[0]
    ns, veth, _ = hosts[0]
    _must(_ip("link", "set", "eth0", "down", ns=ns))
    try:
        waits = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            status, value, took = _get(stack, "/app/regions", cookies[victim.name])
            waits.append(took)
            assert status == 200 and value.split(".")[0] != victim.name, value
        assert max(waits) < 2.0, sorted(waits)[-3:]
        assert victim.name in stack.down
    finally:
        _must(_ip("link", "set", "eth0", "up", ns=ns))
    deadline = time.monotonic() + 30
    while victim.name in stack.down:
        assert time.monotonic() < deadline, "the host never came back into the pool"
        time.sleep(0.5)
    # nginx's reload is asynchronous: its new workers take over within moments.
    deadline = time.monotonic() + 10
    while _get(stack, "/app/_stcore/health", cookies[victim.name])[1] != cookies[victim.name]:
        assert time.monotonic() < deadline, "the host's readers did not come back to it"
        time.sleep(0.2)
