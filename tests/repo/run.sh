# Repository-aware checks at their limits: the change under check
# (--changed-since with a merge base, --staged), bad references, detached
# and shallow checkouts, a damaged .git, a history longer than the walk
# reads, and --test-results files that are broken or hostile. Each gives a
# clear message and the other rules still run.
. "$(dirname "$0")/../lib.sh"
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.email t@example.test
git config --global user.name test
git config --global init.defaultBranch main
git config --global protocol.file.allow always
at() { # at DAY: the dates of a commit DAY days after 2026-01-01
  local when
  when=$(date -u -d "2026-01-01 +$1 days" +%Y-%m-%dT12:00:00Z)
  export GIT_AUTHOR_DATE=$when GIT_COMMITTER_DATE=$when
}
model() { # a model whose one component is the code under svc/, without an owner (TM001 fires)
  cat <<'YAML'
model: 1
title: Card service
components:
  - id: svc
    name: Card service
    paths: ["svc/**"]
threats:
  - id: T1
    title: Card numbers are read from the service logs
    component: svc
    status: accepted
    accept: {reason: The service logs only masked numbers since the 2026 logging change, by: a.lovelace, date: 2026-10-01}
YAML
}
R="$WORK/r"
mkdir -p "$R/svc" && cd "$R" && git init -q
model >threat-model.yaml && echo 'int main(void) { return 0; }' >svc/main.c
at 0 && git add -A && git commit -qm "model and code"
git checkout -q -b feature
echo '/* reads the card twice */' >>svc/main.c
at 1 && git commit -qam "code on the branch"
git checkout -q main
sed -i 's/^title: Card service$/title: Card service, reviewed on main/' threat-model.yaml
at 2 && git commit -qam "the model changes on main after the branch point"
git checkout -q feature

# --changed-since compares with the merge base: main's later model change is not part of the branch's change
run "$TMLINT" check --now "$NOW" --changed-since main threat-model.yaml
expect_in "$WORK/out" "threat-model.yaml:6:5: warning: component 'Card service' (svc): this change touches its code (svc/**) and not the model [TM342" "changed-since: the branch's code change"
expect_in "$WORK/out" "[TM001 " "changed-since: the other rules ran"
# the work tree is part of the change: editing the model (not committed yet) answers it
cp threat-model.yaml "$WORK/saved" && echo "# reviewed for the double read" >>threat-model.yaml
run "$TMLINT" check --now "$NOW" --changed-since main threat-model.yaml
expect_not_in "$WORK/out" "[TM342 " "changed-since: a model edited in the work tree"
cp "$WORK/saved" threat-model.yaml
# a commit can acknowledge its own code change (Threat-Model-Unchanged): each commit counts on its own
git checkout -q -b acked main
mkdir -p api && echo 'int api;' >api/main.c && git add api/main.c
at 3 && git commit -qm "the api, with its model" && git checkout -q -b acked2
sed -i 's#paths: \["svc/\*\*"\]#paths: ["svc/**"]\n  - id: api\n    name: Public API\n    paths: ["api/**"]#' threat-model.yaml
git commit -qam "the api component" && git checkout -q -b acked3
echo '/* log wording */' >>svc/main.c
at 4 && git commit -qam "svc: log wording" -m "Threat-Model-Unchanged: only the wording of log lines changed"
run "$TMLINT" check --now "$NOW" --changed-since acked2 --only TM342 threat-model.yaml
expect_not_in "$WORK/out" "[TM342 " "changed-since: the one commit acknowledges its change"
echo '/* reads a header */' >>api/main.c && at 5 && git commit -qam "api: reads a header"
run "$TMLINT" check --now "$NOW" --changed-since acked2 --only TM342 threat-model.yaml
expect_in "$WORK/out" "component 'Public API' (api): this change touches its code (api/**) and not the model [TM342" "changed-since: an unacknowledged commit"
expect_not_in "$WORK/out" "(svc)" "changed-since: the acknowledged commit's component stays quiet"
git commit -q --amend -m "api: reads a header" -m "Threat-Model-Unchanged: n/a"
run "$TMLINT" check --now "$NOW" --changed-since acked2 --only TM342 threat-model.yaml
expect_in "$WORK/out" "(api): this change" "changed-since: a reason too short acknowledges nothing"
git commit -q --amend -m "api: reads a header" -m "Threat-Model-Unchanged: the header is only logged, never trusted"
echo '/* uncommitted */' >>svc/main.c
run "$TMLINT" check --now "$NOW" --changed-since acked2 --only TM342 threat-model.yaml
expect_in "$WORK/out" "(svc): this change" "changed-since: the work tree has no trailer"
expect_not_in "$WORK/out" "(api)" "changed-since: both commits acknowledged"
# past the commits whose trailers are read, nothing is acknowledged, and that is said
git checkout -q -- .
TMLINT_ACK_MAX=1 run "$TMLINT" check --now "$NOW" --changed-since acked2 --only TM342 threat-model.yaml
expect_in "$WORK/out" "(svc): this change" "trailers not all read: the acknowledged commit counts again"
expect_in "$WORK/err" "could not all be read (more than 10000, or a damaged commit), so no Threat-Model-Unchanged trailer acknowledges any of it" "trailers not all read: said"
git checkout -q feature

# without a change under check TM342 is quiet
run "$TMLINT" check --now "$NOW" threat-model.yaml
expect_not_in "$WORK/out" "[TM342 " "no change under check"
# a reference that names nothing is an error that names it; the other rules still run
run "$TMLINT" check --now "$NOW" --changed-since origin/mian threat-model.yaml
expect_rc 2 "bad --changed-since"
expect_in "$WORK/err" "--changed-since 'origin/mian' names no commit here" "bad ref named"
expect_in "$WORK/out" "[TM001 " "bad ref: the other rules ran"
run "$TMLINT" check --now "$NOW" --changed-since main --staged threat-model.yaml
expect_rc 2 "--staged with --changed-since"
expect_in "$WORK/err" "two different changes" "--staged with --changed-since says why"
run "$TMLINT" check --now "$NOW" --changed-since=-x threat-model.yaml
expect_rc 2 "--changed-since an option-like value"

# --staged: only what is in the index
echo '/* not staged */' >>svc/main.c
run "$TMLINT" check --now "$NOW" --staged threat-model.yaml
expect_not_in "$WORK/out" "[TM342 " "staged: a work-tree change is not staged"
git add svc/main.c
run "$TMLINT" check --now "$NOW" --staged threat-model.yaml
expect_in "$WORK/out" "[TM342 " "staged: a staged code change"
git checkout -q -- . 2>/dev/null; git reset -q --hard

# a detached HEAD reads like a branch
git checkout -q --detach HEAD~1
run "$TMLINT" check --now "$NOW" --changed-since main threat-model.yaml
expect_rc 0 "detached HEAD"
run "$TMLINT" check --now "$NOW" --staged threat-model.yaml
expect_rc 0 "detached HEAD, staged"
git checkout -q feature

# a first commit: everything staged is new, the model too
F="$WORK/first" && mkdir -p "$F/svc" && cd "$F" && git init -q
model >threat-model.yaml && echo 'int x;' >svc/main.c && git add svc/main.c
run "$TMLINT" check --now "$NOW" --staged threat-model.yaml
expect_in "$WORK/out" "[TM342 " "first commit: code staged, model not"
git add threat-model.yaml
run "$TMLINT" check --now "$NOW" --staged threat-model.yaml
expect_not_in "$WORK/out" "[TM342 " "first commit: both staged"

# a change asked for outside any repository is an error, not a silent pass
N="$WORK/norepo" && mkdir -p "$N" && model >"$N/threat-model.yaml"
run "$TMLINT" check --now "$NOW" --staged "$N/threat-model.yaml"
expect_rc 2 "--staged outside a repository"
expect_in "$WORK/err" "not in a git repository, so --staged has no change to compare" "--staged outside a repository says why"
expect_in "$WORK/out" "[TM001 " "outside a repository: the other rules ran"

# a shallow clone: the walk stops at the boundary and says so
S="$WORK/shallow"
cd "$R" && for i in $(seq 3 30); do echo "/* $i */" >>svc/main.c; at "$((i * 4))"; git commit -qam "code $i"; done
git clone -q --depth 5 --no-single-branch -b feature "file://$R" "$S" 2>/dev/null
cd "$S"
run "$TMLINT" check --now "$NOW" threat-model.yaml
[ "$rc" -le 1 ] && pass || fail "shallow clone: rc $rc"
expect_in "$WORK/err" "the history is shallow" "shallow clone: said so"
expect_in "$WORK/out" "[TM001 " "shallow: the other rules ran"
run "$TMLINT" check --now "$NOW" --changed-since origin/main threat-model.yaml
expect_rc 2 "shallow clone without the merge base"
expect_in "$WORK/err" "fetch-depth 0" "shallow clone: the fix is named"

# a damaged .git: a warning, and the other rules run
D="$WORK/damaged" && mkdir -p "$D/.git" && cd "$D"
model >threat-model.yaml && echo "garbage" >.git/HEAD
run "$TMLINT" check --now "$NOW" threat-model.yaml
[ "$rc" -le 1 ] && pass || fail "damaged .git: rc $rc"
expect_in "$WORK/err" "the history cannot be read" "damaged .git: a warning"
expect_in "$WORK/out" "[TM001 " "damaged .git: the other rules ran"
run "$TMLINT" check --now "$NOW" --staged threat-model.yaml
expect_rc 2 "damaged .git with --staged"
expect_in "$WORK/err" "change-aware rules did not run" "damaged .git, staged: said so"

# 100,000 commits: the walk reads the newest 10,000 and says so
B="$WORK/big" && mkdir -p "$B" && cd "$B" && git init -q
model >"$WORK/m.yaml"
/usr/bin/python3 "$SRC/tests/repo/history.py" 100000 "$WORK/m.yaml" svc | git fast-import --quiet && git checkout -q main
# a time budget the walk cannot reach on a loaded machine: the commit limit is what binds
run "$TMLINT" check --now "$NOW" --max-rule-time 120 threat-model.yaml
[ "$rc" -le 1 ] && pass || fail "100,000 commits: rc $rc"
expect_in "$WORK/err" "history read to its newest 10000 commits" "100,000 commits: the bound is said"
expect_in "$WORK/out" "[TM001 " "100,000 commits: the other rules ran"

# test results that cannot be read: an error at the file, line and column; TM343 quiet, the others run
cd "$R"
printf '<testsuite>\n  <testcase name="a">\n</testsuite>\n' >"$WORK/broken.xml"
run "$TMLINT" check --now "$NOW" --test-results "$WORK/broken.xml" threat-model.yaml
expect_rc 2 "broken JUnit"
expect_in "$WORK/err" "$WORK/broken.xml:3:3: error: test results: not well-formed XML: mismatched tag" "broken JUnit: where"
expect_in "$WORK/out" "[TM001 " "broken JUnit: the other rules ran"
printf '<?xml version="1.0"?>\n<!DOCTYPE b [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<testsuite><testcase name="&b;"/></testsuite>\n' >"$WORK/bomb.xml"
run "$TMLINT" check --now "$NOW" --test-results "$WORK/bomb.xml" threat-model.yaml
expect_rc 2 "XML bomb"
expect_in "$WORK/err" "bomb.xml:2:13: error: test results: has a DOCTYPE" "XML bomb refused"
head -c 300000 /dev/zero | tr '\0' ' ' >"$WORK/huge.xml"
run "$TMLINT" check --now "$NOW" --max-file-size 100000 --test-results "$WORK/huge.xml" threat-model.yaml
expect_rc 2 "huge JUnit"
expect_in "$WORK/err" "huge.xml: error: test results: larger than 100000 bytes" "huge JUnit refused"
echo '{"tests": []}' >"$WORK/results.json"
run "$TMLINT" check --now "$NOW" --test-results "$WORK/results.json" threat-model.yaml
expect_rc 2 "JSON given as JUnit"
expect_in "$WORK/err" "results.json:1:1: error: test results: not well-formed XML" "JSON refused"
run "$TMLINT" check --now "$NOW" --test-results "$WORK/none.xml" threat-model.yaml
expect_rc 2 "missing JUnit"
expect_in "$WORK/err" "none.xml: error: test results: cannot be opened" "missing JUnit named"
run "$TMLINT" check --now "$NOW" --test-results "$WORK" threat-model.yaml
expect_rc 2 "a directory as JUnit"
# end to end on a clone of tmlint itself, with its own threat model
if git -C "$SRC" rev-parse --verify -q HEAD >/dev/null 2>&1 && [ -n "${BUILD:-}" ]; then
  T="$WORK/self"
  git clone -q "$SRC" "$T" && cd "$T"
  m=docs/threat-model.tm.yaml
  run "$TMLINT" check --now "$NOW" --only TM340 --only TM341 "$m"
  [ "$rc" -le 1 ] && pass || fail "self: rc $rc"
  expect_not_in "$WORK/err" "cannot be read" "self: the history is read"
  expect_not_in "$WORK/out" "[TM340 " "self: every verified_by of tmlint's model exists"
  # the engine's code moves on by 21 commits; the model does not
  for i in $(seq 1 21); do echo "/* $i */" >>src/repo/repo.c; git -c user.email=t@example.test -c user.name=t commit -qam "engine $i"; done
  run "$TMLINT" check --now "$NOW" --only TM341 "$m"
  ahead=$(git rev-list --count "$(git log -1 --format=%H -- "$m")..HEAD")
  expect_in "$WORK/out" "(engine) changed in commit $(git rev-parse --short=12 HEAD) ($ahead commits and" "self: model-behind-code"
  expect_not_in "$WORK/out" "(outputs) changed" "self: the outputs' code did not move"
  # a staged change to the engine, without the model
  echo "/* staged */" >>src/repo/repo.c && git add src/repo/repo.c
  run "$TMLINT" check --now "$NOW" --staged --only TM342 "$m"
  expect_in "$WORK/out" "(engine): this change touches its code" "self: change-without-model"
  expect_not_in "$WORK/out" "(outputs):" "self: only the component whose code changed"
  # its test results, as cmocka writes them: M29's test passed, then failed
  CMOCKA_MESSAGE_OUTPUT=xml CMOCKA_XML_FILE="$WORK/cmocka.xml" "$BUILD/tests/test_junit" >/dev/null 2>&1
  run "$TMLINT" check --now "$NOW" --only TM343 --test-results "$WORK/cmocka.xml" "$m"
  expect_not_in "$WORK/out" "'M29'" "self: failing-evidence quiet when the test passed"
  sed 's#<testcase name="test_bad_files"\([^>]*\)>#<testcase name="test_bad_files"\1><failure message="refused nothing"/>#' "$WORK/cmocka.xml" >"$WORK/cmocka-failed.xml"
  run "$TMLINT" check --now "$NOW" --only TM343 --test-results "$WORK/cmocka-failed.xml" "$m"
  expect_in "$WORK/out" "mitigation 'M29' is done and verified_by 'tests/unit/test_junit.c::test_bad_files', but test 'test_bad_files' failed (" "self: failing-evidence"
  # an audit of the clone beside a copy without any model: only the copy is listed
  mkdir -p "$WORK/audit" && git clone -q "$SRC" "$WORK/audit/tmlint" && git clone -q "$SRC" "$WORK/audit/bare"
  (cd "$WORK/audit/bare" && git rm -q -r samples tests docs/threat-model.tm.yaml &&
   git -c user.email=t@example.test -c user.name=t commit -qm "no models")
  run "$TMLINT" audit --now "$NOW" -j 2 "$WORK/audit"
  expect_in "$WORK/out" "$WORK/audit/bare " "self: audit lists the copy without a model"
  expect_not_in "$WORK/out" "$WORK/audit/tmlint " "self: audit does not list tmlint, which has its model"
fi
# the model at the base commit (TM347): with --staged the base is HEAD; a
# base version that is not YAML is one note, not an error of the file
B="$WORK/base" && bash "$SRC/tests/rules/TM347/repo.sh" "$B" >/dev/null 2>&1 && cd "$B"
git checkout -q main && cp "$SRC/tests/rules/TM347/fires.tm.yaml" . && git add fires.tm.yaml
run "$TMLINT" check --now "$NOW" --staged --only TM347 fires.tm.yaml
expect_in "$WORK/out" "fires.tm.yaml:8:1: warning: threat 'T1' (A shared link still opens a document after it is revoked) was open at the base commit" "staged: the base is HEAD"
git reset -q --hard && printf 'model: 1\nthreats: [\n' >fires.tm.yaml && git commit -qam broken && git checkout -q -b broken-base
cp "$SRC/tests/rules/TM347/fires.tm.yaml" .
run "$TMLINT" check --now "$NOW" --changed-since main --only TM347 fires.tm.yaml
expect_rc 0 "unreadable base: the file itself is fine"
expect_in "$WORK/err" "fires.tm.yaml: note: its version at the base commit" "unreadable base: one note"
run "$TMLINT" check --now "$NOW" --only TM347 fires.tm.yaml
expect_not_in "$WORK/out" "base commit" "no change under check: no base read (findings)"
expect_not_in "$WORK/err" "base commit" "no change under check: no base read (notes)"
# CI files (TM346) that are broken or hostile: one note at the file's line and
# column, never an error of the model; a workflow outside the repository
# (symlink) and a directory in a CI file's place are not read
C="$WORK/ci-bad" && mkdir -p "$C/.github/workflows" "$C/.gitlab-ci.yml" && cd "$C" && git init -q
model >threat-model.yaml
printf 'jobs:\n  a: [\n' >.github/workflows/broken.yml
printf 'jobs:\n  a:\n    continue-on-error: true\n    steps: [{run: tmlint check .}]\n' >"$WORK/outside.yml"
ln -s "$WORK/outside.yml" .github/workflows/outside.yml
printf 'jobs: 3\n' >.github/workflows/scalar.yml
run "$TMLINT" check --now "$NOW" --only TM346 threat-model.yaml
expect_rc 0 "broken CI files: the model is fine"
expect_in "$WORK/err" ".github/workflows/broken.yml:3:1: note: this CI file is not readable YAML" "broken CI file: a note at its line"
expect_not_in "$WORK/out" "outside.yml" "a workflow symlinked from outside is not read"
expect_not_in "$WORK/err" "error" "broken CI files: no error"
# no rule that reads CI files runs (the tmlint-changes hook runs only TM342):
# they are not read at all; a team rule may read them, so with one they are
run "$TMLINT" check --now "$NOW" --only TM342 threat-model.yaml
expect_not_in "$WORK/err" "broken.yml" "only TM342: the CI files are not read"
run "$TMLINT" check --now "$NOW" --disable TM346 threat-model.yaml
expect_not_in "$WORK/err" "broken.yml" "TM346 off: the CI files are not read"
mkdir -p tm-rules && sed -e 's/"TM001"/"TEAM1"/' -e 's/model-without-owner/team-owner-check/' "$SRC/rules/TM001.lua" >tm-rules/TEAM1.lua
printf 'rules_dirs: [tm-rules]
' >.tmlint.yaml
run "$TMLINT" check --now "$NOW" --disable TM346 threat-model.yaml
expect_in "$WORK/err" "broken.yml:3:1: note: this CI file is not readable YAML" "a team rule runs: the CI files are read for it"
rm -rf tm-rules .tmlint.yaml

# a checkout that belongs to another user (a container's mounted volume, a
# CI runner's workspace): git's ownership check is named, with its fix
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  O="$WORK/owned"; mkdir -p "$O"; cp "$SRC/samples/findings/mobile-banking.tm.yaml" "$O/m.tm.yaml"
  (cd "$O" && git init -q && git config user.email t@t && git config user.name t && git add -A && git commit -qm one) >/dev/null 2>&1
  chown -R nobody "$O"
  run "$TMLINT" check --now "$NOW" --changed-since HEAD "$O/m.tm.yaml"
  expect_rc 2 "a repository of another user: the change cannot be read"
  expect_in "$WORK/err" "git's ownership check refuses it; mark it trusted with \`git config --global --add safe.directory DIR\`" "the cause and the fix are named"
  # and git's safe.directory, once set, is honoured
  mkdir -p "$WORK/home" && printf '[safe]\n\tdirectory = %s\n' "$O" >"$WORK/home/.gitconfig"
  HOME="$WORK/home" run "$TMLINT" check --now "$NOW" --changed-since HEAD "$O/m.tm.yaml"
  expect_rc 1 "safe.directory set: the change is read (the model's findings, no error)"
  expect_not_in "$WORK/err" "ownership check" "no refusal once trusted"
fi
finish
