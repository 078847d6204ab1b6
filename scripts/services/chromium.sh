#!/usr/bin/env bash
# Chromium for the browser tests: installs Debian's chromium with apt when it is missing (Playwright drives this
# binary; it never downloads a browser of its own) and appends CANDY_TEST_CHROMIUM to <state_dir>/env.sh.
set -euo pipefail
state_dir="${1:?usage: chromium.sh <state_dir>}"
mkdir -p "$state_dir"

if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium.sh: installing chromium with apt"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

chromium_path="$(command -v chromium)"
if ! "$chromium_path" --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1; then
  echo "chromium.sh: $chromium_path is installed but does not start" >&2
  exit 1
fi

echo "chromium.sh: using $chromium_path"
echo "export CANDY_TEST_CHROMIUM=$chromium_path" >> "$state_dir/env.sh"
