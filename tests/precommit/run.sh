# The real pre-commit (Debian's package) with this checkout's hook in a
# throw-away repository: a bad model is refused with its finding shown, a
# fixed one commits, and files that are not threat models are left alone.
. "$(dirname "$0")/../lib.sh"
if ! command -v pre-commit >/dev/null; then
  echo "pre-commit is not installed (apt-get install pre-commit); .ci/run installs it"
  fail "pre-commit missing"; finish; exit
fi
export PRE_COMMIT_HOME="$WORK/pre-commit-home" HOME="$WORK/home"
mkdir -p "$HOME"
git config --global user.email test@example.invalid
git config --global user.name "tmlint test"
git config --global init.defaultBranch main
# the hook repository: this checkout's hook definition, committed
H="$WORK/hook-repo"
mkdir -p "$H" && cp "$SRC/.pre-commit-hooks.yaml" "$H/"
(cd "$H" && git init -q && git add . && git commit -qm hooks)
rev=$(cd "$H" && git rev-parse HEAD)
# a team's repository using it
R="$WORK/team"
mkdir -p "$R/models" && cd "$R" && git init -q
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $H
    rev: $rev
    hooks:
      - id: tmlint
YAML
export PATH="$(dirname "$TMLINT"):$PATH"
git add .pre-commit-config.yaml && git commit -qm "pre-commit config" --no-verify
run pre-commit install
expect_rc 0 "pre-commit install"
# a model with an error is refused, and the finding is shown
cp "$SRC/samples/findings/mobile-banking.tm.yaml" models/mobile.tm.yaml
echo "notes" >README.txt
git add models/mobile.tm.yaml README.txt
run git commit -m "add the mobile model"
expect_rc 1 "commit with a bad model is refused"
cat "$WORK/err" >>"$WORK/out"
expect_in "$WORK/out" "models/mobile.tm.yaml:31:5: error: threat 'MB-2' has no mitigation" "finding shown"
[ -z "$(git log --oneline -1 -- models/mobile.tm.yaml)" ] && pass || fail "the bad model was committed"
# fixed: the errors are resolved (warnings do not block by default)
/usr/bin/python3 - <<'PY'
s = open("models/mobile.tm.yaml").read()
s = s.replace("    severity: high\n    status: open\n\n  - id: MB-3", "    severity: high\n    status: open\n    mitigations: [MB-M1]\n\n  - id: MB-3")
s = s.replace("      reason: low risk\n", "      reason: The switcher shows a blurred snapshot since app version 4.2\n")
s = s.replace("      - id: MB-M3\n        title: Explore request signing with a device-bound key\n        kind: idea",
              "      - id: MB-M3\n        title: Sign requests with a device-bound key\n        kind: essential\n        acceptance: [A replayed request is rejected]")
s = s.replace("    status: accepted\n\nmitigations:", "    status: accepted\n    accept:\n      reason: Notifications carry no amounts since the 2026 redesign of the push service\n      by: r.haddad\n      date: 2026-09-01\n\nmitigations:")
open("models/mobile.tm.yaml", "w").write(s)
PY
git add models/mobile.tm.yaml
run git commit -m "add the mobile model, fixed"
expect_rc 0 "fixed model commits"
[ -n "$(git log --oneline -1 -- models/mobile.tm.yaml)" ] && pass || fail "the fixed model was not committed"
# a commit without threat models passes: tmlint finds no model among them
echo "more notes" >>README.txt && git add README.txt
run git commit -m "notes"
expect_rc 0 "unrelated commit"
cat "$WORK/err" >>"$WORK/out"
expect_not_in "$WORK/out" "error" "nothing reported for an unrelated commit"
# one answer: the hook checks what `tmlint check .` checks. A model that
# include: names, whatever its file name, is checked by the hook too...
printf 'include: ["security/*.yaml"]\n' >.tmlint.yaml
mkdir -p security && cp "$SRC/samples/findings/mobile-banking.tm.yaml" security/recipes.yaml
git add .tmlint.yaml security/recipes.yaml
run tmlint check --now "$NOW" .
expect_rc 1 "tmlint check . finds the included model"
run git commit -m "a model under an include pattern"
expect_rc 1 "the hook refuses it as well"
cat "$WORK/err" >>"$WORK/out"
expect_in "$WORK/out" "security/recipes.yaml:31:5: error: threat 'MB-2'" "hook checked the included file"
git reset -q HEAD security/recipes.yaml .tmlint.yaml && rm -rf security .tmlint.yaml
# ...and a model that exclude: names stays excluded when the hook names it
printf 'exclude: ["vendor/**"]\n' >.tmlint.yaml
mkdir -p vendor/lib && cp "$SRC/samples/findings/mobile-banking.tm.yaml" vendor/lib/threat-model.yaml
git add .tmlint.yaml vendor/lib/threat-model.yaml
run tmlint check --now "$NOW" .
expect_rc 0 "tmlint check . skips the excluded model"
run git commit -m "vendored model"
expect_rc 0 "the hook skips it as well"
# a model is never skipped for its name: payments.yaml holds a native model with an error
cp "$SRC/samples/findings/mobile-banking.tm.yaml" payments.yaml && git add payments.yaml
run git commit -m "a model under another name"
expect_rc 1 "the hook refuses a misnamed model with an error"
cat "$WORK/err" >>"$WORK/out"
expect_in "$WORK/out" "payments.yaml:31:5: error: threat 'MB-2' has no mitigation" "misnamed model: its finding"
git reset -q HEAD payments.yaml && rm payments.yaml
# files that are neither YAML nor JSON never reach tmlint (the hook's files: pattern)
echo 'model: 1' >notes.txt && git add notes.txt
run git commit -m "a text file"
expect_rc 0 "a text file is not passed"
# a staged file named like an option is a file, not an option
printf 'x' >./--output=victim.tm.yaml
cp "$SRC/samples/clean/"*.tm.yaml victim.tm.yaml 2>/dev/null || cp "$SRC/samples/findings/mobile-banking.tm.yaml" victim.tm.yaml
git add -- victim.tm.yaml ./--output=victim.tm.yaml && git commit -qm victim --no-verify
before=$(cat victim.tm.yaml | md5sum)
printf 'y' >>./--output=victim.tm.yaml && git add -- ./--output=victim.tm.yaml
run git commit -m "option-like name"
[ "$(md5sum <victim.tm.yaml)" = "$before" ] && pass || fail "a staged file named --output=... overwrote victim.tm.yaml"
# the second hook: staged code of a component whose model is not staged
R2="$WORK/team2"
mkdir -p "$R2/svc" && cd "$R2" && git init -q
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $H
    rev: $rev
    hooks:
      - id: tmlint
      - id: tmlint-changes
YAML
cat >threat-model.yaml <<'YAML'
model: 1
title: Card service
owner: team-cards
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
echo 'int main(void) { return 0; }' >svc/main.c
git add -A && git commit -qm "model and code" --no-verify
run pre-commit install
echo '/* reads the card twice */' >>svc/main.c && git add svc/main.c
run git commit -m "code alone"
expect_rc 0 "a code change without its model is let through (a warning, not a wall)"
cat "$WORK/err" >>"$WORK/out"
expect_in "$WORK/out" "threat-model.yaml:7:5: warning: component 'Card service' (svc): this change touches its code (svc/**) and not the model" "change-without-model shown on the passing commit"
# the strict hook at the commit-msg stage: refused unless the message says why
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $H
    rev: $rev
    hooks:
      - id: tmlint
      - id: tmlint-changes-strict
YAML
git add .pre-commit-config.yaml && git commit -qm "strict" --no-verify
run pre-commit install --hook-type commit-msg
echo '/* and logs it */' >>svc/main.c && git add svc/main.c
run git commit -m "code alone, strict"
expect_rc 1 "strict: a code change without its model and without a reason is refused"
cat "$WORK/err" >>"$WORK/out"
expect_in "$WORK/out" "this change touches its code (svc/**) and not the model" "strict: the warning says why"
run git commit -m "code alone, strict" -m "Threat-Model-Unchanged: n/a"
expect_rc 1 "strict: a reason of one word is refused"
cat "$WORK/err" >>"$WORK/out"
expect_in "$WORK/out" "Threat-Model-Unchanged needs a reason of at least 4 words" "strict: too short, said"
run git commit -m "code alone, strict" -m "Threat-Model-Unchanged: only a comment changed, no behaviour"
expect_rc 0 "strict: the trailer with a reason acknowledges the change"
echo '/* once more */' >>svc/main.c && git add svc/main.c
SKIP=tmlint-changes-strict run git commit -m "skipped once"
expect_rc 0 "strict: SKIP= skips it once"
sed -i 's/^title: Card service$/title: Card service (reviewed for the double read)/' threat-model.yaml && git add threat-model.yaml
run git commit -m "code and model"
expect_rc 0 "code with its model commits"
echo notes >NOTES.txt && git add NOTES.txt
run git commit -m "notes"
expect_rc 0 "a change outside every component's paths commits"
finish
