#!/usr/bin/env bash
# The model's tables built while the loader reads (TMLINT_DIRECT=1) give
# the same output, byte for byte, as the push from the finished tree: on
# the samples, the corpus, every rule's fixtures, the include and merge
# cases, a file of several documents, and with the rules split (--jobs 2).
# bench/same-output.sh runs the same comparison over more files and formats.
. "$(dirname "$0")/../lib.sh"

same() { # same LABEL ARGS...: both ways, the same stdout, stderr and status
  local label=$1; shift
  "$TMLINT" "$@" >"$WORK/a.out" 2>"$WORK/a.err"; local ra=$?
  TMLINT_DIRECT=1 "$TMLINT" "$@" >"$WORK/b.out" 2>"$WORK/b.err"; local rb=$?
  if [ "$ra" = "$rb" ] && cmp -s "$WORK/a.out" "$WORK/b.out" && cmp -s "$WORK/a.err" "$WORK/b.err"; then
    pass
  else
    fail "$label: output differs (exit $ra and $rb)"
    diff "$WORK/a.out" "$WORK/b.out" | head -5 >&2
    diff "$WORK/a.err" "$WORK/b.err" | head -5 >&2
  fi
}

while IFS= read -r f; do
  same "$f" check --now "$NOW" --format sarif "$f"
done < <(cd "$SRC" && find samples tests/corpus tests/golden tests/fuzz/regressions tests/includes tests/rules \
           -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | sort | sed "s|^|$SRC/|")

# several documents, anchors shared and merged, nulls left out, a list of
# elements under a merged key
cat >"$WORK/multi.tm.yaml" <<'YAML'
model: 1
title: first
defaults: &d {status: open, severity: high, owner: ~}
threats:
  - &t1 {id: T1, title: Tokens replayed, <<: *d, status: mitigated, mitigations: [M1]}
  - {id: T2, title: Logs leak, <<: [*d, {kind: x, owner: sec}]}
  - *t1
mitigations:
  - id: M1
    title: Short-lived tokens
    status: planned
    kind: essential
  - ~
---
model: 1
title: second
<<: {threats: [{id: T9, title: Merged in}]}
components: [{id: C1, name: api}]
YAML
same "documents, anchors and merges" check --now "$NOW" --format sarif "$WORK/multi.tm.yaml"
same "documents, json" check --now "$NOW" --format json "$WORK/multi.tm.yaml"
same "jobs 2" check --now "$NOW" --format sarif --jobs 2 "$SRC/samples/findings"

# Lua's memory cap: past it both ways say so at 1:1 (the builder gives up
# before an allocation could fail); at 40 MB the builder gives up at half
# the cap and the push reads the model, with the same findings
{ echo 'model: 1'; echo 'threats:'
  for i in $(seq 20000); do
    printf '  - {id: T%d, title: Threat number %d is told apart, severity: high, status: open, impact: high}\n' "$i" "$i"
  done
} >"$WORK/big.tm.yaml"
export TMLINT_LUA_MEMORY=6000000
same "past Lua's memory cap" check --now "$NOW" --only TM310 "$WORK/big.tm.yaml" "$SRC/samples/findings/mobile-banking.tm.yaml"
expect_in "$WORK/b.err" "big.tm.yaml:1:1: error: the model could not be read into Lua: not enough memory" "the builder past the cap"
export TMLINT_LUA_MEMORY=40000000
same "the builder gives up, the push reads it" check --now "$NOW" --only TM310 "$WORK/big.tm.yaml"
expect_in "$WORK/b.err" "20000 errors" "the model read after the builder gave up"
unset TMLINT_LUA_MEMORY

# a change under check: the model at the base commit is pushed first, and

# the document's tables join its registry (TM347 compares the two)
G="$WORK/g" && mkdir -p "$G" && cd "$G" && git init -q && git config user.email t@e && git config user.name t
cp "$WORK/multi.tm.yaml" m.tm.yaml && git add -A && git commit -qm one
sed -i '/^  - {id: T2/d' m.tm.yaml
same "changed since, a threat deleted" check --now "$NOW" --format sarif --changed-since HEAD m.tm.yaml
expect_in "$WORK/b.out" "TM347" "the base model was read beside the built one"
cd "$SRC"

same "a directory, text" check --now "$NOW" "$SRC/samples"

finish
