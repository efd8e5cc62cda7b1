#!/usr/bin/env bash
# Speed and memory of `tmlint check --format sarif` against a bare libyaml
# event parse of the same file, at 1,000, 10,000 and 100,000 threats.
# usage: bench/run.sh [SIZES...]   (needs a build in build/ and gen-model.py)
# Not a test: numbers depend on the machine. Record them in bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN_MODEL:-../shared/tools/gen-model.py}
[ -f "$GEN" ] || { echo "gen-model.py not found; set GEN_MODEL" >&2; exit 2; }
[ -x build/tmlint ] || { echo "build tmlint first (cmake -S . -B build && cmake --build build)" >&2; exit 2; }
OUT=bench/out
mkdir -p "$OUT"
cc -O2 -o "$OUT/parse" bench/parse.c $(pkg-config --cflags --libs yaml-0.1)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)

# best of N wall-clock runs (ns clock), and the peak RSS of one (GNU time)
measure() { # measure RUNS CMD... -> "seconds maxrss_kib"
  local runs=$1; shift
  local best=""
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    local t=$(( (e - s) / 1000 ))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  /usr/bin/time -o "$OUT/time" -f '%M' "$@" >/dev/null 2>&1 || true
  awk -v us="$best" -v m="$(tail -1 "$OUT/time")" 'BEGIN { printf "%.3f %d\n", us / 1e6, m }'
}

printf '%-8s %10s %9s %9s %6s %11s %9s\n' threats bytes parse_s tmlint_s ratio tmlint_MiB rss/file
for n in "${sizes[@]}"; do
  f="$OUT/model-$n.tm.yaml"
  [ -f "$f" ] || /usr/bin/python3 "$GEN" "$n" >"$f"
  bytes=$(stat -c %s "$f")
  runs=5; [ "$n" -ge 100000 ] && runs=3
  read -r tp _ < <(measure "$runs" "$OUT/parse" "$f")
  # exit status 1 (findings) is expected: the generator plants problems
  read -r tt mt < <(measure "$runs" build/tmlint check --now 2026-11-23 --format sarif --max-file-size 1000000000 "$f")
  awk -v n="$n" -v b="$bytes" -v tp="$tp" -v tt="$tt" -v mt="$mt" 'BEGIN {
    printf "%-8d %10d %9.3f %9.3f %6.2f %11.1f %9.2f\n", n, b, tp, tt, (tp > 0 ? tt / tp : 0), mt / 1024, mt * 1024 / b }'
done
