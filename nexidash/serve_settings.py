"""The stack's settings, from the environment (the Makefile passes them on), and the replicas
nginx sends readers to."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

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
        return s


def parse_hostport(text: str) -> tuple[str, int]:
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SystemExit(f"UPSTREAMS: '{text}' is not host:port")
    return host, int(port)
