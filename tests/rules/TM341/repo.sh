# Builds the throwaway repository the rule needs: DIR gets a git history
# with fixed dates. fires.tm.yaml is committed first, then the kiosk code
# changes 25 times over 100 days and the ledger code once; quiet.tm.yaml is
# committed after all of it.
set -eu
D=$1 SRCDIR=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$D" && cd "$D"
git init -q . && git config user.email t@example.test && git config user.name test
c() { # c DAY MESSAGE: commit everything, dated 2026-01-01 + DAY days
  local when
  when=$(date -u -d "2026-01-01 +$1 days" +%Y-%m-%dT12:00:00Z)
  git add -A && GIT_AUTHOR_DATE=$when GIT_COMMITTER_DATE=$when git commit -q -m "$2"
}
mkdir -p kiosk ledger
echo 'int main(void) { return 0; }' >kiosk/main.c; echo 'int post(void) { return 0; }' >ledger/post.c
cp "$SRCDIR/fires.tm.yaml" fires.tm.yaml
c 0 "model and code"
for i in $(seq 1 25); do echo "/* $i */" >>kiosk/main.c; c $((i * 4)) "kiosk $i"; done
echo '/* fix */' >>ledger/post.c; c 101 "ledger fix"
cp "$SRCDIR/quiet.tm.yaml" quiet.tm.yaml; c 102 "reviewed model"
