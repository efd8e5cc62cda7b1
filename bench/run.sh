#!/usr/bin/env bash
# Speed and memory of `tmlint check --format sarif` against a bare libyaml
# event parse of the same file, at 1,000, 10,000 and 100,000 threats.
# usage: bench/run.sh [SIZES...]   (needs a build in build/ and gen-model.py)
# Then directory walks of 10,000 and 40,000 configured directories, and a
# repository history of 10,000 commits for a model of 50 components.
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

# The bare parse, tmlint and tmlint --jobs 2 run in turn, best of each.
# tmlint_s is the default run (one process); jobs2_s is the same check
# with the rules split across two processes (--jobs 2: from 10,000 nodes,
# about 200 threats), and its ratio beside it.
# tmlint_MiB is the peak of the largest process (GNU time, like ru_maxrss);
# all_MiB the peak of the PSS summed over tmlint and its workers
# (bench/mem.py), which share the parent's pages until they write them.
# best of N for several commands run in turn (A B C A B C ...), so that a
# slow phase of the machine hits all alike; each command is one string,
# split on spaces (the paths here have none)
measure_turns() { # measure_turns RUNS "CMD"... -> "seconds..."
  local runs=$1; shift
  local -a best=()
  for _ in $(seq "$runs"); do
    local i=0
    for cmd in "$@"; do
      local s e t
      s=$(date +%s%N); $cmd >/dev/null 2>&1 || true; e=$(date +%s%N); t=$(( (e - s) / 1000 ))
      if [ -z "${best[$i]:-}" ] || [ "$t" -lt "${best[$i]}" ]; then best[$i]=$t; fi
      i=$((i + 1))
    done
  done
  for t in "${best[@]}"; do printf '%.6f ' "$(awk -v t="$t" 'BEGIN { printf "%.6f", t / 1e6 }')"; done
  echo
}

printf '%-8s %10s %9s %9s %6s %9s %6s %11s %9s %8s\n' threats bytes parse_s tmlint_s ratio jobs2_s ratio2 tmlint_MiB rss/file all_MiB
for n in "${sizes[@]}"; do
  f="$OUT/model-$n.tm.yaml"
  [ -f "$f" ] || /usr/bin/python3 "$GEN" "$n" >"$f"
  bytes=$(stat -c %s "$f")
  runs=5; [ "$n" -ge 100000 ] && runs=3
  # exit status 1 (findings) is expected: the generator plants problems
  read -r _ mt < <(measure 1 build/tmlint check --now 2026-11-23 --format sarif --max-file-size 1000000000 "$f")
  read -r tp tt t1 < <(measure_turns "$runs" "$OUT/parse $f" \
    "build/tmlint check --now 2026-11-23 --format sarif --max-file-size 1000000000 $f" \
    "build/tmlint check --now 2026-11-23 --format sarif --max-file-size 1000000000 --jobs 2 $f")
  ma=$(/usr/bin/python3 bench/mem.py build/tmlint check --now 2026-11-23 --format sarif --max-file-size 1000000000 "$f")
  awk -v n="$n" -v b="$bytes" -v tp="$tp" -v tt="$tt" -v t1="$t1" -v mt="$mt" -v ma="$ma" 'BEGIN {
    printf "%-8d %10d %9.3f %9.3f %6.2f %9.3f %6.2f %11.1f %9.2f %8.1f\n", n, b, tp, tt, (tp > 0 ? tt / tp : 0), t1,
      (tp > 0 ? t1 / tp : 0), mt / 1024, mt * 1024 / b, ma / 1024 }'
done

# The pipeline's own floor: the same check with every rule disabled (read,
# parse, tree, model into Lua, adapter, SARIF of no results), against the
# bare parse; what the rules add is the difference to tmlint_s above.
# The sizes are those of the flows lines below (FLOW_SIZES).
printf '\n%-8s %9s %9s %6s %11s %9s\n' threats parse_s norules_s ratio norules_MiB rss/file
off=$(build/tmlint rules 2>/dev/null | awk '$1 ~ /^TM[0-9]+$/ { printf "--disable %s ", $1 }')
for n in ${FLOW_SIZES-$(for s in "${sizes[@]}"; do [ "$s" -lt 100000 ] && echo "$s"; done)}; do
  f="$OUT/model-$n.tm.yaml"
  read -r tp t0 < <(measure_turns 5 "$OUT/parse $f" \
    "build/tmlint check --now 2026-11-23 --format sarif --max-file-size 1000000000 $off $f")
  # shellcheck disable=SC2086 # one word per option
  read -r _ m0 < <(measure 1 build/tmlint check --now 2026-11-23 --format sarif --max-file-size 1000000000 $off "$f")
  awk -v n="$n" -v b="$(stat -c %s "$f")" -v tp="$tp" -v t0="$t0" -v m0="$m0" 'BEGIN {
    printf "%-8d %9.3f %9.3f %6.2f %11.1f %9.2f\n", n, tp, t0, (tp > 0 ? t0 / tp : 0), m0 / 1024, m0 * 1024 / b }'
done

# the pre-commit case: small models, best of many runs, beside the floor
# every process pays here (tmlint --version: start, link the libraries,
# exit), timed by bench/turns.py: the shell's two date processes a run
# cost more than the floor itself
printf '\n%-12s %9s %9s %9s\n' model bytes best_ms floor_ms
small="$OUT/model-4-lines.tm.yaml"
printf 'model: 1\nthreats:\n  - id: T1\n    title: Session tokens are replayed\n' >"$small"
[ -f "$OUT/model-100.tm.yaml" ] || /usr/bin/python3 "$GEN" 100 >"$OUT/model-100.tm.yaml"
for f in "$small" "$OUT/model-100.tm.yaml"; do
  read -r tf tv < <(/usr/bin/python3 bench/turns.py 21 "build/tmlint check --now 2026-11-23 --format sarif --output $OUT/small.sarif $f" \
    "build/tmlint --version")
  awk -v n="$(basename "$f" .tm.yaml)" -v b="$(stat -c %s "$f")" -v tf="$tf" -v tv="$tv" 'BEGIN {
    printf "%-12s %9d %9.1f %9.1f\n", substr(n, 7), b, tf * 1000, tv * 1000 }'
done

# The same models with a flows: section (gen-model.py --flows: one flow per
# component, into the next trust zone, 1 in 6 saying nothing of protocol or
# data), so the architecture rules (TM107-TM109, TM209, TM210) have work;
# and the six-rule line (TM302, TM310, TM311, TM313, TM314, TM315) that
# compares with other tools. Sizes below 100,000 only (FLOW_SIZES to change).
printf '\n%-8s %10s %9s %6s %11s %9s %9s %6s\n' threats flows_bytes flows_s ratio flows_MiB six_s parse_s ratio
for n in ${FLOW_SIZES-$(for s in "${sizes[@]}"; do [ "$s" -lt 100000 ] && echo "$s"; done)}; do
  f="$OUT/model-$n.tm.yaml" ff="$OUT/model-$n-flows.tm.yaml"
  [ -f "$f" ] || /usr/bin/python3 "$GEN" "$n" >"$f"
  [ -f "$ff" ] || /usr/bin/python3 "$GEN" "$n" --flows >"$ff"
  bytes=$(stat -c %s "$ff")
  read -r tp _ < <(measure 5 "$OUT/parse" "$ff")
  read -r tf mf < <(measure 5 build/tmlint check --now 2026-11-23 --format sarif --max-file-size 1000000000 "$ff")
  read -r tp6 _ < <(measure 5 "$OUT/parse" "$f")
  read -r t6 _ < <(measure 5 build/tmlint check --now 2026-11-23 --format sarif --max-file-size 1000000000 \
    --only TM302 --only TM310 --only TM311 --only TM313 --only TM314 --only TM315 "$f")
  awk -v n="$n" -v b="$bytes" -v tp="$tp" -v tf="$tf" -v mf="$mf" -v t6="$t6" -v tp6="$tp6" 'BEGIN {
    printf "%-8d %10d %9.3f %6.2f %11.1f %9.3f %9.3f %6.2f\n", n, b, tf, (tp > 0 ? tf / tp : 0), mf / 1024, t6, tp6,
      (tp6 > 0 ? t6 / tp6 : 0) }'
done

# Directory walks: N directories each with a .tmlint.yaml and one model in
# the first; the configuration lookup and the visited-directory check are
# hashed, so 4x the directories should take about 4x the time.
# (WALK_SIZES="" skips it.)
printf '\n%-8s %9s %11s\n' dirs tmlint_s tmlint_MiB
for n in ${WALK_SIZES-10000 40000}; do
  d="$OUT/walk-$n"
  if [ ! -d "$d" ]; then
    /usr/bin/python3 - "$d" "$n" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    p = os.path.join(root, "d%03d" % (i // 200), "e%d" % i)
    os.makedirs(p)
    open(os.path.join(p, ".tmlint.yaml"), "w").write("rules:\n  TM101: off\n")
    open(os.path.join(p, "README.md"), "w").write("notes\n")   # a file to look a configuration up for
PY
    mkdir -p "$d/.git"; cp samples/clean/clinic-booking.tm.yaml "$d/d000/e0/m.tm.yaml"
  fi
  read -r tt mt < <(measure 3 build/tmlint check --now 2026-11-23 "$d")
  awk -v n="$n" -v tt="$tt" -v mt="$mt" 'BEGIN { printf "%-8d %9.3f %11.1f\n", n, tt, mt / 1024 }'
done

# Repository history: 10,000 commits over 50 component directories, a model
# whose 50 components each list their paths, committed first (so TM341
# walks the whole default window); the same check with --no-repo beside it,
# and with --changed-since for TM342. (HISTORY_COMMITS="" skips it.)
printf '\n%-8s %-10s %9s %9s %9s %11s\n' commits components repo_s norepo_s changed_s tmlint_MiB
for n in ${HISTORY_COMMITS-10000}; do
  d="$OUT/history-$n"
  if [ ! -d "$d/.git" ]; then
    rm -rf "$d"; mkdir -p "$d"
    /usr/bin/python3 - "$OUT/history-model.yaml" <<'PY'
import sys
out = ["model: 1", "title: Fifty services", "owner: team-bench", "reviewed: 2026-11-01", "reviewers: [bench]", "components:"]
for i in range(50):
    out += ["  - id: c%d" % i, "    name: Service %d" % i, '    paths: ["c%d/**"]' % i]
out.append("threats:")
for i in range(50):
    out += ["  - id: T%d" % i, "    title: Requests to service %d are replayed" % i, "    component: c%d" % i,
            "    severity: low", "    status: accepted",
            "    accept: {reason: Replays are refused by the gateway nonce check since 2025, by: bench, date: 2026-10-01, expires: 2027-10-01}"]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
    dirs=(); for i in $(seq 0 49); do dirs+=("c$i"); done
    (cd "$d" && git init -q && /usr/bin/python3 ../../../tests/repo/history.py "$n" ../history-model.yaml "${dirs[@]}" |
       git fast-import --quiet && git symbolic-ref HEAD refs/heads/main && git checkout -q -f main)
  fi
  read -r tr mr < <(measure 5 build/tmlint check --now 2026-11-23 "$d/threat-model.yaml")
  read -r tn _ < <(measure 5 build/tmlint check --now 2026-11-23 --no-repo "$d/threat-model.yaml")
  read -r tc _ < <(measure 5 build/tmlint check --now 2026-11-23 --changed-since HEAD~5 "$d/threat-model.yaml")
  awk -v n="$n" -v tr="$tr" -v tn="$tn" -v tc="$tc" -v mr="$mr" 'BEGIN {
    printf "%-8d %-10d %9.3f %9.3f %9.3f %11.1f\n", n, 50, tr, tn, tc, mr / 1024 }'
done
