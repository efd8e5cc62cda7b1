# TM003 by evidence: every "fire" line of TM003/table.txt gives a TM003
# finding at its own description, every "quiet" line none.
. "$(dirname "$0")/../lib.sh"
T="$SRC/tests/rules/TM003/table.txt"
M="$WORK/table.tm.yaml"
{ printf 'model: 1\ntitle: TM003 evidence table\nowner: t\nthreats:\n'
  n=0
  while IFS=$'\t' read -r want text; do
    case "$want" in fire|quiet) ;; *) continue ;; esac
    n=$((n + 1))
    # a block scalar keeps the text as written
    printf '  - id: T%d\n    title: Case %d of the table\n    description: |\n      %s\n' "$n" "$n" "$text"
  done <"$T"; } >"$M"
# lines with a TM003 finding
run "$TMLINT" check --now "$NOW" --color never "$M"
[ "$rc" -le 1 ] || { fail "the table model could not be checked"; cat "$WORK/err" >&2; }
grep -F '[TM003 ' "$WORK/out" | sed -E 's/^[^:]+:([0-9]+):.*/\1/' | sort -u >"$WORK/lines"
n=0 fires=0 quiets=0
while IFS=$'\t' read -r want text; do
  case "$want" in fire|quiet) ;; *) continue ;; esac
  n=$((n + 1))
  line=$((7 + (n - 1) * 4))   # the description (a block scalar is reported at its indicator)
  if grep -qx "$line" "$WORK/lines"; then got=fire; else got=quiet; fi
  if [ "$got" = "$want" ]; then pass; else fail "TM003 should $want on: $text (line $line)"; fi
  [ "$want" = fire ] && fires=$((fires + 1)) || quiets=$((quiets + 1))
done <"$T"
[ "$fires" -ge 40 ] && [ "$quiets" -ge 40 ] && pass || fail "the table needs 40 of each ($fires fire, $quiets quiet)"
finish
