#!/usr/bin/env python3
"""src/ by layer: each folder of src/ includes headers of its own folder
and of the folders below it, never above (docs/architecture.md draws the
order). Prints each include that goes up, and exits 1 when there is one;
with --graph, prints the folder-to-folder includes it found."""
import os, re, sys

ORDER = ["base", "load", "repo", "rt", "core", "audit", "out", "app"]
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
home = {}
for d in ORDER:
    for f in os.listdir(os.path.join(root, d)):
        if f.endswith(".h"):
            home[f] = d
bad, edges = [], set()
for d in ORDER:
    for f in sorted(os.listdir(os.path.join(root, d))):
        if not f.endswith((".c", ".h")):
            continue
        text = open(os.path.join(root, d, f)).read()
        for n, line in enumerate(text.splitlines(), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m or m.group(1) not in home:
                continue   # the public header, or one the build generates
            to = home[m.group(1)]
            if to != d:
                edges.add((d, to))
            if ORDER.index(to) > ORDER.index(d):
                bad.append("src/%s/%s:%d: includes %s from src/%s/, a layer above src/%s/" % (d, f, n, m.group(1), to, d))
if "--graph" in sys.argv:
    for a, b in sorted(edges, key=lambda e: (ORDER.index(e[0]), ORDER.index(e[1]))):
        print("%s -> %s" % (a, b))
for b in bad:
    print(b)
files = sum(len([f for f in os.listdir(os.path.join(root, d)) if f.endswith((".c", ".h"))]) for d in ORDER)
stray = [f for f in os.listdir(root) if os.path.isfile(os.path.join(root, f))]
for f in stray:
    print("src/%s: a file outside the layers" % f)
print("%d files in %d layers, %d includes going up" % (files, len(ORDER), len(bad)))
sys.exit(1 if bad or stray else 0)
