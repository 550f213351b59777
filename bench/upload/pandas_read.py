#!/usr/bin/python3
"""Reads a station CSV the way an analyst would with pandas (Debian's python3-pandas, hence
/usr/bin/python3): read_csv, then the time column parsed as datetimes. Prints the best wall and CPU
times of N runs as JSON."""
import json
import sys
import time

import pandas as pd


def main() -> None:
    path, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    best = float("inf")
    best_cpu = float("inf")
    rows = 0
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        frame = pd.read_csv(path)
        frame["datetime"] = pd.to_datetime(frame["datetime"], format="%Y-%m-%dT%H:%M")
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu_start)
        rows = len(frame)
    print(json.dumps({"seconds": best, "cpu_seconds": best_cpu, "rows": rows, "pandas": pd.__version__}))


if __name__ == "__main__":
    main()
