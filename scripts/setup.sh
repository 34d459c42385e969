#!/usr/bin/env bash
# Sets up a checkout: Debian packages (when run as root on Debian), the Node 24 toolchain, and npm ci.
# Usage: bash scripts/setup.sh   (then `. scripts/toolchain.sh` in your shell before npm commands)
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t packages < <(grep -v '^#' scripts/system-packages.txt | sed '/^$/d')
missing=()
for package in "${packages[@]}"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "setup: please install these system packages (needed for the tests): ${missing[*]}" >&2
  fi
fi

# shellcheck source=scripts/toolchain.sh
. scripts/toolchain.sh
echo "setup: node $(node --version), npm $(npm --version)"
# The Electron binary is downloaded from GitHub; where that is unreachable, install without it.
if [ -n "${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" ] || [ -n "${CI:-}" ]; then export ELECTRON_SKIP_BINARY_DOWNLOAD=1; fi
npm ci --no-audit --no-fund
