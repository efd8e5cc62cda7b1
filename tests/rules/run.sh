# Rule tests: for each rule directory, fires.tm.yaml must give exactly the
# findings in expected.txt (line:col: level: message) and quiet.tm.yaml
# none of that rule; and `tmlint test` must pass on both, from their
# annotations (# expect: where each finding starts, # ok: on the quiet ones,
# # args: for the options a rule needs). A rule that reads the repository gets one from
# repo.sh; one that needs options names them in args. Regenerate with UPDATE_GOLDEN=1 (then review by hand).
. "$(dirname "$0")/../lib.sh"
cd "$SRC/tests/rules" || exit 1
for dir in TM*/; do
  id=${dir%/}
  base=$id
  # a rule that reads the repository builds its own, with a scripted history
  if [ -f "$id/repo.sh" ]; then
    base="$WORK/repo-$id"
    bash "$id/repo.sh" "$base" >/dev/null 2>&1 || { fail "$id/repo.sh could not build its repository"; continue; }
  fi
  # a rule that needs options (--staged, --test-results) lists them in args;
  # @HERE@ is the rule's test directory
  extra=()
  [ -f "$id/args" ] && read -r -a extra < <(sed "s#@HERE@#$PWD/$id#g; s#@SRC@#$SRC#g" "$id/args")
  run "$TMLINT" check --now "$NOW" --color never "${extra[@]}" "$base/fires.tm.yaml"
  grep -F "[$id " "$WORK/out" | sed -E 's/^[^:]+:([0-9]+:[0-9]+: )/\1/; s/ \[[A-Za-z0-9_-]+ [^]]+\]$//' >"$WORK/actual"
  [ -s "$WORK/actual" ] || fail "$id: fires.tm.yaml gave no $id finding"
  compare_golden "$WORK/actual" "$id/expected.txt" "$id fires"
  # quiet.tm.yaml, quiet-*.* for cases in other formats, and models in
  # repositories of their own that repo.sh made (quiet-repo*/)
  fixtures=()
  # TM346's findings land in the repository's CI files: its fires.tm.yaml names them with '# see:'
  fixtures+=("$base/fires.tm.yaml")
  for q in "$base"/quiet.tm.yaml "$id"/quiet-*.* "$base"/quiet-repo*/*.tm.yaml; do
    [ -e "$q" ] || continue
    fixtures+=("$q")
    run "$TMLINT" check --now "$NOW" --color never "${extra[@]}" "$q"
    [ "$rc" -le 1 ] || { fail "$q could not be checked"; cat "$WORK/err" >&2; }
    expect_not_in "$WORK/out" "[$id " "$q quiet"
  done
  # the same fixtures through tmlint test: each is annotated where its
  # findings start (# expect:) and for the rule that must stay quiet (# ok:)
  run "$TMLINT" test --now "$NOW" "${fixtures[@]}"
  expect_rc 0 "$id: tmlint test"
  [ "$rc" = 0 ] || cat "$WORK/out" "$WORK/err" >&2
done
# What counts as a mitigation (tm.placeholder, one helper for every rule
# and the audit): 40 texts that do, 40 that do not, each at its line
run "$TMLINT" check --now "$NOW" --color never --only TM310 placeholders/count.tm.yaml
expect_rc 0 "40 real mitigations: TM310 quiet"
run "$TMLINT" check --now "$NOW" --color never --only TM310 placeholders/discount.tm.yaml
sed -E 's/^[^:]+:([0-9]+:[0-9]+: )/\1/; s/ \[[A-Za-z0-9_-]+ [^]]+\]$//' "$WORK/out" >"$WORK/actual"
compare_golden "$WORK/actual" placeholders/expected.txt "40 placeholders: TM310 at each"
[ "$(wc -l <"$WORK/actual")" = 40 ] && pass || fail "TM310 did not fire on all 40 placeholders"
# Threat Composer: a resolved threat whose only control is identified is
# TM321's; a workspace with no threats yet is read and is TM104's
run "$TMLINT" check --now "$NOW" --color never --only TM321 TM321/composer.tc.json
expect_in "$WORK/out" "composer.tc.json:12:17: error: threat 'T-1' says mitigated, but none of its mitigations is done: 'M-1' is planned [TM321" "TM321 in Threat Composer"
[ "$(grep -c '\[TM321 ' "$WORK/out")" = 1 ] && pass || fail "TM321 in Threat Composer: the resolved threat with a done control stays quiet"
run "$TMLINT" check --now "$NOW" --color never TM104/workspace-only.tc.json
expect_rc 1 "a Threat Composer workspace with no threats is checked"
expect_in "$WORK/out" "workspace-only.tc.json:1:1: error: the model lists no threats [TM104" "and is empty-model's"
finish
