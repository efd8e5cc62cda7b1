# Threagile split models: a main file's includes: are read into one model,
# findings land in the file and line they come from, and the reads stay
# confined: loops, files outside the repository, non-files and conflicting
# keys are refused with the place that names them.
. "$(dirname "$0")/../lib.sh"
R="$WORK/repo"
mkdir -p "$R/.git" "$R/model/parts"
cd "$R" || exit 1
cat >model/threagile.yaml <<'YAML'
threagile_version: 1.0.0
title: Shop
includes:
  - parts/meta.yaml
  - parts/assets.yaml
YAML
cat >model/parts/meta.yaml <<'YAML'
# who and when
author:
  name: team-shop
date: 2020-01-15
YAML
cat >model/parts/assets.yaml <<'YAML'
includes: [more.yaml]
technical_assets:
  web:
    id: web
YAML
cat >model/parts/more.yaml <<'YAML'
technical_assets:
  db:
    id: db
YAML
run "$TMLINT" check --now "$NOW" --color never model/threagile.yaml
expect_rc 0 "split model"
expect_in "$WORK/out" "model/parts/meta.yaml:4:7: warning: the model was last reviewed on 2020-01-15" "finding placed in the fragment that holds it"
run "$TMLINT" convert --to native model/threagile.yaml
expect_in "$WORK/out" 'id: "db"' "a nested include is read"
expect_in "$WORK/out" 'owner: "team-shop"' "an included key reaches the model"
# a fragment checked on its own says so, once, as a note
run "$TMLINT" check --now "$NOW" model/parts/more.yaml
expect_rc 0 "fragment alone"
expect_in "$WORK/err" "model/parts/more.yaml:1:1: note: a part of a split Threagile model" "fragment note"
[ "$(grep -c 'note:' "$WORK/err")" = 1 ] && pass || fail "the fragment note is said once"
# the same file included twice is read once
printf 'includes: [more.yaml, more.yaml]\ntechnical_assets:\n  web:\n    id: web\n' >model/parts/assets.yaml
run "$TMLINT" check --now "$NOW" model/threagile.yaml; expect_rc 0 "included twice"
# a loop is refused at the entry that closes it
printf 'includes: [assets.yaml]\ntechnical_assets:\n  db:\n    id: db\n' >model/parts/more.yaml
run "$TMLINT" check --now "$NOW" model/threagile.yaml; expect_rc 2 "include loop"
expect_in "$WORK/err" "model/parts/more.yaml:1:12: error: include loop: 'assets.yaml' includes itself" "loop message"
printf 'technical_assets:\n  db:\n    id: db\n' >model/parts/more.yaml
# a key defined twice across files names both places
printf 'technical_assets:\n  web:\n    id: web2\n' >model/parts/dup.yaml
printf 'threagile_version: 1.0.0\ntitle: Shop\nincludes: [parts/assets.yaml, parts/dup.yaml]\n' >model/dup.yaml
run "$TMLINT" check --now "$NOW" model/dup.yaml; expect_rc 2 "conflicting keys"
expect_in "$WORK/err" "model/parts/dup.yaml:2:3: error: 'web' under 'technical_assets' is defined again here; it is already at 3:3" "conflict message"
# nothing outside the repository, nothing that is not a regular file
printf 'technical_assets:\n  x:\n    id: x\n' >"$WORK/outside.yaml"
printf 'threagile_version: 1.0.0\ntitle: Shop\nincludes: [../../outside.yaml]\n' >model/escape.yaml
run "$TMLINT" check --now "$NOW" model/escape.yaml; expect_rc 2 "include outside the repository"
expect_in "$WORK/err" "model/escape.yaml:3:12: error: refusing to include '../../outside.yaml': it is outside" "outside message"
ln -s "$WORK/outside.yaml" model/parts/link.yaml
printf 'threagile_version: 1.0.0\ntitle: Shop\nincludes: [parts/link.yaml]\n' >model/link.yaml
run "$TMLINT" check --now "$NOW" model/link.yaml; expect_rc 2 "symlink out of the repository"
printf 'threagile_version: 1.0.0\ntitle: Shop\nincludes: [parts]\n' >model/dir.yaml
run "$TMLINT" check --now "$NOW" model/dir.yaml; expect_rc 2 "a directory"
expect_in "$WORK/err" "not a regular file" "directory message"
printf 'threagile_version: 1.0.0\ntitle: Shop\nincludes: [parts/missing.yaml]\n' >model/missing.yaml
run "$TMLINT" check --now "$NOW" model/missing.yaml; expect_rc 2 "a missing file"
expect_in "$WORK/err" "model/missing.yaml:3:12: error: cannot include 'parts/missing.yaml': No such file or directory" "missing message"
# the audit gives the same answer with workers
run "$TMLINT" audit -j 2 --now "$NOW" --format json model/threagile.yaml
expect_in "$WORK/out" '"path": "model/parts/meta.yaml"' "audit places the finding in the fragment"
finish
