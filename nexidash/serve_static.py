"""The stack's static files: a precompressed copy of Streamlit's static folder (made once per
Streamlit version, under var/www) and the maps' boundaries, each file with a .gz and a .br
beside it so nginx serves compressed files from disk with no CPU per request."""

from __future__ import annotations

import fcntl
import gzip
import io
import logging
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import geo, paths

log = logging.getLogger("nexidash.serve")

WWW = paths.ROOT / "var" / "www"
# Text formats worth compressing; fonts (woff2) and images are compressed already.
COMPRESSIBLE = {".js", ".css", ".html", ".json", ".geojson", ".svg", ".map", ".txt", ".ttf",
                ".csv", ".xml"}

# --------------------------------------------------------------------------------------------
# Static files: a precompressed copy of Streamlit's static folder, and our boundaries
# --------------------------------------------------------------------------------------------

def streamlit_static_dir() -> Path:
    import streamlit

    return Path(streamlit.__file__).parent / "static"


def _compress_one(path: str) -> None:
    """Write path.gz and path.br beside path, unless they already match its contents."""
    import brotli

    src = Path(path)
    data = src.read_bytes()
    # mtime=0 and no file name: the same input always gives the same bytes.
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    _write_if_changed(src.with_name(src.name + ".gz"), buf.getvalue())
    _write_if_changed(src.with_name(src.name + ".br"), brotli.compress(data, quality=11))


def _write_if_changed(target: Path, data: bytes) -> None:
    if target.exists() and target.read_bytes() == data:
        return
    tmp = target.with_name(target.name + f".tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def precompress(folder: Path, workers: int | None = None) -> int:
    """Compress every compressible file under folder in place; returns how many files."""
    files = sorted(str(p) for p in folder.rglob("*")
                   if p.is_file() and p.suffix in COMPRESSIBLE)
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        list(pool.map(_compress_one, files, chunksize=4))
    return len(files)


def prepare_streamlit_static() -> Path:
    """var/www/streamlit-<version>: Streamlit's static folder with .gz/.br, made once.

    It stays in the checkout's var/ whatever the stack's own folder: compressing Streamlit's
    26 MB of JavaScript at brotli's best takes a while, and the result only changes with
    Streamlit's version.
    """
    import streamlit

    target = WWW / f"streamlit-{streamlit.__version__}"
    stamp = target / ".precompressed"
    if stamp.exists():
        return target
    # Two processes may prepare it at once (two stacks, or two test workers): the second waits
    # for the first and then finds it made.
    WWW.mkdir(parents=True, exist_ok=True)
    with open(WWW / f"streamlit-{streamlit.__version__}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.exists():
            return target
        source = streamlit_static_dir()
        tmp = target.with_name(target.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(source, tmp)
        count = precompress(tmp)
        (tmp / ".precompressed").write_text(f"{count} files\n")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    log.info("precompressed %d files of Streamlit %s's static folder", count,
             streamlit.__version__)
    return target


def prepare_app_static() -> Path:
    """static/: the boundaries the maps fetch, published now rather than on a first page view."""
    folder = geo.publish_all()
    precompress(folder)
    return folder


if __name__ == "__main__":
    # `make test` prepares both before the suite, as it builds the database: set-up, made once.
    print(prepare_streamlit_static())
    print(prepare_app_static())
