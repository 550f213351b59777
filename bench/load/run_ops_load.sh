#!/usr/bin/env bash
# The operations channel under load (issue 13), on loopback against the local upstream simulator:
#   1. scenario b of run_serve_load.sh (1000 calculations of 365 days, 50 in flight) alone;
#   2. the same with 2,000 subscribers on /ws/events (every topic) for its whole run: their
#      publish-to-receive delivery latency, gaps, and the POST p99 against run 1;
#   3. what the live statistics cost an idle server: its CPU over 30 s with no subscriber, then
#      with one (system_stats every 2 s, volume and sources every 10 s), from /proc.
# Usage: bench/load/run_ops_load.sh [BUILD_DIR=build/release] (targets evapo, evapo-upstream-sim,
# evapo_serve_load). RUNS=3 repeats 1 and 2.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
runs=${RUNS:-1}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

chrt --idle 0 "$build/tools/upstream_simulator/evapo-upstream-sim" --port 0 --threads 2 > "$work/sim.out" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/sim.out" ] && break; sleep 0.1; done
sim_url="http://127.0.0.1:$(head -1 "$work/sim.out")"

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
stop_serve() { kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
post_p99() { grep -o 'p99 [0-9.]*' "$1" | head -1 | cut -d' ' -f2; }

for run in $(seq "$runs"); do
  echo "== run $run: scenario b alone"
  start_serve "alone-$run"
  "$build/bench/load/evapo_serve_load" post "$port" 1000 50 365 | tee "$work/alone-$run.txt"
  stop_serve

  echo "== run $run: scenario b with 2,000 subscribers on /ws/events"
  start_serve "ops-$run"
  "$build/bench/load/evapo_serve_load" ops "$port" 2000 900 > "$work/subscribers-$run.txt" &
  ops_pid=$!
  pids+=($ops_pid)
  for _ in $(seq 600); do grep -q subscribed "$work/subscribers-$run.txt" 2>/dev/null && break; sleep 0.1; done
  cat "$work/subscribers-$run.txt"
  "$build/bench/load/evapo_serve_load" post "$port" 1000 50 365 | tee "$work/with-$run.txt"
  kill -TERM "$ops_pid"; wait "$ops_pid" || true
  tail -n +2 "$work/subscribers-$run.txt"
  stop_serve
  awk -v a="$(post_p99 "$work/alone-$run.txt")" -v b="$(post_p99 "$work/with-$run.txt")" \
    'BEGIN { printf "POST p99 alone %.3f ms, with 2,000 subscribers %.3f ms: %+.1f %%\n", a, b, 100 * (b - a) / a }'
done

echo "== what the live statistics cost an idle server"
start_serve idle
hz=$(getconf CLK_TCK)
sleep 3
t0=$(cpu_ticks "$serve_pid"); sleep 30; t1=$(cpu_ticks "$serve_pid")
"$build/bench/load/evapo_serve_load" ops "$port" 1 40 > "$work/one.txt" &
one_pid=$!
pids+=($one_pid)
for _ in $(seq 100); do grep -q subscribed "$work/one.txt" 2>/dev/null && break; sleep 0.1; done
t2=$(cpu_ticks "$serve_pid"); sleep 30; t3=$(cpu_ticks "$serve_pid")
kill -TERM "$one_pid"; wait "$one_pid" || true
awk -v hz="$hz" -v a="$((t1 - t0))" -v b="$((t3 - t2))" 'BEGIN {
  printf "idle server CPU: no subscriber %.2f %% of a core, one subscriber %.2f %% (30 s each, /proc ticks of 1/%d s)\n", 100 * a / hz / 30, 100 * b / hz / 30, hz }'
tail -n +2 "$work/one.txt"
