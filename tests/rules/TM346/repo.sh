# Builds the repositories the rule needs: DIR holds fires.tm.yaml and CI
# files that run tmlint so it can never fail (ci-fires/); DIR/quiet-repo,
# a repository of its own, holds quiet.tm.yaml and CI files that gate on
# it, or let only other tools fail (ci-quiet/).
set -eu
D=$1 SRCDIR=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$D/quiet-repo"
cd "$D/quiet-repo" && git init -q . && git config user.email t@example.test && git config user.name test
cp -r "$SRCDIR/ci-quiet/." . && cp "$SRCDIR/quiet.tm.yaml" . && git add -A && git commit -q -m quiet
cd "$D" && git init -q . && git config user.email t@example.test && git config user.name test
cp -r "$SRCDIR/ci-fires/." . && cp "$SRCDIR/fires.tm.yaml" . && git add fires.tm.yaml .github .gitlab-ci.yml .pre-commit-config.yaml azure-pipelines.yml && git commit -q -m fires
