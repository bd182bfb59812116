"""The stack's settings, from the environment (the Makefile passes them on), and the replicas
nginx sends readers to."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import paths, settings


@dataclass
class Upstream:
    name: str
    host: str
    port: int

    @property
    def addr(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass
class Settings:
    port: int = 8080
    replicas: int = os.cpu_count() or 1
    upstreams: list[tuple[str, int]] = field(default_factory=list)  # remote replicas
    limit_exempt: list[str] = field(default_factory=list)
    listen_host: str = "0.0.0.0"
    var: Path = paths.ROOT / "var"
    script: str = "app.py"
    first_replica_port: int = 0  # 0: free ports picked at start
    page_heads: bool = True  # write each page's language, title and opening text into the shell
    edition: Path | None = None  # the static edition served at / (make serve: var/edition)
    # Host names nginx answers for; loopback names are always added (the supervisor's and the
    # tests' requests). Any other Host meets the default server, which closes unanswered.
    server_names: list[str] = field(default_factory=list)
    trusted_proxies: list[str] = field(default_factory=list)  # believed for X-Forwarded-*
    run_as: str | None = "nexi"  # as root: the unprivileged user of workers and replicas

    @property
    def hosts(self) -> list[str]:
        return list(dict.fromkeys([*self.server_names, "localhost", "127.0.0.1"]))

    @classmethod
    def from_env(cls, env=None) -> Settings:
        s = cls()
        s.port = int(settings.get("PORT", env) or s.port)
        s.replicas = int(settings.get("REPLICAS", env) or s.replicas)
        s.upstreams = [parse_hostport(x) for x in (settings.get("UPSTREAMS", env) or "").split(",")
                       if x.strip()]
        s.limit_exempt = [x.strip() for x in (settings.get("LIMIT_EXEMPT", env) or "").split(",")
                          if x.strip()]
        s.edition = paths.ROOT / settings.get("NEXI_EDITION", env)
        names = _list(settings.get("SERVER_NAMES", env))
        s.server_names = names or [urlsplit(settings.get("NEXI_SITE_URL", env)).hostname]
        for name in s.server_names:
            if not re.fullmatch(r"[A-Za-z0-9.-]+|\*\.[A-Za-z0-9.-]+", name or ""):
                raise SystemExit(f"SERVER_NAMES: '{name}' is not a host name")
        s.trusted_proxies = _list(settings.get("TRUSTED_PROXIES", env))
        for net in s.trusted_proxies:
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError:
                raise SystemExit(f"TRUSTED_PROXIES: '{net}' is not an address or CIDR") from None
        return s


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


def _list(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def parse_hostport(text: str) -> tuple[str, int]:
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SystemExit(f"UPSTREAMS: '{text}' is not host:port")
    return host, int(port)
