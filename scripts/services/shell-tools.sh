#!/usr/bin/env bash
# curl and Python 3 for the tests that run the README's commands as written (the server API's curl line and its
# standard-library Python publisher): installs Debian's curl and python3 with apt when missing and appends
# CANDY_TEST_PYTHON to <state_dir>/env.sh.
set -euo pipefail
state_dir="${1:?usage: shell-tools.sh <state_dir>}"
mkdir -p "$state_dir"

missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "shell-tools.sh: installing ${missing[*]} with apt"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python_path="$(command -v python3)"
echo "shell-tools.sh: using $python_path ($("$python_path" --version 2>&1)) and $(command -v curl)"
echo "export CANDY_TEST_PYTHON=$python_path" >> "$state_dir/env.sh"
