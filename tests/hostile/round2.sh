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

finish
