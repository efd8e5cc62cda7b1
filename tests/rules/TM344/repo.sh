# Builds the repository the rule needs: both models are committed on
# 2026-01-01, 326 days before the tests' --now; fires.tm.yaml has three
# essential mitigations none of which is done, quiet.tm.yaml one done.
set -eu
D=$1 SRCDIR=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$D" && cd "$D"
git init -q . && git config user.email t@example.test && git config user.name test
cp "$SRCDIR/fires.tm.yaml" "$SRCDIR/quiet.tm.yaml" .
git add -A && GIT_AUTHOR_DATE=2026-01-01T12:00:00Z GIT_COMMITTER_DATE=2026-01-01T12:00:00Z git commit -q -m "models"
# later commits elsewhere do not make the model younger
echo notes >NOTES && git add -A && GIT_AUTHOR_DATE=2026-11-01T12:00:00Z GIT_COMMITTER_DATE=2026-11-01T12:00:00Z git commit -q -m notes
