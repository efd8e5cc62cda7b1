# Builds the repository the rule needs: on main, fires.tm.yaml and
# quiet.tm.yaml are base.tm.yaml (three open threats, one accepted); the
# branch under check (--changed-since main) deletes two open ones and the
# accepted one from fires.tm.yaml, and from quiet.tm.yaml only the
# accepted one, after deciding T1.
set -eu
D=$1 SRCDIR=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$D" && cd "$D"
git init -q -b main . && git config user.email t@example.test && git config user.name test
cp "$SRCDIR/base.tm.yaml" fires.tm.yaml && cp "$SRCDIR/base.tm.yaml" quiet.tm.yaml
git add -A && GIT_AUTHOR_DATE=2026-11-01T12:00:00Z GIT_COMMITTER_DATE=2026-11-01T12:00:00Z git commit -q -m base
git checkout -q -b feature
cp "$SRCDIR/fires.tm.yaml" "$SRCDIR/quiet.tm.yaml" .
git add -A && GIT_AUTHOR_DATE=2026-11-20T12:00:00Z GIT_COMMITTER_DATE=2026-11-20T12:00:00Z git commit -q -m "threats tidied"
