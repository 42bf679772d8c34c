#!/usr/bin/env bash
# Installs Chromium (the Debian package, /usr/bin/chromium) for the browser test of the
# review page (tests/it/html.rs). Does nothing when a chromium is already on the machine.
set -euo pipefail

for candidate in /usr/bin/chromium "$(command -v chromium 2>/dev/null || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
        echo "install-chromium: $candidate is present, nothing to do"
        exit 0
    fi
done

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium: apt-get not found; install Chromium by hand (the browser test skips without it)" >&2
    exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "install-chromium: not root and no sudo; cannot install Chromium" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
echo "install-chromium: apt-get update"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
echo "install-chromium: apt-get install -y --no-install-recommends chromium"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
echo "install-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium) in $(( $(date +%s) - start )) s"
