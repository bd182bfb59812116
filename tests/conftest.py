"""Shared fixtures: one database built from data/tables per session, in a temporary folder,
which the app under test reads (whatever data/nexi.duckdb or NEXI_DB says), and the maps'
boundaries published to static/ as `make data` does."""

import fcntl
import functools
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass

import pytest

from tests.helpers import free_port

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
    """Every test, and every server a test starts, reads the session's own database; chart
    pictures are remembered in the session's own cache, shared by the xdist workers (so the
    edition's second build in test_edition reads what the first one drew)."""
    from nexidash import db, geo

    old = os.environ.get("NEXI_DB")
    os.environ["NEXI_DB"] = str(built_db)
    os.environ["NEXI_PICTURE_CACHE"] = str(_shared_tmp() / "pictures")
    db.reset()
    geo.publish_all()
    yield built_db
    db.reset()
    if old is None:
        os.environ.pop("NEXI_DB", None)
    else:
        os.environ["NEXI_DB"] = old


@pytest.fixture(scope="session")
def edition_dir(hermetic_database):
    """The static edition, built once per run from the suite's tables.

    The build is over a minute of Chromium drawing charts, so it starts in the background as
    soon as collection shows a test that needs it (`start_edition_build`), while the workers run
    other tests. This fixture waits for that build (its lock), or builds the edition itself when
    no background build ran (a run of one test file, or a build that failed: then its error is
    the one this build raises)."""
    from nexidash import edition

    shared = _shared_tmp() / "edition"
    shared.mkdir(exist_ok=True)
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "www" / "index.html").exists():
            edition.build(shared / "www")
    return shared / "www"


RUN_DIR = "NEXI_TEST_RUN"  # the run's shared folder, made by the controller, inherited


def pytest_configure(config):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        os.environ[RUN_DIR] = tempfile.mkdtemp(prefix="nexi-tests-")
    scan_installed_components_once()


def scan_installed_components_once() -> None:
    """Each new AppTest has Streamlit read the metadata of every installed package, looking for
    custom components: 0.24 s of a 0.29 s page run here, over 300 AppTests a session. What is
    installed does not change during a session, so the scan's answer is kept. The function is
    Streamlit's (1.67), not a public API: test_house checks that it is still there, so an
    upgrade that moves it fails loudly rather than making the suite slow again."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    if not hasattr(scan, "cache_info"):
        manifest_scanner.scan_component_manifests = functools.cache(scan)


def _shared_tmp() -> pathlib.Path:
    """The folder every xdist worker of this run shares (made before the workers start)."""
    return pathlib.Path(os.environ[RUN_DIR])


EDITION_FIXTURES = {"edition_dir", "proxy", "built"}


def needs_edition(item) -> bool:
    return bool(EDITION_FIXTURES & set(getattr(item, "fixturenames", ()))
                or item.get_closest_marker("edition"))


def pytest_collection_modifyitems(config, items):
    """Lay the tests out for xdist's worksteal, which hands the first half of the list to one
    worker and the second half to the other (a worker that runs dry takes from the end of
    the other's queue):
    - the tests that need the edition go last in each half, so no worker sits waiting for the
      background build while other tests are left;
    - the long ones (marked `long`) go first in their part, shared between the halves, so no
      worker is left with one at the end while the other has nothing to do.
    Otherwise the order is collection order, which keeps a module's tests together."""
    first = [item for item in items if not needs_edition(item)]
    later = [item for item in items if needs_edition(item)]
    later0, later1 = _halves(later, len(later) // 2)
    first0, first1 = _halves(first, len(items) // 2 - len(later0))
    items[:] = first0 + later0 + first1 + later1


def _halves(group: list, size: int) -> tuple[list, list]:
    """`group` in two parts, the first of `size` tests, its long tests dealt to each in turn."""
    long = [item for item in group if item.get_closest_marker("long")]
    short = [item for item in group if not item.get_closest_marker("long")]
    one, two = long[0::2], long[1::2]
    cut = max(0, size - len(one))
    return one + short[:cut], two + short[cut:]


def pytest_collection_finish(session):
    """Start the edition's build in the background when the tests collected need it."""
    if any(needs_edition(item) for item in session.items):
        start_edition_build(session.config)


def start_edition_build(config) -> None:
    """Build the tables' database and the edition in a child process that holds the edition's
    lock until it is done; one worker starts it, the first to claim it."""
    shared = _shared_tmp() / "edition"
    shared.mkdir(exist_ok=True)
    try:
        os.close(os.open(shared / ".started", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    lock = os.open(shared / ".lock", os.O_CREAT | os.O_WRONLY)
    fcntl.flock(lock, fcntl.LOCK_EX)
    env = dict(os.environ, NEXI_DB=str(shared / "nexi.duckdb"),
               NEXI_PICTURE_CACHE=str(shared.parent / "pictures"))
    script = ("import sys, fcntl; from nexidash import build, edition, geo; "
              f"build.build({str(TABLES)!r}, {str(shared / 'nexi.duckdb')!r}); geo.publish_all(); "
              f"edition.build({str(shared / 'www')!r})")
    with open(shared / "build.log", "w") as log:
        # The child inherits the locked descriptor: the lock is held until the build exits.
        config._edition_build = subprocess.Popen(
            [sys.executable, "-c", script], cwd=TABLES.parents[1], env=env, stdout=log,
            stderr=subprocess.STDOUT, pass_fds=(lock,))
    os.close(lock)


def pytest_unconfigure(config):
    build = getattr(config, "_edition_build", None)
    if build is not None and build.poll() is None:
        try:  # the other worker may still be waiting for it
            build.wait(timeout=300)
        except subprocess.TimeoutExpired:
            build.kill()
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        shutil.rmtree(os.environ.pop(RUN_DIR, ""), ignore_errors=True)


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
    settings = serve.Settings(port=free_port(), replicas=2, listen_host="127.0.0.1",
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
