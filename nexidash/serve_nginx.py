"""nginx's side of the stack: its configuration rendered from nginx.conf.j2, with the
Content-Security-Policy of the app and of the static edition, the per-client limits, what the
proxy writes into Streamlit's HTML shell for each page (language, title, opening text), and the
unprivileged user its workers run as."""

from __future__ import annotations

import html
import hashlib
import os
import pwd
import re
import subprocess
from base64 import b64encode
from pathlib import Path

from . import paths, urls
from .serve_settings import Settings, Upstream
from .serve_static import precompress, prepare_app_static, prepare_streamlit_static


BASE = urls.APP
NGINX = "/usr/sbin/nginx"
NGINX_MODULES = Path("/usr/lib/nginx/modules")
BROTLI_MODULES = ["ngx_http_brotli_filter_module.so", "ngx_http_brotli_static_module.so"]
TEMPLATE = Path(__file__).with_name("nginx.conf.j2")
# How long nginx skips a replica that failed to answer before trying it again.
FAIL_TIMEOUT = "5s"
LIMITS = {
    # A reader opens one WebSocket per tab and reconnects now and then; a page offers a few
    # downloads. These allow ten times that before answering 429.
    "handshake_rate": "30r/m", "handshake_burst": 40,
    "download_rate": "60r/m", "download_burst": 60,
    "sockets_per_client": 60,
}
# What the app needs and nothing more. Streamlit and Plotly set inline styles and style tags
# ('unsafe-inline' for styles only); scripts come from this server, plus the one inline
# script of Streamlit's index.html, allowed by its hash (computed from the installed file).
# 'wasm-unsafe-eval' lets the protobuf bundle's 64-bit integer library compile its tiny
# WebAssembly helper (it falls back to JavaScript, but the refusal is a logged violation);
# it allows WebAssembly only, never eval() of JavaScript.
# The static edition runs scripts of its own only (/c/marks-*.js on chart pages, /c/search-*.js
# and Pagefind's /pagefind/ on the search pages: script-src 'self'). Pagefind compiles its
# WebAssembly search; without 'wasm-unsafe-eval' Chromium refuses it ("Failed to load the
# Pagefind WASM: CompileError ... violates ... script-src") and search finds nothing. It allows
# WebAssembly only, never eval() of JavaScript. form-action 'self': the header's search box
# sends its words to the search page. Its one stylesheet is inline, allowed by its hash.
# connect-src 'self' lets a crawler's tools (Lighthouse's robots.txt check) fetch from the page.
EDITION_CSP = ("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; "
               "style-src {style_hashes}; "
               "img-src 'self' data:; "
               "connect-src 'self'; "
               "base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {script_hashes}; "
       "style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "worker-src 'self' blob:; frame-src 'none'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'self'; manifest-src 'self'")


def _nginx_html(text: str) -> str:
    """Text as HTML that can sit in a double-quoted nginx string: no quote, backslash or $."""
    return html.escape(text, quote=True).replace("\\", "&#92;").replace("$", "&#36;")


def page_heads() -> list[dict]:
    """Per page and language, what the proxy writes into Streamlit's HTML shell.

    The shell is the same for every page: lang="en", the title "Streamlit", and an empty root
    that stays blank until several hundred kilobytes of JavaScript have run and the WebSocket
    has brought the page (seven seconds and more on a phone on slow 4G). nginx puts in the
    page's language, title and description, and its heading and opening paragraph, shown until
    the app has drawn the page's own heading. The text is the app's own, from the i18n
    catalogues.
    """
    from . import i18n, site

    out = []
    for page in site.PAGES:
        for lang in i18n.LANGS:
            title = page_text(lang, page.title_key)
            intro = page_text(lang, page.intro_key)
            name = page_text(lang, "site.name")
            head = (f"<title>{_nginx_html(f'{title} | {name}')}</title>"
                    f"<meta name='description' content='{_nginx_html(intro)}'>")
            # One block, hidden from screen readers (the page itself follows at once): the
            # heading and the paragraph together are the largest text a phone shows first.
            preview = (f"<div id='nexi-preview' aria-hidden='true'><p><b>{_nginx_html(title)}"
                       f"</b><br>{_nginx_html(intro)}</p></div>")
            paths_ = [page.path] + ([""] if page == site.DEFAULT_PAGE else [])
            for path in paths_:
                out.append({"key": f"{path}:{lang}", "head": head, "preview": preview})
    return out


def page_text(lang: str, key: str) -> str:
    """A page's title or opening text as the page shows it: a text naming the report's year
    takes it as {year} or {fy} (the latest year of the report's printed totals)."""
    from . import export, i18n

    year = export.report_year()
    return i18n.translate(lang, key, year=year, fy=i18n.translate(lang, "ui.fy", year=year))


def inline_script_hashes(index_html: Path) -> list[str]:
    """CSP hashes of the inline scripts in Streamlit's index.html, so they run and no other."""
    html = index_html.read_text(encoding="utf-8")
    bodies = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    return [f"'sha256-{b64encode(hashlib.sha256(b.encode()).digest()).decode()}'"
            for b in bodies]


# --------------------------------------------------------------------------------------------
# nginx's configuration
# --------------------------------------------------------------------------------------------

def brotli_modules() -> list[str]:
    found = [str(NGINX_MODULES / m) for m in BROTLI_MODULES if (NGINX_MODULES / m).exists()]
    return found if len(found) == len(BROTLI_MODULES) else []


def worker_user() -> str | None:
    """As root, nginx's workers run as the checkout's owner (they read its static files)."""
    if os.geteuid() != 0:
        return None
    st = paths.ROOT.stat()
    try:
        return f"{pwd.getpwuid(st.st_uid).pw_name} {_group_name(st.st_gid)}"
    except KeyError:
        return "root root"


def _group_name(gid: int) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def inline_style_hashes(folder: Path) -> list[str]:
    """The CSP source of each distinct inline stylesheet in the edition's pages."""
    found = set()
    for page in sorted(folder.rglob("*.html")):
        for css in re.findall(r"<style>(.*?)</style>", page.read_text(encoding="utf-8"), re.S):
            digest = hashlib.sha256(css.encode("utf-8")).digest()
            found.add("'sha256-" + b64encode(digest).decode() + "'")
    return sorted(found)


def prepare_edition(settings: Settings) -> Path | None:
    """The static edition, precompressed; None when this stack serves none."""
    if settings.edition is None:
        return None
    index = settings.edition / "index.html"
    if not index.is_file():
        raise SystemExit(f"No static edition in {settings.edition}: run `make edition`.")
    precompress(settings.edition)
    return settings.edition


def render_config(settings: Settings, upstreams: list[Upstream], streamlit_static: Path,
                  app_static: Path, edition: Path | None = None) -> str:
    from jinja2 import Environment, StrictUndefined

    from . import i18n

    env = Environment(undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    modules = brotli_modules()
    hashes = " ".join(inline_script_hashes(streamlit_static / "index.html"))
    return template.render(
        var=settings.var / "nginx", user=worker_user(), modules=modules, brotli=bool(modules),
        upstreams=upstreams, base=BASE, listen=f"{settings.listen_host}:{settings.port}",
        streamlit_static=streamlit_static, app_static=app_static, limits=LIMITS,
        limit_exempt=settings.limit_exempt, fail_timeout=FAIL_TIMEOUT,
        csp=CSP.format(script_hashes=hashes),
        heads=page_heads() if settings.page_heads else [], default_lang=i18n.DEFAULT_LANG,
        langs=i18n.LANGS, edition=edition,
        edition_csp=EDITION_CSP.format(
            style_hashes=" ".join(inline_style_hashes(edition)) if edition else "'none'"))


def write_config(settings: Settings, upstreams: list[Upstream]) -> Path:
    """Prepare the static folders and write var/nginx/nginx.conf; nginx -t must accept it."""
    nginx_var = settings.var / "nginx"
    for sub in ("logs", "tmp"):
        (nginx_var / sub).mkdir(parents=True, exist_ok=True)
    streamlit_static = prepare_streamlit_static()
    app_static = prepare_app_static()
    edition = prepare_edition(settings)
    conf = nginx_var / "nginx.conf"
    conf.write_text(render_config(settings, upstreams, streamlit_static, app_static, edition),
                    encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-q", "-p", str(nginx_var), "-c", str(conf)],
                           capture_output=True, text=True)
    if check.returncode != 0:
        raise SystemExit(f"nginx rejected {conf}:\n{check.stderr.strip()}")
    return conf
