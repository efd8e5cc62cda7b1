# The architecture each adapter reads from the real corpus: for every file
# of a format that draws the system, a test rule (tm-rules/ARCH.lua)
# reports the component types, flows, zones and boundaries it got, each at
# its position; expected/ holds the reviewed result. UPDATE_GOLDEN=1
# rewrites it. Then the same architecture must survive convert --to native.
. "$(dirname "$0")/../lib.sh"
cd "$SRC/tests/corpus" || exit 1
cfg="$SRC/tests/arch/tmlint.yaml"
for f in $(find otm threagile threat-dragon owasp-tml flowstate-tm pytm -type f \( -name '*.json' -o -name '*.yaml' \) | sort); do
  grep -q "^$f	" expected-errors.txt && continue   # refused or a fragment: nothing to read
  run "$TMLINT" check --now "$NOW" --color never -q --config "$cfg" --only ARCH "$f"
  [ "$rc" -le 1 ] || { fail "$f could not be checked"; cat "$WORK/err" >&2; continue; }
  grep -q ' flows, ' "$WORK/out" || { fail "$f: no architecture line"; continue; }
  mkdir -p "$SRC/tests/arch/expected/$(dirname "$f")"
  compare_golden "$WORK/out" "$SRC/tests/arch/expected/$f.txt" "$f"
  # positions aside, a native conversion reads the same architecture
  cp "$WORK/out" "$WORK/before"
  run "$TMLINT" convert --to native "$f"
  cp "$WORK/out" "$WORK/conv.tm.yaml"
  run "$TMLINT" check --now "$NOW" --color never -q --config "$cfg" --only ARCH "$WORK/conv.tm.yaml"
  # boundary lines become each flow's crosses_boundary
  norm() { sed -E 's/^[^ ]+ //; s/, [0-9]+ boundaries//' "$1" | sort; }
  if diff <(norm "$WORK/before") <(norm "$WORK/out") >"$WORK/diff"; then pass; else
    fail "$f: the architecture changes after convert --to native"; head -6 "$WORK/diff" >&2; fi
done

# Wrong shapes in every architecture field (lists for ids, mappings for
# booleans, a 3,000-bend boundary line, self-parents): each file is read,
# no adapter or rule fails, and the findings (TM006's at the exact values,
# for the native file) are the reviewed ones.
cd "$SRC/tests/arch/bad" || exit 1
for f in *.json *.yaml; do
  run "$TMLINT" check --now "$NOW" --color never -q "$f"
  [ "$rc" -le 1 ] && pass || { fail "bad/$f: exit $rc"; cat "$WORK/err" >&2; }
  expect_not_in "$WORK/err" "failed" "bad/$f: no adapter or rule failure"
  compare_golden "$WORK/out" "$SRC/tests/arch/expected/bad/$f.txt" "bad/$f"
done
finish
