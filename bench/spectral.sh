#!/usr/bin/env bash
# tmlint beside Spectral on the same native models, six rules each
# (bench/spectral/ruleset.yaml: TM302, TM310, TM311, TM313, TM314, TM315),
# with the finding counts of both so that the work compared is the same.
# usage: SPECTRAL=/path/to/spectral bench/spectral.sh [SIZES...]
#   (npm install @stoplight/spectral-cli; default sizes 1000 10000)
# Not a test: numbers depend on the machine. Record them in bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SPECTRAL=${SPECTRAL:-spectral}
command -v "$SPECTRAL" >/dev/null || { echo "Spectral not found: set SPECTRAL" >&2; exit 2; }
GEN=${GEN_MODEL:-../shared/tools/gen-model.py}
OUT=bench/out
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
six="--only TM302 --only TM310 --only TM311 --only TM313 --only TM314 --only TM315"
count() { /usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(len(d["findings"] if isinstance(d, dict) else d))' "$1"; }
printf '%-8s %9s %9s %7s %11s %11s %9s %9s\n' threats tmlint_s spectral_s ratio tmlint_MiB spectral_MiB tm_found sp_found
for n in "${sizes[@]}"; do
  f="$OUT/model-$n.tm.yaml"
  [ -f "$f" ] || /usr/bin/python3 "$GEN" "$n" >"$f"
  tcmd="build/tmlint check --now 2026-11-23 --format sarif --max-file-size 1000000000 $six $f"
  scmd="$SPECTRAL lint --quiet -r bench/spectral/ruleset.yaml -f sarif $f"
  read -r tt ts < <(/usr/bin/python3 bench/turns.py 3 "$tcmd" "$scmd")
  # shellcheck disable=SC2086 # one word per option
  /usr/bin/time -o "$OUT/time" -f '%M' $tcmd >/dev/null 2>&1 || true; mt=$(tail -1 "$OUT/time")
  # shellcheck disable=SC2086
  /usr/bin/time -o "$OUT/time" -f '%M' $scmd >/dev/null 2>&1 || true; ms=$(tail -1 "$OUT/time")
  # shellcheck disable=SC2086
  build/tmlint check --now 2026-11-23 --format json --max-file-size 1000000000 $six "$f" >"$OUT/six.json" 2>/dev/null || true
  "$SPECTRAL" lint --quiet -r bench/spectral/ruleset.yaml -f json "$f" >"$OUT/spectral.json" 2>/dev/null || true
  awk -v n="$n" -v tt="$tt" -v ts="$ts" -v mt="$mt" -v ms="$ms" -v a="$(count "$OUT/six.json")" -v b="$(count "$OUT/spectral.json")" \
    'BEGIN { printf "%-8d %9.3f %9.3f %7.2f %11.1f %11.1f %9d %9d\n", n, tt, ts, ts / tt, mt / 1024, ms / 1024, a, b }'
done
