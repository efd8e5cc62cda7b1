# The second hostile-repository round (docs/security.md, "Round two"): one
# block per class, a row per case. Each ends within its timeout, and
# nothing outside the repository under check is read, quoted or linked.
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1
MB=$SRC/samples/findings/mobile-banking.tm.yaml
git_init() { # git_init DIR: a repository with one commit of what DIR holds
  (cd "$1" && git init -q && git config user.email t@t && git config user.name t && git add -A &&
   git commit -qm init) >/dev/null 2>&1
}

# ---- 1. the boundary is the model's repository, never the working directory's ----
S="$WORK/secret"; mkdir -p "$S"; printf 'token: SECRET-TOKEN-42\n' >"$S/config"
printf 'return {\n' >"$S/bad.lua"; printf 'SECRET-LUA-TOKEN = \n' >>"$S/bad.lua"
# includes, run from a directory that is not a repository, and from another repository
A="$WORK/audit"; mkdir -p "$A/repo/sub"
printf 'threagile_version: 1.0.0\ntitle: t\nincludes:\n  - ../../secret/config\n' >"$A/repo/model.yaml"
(cd "$A" && "$TMLINT" check repo/model.yaml >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 2 "includes: ../ out of the model's directory, no repository anywhere"
expect_in "$WORK/err" "repo/model.yaml:4:5: error: refusing to include '../../secret/config': it is outside" "refused at the entry"
expect_not_in "$WORK/out" "SECRET-TOKEN-42" "never quoted (out)"
expect_not_in "$WORK/err" "SECRET-TOKEN-42" "never quoted (err)"
mkdir -p "$WORK/cwdrepo/.git"; cp -r "$A/repo" "$WORK/cwdrepo/"; mkdir -p "$WORK/cwdrepo/secret"
cp "$S/config" "$WORK/cwdrepo/secret/"
printf 'threagile_version: 1.0.0\ntitle: t\nincludes:\n  - ../secret/config\n' >"$WORK/cwdrepo/repo/model.yaml"
mkdir -p "$WORK/cwdrepo/repo/.git"
(cd "$WORK/cwdrepo" && "$TMLINT" check repo/model.yaml >"$WORK/out" 2>"$WORK/err"); rc=$?
expect_rc 2 "includes: out of the model's repository, though inside the working directory's"
expect_in "$WORK/err" "refusing to include '../secret/config': it is outside $(cd "$WORK/cwdrepo/repo" && pwd -P)/" "the model's repository is the fence"
# a configuration's adapter and rules_dirs
C="$WORK/cfgrepo"; mkdir -p "$C/.git"; cp "$MB" "$C/m.tm.yaml"
for a in /proc/self/environ "$S/bad.lua" ../secret/bad.lua ../../../../../../../etc/passwd; do
  printf 'adapter: %s\n' "$a" >"$C/.tmlint.yaml"
  run timeout 20 "$TMLINT" check "$C/m.tm.yaml"
  expect_rc 2 "adapter: $a"
  expect_in "$WORK/err" ".tmlint.yaml:1:10: error: adapter: refusing '$a': it leads outside the repository" "adapter $a refused at its value"
  expect_not_in "$WORK/err" "SECRET-LUA-TOKEN" "adapter $a not quoted"
  grep -q "PATH=\|root:x:0" "$WORK/err" "$WORK/out" && fail "adapter $a: a file outside was quoted" || pass
done
ln -s "$S" "$C/linked"
printf 'rules_dirs:\n  - linked\n  - /etc\n' >"$C/.tmlint.yaml"
run timeout 20 "$TMLINT" check "$C/m.tm.yaml"
expect_rc 2 "rules_dirs through a link and absolute"
expect_in "$WORK/err" ".tmlint.yaml:2:5: error: rules_dirs: refusing 'linked': it leads outside the repository" "linked rules dir refused"
expect_in "$WORK/err" ".tmlint.yaml:3:5: error: rules_dirs: refusing '/etc': it leads outside the repository" "absolute rules dir refused"
expect_not_in "$WORK/err" "SECRET-LUA-TOKEN" "rules dir not read"
# inside the repository, a path with ../ that stays in it is fine
mkdir -p "$C/team/rules" "$C/models"; cp rules/formats/native.lua "$C/team/mine.lua"; mv "$C/m.tm.yaml" "$C/models/"
printf 'adapter: ../team/mine.lua\nformat: native\n' >"$C/models/.tmlint.yaml"
rm -f "$C/.tmlint.yaml"
run timeout 20 "$TMLINT" check --now "$NOW" "$C/models/m.tm.yaml"
expect_not_in "$WORK/err" "refusing" "../ inside the repository is allowed"
# outside any repository, the configuration's own directory is the fence
N="$WORK/norepo/a"; mkdir -p "$N"; cp "$MB" "$N/m.tm.yaml"; cp rules/formats/native.lua "$WORK/norepo/up.lua"
printf 'adapter: ../up.lua\n' >"$N/.tmlint.yaml"
run timeout 20 "$TMLINT" check "$N/m.tm.yaml"
expect_rc 2 "no repository: the configuration's directory"
expect_in "$WORK/err" "refusing '../up.lua': it leads outside the directory of the file naming it" "said why"
# a rule file in a configuration's rules directory, a link out of the
# repository: refused, never loaded, so no syntax error quotes the target
R2="$WORK/rulelink"; mkdir -p "$R2/.git" "$R2/team"; cp "$MB" "$R2/m.tm.yaml"
printf 'rules_dirs: [team]\n' >"$R2/.tmlint.yaml"
printf 'SECRET_RULE_TOKEN 99\n' >"$S/rule.lua"; ln -s "$S/rule.lua" "$R2/team/x.lua"
run timeout 20 "$TMLINT" check --now "$NOW" "$R2/m.tm.yaml"
expect_rc 2 "a rule file linked out of the repository"
expect_in "$WORK/err" "team/x.lua: error: refusing this rule file, a symbolic link: it leads outside the repository" "the linked rule file refused"
expect_not_in "$WORK/err" "syntax error" "the linked rule file not read (its syntax error would quote it)"
rm "$R2/team/x.lua"; printf 'return { id = "LNK1", name = "linked-in", level = "warning", summary = "s", help = "h", message = "linked rule",\n  run = function(model, report) report(model) end }\n' >"$R2/inner.lua"
ln -s ../inner.lua "$R2/team/x.lua"
run timeout 20 "$TMLINT" check --now "$NOW" "$R2/m.tm.yaml"
expect_in "$WORK/out" "linked rule [LNK1 linked-in]" "a rule file linked inside the repository loads"
# the configuration itself, a symbolic link out of the repository (either
# name): refused, never read or quoted; a link inside the repository is fine
L="$WORK/cfglink"; mkdir -p "$L/.git" "$L/cfg"; cp "$MB" "$L/m.tm.yaml"
printf 'SECRET-CFG-TOKEN: 1\n' >"$S/secret.yaml"
for name in .tmlint.yaml .tmlint.yml; do
  ln -sf "$S/secret.yaml" "$L/$name"
  # the file named, and the directory walked (the walk's listing tells links apart)
  for arg in "$L/m.tm.yaml" "$L"; do
    run timeout 20 "$TMLINT" check --now "$NOW" "$arg"
    expect_rc 2 "a $name linked out of the repository ($arg)"
    expect_in "$WORK/err" "$name: error: refusing this configuration, a symbolic link: it leads outside the repository" "$name link refused ($arg)"
    expect_not_in "$WORK/err" "SECRET-CFG-TOKEN" "$name link not quoted ($arg)"
  done
  rm "$L/$name"
done
printf 'rules:\n  TM310: off\n' >"$L/cfg/shared.yaml"; ln -s cfg/shared.yaml "$L/.tmlint.yaml"
for arg in "$L/m.tm.yaml" "$L"; do
  run timeout 20 "$TMLINT" check --now "$NOW" --verbose "$arg"
  expect_not_in "$WORK/err" "refusing" "a configuration linked inside the repository is read ($arg)"
  expect_not_in "$WORK/out" "TM310" "its settings apply ($arg)"
done

# git metadata that points elsewhere: refused, with a note; nothing of the other repository is read
O="$WORK/other"; mkdir -p "$O"; printf 'x\n' >"$O/f"; git_init "$O"
git -C "$O" remote add origin https://example.invalid/SECRET-REMOTE.git
V="$WORK/victim"; mkdir -p "$V"; cp "$MB" "$V/m.tm.yaml"; printf 'gitdir: %s/.git\n' "$O" >"$V/.git"
run timeout 30 "$TMLINT" audit --now "$NOW" --format html --output "$WORK/a.html" "$V"
expect_in "$WORK/err" "its .git file points at a git directory outside it that does not name it back, so tmlint reads none of its git data" "gitdir: elsewhere refused"
expect_not_in "$WORK/a.html" "SECRET-REMOTE" "the audit does not link to the other repository"
run timeout 30 "$TMLINT" check --changed-since HEAD --now "$NOW" "$V/m.tm.yaml"
expect_rc 2 "--changed-since in a repository whose .git points elsewhere"
expect_in "$WORK/err" "--changed-since has no change to compare" "change refused, said"
rm "$V/.git"; git_init "$V"; git -C "$V" config core.worktree "$O"
run timeout 30 "$TMLINT" check --changed-since HEAD --now "$NOW" "$V/m.tm.yaml"
expect_rc 2 "core.worktree elsewhere"
expect_in "$WORK/err" "its work tree is set to another directory (core.worktree)" "core.worktree refused"
# git's own layouts with a .git file still work: a linked worktree and a submodule
M="$WORK/main"; mkdir -p "$M"; cp "$MB" "$M/m.tm.yaml"; git_init "$M"
git -C "$M" worktree add -q "$WORK/wt" >/dev/null 2>&1
run timeout 30 "$TMLINT" check --changed-since HEAD --now "$NOW" "$WORK/wt/m.tm.yaml"
expect_rc 1 "a linked worktree is read"
expect_not_in "$WORK/err" "reads none of its git data" "worktree not refused"
SUP="$WORK/sup"; mkdir -p "$SUP"; printf 'x\n' >"$SUP/f"; git_init "$SUP"
git -C "$SUP" -c protocol.file.allow=always submodule -q add "$M" sub >/dev/null 2>&1
run timeout 30 "$TMLINT" check --changed-since HEAD --now "$NOW" "$SUP/sub/m.tm.yaml"
expect_rc 1 "a submodule is read"
expect_not_in "$WORK/err" "reads none of its git data" "submodule not refused"

# ---- 2. C work the budget sees ----
R2="$WORK/budget"; mkdir -p "$R2/.git" "$R2/team"; cp "$MB" "$R2/m.tm.yaml"
printf 'rules_dirs: [team]\n' >"$R2/.tmlint.yaml"
rule() { # rule ID BODY: a team rule of the repository whose run function is BODY
  printf 'return { id = "%s", name = "hostile-%s", level = "note", summary = "s", help = "h", message = "{m}",\n  run = function(model, report)\n%s\n  end }\n' "$1" "$1" "$2" >"$R2/team/$1.lua"
}
M1='local s = (" "):rep((1 << 20) - 100) .. "1"'
rule TM971 "$M1 for i = 1, 1e9 do tonumber(s) end"
rule TM972 'local s = ("1"):rep((1 << 20) - 100) for i = 1, 1e9 do tonumber(s, 16) end'
rule TM973 'local s = ("a"):rep((1 << 20) - 100) for i = 1, 1e9 do s:find("[%w][%w][%w][%w][%w][%w][%w][%w][%w][%w]b") end'
rule TM974 'local t, p = {}, ("k"):rep((1 << 20) - 100) for i = 1, 100 do t[i] = p .. (i % 7) end for i = 1, 1e9 do table.sort(t) end'
rule TM975 'local s = "x" while true do s = s .. s end'
rule TM976 'local s = ("a"):rep((1 << 20) - 100) for i = 1, 1e9 do re.find(s, "a{1,4000}b") end'
rule TM977 'local s = table.concat({("y"):rep(1 << 19), ("y"):rep(1 << 19), ("z"):rep(100)})'
for pair in "TM971:ran past its budget" "TM972:ran past its budget" "TM973:ran past its budget" \
            "TM974:ran past its budget" "TM975:tried to make a string longer than 1 MiB" \
            "TM976:ran past its budget" "TM977:tried to make a string longer than 1 MiB"; do
  id=${pair%%:*} text=${pair#*:}
  run timeout 30 "$TMLINT" check --only "$id" --now "$NOW" "$R2/m.tm.yaml"
  expect_rc 2 "$id stopped"
  grep "rule $id" "$WORK/err" | grep -qF "$text" && pass || { fail "$id: '$text' not reported"; cat "$WORK/err" >&2; }
done
# comparisons of long strings are single VM instructions: the deadline is
# read at every hook, so they end near the time limit (10 s is a hang guard)
rule TM978 'local a, b = ("k"):rep((1 << 20) - 100) .. "a", ("k"):rep((1 << 20) - 100) .. "b" local n = 0
for i = 1, 1e12 do if a < b then n = n + 1 end end'
rule TM979 'local a, b = ("k"):rep((1 << 20) - 100) .. "a", ("k"):rep((1 << 20) - 100) .. "a" local n = 0
for i = 1, 1e12 do if a == b then n = n + 1 end end'
for id in TM978 TM979; do
  run timeout 10 "$TMLINT" check --only "$id" --max-rule-time 1 --max-rule-instructions 1000000000000 --now "$NOW" "$R2/m.tm.yaml"
  expect_rc 2 "$id stopped"
  expect_in "$WORK/err" "rule $id stopped: it ran past its time limit of 1 s" "$id time limit"
done
rm -f "$R2/team/"*.lua

# ---- 3. inputs whose cost grows faster than their size ----
# a repository of a few KB whose trees are reused: a billion paths
B="$WORK/bomb"; mkdir -p "$B"; cp "$MB" "$B/m.tm.yaml"
(cd "$B" && git init -q && git config user.email t@t && git config user.name t &&
 blob=$(echo x | git hash-object -w --stdin) && t=$(printf '100644 blob %s\tf\n' "$blob" | git mktree) &&
 for d in 1 2 3 4 5 6 7 8 9; do
   t=$(for i in 0 1 2 3 4 5 6 7 8 9; do printf '040000 tree %s\td%s\n' "$t" "$i"; done | git mktree)
 done &&
 c1=$(git commit-tree "$(git mktree </dev/null)" -m empty) && c2=$(git commit-tree "$t" -p "$c1" -m bomb) &&
 git update-ref refs/heads/master "$c2" && git symbolic-ref HEAD refs/heads/master) >/dev/null 2>&1
mkdir -p "$B/team"; printf 'rules_dirs: [team]\n' >"$B/.tmlint.yaml"
printf 'return { id = "TM980", name = "hostile-walk", level = "note", summary = "s", help = "h", message = "{m}",\n  run = function(model, report) tm.repo.last_change({"**/nothing"}) end }\n' >"$B/team/TM980.lua"
run timeout 60 "$TMLINT" check --now "$NOW" "$B/m.tm.yaml"
expect_rc 1 "a tree bomb: the walk ends at its bound"
# (which bound comes first, the entries or the rule's time, depends on the machine's load)
expect_in "$WORK/err" "history read to its newest 1 commits, and the last of them in part:" "bound said"
grep -qE "it holds more paths than tmlint reads in one walk|reading it took the time a rule may take" "$WORK/err" && pass || fail "the bound's reason"
expect_not_in "$WORK/err" "out of memory" "no abort"
# long globs against long paths, 256 of them in overrides
G="$WORK/globs"; mkdir -p "$G/.git"; d="$G/$(printf 'a%.0s' $(seq 250))"; d="$d/$(basename "$d")/$(basename "$d")"
mkdir -p "$d"; cp "$MB" "$d/m.tm.yaml"
/usr/bin/python3 -c "
g = '**/*' + 'a' * 240 + 'b'
print('overrides:')
for i in range(256): print('  - files: [\"%s%d\"]\n    rules: {TM101: off}' % (g, i))" >"$G/.tmlint.yaml"
run timeout 30 "$TMLINT" check --now "$NOW" "$G"
expect_rc 1 "256 long globs against a long path"
expect_in "$WORK/err" "a glob of overrides took more than 65536 steps to match a path and was read as not matching there" "cut said"
rule() { printf 'return { id = "%s", name = "hostile-%s", level = "note", summary = "s", help = "h", message = "{m}",\n  run = function(model, report)\n%s\n  end }\n' "$1" "$1" "$2" >"$3/team/$1.lua"; }
# --compare over many models is linear: 20,000 models on each side
/usr/bin/python3 - "$WORK/old.json" <<'PY'
import json, sys
models = [{"path": "r%d/m.tm.yaml" % i, "format": "native", "errors": 1, "warnings": 0, "notes": 0, "threats": 1, "mitigated": 0} for i in range(20000)]
json.dump({"version": 1, "tool": {"name": "tmlint", "version": "x"}, "audited": "2026-01-01\u001b[31m", "files": [],
           "findings": [], "errors": [], "models": models, "summary": {}}, open(sys.argv[1], "w"))
PY
run timeout 60 "$TMLINT" audit --now "$NOW" --compare "$WORK/old.json" "$MB"
expect_in "$WORK/err" "'audited' is not a date (YYYY-MM-DD); left out" "a forged audited date is refused"
grep -q "$(printf '\033')" "$WORK/out" "$WORK/err" && fail "an escape from the compare file reached the terminal" || pass

# the merge base of --changed-since is looked for within a bound of commits
# (200,000; TMLINT_MERGE_BASE_MAX lowers it here): past it, said, not a hang
MBR="$WORK/mb"; mkdir -p "$MBR"; cp "$MB" "$MBR/m.tm.yaml"
(cd "$MBR" && git init -q && git config user.email t@t && git config user.name t && git add -A && git commit -qm base &&
 git tag base && t=$(git rev-parse HEAD^{tree}) && p=$(git rev-parse HEAD) &&
 for i in $(seq 1 150); do p=$(git commit-tree "$t" -p "$p" -m "c$i"); done && git update-ref HEAD "$p") >/dev/null 2>&1
TMLINT_MERGE_BASE_MAX=100 run timeout 30 "$TMLINT" check --now "$NOW" --changed-since base "$MBR/m.tm.yaml"
expect_rc 2 "a merge base past the bound"
expect_in "$WORK/err" "the change's merge base with HEAD lies further back than tmlint looks" "the bound is said"
TMLINT_MERGE_BASE_MAX=1000 run timeout 30 "$TMLINT" check --now "$NOW" --changed-since base "$MBR/m.tm.yaml"
expect_not_in "$WORK/err" "merge base" "within the bound, the change is read"

# ---- 4. no false greens in audits ----
Q="$WORK/quiet"; mkdir -p "$Q/.git"; cp "$MB" "$Q/m.tm.yaml"
{ printf 'rules:\n'; for id in $("$TMLINT" rules --format json | grep -o '"id": "TM[0-9]*"' | grep -o 'TM[0-9]*'); do
    printf '  %s: off\n' "$id"; done; } >"$Q/.tmlint.yaml"
run timeout 30 "$TMLINT" audit --now "$NOW" --format json "$Q"
n=$("$TMLINT" rules --format json | grep -c '"id": "TM[0-9]*"')
expect_in "$WORK/out" "\"meta_threats_checked\": 3, \"meta_threats_observable\": 60, \"rules_disabled\": $n" "coverage from the file's own configuration"
expect_in "$WORK/err" "switches off $n of tmlint's $n rules: a clean result here says little" "a repository that disables its rules is flagged"
mkdir -p "$Q/.github/workflows"
for i in $(seq 1 70); do printf 'on: push\njobs: {}\n' >"$Q/.github/workflows/w$i.yml"; done
run timeout 30 "$TMLINT" check --only TM346 --now "$NOW" "$Q/m.tm.yaml"
expect_in "$WORK/err" "70 workflow files in .github/workflows; the CI rules read the first 57 by name" "the CI file cap is said"
D="$WORK/deep"; mkdir -p "$D/.git"; cp "$MB" "$D/m.tm.yaml"; printf 'x\n' >"$D/big"
/usr/bin/python3 -c "open('$D/big', 'w').write('x' * (5 << 20))"
mkdir -p "$D/team"; printf 'rules_dirs: [team]\n' >"$D/.tmlint.yaml"
printf 'return { id = "TM981", name = "hostile-big", level = "note", summary = "s", help = "h", message = "{m}",\n  run = function(model, report) if tm.repo.contains("big", "y") == nil then report(model.node, {m = "unknown"}) end end }\n' >"$D/team/TM981.lua"
run timeout 30 "$TMLINT" check --now "$NOW" "$D/m.tm.yaml"
expect_in "$WORK/out" "unknown [TM981" "a file past the read cap is unknown, not absent"
expect_in "$WORK/err" "a file a rule looked into is larger than 4 MiB and was not read" "the read cap is said"

# ---- 5. output ----
U="$WORK/uris"; mkdir -p "$U/.git" "$U/a:b"
cp "$MB" "$U/javascript:alert(1);.tm.yaml"; cp "$MB" "$U/https:evil.tm.yaml"; cp "$MB" "$U/a:b/x.tm.yaml"
(cd "$U" && timeout 30 "$TMLINT" check --now "$NOW" --format sarif . >"$WORK/out" 2>"$WORK/err")
expect_in "$WORK/out" '"uri": "javascript%3Aalert(1);.tm.yaml"' "javascript: is a path"
expect_in "$WORK/out" '"uri": "https%3Aevil.tm.yaml"' "https: is a path"
expect_in "$WORK/out" '"uri": "a%3Ab/x.tm.yaml"' "a colon in the first segment"
/usr/bin/python3 - "$WORK/out" <<'PY' && pass || fail "a SARIF uri reads as having a scheme"
import json, re, sys
for run in json.load(open(sys.argv[1]))["runs"]:
    for r in run["results"]:
        for l in r["locations"]:
            u = l["physicalLocation"]["artifactLocation"]["uri"]
            assert u.startswith("file:///") or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", u), u
PY
# settings, a team adapter's format and a rule's texts reach the terminal escaped
E="$WORK/esc"; mkdir -p "$E/.git" "$E/team"; cp "$MB" "$E/m.tm.yaml"
printf 'rules:\n  TM101:\n    max_age_days: "\\e]0;pwn\\a\\e[31mred"\n' >"$E/.tmlint.yaml"
run timeout 30 "$TMLINT" rules --config "$E/.tmlint.yaml"
grep -q "$(printf '\033')" "$WORK/out" "$WORK/err" && fail "tmlint rules printed an escape byte" || pass
sed 's/name = "native"/name = "nat\\27[31mive"/' rules/formats/native.lua >"$E/team/fmt.lua"
printf 'adapter: team/fmt.lua\n' >"$E/.tmlint.yaml"
run timeout 30 "$TMLINT" audit --now "$NOW" "$E"
grep -q "$(printf '\033')" "$WORK/out" "$WORK/err" && fail "the audit printed a format name's escape byte" || pass
printf 'rules_dirs: [team]\n' >"$E/.tmlint.yaml"; rm "$E/team/fmt.lua"
printf 'return { id = "TM982", name = "esc", level = "note", summary = "s\\27[2J", help = "line one\\nline \\27]0;x\\7two", message = "m",\n  run = function() end }\n' >"$E/team/TM982.lua"
mkdir -p "$E/all" && cp -r rules/. "$E/all/" && cp "$E/team/TM982.lua" "$E/all/"
"$TMLINT" explain --rules-dir "$E/all" TM982 >"$WORK/out" 2>"$WORK/err"
grep -q "$(printf '\033')" "$WORK/out" && fail "explain printed an escape byte" || pass
expect_in "$WORK/out" "line one" "explain keeps the help's lines"
# --output: only regular files are written; a link to a FIFO is refused at once; modes are kept
O2="$WORK/outs"; mkdir -p "$O2"; mkfifo "$O2/fifo"; ln -s fifo "$O2/report.sarif"
run timeout 10 "$TMLINT" check --format sarif --output "$O2/report.sarif" "$MB"
expect_rc 2 "--output through a link to a FIFO"
expect_in "$WORK/err" "refusing to write output here: not a regular file" "refused, said"
run timeout 10 "$TMLINT" check --format sarif --output "$O2/fifo" "$MB"
expect_rc 2 "--output naming a FIFO"
: >"$O2/kept.sarif"; chmod 600 "$O2/kept.sarif"
run "$TMLINT" check --format sarif --output "$O2/kept.sarif" "$MB"
[ "$(stat -c %a "$O2/kept.sarif")" = 600 ] && pass || fail "an existing report's mode was loosened"
(umask 027 && "$TMLINT" check --format sarif --output "$O2/new.sarif" "$MB" >/dev/null 2>&1)
[ "$(stat -c %a "$O2/new.sarif")" = 640 ] && pass || fail "a new report does not follow the umask"
run "$TMLINT" check --format sarif --output /dev/null "$MB"
expect_rc 1 "/dev/null still takes a report"
"$TMLINT" check --format sarif --output /dev/stdout "$MB" 2>/dev/null >"$O2/via-stdout"
[ -L /dev/stdout ] && pass || fail "/dev/stdout was replaced"
expect_in "$O2/via-stdout" '"version": "2.1.0"' "/dev/stdout writes to standard output"

finish
