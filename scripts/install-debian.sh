#!/usr/bin/env bash
# What the project needs from Debian, installed only when missing:
#   browser  Debian's Chromium and CJK fonts, for the browser tests and the benchmarks
#            (Playwright's own browser download is not reachable here; without the fonts
#            Japanese text renders as boxes in screenshots and PNG exports)
#   serve    nginx with Debian's brotli modules, the proxy of `make serve`
# Versions are Debian 12's own: the release pins them, and security updates replace them.
set -euo pipefail
want=()
have_fonts() { fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; }
for part in "$@"; do
  case "$part" in
    browser)
      [ -x /usr/bin/chromium ] || want+=(chromium)
      have_fonts || want+=(fonts-noto-cjk fontconfig) ;;
    serve)
      [ -x /usr/sbin/nginx ] || want+=(nginx)
      [ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] \
        || want+=(libnginx-mod-http-brotli-static libnginx-mod-http-brotli-filter) ;;
    *) echo "install-debian.sh: unknown part '$part' (browser, serve)" >&2; exit 2 ;;
  esac
done
[ ${#want[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "These Debian packages are missing and this user cannot install them:" >&2
    echo "  apt-get install ${want[*]}" >&2
    exit 1
  fi
fi
echo "Installing from Debian: ${want[*]}"
# Debian's nginx package starts a system nginx on port 80 when it installs; the project runs its
# own under var/, so package scripts are told not to start services (policy-rc.d, exit 101).
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  made_policy=1
fi
trap '[ -n "$made_policy" ] && $sudo rm -f "$policy"' EXIT
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
for part in "$@"; do
  case "$part" in
    browser) [ -x /usr/bin/chromium ] || { echo "chromium did not install" >&2; exit 1; } ;;
    serve) [ -x /usr/sbin/nginx ] || { echo "nginx did not install" >&2; exit 1; } ;;
  esac
done
