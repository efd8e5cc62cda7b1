# The real corpus: every public model is either read as the format of its
# folder, with exactly the findings in expected/ (reviewed by hand: a wrong
# finding is a bug to fix, not a golden to freeze), and survives `convert
# --to native` with the same findings; or it is refused (exit 2) or named a
# fragment (a note) with the message in expected-errors.txt. None may pass
# silently. UPDATE_GOLDEN=1 rewrites the goldens.
. "$(dirname "$0")/../lib.sh"
cd "$SRC/tests/corpus" || exit 1
folders="otm threagile threat-dragon threat-composer owasp-tml cyclonedx-tmbom pytm flowstate-tm other"
adapter_of() {
  case $1 in cyclonedx-tmbom) echo cyclonedx ;; flowstate-tm) echo flowstate ;; *) echo "$1" ;; esac
}

# every file of the shared research corpus is here, unchanged, so the loop
# below covers it (the shared folder is beside the clone in CI, not always)
shared="$SRC/../shared/corpus"
if [ -d "$shared" ]; then
  for f in $(cd "$shared" && find $folders -type f 2>/dev/null | sort); do
    cmp -s "$shared/$f" "$f" && pass || fail "$f: missing here or not byte-for-byte the shared corpus file"
  done
fi

for f in $(find $folders -type f | sort); do
  want=$(awk -F'\t' -v f="$f" '$1 == f {print $2}' expected-errors.txt)
  want_rc=$(awk -F'\t' -v f="$f" '$1 == f {print ($3 == "" ? 2 : $3)}' expected-errors.txt)
  run "$TMLINT" check --now "$NOW" --color never "$f"
  if [ -n "$want" ]; then
    expect_rc "$want_rc" "$f"
    expect_in "$WORK/err" "$want" "$f message"
    [ "$rc" -ne 0 ] || [ -s "$WORK/err" ] || fail "$f passed silently"
    continue
  fi
  [ "$rc" -le 1 ] && pass || { fail "$f could not be checked"; cat "$WORK/err" >&2; continue; }
  { cat "$WORK/out"; echo "exit $rc"; } >"$WORK/actual"
  mkdir -p "expected/$(dirname "$f")"
  compare_golden "$WORK/actual" "expected/$f.txt" "$f"
  # recognised as the format of its folder
  run "$TMLINT" convert --to native "$f"
  format=$(adapter_of "${f%%/*}")
  head -1 "$WORK/out" | grep -qx "# converted by tmlint from the $format format" && pass ||
    fail "$f not read as $format: $(head -1 "$WORK/out") $(cat "$WORK/err")"
  # the same findings after conversion, positions aside
  cp "$WORK/out" "$WORK/converted.tm.yaml"
  run "$TMLINT" check --now "$NOW" --color never "$WORK/converted.tm.yaml"
  norm() { sed -E 's/^[^ ]+ //; s/line [0-9]+/line N/' "$1" | sort; }
  # TM105 aside: a reference to an undefined threat from a component, a
  # control or a link has no place in the native format, where only threats
  # name what they are linked to (docs/formats.md)
  grep -v '^exit' "$WORK/actual" | grep -vF '[TM105 ' >"$WORK/before"
  # TM106 aside for Threagile's computed risks (ids rule@asset@...): their id
  # says what they are about, and a native threat has no place to say so
  grep -vE "threat '[^']*@[^']*' names no component.*\[TM106 " "$WORK/out" >"$WORK/after" || true
  if diff <(norm "$WORK/before") <(norm "$WORK/after") >"$WORK/diff"; then pass; else
    fail "$f: findings change after convert --to native"; head -10 "$WORK/diff" >&2; fi
done
finish
