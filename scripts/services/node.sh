#!/usr/bin/env bash
# Node.js for the JavaScript client's tests: installs Debian's nodejs and npm with apt when missing, then installs the
# client package's locked dev dependencies (esbuild, React, uPlot) with `npm ci` when clients/js/package-lock.json
# changed since the last install. The tests bundle a React page with esbuild from there.
set -euo pipefail
state_dir="${1:?usage: node.sh <state_dir>}"
package="$(cd "$(dirname "$0")/../../clients/js" && pwd)"

if ! command -v npm >/dev/null 2>&1; then
  echo "node.sh: installing nodejs and npm with apt"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

# npm ci leaves node_modules/.package-lock.json behind; when it is newer than the lock file, nothing changed.
if [ ! -f "$package/node_modules/.package-lock.json" ] || [ "$package/package-lock.json" -nt "$package/node_modules/.package-lock.json" ]; then
  echo "node.sh: npm ci in $package"
  (cd "$package" && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "node.sh: using $(command -v node) $(node --version)"
echo "export CANDY_TEST_CLIENT_PACKAGE=$package" >> "$state_dir/env.sh"
