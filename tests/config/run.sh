# Team configuration: a team can switch a rule off, change its level and
# thresholds, add its own rule, scope settings to paths, and every mistake
# in .tmlint.yaml is reported with its line and column.
. "$(dirname "$0")/../lib.sh"
T="$TMLINT"
R="$WORK/repo"
mkdir -p "$R/.git" "$R/models/legacy" "$R/vendor" "$R/team-rules"
cp "$SRC/samples/findings/mobile-banking.tm.yaml" "$R/models/"
cp "$SRC/samples/findings/partner-portal.tm.yaml" "$R/models/legacy/"
cp "$SRC/samples/findings/partner-portal.tm.yaml" "$R/vendor/upstream.tm.yaml"
cd "$R" || exit 1
MB=models/mobile-banking.tm.yaml
PP=models/legacy/partner-portal.tm.yaml

# no config: defaults
run "$T" check --now "$NOW" "$MB"
expect_in "$WORK/out" "$MB:31:5: error: threat 'MB-2' has no mitigation" "default TM310"
expect_in "$WORK/out" "$MB:88:13: note: essential mitigation 'MB-M5' is done" "default TM332"

cat >.tmlint.yaml <<'YAML'
# team settings
rules:
  TM310: off                        # tracked in the risk register instead
  accept-without-reason: warning
  TM332: {level: off}
  TM302: {max_share: 0.9}
  TM311: {min_words: 1}
exclude: ["vendor/**"]
YAML
run "$T" check --now "$NOW" "$MB"
expect_rc 1 "config: errors remain"
expect_not_in "$WORK/out" "[TM310 " "rule switched off"
expect_not_in "$WORK/out" "[TM332 " "rule switched off by level"
expect_in "$WORK/out" "$MB:72:13: warning: threat 'MB-6' is accepted without a reason [TM311" "level changed"
expect_not_in "$WORK/out" "MB-3' is accepted with a reason of 2 word" "threshold changed (min_words 1)"
run "$T" check --now "$NOW" "$PP"
expect_not_in "$WORK/out" "[TM302 " "max_share raised to 0.9"

# the command line wins over the file
run "$T" check --now "$NOW" --enable TM310 --disable TM313 "$MB"
expect_in "$WORK/out" "$MB:31:5: error: threat 'MB-2' has no mitigation" "--enable wins"
expect_not_in "$WORK/out" "[TM313 " "--disable wins"
run "$T" check --enable TM999 "$MB"; expect_rc 2 "--enable unknown rule"
expect_in "$WORK/err" "no rule 'TM999'" "--enable unknown rule text"

# directory scans honour exclude; rules shows the effective setup
run "$T" check --now "$NOW" .
expect_not_in "$WORK/out" "vendor/" "exclude glob"
expect_in "$WORK/out" "$PP:" "scan still finds the legacy model"
run "$T" rules
expect_in "$WORK/out" "configuration: $R/.tmlint.yaml" "rules names the config"
expect_in "$WORK/out" "TM310   threat-without-mitigation      off" "rules shows off"
expect_in "$WORK/out" "TM311   accept-without-reason          warning  min_words=1" "rules shows level and settings"
expect_in "$WORK/out" "TM302   all-critical-bias              warning  max_share=0.9, min_threats=5" "rules shows merged settings"

# include replaces the default name patterns; overrides apply by path
cat >.tmlint.yaml <<'YAML'
include: ["models/**/*.yaml"]
overrides:
  - files: ["models/legacy/**"]
    rules: {TM316: note, TM302: {max_share: 0.95}}
YAML
cp "$MB" models/plain-name.yaml
run "$T" check --now "$NOW" .
expect_in "$WORK/out" "models/plain-name.yaml:31:5:" "include picks a non-default name"
expect_not_in "$WORK/out" "vendor/" "include leaves out the rest"
expect_in "$WORK/out" "$PP:23:5: note: threat 'PP-1' is rated critical but rests on one" "override changes level by path"
expect_not_in "$WORK/out" "$PP:17:1: warning" "override changes a setting by path"
rm models/plain-name.yaml

# a team rule, in the same sandbox, only under its own config
cat >team-rules/ACME1.lua <<'LUA'
return {
  id = "ACME1", name = "internet-threat-review", level = "warning",
  summary = "Threats on internet-facing components need a named reviewer",
  help = "Every threat on a component in trust zone internet must say who reviewed it.",
  message = "threat '{id}' touches internet-facing '{component}' but has no reviewed_by",
  settings = { zone = "internet" },
  run = function(model, report, settings)
    for _, t in ipairs(model.threats) do
      for _, cid in ipairs(t.components) do
        local c = model.component_by_id[cid]
        if c and c.trust_zone == settings.zone and tm.blank(t.reviewed_by) then
          report(t, { component = cid })
          break
        end
      end
    end
  end,
}
LUA
printf 'rules_dirs: [team-rules]\nrules:\n  ACME1: {zone: internet}\n' >.tmlint.yaml
run "$T" check --now "$NOW" "$PP"
expect_in "$WORK/out" "$PP:18:5: warning: threat 'PP-1' touches internet-facing 'portal' but has no reviewed_by [ACME1 internet-threat-review]" "team rule fires"
run "$T" check --now "$NOW" "$SRC/samples/findings/partner-portal.tm.yaml"
expect_not_in "$WORK/out" "[ACME1 " "team rule stays with its config"
run "$T" rules; expect_in "$WORK/out" "ACME1   internet-threat-review         warning  zone=internet" "team rule listed"
# the architecture example of docs/writing-rules.md, taken from the doc itself
sed -n '/^-- tm-rules\/ACME2.lua$/,/^```$/p' "$SRC/docs/writing-rules.md" | sed '1d;$d' >team-rules/ACME2.lua
cat >shop.tm.yaml <<'YAML'
model: 1
title: Shop
owner: team-shop
components:
  - {id: web, trust_zone: dmz}
  - {id: pay, trust_zone: payments}
  - {id: vault, trust_zone: payments}
flows:
  - {id: F1, from: web, to: pay, authenticated: true, protocol: https}
  - id: F2
    from: web
    to: pay
    protocol: https
  - {id: F3, from: pay, to: vault, protocol: https}
threats:
  - {id: T1, title: Card numbers are read in transit, components: [web, pay, vault], status: open}
YAML
printf 'rules_dirs: [team-rules]\nrules:\n  ACME1: {zone: internet}\n' >.tmlint.yaml
run "$T" check --now "$NOW" --only ACME2 shop.tm.yaml
expect_in "$WORK/out" "shop.tm.yaml:10:5: error: flow 'F2' enters zone 'payments' from 'web' without authentication [ACME2 payments-flow-authenticated]" "architecture team rule fires at the flow"
expect_not_in "$WORK/out" "'F1'" "an authenticated flow passes"
expect_not_in "$WORK/out" "'F3'" "a flow inside the zone passes"
rm shop.tm.yaml team-rules/ACME2.lua
# a team's own categories: TM209's table and TM210's list name them, and
# the threats' texts match as written (they normalize to "other")
mkdir -p own && cat >own/m.tm.yaml <<'YAML'
model: 1
title: Clinic
owner: team-clinic
components:
  - {id: app, type: process}
threats:
  - {id: T1, title: Records are linked across visits, component: app, category: Linkage, status: open}
  - {id: T2, title: Staff cannot explain a decision, component: app, category: Opacity, status: open}
  - {id: T3, title: Patients are named in exports, component: app, category: linkage, status: open}
YAML
cat >own/.tmlint.yaml <<'YAML'
rules:
  TM209: {expected: {process: [linkage, opacity, consent]}}
  TM210: {categories: [Linkage, Opacity, Consent], min_threats: 2}
YAML
run "$T" check --now "$NOW" --only TM209 --only TM210 own/m.tm.yaml
expect_in "$WORK/out" "own/m.tm.yaml:5:5: note: process 'app': none of its threats covers consent [TM209 stride-per-element-gap]" "TM209 with a team's table"
expect_in "$WORK/out" "own/m.tm.yaml:1:1: note: no threat in Consent: the model's 3 categorized threats use its own categories and leave it empty [TM210 blind-category]" "TM210 with a team's list"
rm -r own
printf 'return { id = "TM310", name = "mine", level = "error", summary = "s", help = "h", message = "m", run = function() end }\n' >team-rules/clash.lua
run "$T" check "$PP"; expect_rc 2 "id clash"
expect_in "$WORK/err" "clash.lua: error: rule 'TM310' (mine) clashes with" "id clash text"
rm team-rules/clash.lua

# Team rule ids are scoped by configuration. A monorepo whose services'
# configurations name one shared directory gets its rules in every service,
# each service's settings its own, in one run (a hook passes files of both);
# two repositories may each have an X1, each running at home only; two
# directories one configuration names may not share an id.
M="$WORK/mono"; mkdir -p "$M/.git" "$M/shared" "$M/sa" "$M/sb" "$M/other/.git" "$M/other/r"
rule() { # rule FILE ID NAME MESSAGE
  printf 'return { id = "%s", name = "%s", level = "warning", summary = "s", help = "h", message = "%s",\n  run = function(model, report) report(model.threats[1]) end }\n' "$2" "$3" "$4" >"$1"
}
rule "$M/shared/X1.lua" X1 shared-one "shared rule"
for d in sa sb; do cp "$SRC/samples/findings/partner-portal.tm.yaml" "$M/$d/m.tm.yaml"; done
printf 'rules_dirs: [../shared]\nrules:\n  X1: off\n' >"$M/sa/.tmlint.yaml"
printf 'rules_dirs: [../shared]\n' >"$M/sb/.tmlint.yaml"
run "$T" check --now "$NOW" "$M/sa/m.tm.yaml" "$M/sb/m.tm.yaml"
expect_in "$WORK/out" "sb/m.tm.yaml:18:5: warning: shared rule [X1 shared-one]" "a shared directory's rule runs under the second configuration too"
expect_not_in "$WORK/out" "sa/m.tm.yaml:18:5: warning: shared rule" "each configuration's settings stay its own (sa turns X1 off)"
expect_not_in "$WORK/err" "clashes" "one directory named twice is no clash"
printf 'rules_dirs: [../shared]\n' >"$M/sa/.tmlint.yaml"
run "$T" check --now "$NOW" --only X1 "$M/sa/m.tm.yaml" "$M/sb/m.tm.yaml"
[ "$(grep -c 'shared rule \[X1 shared-one\]' "$WORK/out")" -eq 2 ] && pass || { fail "the shared rule, once per service"; cat "$WORK/out" >&2; }
# another repository's X1: no clash, and each X1 runs at home only, --only or not
cp "$SRC/samples/findings/partner-portal.tm.yaml" "$M/other/m.tm.yaml"
printf 'rules_dirs: [r]\n' >"$M/other/.tmlint.yaml"
rule "$M/other/r/X1.lua" X1 other-one "other rule"
for only in "" "--only X1"; do
  # shellcheck disable=SC2086
  run "$T" check --now "$NOW" $only "$M/other/m.tm.yaml" "$M/sb/m.tm.yaml"
  expect_not_in "$WORK/err" "clashes" "two repositories' X1 do not clash ($only)"
  expect_in "$WORK/out" "other/m.tm.yaml:18:5: warning: other rule [X1 other-one]" "the other repository's X1 at home ($only)"
  expect_in "$WORK/out" "sb/m.tm.yaml:18:5: warning: shared rule [X1 shared-one]" "the monorepo's X1 at home ($only)"
  expect_not_in "$WORK/out" "other/m.tm.yaml:18:5: warning: shared rule" "the monorepo's X1 not on the other repository ($only)"
  expect_not_in "$WORK/out" "sb/m.tm.yaml:18:5: warning: other rule" "the other X1 not on the monorepo ($only)"
done
# a tmlint-ignore of X1 in each repository: known there, each suppresses its own
for d in other sb; do
  /usr/bin/python3 -c 'import sys; p=sys.argv[1]; s=open(p).read().split("\n"); s.insert(18, "    tmlint-ignore:\n      - {rule: X1, reason: The team looked at this threat by hand in review}"); open(p, "w").write("\n".join(s))' "$M/$d/m.tm.yaml"
done
run "$T" check --now "$NOW" --only X1 --only TM005 --format json "$M/other/m.tm.yaml" "$M/sb/m.tm.yaml"
/usr/bin/python3 -c 'import json,sys; print(sorted((f["rule"], f["message"], f.get("suppressed", False)) for f in json.load(open(sys.argv[1]))["findings"]))' "$WORK/out" >"$WORK/x1"
expect_in "$WORK/x1" "[('X1', 'other rule', True), ('X1', 'shared rule', True)]" "each repository's tmlint-ignore of its own X1 (and no TM005)"
for d in other sb; do cp "$SRC/samples/findings/partner-portal.tm.yaml" "$M/$d/m.tm.yaml"; done
run "$T" check --now "$NOW" --only X1 --format sarif "$M/other/m.tm.yaml" "$M/sb/m.tm.yaml"
/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; ids=[d["id"] for d in r["tool"]["driver"]["rules"]]; print("ids", ids.count("X1"), len(ids)==len(set(ids)), sorted(x["message"]["text"] for x in r["results"])); print("helpUri", {d["id"]: "helpUri" in d for d in r["tool"]["driver"]["rules"] if d["id"] in ("X1", "TM310")})' "$WORK/out" >"$WORK/x1"
expect_in "$WORK/x1" "ids 1 True ['other rule', 'shared rule']" "SARIF: one X1 entry in one run, both results"
expect_in "$WORK/x1" "helpUri {'TM310': True, 'X1': False}" "SARIF: no link to tmlint's docs for a team rule (there is no page), one for a built-in rule"
# --only a team rule on a file under no configuration of its: said, not a silent pass
mkdir -p "$M/plain/.git" && cp "$SRC/samples/findings/partner-portal.tm.yaml" "$M/plain/m.tm.yaml"
run "$T" check --now "$NOW" --only X1 "$M/other/m.tm.yaml" "$M/plain/m.tm.yaml"
expect_in "$WORK/err" "tmlint: note: X1 checked nothing in 1 file: it is a team rule, in effect only under the configurations that name its directory" "--only X1 out of its scope is said"
run "$T" check --now "$NOW" --only X1 "$M/other/m.tm.yaml" "$M/sb/m.tm.yaml"
expect_not_in "$WORK/err" "checked nothing" "--only X1 in scope everywhere: no note"
# one configuration naming two directories with one id: an error
printf 'rules_dirs: [../shared, ../other/r]\n' >"$M/sb/.tmlint.yaml"
run "$T" check --now "$NOW" "$M/sb/m.tm.yaml"
expect_rc 2 "two directories of one configuration with one id"
expect_in "$WORK/err" "error: rule 'X1' (other-one) clashes with" "the clash under one configuration is said"
rm -r "$M"

# a rules directory with no rule file directly in it (they sit one level
# down): said at the entry, since none of the team's rules would run
E="$WORK/emptyrules"; mkdir -p "$E/.git" "$E/tm-rules/rules" && cp "$SRC/samples/findings/partner-portal.tm.yaml" "$E/m.tm.yaml"
printf 'rules_dirs:\n  - tm-rules\n' >"$E/.tmlint.yaml"
printf 'return { id = "DEEP1", name = "deep", level = "warning", summary = "s", help = "h", message = "m", run = function() end }\n' >"$E/tm-rules/rules/DEEP1.lua"
run "$T" check --now "$NOW" "$E/m.tm.yaml"
expect_in "$WORK/err" ".tmlint.yaml:2:5: warning: rules_dirs: 'tm-rules' holds no rule file (*.lua directly in it): no team rule of it runs" "an empty rules directory is said at its entry"
printf 'rules_dirs:\n  - tm-rules/rules\n' >"$E/.tmlint.yaml"
run "$T" check --now "$NOW" "$E/m.tm.yaml"
expect_not_in "$WORK/err" "holds no rule file" "a rules directory with rules: no warning"
rm -r "$E"

# .tmlint.yml is a configuration too (a team's rules_dirs or its switches
# must not be skipped for the extension); both names in one directory are
# an error; init refuses to write beside either
Y="$WORK/yml"; mkdir -p "$Y/.git" && cp "$SRC/samples/findings/partner-portal.tm.yaml" "$Y/m.tm.yaml"
printf 'rules:\n  TM310: off\n' >"$Y/.tmlint.yml"
run "$T" check --now "$NOW" --verbose "$Y/m.tm.yaml"
expect_in "$WORK/err" "configuration: $Y/.tmlint.yml" ".tmlint.yml is read"
expect_not_in "$WORK/out" "TM310" ".tmlint.yml's settings apply"
run "$T" check --now "$NOW" "$Y"
expect_not_in "$WORK/out" ".tmlint.yml" ".tmlint.yml is never taken for a model"
expect_not_in "$WORK/out" "TM310" ".tmlint.yml's settings apply in a walk too"
(cd "$Y" && "$T" init >/dev/null 2>"$WORK/err"); [ $? -eq 2 ] && pass || fail "init beside .tmlint.yml"
expect_in "$WORK/err" ".tmlint.yml: error: already exists; not overwriting it" "init names the .yml"
[ ! -e "$Y/.tmlint.yaml" ] && pass || fail "init wrote a second configuration"
printf 'rules: {}\n' >"$Y/.tmlint.yaml"
for arg in "$Y/m.tm.yaml" "$Y"; do   # named, and walked (the walk's listing answers the lookup)
  run "$T" check --now "$NOW" "$arg"
  expect_rc 2 "two configurations in one directory ($arg)"
  expect_in "$WORK/err" "$Y/.tmlint.yaml: error: .tmlint.yml beside it is a configuration too: keep one of the two" "two configurations named ($arg)"
done
rm -r "$Y"

# mistakes, each with its line and column
bad() { # bad CONFIG-TEXT EXPECTED-STDERR LABEL
  printf '%s\n' "$1" >.tmlint.yaml
  run "$T" check "$MB"
  expect_rc 2 "$3"
  expect_in "$WORK/err" "$2" "$3"
}
bad $'rules:\n  TM310: off\nrulez: {}' ".tmlint.yaml:3:1: error: unknown key 'rulez'" "unknown key"
bad $'rules:\n  TM999: off' ".tmlint.yaml:2:3: error: unknown rule 'TM999'" "unknown rule"
bad $'rules:\n  TM31O: off' ".tmlint.yaml:2:3: error: unknown rule 'TM31O'; did you mean 'TM310'?" "unknown rule: closest id"
bad $'rules:\n  threat-without-mitigaton: off' "unknown rule 'threat-without-mitigaton'; did you mean 'threat-without-mitigation'?" "unknown rule: closest name"
bad $'rulse:\n  TM310: off' ".tmlint.yaml:1:1: error: unknown key 'rulse'; did you mean 'rules'?" "misspelt top-level key"
bad $'rules:\n  TM302: {max_share: lots}' ".tmlint.yaml:2:22: error: setting 'max_share' of TM302 takes a number, not a string" "wrong setting type"
bad $'rules:\n  TM302: {max_shares: 0.5}' ".tmlint.yaml:2:11: error: TM302 has no setting 'max_shares'" "unknown setting"
bad $'rules:\n  TM310: sometimes' ".tmlint.yaml:2:10: error: 'sometimes' for TM310 is not a level" "bad level"
bad $'rules:\n  TM310: of' ".tmlint.yaml:2:10: error: 'of' for TM310 is not a level; did you mean 'off'?" "misspelt level"
bad $'rules:\n  TM101: {max_age_dyas: 90}' ".tmlint.yaml:2:11: error: TM101 has no setting 'max_age_dyas'; did you mean 'max_age_days'?" "misspelt setting"
bad $'rules:\n  TM101: {levle: off}' ".tmlint.yaml:2:11: error: TM101 has no setting 'levle'; did you mean 'level'?" "misspelt level key"
bad $'rules: [TM310]' ".tmlint.yaml:1:8: error: 'rules' must map rule ids or names" "rules not a mapping"
bad $'include: {a: 1}' ".tmlint.yaml:1:10: error: 'include' must be a list of strings" "include type"
bad $'overrides:\n  - rules: {TM310: off}' ".tmlint.yaml:2:5: error: an override needs 'files'" "override without files"
bad $'rules_dirs: [nowhere]' "1:14: error: rules_dirs: 'nowhere' cannot be read: No such file or directory" "missing rules dir"
bad $'rules: {TM310: off' ".tmlint.yaml:2:1: error: invalid YAML" "broken YAML"
bad $'rules:\n  TM310: off\n  TM310: error' ".tmlint.yaml:3:3: error: duplicate key 'TM310' (first defined at 2:3)" "duplicate key"

# --config names the file for every path; an empty config changes nothing
rm .tmlint.yaml
printf 'rules:\n  TM310: off\n' >"$WORK/team.yaml"
run "$T" check --config "$WORK/team.yaml" "$MB"; expect_not_in "$WORK/out" "[TM310 " "--config"
: >"$WORK/empty.yaml"
run "$T" check --config "$WORK/empty.yaml" "$MB"; expect_in "$WORK/out" "[TM310 " "empty config"
run "$T" check --config "$WORK/none.yaml" "$MB"; expect_rc 2 "--config missing"

# init writes a starter that loads as it is, and never overwrites
run "$T" init; expect_rc 0 "init"
[ -s .tmlint.yaml ] && pass || fail "init wrote nothing"
expect_in .tmlint.yaml "# TM310: error" "starter lists rules"
run "$T" check --now "$NOW" "$MB"; expect_rc 1 "starter config loads"
run "$T" init; expect_rc 2 "init refuses to overwrite"
# init below a configuration: the team rules and adapter in effect are listed and carried over
I="$WORK/initteam"; mkdir -p "$I/sub" "$I/team-rules" "$I/more" && git init -q "$I"
cp team-rules/ACME1.lua "$I/team-rules/" && cp "$SRC/samples/adapters/grails-threat-model.lua" "$I/grails.lua"
sed 's/ACME1/ACME3/; s/internet-threat-review/more-review/' team-rules/ACME1.lua >"$I/more/ACME3.lua"
printf 'rules_dirs: [team-rules]\nadapter: grails.lua\n' >"$I/.tmlint.yaml"
run env -C "$I/sub" "$T" init; expect_rc 0 "init below a configuration"
expect_in "$I/sub/.tmlint.yaml" "# ACME1: warning    # internet-threat-review, default warning; a team rule, from ../team-rules" "init lists the team rule"
expect_in "$I/sub/.tmlint.yaml" 'rules_dirs: ["../team-rules"]' "init carries the rules directory"
expect_in "$I/sub/.tmlint.yaml" 'adapter: "../grails.lua"' "init carries the adapter"
expect_in "$I/sub/.tmlint.yaml" "It replaces, for the files below it, ../.tmlint.yaml" "init says what it replaces"
run env -C "$I/sub" "$T" rules; expect_rc 0 "the carried configuration loads"
expect_in "$WORK/out" "ACME1   internet-threat-review" "rules under the new configuration"
rm "$I/sub/.tmlint.yaml"
run env -C "$I/sub" "$T" init --rules-dir ../more; expect_rc 0 "init --rules-dir"
expect_in "$I/sub/.tmlint.yaml" 'rules_dirs: ["../team-rules", "../more"]' "init writes --rules-dir into rules_dirs"
expect_in "$I/sub/.tmlint.yaml" "# ACME3: warning    # more-review, default warning; a team rule, from ../more" "init lists --rules-dir's rule"
run env -C "$I/sub" "$T" explain ACME3; expect_rc 0 "explain knows the carried team rule"
finish
