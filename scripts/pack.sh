#!/usr/bin/env bash
# Packs what a user installs into one local folder (a NuGet feed): CandyPack.Framework (candy.js inside),
# CandyPack.Client (the .NET client of its streams), CandyPack.Tool (the `candy` command), CandyPack.Templates
# (`dotnet new candypack`) and CandyPack.Testing (a site's tests project, `dotnet new candypack --tests`).
#   scripts/pack.sh [out-folder, default artifacts/packages] [extra dotnet pack arguments, e.g. -p:Version=0.2.0]
set -euo pipefail
out="${1:-artifacts/packages}"
shift || true
cd "$(dirname "$0")/.."
mkdir -p "$out"
for project in CandyPack.Framework/CandyPack.Framework.csproj CandyPack.Client/CandyPack.Client.csproj CandyPack.Host/CandyPack.Host.csproj templates/CandyPack.Templates.csproj CandyPack.Testing/CandyPack.Testing.csproj; do
  dotnet pack "$project" -c Release -o "$out" --nologo -v:q "$@"
done
