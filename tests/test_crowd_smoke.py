"""The press-day load client (bench.crowd) against the session's stack: a short smoke run, so
the client cannot drift from the pages it walks (issue 24: it looked for the year control by a
key the app no longer used, and reported 133 errors)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from nexidash import paths

pytestmark = pytest.mark.browser  # the stack lives on the browser tests' worker


@pytest.mark.long
def test_ten_readers_for_twenty_seconds_through_the_stack_meet_no_error(proxy, tmp_path):
    """Test that 10 protocol readers walking every page and changing each page's own control (from the page registry) for 20 s through nginx meet no error."""
    if importlib.util.find_spec("locust") is None:
        message = "Locust is missing: `make test` installs bench/requirements.txt"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    label = f"smoke-{os.getpid()}"
    # A subprocess: Locust monkey-patches the standard library with gevent on import.
    run = subprocess.run(
        [sys.executable, "-m", "bench.crowd", "--url", f"{proxy.url}/", "--users", "10",
         "--spawn-rate", "5", "--duration", "20", "--think", "1", "3", "--seed", "24",
         "--label", label, "--quiet"],
        cwd=paths.ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    out = paths.ROOT / "artifacts" / "bench" / f"crowd-{label}.json"
    data = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    assert data["errors"] == {}, data["errors"]
    by = data["by_type"]
    assert by["page"]["count"] >= 10 and by["control"]["count"] >= 10, by
    controls = {n.split(" ", 1)[1] for n in data["by_name"] if n.startswith("control ")}
    assert any(n.startswith("overview:year") for n in controls), controls
