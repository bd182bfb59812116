"""The production stack's parts that need no running server: its nginx config and its files."""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import sys
import time

import brotli
import pytest

from nexidash import serve, serve_nginx, serve_static


@pytest.fixture(scope="module")
def nginx():
    if not os.path.exists(serve.NGINX):
        message = f"{serve.NGINX} is missing; `make system` installs it."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return serve.NGINX


def _settings(tmp_path, **env) -> serve.Settings:
    s = serve.Settings.from_env({"PORT": "18080", **env})
    s.var = tmp_path / "var"
    s.edition = None
    return s


def _upstreams(settings):
    return [serve.Upstream(f"r{i}", h, p) for i, (h, p) in enumerate(settings.upstreams)]


def test_generated_config_passes_nginx_t(nginx, tmp_path):
    """Test that the config written for replicas on other hosts passes `nginx -t`."""
    settings = _settings(tmp_path, UPSTREAMS="127.0.0.2:8501,127.0.0.3:8501,127.0.0.4:8502",
                         LIMIT_EXEMPT="127.0.0.9/32")
    conf = serve.write_config(settings, _upstreams(settings))  # runs nginx -t itself
    text = conf.read_text()
    check = subprocess.run([nginx, "-t", "-p", str(settings.var / "nginx"), "-c", str(conf)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "syntax is ok" in check.stderr
    # Each replica's sticky group lists the other replicas as backups.
    for name, addr in (("r0", "127.0.0.2:8501"), ("r2", "127.0.0.4:8502")):
        group = re.search(r"upstream %s \{(.*?)\}" % name, text, flags=re.S).group(1)
        assert re.search(rf"server {re.escape(addr)} max_fails", group), group
        assert group.count(" backup ") == 2, group
    assert "127.0.0.9/32 1;" in text
    assert "listen 0.0.0.0:18080;" in text
    assert str(settings.var / "nginx" / "nginx.pid") in text


def test_broken_config_is_refused_with_nginx_message(nginx, tmp_path, monkeypatch):
    """Test that a config nginx rejects stops the start with nginx's own message."""
    monkeypatch.setattr(serve_nginx, "LIMITS", {**serve_nginx.LIMITS, "handshake_rate": "lots"})
    settings = _settings(tmp_path, UPSTREAMS="127.0.0.2:8501")
    with pytest.raises(SystemExit, match=r"(?s)nginx rejected .*invalid rate"):
        serve.write_config(settings, _upstreams(settings))


@pytest.mark.parametrize("value", ["nohost", "host:", ":8501", "host:99999", "host:http"])
def test_bad_upstream_is_named(value):
    """Test that a malformed UPSTREAMS entry stops the start naming it."""
    with pytest.raises(SystemExit, match=re.escape(value)):
        serve.Settings.from_env({"UPSTREAMS": f"127.0.0.2:8501,{value}"})


def test_precompressed_files_match_and_repeat(tmp_path):
    """Test that .gz and .br decompress to the file, and a second run writes identical bytes."""
    folder = tmp_path / "static"
    (folder / "js").mkdir(parents=True)
    source = folder / "js" / "index.abc.js"
    source.write_bytes(b"const x = 1;\n" * 2000)
    (folder / "font.woff2").write_bytes(b"\x00" * 100)
    assert serve_static.precompress(folder, workers=1) == 1
    gz, br = source.with_name(source.name + ".gz"), source.with_name(source.name + ".br")
    assert gzip.decompress(gz.read_bytes()) == source.read_bytes()
    assert brotli.decompress(br.read_bytes()) == source.read_bytes()
    first = gz.read_bytes(), br.read_bytes()
    gz.unlink()
    serve_static.precompress(folder, workers=1)
    assert (gz.read_bytes(), br.read_bytes()) == first
    assert not (folder / "font.woff2.gz").exists()  # woff2 is compressed already


def test_csp_allows_exactly_the_inline_script_of_streamlit(tmp_path):
    """Test that the CSP hash covers index.html's inline script, and an edited script no longer matches."""
    index = tmp_path / "index.html"
    index.write_text('<script src="./a.js"></script><script>\n  window.x = 1\n</script>')
    hashes = serve_nginx.inline_script_hashes(index)
    assert hashes == ["'sha256-9drQX42/rMuCwOCH/ydXOJ/IpVUloMeSNPc4MfJKROY='"]
    index.write_text("<script>\n  window.x = 2\n</script>")
    assert serve_nginx.inline_script_hashes(index) != hashes
    real = serve_nginx.inline_script_hashes(serve_static.streamlit_static_dir() / "index.html")
    assert len(real) == 1, "Streamlit's index.html changed its inline scripts: check the CSP"


def test_edition_is_served_at_the_front_door_with_its_style_allowed(nginx, tmp_path):
    """Test that with a static edition, / serves it (no redirect) under a CSP that allows only its own scripts and exactly its inline stylesheet."""
    import base64
    import hashlib

    settings = _settings(tmp_path, UPSTREAMS="127.0.0.2:8501")
    settings.edition = tmp_path / "edition"
    settings.edition.mkdir()
    css = "body{color:#000}"
    (settings.edition / "index.html").write_text(f"<style>{css}</style>", encoding="utf-8")
    text = serve.write_config(settings, _upstreams(settings)).read_text()
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    # The edition's policy (chosen per path in the policy map, serve_nginx.document_policies).
    front = next(line for line in text.splitlines()
                 if "style-src 'sha256-" in line and "frame-ancestors 'self'" in line)
    assert f"style-src 'sha256-{digest}'" in front
    # Its own scripts and Pagefind's WebAssembly; no other host, no eval() of JavaScript.
    assert "script-src 'self' 'wasm-unsafe-eval';" in front and "'unsafe-eval'" not in front
    assert "return 302 /app/" not in text
    assert (settings.edition / "index.html.gz").is_file()
    with pytest.raises(SystemExit, match="make edition"):
        settings.edition = tmp_path / "missing"
        serve.write_config(settings, _upstreams(settings))


def test_every_location_sends_the_document_headers_chosen_in_one_table(nginx, tmp_path):
    """Test that every location of the config adds the policy headers (nginx drops inherited ones in a location with its own), and that their values come from the one table, /embed/ first."""
    settings = _settings(tmp_path, UPSTREAMS="127.0.0.2:8501")
    text = serve.write_config(settings, _upstreams(settings)).read_text()
    server = text.split("server_name localhost")[1]
    assert server.count('add_header X-Content-Type-Options "nosniff" always;') == \
        server.count("add_header Content-Security-Policy $nexi_content_security_policy always;")
    for header in ("Content-Security-Policy", "Referrer-Policy", "Cross-Origin-Opener-Policy"):
        var = "$nexi_" + header.lower().replace("-", "_")
        block = text.split(f'map "$nexi_html:$uri" {var} {{')[1].split("}")[0]
        prefixes = re.findall(r'"~\^1:(\S+)"', block)
        assert prefixes == ["/embed/", "/app/", "/"], prefixes
    csp_block = text.split("$nexi_content_security_policy {")[1].split("}")[0]
    assert csp_block.count("frame-ancestors *") == 1 and "~^1:/embed/\" \"" in csp_block


def test_replica_cookie_values_are_signed_with_the_secret():
    """Test that a replica's cookie value carries an HMAC under the cookie secret: fixed for one secret, different under another, never the bare name."""
    one = serve_nginx.replica_cookies(["r0", "r1"], "secret-one")
    assert one == serve_nginx.replica_cookies(["r0", "r1"], "secret-one")
    assert one["r0"] != serve_nginx.replica_cookies(["r0"], "secret-two")["r0"]
    assert all(re.fullmatch(rf"{n}\.[0-9a-f]{{24}}", v) for n, v in one.items())


def test_host_names_and_trusted_proxies_are_read_and_checked(nginx, tmp_path):
    """Test that SERVER_NAMES (default: NEXI_SITE_URL's host) and TRUSTED_PROXIES reach the config, and a malformed one stops the start naming it."""
    s = serve.Settings.from_env({"NEXI_SITE_URL": "https://nexi.example.jp"})
    assert s.hosts == ["nexi.example.jp", "localhost", "127.0.0.1"] and s.trusted_proxies == []
    settings = _settings(tmp_path, UPSTREAMS="127.0.0.2:8501", SERVER_NAMES="a.example,b.example",
                         TRUSTED_PROXIES="10.0.0.0/8,192.0.2.7")
    text = serve.write_config(settings, _upstreams(settings)).read_text()
    assert "server_name a.example b.example localhost 127.0.0.1;" in text
    assert "set_real_ip_from 10.0.0.0/8;" in text and "set_real_ip_from 192.0.2.7;" in text
    assert "default_server" in text and "return 444;" in text
    plain = _settings(tmp_path, UPSTREAMS="127.0.0.2:8501")
    assert "set_real_ip_from" not in serve.write_config(plain, _upstreams(plain)).read_text()
    with pytest.raises(SystemExit, match="not an address"):
        serve.Settings.from_env({"TRUSTED_PROXIES": "10.0.0.0/8,proxy"})
    with pytest.raises(SystemExit, match="not a host name"):
        serve.Settings.from_env({"SERVER_NAMES": "evil.example/x"})


def test_a_replica_marked_down_is_down_in_every_group(nginx, tmp_path):
    """Test that the supervisor's down-marking writes `down` on the replica in the pool and as a backup, and on nothing else."""
    settings = _settings(tmp_path, UPSTREAMS="127.0.0.2:8501,127.0.0.3:8501")
    text = serve.write_config(settings, _upstreams(settings), down={"r0"}).read_text()
    assert text.count("server 127.0.0.2:8501 down") + text.count(
        "server 127.0.0.2:8501 backup down") == 3
    assert "127.0.0.3:8501 down" not in text and "127.0.0.3:8501 backup down" not in text


def _fail_three_times(failing, pid) -> bool:
    verdict = False
    for _ in range(3):
        time.sleep(0.3)
        verdict = failing.failed(pid)
    return verdict


def test_a_stopped_replica_is_judged_stuck_and_a_busy_one_is_not():
    """Test that three failed checks restart a process that used no CPU meanwhile (stopped),
    and not one that kept working (a replica busy with more readers than its core serves)."""
    from nexidash import serve_health

    stopped = subprocess.Popen(["sleep", "30"])
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        os.kill(stopped.pid, signal.SIGSTOP)
        assert _fail_three_times(serve_health.Failing(), stopped.pid) is True
        assert _fail_three_times(serve_health.Failing(), busy.pid) is False
        failing = serve_health.Failing()
        assert [failing.failed(busy.pid) for _ in range(2)] == [False, False]
        failing.answered()
        assert failing.failed(busy.pid) is False, "an answer starts the count again"
    finally:
        for proc in (stopped, busy):
            proc.kill()
            proc.wait()


def test_a_replica_busy_for_a_whole_minute_is_restarted(monkeypatch):
    """Test that a replica failing its checks for BUSY_LIMIT_S is restarted though it works."""
    from nexidash import serve_health

    clock = [1000.0]
    monkeypatch.setattr(serve_health.time, "monotonic", lambda: clock[0])
    cpu = [5.0]
    monkeypatch.setattr(serve_health, "cpu_seconds", lambda pid: cpu[0])
    failing = serve_health.Failing()
    verdicts = []
    for _ in range(8):
        clock[0] += 10
        cpu[0] += 9  # working all along
        verdicts.append(failing.failed(1234))
    assert verdicts == [False] * 6 + [True] * 2  # the 7th check, 60 s after the first
