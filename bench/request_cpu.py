"""Median app CPU of one live (uncached) request of each kind, for comparing two commits.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinoteka_bench \\
        .venv/bin/python bench/request_cpu.py --rounds 6

The same paths and settings as bench/request_profile.py, without a profiler: each request's
process CPU time (which another process's load changes far less than wall time), and the
median per kind, which one slow request (a garbage collection) does not move. Run it from
each commit's worktree in turn, alternating, and compare the medians of the runs.
"""

import argparse
import json
import statistics
import sys
import time

from django.test import Client
from request_profile import sample_paths  # its settings: production, no response cache


def median_cpu_ms(client, paths, rounds):
    for path in paths:  # warm: templates compiled, querysets built
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(rounds):
        for path in paths:
            started = time.process_time()
            client.get(path)
            times.append((time.process_time() - started) * 1000)
    return round(statistics.median(times), 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--objects", type=int, default=8)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    medians = {
        kind: median_cpu_ms(client, paths, args.rounds)
        for kind, paths in sample_paths(args.objects).items()
    }
    json.dump(medians, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
