#!/usr/bin/python3
"""usage: bench/turns.py RUNS CMD1 CMD2 ...  Runs the commands in turn
(1 2 ... 1 2 ...), RUNS times each after one warm-up round, and prints
each one's best wall time in seconds. Each command is one string split on
spaces. The clock is read around the child's start and reaping only, so a
run of a few milliseconds is not lost in the cost of the shell's own
timing (two `date` processes per run)."""
import subprocess
import sys
import time

runs = int(sys.argv[1])
cmds = [c.split() for c in sys.argv[2:]]
best = [None] * len(cmds)
for r in range(runs + 1):
    for i, cmd in enumerate(cmds):
        t = time.perf_counter_ns()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t = time.perf_counter_ns() - t
        if r and (best[i] is None or t < best[i]):
            best[i] = t
print(" ".join("%.6f" % (b / 1e9) for b in best))
