#!/usr/bin/env bash
# Issue 14's upload benchmark: a 10-year hourly station file through a real `evapo serve` on
# loopback (upload -> stored -> ETo results), the parse + validate rate, the server's peak memory
# during the upload, and pandas reading the same file. Usage:
#   bench/upload/run_upload_bench.sh [BUILD_DIR=build/release] [YEARS=10]
# (needs the targets evapo and evapo_upload_bench built in BUILD_DIR, and python3-pandas).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
years=${2:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bench/upload/evapo_upload_bench" "$build/apps/evapo/evapo" examples/fallon_hourly_2015.csv "$work" "$years"
