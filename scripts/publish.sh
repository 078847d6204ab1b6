#!/usr/bin/env bash
# Publishes the host and one site for production: <out>/host runs, <out>/site is served with --no-build.
# The Dockerfile runs exactly this; so does the test that checks a published host serves.
#   scripts/publish.sh <site-folder> <out-folder>
set -euo pipefail
site="${1:?usage: scripts/publish.sh <site-folder> <out-folder>}"
out="${2:?usage: scripts/publish.sh <site-folder> <out-folder>}"
cd "$(dirname "$0")/.."
dotnet publish CandyPack.Host/CandyPack.Host.csproj -c Release -o "$out/host" --nologo -v:q
dotnet publish "$site" -c Release -o "$out/site" --nologo -v:q
