# json, codequality and junit: a golden per format over the samples, each
# output checked against its schema or field list.
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1
for fmt in json codequality junit; do
  ext=$fmt; [ "$fmt" = junit ] && ext=xml
  run "$TMLINT" check --now "$NOW" --format "$fmt" samples/ tests/rules/TM005/fires.tm.yaml
  expect_rc 1 "$fmt exit status"
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
finish
