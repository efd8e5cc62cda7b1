#!/usr/bin/env bash
# How each phase and rule scales from one model size to a larger one: the
# median of --timings over RUNS runs at each size (taken in turn), and the
# time per threat at the larger size against the smaller. Issue 36 asks
# that 100,000 threats cost at most 10% more per threat than 10,000; this
# says which part does not.
# usage: bench/scaling.sh [SMALL LARGE [RUNS]]   (defaults 10000 100000 3)
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN_MODEL:-../shared/tools/gen-model.py}
[ -x build/tmlint ] || { echo "build tmlint first" >&2; exit 2; }
small=${1:-10000} large=${2:-100000} runs=${3:-3}
OUT=bench/out
mkdir -p "$OUT"
for n in "$small" "$large"; do
  f=$OUT/model-$n.tm.yaml
  [ -f "$f" ] || /usr/bin/python3 "$GEN" "$n" >"$f"
done
for i in $(seq "$runs"); do
  for n in "$small" "$large"; do
    build/tmlint check --now 2026-11-23 --format sarif --max-file-size 1000000000 --max-rule-time 600 \
      --timings "$OUT/model-$n.tm.yaml" 2>"$OUT/timings-$n-$i.txt" >/dev/null || true
  done
done
/usr/bin/python3 - "$small" "$large" "$runs" "$OUT" <<'EOF'
import re, statistics, sys
small, large, runs, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
row = re.compile(r'^(.*?)\s{2,}([\d.]+)\s+[\d.]+%\s+\S+\s+\d+$')
def read(n):
    per = {}
    for i in range(1, runs + 1):
        for line in open(f"{out}/timings-{n}-{i}.txt"):
            m = row.match(line.rstrip("\n"))
            if m:
                per.setdefault(m.group(1).strip(), []).append(float(m.group(2)))
    return {k: statistics.median(v) for k, v in per.items()}
a, b = read(small), read(large)
scale = large / small
ta, tb = sum(a.values()), sum(b.values())
print(f"median of {runs} runs; per threat = (ms at {large}) / (ms at {small}) / {scale:g}")
print(f"{'phase or rule':<40} {'ms@'+str(small):>10} {'ms@'+str(large):>11} {'per threat':>10} {'share of excess':>15}")
rows = sorted(((k, a[k], b[k]) for k in a if k in b), key=lambda r: r[2] - scale * r[1], reverse=True)
for k, x, y in rows:
    if x < 2 and y < 20:
        continue
    print(f"{k:<40} {x:10.1f} {y:11.1f} {y / x / scale:10.2f} {(y - scale * x) / (tb - scale * ta) * 100 if tb > scale * ta else 0:14.0f}%")
print(f"{'all (the sum of the rows)':<40} {ta:10.1f} {tb:11.1f} {tb / ta / scale:10.2f}")
EOF
