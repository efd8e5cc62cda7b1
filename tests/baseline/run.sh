# --baseline: after an edit, findings are new, unchanged, updated or absent
# by fingerprint (not by line); --new-only reports and fails on new ones.
. "$(dirname "$0")/../lib.sh"
cd "$WORK" || exit 1
cp "$SRC/samples/findings/mobile-banking.tm.yaml" model.tm.yaml
"$TMLINT" check --now "$NOW" --format sarif --output old.sarif model.tm.yaml 2>/dev/null
# the edit: a new threat on top (every line moves), MB-2 gets a mitigation
# (its finding goes), MB-3's reason gets shorter (its message changes)
/usr/bin/python3 - <<'PY'
s = open("model.tm.yaml").read()
s = s.replace("threats:\n", "threats:\n  - id: MB-0\n    title: Push token is logged by the crash reporter\n    component: app\n    severity: low\n    status: open\n\n", 1)
s = s.replace("    title: Attacker intercepts API traffic with a user-installed CA certificate\n    component: app\n    severity: high\n    status: open\n",
              "    title: Attacker intercepts API traffic with a user-installed CA certificate\n    component: app\n    severity: high\n    status: open\n    mitigations: [MB-M1]\n")
s = s.replace("      reason: low risk\n", "      reason: low\n")
open("model.tm.yaml", "w").write(s)
PY
run "$TMLINT" check --now "$NOW" --format sarif --baseline old.sarif model.tm.yaml
expect_rc 1 "baseline run"
cp "$WORK/out" new.sarif
/usr/bin/python3 - new.sarif >"$WORK/states" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["runs"][0]["results"]:
    print(r["baselineState"], r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"], r["message"]["text"][:40])
PY
expect_in "$WORK/states" "new TM310 24 threat 'MB-0' has no mitigation and is n" "new finding"
expect_in "$WORK/states" "absent TM310 31 threat 'MB-2' has no mitigation and is n" "fixed finding is absent"
expect_in "$WORK/states" "updated TM311 50 threat 'MB-3' is accepted with a reason" "changed message is updated"
expect_in "$WORK/states" "unchanged TM313 58 threat 'MB-4' has only ideas as mitig" "moved finding is unchanged"
grep -c "^unchanged" "$WORK/states" | grep -qx 6 && pass || { fail "six unchanged findings"; cat "$WORK/states" >&2; }
if /usr/bin/python3 "$SRC/tests/sarif/check.py" "$SRC/tests/sarif/sarif-schema-2.1.0.json" new.sarif >"$WORK/check" 2>&1; then pass
else fail "baseline SARIF invalid"; cat "$WORK/check" >&2; fi
# text: absent findings are not shown; the summary counts each state
run "$TMLINT" check --now "$NOW" --baseline old.sarif model.tm.yaml
expect_not_in "$WORK/out" "'MB-2'" "absent not in text"
expect_in "$WORK/err" "against the baseline: 1 new, 6 unchanged, 1 updated, 1 gone" "summary counts"
# --new-only: only the new finding, and only it decides the exit status
run "$TMLINT" check --now "$NOW" --baseline old.sarif --new-only model.tm.yaml
expect_rc 1 "new-only fails on the new error"
[ "$(wc -l <"$WORK/out")" = 1 ] && pass || { fail "new-only shows one finding"; cat "$WORK/out" >&2; }
expect_in "$WORK/out" "model.tm.yaml:24:5: error: threat 'MB-0' has no mitigation" "new-only shows the new one"
cp "$SRC/samples/findings/mobile-banking.tm.yaml" same.tm.yaml
"$TMLINT" check --now "$NOW" --format sarif --output same.sarif same.tm.yaml 2>/dev/null
run "$TMLINT" check --now "$NOW" --baseline same.sarif --new-only same.tm.yaml
expect_rc 0 "nothing new: success on a legacy model"
[ ! -s "$WORK/out" ] && pass || fail "nothing new prints nothing"
# --new-only with SARIF keeps every result with its baselineState (an
# upload that left the unchanged ones out would close their alerts); the
# exit status still comes from the new ones alone
run "$TMLINT" check --now "$NOW" --baseline old.sarif --new-only --format sarif model.tm.yaml
expect_rc 1 "new-only SARIF fails on the new error"
cp "$WORK/out" "$WORK/newonly.sarif"
/usr/bin/python3 - "$WORK/newonly.sarif" <<'PY' && pass || fail "new-only SARIF dropped results"
import json, sys
states = [r.get("baselineState") for r in json.load(open(sys.argv[1]))["runs"][0]["results"]]
assert states.count("new") == 1 and states.count("unchanged") >= 1, states
PY
run "$TMLINT" check --now "$NOW" --baseline same.sarif --new-only --format sarif same.tm.yaml
expect_rc 0 "new-only SARIF with nothing new succeeds"
grep -q '"baselineState": "unchanged"' "$WORK/out" && pass || fail "new-only SARIF with nothing new still lists the unchanged results"
# mistakes
run "$TMLINT" check --new-only model.tm.yaml; expect_rc 2 "--new-only without --baseline"
printf 'not: sarif\n' >bad.sarif
run "$TMLINT" check --baseline bad.sarif model.tm.yaml; expect_rc 2 "not SARIF"
expect_in "$WORK/err" "bad.sarif: error: not a SARIF file (no 'runs' list)" "not SARIF text"
run "$TMLINT" check --baseline missing.sarif model.tm.yaml; expect_rc 2 "missing baseline"
# --category and --omit-suppressed
run "$TMLINT" check --format sarif --category threat-models/payments model.tm.yaml
expect_in "$WORK/out" '"automationDetails": {"id": "threat-models/payments"}' "category"
run "$TMLINT" check --format sarif "$SRC/tests/rules/TM005/quiet.tm.yaml"
expect_in "$WORK/out" '"suppressions"' "suppressed kept by default"
run "$TMLINT" check --format sarif --omit-suppressed "$SRC/tests/rules/TM005/quiet.tm.yaml"
expect_not_in "$WORK/out" '"suppressions"' "--omit-suppressed"
finish
