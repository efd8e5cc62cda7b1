#!/usr/bin/env bash
# The candidates of docs/design-document.md, measured on the bench models:
# how long each way of holding the document takes and how much memory it
# peaks at, against libyaml's bare parse of the same bytes from memory.
# usage: bench/design.sh [SIZES...]   (needs build/libtmlint.a; default 10000)
# Not a test: numbers depend on the machine. Record them in the note.
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN_MODEL:-../shared/tools/gen-model.py}
[ -f build/libtmlint.a ] || { echo "build tmlint first (cmake -S . -B build && cmake --build build)" >&2; exit 2; }
OUT=bench/out
mkdir -p "$OUT"
inc=(); for d in src/*/; do inc+=("-I$d"); done
# shellcheck disable=SC2046 # one word per flag
cc -O2 -std=c11 -D_GNU_SOURCE "${inc[@]}" -Ibuild -o "$OUT/doc-candidates" bench/doc-candidates.c build/libtmlint.a \
  $(pkg-config --cflags --libs yaml-0.1 lua5.4 libpcre2-8 libgit2 expat) -lm -ldl
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000)
modes=(parse tree push direct direct-noreg)
printf '%-8s %-13s %9s %6s %9s %9s\n' threats candidate best_s ratio peak_MiB rss/file
for n in "${sizes[@]}"; do
  f="$OUT/model-$n.tm.yaml"
  [ -f "$f" ] || /usr/bin/python3 "$GEN" "$n" >"$f"
  bytes=$(stat -c %s "$f")
  cmds=(); for m in "${modes[@]}"; do cmds+=("$OUT/doc-candidates $m $f"); done
  runs=7; [ "$n" -ge 100000 ] && runs=3
  read -r -a best < <(/usr/bin/python3 bench/turns.py "$runs" "${cmds[@]}")
  for i in "${!modes[@]}"; do
    /usr/bin/time -o "$OUT/time" -f '%M' "$OUT/doc-candidates" "${modes[$i]}" "$f" >/dev/null
    awk -v n="$n" -v m="${modes[$i]}" -v t="${best[$i]}" -v p="${best[0]}" -v k="$(tail -1 "$OUT/time")" -v b="$bytes" \
      'BEGIN { printf "%-8d %-13s %9.3f %6.2f %9.1f %9.2f\n", n, m, t, t / p, k / 1024, k * 1024 / b }'
  done
done
