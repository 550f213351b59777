#!/usr/bin/env bash
# The cluster against the embedded server, on loopback, with the upstream simulator at 200 ms of
# latency (remote services): one command for the figures of issue 12 section 6.
#   bench/load/run_cluster_load.sh [BUILD_DIR=build/release]
# (needs evapo, evapo-upstream-sim and evapo_serve_load built in BUILD_DIR; redis-server and
# PostgreSQL from Debian, which scripts/cluster installs when missing). Prints:
#   b) 1000 calculations of 365 days, 50 in flight: embedded, then one serve node of the cluster
#      (POST latency, tasks/s, tasks missing any event) and CPU per calculation from /proc;
#   c) 50 tasks watched by 2,000 extra WebSockets split over the two serve nodes;
#   tasks/s with 1, 2 and 3 workers.
# TASKS (1000) and SCALE_TASKS (300, at most 10000) shorten the runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
tasks=${TASKS:-1000}
scale_tasks=${SCALE_TASKS:-300}
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cluster_dir="$work/cluster"
cleanup() {
  [ ! -d "$cluster_dir/pids" ] || scripts/cluster down "$cluster_dir" >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ticks_per_s=$(getconf CLK_TCK)

# CPU seconds (user + system) used so far by the given pids.
cpu_s() {
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  awk -v t="$total" -v hz="$ticks_per_s" 'BEGIN { printf "%.3f", t / hz }'
}
pid_alive() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}
children() { ps -o pid= --ppid "$1" | tr '\n' ' '; }
# Other work on the machine changes latency and tasks/s (not the CPU per calculation): shown.
load_average() { echo "machine load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)"; }
per_task_ms() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.2f", (b - a) * 1000 / n }'; }

chrt --idle 0 "$build/tools/upstream_simulator/evapo-upstream-sim" --port 0 --threads 2 \
  --latency-ms 200 >"$work/sim.out" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/sim.out" ] && break; sleep 0.1; done
sim_url="http://127.0.0.1:$(head -1 "$work/sim.out")"
for v in NASA_POWER OPEN_METEO_ARCHIVE OPEN_METEO_FORECAST MET_NORWAY NWS ELEVATION; do
  export "EVAPO_${v}_URL=$sim_url"
done
export EVAPO_HTTP_TIMEOUT_MS=600000 EVAPO_RATE_LIMIT_PER_S=0

echo "== b) embedded: $tasks calculations of 365 days, 50 in flight"
load_average
"$build/apps/evapo/evapo" serve --port 0 --data-dir "$work/embedded" >"$work/embedded.out" 2>&1 &
serve_pid=$!
pids+=($serve_pid)
for _ in $(seq 100); do grep -q listening "$work/embedded.out" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$work/embedded.out" | sed 's/.*://')
before=$(cpu_s "$serve_pid")
"$build/bench/load/evapo_serve_load" post "$port" "$tasks" 50 365
after=$(cpu_s "$serve_pid")
echo "CPU of evapo serve: $(per_task_ms "$before" "$after" "$tasks") ms per calculation"
kill "$serve_pid"

echo "== b) cluster (2 serve nodes, 3 workers, Redis, PostgreSQL): the same run on serve-1"
load_average
EVAPO_BIN="$build/apps/evapo/evapo" EVAPO_CLUSTER_REDIS_PORT=16390 EVAPO_CLUSTER_POSTGRES_PORT=15440 \
  EVAPO_CLUSTER_SERVE_PORT=18001 scripts/cluster up "$cluster_dir" >"$work/cluster_up.out"
pid_of() { cat "$cluster_dir/pids/$1.pid"; }
urls=$(grep EVAPO_NODE_URLS "$cluster_dir/cluster.env" | cut -d= -f2)
port1=$(echo "$urls" | cut -d, -f1 | sed 's/.*://')
port2=$(echo "$urls" | cut -d, -f2 | sed 's/.*://')
evapo_pids="$(pid_of serve-1) $(pid_of serve-2) $(pid_of worker-1) $(pid_of worker-2) $(pid_of worker-3)"
store_pids="$(pid_of redis) $(pid_of postgres) $(children "$(pid_of postgres)")"
before=$(cpu_s $evapo_pids)
store_before=$(cpu_s $store_pids)
"$build/bench/load/evapo_serve_load" post "$port1" "$tasks" 50 365
after=$(cpu_s $evapo_pids)
store_pids="$(pid_of redis) $(pid_of postgres) $(children "$(pid_of postgres)")"
store_after=$(cpu_s $store_pids)
echo "CPU of the evapo processes (serve nodes + workers): $(per_task_ms "$before" "$after" "$tasks") ms per calculation"
echo "CPU of Redis + PostgreSQL: $(per_task_ms "$store_before" "$store_after" "$tasks") ms per calculation"

echo "== c) 50 tasks watched by 2,000 extra WebSockets split over both serve nodes"
load_average
"$build/bench/load/evapo_serve_load" fanout "$port1,$port2" 50 2000

for workers in 1 2 3; do
  echo "== throughput with $workers worker(s): $scale_tasks calculations of 365 days, 50 in flight"
  load_average
  for i in 1 2 3; do
    if [ "$i" -le "$workers" ]; then
      scripts/cluster start "worker-$i" "$cluster_dir" >/dev/null
    elif pid_alive "$(pid_of "worker-$i")"; then
      kill -TERM "$(pid_of "worker-$i")"
      while pid_alive "$(pid_of "worker-$i")"; do sleep 0.1; done
    fi
  done
  # Points no earlier run used: a cached download would make the run measure the cache.
  "$build/bench/load/evapo_serve_load" post "$port1" "$scale_tasks" 50 365 $((10000 * workers)) |
    grep -E 'throughput|SUCCESS'
done
