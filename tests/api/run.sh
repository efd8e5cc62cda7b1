# libtmlint as a host links it: docs/examples/check_buffer.c built against
# the library checks a model held in memory, then an edit of it; its
# findings are the command line's for the same file; and the same example
# compiled against an installed copy (cmake --install, pkg-config) finds
# the installed rules beside the library.
. "$(dirname "$0")/../lib.sh"
EX=$BUILD/tests/check_buffer
run "$EX"
expect_rc 0 "the example runs"
compare_golden "$WORK/out" "$SRC/tests/api/check_buffer.expected" "the example's output"
cp "$WORK/out" "$WORK/example"
# the command line on the same bytes: the same rules at the same places
printf 'model: 1\ntitle: Shop\nowner: team-shop\nthreats:\n  - id: T1\n    title: Card numbers are read from the order log\n    severity: hihg\n' >"$WORK/shop.tm.yaml"
(cd "$WORK" && "$TMLINT" check --now 2026-11-23 --no-repo --color never -q shop.tm.yaml) >"$WORK/cli" 2>&1
sed -n '1,/ findings$/p' "$WORK/example" | grep -v ' findings$' | sed 's/ (fix available)$//' >"$WORK/lib"
sed -E 's/ \[(TM[0-9]+) [a-z-]+\]$/ [\1]/' "$WORK/cli" >"$WORK/cli2"
if diff "$WORK/cli2" "$WORK/lib" >"$WORK/d"; then pass; else fail "the library and the command line differ"; cat "$WORK/d" >&2; fi
# installed, and compiled as a user would
if [ "${TMLINT_SANITIZED:-}" != 1 ]; then
  if cmake --install "$BUILD" --prefix "$WORK/inst" >/dev/null 2>&1; then pass; else fail "cmake --install"; fi
  PC=$(ls -d "$WORK"/inst/lib*/pkgconfig 2>/dev/null | head -1)
  [ -f "$PC/tmlint.pc" ] && [ -f "$WORK/inst/include/tmlint.h" ] && pass || fail "tmlint.pc or tmlint.h not installed"
  flags=$(PKG_CONFIG_PATH=$PC pkg-config --cflags --libs tmlint)
  # shellcheck disable=SC2086
  if cc -std=c11 -Wall -Wextra -Werror -o "$WORK/ex" "$SRC/docs/examples/check_buffer.c" $flags 2>"$WORK/err"; then pass
  else fail "the example does not build against the installed library"; cat "$WORK/err" >&2; fi
  # the source tree's rules are not where an installed library looks first
  run env LD_LIBRARY_PATH="$(dirname "$PC")" "$WORK/ex"
  expect_rc 0 "the installed example runs"
  cmp -s "$WORK/out" "$WORK/example" && pass || fail "the installed library checks differently"
  run env LD_LIBRARY_PATH="$(dirname "$PC")" ldd "$WORK/ex"
  expect_in "$WORK/out" "$(dirname "$PC")/libtmlint.so.0" "the example links the installed libtmlint.so"
fi
finish
