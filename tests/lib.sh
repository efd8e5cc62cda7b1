# Shared helpers for the shell-driven tests. Each test sources this file.
# Environment (set by CTest): TMLINT (the binary), SRC (source tree), BUILD.
set -u
: "${TMLINT:?run through ctest, or set TMLINT}"
: "${SRC:?run through ctest, or set SRC}"
NOW=2026-11-23
failures=0
passes=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tmlint-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

pass() { passes=$((passes + 1)); }
fail() { failures=$((failures + 1)); echo "FAIL: $*" >&2; }

# run CMD...: runs with stdout in $WORK/out, stderr in $WORK/err, status in $rc
run() {
  "$@" >"$WORK/out" 2>"$WORK/err"
  rc=$?
}

expect_rc() { # expect_rc WANT LABEL
  if [ "$rc" -eq "$1" ]; then pass; else fail "$2: exit $rc, wanted $1"; sed 's/^/  | /' "$WORK/err" >&2; fi
}

expect_in() { # expect_in FILE TEXT LABEL
  if grep -qF -- "$2" "$1"; then pass; else fail "$3: '$2' not in $(basename "$1")"; sed 's/^/  | /' "$1" | head -20 >&2; fi
}

expect_not_in() {
  if grep -qF -- "$2" "$1"; then fail "$3: '$2' unexpectedly in $(basename "$1")"; else pass; fi
}

# compare_golden ACTUAL EXPECTED LABEL; UPDATE_GOLDEN=1 rewrites EXPECTED
compare_golden() {
  if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cp "$1" "$2"; pass; return; fi
  if diff -u "$2" "$1" >"$WORK/diff"; then pass; else fail "$3 differs from $(basename "$2")"; cat "$WORK/diff" >&2; fi
}

finish() {
  echo "$passes passed, $failures failed"
  [ "$failures" -eq 0 ]
}
