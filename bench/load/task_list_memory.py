#!/usr/bin/env python3
"""Memory and responsiveness of `evapo serve` under a burst of task reads (issue 11 §4.2).

Starts the upstream simulator and `evapo serve`, runs N year-long calculations to the end, then
has C clients at once page through the whole task list (GET /api/v1/tasks?limit=100, following
next_cursor) and read every task with its result (GET /api/v1/tasks/{id}) for R rounds, while a
probe times GET /healthz. Prints the server's RSS before, at its peak during and 10 s after the
burst, the bytes answered, and /healthz latencies. Loopback only; every loop bounded.

Usage: bench/load/task_list_memory.py [--build build/ci] [--tasks 873] [--clients 4] [--rounds 3]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def get(port, path, timeout=120):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as answer:
        return answer.read()


def post(port, body):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/eto/calculations",
                                     data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        return json.load(answer)["task_id"]


def start(command, env, pattern, deadline_s=60):
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                               text=True)
    start_time = time.time()
    while time.time() - start_time < deadline_s:
        line = process.stdout.readline()
        if not line:
            break
        found = re.search(pattern, line)
        if found:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, found.group(1)
    process.kill()
    raise RuntimeError(f"{command[0]} did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build/ci")
    parser.add_argument("--tasks", type=int, default=873)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--unpaged", action="store_true",
                        help="list as before pages existed: one GET /api/v1/tasks?limit=1000 per "
                             "round (to measure a build from before issue 11)")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="evapo_list_memory_")
    sim, sim_port = start([f"{args.build}/tools/upstream_simulator/evapo-upstream-sim", "--port", "0",
                          "--threads", "2"], dict(os.environ), r"^(\d+)")
    sim_url = f"http://127.0.0.1:{sim_port}"
    env = dict(os.environ, EVAPO_HTTP_TIMEOUT_MS="600000", EVAPO_RATE_LIMIT_PER_S="0",
               EVAPO_MAX_QUEUED_TASKS="100000")
    for name in ("NASA_POWER", "OPEN_METEO_ARCHIVE", "OPEN_METEO_FORECAST", "MET_NORWAY", "NWS",
                 "ELEVATION"):
        env[f"EVAPO_{name}_URL"] = sim_url
    serve, port = start([f"{args.build}/apps/evapo/evapo", "serve", "--port", "0", "--data-dir", work],
                        env, r"listening on http://127\.0\.0\.1:(\d+)")
    try:
        ids = []
        for i in range(args.tasks):
            ids.append(post(port, {"latitude": -30 + (i % 60), "longitude": -120 + (i % 240),
                                   "start_date": "2015-01-01", "end_date": "2015-12-31",
                                   # points on a grid, many over the sea: not what is measured
                                   "allow_sea": True}))
        # Wait on /metrics (a list would itself be the load being measured).
        deadline = time.time() + 1800
        while time.time() < deadline:
            metrics = get(port, "/metrics").decode()
            found = re.search(r'evapo_tasks\{state="success"\} (\d+)', metrics)
            if found and int(found.group(1)) >= args.tasks:
                break
            time.sleep(1)
        time.sleep(5)
        before = rss_kb(serve.pid)
        answered = [0]
        lock = threading.Lock()
        peak = [before]
        health_ms = []
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], rss_kb(serve.pid))
                time.sleep(0.05)

        def probe():
            while not stop.is_set():
                started = time.perf_counter()
                get(port, "/healthz")
                health_ms.append((time.perf_counter() - started) * 1000)
                time.sleep(0.1)

        def reader(offset):
            total = 0
            for _ in range(args.rounds):
                cursor = ""
                while not args.unpaged:
                    body = get(port, f"/api/v1/tasks?limit=100{cursor}")
                    total += len(body)
                    listed = json.loads(body)
                    if listed["next_cursor"] is None:
                        break
                    cursor = "&cursor=" + listed["next_cursor"]
                if args.unpaged:
                    total += len(get(port, "/api/v1/tasks?limit=1000"))
                for task_id in ids[offset::args.clients]:
                    total += len(get(port, f"/api/v1/tasks/{task_id}"))
            with lock:
                answered[0] += total

        helpers = [threading.Thread(target=sample), threading.Thread(target=probe)]
        for helper in helpers:
            helper.start()
        burst_start = time.time()
        readers = [threading.Thread(target=reader, args=(c,)) for c in range(args.clients)]
        for r in readers:
            r.start()
        for r in readers:
            r.join()
        burst_s = time.time() - burst_start
        stop.set()
        for helper in helpers:
            helper.join()
        time.sleep(10)
        after = rss_kb(serve.pid)
        health_ms.sort()
        print(f"tasks {args.tasks} (365 days each), {args.clients} clients x {args.rounds} rounds of "
              f"the whole list (pages of 100) and every task with its result")
        print(f"burst: {burst_s:.1f} s, {answered[0] / 1e6:.1f} MB answered")
        print(f"server RSS: before {before / 1024:.1f} MB, peak {peak[0] / 1024:.1f} MB, "
              f"10 s after {after / 1024:.1f} MB")
        if health_ms:
            print(f"/healthz during the burst: {len(health_ms)} probes, median "
                  f"{statistics.median(health_ms):.1f} ms, max {health_ms[-1]:.1f} ms")
    finally:
        serve.terminate()
        sim.terminate()
        serve.wait(timeout=60)
        sim.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
