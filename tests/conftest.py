"""Shared fixtures: one database built from data/tables per session, in a temporary folder,
which the app under test reads (whatever data/nexi.duckdb or NEXI_DB says), and the maps'
boundaries published to static/ as `make data` does."""

import fcntl
import os
import pathlib
import socket
import tempfile
from dataclasses import dataclass

import pytest

TABLES = pathlib.Path(__file__).resolve().parents[1] / "data" / "tables"
CHROMIUM = "/usr/bin/chromium"
# A front proxy the session's stack believes (X-Forwarded-For, X-Forwarded-Proto): a loopback
# address no other test sends from.
TRUSTED_PROXY = "127.0.0.9"


@pytest.fixture(scope="session")
def built_db(tmp_path_factory):
    """A database built once per session from the committed CSVs, in a temporary folder."""
    from nexidash.build import build

    out = tmp_path_factory.mktemp("db") / "nexi.duckdb"
    build(TABLES, out)
    return out


@pytest.fixture(scope="session", autouse=True)
def hermetic_database(built_db):
    """Every test, and every server a test starts, reads the session's own database."""
    from nexidash import db, geo

    old = os.environ.get("NEXI_DB")
    os.environ["NEXI_DB"] = str(built_db)
    db.reset()
    geo.publish_all()
    yield built_db
    db.reset()
    if old is None:
        os.environ.pop("NEXI_DB", None)
    else:
        os.environ["NEXI_DB"] = old


@pytest.fixture(scope="session")
def edition_dir(tmp_path_factory, hermetic_database):
    """The static edition, built once per run from the suite's tables. Under pytest-xdist the
    workers share one build (the first to need it builds it, the others wait on a lock): each
    build is over a minute of Chromium drawing charts, and every worker's database is built
    from the same CSVs."""
    from nexidash import edition

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return edition.build(tmp_path_factory.mktemp("edition") / "www")
    shared = tmp_path_factory.getbasetemp().parent / "edition"
    shared.mkdir(exist_ok=True)
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "www" / "index.html").exists():
            edition.build(shared / "www")
    return shared / "www"


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`--dist loadgroup`), every browser test runs on one worker, one after
    another: one Chromium at a time on a two-core machine, while the other worker runs the rest."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium: a failure on CI (where `make test` installs it), a skip elsewhere."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing; `make browser` installs it (and the CJK fonts)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def server_tmp():
    with tempfile.TemporaryDirectory(prefix="nexi-browser-") as d:
        yield pathlib.Path(d)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Proxy:
    """The production stack (`make serve`) on free ports: nginx in front of two replicas."""
    stack: object

    @property
    def origin(self) -> str:
        return self.stack.url

    @property
    def url(self) -> str:
        """Where the dashboard lives, as `Server.url` is for the one-process server."""
        return f"{self.stack.url}/app"


@pytest.fixture(scope="session")
def proxy(chromium, server_tmp, edition_dir):
    """nginx and two replicas, as `make serve` starts them, for the whole session (the browser
    tests and tests/test_hostile_traffic.py share it; mark a test that uses it `browser`, so
    under xdist it runs on the worker that holds the stack)."""
    from nexidash import serve

    if not os.path.exists(serve.NGINX):
        message = f"{serve.NGINX} is missing; `make system` installs it."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    settings = serve.Settings(port=_free_port(), replicas=2, listen_host="127.0.0.1",
                              var=server_tmp / "serve", edition=edition_dir,
                              trusted_proxies=[f"{TRUSTED_PROXY}/32"])
    stack = serve.Stack(settings)
    try:
        stack.start()
    except SystemExit as exc:
        stack.stop()
        pytest.fail(f"the stack did not start: {exc}")
    yield Proxy(stack)
    stack.stop()
