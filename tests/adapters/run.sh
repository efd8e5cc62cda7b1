# A team's own format through `adapter:` in .tmlint.yaml: read, checked
# and reported at the lines of the team's file; a broken adapter is a clear
# error naming it and the line.
. "$(dirname "$0")/../lib.sh"
R="$WORK/repo"
mkdir -p "$R/.git" "$R/tm"
cp "$SRC/tests/adapters/risk-register.yaml" "$R/risks.yaml"
cp "$SRC/tests/adapters/risk-register.lua" "$R/tm/risk-register.lua"
cd "$R" || exit 1
run "$TMLINT" check --now "$NOW" risks.yaml
expect_rc 2 "without the adapter the file is not recognised"
expect_in "$WORK/err" "not a threat model tmlint can read" "unrecognised"
printf 'adapter: tm/risk-register.lua\n' >.tmlint.yaml
run "$TMLINT" check --now "$NOW" --color never risks.yaml
expect_rc 1 "team adapter"
cat >"$WORK/want" <<'TXT'
risks.yaml:2:1: note: threats are rated, but the model does not state the rating scheme's name and version [TM002 unversioned-rating-scheme]
risks.yaml:17:16: error: threat 'R-02' is accepted with a reason of 1 word(s); say why the risk is acceptable (at least 4) [TM311 accept-without-reason]
risks.yaml:18:5: error: threat 'R-03' has no mitigation and is not accepted, transferred or a false positive [TM310 threat-without-mitigation]
TXT
# R-01 lists controls: only R-03 lacks a mitigation
grep -v "TM102\|TM103" "$WORK/out" >"$WORK/got" || true
compare_golden "$WORK/got" "$WORK/want" "team adapter findings"
run "$TMLINT" convert --to native risks.yaml
expect_in "$WORK/out" "# converted by tmlint from the risk-register format" "convert uses the team adapter"
# a broken adapter names itself and the line
printf 'return { name = "broken", detect = function() return true end,\n  build = function(root) return root.nothing.here end }\n' >tm/risk-register.lua
run "$TMLINT" check risks.yaml
expect_rc 2 "broken adapter"
expect_in "$WORK/err" "risks.yaml: error: adapter broken failed: $R/tm/risk-register.lua:2: attempt to index a nil value (field 'nothing')" "broken adapter message"
printf 'return {\n' >tm/risk-register.lua
run "$TMLINT" check risks.yaml
expect_rc 2 "adapter with a syntax error"
expect_in "$WORK/err" "risk-register.lua: error: cannot load Lua: $R/tm/risk-register.lua:2: unexpected symbol near <eof>" "syntax error message"
# --input-format and format: force a built-in format
cp "$SRC/tests/corpus/otm/otm-example.yaml" plain.yaml
rm .tmlint.yaml
run "$TMLINT" check --input-format threat-dragon plain.yaml; expect_rc 2 "forced wrong format"
run "$TMLINT" check --input-format nope plain.yaml; expect_rc 2 "unknown format"
expect_in "$WORK/err" "unknown input format 'nope' (formats: cyclonedx, flowstate, native, otm, owasp-tml, pytm, threagile, threat-composer, threat-dragon)" "unknown format text"
printf 'format: otm\n' >.tmlint.yaml
run "$TMLINT" check --now "$NOW" plain.yaml; expect_rc 0 "format: in config"
expect_in "$WORK/out" "plain.yaml:228:5: warning: mitigation 'Mitigation 2' is not used by any threat [TM319" "read as otm"
printf 'format: excel\n' >.tmlint.yaml
run "$TMLINT" check plain.yaml; expect_rc 2 "unknown format in config"
expect_in "$WORK/err" "format: 'excel' is not a format tmlint reads" "unknown format in config text"

# the worked examples on two real team schemas (samples/adapters/), end to end
for pair in groovy:apache-groovy grails:apache-grails-spring-security; do
  name=${pair%%:*}; file=${pair#*:}.threat-model.yaml
  mkdir -p "$WORK/$name/.git" && cp "$SRC/tests/corpus/other/$file" "$WORK/$name/"
  # the adapter lives in the repository (a configuration's paths stay inside it)
  mkdir -p "$WORK/$name/tm" && cp "$SRC/samples/adapters/$name-threat-model.lua" "$WORK/$name/tm/"
  printf 'adapter: tm/%s\n' "$name-threat-model.lua" >"$WORK/$name/.tmlint.yaml"
  cd "$WORK/$name" || exit 1
  run "$TMLINT" check --now "$NOW" --color never "$file"
  { cat "$WORK/out"; echo "exit $rc"; } >"$WORK/actual"
  compare_golden "$WORK/actual" "$SRC/tests/adapters/expected/$name.txt" "$name team adapter"
  run "$TMLINT" convert --to native "$file"
  expect_in "$WORK/out" "# converted by tmlint from the $name-threat-model format" "$name convert"
  cp "$WORK/out" converted.tm.yaml
  run "$TMLINT" check --now "$NOW" --color never --input-format native converted.tm.yaml
  norm() { grep -v '^exit' "$1" | sed -E 's/^[^ ]+ //' | sort; }
  if diff <(norm "$WORK/actual") <(norm "$WORK/out") >"$WORK/diff"; then pass; else
    fail "$name: findings change after convert --to native"; head "$WORK/diff" >&2; fi
  # without the adapter, the file is refused, never read as something else
  rm .tmlint.yaml
  run "$TMLINT" check --now "$NOW" "$file"; expect_rc 2 "$name without its adapter"
done
# CycloneDX TMBOM: elements nested in diagrams, zones from boundaries,
# assets left out; a plain SBOM is refused, never read as a model
cd "$SRC/tests/adapters/builtin" || exit 1
run "$TMLINT" check --now "$NOW" --color never nested.cdx.json
expect_rc 1 "TMBOM with no threats"
expect_in "$WORK/out" "nested.cdx.json:1:1: error: the model lists no threats [TM104" "TM104 at the threat model"
expect_in "$WORK/out" "nested.cdx.json:16:9: note: component 'Ledger API' (api) is not named by any threat" "element position"
expect_not_in "$WORK/out" "Card numbers" "assets are not components"
run "$TMLINT" convert --to native nested.cdx.json
expect_in "$WORK/out" 'trust_zone: "Internal"' "zone from the boundary"
expect_in "$WORK/out" 'owner: "team-ledger"' "owner from the authors"
# CycloneDX 2.0 (the draft's threats.threats[], controls and their status):
# each construct of a fixture of our own, findings at their places
run "$TMLINT" check --now "$NOW" --color never threat-model-2.0.cdx.json
{ cat "$WORK/out"; echo "exit $rc"; } >"$WORK/actual"
compare_golden "$WORK/actual" "$SRC/tests/adapters/expected/cyclonedx-2.0.txt" "CycloneDX 2.0"
run "$TMLINT" convert --to native threat-model-2.0.cdx.json
expect_in "$WORK/out" '    mitigations: ["C2", "C9"]' "CycloneDX 2.0 convert keeps the references"
# every field of the wrong type: read as absent or reported, never a crash
run "$TMLINT" check --now "$NOW" --color never wrong-types-2.0.cdx.json
expect_rc 0 "CycloneDX 2.0 with fields of the wrong types is checked (warnings only)"
expect_in "$WORK/out" "wrong-types-2.0.cdx.json:5:66: warning: status '7' is not one of this format's values; read as no status" "a number for a status is reported at it"
expect_not_in "$WORK/err" "failed" "no rule or adapter failed"
printf '{"specFormat": "CycloneDX", "specVersion": "2.0", "components": []}\n' >"$WORK/nothreats.cdx.json"
run "$TMLINT" check "$WORK/nothreats.cdx.json"; expect_rc 2 "a CycloneDX 2.0 document with no threats section is refused"
expect_in "$WORK/err" "a CycloneDX 2.0 document with no threats section" "and says why"
run "$TMLINT" check sbom.cdx.json; expect_rc 2 "an SBOM is refused"
expect_in "$WORK/err" "cyclonedx: a CycloneDX BOM with no threat-model component" "SBOM message"
# The native adapter's element builders (C, src/rt/lua_native.c) build the
# model the Lua they replaced built: every field of every element, dumped
# by a test rule, is the same under both, and so are the findings and the
# converted file
NL="$WORK/native-lua"; NLD="$WORK/native-lua-dump"; NCD="$WORK/native-c-dump"
mkdir -p "$NL" "$NLD" "$NCD"
cp -r "$SRC/rules/." "$NL/"; cp -r "$SRC/rules/." "$NCD/"
# native.lua with the Lua builders in place of the line taking the C ones
C_LINE='local native_threat, native_mitigation = tmnative.native_threat, tmnative.native_mitigation'
grep -qxF "$C_LINE" "$SRC/rules/formats/native.lua" && pass || fail "native.lua no longer takes its builders from tmnative"
awk -v line="$C_LINE" -v ref="$SRC/tests/adapters/native-lua/builders.lua" \
  '$0 == line { while ((getline l < ref) > 0) print l; next } { print }' \
  "$SRC/rules/formats/native.lua" >"$NL/formats/native.lua"
cp -r "$NL/." "$NLD/"
cp "$SRC/tests/adapters/native-lua/TM999.lua" "$NLD/"; cp "$SRC/tests/adapters/native-lua/TM999.lua" "$NCD/"
for f in "$SRC/tests/adapters/native-edges.tm.yaml" "$SRC"/samples/*/*.tm.yaml "$SRC"/tests/golden/*/*.tm.yaml; do
  [ -f "$f" ] || continue
  name=${f#"$SRC"/}
  "$TMLINT" check --now "$NOW" --color never --only TM999 --rules-dir "$NCD" "$f" >"$WORK/dump-c" 2>&1
  "$TMLINT" check --now "$NOW" --color never --only TM999 --rules-dir "$NLD" "$f" >"$WORK/dump-lua" 2>&1
  if cmp -s "$WORK/dump-c" "$WORK/dump-lua" && grep -q 'TM999 model-dump' "$WORK/dump-c"; then pass; else
    fail "native builders: the model of $name differs from the Lua adapter's"; diff "$WORK/dump-lua" "$WORK/dump-c" | head -5 >&2; fi
  "$TMLINT" check --now "$NOW" --color never --format sarif "$f" >"$WORK/sarif-c" 2>&1
  "$TMLINT" check --now "$NOW" --color never --format sarif --rules-dir "$NL" "$f" >"$WORK/sarif-lua" 2>&1
  cmp -s "$WORK/sarif-c" "$WORK/sarif-lua" && pass || { fail "native builders: findings on $name differ"; diff "$WORK/sarif-lua" "$WORK/sarif-c" | head -6 >&2; }
done
run "$TMLINT" convert --to native "$SRC/tests/adapters/native-edges.tm.yaml"; cp "$WORK/out" "$WORK/conv-c"
run "$TMLINT" convert --to native --rules-dir "$NL" "$SRC/tests/adapters/native-edges.tm.yaml"
cmp -s "$WORK/out" "$WORK/conv-c" && pass || fail "native builders: convert --to native differs"
finish
