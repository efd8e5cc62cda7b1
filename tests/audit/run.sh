# tmlint audit: the same result for any number of workers, a summary per
# model and per rule, one SARIF run per repository, and an HTML page that
# headless Chromium renders with the expected content (the screenshot is
# kept in the build directory).
. "$(dirname "$0")/../lib.sh"
# two repositories of models
A="$WORK/repos/payments" B="$WORK/repos/mobile"
mkdir -p "$A/.git" "$A/models" "$B/.git" "$B/docs"
cp "$SRC/samples/clean/clinic-booking.tm.yaml" "$A/models/"
cp "$SRC/samples/findings/partner-portal.tm.yaml" "$A/models/"
cp "$SRC/samples/findings/mobile-banking.tm.yaml" "$B/docs/threat-model.yaml"
cp "$SRC/tests/corpus/otm/mobile-cloud.otm.json" "$B/docs/"
cp "$SRC/tests/corpus/threat-composer/ThreatComposer.tc.json" "$B/docs/"
printf 'rules:\n  TM332: off\n' >"$B/.tmlint.yaml"
# the sample models name tests of made-up systems (see samples/.tmlint.yaml)
printf 'rules:\n  TM340: off\n' >"$A/.tmlint.yaml"
printf 'rules:\n  TM332: off\n  TM340: off\n' >"$B/.tmlint.yaml"
printf 'model: 1\nthreats: [\n' >"$B/docs/broken.tm.yaml"
cd "$WORK/repos" || exit 1
for j in 1 2 4; do
  run "$TMLINT" audit --now "$NOW" -j $j payments mobile
  expect_rc 2 "audit -j $j (one broken file)"
  cp "$WORK/out" "$WORK/text-$j"
  run "$TMLINT" audit --now "$NOW" --jobs $j --format sarif payments mobile
  cp "$WORK/out" "$WORK/sarif-$j"
  run "$TMLINT" audit --now "$NOW" -j$j --format json payments mobile
  cp "$WORK/out" "$WORK/json-$j"
done
for f in text sarif json; do
  cmp -s "$WORK/$f-1" "$WORK/$f-2" && cmp -s "$WORK/$f-1" "$WORK/$f-4" && pass || fail "$f output differs between -j 1, 2 and 4"
done
T="$WORK/text-1"
expect_in "$T" "tmlint audit: 6 models (1 could not be checked): 56 errors, 22 warnings, 17 notes" "totals"
expect_in "$T" "mobile/docs/mobile-cloud.otm.json" "OTM model listed"
head -4 "$T" | tail -1 | grep -q "mobile/docs/mobile-cloud.otm.json" && pass || fail "most affected model first"
expect_in "$T" "payments/models/clinic-booking.tm.yaml           native              0     0     0      30    60%     7%     100%  54/60 -          21 days" "clean model row"
# a repository whose CI runs tmlint so it can never fail: the CI column of its first model says so
bash "$SRC/tests/rules/TM346/repo.sh" "$WORK/ci-audit/svc" >/dev/null 2>&1
run "$TMLINT" audit --now "$NOW" "$WORK/ci-audit"
expect_in "$WORK/out" "54/60 can't fail" "CI column: can't fail"
expect_in "$WORK/out" "quiet-repo/quiet.tm.yaml native              0     0     1       1     0%   100%        -  54/60 -          " "CI column: a gated repository"
expect_in "$T" "mobile/docs/broken.tm.yaml                       -               could not be checked" "broken model row"
expect_in "$T" "TM310 threat-without-mitigation                2         6" "rule row"
expect_in "$T" "TM332 unverified-mitigation                    1         5" "the repository config switched TM332 off in mobile"
# SARIF: one run per repository, each with its own %SRCROOT%
/usr/bin/python3 - "$WORK/sarif-1" >"$WORK/runs" <<'PY'
import json, sys
for run in json.load(open(sys.argv[1]))["runs"]:
    uris = sorted({r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]})
    print(run["originalUriBaseIds"]["%SRCROOT%"]["uri"].rstrip("/").rsplit("/", 1)[1], " ".join(uris))
PY
expect_in "$WORK/runs" "payments models/partner-portal.tm.yaml" "payments run"
expect_in "$WORK/runs" "mobile docs/ThreatComposer.tc.json docs/mobile-cloud.otm.json docs/threat-model.yaml" "mobile run"
if /usr/bin/python3 "$SRC/tests/sarif/check.py" "$SRC/tests/sarif/sarif-schema-2.1.0.json" "$WORK/sarif-1" >"$WORK/check" 2>&1; then pass
else fail "audit SARIF invalid"; cat "$WORK/check" >&2; fi
/usr/bin/python3 "$SRC/tests/formats/check.py" json "$WORK/json-1" "$SRC/docs/tmlint-report.schema.json" >/dev/null 2>&1 && pass ||
  fail "audit JSON invalid"
expect_in "$WORK/json-1" '"models": [' "json has the models"
# HTML: one page, nothing fetched, rendered by headless Chromium
run "$TMLINT" audit --now "$NOW" --format html --output "$WORK/report.html" payments mobile
[ -s "$WORK/report.html" ] && pass || fail "no HTML written"
grep -qiE '<script|<link|@import|src="http|url\(' "$WORK/report.html" && fail "the page loads something" || pass
expect_in "$WORK/report.html" '<svg role="img"' "inline SVG charts"
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROME" ]; then
  flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
         --disable-component-update --disable-sync --user-data-dir=$WORK/chrome-profile"
  timeout 120 "$CHROME" $flags --dump-dom "file://$WORK/report.html" >"$WORK/dom.html" 2>"$WORK/chrome.err"
  expect_in "$WORK/dom.html" "<h1>Threat model audit</h1>" "rendered title"
  expect_in "$WORK/dom.html" "Findings per rule" "rendered rule chart"
  expect_in "$WORK/dom.html" "Findings per model" "rendered model chart"
  expect_in "$WORK/dom.html" 'href="./repos/mobile/docs/threat-model.yaml#L31">31:5</a>' "link to a finding's line"
  expect_in "$WORK/dom.html" "TM313 ideas-only" "rule named"
  shot="${BUILD:-$WORK}/audit-report.png"
  timeout 120 "$CHROME" $flags --window-size=1280,2000 --screenshot="$shot" "file://$WORK/report.html" >/dev/null 2>&1
  [ -s "$shot" ] && pass || fail "no screenshot"
  echo "screenshot: $shot"
else
  echo "chromium is not installed (apt-get install chromium); .ci/run installs it"
  fail "chromium missing"
fi
# repositories with code and no threat model (1.2.3): a row in every format
U="$WORK/repos/kiosk"
mkdir -p "$U/src" "$U/node_modules/dep" "$WORK/repos/handbook"
(cd "$U" && git init -q && echo 'int main(void) { return 0; }' >src/main.c && echo 'int x;' >src/io.c &&
 echo '# kiosk' >README.md && echo 'module.exports = 1;' >node_modules/dep/index.js && git add -A &&
 git -c user.email=t@example.test -c user.name=t commit -qm one && git -c user.email=t@example.test -c user.name=t commit -qm two --allow-empty)
(cd "$WORK/repos/handbook" && git init -q && echo '# how we work' >README.md)   # documents only: not listed
run "$TMLINT" audit --now "$NOW" payments mobile kiosk handbook
expect_in "$WORK/out" "; 1 repository with code and no threat model" "audit text: counted"
expect_in "$WORK/out" "kiosk                                                 3        2        2" "audit text: the row (files, code, commits)"
expect_not_in "$WORK/out" "handbook" "a repository of documents is not listed"
run "$TMLINT" audit --now "$NOW" --format json payments mobile kiosk
expect_in "$WORK/out" '{"path": "kiosk", "files": 3, "files_complete": true, "code_files": 2, "commits": 2, "commits_complete": true}' "audit json row"
cp "$WORK/out" "$WORK/json-u"
/usr/bin/python3 "$SRC/tests/formats/check.py" json "$WORK/json-u" "$SRC/docs/tmlint-report.schema.json" >/dev/null 2>&1 && pass ||
  fail "audit json with unmodeled repositories does not match docs/tmlint-report.schema.json"
run "$TMLINT" audit --now "$NOW" --format sarif payments mobile kiosk
cp "$WORK/out" "$WORK/sarif-u"
expect_in "$WORK/out" '"descriptor": {"id": "tmlint/unmodeled-repository"}' "audit sarif notification"
expect_in "$WORK/out" "\"uri\": \"file://$(cd "$U" && pwd -P)/\"" "audit sarif: the repository's own location"
if /usr/bin/python3 "$SRC/tests/sarif/check.py" "$SRC/tests/sarif/sarif-schema-2.1.0.json" "$WORK/sarif-u" >"$WORK/check" 2>&1; then pass
else fail "audit SARIF with unmodeled repositories invalid"; cat "$WORK/check" >&2; fi
run "$TMLINT" audit --now "$NOW" --format junit payments mobile kiosk
expect_in "$WORK/out" '<testcase classname="kiosk" name="threat model">' "audit junit row"
run "$TMLINT" audit --now "$NOW" --format codequality payments mobile kiosk
expect_in "$WORK/out" '"check_name": "tmlint/unmodeled-repository"' "audit codequality row"
run "$TMLINT" audit --now "$NOW" --format html --output "$WORK/report-u.html" payments mobile kiosk
expect_in "$WORK/report-u.html" '<section id="unmodeled"><h2>Repositories with code and no threat model</h2>' "audit html section"
# only repositories without a model: still a report, not "no threat model found"
run "$TMLINT" audit --now "$NOW" kiosk handbook
expect_rc 0 "audit of unmodeled repositories only"
expect_in "$WORK/out" "tmlint audit: 0 models" "the report is written"
finish
