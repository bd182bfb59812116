"""nginx's side of the stack: its configuration rendered from nginx.conf.j2, with the
document policies (CSP and the rest) by path, the per-client limits and timeouts, the signed
replica cookie, what the proxy writes into Streamlit's HTML shell for each page (language,
title, opening text), and the unprivileged user its workers run as."""

from __future__ import annotations

import functools
import hashlib
import hmac
import html
import os
import pwd
import re
import subprocess
from base64 import b64encode
from pathlib import Path

from . import urls
from .serve_settings import Settings, Upstream, cookie_secret
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
    # The edition's /d/ (CSVs, the workbook, the 8 MB press pack): a reader takes a few files.
    "file_rate": "20r/m", "file_burst": 20, "file_conns_per_client": 4,
}
# How long nginx waits on a replica. A replica answers a page's shell, its health and its
# media files in milliseconds; one that has accepted the connection and says nothing for a
# second is stuck, and the request goes to another (the target: no reader waits 2 s on a
# stopped replica). A WebSocket is quiet while its reader reads; the replica pings it every
# WS_PING_S seconds, so a tunnel silent for three pings is a stuck replica's.
WS_PING_S = 10
TIMEOUTS = {"connect": "1s", "page": "1s", "media": "1500ms", "socket": f"{3 * WS_PING_S}s"}
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
               "base-uri 'none'; form-action 'self'; frame-ancestors {frame_ancestors}")
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {script_hashes}; "
       "style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "worker-src 'self' blob:; frame-src 'none'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'self'; manifest-src 'self'")


PERMISSIONS = "camera=(), microphone=(), geolocation=()"


def document_policies(app_csp: str, edition_csp: str, embed_csp: str) -> list[tuple[str, dict]]:
    """Where each HTML response's policy headers are chosen: the first path prefix that
    matches wins, so the longest comes first. Every HTML response gets one (a page, the
    edition, nginx's own 404 and 429 pages); other responses get none.

    /embed/ is the one place another site may frame (frame-ancestors *): its pages are made
    to be embedded. The app frames nothing and is framed by nothing but itself.
    """
    common = {"Cross-Origin-Opener-Policy": "same-origin", "Permissions-Policy": PERMISSIONS}
    return [
        (urls.EMBED, {"Content-Security-Policy": embed_csp,
                     "Referrer-Policy": "strict-origin-when-cross-origin", **common}),
        (f"{BASE}/", {"Content-Security-Policy": app_csp, "Referrer-Policy": "same-origin",
                      **common}),
        ("/", {"Content-Security-Policy": edition_csp,
               "Referrer-Policy": "strict-origin-when-cross-origin", **common}),
    ]


def policy_maps(policies: list[tuple[str, dict]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The policies as nginx maps: per header, (path prefix regex, value) in order."""
    headers = list(dict.fromkeys(h for _, p in policies for h in p))
    return [(h, [(re.escape(prefix), p[h]) for prefix, p in policies
                 if h in p]) for h in headers]


def replica_cookies(names: list[str], secret: str) -> dict[str, str]:
    """The nexi_replica cookie's value for each replica: its name and an HMAC of it under the
    cookie secret. nginx cannot compute an HMAC, but the values are few and fixed, so they are
    computed here and nginx matches them exactly."""
    return {n: n + "." + hmac.new(secret.encode(), f"nexi_replica:{n}".encode(),
                                  hashlib.sha256).hexdigest()[:24] for n in names}


def _nginx_html(text: str) -> str:
    """Text as HTML that can sit in a double-quoted nginx string: no quote, backslash or $."""
    return html.escape(text, quote=True).replace("\\", "&#92;").replace("$", "&#36;")


def _nginx_single_quoted(text: str) -> str:
    """A constant that goes into a single-quoted nginx string as it is (sub_filter would read
    a $ as a variable)."""
    if any(c in text for c in "'$\\"):
        raise ValueError(f"not for a single-quoted nginx string: {text[:80]}")
    return text


def page_heads() -> list[dict]:
    """Per page and language, what the proxy writes into Streamlit's HTML shell.

    The shell is the same for every page: lang="en", the title "Streamlit", and an empty root
    that stays blank until several hundred kilobytes of JavaScript have run and the WebSocket
    has brought the page (seven seconds and more on a phone on slow 4G). nginx puts in the
    page's language, title and description, its heading and opening paragraph, shown until
    the app has drawn the page's own heading, and the room its default view holds for what
    Streamlit draws late. The text is the app's own, from the i18n catalogues. Made once per
    database file: the supervisor rewrites the config whenever a replica leaves or rejoins.
    """
    from . import db

    return _page_heads(db.generation())


@functools.lru_cache(maxsize=2)
def _page_heads(generation: tuple) -> list[dict]:
    from . import export, i18n, site

    year = export.report_year()
    out = []
    for page in site.PAGES:
        for lang in i18n.LANGS:
            title = page_text(lang, page.title_key)
            intro = page_text(lang, page.intro_key)
            head = (f"<title>{_nginx_html(site.tab_title(lang, page, year))}</title>"
                    f"<meta name='description' content='{_nginx_html(intro)}'>"
                    + _room(page, lang))
            # One block, hidden from screen readers (the page itself follows at once): the
            # heading and the paragraph together are the largest text a phone shows first.
            preview = (f"<div id='nexi-preview' aria-hidden='true'><p><b>{_nginx_html(title)}"
                       f"</b><br>{_nginx_html(intro)}</p></div>")
            paths_ = [page.path] + ([""] if page == site.DEFAULT_PAGE else [])
            for path in paths_:
                out.append({"key": f"{path}:{lang}", "head": head, "preview": preview})
    return out


def _room(page, lang: str) -> str:
    """The room the page's default view holds (room.reserved_space), so it holds from the
    first paint: the app's own copy comes in an st.html element, whose code Streamlit loads
    late. A view with other heights (another year) gets its own when the app's copy comes."""
    from . import room
    from .view import View

    css = room.reserved_space(page.load().build(View(lang)), lambda c: c.widget_key(page.path))
    if any(c in css for c in "\"$\\"):
        raise ValueError(f"not for a double-quoted nginx string: {css[:80]}")
    return css


def page_text(lang: str, key: str) -> str:
    """A page's title or opening text as the page shows it: a text naming the report's year
    takes it as {year} or {fy} (the latest year of the report's printed totals)."""
    from . import export, site

    return site.text(lang, key, export.report_year())


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


def run_as_user(name: str | None) -> pwd.struct_passwd | None:
    """As root, the unprivileged system user that nginx's workers and the replicas run as,
    created when missing. None when not root (everything then runs as whoever started it)."""
    if os.geteuid() != 0 or not name:
        return None
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    made = subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                           "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name],
                          capture_output=True, text=True)
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise SystemExit(f"could not create the user {name}: {made.stderr.strip()}") from None


def let_reach(path: Path) -> None:
    """Let every user reach path: search (x, not read) permission on each folder above it that
    lacks it. Only the path is then reachable, nothing in those folders can be listed. A
    private temporary folder (a test's, mode 0700) otherwise hides the files from the
    unprivileged workers and replicas."""
    path = path.resolve()
    for folder in [path, *path.parents] if path.is_dir() else path.parents:
        mode = folder.stat().st_mode
        if not mode & 0o001:
            folder.chmod(mode | 0o001)


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
                  app_static: Path, edition: Path | None = None, down=()) -> str:
    from jinja2 import Environment, StrictUndefined

    from . import i18n

    env = Environment(undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    modules = brotli_modules()
    hashes = " ".join(inline_script_hashes(streamlit_static / "index.html"))
    user = run_as_user(settings.run_as)
    for folder in (streamlit_static, app_static, edition):
        if user and folder is not None:
            let_reach(folder)
    csp = EDITION_CSP.replace("{style_hashes}", " ".join(inline_style_hashes(edition))
                              if edition else "'none'")
    policies = document_policies(
        CSP.format(script_hashes=hashes), csp.replace("{frame_ancestors}", "'self'"),
        csp.replace("{frame_ancestors}", "*"))
    from . import appstyle, site

    page_paths = ["", *(p.path for p in site.PAGES)]
    cookies = replica_cookies([u.name for u in upstreams], cookie_secret(settings.var))
    return template.render(
        var=settings.var / "nginx", modules=modules, brotli=bool(modules),
        user=f"{user.pw_name} {_group_name(user.pw_gid)}" if user else None,
        hosts=settings.hosts, trusted_proxies=settings.trusted_proxies,
        policy_maps=policy_maps(policies), page_paths=page_paths, cookies=cookies,
        timeouts=TIMEOUTS, ws_ping=WS_PING_S, down=set(down),
        upstreams=upstreams, base=BASE, listen=f"{settings.listen_host}:{settings.port}",
        streamlit_static=streamlit_static, app_static=app_static, limits=LIMITS,
        limit_exempt=settings.limit_exempt, fail_timeout=FAIL_TIMEOUT,
        heads=page_heads() if settings.page_heads else [], default_lang=i18n.DEFAULT_LANG,
        langs=i18n.LANGS, edition=edition, app_css=_nginx_single_quoted(appstyle.css()))


def _group_name(gid: int) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def prepare_folders(settings: Settings) -> tuple[Path, Path, Path | None]:
    """The folders nginx serves: Streamlit's static files, ours, and the edition."""
    return prepare_streamlit_static(), prepare_app_static(), prepare_edition(settings)


def write_config(settings: Settings, upstreams: list[Upstream], down=(),
                 folders: tuple | None = None) -> Path:
    """Prepare the static folders (unless given) and write var/nginx/nginx.conf; nginx -t must
    accept it. Replicas named in down are marked down (their health checks fail)."""
    nginx_var = settings.var / "nginx"
    for sub in ("logs", "tmp"):
        (nginx_var / sub).mkdir(parents=True, exist_ok=True)
    streamlit_static, app_static, edition = folders or prepare_folders(settings)
    conf = nginx_var / "nginx.conf"
    text = render_config(settings, upstreams, streamlit_static, app_static, edition, down)
    tmp = conf.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(conf)
    check = subprocess.run([NGINX, "-t", "-q", "-p", str(nginx_var), "-c", str(conf)],
                           capture_output=True, text=True)
    if check.returncode != 0:
        raise SystemExit(f"nginx rejected {conf}:\n{check.stderr.strip()}")
    return conf
