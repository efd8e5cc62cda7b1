#!/usr/bin/python3
"""usage: bench/mem.py CMD...  Runs CMD and prints the peak, in KiB, of the
proportional set size (PSS) summed over it and its child processes,
sampled every 5 ms. With the rules split across worker processes, GNU
time's peak RSS is that of the largest process, and summed RSS counts the
pages the workers share with the parent once per process; PSS splits
each shared page between the processes sharing it."""
import os
import subprocess
import sys
import time


def tree(pid):
    out = [pid]
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{t}/children") as f:
                for c in f.read().split():
                    out += tree(int(c))
    except OSError:
        pass
    return out


def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
while p.poll() is None:
    peak = max(peak, sum(pss(k) for k in tree(p.pid)))
    time.sleep(0.005)
print(peak)
