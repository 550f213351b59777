#!/usr/bin/env bash
# Installs everything evapo needs to build, run and test on Debian 12 (as root or with sudo).
# Idempotent: packages already present are skipped by apt-get; npm ci reuses the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libboost1.81-dev libcurl4-openssl-dev nlohmann-json3-dev libsqlite3-dev libpq-dev
  libhiredis-dev libspdlog-dev libfmt-dev libcli11-dev libexpected-dev zlib1g-dev libssl-dev
  libhowardhinnant-date-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  redis-server postgresql
  clang libclang-rt-14-dev clang-tidy clang-format gcovr python3 python3-pandas
  nodejs npm chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  # nodejs/npm may already come from elsewhere on the machine; do not replace a working Node 20.
  if command -v node >/dev/null && command -v npm >/dev/null; then
    filtered=()
    for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
    missing=("${filtered[@]}")
  fi
fi
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -f web/package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
