# The real corpus: every public model is recognised as its format, loads,
# gives exactly the findings in expected/ (reviewed by hand: a wrong
# finding is a bug to fix, not a golden to freeze), and survives
# `convert --to native` with the same findings. UPDATE_GOLDEN=1 rewrites
# the goldens.
. "$(dirname "$0")/../lib.sh"
cd "$SRC/tests/corpus" || exit 1
for f in $(find otm threagile threat-dragon threat-composer -type f | sort); do
  want_err=$(awk -F'\t' -v f="$f" '$1 == f {print $2}' expected-errors.txt)
  run "$TMLINT" check --now "$NOW" --color never "$f"
  if [ -n "$want_err" ]; then
    expect_rc 2 "$f is refused"
    expect_in "$WORK/err" "$want_err" "$f error"
    continue
  fi
  [ "$rc" -le 1 ] && pass || { fail "$f could not be checked"; cat "$WORK/err" >&2; continue; }
  { cat "$WORK/out"; echo "exit $rc"; } >"$WORK/actual"
  mkdir -p "expected/$(dirname "$f")"
  compare_golden "$WORK/actual" "expected/$f.txt" "$f"
  # recognised as the format of its folder
  run "$TMLINT" convert --to native "$f"
  format=${f%%/*}
  head -1 "$WORK/out" | grep -qx "# converted by tmlint from the $format format" && pass ||
    fail "$f not read as $format: $(head -1 "$WORK/out")"
  # the same findings after conversion, positions aside
  cp "$WORK/out" "$WORK/converted.tm.yaml"
  run "$TMLINT" check --now "$NOW" --color never "$WORK/converted.tm.yaml"
  norm() { sed -E 's/^[^ ]+ //; s/line [0-9]+/line N/' "$1" | sort; }
  grep -v '^exit' "$WORK/actual" >"$WORK/before"
  if diff <(norm "$WORK/before") <(norm "$WORK/out") >"$WORK/diff"; then pass; else
    fail "$f: findings change after convert --to native"; head -10 "$WORK/diff" >&2; fi
done
finish
