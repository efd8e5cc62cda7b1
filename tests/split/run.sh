# A large model's rules split across worker processes (src/core/split.c): what
# tmlint writes must be what one process writes, byte for byte, whichever
# process ran which rule. TMLINT_SPLIT_NODES=1 splits even small files.
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1
T="$TMLINT"
export TMLINT_SPLIT_NODES=1

same() { # same LABEL FILE1 FILE2
  if cmp -s "$2" "$3"; then pass; else fail "$1: the split run differs"; diff "$2" "$3" | head -10 >&2; fi
}

# every sample and every rule's goldens: SARIF and text, with 1 and 3 processes
n=0
for f in samples/findings/*.yaml samples/clean/*.yaml tests/rules/*/*.tm.yaml; do
  [ -f "$f" ] || continue
  for j in 1 3; do
    "$T" check --now $NOW --jobs $j --format sarif --output "$WORK/s$j.sarif" "$f" >/dev/null 2>"$WORK/e$j"
    echo "rc=$?" >>"$WORK/e$j"
    "$T" check --now $NOW --jobs $j --color never "$f" >"$WORK/t$j" 2>&1
    echo "rc=$?" >>"$WORK/t$j"
  done
  same "$f (SARIF)" "$WORK/s1.sarif" "$WORK/s3.sarif"
  same "$f (SARIF run's messages)" "$WORK/e1" "$WORK/e3"
  same "$f (text)" "$WORK/t1" "$WORK/t3"
  n=$((n + 1))
done
[ "$n" -gt 100 ] && pass || fail "only $n files compared"

# it does split: one pipe per worker (strace counts them; not forks, which
# the sanitizers' leak check makes too)
# pipes FILE: the pipe calls strace saw. With -f another process's event can
# split a call into "pipe2(... <unfinished ...>" and "<... pipe2 resumed>"
# lines (CI saw 3 for 2): count the calls' openings only, and leave the
# signals (the rules' timer) out of the trace.
pipes() { grep -cE '^[0-9]+ +pipe2?\(' "$1"; }
ST="strace -f -qq -e signal=none -e trace=pipe,pipe2"
if command -v strace >/dev/null; then
  $ST -o "$WORK/st" "$T" check --now $NOW --jobs 3 samples/findings/mobile-banking.tm.yaml >/dev/null 2>&1
  [ "$(pipes "$WORK/st")" -eq 2 ] && pass || { fail "--jobs 3 should fork two workers"; cat "$WORK/st" >&2; }
  # without --jobs, one process however large the model (the split is
  # slower on 2 cores: bench/README.md)
  $ST -o "$WORK/st" "$T" check --now $NOW samples/findings/mobile-banking.tm.yaml >/dev/null 2>&1
  [ "$(pipes "$WORK/st")" -eq 0 ] && pass || fail "without --jobs the rules should run in one process"
  # with --jobs, a model under the size threshold still gets one process
  TMLINT_SPLIT_NODES=1000000 $ST -o "$WORK/st" "$T" check --now $NOW --jobs 3 \
    samples/findings/mobile-banking.tm.yaml >/dev/null 2>&1
  [ "$(pipes "$WORK/st")" -eq 0 ] && pass || fail "a small model should be checked in one process, even with --jobs"
fi

# --timings: every rule listed once with one call, split or not
for j in 1 3; do
  "$T" check --now $NOW --jobs $j --timings samples/findings/mobile-banking.tm.yaml 2>&1 >/dev/null |
    awk '$1 ~ /^TM[0-9]+$/ {print $1, $2, $NF}' | sort >"$WORK/tim$j"
done
same "--timings rules and calls" "$WORK/tim1" "$WORK/tim3"
"$T" check --now $NOW --jobs 3 --timings samples/findings/mobile-banking.tm.yaml >/dev/null 2>"$WORK/err"
expect_in "$WORK/err" "(the rules ran in up to 3 processes at once: their times overlap)" "--timings says the rules were split"
"$T" check --now $NOW --jobs 1 --timings samples/findings/mobile-banking.tm.yaml >/dev/null 2>"$WORK/err"
expect_not_in "$WORK/err" "processes at once" "and says nothing in one process"
[ "$(wc -l <"$WORK/tim3")" -gt 50 ] && pass || fail "--timings lists too few rules"

# a team rule that fails, one that reports, one that uses a suppression:
# same diagnostics, findings and exit status
R="$WORK/rules"; mkdir -p "$R" && cp -r rules/. "$R/"
cat >"$R/TM900.lua" <<'LUA'
return { id = "TM900", name = "fails", level = "warning", summary = "s", help = "h", message = "m",
  run = function() error("this rule breaks") end }
LUA
cat >"$R/TM902.lua" <<'LUA'
return { id = "TM902", name = "fails-too", level = "warning", summary = "s", help = "h", message = "m",
  run = function() error("this rule breaks as well") end }
LUA
cat >"$R/TM901.lua" <<'LUA'
return { id = "TM901", name = "per-threat", level = "note", summary = "s", help = "h", message = "threat {id}",
  run = function(model, report) for _, t in ipairs(model.threats) do report(t, { id = t.id }) end end }
LUA
M="$WORK/m.tm.yaml"
cat >"$M" <<'YAML'
model: 1
title: Split
owner: team
threats:
  - id: T1
    title: Token replay
    tmlint-ignore: [{rule: TM901, reason: replay is covered by the gateway's nonce check}]
  - id: T2
    title: Log tampering
YAML
for j in 1 2 4; do
  "$T" check --now $NOW --rules-dir "$R" --jobs $j --color never "$M" >"$WORK/r$j" 2>&1
  echo "rc=$?" >>"$WORK/r$j"
done
# ... and with every rule in the one worker (the parent idle): each result
# has to come back through the record to be there at all
TMLINT_SPLIT_TEST=idle "$T" check --now $NOW --rules-dir "$R" --jobs 2 --color never "$M" >"$WORK/ri" 2>&1
echo "rc=$?" >>"$WORK/ri"
same "team rules, 2 processes" "$WORK/r1" "$WORK/r2"
same "team rules, 4 processes" "$WORK/r1" "$WORK/r4"
same "team rules, all in the worker" "$WORK/r1" "$WORK/ri"
expect_in "$WORK/ri" "this rule breaks as well" "both failing rules' errors come back"
[ "$(grep -n 'this rule breaks' "$WORK/ri" | head -1 | grep -c 'as well')" = 0 ] && pass || fail "rule errors out of rule order"
expect_in "$WORK/ri" "this rule breaks" "the failing rule's error is reported"
expect_in "$WORK/ri" "threat T2" "a worker's finding"
expect_not_in "$WORK/ri" "threat T1" "suppressed in the file"
expect_not_in "$WORK/ri" "TM005" "a suppression used by a worker's rule is not reported unused"
# outside a repository: the summary says why repository rules were quiet
expect_in "$WORK/r1" "repository rules quiet: not in a git repository" "one process, outside a repository"
expect_in "$WORK/ri" "repository rules quiet: not in a git repository" "split, outside a repository"

# in a shallow clone: the history rules' notes about the repository, and
# their findings, are those of one process (repository rules run in the
# parent, after the others, in rule order)
G="$WORK/git"; mkdir -p "$G/src" && cp docs/threat-model.tm.yaml "$G/threat-model.yaml"
( cd "$G" && git init -q && echo a >src/app.c && git add -A &&
  git -c user.email=t@example.test -c user.name=t commit -qm one &&
  echo b >>src/app.c && git -c user.email=t@example.test -c user.name=t commit -qam two ) >/dev/null 2>&1
git clone -q --depth 1 "file://$G" "$WORK/shallow" 2>/dev/null
for mode in 1 idle; do
  ( cd "$WORK/shallow" && if [ $mode = idle ]; then TMLINT_SPLIT_TEST=idle "$T" check --now $NOW --jobs 2 --color never threat-model.yaml
    else "$T" check --now $NOW --jobs 1 --color never threat-model.yaml; fi ) >"$WORK/g$mode" 2>&1
  echo "rc=$?" >>"$WORK/g$mode"
done
same "a shallow clone, all in the worker" "$WORK/g1" "$WORK/gidle"
expect_in "$WORK/gidle" "the history is shallow" "the repository note survives the split"

# a worker that dies: its rules run again here, the output is the same, and
# a warning says what happened
f=samples/findings/mobile-banking.tm.yaml
"$T" check --now $NOW --jobs 1 --color never "$f" >"$WORK/a.txt" 2>/dev/null; rc1=$?
TMLINT_SPLIT_TEST=exit "$T" check --now $NOW --jobs 3 --color never "$f" >"$WORK/b.txt" 2>"$WORK/err"; rc3=$?
same "a failed worker's rules rerun" "$WORK/a.txt" "$WORK/b.txt"
[ "$rc1" = "$rc3" ] && pass || fail "exit $rc3 after a failed worker, $rc1 without"
expect_in "$WORK/err" "2 of the processes the rules were split across failed; their rules ran again in this one" "the failure is said"
TMLINT_SPLIT_TEST=exit "$T" check --now $NOW --jobs 3 --format sarif --output "$WORK/b.sarif" "$f" >/dev/null 2>&1
expect_in "$WORK/b.sarif" '"text": "2 of the processes the rules were split across failed' "and in SARIF's notifications"
# a worker that exits cleanly but sends half its record: refused whole, rerun
TMLINT_SPLIT_TEST=cut "$T" check --now $NOW --jobs 3 --color never "$f" >"$WORK/c.txt" 2>"$WORK/err"; rc3=$?
same "a cut record's rules rerun" "$WORK/a.txt" "$WORK/c.txt"
[ "$rc1" = "$rc3" ] && pass || fail "exit $rc3 after a cut record, $rc1 without"
expect_in "$WORK/err" "2 of the processes the rules were split across failed" "a cut record counts as a failure"

# --verbose keeps rules' print() output in order: no split
if command -v strace >/dev/null; then
  $ST -o "$WORK/st" "$T" check --now $NOW --verbose --jobs 3 "$f" >/dev/null 2>&1
  [ "$(pipes "$WORK/st")" -eq 0 ] && pass || fail "--verbose should not split"
fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
