#!/usr/bin/env bash
# Debian packages the hall needs: `demo` (voice) or `test` (voice, browser, PostgreSQL, audio tools).
# Installs only what is missing; needs root (or sudo).
set -euo pipefail
want=(espeak-ng)
if [ "${1:-demo}" = "test" ]; then
  want+=(chromium postgresql alsa-utils sox)
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
