#!/usr/bin/env python3
"""How long `tmlint lsp` takes from an edit to its diagnostics.

usage: bench/lsp-latency.py [THREATS...]   (default 100 300 1000)

For each size: a model from gen-model.py opened in one server, then 41
edits (a threat's title changes, a full-document didChange each time as
the server asks), each timed from the write of didChange to the read of
publishDiagnostics for that version; the first is left out as warm-up.
Prints the median, the 90th percentile and the fastest. Not a test."""
import os, statistics, subprocess, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "lsp"))
from client import Client

root = os.path.join(os.path.dirname(__file__), "..")
gen = os.environ.get("GEN_MODEL", os.path.join(root, "..", "shared", "tools", "gen-model.py"))
tmlint = os.path.join(root, "build", "tmlint")
out = os.path.join(root, "bench", "out")
os.makedirs(out, exist_ok=True)
sizes = [int(a) for a in sys.argv[1:]] or [100, 300, 1000]
print("%-8s %9s %10s %10s %10s %9s" % ("threats", "bytes", "median_ms", "p90_ms", "best_ms", "findings"))
for n in sizes:
    path = os.path.join(out, "lsp-%d.tm.yaml" % n)
    with open(path, "w") as f:
        subprocess.run([sys.executable, gen, str(n)], stdout=f, check=True)
    text = open(path).read()
    uri = "file://" + os.path.abspath(path)
    c = Client([tmlint, "lsp", "--now", "2026-11-23"] + os.environ.get("LSP_ARGS", "").split(), cwd=out)
    c.request("initialize", {"capabilities": {}})
    c.notify("initialized")
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    nd = len(c.diagnostics(uri, 60)["diagnostics"])
    times = []
    for v in range(2, 43):
        edited = text.replace("title:", "title: e%d" % v, 1)
        t0 = time.perf_counter()
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": edited}]})
        c.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == v, 60)
        times.append((time.perf_counter() - t0) * 1000)
    c.request("shutdown")
    c.notify("exit")
    c.close()
    t = sorted(times[1:])
    print("%-8d %9d %10.1f %10.1f %10.1f %9d" % (n, len(text), statistics.median(t), t[int(len(t) * 0.9)], t[0], nd))
