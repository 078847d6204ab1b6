#!/usr/bin/env bash
# Runs every test of the solution on a fresh machine: installs and starts the services the tests talk to
# (each scripts/services/*.sh: MariaDB, Redis, Chromium, Node.js, curl and Python) where they are missing, then runs dotnet test and
# prints "N passed, N failed". Extra arguments go to dotnet test (e.g. --filter Name~Stream).
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
state_dir="${CANDY_TEST_STATE:-$PWD/artifacts/services}"
mkdir -p "$state_dir"
export CANDY_TEST_STATE="$state_dir"

rm -f "$state_dir/env.sh"
for service in scripts/services/*.sh; do
  [ -e "$service" ] || continue
  # Each service script installs what is missing, starts the service and appends its settings to env.sh.
  bash "$service" "$state_dir"
done
if [ -f "$state_dir/env.sh" ]; then
  # shellcheck disable=SC1091
  source "$state_dir/env.sh"
fi

results="$PWD/artifacts/test-results"
rm -rf "$results"
status=0
dotnet test CandyPack.sln -c Release --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" || status=$?

trx=$(find "$results" -name '*.trx' 2>/dev/null | head -n 1)
if [ -n "$trx" ]; then
  passed=$(grep -o 'passed="[0-9]*"' "$trx" | head -n 1 | tr -dc '0-9')
  failed=$(grep -o 'failed="[0-9]*"' "$trx" | head -n 1 | tr -dc '0-9')
  echo "${passed:-0} passed, ${failed:-0} failed"
else
  echo "0 passed, 1 failed"
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
