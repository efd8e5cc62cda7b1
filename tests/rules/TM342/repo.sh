# Builds the throwaway repository the rule needs: both models and the code
# are committed, then the kiosk code changes and is staged. quiet.tm.yaml
# is part of the staged change; fires.tm.yaml is not.
set -eu
D=$1 SRCDIR=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$D" && cd "$D"
git init -q . && git config user.email t@example.test && git config user.name test
mkdir -p kiosk ledger
echo 'int main(void) { return 0; }' >kiosk/main.c; echo 'int post(void) { return 0; }' >ledger/post.c
cp "$SRCDIR/fires.tm.yaml" fires.tm.yaml
sed 's/^title: .*/title: Ticket kiosk (before review)/' "$SRCDIR/quiet.tm.yaml" >quiet.tm.yaml
git add -A && GIT_AUTHOR_DATE=2026-01-01T12:00:00Z GIT_COMMITTER_DATE=2026-01-01T12:00:00Z git commit -q -m "models and code"
echo '/* reads the card twice */' >>kiosk/main.c
cp "$SRCDIR/quiet.tm.yaml" quiet.tm.yaml
echo '/* not staged */' >>ledger/post.c   # a work-tree change is not what is staged
git add kiosk/main.c quiet.tm.yaml
