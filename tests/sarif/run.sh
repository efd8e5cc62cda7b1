# Every SARIF tmlint writes in these cases validates against the official
# schema (shared/sarif copy in tests/sarif/) and GitHub's upload limits.
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1
SCHEMA=tests/sarif/sarif-schema-2.1.0.json
n=0
sarif() { # sarif NAME ARGS...: writes $WORK/NAME.sarif
  local name=$1; shift
  "$TMLINT" check --now "$NOW" --format sarif --output "$WORK/$name.sarif" "$@" 2>"$WORK/err"
  [ -s "$WORK/$name.sarif" ] || fail "$name: no SARIF written"
  n=$((n + 1))
}
sarif samples samples/
sarif clean samples/clean
for f in tests/rules/TM*/fires.tm.yaml; do sarif "rule-$(basename "$(dirname "$f")")" "$f"; done
# a file that cannot be loaded becomes a tool notification, not a crash
# (run from $WORK, so that the files are inside the root and get relative URIs)
printf 'model: 1\nthreats: [\n' >"$WORK/broken.tm.yaml"
cp samples/findings/mobile-banking.tm.yaml "$WORK/"
(cd "$WORK" && "$TMLINT" check --format sarif --output broken.sarif mobile-banking.tm.yaml broken.tm.yaml 2>/dev/null)
expect_in "$WORK/broken.sarif" '"executionSuccessful": false' "broken file notification"
expect_in "$WORK/broken.sarif" '"toolExecutionNotifications": [' "notifications present"
expect_in "$WORK/broken.sarif" 'invalid YAML' "notification text"
# model text with quotes, control characters and non-ASCII in messages
cat >"$WORK/esc.tm.yaml" <<'YAML'
model: 1
threats:
  - id: "q\"\\\x07 é"
    status: open
YAML
(cd "$WORK" && "$TMLINT" check --format sarif --output escaping.sarif esc.tm.yaml 2>/dev/null)
expect_in "$WORK/escaping.sarif" "threat 'q\\\"\\\\\\u0007 é' has no mitigation" "escaped message"
# findings in a CI file the model's repository holds (TM346) are results in that file
bash tests/rules/TM346/repo.sh "$WORK/ci" >/dev/null 2>&1
(cd "$WORK/ci" && "$TMLINT" check --now "$NOW" --format sarif --output "$WORK/ci.sarif" fires.tm.yaml 2>/dev/null)
expect_in "$WORK/ci.sarif" '"uri": ".github/workflows/threat-models.yml", "uriBaseId": "%SRCROOT%"' "CI file result uri"
# a finding suppressed in the file stays in SARIF, marked, with its reason
expect_in "$WORK/rule-TM005.sarif" '"suppressions": [{"kind": "inSource", "justification": "Tracked as a product decision in the risk register."}]' "suppression in SARIF"
# result fields
expect_in "$WORK/samples.sarif" '"uri": "samples/findings/mobile-banking.tm.yaml", "uriBaseId": "%SRCROOT%"' "relative uri"
expect_in "$WORK/samples.sarif" '"region": {"startLine": 31, "startColumn": 5, "endLine": 31, "endColumn": 13}' "region of MB-2"
if /usr/bin/python3 tests/sarif/check.py "$SCHEMA" "$WORK"/*.sarif >"$WORK/check" 2>&1; then
  pass
else
  fail "SARIF validation"; cat "$WORK/check" >&2
fi
tail -1 "$WORK/check"

# GitHub's own rules, with Microsoft's SARIF multitool where it is installed
# (.ci/run installs it from npm into build/npm; SARIF_MULTITOOL names another)
M=${SARIF_MULTITOOL:-$SRC/build/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool}
if [ -x "$M" ]; then
  # one run over every file: the tool takes seconds to start, so a run per
  # file took minutes on a slow CI machine
  "$M" validate "$WORK"/*.sarif -o "$WORK/mt-report.sarif" --rule-kind "Gh;Sarif" \
    -c "$SRC/tests/sarif/multitool-github.config.xml" --log ForceOverwrite >"$WORK/mt.out" 2>&1
  grep -q "files scanned" "$WORK/mt.out" || { fail "multitool did not run"; tail -5 "$WORK/mt.out" >&2; }
  for f in "$WORK"/*.sarif; do
    [ "$f" = "$WORK/mt-report.sarif" ] && continue
    if grep -F "$f(" "$WORK/mt.out" | grep -qE ": (error|warning) (GH|SARIF)[0-9]+"; then
      fail "multitool: $(basename "$f")"; grep -F "$f(" "$WORK/mt.out" | head -5 >&2
    else
      pass
    fi
  done
  echo "multitool: checked with GitHub's rules"
else
  echo "multitool: not installed here; schema and tests/sarif/check.py's GitHub limits only"
fi
finish
