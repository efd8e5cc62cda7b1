# docs/rules/ is generated from the rules and their tests: it must be up to
# date (regenerate with docs/rules/generate.sh build/tmlint), and every
# rule's helpUri must name a page that exists.
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1
bash docs/rules/generate.sh "$TMLINT" "$WORK/rules" >/dev/null
if diff -ru docs/rules "$WORK/rules" -x generate.sh >"$WORK/diff"; then pass; else
  fail "docs/rules is out of date; run docs/rules/generate.sh build/tmlint"; head -40 "$WORK/diff" >&2; fi
"$TMLINT" check --format sarif samples/clean >"$WORK/x.sarif"
grep -o '"helpUri": "[^"]*"' "$WORK/x.sarif" | sed 's|.*/docs/rules/||; s|"$||' >"$WORK/pages"
[ "$(wc -l <"$WORK/pages")" -ge 38 ] && pass || fail "fewer help URIs than rules"
while read -r page; do
  [ -f "docs/rules/$page" ] && pass || fail "helpUri names docs/rules/$page, which does not exist"
done <"$WORK/pages"
# every rule has its fires/quiet test
for f in rules/TM*.lua; do
  id=$(basename "$f" .lua)
  [ -f "tests/rules/$id/fires.tm.yaml" ] && [ -f "tests/rules/$id/quiet.tm.yaml" ] && pass || fail "$id has no rule test"
done
# the native examples in docs/model.md and the README are clean models
for doc in docs/model.md README.md; do
  # the first yaml block that is a model (others show hook or CI settings)
  awk '/^```yaml$/{f=1;first=1;next} /^```$/{if(f&&take)done=1;f=0;take=0} f&&first{take=!done&&$0=="model: 1";first=0} f&&take' \
    "$doc" >"$WORK/example.tm.yaml"
  run "$TMLINT" check --now "$NOW" "$WORK/example.tm.yaml"
  [ "$rc" -eq 0 ] && [ ! -s "$WORK/out" ] && [ ! -s "$WORK/err" ] && pass ||
    { fail "the native example in $doc is not clean (exit $rc)"; cat "$WORK/out" "$WORK/err" >&2; }
done
# tmlint's own threat model is clean today (not --now: a model left
# unreviewed for a year is meant to fail here), and each test it names exists
# (TM341 is left to tests/repo: whether code moved on since the model is
# a fact of the history, and would fail this test by the mere passing of commits)
run "$TMLINT" check --disable TM341 "docs/threat-model.tm.yaml"
[ "$rc" -eq 0 ] && [ ! -s "$WORK/out" ] && [ ! -s "$WORK/err" ] && pass ||
  { fail "docs/threat-model.tm.yaml is not clean (exit $rc)"; cat "$WORK/out" "$WORK/err" >&2; }
for t in $(sed -n 's/^ *verified_by: *//p' docs/threat-model.tm.yaml | sed 's/::.*//' | sort -u); do
  [ -f "$t" ] && pass || fail "docs/threat-model.tm.yaml names $t, which does not exist"
done
# the not-applicable table of docs/formats.md is what tmlint says today
bash docs/not-applicable.sh "$TMLINT" >"$WORK/na" 2>"$WORK/na-err" && pass ||
  { fail "docs/not-applicable.sh failed (exit $?)"; cat "$WORK/na-err" >&2; }
sed -n '/<!-- not-applicable:start -->/,/<!-- not-applicable:end -->/p' docs/formats.md | sed '1d;$d' >"$WORK/na-doc"
diff -u "$WORK/na-doc" "$WORK/na" >"$WORK/diff" && pass ||
  { fail "docs/formats.md's not-applicable table is out of date (docs/not-applicable.sh)"; cat "$WORK/diff" >&2; }
grep -q '(threat-model.tm.yaml)' docs/security.md && pass || fail "docs/security.md does not link the threat model"
# every leaf meta threat is either checked or says why not, and the page says what tmlint says
run "$TMLINT" rules --coverage
[ "$rc" -eq 0 ] && pass || { fail "tmlint rules --coverage disagrees with rules/meta-leaves.tsv"; cat "$WORK/err" >&2; }
[ "$(grep -c . "$SRC/rules/meta-leaves.tsv" | tr -d ' ')" -gt 0 ] && [ "$(grep -vc '^#' "$SRC/rules/meta-leaves.tsv")" -eq 108 ] && pass ||
  fail "rules/meta-leaves.tsv does not list the seed's 108 leaves"
bash docs/coverage.sh "$TMLINT" >"$WORK/coverage.md"
diff -u docs/coverage.md "$WORK/coverage.md" >"$WORK/diff" && pass ||
  { fail "docs/coverage.md is out of date (bash docs/coverage.sh build/tmlint >docs/coverage.md)"; head -20 "$WORK/diff" >&2; }
# The README cannot drift: each example that shows a command ($ tmlint ...)
# and what it prints is run, and every line shown (not "...") must come out,
# in order, the summary line included. The date is fixed as a user's
# clock would give it (SOURCE_DATE_EPOCH), so that the example keeps its meaning.
SOURCE_DATE_EPOCH=$(date -d 2026-11-23 +%s) /usr/bin/python3 - "$TMLINT" README.md >"$WORK/readme.txt" 2>&1 <<'PY' && pass || { fail "README examples differ from what tmlint prints"; cat "$WORK/readme.txt" >&2; }
import re, shlex, subprocess, sys
tmlint, readme = sys.argv[1], open(sys.argv[2]).read()
bad = 0
for block in re.findall(r"```\n(\$ tmlint .*?)```", readme, re.S):
    lines = block.rstrip("\n").split("\n")
    cmd = shlex.split(lines[0][2:])
    cmd[0] = tmlint
    p = subprocess.run(cmd, capture_output=True, text=True)
    got = (p.stdout + p.stderr).split("\n")
    i = 0
    for want in lines[1:]:
        if want.strip() == "...":
            continue
        while i < len(got) and got[i] != want:
            i += 1
        if i == len(got):
            print("README: `%s` does not print: %s" % (lines[0], want))
            bad = 1
            break
        i += 1
sys.exit(bad)
PY
finish
