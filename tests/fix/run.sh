# check --fix: the safe fixes, byte for byte against goldens (comments,
# order and quoting kept), --diff that writes nothing, and the fixes it
# must not make: a value that closes an item, a rename onto a key that
# exists, an ambiguous correction, standard input, a file outside the tree.
. "$(dirname "$0")/../lib.sh"
D="$WORK/tree"; mkdir -p "$D" && cd "$D" && git init -q
cp "$SRC/tests/fix/before.tm.yaml" m.tm.yaml
chmod 640 m.tm.yaml
# --diff: the change, nothing written, exit 1
run "$TMLINT" check --now "$NOW" --fix --diff m.tm.yaml
expect_rc 1 "--diff: fixes to make"
sed "s#a/m.tm.yaml#a/FILE#; s#b/m.tm.yaml#b/FILE#" "$WORK/out" >"$WORK/fix.diff"
compare_golden "$WORK/fix.diff" "$SRC/tests/fix/expected.diff" "--diff output"
cmp -s m.tm.yaml "$SRC/tests/fix/before.tm.yaml" && pass || fail "--diff wrote the file"
# --fix: written in place, the rest of the bytes as they were
run "$TMLINT" check --now "$NOW" --fix m.tm.yaml
expect_rc 1 "--fix: the findings it cannot fix remain"
compare_golden m.tm.yaml "$SRC/tests/fix/after.tm.yaml" "the fixed file"
expect_in "$WORK/err" "m.tm.yaml:9:13: fixed TM006: 'opne' -> 'open'" "what it fixed, at its place"
expect_in "$WORK/err" "m.tm.yaml:10:5: fixed TM006: 'mitigatons' -> 'mitigations'" "a key renamed"
expect_in "$WORK/err" "tmlint: fixed 4 findings" "how many"
expect_not_in "$WORK/out" "'opne'" "a fixed finding is not reported"
expect_in "$WORK/out" "unknown status 'Mitigatd'" "a value that closes the threat is left to a person"
expect_in "$WORK/out" "unknown key 'mitigation' in a threat" "a rename onto an existing key is left alone"
[ "$(stat -c %a m.tm.yaml)" = 640 ] && pass || fail "--fix changed the file's mode"
ls "$D" | grep -q tmlint-fix && fail "a temporary file was left" || pass
run "$TMLINT" check --now "$NOW" --fix --diff m.tm.yaml
expect_rc 0 "nothing left to fix"
# other formats: a misspelt key (TM008) and a value (TM007) of Threat Dragon
cp "$SRC/tests/rules/TM008/fires.tm.yaml" td.json
run "$TMLINT" check --now "$NOW" --fix --only TM008 td.json
expect_in "$WORK/err" "td.json:11:30: fixed TM008: 'mitigaton' -> 'mitigation'" "TM008: a key of another format"
grep -q '"mitigation": "mutual TLS"' td.json && pass || fail "TM008: the key renamed inside its quotes"
grep -q '"Status": "Mitigated", "mitigation": "signed orders"' td.json && pass || fail "TM008: 'Status: Mitigated' is not renamed: it would close the threat"
grep -q '"isEncrypted": true' td.json && pass || fail "TM008: a flow's key renamed"
# standard input is never written
run "$TMLINT" check --now "$NOW" --fix --stdin-filename x.tm.yaml - <"$SRC/tests/fix/before.tm.yaml"
expect_in "$WORK/err" "x.tm.yaml: note: --fix: not fixed: standard input is not a file tmlint may write" "stdin: said"
# a file outside the tree being checked is not written
mkdir -p "$WORK/outside" && cp "$SRC/tests/fix/before.tm.yaml" "$WORK/outside/o.tm.yaml"
run "$TMLINT" check --now "$NOW" --fix "$WORK/outside/o.tm.yaml"
expect_in "$WORK/err" "note: --fix: not fixed: it lies outside the tree being checked" "outside the tree: said"
cmp -s "$WORK/outside/o.tm.yaml" "$SRC/tests/fix/before.tm.yaml" && pass || fail "a file outside the tree was written"
# a directory it cannot write in: an error, and the file as it was
if [ "$(id -u)" != 0 ]; then
  mkdir -p ro && cp "$SRC/tests/fix/before.tm.yaml" ro/r.tm.yaml && chmod 555 ro
  run "$TMLINT" check --now "$NOW" --fix ro/r.tm.yaml
  expect_rc 2 "read-only directory"
  cmp -s ro/r.tm.yaml "$SRC/tests/fix/before.tm.yaml" && pass || fail "a failed fix changed the file"
  chmod 755 ro
fi
# the diff shows the file's lines with hidden code points escaped (YAML
# refuses control characters; a right-to-left override it allows)
printf 'model: 1\ntitle: T\nowner: t\nthreats:\n  - {id: T1, title: Cards in logs, status: opne}  # \xe2\x80\xaeevil\n' >esc.tm.yaml
run "$TMLINT" check --now "$NOW" --fix --diff esc.tm.yaml
expect_in "$WORK/out" '+  - {id: T1, title: Cards in logs, status: open}  # \u202eevil' "--diff: a hidden code point escaped"
if grep -q $'\xe2\x80\xae' "$WORK/out"; then fail "--diff printed a bidi override raw"; else pass; fi
run "$TMLINT" check --now "$NOW" --diff m.tm.yaml
expect_rc 2 "--diff without --fix"
finish
