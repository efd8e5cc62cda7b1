# Builds the repository the rule needs: fires.tm.yaml was last committed on
# 2026-01-01 (326 days before the tests' --now); quiet.tm.yaml, the same
# model, on 2026-10-28 (26 days before).
set -eu
D=$1 SRCDIR=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$D" && cd "$D"
git init -q . && git config user.email t@example.test && git config user.name test
c() { git add -A && GIT_AUTHOR_DATE=$1T12:00:00Z GIT_COMMITTER_DATE=$1T12:00:00Z git commit -q -m "$2"; }
cp "$SRCDIR/fires.tm.yaml" fires.tm.yaml && c 2026-01-01 "kiosk model"
echo notes >NOTES && c 2026-11-01 "other work"
cp "$SRCDIR/quiet.tm.yaml" quiet.tm.yaml && c 2026-10-28 "the model, looked at again"
