#!/usr/bin/env bash
# How `tmlint audit` grows with the number of repositories, and what the
# shards and the merge cost: generated repositories (tests/shard/make-repos.sh:
# the samples as models, every 7th repository without one), audited whole
# with --jobs 2, then as 4 shards one after another, then merged.
# usage: bench/audit-scale.sh [REPOS...]   (default 100 300 1000)
# Not a test: numbers depend on the machine. Record them in bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/tmlint ] || { echo "build tmlint first" >&2; exit 2; }
T=$PWD/build/tmlint
OUT=$PWD/bench/out/audit
mkdir -p "$OUT"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(100 300 1000)
best() { # best RUNS CMD... -> seconds (best wall clock of RUNS)
  local runs=$1 b="" s e t; shift
  for _ in $(seq "$runs"); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); t=$(( (e - s) / 1000 ))
    if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
  done
  awk -v us="$b" 'BEGIN { printf "%.3f", us / 1e6 }'
}
shards() { for i in 1 2 3 4; do "$T" audit --now 2026-12-06 -j 1 --shard "$i/4" --format json -o "shard-$i.json" repos; done; }
printf '%-6s %7s %9s %11s %9s %9s %10s %9s\n' repos models audit_s ms/repo shard_max shards_s merge_s json_KiB
for n in "${counts[@]}"; do
  d=$OUT/$n
  [ -d "$d/repos" ] || SRC=$PWD bash tests/shard/make-repos.sh "$d" "$n" >/dev/null 2>&1
  cd "$d"
  ta=$(best 3 "$T" audit --now 2026-12-06 -j 2 --format json -o one.json repos)
  models=$(/usr/bin/python3 -c 'import json; print(len(json.load(open("one.json"))["models"]))')
  ts=$(best 3 shards)
  # the slowest single shard: what a matrix of 4 jobs waits for
  tmax=0
  for i in 1 2 3 4; do
    t=$(best 3 "$T" audit --now 2026-12-06 -j 1 --shard "$i/4" --format json -o "shard-$i.json" repos)
    tmax=$(awk -v a="$tmax" -v b="$t" 'BEGIN { print (b > a ? b : a) }')
  done
  tm=$(best 3 "$T" audit --merge --format html -o merged.html shard-1.json shard-2.json shard-3.json shard-4.json)
  kib=$(du -k shard-1.json shard-2.json shard-3.json shard-4.json | awk '{ s += $1 } END { print s }')
  awk -v n="$n" -v m="$models" -v ta="$ta" -v ts="$ts" -v tmax="$tmax" -v tm="$tm" -v k="$kib" \
    'BEGIN { printf "%-6d %7d %9.3f %11.2f %9.3f %9.3f %10.3f %9d\n", n, m, ta, ta * 1000 / n, tmax, ts, tm, k }'
  cd - >/dev/null
done
