#!/usr/bin/env bash
# Runs the three `evapo serve` load scenarios on loopback against the local upstream simulator
# and prints the figures. Usage: bench/load/run_serve_load.sh [BUILD_DIR=build/release]
# (needs the targets evapo, evapo-upstream-sim and evapo_serve_load built in BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start_sim() {  # $1: extra simulator args
  # The simulator stands for weather services on other machines: at idle priority it does not
  # take CPU time from the server being measured, as they would not.
  chrt --idle 0 "$build/tools/upstream_simulator/evapo-upstream-sim" --port 0 --threads 2 $1 > "$work/sim.out" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$work/sim.out" ] && break; sleep 0.1; done
  sim_url="http://127.0.0.1:$(head -1 "$work/sim.out")"
}

start_serve() {  # $1: data dir name
  env EVAPO_NASA_POWER_URL="$sim_url" EVAPO_OPEN_METEO_ARCHIVE_URL="$sim_url" \
      EVAPO_OPEN_METEO_FORECAST_URL="$sim_url" EVAPO_MET_NORWAY_URL="$sim_url" EVAPO_NWS_URL="$sim_url" \
      EVAPO_ELEVATION_URL="$sim_url" EVAPO_HTTP_TIMEOUT_MS=600000 EVAPO_RATE_LIMIT_PER_S=0 \
      "$build/apps/evapo/evapo" serve --port 0 --data-dir "$work/$1" > "$work/$1.out" 2>&1 &
  serve_pid=$!
  pids+=($serve_pid)
  for _ in $(seq 100); do grep -q listening "$work/$1.out" 2>/dev/null && break; sleep 0.1; done
  port=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$work/$1.out" | sed 's/.*://')
}

echo "== 1000 calculations of 365 days, 50 in flight"
start_sim ""
start_serve post
"$build/bench/load/evapo_serve_load" post "$port" 1000 50 365

echo "== 50 tasks watched by 2,000 extra WebSocket subscribers (simulator latency 200 ms)"
kill "$serve_pid"; start_sim "--latency-ms 200"; start_serve fanout
"$build/bench/load/evapo_serve_load" fanout "$port" 50 2000

# 20,000 connections need a descriptor limit above 20,000 for the server (about 25 more for its
# listener, databases, timers and downloads). Where the hard limit cannot be raised (a container
# without CAP_SYS_RESOURCE, e.g. 20,000 exactly), hold as many as it allows.
hard_limit=$(ulimit -Hn)
if [ "$hard_limit" = unlimited ] || [ "$hard_limit" -ge 20050 ]; then default_idle=20000; else default_idle=$((hard_limit - 50)); fi
idle=${IDLE_CONNECTIONS:-$default_idle}
echo "== $idle idle WebSocket connections on one running task (simulator latency 10 min)"
kill "$serve_pid"; start_sim "--latency-ms 600000"; start_serve idle
task=$(curl -s -XPOST "127.0.0.1:$port/api/v1/eto/calculations" -H "Content-Type: application/json" \
  -d '{"latitude":10,"longitude":10,"start_date":"2015-01-01","end_date":"2015-12-31"}' | sed 's/.*"task_id":"\([0-9a-f]*\)".*/\1/')
"$build/bench/load/evapo_serve_load" idle "$port" "$serve_pid" "$task" "$idle"
