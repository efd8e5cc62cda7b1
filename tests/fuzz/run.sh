#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (two at a time), seeded from
# the samples, the test corpus, the rule fixtures and the YAML test suite.
# usage: tests/fuzz/run.sh SECONDS [TARGET...]
# Crashes land in tests/fuzz/crashes/TARGET/; copy each into
# tests/fuzz/regressions/ once fixed so the normal suite replays it.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:?usage: tests/fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(load check json config fixture shard)
B=build-fuzz
CC=clang cmake -S . -B "$B" -DTMLINT_FUZZ=ON -DTMLINT_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$B" -j"$(nproc)" >/dev/null
seeds=$B/fuzz-seeds
mkdir -p "$seeds/yaml" "$seeds/config" "$seeds/json"
for f in $(find samples tests/corpus tests/rules tests/yaml-test-suite tests/fuzz/regressions -type f \
             \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) 2>/dev/null); do
  [ "$(stat -c %s "$f")" -le 65536 ] || continue
  cp "$f" "$seeds/yaml/$(echo "$f" | tr / _)"
done
printf 'rules:\n  TM310: off\n  TM302: {max_share: 0.5}\ninclude: ["**/*.yaml"]\noverrides:\n  - files: [x]\n    rules: {TM101: note}\n' \
  >"$seeds/config/basic"
cp "$seeds/yaml/"* "$seeds/json/" 2>/dev/null || true
# a shard's state as a real audit writes it (the checksum left off: the
# target adds it), for fuzz_shard
mkdir -p "$seeds/shard"
for d in samples/clean samples/findings; do
  "$B/tmlint" audit --now 2026-11-23 --shard 1/1 --format json "$d" >"$B/shard-seed.json" 2>/dev/null || true
  /usr/bin/python3 - "$B/shard-seed.json" "$seeds/shard/$(basename "$d")" <<'PY' || true
import base64, json, sys
st = base64.b64decode(json.load(open(sys.argv[1]))["shard"]["state"])
open(sys.argv[2], "wb").write(st[:-8])
PY
done
run_one() {
  local t=$1 dir
  case $t in config) dir=$seeds/config ;; json) dir=$seeds/json ;; shard) dir=$seeds/shard ;; *) dir=$seeds/yaml ;; esac
  local work=$B/fuzz-work/$t crashes=tests/fuzz/crashes/$t
  mkdir -p "$work" "$crashes"
  "$B/tests/fuzz/fuzz_$t" "$work" "$dir" -dict=tests/fuzz/yaml.dict -max_total_time="$secs" \
    -max_len=65536 -timeout=20 -rss_limit_mb=3072 -artifact_prefix="$crashes/" -print_final_stats=1 \
    >"$B/fuzz-$t.log" 2>&1 || true
  echo "== $t: $(grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$B/fuzz-$t.log" | tr '\n' ' ')"
  grep -E '^#[0-9]+ +(DONE|pulse)' "$B/fuzz-$t.log" | tail -1
  ls "$crashes" | sed 's/^/   crash: /'
}
i=0
for t in "${targets[@]}"; do
  run_one "$t" &
  i=$((i + 1))
  if [ $((i % 2)) -eq 0 ]; then wait; fi
done
wait
