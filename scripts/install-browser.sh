#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (Playwright's own browser download is not reachable here)
# and need CJK fonts, or Japanese text renders as boxes in screenshots and PNG exports.
set -euo pipefail
have_fonts() { fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; }
if [ -x /usr/bin/chromium ] && have_fonts; then exit 0; fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "Chromium or fonts-noto-cjk is missing and this user cannot install them:" >&2
    echo "  apt-get install chromium fonts-noto-cjk" >&2
    exit 1
  fi
fi
echo "Installing Debian's chromium and fonts-noto-cjk for the browser tests..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig >/dev/null
[ -x /usr/bin/chromium ] || { echo "chromium did not install" >&2; exit 1; }
