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
expect_in "$T" "payments/models/clinic-booking.tm.yaml           native              0     0     0      30    87%     60%     7%     100%  54/60 -          team-booking         21 days" "clean model row: mitigated (87%) apart from what statuses claim (60%), and the owner"
# a repository whose CI runs tmlint so it can never fail: the CI column of its first model says so
bash "$SRC/tests/rules/TM346/repo.sh" "$WORK/ci-audit/svc" >/dev/null 2>&1
run "$TMLINT" audit --now "$NOW" "$WORK/ci-audit"
expect_in "$WORK/out" "54/60 can't fail" "CI column: can't fail"
grep -Eq "quiet-repo/quiet\.tm\.yaml +native +0 +0 +1 +1 +0% +0% +100% +- +54/60 - " "$WORK/out" && pass || fail "CI column: a gated repository"
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
# HTML: one page, nothing fetched, one inline script allowed by its hash;
# with two earlier audits, so that the trend section is part of the page
# the harness drives at two widths
mkdir -p "$WORK/history"
run "$TMLINT" audit --now 2026-09-01 --disable TM110 --disable TM101 --format json --output "$WORK/history/2026-09-01.json" payments mobile
run "$TMLINT" audit --now 2026-10-01 --disable TM110 --disable TM101 --format json --output "$WORK/history/2026-10-01.json" payments mobile
run "$TMLINT" audit --now "$NOW" --format html --history "$WORK/history" --output "$WORK/report.html" payments mobile
[ -s "$WORK/report.html" ] && pass || fail "no HTML written"
/usr/bin/python3 - "$WORK/report.html" >"$WORK/csp" 2>&1 <<'PY'
import base64, hashlib, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
assert len(scripts) == 1 and scripts[0][0] == "", "one inline script, no src"
digest = base64.b64encode(hashlib.sha256(scripts[0][1].encode()).digest()).decode()
csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
assert f"script-src 'sha256-{digest}'" in csp, "the CSP names the script's hash"
assert "default-src 'none'" in csp and "connect-src" not in csp
assert not re.search(r'<link|@import|src="http|url\(|\son[a-z]+=', page, re.I), "nothing loaded, no handlers"
print("ok")
PY
expect_in "$WORK/csp" "ok" "the page: one script, by hash; nothing fetched"
[ "$(cat "$WORK/csp")" = ok ] || cat "$WORK/csp" >&2
expect_in "$WORK/report.html" '<div class="bars" role="list">' "bar charts in HTML, labels that wrap"
expect_in "$WORK/report.html" "<span class=\"claims\">claims 100%</span>" "Threat Composer's example: 75% mitigated, claims 100%"
expect_in "$WORK/report.html" "<td>Attacker intercepts API traffic with a user-installed CA certificate</td>" "a finding names its threat by title"
expect_in "$WORK/report.html" 'href="https://github.com/tmlint/tmlint/blob/main/docs/rules/TM310-threat-without-mitigation.md"' "rule ids link to their docs"
[ -f "$SRC/docs/rules/TM310-threat-without-mitigation.md" ] && pass || fail "the page linked to is in docs/rules"
expect_in "$WORK/report.html" "<details id=\"rule-TM310\"><summary><b>TM310 threat-without-mitigation</b>: 6 findings in 2 models</summary>" "per-rule drill-down"
expect_in "$WORK/report.html" '<section id="owners"><h2>By owner</h2>' "grouped by owner"
expect_in "$WORK/report.html" "<p class=\"error\">Could not be checked:</p>" "a model that could not be checked says why on the page"
expect_in "$WORK/report.html" "<li>3:1: error: invalid YAML: did not find expected node content" "the loader's error, at its place"
expect_in "$WORK/report.html" '@media print{' "print styles"
expect_in "$WORK/report.html" '<section id="trend"><h2>Trend</h2>' "the trend section"
expect_in "$WORK/report.html" '<p class="sub">3 audits, 2026-09-01 to '"$NOW"', this one last.</p>' "the trend: two earlier audits and this one"
expect_in "$WORK/report.html" '<svg role="img" width="260" height="70" viewBox="0 0 260 70" aria-label="Errors over the audits"><polyline' "the trend charts are inline SVG"
# the bars: rules by findings, largest first; models by errors, then
# warnings, then notes (so 24 errors come before 82 notes)
/usr/bin/python3 - "$WORK/report.html" >"$WORK/bars" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
figs = re.findall(r'<div class="bars" role="list">(.*?)</div></figure>', page, re.S)
v = [int(x) for x in re.findall(r'></span>(\d+)</span>', figs[0])]
print("sorted" if v == sorted(v, reverse=True) and v else "unsorted rules %s" % v)
m = [tuple(int(x) for x in t) for t in re.findall(r'></span>(\d+) errors, (\d+) warnings, (\d+) notes</span>', figs[1])]
print("sorted" if m == sorted(m, reverse=True) and m else "unsorted models %s" % m)
PY
[ "$(sort -u "$WORK/bars")" = sorted ] && pass || { fail "bars not sorted"; cat "$WORK/bars" >&2; }
# repositories with code and no model come first, then what to act on, then the charts
/usr/bin/python3 - "$WORK/report.html" >"$WORK/order" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
at = [page.find(x) for x in ('id="health"', 'id="act"', 'id="charts"', 'id="models"')]
print("ok" if all(a >= 0 for a in at) and at == sorted(at) else "order %s" % at)
PY
expect_in "$WORK/order" "ok" "the page's order: health, to act on, charts, models"
for a in open-high acceptances overdue no-owner never-reviewed; do
  expect_in "$WORK/report.html" "<h3 id=\"$a\">" "the lead's view #$a"
done
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROME" ]; then
  flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
         --disable-component-update --disable-sync --user-data-dir=$WORK/chrome-profile"
  timeout 120 "$CHROME" $flags --dump-dom "file://$WORK/report.html" >"$WORK/dom.html" 2>"$WORK/chrome.err"
  expect_in "$WORK/dom.html" "<h1>Threat model audit</h1>" "rendered title"
  expect_in "$WORK/dom.html" "Findings per rule" "rendered rule chart"
  expect_in "$WORK/dom.html" "Models by errors, then warnings, then notes" "rendered model chart"
  expect_in "$WORK/dom.html" "href=\"file://$(cd "$WORK" && pwd -P)/repos/mobile/docs/threat-model.yaml#L31\">" "a finding links to its line with a file:// URL (no GitHub or GitLab remote)"
  expect_in "$WORK/dom.html" '<html lang="en" class="js">' "the script ran under the page's CSP"
  # without its script the page reads the same: every table and finding, no controls
  # (headless --dump-dom needs script itself, so the page is rendered with its script removed)
  /usr/bin/python3 -c 'import re,sys; open(sys.argv[2],"w").write(re.sub(r"<script>.*?</script>", "", open(sys.argv[1]).read(), flags=re.S))' \
    "$WORK/report.html" "$WORK/report-noscript.html"
  timeout 120 "$CHROME" $flags --dump-dom "file://$WORK/report-noscript.html" >"$WORK/dom-noscript.html" 2>>"$WORK/chrome.err"
  expect_not_in "$WORK/dom-noscript.html" '<html lang="en" class="js">' "scripts off: the script did not run"
  expect_not_in "$WORK/dom-noscript.html" '<div class="filter">' "scripts off: no controls that would do nothing"
  expect_in "$WORK/dom-noscript.html" "Attacker intercepts API traffic with a user-installed CA certificate" "scripts off: the findings are there"
  expect_in "$WORK/dom-noscript.html" '<section id="owners"><h2>By owner</h2>' "scripts off: the grouping is there"
  # the harness drives the page as a reader would, at two widths
  for width in 1400 900; do
    timeout 120 "$CHROME" $flags --allow-file-access-from-files --virtual-time-budget=10000 --window-size=$width,1600 \
      --dump-dom "file://$SRC/tests/audit/harness.html?report=file://$WORK/report.html&rule=rule-TM310" >"$WORK/h$width.html" 2>>"$WORK/chrome.err"
    /usr/bin/python3 - "$WORK/h$width.html" "$width" "$WORK" "$SRC" >"$WORK/h$width.txt" 2>&1 <<'PY'
import html, json, os, re, sys, urllib.parse
dump, width, work, src = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
m = re.search(r'<pre id="result">(.*?)</pre>', open(dump, encoding="utf-8").read(), re.S)
r = json.loads(html.unescape(m.group(1)))
bad = []
if "error" in r: bad.append("harness: " + r["error"])
if r["scrollWidth"] > r["clientWidth"]: bad.append(f"horizontal overflow at {width}px: {r['scrollWidth']} > {r['clientWidth']}: {r['wide']}")
if not r["js"] or r["filters"] != r["sortable"] or r["sortable"] < 5: bad.append(f"script: js={r['js']} filters={r['filters']} tables={r['sortable']}")
nums = lambda v: [-1 if x == "-" else int(x) for x in v]
if nums(r["errFirst"]) != sorted(nums(r["errFirst"]), reverse=True) or r["errFirstSort"] != "descending": bad.append(f"sort Err first click: {r['errFirst']}")
if nums(r["errSecond"]) != sorted(nums(r["errSecond"])): bad.append(f"sort Err second click: {r['errSecond']}")
if r["modelSorted"] != sorted(r["modelSorted"], key=str.lower): bad.append(f"sort Model: {r['modelSorted']}")
if r["filtered"] != ["payments/models/partner-portal.tm.yaml"] or r["count"] != "1 of 6 rows": bad.append(f"filter: {r['filtered']} {r['count']!r}")
if r["shownAfterClear"] != r["rows"]: bad.append("clearing the filter shows every row again")
if not (r["drillClosed"] and r["drillOpen"]): bad.append("a link to a rule's drill-down opens it")
if "Attacker intercepts API traffic with a user-installed CA certificate" not in r["elements"]: bad.append("element titles")
ids = set(r["ids"])
for href in r["links"]:
    if href.startswith("#"):
        if href[1:] not in ids: bad.append("dangling anchor " + href)
    elif href.startswith("file://"):
        u = urllib.parse.urlparse(href)
        path = urllib.parse.unquote(u.path)
        if not os.path.isfile(path): bad.append("file link to nothing: " + href)
        elif u.fragment:
            line = int(u.fragment[1:])
            if line < 1 or line > sum(1 for _ in open(path, encoding="utf-8", errors="replace")): bad.append("line past the end: " + href)
    elif href.startswith("https://github.com/tmlint/tmlint/blob/main/docs/rules/"):
        if not os.path.isfile(os.path.join(src, "docs/rules", href.rsplit("/", 1)[1])): bad.append("rule page missing: " + href)
    else:
        bad.append("unexpected link " + href)
print("\n".join(bad) or "ok")
PY
    [ "$(cat "$WORK/h$width.txt")" = ok ] && pass || { fail "audit page at ${width}px"; cat "$WORK/h$width.txt" >&2; }
    shot="${BUILD:-$WORK}/audit-report-$width.png"
    timeout 120 "$CHROME" $flags --window-size=$width,2400 --screenshot="$shot" "file://$WORK/report.html" >/dev/null 2>&1
    [ -s "$shot" ] && pass || fail "no screenshot at $width px"
    echo "screenshot: $shot"
  done
else
  echo "chromium is not installed (apt-get install chromium); .ci/run installs it"
  fail "chromium missing"
fi
# --compare: an earlier audit's JSON against this one, in every format
# (an earlier audit, simulated with --now in the past: the clean model's
# review date then lies ahead, which TM110 and TM101 would rightly report)
run "$TMLINT" audit --now 2026-10-01 --disable TM110 --disable TM101 --format json --output "$WORK/before.json" payments
cp "$SRC/samples/findings/mobile-banking.tm.yaml" payments/models/mobile-copy.tm.yaml
sed -i 's/^  - id: MB-2$/  - id: MB-2\n    mitigations: [MB-M1]/' payments/models/mobile-copy.tm.yaml
printf 'model: 1\ntitle: Fixed\nowner: t\n' >payments/models/partner-portal.tm.yaml.new && mv payments/models/partner-portal.tm.yaml payments/old-partner.txt
run "$TMLINT" audit --now "$NOW" --compare "$WORK/before.json" payments
expect_in "$WORK/out" "since $WORK/before.json (2026-10-01): errors " "compare text: totals since"
expect_in "$WORK/out" "CHANGE" "compare text: a change column"
expect_in "$WORK/out" "payments/models/mobile-copy.tm.yaml" "compare text: a new model"
grep -q "^payments/models/mobile-copy.tm.yaml .* new " "$WORK/out" && pass || fail "compare text: the new model says new"
expect_in "$WORK/out" "MODELS IN THE EARLIER AUDIT AND NOT IN THIS ONE" "compare text: models gone"
grep -Eq "^payments/models/partner-portal\.tm\.yaml +9 findings then$" "$WORK/out" && pass || fail "compare text: the gone model and its findings"
grep -q "^TM316 single-control-on-critical .* -3 better$" "$WORK/out" && pass || fail "compare text: a rule got better"
run "$TMLINT" audit --now "$NOW" --compare "$WORK/before.json" --format json payments
cp "$WORK/out" "$WORK/cmp.json"
/usr/bin/python3 "$SRC/tests/formats/check.py" json "$WORK/cmp.json" "$SRC/docs/tmlint-report.schema.json" >/dev/null 2>&1 && pass ||
  fail "audit json with --compare does not match docs/tmlint-report.schema.json"
/usr/bin/python3 - "$WORK/cmp.json" >"$WORK/cmp.txt" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["compare"]
m = {x["path"]: x for x in c["models"]}
r = {x["rule"]: x for x in c["rules"]}
print(c["audited"], m["payments/models/mobile-copy.tm.yaml"]["status"], m["payments/models/partner-portal.tm.yaml"]["status"],
      m["payments/models/clinic-booking.tm.yaml"]["status"], r["TM316"]["status"], r["TM316"]["change"])
PY
expect_in "$WORK/cmp.txt" "2026-10-01 new gone same better -3" "compare json: statuses and changes"
# identity, not spelling: the same audit run from elsewhere with absolute
# paths compares every model as the same one (the repository and the path
# in it); the JSON records each model's identity
run "$TMLINT" audit --now "$NOW" --format json --output "$WORK/here.json" payments
expect_in "$WORK/here.json" '"identity": "payments:models/clinic-booking.tm.yaml"' "identity: the repository (no remote: its directory) and the path in it"
(cd / && "$TMLINT" audit --now "$NOW" --compare "$WORK/here.json" --format json "$WORK/repos/payments") >"$WORK/there.json" 2>/dev/null
/usr/bin/python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["compare"]; print(sorted({m["status"] for m in c["models"]}))' "$WORK/there.json" >"$WORK/there.txt"
expect_in "$WORK/there.txt" "['same']" "identity: absolute paths from / compare as the same models"
(cd "$A" && rm -rf .git && git init -q . && git remote add origin "https://bot:t0ken@GitHub.com/Acme/payments.git" &&
 git add -A && git -c user.email=t@example.test -c user.name=t commit -qm models) >/dev/null 2>&1
run "$TMLINT" audit --now "$NOW" --format json payments
expect_in "$WORK/out" '"identity": "github.com/Acme/payments:models/clinic-booking.tm.yaml"' "identity: the remote, without credentials, scheme or .git"
expect_not_in "$WORK/out" "t0ken" "identity: no credentials"
rm -rf "$A/.git" && mkdir -p "$A/.git"
run "$TMLINT" audit --now "$NOW" --compare "$WORK/before.json" --format sarif payments
cp "$WORK/out" "$WORK/cmp.sarif"
if /usr/bin/python3 "$SRC/tests/sarif/check.py" "$SRC/tests/sarif/sarif-schema-2.1.0.json" "$WORK/cmp.sarif" >"$WORK/check" 2>&1; then pass
else fail "audit SARIF with --compare invalid"; cat "$WORK/check" >&2; fi
expect_in "$WORK/cmp.sarif" '"properties": {"tmlint/compare": {"with": ' "compare sarif: the run's property bag"
run "$TMLINT" audit --now "$NOW" --compare "$WORK/before.json" --format junit payments
expect_in "$WORK/out" '<property name="tmlint.compare.status" value="new"/>' "compare junit: a suite's properties"
run "$TMLINT" audit --now "$NOW" --compare "$WORK/before.json" --format html --output "$WORK/cmp.html" payments
expect_in "$WORK/cmp.html" '<th class="num" title="findings now minus findings in the earlier audit">Change</th>' "compare html: the change column"
expect_in "$WORK/cmp.html" '<td class="num better" data-v="-3">&#9660; -3</td>' "compare html: an arrow down, better"
expect_in "$WORK/cmp.html" '<h3>In the earlier audit, not in this one</h3>' "compare html: models gone"
if [ -n "$CHROME" ]; then
  timeout 120 "$CHROME" $flags --window-size=1400,2400 --screenshot="${BUILD:-$WORK}/audit-compare-1400.png" "file://$WORK/cmp.html" >/dev/null 2>&1
  [ -s "${BUILD:-$WORK}/audit-compare-1400.png" ] && pass || fail "no screenshot of the comparison"
fi
run "$TMLINT" audit --now "$NOW" --compare "$SRC/samples/clean/clinic-booking.tm.yaml" payments
expect_rc 2 "--compare with a file that is not an audit's JSON"
expect_in "$WORK/err" "not the JSON of a tmlint audit" "--compare: says what is wrong"
printf '{"tool": {"name": "tmlint"},\n "models": [\n' >"$WORK/cut.json"
run "$TMLINT" audit --now "$NOW" --compare "$WORK/cut.json" payments
expect_rc 2 "--compare with a cut-off JSON"
expect_in "$WORK/err" "cut.json:3:1: error: invalid YAML" "--compare: a malformed file's error at its line and column"
printf '{"tool": {"name": "tmlint"}, "models": 3, "findings": {"a": 1}}\n' >"$WORK/types.json"
run "$TMLINT" audit --now "$NOW" --compare "$WORK/types.json" payments
expect_rc 2 "--compare with lists of the wrong type"
expect_in "$WORK/err" "types.json: error: not the JSON of a tmlint audit" "--compare: wrong types named"
printf '{"tool": {"name": "tmlint"}, "models": [{"path": ["x"]}, 7], "findings": [{"rule": {}, "level": "loud", "path": 1}, "x"]}\n' >"$WORK/items.json"
run "$TMLINT" audit --now "$NOW" --compare "$WORK/items.json" payments
[ "$rc" -le 1 ] && pass || fail "--compare: entries of the wrong shape are skipped, the audit still runs (exit $rc)"
expect_in "$WORK/out" "since $WORK/items.json: errors " "--compare: nothing counted from entries it cannot read"
expect_in "$WORK/err" "items.json: warning: 4 entries are not of the shape tmlint writes, left out of the comparison" "--compare: the skipped entries are said"
run "$TMLINT" audit --now "$NOW" --compare "$WORK/none.json" payments
expect_rc 2 "--compare with a missing file"
expect_in "$WORK/err" "none.json: error: cannot open file" "--compare: a missing file named"
mv payments/old-partner.txt payments/models/partner-portal.tm.yaml; rm -f payments/models/mobile-copy.tm.yaml payments/models/partner-portal.tm.yaml.new
# a repository whose origin is on GitHub: links to the file at HEAD, no credentials
G="$WORK/repos-gh/shop"
mkdir -p "$G" && cp "$SRC/samples/findings/mobile-banking.tm.yaml" "$G/threat-model.yaml"
(cd "$G" && git init -q && git remote add origin "https://user:s3cret@github.com/acme/shop.git" && git add -A &&
 git -c user.email=t@example.test -c user.name=t commit -qm one)
head=$(git -C "$G" rev-parse HEAD)
run "$TMLINT" audit --now "$NOW" --format html --output "$WORK/gh.html" "$G"
expect_in "$WORK/gh.html" "href=\"https://github.com/acme/shop/blob/$head/threat-model.yaml#L31\"" "GitHub remote: a blob link at the checked-out commit"
expect_not_in "$WORK/gh.html" "s3cret" "a remote's credentials never reach the page"
git -C "$G" remote set-url origin "git@gitlab.example.com:team/sub/shop.git"
run "$TMLINT" audit --now "$NOW" --format html --output "$WORK/gl.html" "$G"
expect_in "$WORK/gl.html" "href=\"https://gitlab.example.com/team/sub/shop/-/blob/$head/threat-model.yaml#L31\"" "GitLab remote: a blob link"
git -C "$G" remote set-url origin 'https://github.com/acme/"><script>x</script>'
run "$TMLINT" audit --now "$NOW" --format html --output "$WORK/odd.html" "$G"
expect_in "$WORK/odd.html" "href=\"file://" "a remote that is not plain names: local links"
expect_not_in "$WORK/odd.html" "<script>x" "a hostile remote URL is not copied"
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
# what a security lead acts on: open high and critical threats by owner,
# acceptances that expired or expire soon, overdue mitigations, models with
# no owner or no review; in JSON (against the schema, the same with -j 1
# and -j 2) and on the page, each linked to its line
L="$WORK/leadrepos"; mkdir -p "$L/pay" "$L/search"
cat >"$L/pay/threat-model.yaml" <<'YAML'
model: 1
title: Payments
owner: team-pay
reviewed: 2026-10-01
threats:
  - id: P1
    title: Card numbers are read from the service logs
    severity: critical
    status: open
  - id: P2
    title: A refund is replayed by a second click
    severity: low
    status: open
  - id: P3
    title: The fraud score can be skipped by a retry
    severity: high
    status: accepted
    accept: {reason: The retry path is rate limited at the gateway since 2026, by: r.lee, date: 2026-06-01, expires: 2026-12-20}
mitigations:
  - id: M1
    title: Mask card numbers before logging
    kind: essential
    status: planned
    owner: team-logging
    due: 2026-11-01
  - id: M2
    title: Sign refund requests
    status: done
    due: 2026-01-01
YAML
cat >"$L/search/threat-model.yaml" <<'YAML'
model: 1
title: Search
threats:
  - id: S1
    title: Queries are logged with user names
    severity: high
    status: open
  - id: S2
    title: The index is rebuilt from an unsigned dump
    severity: medium
    status: accepted
    accept: {reason: Only the operations team can reach the dump bucket, by: k.ito, date: 2026-01-01, expires: 2026-11-01}
  - id: S3
    title: Ranking leaks a private document's title
    severity: medium
    status: accepted
    accept: {reason: Titles of private documents are hashed in the index, by: k.ito, date: 2026-01-01, expires: 2027-12-01}
YAML
run "$TMLINT" audit --now 2026-12-06 --format json -j 1 "$L"; cp "$WORK/out" "$WORK/lead-1.json"
run "$TMLINT" audit --now 2026-12-06 --format json -j 2 "$L"
cmp -s "$WORK/out" "$WORK/lead-1.json" && pass || fail "the lead's views differ between -j 1 and -j 2"
/usr/bin/python3 "$SRC/tests/formats/check.py" json "$WORK/lead-1.json" "$SRC/docs/tmlint-report.schema.json" >"$WORK/check" 2>&1 && pass ||
  { fail "audit JSON with the lead's views does not match the schema"; cat "$WORK/check" >&2; }
/usr/bin/python3 - "$WORK/lead-1.json" >"$WORK/lead" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for g in d["open_high_by_owner"]:
    print("high", g["owner"], g["count"], " ".join(f'{t["id"]}@{t["line"]}:{t["column"]}/{t["rating"]}' for t in g["threats"]))
for a in d["expiring_acceptances"]:
    print("accept", a["id"], a["expires"], a["days_left"], a["state"], a["accepted_by"], a["owner"])
for m in d["overdue_mitigations"]:
    print("due", m["id"], m["due"], m["days_overdue"], m["status"], m["owner"], f'{m["line"]}:{m["column"]}')
print("no-owner", d["models_without_owner"])
print("never-reviewed", d["models_never_reviewed"])
PY
expect_in "$WORK/lead" "high team-pay 1 P1@6:5/critical" "open critical threat, by its owner, at its place"
expect_in "$WORK/lead" "high None 1 S1@4:5/high" "a model with no owner is a group of its own"
expect_not_in "$WORK/lead" "P2@" "a low threat is not listed"
expect_in "$WORK/lead" "accept S2 2026-11-01 -35 expired k.ito None" "an expired acceptance"
expect_in "$WORK/lead" "accept P3 2026-12-20 14 within 30 days r.lee team-pay" "one expiring within 30 days"
expect_not_in "$WORK/lead" "accept S3" "one expiring in a year is not listed"
expect_in "$WORK/lead" "due M1 2026-11-01 35 planned team-logging 20:5" "an overdue mitigation, by its own owner"
expect_not_in "$WORK/lead" "due M2" "a done mitigation is not overdue"
expect_in "$WORK/lead" "no-owner ['$L/search/threat-model.yaml']" "models with no owner"
expect_in "$WORK/lead" "never-reviewed ['$L/search/threat-model.yaml']" "models never reviewed"
run "$TMLINT" audit --now 2026-12-06 --format html --output "$WORK/lead.html" "$L"
expect_in "$WORK/lead.html" '<h3 id="open-high">Open threats rated high or critical: 2</h3>' "page: open high"
expect_in "$WORK/lead.html" "<td class=\"error\">expired</td>" "page: the expired acceptance"
expect_in "$WORK/lead.html" "pay/<wbr>threat-<wbr>model.<wbr>yaml:20:5</a>" "page: the overdue mitigation links to its line"
# --history: a point per audit in the JSON, oldest first, this one last;
# a file that is no dated audit is left out with a warning, and an earlier
# run of the same day gives way to this one
# an audit's JSON with every field of the wrong type: read as far as it goes, no crash
printf '{"tool": {"name": "tmlint"}, "audited": "2026-08-01", "summary": [1], "models": [{"owner": {"x": 1}, "threats": "many", "mitigated": [2]}, 7], "open_high_by_owner": [{"owner": [1], "count": "x"}, "y"]}' >"$WORK/history/odd.json"
printf '{"tool": {"name": "tmlint"}, "audited": "2026-02-30", "models": []}' >"$WORK/history/nodate.json"
cp "$WORK/lead-1.json" "$WORK/history/same-day.json"
echo '{"not": "an audit"}' >"$WORK/history/junk.json"
run "$TMLINT" audit --now 2026-12-06 --format json --history "$WORK/history" "$L"
expect_in "$WORK/err" "junk.json: warning: not a tmlint audit's JSON with its date" "history: junk is said and left out"
expect_in "$WORK/err" "nodate.json: warning: not a tmlint audit's JSON with its date" "history: a date that is no day is said and left out"
expect_in "$WORK/out" '"audited": "2026-08-01", "source": "'"$WORK/history/odd.json"'", "models": 1, "errors": 0' "history: wrong types read as far as they go (an entry that is no mapping is no model)"
/usr/bin/python3 "$SRC/tests/formats/check.py" json "$WORK/out" "$SRC/docs/tmlint-report.schema.json" >"$WORK/check" 2>&1 && pass ||
  { fail "audit JSON with a trend does not match the schema"; cat "$WORK/check" >&2; }
/usr/bin/python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["trend"]; print(" ".join(f"{p['"'"'audited'"'"']}/{p['"'"'open_high'"'"']}/{bool(p['"'"'source'"'"'])}" for p in t))' "$WORK/out" >"$WORK/trend.txt"
expect_in "$WORK/trend.txt" "2026-09-01/" "history: the oldest first"
grep -Eq " 2026-12-06/2/False$" "$WORK/trend.txt" && pass || { fail "history: this audit last, once"; cat "$WORK/trend.txt" >&2; }
[ "$(grep -o 2026-12-06 "$WORK/trend.txt" | wc -l)" = 1 ] && pass || fail "history: the same day's earlier run gives way"
run "$TMLINT" audit --now 2026-12-06 --history "$WORK/nowhere" "$L"
expect_rc 2 "history: a directory that is not there"
rm "$WORK/history/same-day.json" "$WORK/history/junk.json" "$WORK/history/odd.json" "$WORK/history/nodate.json"
# honest numbers: a Threat Dragon model whose mitigations are the tool's placeholder is not mitigated
mkdir -p "$WORK/td"
/usr/bin/python3 - "$SRC/tests/corpus/threat-dragon/demo-threat-model.json" "$WORK/td/placeholder.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def walk(x):
    if isinstance(x, dict):
        if "threats" in x and isinstance(x["threats"], list):
            for t in x["threats"]:
                if isinstance(t, dict):
                    t["mitigation"] = "Provide remediation for this threat or a reason if status is N/A"
                    t["status"] = "Mitigated"
        for v in x.values(): walk(v)
    elif isinstance(x, list):
        for v in x: walk(v)
walk(d)
json.dump(d, open(sys.argv[2], "w"), indent=2)
PY
run "$TMLINT" audit --now 2026-12-06 --format json --input-format threat-dragon "$WORK/td/placeholder.json"
/usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["models"][0]; print("mitigated", m["mitigated"], "of", m["threats"], "claimed", m["claimed_mitigated"])' "$WORK/out" >"$WORK/td.txt"
grep -Eq "^mitigated 0 of [1-9][0-9]* claimed [1-9]" "$WORK/td.txt" && pass || { fail "placeholder mitigations counted as mitigated"; cat "$WORK/td.txt" >&2; }
# one repository's broken configuration is said and reported, never the
# end of the audit; two repositories' team rules with one id (each its own
# ACME9) each run in their own repository, and neither can stop the other's
O="$WORK/org"; mkdir -p "$O"
for r in good broken clash1 clash2; do
  mkdir -p "$O/$r/.git" "$O/$r/docs" && cp "$SRC/samples/findings/partner-portal.tm.yaml" "$O/$r/docs/threat-model.tm.yaml"
done
printf 'rules: [\n' >"$O/broken/.tmlint.yaml"
for r in clash1 clash2; do
  mkdir -p "$O/$r/team" && printf 'rules_dirs: [team]\n' >"$O/$r/.tmlint.yaml"
  printf 'return { id = "ACME9", name = "owner-named", level = "note", summary = "s", help = "h", message = "from %s",\n  run = function(model, report) report(model) end }\n' "$r" >"$O/$r/team/ACME9.lua"
done
run "$TMLINT" audit --now "$NOW" --format json "$O"
expect_rc 2 "an audit with a broken configuration"
expect_in "$WORK/err" "broken/.tmlint.yaml:2:1: error: invalid YAML" "the broken configuration is said"
expect_not_in "$WORK/err" "clashes with" "two repositories' team rules do not clash"
/usr/bin/python3 - "$WORK/out" >"$WORK/acme.txt" <<'PY'
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    if f["rule"] == "ACME9":
        print(f["path"].split("/")[-3], f["message"])
PY
expect_in "$WORK/acme.txt" "clash1 from clash1" "clash1's own rule runs on clash1"
expect_in "$WORK/acme.txt" "clash2 from clash2" "clash2's own rule runs on clash2"
[ "$(wc -l <"$WORK/acme.txt")" -eq 2 ] && pass || { fail "each ACME9 runs in its own repository only"; cat "$WORK/acme.txt" >&2; }
/usr/bin/python3 - "$WORK/out" >"$WORK/org.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for m in d["models"]:
    print(m["path"].split("/")[-3], "checked" if m["format"] else "not-checked", m["errors"])
PY
expect_in "$WORK/org.txt" "good checked" "the other repositories are audited"
expect_in "$WORK/org.txt" "clash2 checked" "both repositories with an ACME9 are audited"
expect_in "$WORK/org.txt" "broken not-checked 0" "the broken configuration's model: not checked"
run "$TMLINT" audit --now "$NOW" --format sarif "$O"
/usr/bin/python3 - "$WORK/out" >"$WORK/acme.txt" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["runs"]:
    ids = [d["id"] for d in r["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids)), ids
    for x in r["results"]:
        if x["ruleId"] == "ACME9":
            print(x["message"]["text"], ids.count("ACME9"), r["tool"]["driver"]["rules"][x["ruleIndex"]]["id"])
    if "ACME9" in ids and not any(x["ruleId"] == "ACME9" for x in r["results"]):
        print("a run lists ACME9 without a result of it")
PY
expect_in "$WORK/acme.txt" "from clash1 1 ACME9" "SARIF: clash1's run has its ACME9 once"
expect_in "$WORK/acme.txt" "from clash2 1 ACME9" "SARIF: clash2's run has its ACME9 once"
expect_not_in "$WORK/acme.txt" "without" "SARIF: another repository's run lists no ACME9"
run "$TMLINT" audit --now "$NOW" --format html "$O"
expect_not_in "$WORK/out" "ACME9-owner-named.md" "the page links no tmlint doc for a team rule"
expect_in "$WORK/out" "TM332-unverified-mitigation.md" "a built-in rule's doc is linked"
finish
