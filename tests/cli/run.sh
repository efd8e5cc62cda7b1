# The command line: exit codes, bad input as clear errors, directory
# scans, output files, and an installed tmlint finding its rules.
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1
T="$TMLINT"
MB=samples/findings/mobile-banking.tm.yaml

run "$T" --version;                       expect_rc 0 "--version"; expect_in "$WORK/out" "tmlint 0." "version text"
run "$T" --help;                          expect_rc 0 "--help"; expect_in "$WORK/out" "check [PATH...]" "help lists commands"
run "$T" check --help;                    expect_rc 0 "check --help"; expect_in "$WORK/out" "--fail-on LEVEL" "check help lists its options"
expect_not_in "$WORK/out" "--compare" "check help leaves out audit's options"
run "$T" audit -h;                        expect_rc 0 "audit -h"; expect_in "$WORK/out" "-j, --jobs N" "audit help"
run "$T" rules -h;                        expect_rc 0 "rules -h"; expect_in "$WORK/out" "usage: tmlint rules" "rules help"
run "$T" help;                            expect_rc 0 "help"; expect_in "$WORK/out" "usage: tmlint COMMAND" "help command"
run "$T";                                 expect_rc 2 "no command"; expect_in "$WORK/err" "usage: tmlint COMMAND" "usage on stderr"
run "$T" check --bogus;                   expect_rc 2 "unknown option"; expect_in "$WORK/err" "tmlint: error: unknown option '--bogus'" "unknown option text"
run "$T" frobnicate;                      expect_rc 2 "unknown command"
run "$T" check --format xml .;            expect_rc 2 "bad format"; expect_in "$WORK/err" "unknown format 'xml'" "bad format text"
run "$T" check --fail-on sometimes .;     expect_rc 2 "bad --fail-on"
run "$T" check --now 2026-13-01 $MB;      expect_rc 2 "bad --now"; expect_in "$WORK/err" "--now takes a date" "bad --now text"
run "$T" check --max-depth x $MB;         expect_rc 2 "bad number"
run "$T" check --jobs 0 $MB;              expect_rc 2 "--jobs 0"; expect_in "$WORK/err" "--jobs" "--jobs 0 named"
run "$T" check --jobs many $MB;           expect_rc 2 "--jobs not a number"
run "$T" check does/not/exist.tm.yaml;    expect_rc 2 "missing path"; expect_in "$WORK/err" "does/not/exist.tm.yaml: error: cannot read: No such file or directory" "missing path text"

# exit status follows --fail-on
run "$T" check samples/clean;                        expect_rc 0 "clean model"
[ -s "$WORK/out" ] || [ -s "$WORK/err" ] && fail "clean run printed something" || pass
run "$T" check samples/findings/partner-portal.tm.yaml;                  expect_rc 0 "warnings only, fail on error"
run "$T" check --fail-on warning samples/findings/partner-portal.tm.yaml; expect_rc 1 "warnings, fail on warning"
run "$T" check --fail-on none $MB;                                       expect_rc 0 "fail on none"
run "$T" check $MB;                                                      expect_rc 1 "errors"
expect_in "$WORK/err" "tmlint: 4 errors, 3 warnings, 1 note in 1 file" "summary line"

# tm.trim takes Unicode spaces off both ends, whichever end they are at
# (it once left a leading U+00A0 when the other end was not a space)
TR="$WORK/trim-rules"; mkdir -p "$TR" && cp -r rules/. "$TR/"
cat >"$TR/TM990.lua" <<'LUA'
return { id = "TM990", name = "trim-probe", level = "note", summary = "s", help = "h", message = "{m}",
  run = function(model, report)
    local cases = { "\u{A0}Alice", "Bob\u{A0}", "\u{3000}Carol ", " Dave\t", "Eve", "\u{A0}", "", "\u{E9}t\u{E9}" }
    local out = {}
    for _, c in ipairs(cases) do out[#out + 1] = "[" .. tm.trim(c) .. "]" end
    report(model, { m = table.concat(out) })
  end }
LUA
run "$T" check --now $NOW --color never --rules-dir "$TR" --only TM990 $MB
expect_in "$WORK/out" "[Alice][Bob][Carol][Dave][Eve][][][été]" "tm.trim and Unicode spaces"
# tm.days takes only days the month has: leap years by the Gregorian rule
cat >"$TR/TM991.lua" <<'LUA'
return { id = "TM991", name = "days-probe", level = "note", summary = "s", help = "h", message = "{m}",
  run = function(model, report)
    local cases = { "2026-01-31", "2026-02-28", "2026-02-29", "2028-02-29", "2100-02-29", "2000-02-29",
                    "2026-04-31", "2026-12-31T10:00", "2026-13-01", "2026-00-10", "someday" }
    local out = {}
    for _, c in ipairs(cases) do out[#out + 1] = tm.days(c) and "y" or "n" end
    report(model, { m = "days:" .. table.concat(out) })
  end }
LUA
run "$T" check --now $NOW --color never --rules-dir "$TR" --only TM991 $MB
expect_in "$WORK/out" "days:yynynynynnn" "tm.days: days the month has"
# re.any is re.test of each pattern in turn, errors included
cat >"$TR/TM992.lua" <<'LUA'
return { id = "TM992", name = "any-probe", level = "note", summary = "s", help = "h", message = "{m}",
  run = function(model, report)
    local P = re.compile("b+")
    local out = { tostring(re.any("abc", "x", P)), tostring(re.any("abc", "x", "y")), tostring(re.any("abc", P)),
                  tostring(pcall(re.any, "\xff", "a")), tostring(pcall(re.test, "\xff", "a")),
                  tostring(pcall(re.any, "abc")), tostring(re.any("", "^$")) }
    report(model, { m = "any:" .. table.concat(out, ",") })
  end }
LUA
run "$T" check --now $NOW --color never --rules-dir "$TR" --only TM992 $MB
expect_in "$WORK/out" "any:true,false,true,false,false,false,true" "re.any"

# colour only when asked or on a terminal
run "$T" check --color always $MB; expect_in "$WORK/out" $'\033[1;31merror' "colour always"
run env NO_COLOR=1 "$T" check $MB;  expect_not_in "$WORK/out" $'\033[' "no colour when piped"

# bad files: clear error with position, exit 2, other files still checked
D="$WORK/bad"; mkdir -p "$D"
printf 'model: 1\nthreats:\n  - id: T1\n    status: open\n    status: accepted\n' >"$D/dup.tm.yaml"
printf 'model: 1\nthreats: [\n' >"$D/unclosed.tm.yaml"
printf 'model: 1\ntitle: "caf\xe9"\n' >"$D/latin1.tm.yaml"
printf 'model: 1\x00\n' >"$D/nul.tm.yaml"
: >"$D/empty.tm.yaml"
printf -- '- a\n- b\n' >"$D/list.tm.yaml"
printf 'name: not ours\n' >"$D/other.tm.yaml"
printf '\xff\xfem\x00o\x00' >"$D/utf16.tm.yaml"
run "$T" check "$D/dup.tm.yaml" $MB
expect_rc 2 "one bad file"
expect_in "$WORK/err" "$D/dup.tm.yaml:5:5: error: duplicate key 'status' (first defined at 4:5)" "duplicate key"
expect_in "$WORK/out" "$MB:31:5: error: threat 'MB-2'" "other file still checked"
run "$T" check "$D"
expect_rc 2 "directory of bad files"
expect_in "$WORK/err" "$D/unclosed.tm.yaml:3:1: error: invalid YAML: did not find expected node content" "unclosed flow"
expect_in "$WORK/err" "$D/latin1.tm.yaml:2:12: error: invalid UTF-8 byte 0xE9" "latin-1"
expect_in "$WORK/err" "$D/nul.tm.yaml:1:9: error: NUL byte in file" "NUL"
expect_in "$WORK/err" "$D/empty.tm.yaml: error: file is empty" "empty"
expect_in "$WORK/err" "$D/list.tm.yaml:1:1: error: the top level is a sequence" "not a mapping"
expect_in "$WORK/err" "$D/other.tm.yaml:1:1: error: not a threat model tmlint can read (cyclonedx: no bomFormat: CycloneDX; flowstate: no schema_version of the form N.N; native: no 'model: 1' at the top; otm: no otmVersion; owasp-tml:" "unknown format"
expect_in "$WORK/err" "$D/utf16.tm.yaml:1:1: error: file is UTF-16" "UTF-16"
# a UTF-8 byte order mark (as Windows editors save) is read past, YAML and JSON alike
printf '\xef\xbb\xbfmodel: 1\nowner: o\nthreats:\n  - id: B1\n    title: t\n    stauts: open\n' >"$WORK/bom.tm.yaml"
run "$T" check "$WORK/bom.tm.yaml"; expect_rc 1 "BOM"
expect_in "$WORK/out" "bom.tm.yaml:4:5: error: threat 'B1' has no mitigation" "BOM: read, positions as written"
expect_in "$WORK/out" "bom.tm.yaml:6:5: error: unknown key 'stauts'" "BOM: schema"
expect_in "$WORK/out" "bom.tm.yaml:1:1: warning: the model records no review date" "BOM: line 1 counts from after it"
printf '\xef\xbb\xbf{"model": 1, "threats": [{"id": "J1", "title": "x", "status": "open"}]}\n' >"$WORK/bom.tm.json"
run "$T" check "$WORK/bom.tm.json"; expect_rc 1 "BOM JSON"; expect_in "$WORK/out" "bom.tm.json:1:26: error: threat 'J1'" "BOM JSON position"
run "$T" check "$WORK"; expect_rc 2 "a directory as a file argument is walked, not read"
run "$T" check /dev/null; expect_rc 2 "device"; expect_in "$WORK/err" "/dev/null: error: not a regular file" "device text"

# JSON and multi-document files
printf '{"model": 1, "title": "J", "threats": [{"id": "J1", "title": "x", "status": "open"}]}\n' >"$WORK/m.tm.json"
run "$T" check "$WORK/m.tm.json"; expect_rc 1 "json"; expect_in "$WORK/out" "m.tm.json:1:40: error: threat 'J1'" "json position"
printf 'model: 1\nthreats: [{id: A, status: open}]\n---\nmodel: 1\nthreats: [{id: B, status: open}]\n' >"$WORK/multi.tm.yaml"
run "$T" check "$WORK/multi.tm.yaml"
expect_in "$WORK/out" "multi.tm.yaml:2:11: error: threat 'A'" "first document"
expect_in "$WORK/out" "multi.tm.yaml:5:11: error: threat 'B'" "second document"

# directory scans: name patterns, .git skipped, symlink loops end, sorted
S="$WORK/scan"; mkdir -p "$S/a/.git" "$S/b/deeper"
for f in a/threat-model.yaml a/x.tm.yml b/deeper/y.tm.json b/threatmodel.yml a/.git/z.tm.yaml a/notes.yaml; do
  printf 'model: 1\nthreats: [{id: T, status: open}]\n' >"$S/$f"
done
printf '{"model": 1, "threats": [{"id": "T", "status": "open"}]}' >"$S/b/deeper/y.tm.json"
ln -s .. "$S/b/deeper/loop"
run timeout 20 "$T" check "$S"
expect_rc 1 "scan"
awk -F: '!seen[$1]++ {print $1}' "$WORK/out" | sed "s|$S/||" >"$WORK/files"
# a/notes.yaml holds a model under another name: taken by its content
printf 'a/notes.yaml\na/threat-model.yaml\na/x.tm.yml\nb/deeper/y.tm.json\nb/threatmodel.yml\n' >"$WORK/want"
compare_golden "$WORK/files" "$WORK/want" "scan order and patterns"
run "$T" check "$S/a/notes.yaml"; expect_rc 1 "a file named explicitly is checked whatever its name"

# --output: whole file via rename, nothing left behind, checked files untouched
before=$(cd samples && find . -type f -exec sha256sum {} + | sort)
run "$T" check --format sarif --output "$WORK/o.sarif" samples
expect_rc 1 "sarif to file"
[ -s "$WORK/o.sarif" ] && pass || fail "output file missing"
[ ! -s "$WORK/out" ] && pass || fail "stdout not empty with --output"
ls "$WORK" | grep -q 'tmp-' && fail "temporary file left behind" || pass
after=$(cd samples && find . -type f -exec sha256sum {} + | sort)
[ "$before" = "$after" ] && pass || fail "checked files changed"
run "$T" check --format sarif --output /dev/null samples; expect_rc 1 "output to a device"
[ -c /dev/null ] && pass || fail "/dev/null was replaced"
run "$T" check --output /nonexistent-dir/x.sarif samples; expect_rc 2 "unwritable output"
expect_in "$WORK/err" "/nonexistent-dir/x.sarif: error: cannot create output file" "unwritable output text"

# a finding suppressed in the file is left out of the text and counted
run "$T" check --now "$NOW" tests/rules/TM005/quiet.tm.yaml
expect_not_in "$WORK/out" "[TM310 " "suppressed finding hidden"
expect_in "$WORK/err" "(2 suppressed in the file)" "suppressed findings counted"

# rules and explain
run "$T" rules; expect_rc 0 "rules"
expect_in "$WORK/out" "TM310   threat-without-mitigation      error" "rules table"
run "$T" explain TM313; expect_rc 0 "explain id"; expect_in "$WORK/out" "TM313 ideas-only (error)" "explain header"
expect_in "$WORK/out" "Meta threat: 3.2.12 mixing essentials with ideas." "explain meta"
run "$T" explain missing-acceptance-criteria; expect_rc 0 "explain by name"; expect_in "$WORK/out" "TM315" "explain by name text"
run "$T" explain TM999; expect_rc 2 "explain unknown"; expect_in "$WORK/err" "no rule 'TM999'" "explain unknown text"
run "$T" check --rules-dir "$WORK/none" samples; expect_rc 2 "missing rules dir"

# an installed tmlint finds its rules beside itself, from anywhere
if [ -n "${BUILD:-}" ] && command -v cmake >/dev/null; then
  cmake --install "$BUILD" --prefix "$WORK/prefix" >/dev/null 2>&1
  run sh -c "cd / && '$WORK/prefix/bin/tmlint' check '$SRC/$MB'"
  expect_rc 1 "installed binary"
  expect_in "$WORK/out" "mobile-banking.tm.yaml:31:5" "installed binary finds rules"
fi
# nothing checked is not success
mkdir -p "$WORK/nomodel/docs" && echo "# notes" >"$WORK/nomodel/docs/README.md"
run "$T" check "$WORK/nomodel"; expect_rc 2 "no model found"
expect_in "$WORK/err" "error: no threat model found under $WORK/nomodel" "no model message"
run "$T" audit "$WORK/nomodel"; expect_rc 2 "audit with no model"
expect_in "$WORK/err" "no threat model found under" "audit no model message"
run "$T" check --allow-empty "$WORK/nomodel"; expect_rc 0 "--allow-empty"
[ ! -s "$WORK/out" ] && pass || fail "--allow-empty prints nothing"

# a model is never skipped for its name: a JSON or YAML file the walk would pass over by name is checked
# when its first bytes are those of a format tmlint reads; not in hidden directories or node_modules, not
# an SBOM, and not when the configuration has include: (the team's choice) or excludes it
both() { cat "$WORK/out" "$WORK/err" >"$WORK/both"; }
S="$WORK/sniff"
mkdir -p "$S/node_modules/p" "$S/.cache" "$S/docs"
cp "$SRC/samples/clean/clinic-booking.tm.yaml" "$S/ok.tm.yaml"
TD='{"summary": {"title": "P"}, "detail": {"contributors": [], "diagrams": []}}'
for f in docs/payments.json node_modules/p/td.json .cache/td.json; do printf '%s\n' "$TD" >"$S/$f"; done
cp "$SRC/samples/findings/partner-portal.tm.yaml" "$S/docs/threats.yaml"
printf '{"bomFormat": "CycloneDX", "components": []}\n' >"$S/docs/bom.json"
mkfifo "$S/docs/pipe.json"
run timeout 20 "$T" check -v --no-repo --now "$NOW" "$S"; expect_rc 2 "misnamed models are checked (and a FIFO is not opened)"
expect_in "$WORK/err" "$S/docs/payments.json:1:1: error: read as threat-dragon, but the file holds no threats" "misnamed Threat Dragon model: checked"
expect_in "$WORK/out" "$S/docs/threats.yaml:" "misnamed native model: its findings"
expect_in "$WORK/err" "$S/docs/threats.yaml: checked: a directory walk passes over this name, but its first bytes are those of a native model (model: 1)" "-v says why a misnamed file was taken"
both; expect_not_in "$WORK/both" "node_modules" "node_modules is not looked into"
both; expect_not_in "$WORK/both" ".cache" "hidden directories are not looked into"
both; expect_not_in "$WORK/both" "bom.json" "an SBOM is no model"
both; expect_not_in "$WORK/both" "pipe.json" "a FIFO is not opened"
# --force-exclude (the pre-commit hook) takes a misnamed model too, and never through a link
run "$T" check --no-repo --now "$NOW" --force-exclude --allow-empty -- "$S/docs/payments.json"; expect_rc 2 "--force-exclude: a misnamed model is checked"
expect_in "$WORK/err" "payments.json:1:1: error: read as threat-dragon" "--force-exclude: its error"
ln -s payments.json "$S/docs/link.json"
run "$T" check --no-repo --now "$NOW" --force-exclude --allow-empty -- "$S/docs/link.json"
expect_rc 0 "--force-exclude: a link is not followed to look"
rm "$S/docs/link.json"
run timeout 20 "$T" check --no-repo --now "$NOW" --force-exclude --allow-empty -- "$S/docs/pipe.json" "$S/docs/bom.json"
expect_rc 0 "--force-exclude: a FIFO is not opened to look, an SBOM is passed over"
printf 'exclude: ["docs/payments.json", "docs/threats.yaml"]\n' >"$S/.tmlint.yaml"
run "$T" check --no-repo --now "$NOW" "$S"; expect_rc 0 "exclude: is the team's choice"
both; expect_not_in "$WORK/both" "payments.json" "a file the configuration excludes is not checked"
run env -C "$S" "$T" check --no-repo --now "$NOW" --force-exclude --allow-empty -- docs/payments.json; expect_rc 0 "--force-exclude honours exclude:"
rm "$S/.tmlint.yaml"
# a hidden directory named to the walk is the user's choice: its files are looked into
run "$T" check --no-repo --now "$NOW" "$S/.cache"; expect_rc 2 "a hidden root with only a misnamed model"
expect_in "$WORK/err" "$S/.cache/td.json:1:1: error: read as threat-dragon" "a hidden walk root is looked into"
printf 'include: ["**/ok.tm.yaml"]\n' >"$S/.tmlint.yaml"
run "$T" check --no-repo --now "$NOW" "$S"; expect_rc 0 "include:"
both; expect_not_in "$WORK/both" "payments.json" "include: is the team's choice: nothing else taken"
rm "$S/.tmlint.yaml"
# CycloneDX threat models and pytm's JSON are found under any name; a BOM without a threat model is not
mkdir -p "$WORK/sniff2" && cp "$SRC/tests/corpus/pytm/output.json" "$SRC/tests/corpus/cyclonedx-tmbom/tmbom-pytm-example.cdx.json" "$WORK/sniff2/"
run "$T" check -v --no-repo --now "$NOW" "$WORK/sniff2"
expect_in "$WORK/err" "output.json: checked: a directory walk passes over this name, but its first bytes are those of a pytm model" "pytm output.json taken"
expect_in "$WORK/err" "tmbom-pytm-example.cdx.json: checked: a directory walk passes over this name, but its first bytes are those of a CycloneDX threat model" "CycloneDX *.cdx.json taken"

# TM007: a status outside the format's own set, in each format that has one, at its line
V="$WORK/vocab"; mkdir -p "$V"
sed '1307s/status: mitigated/status: mitigaetd/' "$SRC/tests/corpus/threagile/threagile-example-model.yaml" >"$V/threagile-x.yaml"
sed '74s/"mitigationResolved"/"mitigationDone"/' "$SRC/tests/corpus/threat-composer/ThreatComposer.tc.json" >"$V/x.tc.json"
sed '959s/"suggested"/"sugested"/' "$SRC/tests/corpus/owasp-tml/hashicorp-vault-threat-model.json" >"$V/vault.tm.json"
printf 'schema_version: "1.0"\nname: F\ncomponents: [{ref: a, name: A}]\ndata_flows: []\nthreats:\n  - {ref: t1, name: T, status: Mitigated, affected_components: [a]}\ncontrols:\n  - {ref: c1, name: C, status: Doing, threats: [t1]}\n' >"$V/flow.tm.yaml"
run "$T" check --no-repo --now "$NOW" --only TM007 "$V"
expect_in "$WORK/out" "threagile-x.yaml:1307:13: warning: status 'mitigaetd' is not one of this format's values; read as open (did you mean 'mitigated'?)" "TM007 Threagile"
expect_in "$WORK/out" "x.tc.json:74:17: warning: status 'mitigationDone' is not one of this format's values; read as no status (it has 'mitigationIdentified', 'mitigationInProgress', 'mitigationResolved', 'mitigationResolvedWillNotAction')" "TM007 Threat Composer"
expect_in "$WORK/out" "vault.tm.json:959:23: warning: status 'sugested' is not one of this format's values; read as a control of no kind or status (did you mean 'suggested'?)" "TM007 OWASP TML"
expect_in "$WORK/out" "flow.tm.yaml:6:32: warning: status 'Mitigated' is not one of this format's values; read as open (did you mean 'Mitigate'?)" "TM007 FlowState threat"
expect_in "$WORK/out" "flow.tm.yaml:8:32: warning: status 'Doing' is not one of this format's values; read as no status (it has 'To Do', 'In Progress', 'Done', 'Cancelled')" "TM007 FlowState control"

# --only a rule the file's format cannot feed: it checked nothing, and says so (exit status unchanged)
run "$T" check --no-repo --now "$NOW" --only TM315 "$SRC/tests/rules/TM007/quiet.tm.yaml"; expect_rc 0 "--only a rule that does not apply"
expect_in "$WORK/err" "tmlint: note: TM315 missing-acceptance-criteria checked nothing in 1 file: the threat-dragon format has no field for it" "--only: not applicable is said"
run "$T" check --no-repo --now "$NOW" --only TM310 "$SRC/tests/rules/TM007/quiet.tm.yaml"
expect_not_in "$WORK/err" "checked nothing" "--only a rule that applies: no note"

# TM008: a key one slip from a key the format has, which the adapter did not read, at the key
K="$WORK/keys"; mkdir -p "$K"
sed '322s/protocol: https/protocoll: https/' "$SRC/tests/corpus/threagile/threagile-example-model.yaml" >"$K/threagile-k.yaml"
sed '74s/"status"/"Status"/' "$SRC/tests/corpus/threat-composer/ThreatComposer.tc.json" >"$K/k.tc.json"
sed '296s/"destination"/"destinaton"/' "$SRC/tests/corpus/owasp-tml/hashicorp-vault-threat-model.json" >"$K/vault.tm.json"
sed '82s/"parent"/"parnet"/' "$SRC/tests/corpus/otm/mobile-cloud.otm.json" >"$K/mobile.otm.json"
printf 'schema_version: "1.0"\nname: F\ncomponents: [{ref: a, name: A}]\ndata_flows: []\nthreats:\n  - {ref: t1, name: T, status: Mitigate, affected_component: [a]}\n' >"$K/flow.tm.yaml"
run "$T" check --no-repo --now "$NOW" --only TM008 "$K"; expect_rc 0 "misspelt keys are warnings"
expect_in "$WORK/out" "threagile-k.yaml:322:9: warning: key 'protocoll' is not one this format has; did you mean 'protocol'? (it was not read)" "TM008 Threagile link"
expect_in "$WORK/out" "k.tc.json:74:7: warning: key 'Status' is not one this format has; did you mean 'status'?" "TM008 Threat Composer (case)"
expect_in "$WORK/out" "vault.tm.json:296:13: warning: key 'destinaton' is not one this format has; did you mean 'destination'?" "TM008 OWASP TML flow"
expect_in "$WORK/out" "mobile.otm.json:82:21: warning: key 'parnet' is not one this format has; did you mean 'parent'?" "TM008 OTM component"
expect_in "$WORK/out" "flow.tm.yaml:6:42: warning: key 'affected_component' is not one this format has; did you mean 'affected_components'?" "TM008 FlowState threat"
# the unmodified corpus files stay quiet
run "$T" check --no-repo --now "$NOW" --only TM008 "$SRC/tests/corpus"
expect_not_in "$WORK/out" "TM008" "TM008 quiet on the corpus"

# convert writes such a value as the default it was read as, and says so at its line
run "$T" convert --to native "$SRC/tests/rules/TM007/fires.tm.yaml"; expect_rc 0 "convert with unknown statuses"
expect_in "$WORK/err" "fires.tm.yaml:11:22: warning: status 'Opne' is not one of this format's values; converted as open" "convert: unknown status at its line"
# a list where the status belongs is no status either, in check and in convert, at the key
sed 's/"status": "Opne"/"status": ["Open"]/' "$SRC/tests/rules/TM007/fires.tm.yaml" >"$WORK/shape.tm.json"
run "$T" check --no-repo --now "$NOW" --only TM007 "$WORK/shape.tm.json"
expect_in "$WORK/out" "shape.tm.json:11:12: warning: status is a list, not one of this format's values; read as open (it has 'Open', 'Mitigated', 'NotApplicable')" "TM007 on a list"
run "$T" convert --to native "$WORK/shape.tm.json"
expect_in "$WORK/err" "shape.tm.json:11:12: warning: status is a list, not one of this format's values; converted as open" "convert: a list status"
# ... and a list where one value belongs (a flow's end), at the key: not "has no source" alone
sed '0,/"source": "\([^"]*\)"/s//"source": ["\1"]/' "$SRC/tests/corpus/otm/otm-example.json" >"$WORK/ends.otm.json"
run "$T" check --no-repo --now "$NOW" --only TM007 "$WORK/ends.otm.json"
expect_in "$WORK/out" "ends.otm.json:191:7: warning: source is a list where the format has one value; read as absent" "TM007: a list for a flow's end"
run "$T" convert --to native "$WORK/ends.otm.json"
expect_in "$WORK/err" "ends.otm.json:191:7: warning: source is a list where the format has one value; converted as absent" "convert: a list for a flow's end"
run "$T" convert --to native "$SRC/tests/rules/TM008/fires.tm.yaml"; expect_rc 0 "convert with misspelt keys"
expect_in "$WORK/err" "fires.tm.yaml:11:30: warning: key 'mitigaton' is not one this format has (did you mean 'mitigation'?); it was not read or converted" "convert: misspelt key at its line"

# YAML merge keys: a threat takes its status and acceptance from an anchored mapping; a text
# merged from an anchor is reported where it is written, one merged inline where it is
printf 'model: 1\nowner: o\nreviewed: 2026-11-01\nreviewers: [a]\nx-defaults: &d\n  severity: low\n  status: accepted\n  accept: {reason: "low value data only, reviewed by the team in November", by: sec, date: 2026-11-01}\nthreats:\n  - <<: *d\n    id: T1\n    title: real\n  - id: T2\n    title: b\n    <<: {description: "Cloud key AKIAIOSFODNN7EXAMPLE is in the build log", severity: high}\n    status: accepted\n    accept: {reason: "the key was rotated and revoked by the platform team", by: sec, date: 2026-11-01}\n' >"$WORK/merge.tm.yaml"
run "$T" check --no-repo --now "$NOW" --disable TM002 "$WORK/merge.tm.yaml"; expect_rc 1 "merge keys"
expect_not_in "$WORK/out" "'<<'" "a merge key is no unknown key"
expect_not_in "$WORK/out" "TM310" "the merged status and acceptance are read"
expect_in "$WORK/out" "merge.tm.yaml:15:23: error: this text looks like an AWS access key id" "a text merged inline is scanned where it is"
printf 'model: 1\nthreats:\n  - id: T1\n    <<: [a, b]\n' >"$WORK/merge-bad.tm.yaml"
run "$T" check --no-repo --now "$NOW" "$WORK/merge-bad.tm.yaml"; expect_rc 2 "a merge of scalars"
expect_in "$WORK/err" "merge-bad.tm.yaml:4:10: error: the merge key '<<' takes a mapping or a list of mappings, not a scalar" "merge of scalars: its position"

# a list where an element's mapping belongs is TM006's, and no element: no findings about a threat '?'
printf 'model: 1\nowner: o\nthreats:\n  - id: T1\n    title: real\n    status: open\n  - [nested, list]\n  - just text\n' >"$WORK/entries.tm.yaml"
run "$T" check --no-repo --now "$NOW" "$WORK/entries.tm.yaml"; expect_rc 1 "entries of the wrong type"
expect_in "$WORK/out" "entries.tm.yaml:7:5: error: each entry of 'threats' should be a mapping, not a list [TM006 schema-violation]" "a list entry"
expect_in "$WORK/out" "entries.tm.yaml:8:5: error: each entry of 'threats' should be a mapping, not text [TM006 schema-violation]" "a text entry"
expect_not_in "$WORK/out" "threat '?'" "a list is no threat"
# ... and a list inside a threat's mitigations is no inline mitigation
printf 'model: 1\nowner: o\nthreats:\n  - id: T1\n    title: real\n    status: mitigated\n    mitigations: [[M1, M2]]\nmitigations:\n  - {id: M1, title: a}\n' >"$WORK/nested.tm.yaml"
run "$T" check --no-repo --now "$NOW" "$WORK/nested.tm.yaml"; expect_rc 1 "a nested list of mitigations"
expect_in "$WORK/out" "nested.tm.yaml:7:19: error: each entry of 'mitigations' should be a mitigation id or a mitigation, not a list [TM006 schema-violation]" "a list entry in mitigations"
expect_not_in "$WORK/out" "mitigation '?'" "a list is no mitigation"
expect_not_in "$WORK/out" "this mitigation has no id" "a list is no mitigation without an id"

# usage mistakes get a clear answer
run "$T" check --fromat sarif "$MB"; expect_rc 2 "misspelt option"
expect_in "$WORK/err" "unknown option '--fromat'; did you mean --format?" "option suggestion"
run "$T" check --compare x.json "$MB"; expect_rc 2 "an audit option on check"
expect_in "$WORK/err" "--compare is not an option of tmlint check; it belongs to tmlint audit" "misplaced option"
run "$T" chekc "$MB"; expect_rc 2 "misspelt command"
expect_in "$WORK/err" "unknown command 'chekc'; did you mean check?" "command suggestion"
run "$T" explain threat-without-mitigaton; expect_rc 2 "misspelt rule"
expect_in "$WORK/err" "did you mean threat-without-mitigation?" "rule suggestion"
run "$T" check --enable TM3100 "$MB"; expect_rc 2 "misspelt rule to enable"
expect_in "$WORK/err" "no rule 'TM3100'; did you mean TM310?" "enable suggestion"
run "$T" rules --format sarif; expect_rc 2 "rules in sarif"
run "$T" check --stdin-filename x.tm.yaml "$MB"; expect_rc 2 "--stdin-filename without -"

# standard input, named for messages and configuration
mkdir -p "$WORK/si/.git" "$WORK/si/models"
printf 'rules:\n  TM310: off\n' >"$WORK/si/.tmlint.yaml"
run sh -c "cd '$WORK/si' && '$T' check --now $NOW --color never --stdin-filename models/m.tm.yaml - <'$SRC/$MB'"
expect_rc 1 "stdin"
expect_in "$WORK/out" "models/m.tm.yaml:43:15: error: threat 'MB-3' is accepted with a reason of 2 word(s)" "stdin finding named"
expect_not_in "$WORK/out" "[TM310 " "stdin uses the configuration of its name"
run sh -c "'$T' check --now $NOW - <'$SRC/$MB'"; expect_rc 1 "stdin without a name"
expect_in "$WORK/out" "<stdin>:31:5: error" "stdin default name"

# -q prints the findings and no summary
run "$T" check -q --now "$NOW" "$MB"; expect_rc 1 "-q"
[ ! -s "$WORK/err" ] && pass || fail "-q printed a summary"
expect_in "$WORK/out" "$MB:31:5: error" "-q keeps findings"

# rules --format json
run "$T" rules --format json; expect_rc 0 "rules json"
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["rules"]) >= 38; r=[x for x in d["rules"] if x["id"]=="TM311"][0]; assert r["settings"]=={"min_words":4}, r' "$WORK/out" && pass || fail "rules json"

# --output never overwrites a checked file
cp "$SRC/$MB" "$WORK/keep.tm.yaml"; sum=$(md5sum <"$WORK/keep.tm.yaml")
run "$T" check --output "$WORK/../$(basename "$WORK")/keep.tm.yaml" "$WORK/keep.tm.yaml"; expect_rc 2 "output names an input"
expect_in "$WORK/err" "--output names a file being checked" "output is input message"
[ "$(md5sum <"$WORK/keep.tm.yaml")" = "$sum" ] && pass || fail "the checked file was overwritten"
# -- ends the options
run "$T" check --now "$NOW" -- "$MB"; expect_rc 1 "-- before paths"
run "$T" check -- --output=x.tm.yaml; expect_rc 2 "an option-like path is a path"
expect_in "$WORK/err" "--output=x.tm.yaml: error: cannot read" "option-like path message"

# the man page and completions are made from the option table: every option
# --timings: a table on stderr after the run, findings unchanged
run "$T" check --timings --now "$NOW" samples/findings/mobile-banking.tm.yaml
cp "$WORK/out" "$WORK/timed.out"
expect_rc 1 "--timings keeps the exit status"
expect_in "$WORK/err" "rule, adapter or phase" "--timings header"
expect_in "$WORK/err" "TM310 threat-without-mitigation" "--timings names each rule"
expect_in "$WORK/err" "adapter native" "--timings names the adapter"
expect_in "$WORK/err" "whole run" "--timings total"
run "$T" check --now "$NOW" samples/findings/mobile-banking.tm.yaml
cmp -s "$WORK/out" "$WORK/timed.out" && pass || fail "--timings changed the findings"
# the collections tmlint runs between rules and documents have their row:
# after the first of two files, one full collection
run "$T" check --timings --now "$NOW" samples/findings/mobile-banking.tm.yaml samples/clean/clinic-booking.tm.yaml
calls=$(awk '/^\(collector, between rules\)/ {print $NF}' "$WORK/err")
[ "${calls:-0}" -ge 1 ] && pass || fail "--timings: the collector's row counts its calls (${calls:-none})"
run "$T" audit --timings samples
expect_rc 2 "--timings is for check"
# VM instructions are counted where code other than tmlint's own runs, or
# when asked; the built-in rules alone run without the count hook (their
# time limit is a timer's: tests/unit/test_lua_rt.c)
col() { awk -v id="$1" '$1 == id {print $(NF-1)}' "$WORK/err"; }
run "$T" check --timings --now "$NOW" samples/findings/mobile-banking.tm.yaml
[ "$(col TM310)" = "-" ] && pass || fail "--timings: the built-in rules alone count no instructions ($(col TM310))"
expect_in "$WORK/err" "(instructions -: tmlint's own code runs uncounted" "--timings says what - means"
run "$T" check --timings --max-rule-instructions 300000000 --now "$NOW" samples/findings/mobile-banking.tm.yaml
[[ "$(col TM310)" =~ ^[0-9]+$ ]] && pass || fail "--timings: --max-rule-instructions counts the built-in rules"
expect_not_in "$WORK/err" "runs uncounted" "--timings: no note when everything is counted"
cmp -s "$WORK/out" "$WORK/timed.out" && pass || fail "counting instructions changed the findings"
run "$T" check --timings --now "$NOW" --rules-dir "$TR" samples/findings/mobile-banking.tm.yaml
[[ "$(col TM310)" =~ ^[0-9]+$ ]] && [[ "$(col TM990)" =~ ^[0-9]+$ ]] && pass ||
  fail "--timings: with a team rule loaded, every rule counts ($(col TM310), $(col TM990))"
# a team rule that loops is stopped by its instruction budget, before its time
cat >"$TR/TM993.lua" <<'LUA'
return { id = "TM993", name = "spin", level = "note", summary = "s", help = "h", message = "m",
  run = function() while true do pcall(function() while true do end end) end end }
LUA
run "$T" check --now "$NOW" --max-rule-time 60 --rules-dir "$TR" --only TM993 --only TM310 "$MB"
expect_rc 2 "a looping team rule is a tool error"
expect_in "$WORK/err" "rule TM993 stopped: it ran past its budget of" "a looping team rule stops at its budget"
expect_in "$WORK/out" "TM310" "the other rules still run"
rm -f "$TR/TM993.lua"

# of --help is in each, and the checked-in copies are current
for what in man bash zsh fish; do
  run "$T" _generate "$what"; expect_rc 0 "generate $what"
  cp "$WORK/out" "$WORK/gen.$what"
done
for o in $("$T" check --help; "$T" audit --help; "$T" rules --help; "$T" convert --help) ; do :; done
for cmd in check audit rules explain init convert; do
  for o in $("$T" "$cmd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -q -- "$(printf '%s' "$o" | sed 's/-/\\\\-/g')" "$WORK/gen.man" && pass || fail "man page lacks $o"
    for sh in bash zsh fish; do
      grep -q -- "${o#--}" "$WORK/gen.$sh" && pass || fail "$sh completion lacks $o"
    done
  done
done
cmp -s "$WORK/gen.man" "$SRC/docs/tmlint.1" && pass || fail "docs/tmlint.1 is out of date: build/tmlint _generate man >docs/tmlint.1"
for sh in bash zsh fish; do
  cmp -s "$WORK/gen.$sh" "$SRC/docs/completions/tmlint.$sh" && pass ||
    fail "docs/completions/tmlint.$sh is out of date: build/tmlint _generate $sh >docs/completions/tmlint.$sh"
done
# tm.repo: confined to the repository, quiet outside one, and the summary says why
G="$WORK/evrepo"
mkdir -p "$G/tests" && git init -q "$G" && printf 'def test_lockout():\n    pass\n' >"$G/tests/lockout_test.py"
ln -s /etc "$G/outside"
cat >"$G/m.tm.yaml" <<'YAML'
model: 1
title: Evidence in a repository
owner: t
threats:
  - {id: T1, title: Login is brute-forced, status: mitigated, mitigations: [M1, M2, M3, M4]}
mitigations:
  - {id: M1, title: Lockout, kind: essential, status: done, verified_by: "tests/lockout_test.py::test_lockout"}
  - {id: M2, title: Lockout again, kind: essential, status: done, verified_by: "outside/hostname"}
  - {id: M3, title: Lockout twice, kind: essential, status: done, verified_by: "tests/../../../etc/hostname"}
  - {id: M4, title: Lockout thrice, kind: essential, status: done, verified_by: "tests/lockout_test.py::test_gone"}
YAML
run "$TMLINT" check --now "$NOW" --color never "$G/m.tm.yaml"
expect_not_in "$WORK/out" "'M1' is verified_by" "an existing test is evidence"
expect_in "$WORK/out" "'M2' is verified_by 'outside/hostname', but the repository has no 'outside/hostname'" "a symlink out of the repository leads nowhere"
expect_in "$WORK/out" "'M3' is verified_by 'tests/../../../etc/hostname', but the repository has no" "no .. out of the repository"
expect_in "$WORK/out" "'tests/lockout_test.py' has no test 'test_gone'" "a test name that is not in the file"
run "$TMLINT" check --now "$NOW" --color never --no-repo "$G/m.tm.yaml"
expect_not_in "$WORK/out" "[TM340 " "--no-repo: quiet"
expect_in "$WORK/err" "; repository rules quiet: tmlint was run with --no-repo" "--no-repo: the summary says why"
mkdir -p "$WORK/norepo" && cp "$G/m.tm.yaml" "$WORK/norepo/"
run "$TMLINT" check --now "$NOW" --color never "$WORK/norepo/m.tm.yaml"
expect_not_in "$WORK/out" "[TM340 " "outside a repository: quiet"
expect_in "$WORK/err" "; repository rules quiet: not in a git repository" "outside a repository: the summary says why"
# --exclude: a directory is pruned with everything under it, a glob with **
# reaches any depth, files named on the command line stay checked unless
# --force-exclude, and a walk that excludes every model finds none
E="$WORK/excl"
mkdir -p "$E/.tool/samples" "$E/models/old"
cp "$SRC/samples/findings/mobile-banking.tm.yaml" "$E/.tool/samples/"
cp "$SRC/samples/clean/clinic-booking.tm.yaml" "$E/models/"
cp "$SRC/samples/findings/mobile-banking.tm.yaml" "$E/models/old/"
(cd "$E" && "$TMLINT" check --now "$NOW" --color never . >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 1 "--exclude: without it, both copies fire"
(cd "$E" && "$TMLINT" check --now "$NOW" --color never -v --exclude .tool --exclude 'models/old' . >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 0 "--exclude prunes directories"
expect_in "$WORK/err" ".tool: skipped: --exclude" "--exclude: -v says what it pruned"
expect_in "$WORK/err" "models/clinic-booking.tm.yaml: configuration" "--exclude: the other model still checked"
(cd "$E" && "$TMLINT" check --now "$NOW" --color never --exclude '**/*banking*' . >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 0 "--exclude '**/x' reaches any depth"
(cd "$E" && "$TMLINT" check --now "$NOW" --color never --exclude 'models/old' models/old/mobile-banking.tm.yaml >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 1 "--exclude: a file named on the command line is checked"
(cd "$E" && "$TMLINT" check --now "$NOW" --color never --force-exclude --allow-empty --exclude 'models/old' models/old/mobile-banking.tm.yaml >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 0 "--exclude with --force-exclude: a named file is skipped too"
(cd "$E" && "$TMLINT" check --now "$NOW" --color never --exclude '*' . >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 2 "--exclude of everything: no model found is an error"
# Built-in files compile their patterns on first use; compiled at once
# (TMLINT_EAGER_RE=1) every one of them must compile and the findings be
# the same, so a bad pattern in a rarely taken branch cannot hide
run "$TMLINT" check --now "$NOW" --color never --format sarif "$SRC/samples"
cp "$WORK/out" "$WORK/lazy.sarif"
run env TMLINT_EAGER_RE=1 "$TMLINT" check --now "$NOW" --color never --format sarif "$SRC/samples"
expect_rc 1 "every built-in pattern compiles (TMLINT_EAGER_RE=1)"
expect_not_in "$WORK/err" "bad regex" "no built-in pattern is refused"
cmp -s "$WORK/out" "$WORK/lazy.sarif" && pass || fail "findings differ with patterns compiled at once"
# A built-in rule's code loads only when it runs; what a run reads of it
# before that comes from the manifest the build wrote. Loaded at once
# (TMLINT_EAGER_RULES=1), the listing, the explanations and the findings
# are the same; a rules directory whose rule file differs from the one
# built is loaded from its text, as before
run "$TMLINT" rules --format json
cp "$WORK/out" "$WORK/lazy-rules.json"
run env TMLINT_EAGER_RULES=1 "$TMLINT" rules --format json
cmp -s "$WORK/out" "$WORK/lazy-rules.json" && pass || fail "the rule listing differs with rules loaded at once"
run env TMLINT_EAGER_RULES=1 "$TMLINT" check --now "$NOW" --color never --format sarif "$SRC/samples"
cmp -s "$WORK/out" "$WORK/lazy.sarif" && pass || fail "findings differ with rules loaded at once"
run "$TMLINT" check --now "$NOW" --color never --only TM310 --format sarif "$SRC/samples"
cp "$WORK/out" "$WORK/only.sarif"
run env TMLINT_EAGER_RULES=1 "$TMLINT" check --now "$NOW" --color never --only TM310 --format sarif "$SRC/samples"
cmp -s "$WORK/out" "$WORK/only.sarif" && pass || fail "--only differs with rules loaded at once"
LR="$WORK/lazy-rules"; mkdir -p "$LR" && cp -r "$SRC/rules/." "$LR/"
sed -i 's/^  message = "threat /  message = "CHANGED threat /' "$LR/TM310.lua"
run "$TMLINT" check --now "$NOW" --color never --rules-dir "$LR" --only TM310 "$SRC/samples"
expect_in "$WORK/out" "CHANGED threat" "a changed built-in rule file is loaded from its text, not the build's manifest"
# the built source with more after it, or cut short, is no longer the
# built file: read whole, neither loads (Lua ends a chunk at its return)
cp "$SRC/rules/TM310.lua" "$LR/TM310.lua"; printf 'x = 1\n' >>"$LR/TM310.lua"
run "$TMLINT" check --now "$NOW" --color never --rules-dir "$LR" --only TM310 "$SRC/samples"
expect_rc 2 "the built rule with bytes after it"
expect_in "$WORK/err" "<eof> expected near 'x'" "the built rule with bytes after it is read whole"
head -c -2 "$SRC/rules/TM310.lua" >"$LR/TM310.lua"
run "$TMLINT" check --now "$NOW" --color never --rules-dir "$LR" --only TM310 "$SRC/samples"
expect_rc 2 "the built rule cut short"
expect_in "$WORK/err" "unexpected symbol near <eof>" "the built rule cut short is read whole"
# a pipe in a built-in file's place gives nothing to the one read, and
# is then refused, without waiting for a writer
rm -f "$LR/TM310.lua" && mkfifo "$LR/TM310.lua"
run timeout 20 "$TMLINT" check --now "$NOW" --color never --rules-dir "$LR" --only TM310 "$SRC/samples"
expect_rc 2 "a pipe in a built-in rule's place"
expect_in "$WORK/err" "TM310.lua: error: refusing to load it as Lua: not a regular file" "a pipe in a built-in rule's place is refused"
rm -f "$LR/TM310.lua"
cp "$SRC/rules/TM310.lua" "$LR/TM310.lua"


# ... and the build refuses two built-in rules with one id or name, since
# a run no longer compares them
if [ -x "$BUILD/gen_bytecode" ]; then
  "$BUILD/gen_bytecode" "$WORK/bc.c" @rules/TM001.lua "$SRC/rules/TM001.lua" @rules/TM999.lua "$SRC/rules/TM001.lua" \
    >"$WORK/out" 2>"$WORK/err" && fail "the build takes two rules with one id" || pass
  expect_in "$WORK/err" "TM999.lua: its id or name is also rules/TM001.lua's" "the build names both files of a clash"
fi
# tmlint's own bytecode carries no line numbers: a team rule that makes a
# helper of tm fail is told how to get them, and gets them that way
BR="$WORK/stripped"; mkdir -p "$BR/tm-rules" && cp "$MB" "$BR/" && printf 'rules_dirs: [tm-rules]\n' >"$BR/.tmlint.yaml"
cat >"$BR/tm-rules/X1.lua" <<'LUA'
return { id = "X1", name = "x-one", level = "note", summary = "s", help = "h", message = "m",
  run = function(model, report) tm.keys(model, {a = 1}, 7) end }
LUA
(cd "$BR" && "$TMLINT" check --no-repo --now "$NOW" mobile-banking.tm.yaml >"$WORK/out" 2>"$WORK/err")
expect_in "$WORK/err" "error: rule X1 failed: attempt to index a number value (TMLINT_NO_BYTECODE=1 names the line)" "a built-in helper's error says how to get its line"
(cd "$BR" && TMLINT_NO_BYTECODE=1 "$TMLINT" check --no-repo --now "$NOW" mobile-banking.tm.yaml >"$WORK/out" 2>"$WORK/err")
expect_in "$WORK/err" "error: rule X1 failed: rules/lib/tm.lua:" "TMLINT_NO_BYTECODE=1: the helper's line"
expect_in "$WORK/err" "attempt to index a number value (local 'known')" "TMLINT_NO_BYTECODE=1: the variable's name"
run env TMLINT_NO_BYTECODE=1 "$TMLINT" check --now "$NOW" --color never --format sarif "$SRC/samples"
cmp -s "$WORK/out" "$WORK/lazy.sarif" && pass || fail "findings differ with the built-in files compiled from text"
# explain knows a team rule that `rules` lists (issue 34)
X="$WORK/explain-team"; mkdir -p "$X/.git" "$X/team"
printf 'return { id = "X1", name = "payments-zone", level = "warning", summary = "Payments flows leave the zone", help = "Why and how.", message = "m", run = function() end }\n' >"$X/team/X1.lua"
printf 'rules_dirs: [team]\n' >"$X/.tmlint.yaml"
(cd "$X" && "$TMLINT" explain X1 >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 0 "explain a team rule"
expect_in "$WORK/out" "X1 payments-zone (warning)" "explain names the team rule"
(cd "$X" && "$TMLINT" explain payments-zone >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_in "$WORK/out" "Why and how." "by name too"
(cd "$X" && "$TMLINT" explain X2 >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 2 "an unknown rule is still an error"
# --rules-dir of team rules alone adds them beside the built-in ones, and a
# configuration that names the same directory loads it once
(cd "$X" && "$TMLINT" rules --rules-dir team >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 0 "--rules-dir of team rules alone"
expect_in "$WORK/out" "X1      payments-zone" "the team rule is listed"
expect_in "$WORK/out" "TM310   threat-without-mitigation" "beside the built-in rules"
expect_not_in "$WORK/err" "clashes" "loaded once"
# --select / --ignore by id prefix, and --statistics (issue 34, point 7)
run "$TMLINT" check --now "$NOW" --select TM31 "$SRC/samples"
expect_rc 1 "--select TM31"
[ "$(grep -c ' \[TM31[0-9] ' "$WORK/out")" = "$(wc -l <"$WORK/out")" ] && pass || fail "--select TM31 shows only TM31x"
expect_in "$WORK/out" "[TM316 single-control-on-critical]" "--select picks TM316"
run "$TMLINT" check --now "$NOW" --ignore TM3 --ignore TM1 "$SRC/samples"
grep -q ' \[TM[13][0-9][0-9] ' "$WORK/out" && fail "--ignore TM3 --ignore TM1 left a TM1xx or TM3xx finding" || pass
run "$TMLINT" check --now "$NOW" --select TM9 "$SRC/samples"
expect_rc 2 "--select with a prefix no rule has"
expect_in "$WORK/err" "no rule id starts with 'TM9'" "said"
run "$TMLINT" check --now "$NOW" --statistics "$SRC/samples"
expect_rc 1 "--statistics keeps the exit status"
expect_in "$WORK/out" "     6  TM332 unverified-mitigation (note)" "--statistics: a count per rule, most first"
grep -q "samples/findings" "$WORK/out" && fail "--statistics printed findings" || pass
# --format full: the finding, its source line and a caret under its column
printf 'model: 1\ntitle: t\nowner: o\nthreats:\n  - {id: T1, title: "é\tx", status: open}\n' >"$WORK/full.tm.yaml"
run "$TMLINT" check --now "$NOW" --only TM310 --format full "$WORK/full.tm.yaml"
expect_rc 1 "--format full"
expect_in "$WORK/out" "full.tm.yaml:5:5: error: threat 'T1' has no mitigation" "the finding's line"
expect_in "$WORK/out" "5 |   - {id: T1, title: \"é\\x09x\", status: open}" "its source line, escaped for the terminal"
expect_in "$WORK/out" "  |     ^" "the caret under column 5"
finish
