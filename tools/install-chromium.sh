#!/usr/bin/env bash
# Install Debian's Chromium for the report rendering test (issue 7), when it is missing.
# Needs root and apt-get; elsewhere it says what to do and leaves the test to skip.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium (Debian package) for the report test" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "chromium is missing; install it (Debian: apt-get install chromium) to run the report test" >&2
fi
