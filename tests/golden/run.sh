# Golden tests: the text output (with positions) for every sample, and for
# the samples directory as a whole. Regenerate with UPDATE_GOLDEN=1.
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1
for f in $(find samples -name '*.tm.yaml' | sort); do
  name=${f#samples/}
  run "$TMLINT" check --now "$NOW" --color never "$f"
  { cat "$WORK/out"; echo "exit $rc"; } >"$WORK/actual"
  compare_golden "$WORK/actual" "tests/golden/${name%.tm.yaml}.txt" "$f"
done
run "$TMLINT" check --now "$NOW" --color never samples/
{ cat "$WORK/out"; echo "--- stderr"; cat "$WORK/err"; echo "exit $rc"; } >"$WORK/actual"
compare_golden "$WORK/actual" tests/golden/samples.txt "check samples/"
finish
