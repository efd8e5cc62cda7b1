#!/usr/bin/env bash
# The packages: cpack builds a .deb and a .tar.gz from this build tree; the
# tarball unpacked anywhere runs and finds its own rules; the .deb depends on
# the runtime libraries and installs the binary, rules, man page, schema and
# completions under /usr. With TMLINT_PACKAGE_INSTALL=1 (as root; .ci/run
# sets it) the .deb is installed with dpkg -i, run from /usr/bin and removed.
. "$SRC/tests/lib.sh"
: "${BUILD:?}"
cd "$SRC" || exit 1

if ! command -v cpack >/dev/null || ! command -v dpkg-deb >/dev/null; then
  echo "skip: cpack or dpkg-deb missing"; exit 0
fi
run cpack --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg"
expect_rc 0 "cpack"
deb=$(ls "$WORK"/pkg/tmlint_*.deb 2>/dev/null | head -1)
tgz=$(ls "$WORK"/pkg/tmlint-*.tar.gz 2>/dev/null | head -1)
[ -n "$deb" ] && pass || fail "no .deb in $(ls "$WORK/pkg")"
[ -n "$tgz" ] && pass || fail "no .tar.gz in $(ls "$WORK/pkg")"

# the same findings from the build tree and from a package
"$TMLINT" check --now "$NOW" samples/ >"$WORK/want" 2>&1

# -- the tarball, unpacked in a directory that is neither the build nor the
# source tree, with a rule added to its own rules directory: listing it
# proves the binary reads <exe>/../share/tmlint/rules
if [ -n "$tgz" ]; then
  mkdir -p "$WORK/elsewhere/opt"
  tar -xzf "$tgz" -C "$WORK/elsewhere/opt"
  top=$(ls "$WORK/elsewhere/opt")
  root="$WORK/elsewhere/opt/$top"
  [ -x "$root/bin/tmlint" ] && pass || fail "tarball: no bin/tmlint"
  for f in share/tmlint/rules/TM310.lua share/tmlint/rules/formats/otm.lua share/tmlint/rules/lib/tm.lua \
           share/tmlint/model.schema.json share/man/man1/tmlint.1 share/bash-completion/completions/tmlint; do
    [ -f "$root/$f" ] && pass || fail "tarball: no $f"
  done
  run env -u TMLINT_RULES_DIR "$root/bin/tmlint" check --now "$NOW" samples/
  expect_rc 1 "tarball tmlint check samples/"
  cat "$WORK/out" "$WORK/err" >"$WORK/got"
  if cmp -s "$WORK/want" "$WORK/got"; then pass; else fail "tarball: findings differ"; diff "$WORK/want" "$WORK/got" | head >&2; fi
  sed -e 's/"TM001"/"TM990"/' -e 's/model-without-owner/packaged-rule-probe/' \
    "$root/share/tmlint/rules/TM001.lua" >"$root/share/tmlint/rules/TM990.lua"
  run env -u TMLINT_RULES_DIR "$root/bin/tmlint" rules
  expect_in "$WORK/out" "packaged-rule-probe" "tarball binary reads its own share/tmlint/rules"
fi

# -- the .deb: its metadata and its files
if [ -n "$deb" ]; then
  dpkg-deb -f "$deb" Package Version Architecture Depends >"$WORK/control"
  expect_in "$WORK/control" "Package: tmlint" "deb Package"
  expect_in "$WORK/control" "Version: $("$TMLINT" --version | sed 's/^tmlint //')" "deb Version is the binary's"
  for lib in libyaml-0-2 libpcre2-8-0 liblua5.4-0 libexpat1 libc6 libgit2-; do
    expect_in "$WORK/control" "$lib" "deb depends on $lib"
  done
  dpkg-deb -c "$deb" | awk '{print $NF}' >"$WORK/files"
  for f in ./usr/bin/tmlint ./usr/include/tmlint.h ./usr/share/tmlint/rules/TM310.lua ./usr/share/tmlint/rules/formats/native.lua \
           ./usr/share/tmlint/rules/lib/tm.lua ./usr/share/tmlint/rules/meta-leaves.tsv ./usr/share/tmlint/model.schema.json \
           ./usr/share/man/man1/tmlint.1 ./usr/share/bash-completion/completions/tmlint \
           ./usr/share/zsh/site-functions/_tmlint ./usr/share/fish/vendor_completions.d/tmlint.fish; do
    expect_in "$WORK/files" "$f" "deb holds $f"
  done
  expect_not_in "$WORK/files" "./usr/local" "deb installs under /usr, not /usr/local"
fi

# -- install, run from /usr/bin, remove
if [ "${TMLINT_PACKAGE_INSTALL:-0}" = 1 ] && [ -n "$deb" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    fail "TMLINT_PACKAGE_INSTALL=1 needs root (dpkg -i)"
  elif dpkg-query -W tmlint >/dev/null 2>&1; then
    fail "a tmlint package is installed already; not replacing it"
  else
    run dpkg -i "$deb"
    expect_rc 0 "dpkg -i"
    env -u TMLINT_RULES_DIR /usr/bin/tmlint check --now "$NOW" samples/ >"$WORK/got" 2>&1
    rc=$?
    expect_rc 1 "/usr/bin/tmlint check samples/"
    if cmp -s "$WORK/want" "$WORK/got"; then pass; else fail "/usr/bin/tmlint: findings differ"; diff "$WORK/want" "$WORK/got" | head >&2; fi
    run /usr/bin/tmlint explain TM310
    expect_rc 0 "/usr/bin/tmlint explain"
    [ -d /usr/share/tmlint/rules ] && pass || fail "no /usr/share/tmlint/rules"
    # the library from the package: the example built with its pkg-config
    # file runs with the rules the package installed
    flags=$(PKG_CONFIG_PATH=/usr/lib/pkgconfig pkg-config --cflags --libs tmlint 2>/dev/null)
    # shellcheck disable=SC2086
    if [ -n "$flags" ] && cc -std=c11 -o "$WORK/ex" "$SRC/docs/examples/check_buffer.c" $flags 2>"$WORK/err"; then pass
    else fail "the example does not build against the packaged library"; cat "$WORK/err" >&2; fi
    run env -u TMLINT_RULES_DIR "$WORK/ex"
    expect_rc 0 "the example on the packaged library"
    expect_in "$WORK/out" "shop.tm.yaml:5:5: error: threat 'T1' has no mitigation" "the packaged library finds"
    run dpkg -r tmlint
    expect_rc 0 "dpkg -r"
    [ ! -e /usr/bin/tmlint ] && pass || fail "/usr/bin/tmlint left after dpkg -r"
    [ ! -e /usr/share/tmlint ] && pass || fail "/usr/share/tmlint left after dpkg -r"
    # the library's ldconfig scripts leave the package's record until a purge
    run dpkg -P tmlint
    expect_rc 0 "dpkg -P"
    dpkg-query -W tmlint >/dev/null 2>&1 && fail "package still registered after a purge" || pass
  fi
fi
finish
