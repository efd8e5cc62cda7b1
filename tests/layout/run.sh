# src/ by layer: no folder includes a header of a folder above it
# (tools/check-layers.py; the order is docs/architecture.md's), and
# docs/architecture.md names every folder in that order.
. "$(dirname "$0")/../lib.sh"
run /usr/bin/python3 "$SRC/tools/check-layers.py"
expect_rc 0 "includes go down the layers only"
[ "$rc" = 0 ] || cat "$WORK/out" >&2
order=$(sed -n 's/^ORDER = \[\(.*\)\]/\1/p' "$SRC/tools/check-layers.py" | tr -d '", ')
doc=$(grep -o '^| `src/[a-z]*/`' "$SRC/docs/architecture.md" | sed 's#| `src/##; s#/`##' | tac | tr -d '\n')
[ "$order" = "$doc" ] && pass || fail "docs/architecture.md's table ($doc) is not the checker's order ($order), top first"
# a header moved up would be caught: a lower file including a higher one
cp -r "$SRC/src" "$WORK/src" && cp -r "$SRC/tools" "$WORK/tools"
sed -i '1i #include "cmd.h"' "$WORK/src/base/buf.c"
run /usr/bin/python3 "$WORK/tools/check-layers.py"
expect_rc 1 "an include going up is caught"
expect_in "$WORK/out" "src/base/buf.c:1: includes cmd.h from src/app/, a layer above src/base/" "and named"
finish
