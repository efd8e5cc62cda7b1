# tmlint test, the rule authors' runner: annotated fixtures pass, and each
# way a fixture can disagree with its rule (a finding missing, one
# unexpected, one where `ok` forbids it, a count or format that differs) is
# a failure at its line; bad annotations are errors at their line and
# column; JSON fixtures take a sidecar; --only, --format junit, and the
# default of the team rules directories' tests/ folders.
. "$(dirname "$0")/../lib.sh"
R="$WORK/team"; mkdir -p "$R/tm-rules/tests" && cd "$R" && git init -q
cat >tm-rules/ACME1.lua <<'LUA'
return {
  id = "ACME1", name = "owner-is-team", level = "warning", meta = { "1.1.1" },
  summary = "The owner is a team, not a person", help = "A team outlives its members.",
  message = "owner {owner} is a person, not a team",
  run = function(model, report)
    if model.owner and not string.find(model.owner, "^team%-") then
      report(model, { field = "owner", owner = model.owner })
    end
  end,
}
LUA
printf 'rules_dirs: [tm-rules]\n' >.tmlint.yaml
cat >tm-rules/tests/fires.tm.yaml <<'YAML'
model: 1
title: Shop
owner: alice            # expect: ACME1
threats:
  # expect: TM310
  - {id: T1, title: Card numbers are read from the logs, status: open}
YAML
cat >tm-rules/tests/quiet.tm.yaml <<'YAML'
# ok: ACME1
model: 1
title: Shop
owner: team-shop
threats: []
YAML
printf '{"model": 1, "title": "Shop", "owner": "bob", "threats": []}\n' >tm-rules/tests/api.tm.json
printf '# JSON has no comments\n1 ACME1\nexpect-read: native\nexpect-count: threats=0, components=0\n' >tm-rules/tests/api.tm.json.expect
run "$TMLINT" test --now "$NOW"
expect_rc 0 "the team's fixtures pass"
expect_in "$WORK/out" "tmlint test: 3 passed, 0 failed (3 fixtures)" "summary"
expect_in "$WORK/out" "ok   tm-rules/tests/fires.tm.yaml" "each fixture said, from the working directory"
# the rule broken: it stops firing, and then fires everywhere
sed -i 's/"\^team%-"/"^nobody"/' tm-rules/ACME1.lua
run "$TMLINT" test --now "$NOW" tm-rules/tests
expect_rc 1 "a rule that fires where it should not fails"
expect_in "$WORK/out" "tm-rules/tests/quiet.tm.yaml:4: unexpected ACME1: owner team-shop is a person, not a team" "unexpected, at its line, with the message"
sed -i 's/report(model/local _ = (report)\n      -- report(model/' tm-rules/ACME1.lua
run "$TMLINT" test --now "$NOW" tm-rules/tests
expect_rc 1 "a rule that stops firing fails"
expect_in "$WORK/out" "tm-rules/tests/fires.tm.yaml:3: missing ACME1 (the annotation at line 3 expects it)" "missing, at its line"
expect_in "$WORK/out" "tm-rules/tests/api.tm.json:1: missing ACME1 (the annotation at line 2 expects it)" "JSON: missing, from the sidecar"
expect_not_in "$WORK/out" "TM310" "a built-in rule under test still passes (own-line expect names the next line)"
git checkout -q -- . 2>/dev/null || true
sed -i 's/local _ = (report)//; s/-- report(model/report(model/' tm-rules/ACME1.lua
sed -i 's/"\^nobody"/"^team%-"/' tm-rules/ACME1.lua
run "$TMLINT" test --now "$NOW" tm-rules/tests; expect_rc 0 "the rule restored"
# ok: forbids a finding on its line
printf 'model: 1\ntitle: S\nowner: dave   # ok: ACME1\nthreats: []\n' >"$WORK/okfail.tm.yaml"
run "$TMLINT" test --now "$NOW" --rules-dir "$R/tm-rules" "$WORK/okfail.tm.yaml"
expect_rc 1 "ok: violated"
expect_in "$WORK/out" "okfail.tm.yaml:3: found where 'ok' says none may be: ACME1" "ok: at its line"
# see: findings that land in another file are held to that file's annotations
mkdir -p "$R/seen" && cd "$R"
printf 'model: 1  # ok: ACME1  # see: other.yaml\ntitle: S\nowner: team-a\nthreats: []\n' >seen/main.tm.yaml
printf 'a: 1\nb: 2  # expect: ACME1\n' >seen/other.yaml
run "$TMLINT" test --now "$NOW" seen/main.tm.yaml
expect_rc 1 "see: an expect in the other file with no finding there"
expect_in "$WORK/out" "seen/other.yaml:2: missing ACME1" "see: the other file's expect is checked"
printf 'model: 1  # ok: ACME1  # see: ../../etc/passwd\n' >seen/out.tm.yaml
run "$TMLINT" test --now "$NOW" seen/out.tm.yaml
expect_rc 1 "see: a file outside the repository"
expect_in "$WORK/out" "see: ../../etc/passwd is not a file inside the fixture's repository" "said, not read"
rm -r seen
# what an adapter yields: format and counts
printf '{"model": 1, "title": "S", "owner": "team-a", "threats": []}\n' >"$WORK/count.tm.json"
printf 'expect-read: otm\nexpect-count: threats=2\n' >"$WORK/count.tm.json.expect"
run "$TMLINT" test --now "$NOW" "$WORK/count.tm.json"
expect_rc 1 "format and count mismatch"
expect_in "$WORK/out" "count.tm.json: read as native, expected otm" "expect-read"
expect_in "$WORK/out" "count.tm.json:2: yields 0, expected threats=2" "expect-count"
# bad fixtures: errors with positions
printf 'model: 1\n# expect: ACME9\nowner: bob\nthreats: []  # expect TM310\n# expect:\n' >"$WORK/bad.tm.yaml"
run "$TMLINT" test --now "$NOW" --rules-dir "$R/tm-rules" "$WORK/bad.tm.yaml"
expect_rc 1 "bad annotations fail"
expect_in "$WORK/out" "bad.tm.yaml:2:11: error: no rule has the id 'ACME9'" "unknown rule at its column"
expect_in "$WORK/out" "bad.tm.yaml:4:16: error: 'expect' needs a colon" "missing colon at its column"
expect_in "$WORK/out" "bad.tm.yaml:5:10: error: expect: names no rule" "empty expect"
printf 'model: 1\nthreats: []\n' >"$WORK/none.tm.yaml"
run "$TMLINT" test "$WORK/none.tm.yaml"; expect_rc 1 "a fixture without annotations"
expect_in "$WORK/out" "no annotation: say what it must give" "said"
printf '{"model": 1}\n' >"$WORK/nosidecar.json"
run "$TMLINT" test "$WORK/nosidecar.json"; expect_rc 1 "a JSON fixture without its sidecar"
expect_in "$WORK/out" "a JSON fixture has no comments: its annotations go in $WORK/nosidecar.json.expect" "sidecar named"
printf 'x ACME1\n' >"$WORK/nosidecar.json.expect"
run "$TMLINT" test "$WORK/nosidecar.json"; expect_in "$WORK/out" "nosidecar.json.expect:1:1: error: expected 'LINE RULE'" "bad sidecar line"
# --only, junit, now per fixture
run "$TMLINT" test --now "$NOW" --only TM310 tm-rules/tests
expect_rc 0 "--only"
expect_in "$WORK/out" "1 passed, 0 failed, 2 without the rules of --only (1 fixture)" "--only keeps the fixtures of its rules"
run "$TMLINT" test --now "$NOW" --format junit --output "$WORK/j.xml" tm-rules/tests "$WORK/okfail.tm.yaml"
expect_rc 1 "junit: the failure decides the exit"
/usr/bin/python3 -c 'import sys, xml.dom.minidom as m; d=m.parse(sys.argv[1]); s=d.getElementsByTagName("testsuite")[0]; assert s.getAttribute("tests")=="4" and s.getAttribute("failures")=="1", s.toxml()' "$WORK/j.xml" && pass || fail "junit: 4 cases, 1 failure"
printf 'model: 1\ntitle: S\nowner: team-a\nreviewed: 2025-01-01  # expect: TM101\n# now: 2026-06-01\nthreats: []\n' >"$WORK/now.tm.yaml"
run "$TMLINT" test "$WORK/now.tm.yaml"; expect_rc 0 "# now: sets the date the fixture is checked on"
sed -i 's/# now: 2026-06-01/# now: 2025-06-01/' "$WORK/now.tm.yaml"
run "$TMLINT" test "$WORK/now.tm.yaml"; expect_rc 1 "another now, another result"
# the scaffold: init --rule writes a rule and its fixtures, which pass at
# once and fail once the rule is broken (the path docs/writing-rules.md shows)
S="$WORK/scaffold"; mkdir -p "$S/tm-rules" && cd "$S" && git init -q
printf 'rules_dirs: [tm-rules]\n' >.tmlint.yaml
run "$TMLINT" init --rule ACME1
expect_rc 0 "init --rule"
expect_in "$WORK/out" "wrote tm-rules/ACME1.lua" "the rule file, named from here"
for f in tm-rules/ACME1.lua tm-rules/tests/ACME1/fires.tm.yaml tm-rules/tests/ACME1/quiet.tm.yaml; do
  [ -f "$f" ] && pass || fail "init --rule wrote no $f"
done
for field in id name level meta summary help message settings needs run; do
  grep -q "^  $field = " tm-rules/ACME1.lua && pass || fail "the scaffold has no $field"
done
run "$TMLINT" explain ACME1; expect_rc 0 "the new rule loads and explains itself"
run "$TMLINT" test
expect_rc 0 "the scaffold's fixtures pass"
expect_in "$WORK/out" "ok   tm-rules/tests/ACME1/fires.tm.yaml" "fires fixture, named from here"
expect_in "$WORK/out" "tmlint test: 2 passed, 0 failed (2 fixtures)" "both pass"
# the fixtures are written to have findings: a check of the repository
# (its walk, and the pre-commit hook's --force-exclude on staged files)
# leaves them to tmlint test; a fixture named without --force-exclude is
# checked, as any file named
cp "$SRC/samples/clean/clinic-booking.tm.yaml" model.tm.yaml
run "$TMLINT" check --now "$NOW" --verbose .
expect_in "$WORK/err" "tm-rules/tests/ACME1/fires.tm.yaml: skipped: a test fixture of a team rule (tmlint test runs it)" "the walk skips the fixtures"
expect_not_in "$WORK/out" "tm-rules/tests/" "no finding of a fixture in a check of the repository"
run "$TMLINT" check --now "$NOW" --force-exclude -- tm-rules/tests/ACME1/fires.tm.yaml model.tm.yaml
expect_not_in "$WORK/out" "tm-rules/tests/" "the hook's staged fixtures are left to tmlint test"
expect_in "$WORK/err" "in 1 file" "the hook still checks the model"
run "$TMLINT" check --now "$NOW" tm-rules/tests/ACME1/fires.tm.yaml
expect_in "$WORK/out" "tm-rules/tests/ACME1/fires.tm.yaml:" "a fixture named on the command line is checked"
rm model.tm.yaml
sed -i 's/< settings.min_words/< 1/' tm-rules/ACME1.lua
run "$TMLINT" test
expect_rc 1 "a broken rule fails its fixtures"
expect_in "$WORK/out" "tm-rules/tests/ACME1/fires.tm.yaml:8: missing ACME1 (the annotation at line 8 expects it)" "the missing finding"
cp tm-rules/ACME1.lua "$WORK/saved.lua"
run "$TMLINT" init --rule ACME1; expect_rc 2 "an existing rule is never overwritten"
cmp -s tm-rules/ACME1.lua "$WORK/saved.lua" && pass || fail "init --rule changed an existing rule"
rm tm-rules/ACME1.lua
run "$TMLINT" init --rule ACME1; expect_rc 2 "existing fixtures are never overwritten"
expect_in "$WORK/err" "fires.tm.yaml: error: already exists; not overwriting it" "said"
[ ! -e tm-rules/ACME1.lua ] && pass || fail "a refused scaffold wrote part of itself"
# a tests/ that a repository made a link out of the rules directory is refused
mkdir -p "$WORK/elsewhere" && mkdir -p tm-rules2 && ln -s "$WORK/elsewhere" tm-rules2/tests
run "$TMLINT" init --rule ACME5 --rules-dir tm-rules2
expect_rc 2 "init --rule: tests/ linked out of the rules directory"
expect_in "$WORK/err" "leads out of the rules directory (a symbolic link); nothing written" "said"
[ -z "$(ls "$WORK/elsewhere")" ] && [ ! -e tm-rules2/ACME5.lua ] && pass || fail "init --rule wrote through a link"
run "$TMLINT" init --rule TM310; expect_rc 2 "a built-in id is refused"
run "$TMLINT" init --rule 'bad id'; expect_rc 2 "a malformed id is refused"
run "$TMLINT" init --rule ACME2 --name Bad_Name; expect_rc 2 "a malformed name is refused"
run "$TMLINT" init --name x; expect_rc 2 "--name without --rule"
mkdir -p "$WORK/norules" && cd "$WORK/norules" && git init -q
run "$TMLINT" init --rule ACME1; expect_rc 2 "no rules directory"
expect_in "$WORK/err" "no rules directory: name one with --rules-dir DIR" "said"
mkdir r && run "$TMLINT" init --rule ACME1 --rules-dir r; expect_rc 0 "--rules-dir names where"
[ -f r/tests/ACME1/fires.tm.yaml ] && pass || fail "--rules-dir: fixtures written"
run "$TMLINT" test --rules-dir r; expect_rc 0 "tmlint test --rules-dir runs its tests/"

# no fixture anywhere
mkdir -p "$WORK/empty" && cd "$WORK/empty"
run "$TMLINT" test; expect_rc 2 "no fixtures"
expect_in "$WORK/err" "no fixtures: name fixture files or directories" "said"
finish
