# json, codequality and junit: a golden per format over the samples, each
# output checked against its schema or field list.
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1
for fmt in json codequality junit; do
  ext=$fmt; [ "$fmt" = junit ] && ext=xml
  run "$TMLINT" check --now "$NOW" --format "$fmt" samples/ tests/rules/TM005/fires.tm.yaml
  expect_rc 1 "$fmt exit status"
  # the repository's CI files are named by their real path: the clone's place is not part of the golden
  sed -i "s#$(cd "$SRC" && pwd -P)/#@SRC@/#g" "$WORK/out"
  compare_golden "$WORK/out" "tests/formats/expected.$fmt.$ext" "$fmt golden"
  if /usr/bin/python3 tests/formats/check.py "$fmt" "$WORK/out" docs/tmlint-report.schema.json >"$WORK/check" 2>&1; then
    pass; else fail "$fmt does not pass its checks"; cat "$WORK/check" >&2; fi
done
# a file that cannot be read shows in each
printf 'model: 1\nthreats: [\n' >"$WORK/broken.tm.yaml"
for fmt in json codequality junit; do
  run "$TMLINT" check --format "$fmt" "$WORK/broken.tm.yaml"
  expect_rc 2 "$fmt with a broken file"
  /usr/bin/python3 tests/formats/check.py "$fmt" "$WORK/out" docs/tmlint-report.schema.json >/dev/null 2>&1 && pass ||
    fail "$fmt output for a broken file does not pass its checks"
done
run "$TMLINT" check --format json "$WORK/broken.tm.yaml"
expect_in "$WORK/out" '"checked": false' "json marks the file"
expect_in "$WORK/out" 'invalid YAML: did not find expected node content' "json carries the error"
run "$TMLINT" check --format junit "$WORK/broken.tm.yaml"
expect_in "$WORK/out" '<error message="could not be checked"/>' "junit marks the file"
# findings a reviewer trusts (issue 17), on files written for the test
Q="$SRC/tests/formats/quality"
run "$TMLINT" check --now "$NOW" --color never --verbose "$Q/kiosk.tc.json"
expect_rc 1 "threat composer with a dangling link"
expect_in "$WORK/out" "kiosk.tc.json:15:74: error: this refers to threat '0f1e2d3c-0000-4000-8000-00000000dead', which the model does not define; it defines 'T-1' [TM105 unknown-threat]" "dangling link at its place"
expect_in "$WORK/err" "not applicable to the threat-composer format, which has no field for them: " "verbose names the rules that cannot apply"
expect_in "$WORK/err" "TM313 ideas-only, TM314 mitigation-kind-unspecified, TM315 missing-acceptance-criteria" "ideas, kinds, criteria"
expect_in "$WORK/err" " rules not applicable to threat-composer" "the summary counts them"
grep -v dead "$Q/kiosk.tc.json" | sed 's/"linkedId": "0f1e2d3c-0000-4000-8000-000000000001"},/"linkedId": "0f1e2d3c-0000-4000-8000-000000000001"}/' >"$WORK/clean.tc.json"
run "$TMLINT" check --now "$NOW" "$WORK/clean.tc.json"
[ "$rc" -eq 0 ] && [ ! -s "$WORK/out" ] && [ ! -s "$WORK/err" ] && pass || fail "a clean threat composer file is quiet (exit $rc)"
run "$TMLINT" check --now "$NOW" --format sarif "$WORK/clean.tc.json"
expect_in "$WORK/out" '"tmlint/notApplicable": ["TM001", "TM101"' "SARIF records them"
run "$TMLINT" check --now "$NOW" --color never "$Q/kiosk-v1.json"
expect_in "$WORK/out" "kiosk-v1.json:8:10: note: component 'Ticket kiosk' is not named by any threat" "threat dragon v1 label, not the uuid"
# no adapter drops a reference it cannot resolve: one per format
for pair in "kiosk.flowstate.yaml|16:32: error: this refers to threat 'card_skiming', which the model does not define; did you mean 'card_skimming'? [TM105" \
            "kiosk-threagile.yaml|16:3: error: 'unencrypted-asset@ledger' names 'ledger', which the model does not define; it defines 'kiosk' [TM102" \
            "kiosk.tml.json|13:35: error: this refers to threat 'cash-box-theft', which the model does not define; it defines 'card-skimming' [TM105"; do
  file=${pair%%|*} want=${pair#*|}
  run "$TMLINT" check --now "$NOW" --color never "$Q/$file"
  expect_in "$WORK/out" "$file:$want" "$file: the unresolved reference is reported"
done
finish
