#!/bin/sh
# install-deps.sh [build|test|runtime|action|action-runtime]...: installs the Debian packages that
# building, testing or only running tmlint needs. One list, used by the
# README, .ci/run, the Dockerfile and action.yml, so the steps CI proves are
# the steps the image and the Action take. Runs apt-get only for what is
# missing; as a user that is not root it uses sudo.
set -eu
build="build-essential cmake pkg-config file libyaml-dev libpcre2-dev liblua5.4-dev libgit2-dev libexpat1-dev"
test="libcmocka-dev python3-jsonschema python3-yaml valgrind pre-commit git chromium jq lua-check neovim"
# action.yml: the build, and jq for the job summary
action="jq"
# the runtime libraries are what the .deb depends on; this line is for a
# tarball unpacked by hand
runtime="libyaml-0-2 libpcre2-8-0 liblua5.4-0 libexpat1 libgit2-1.5"
# another distribution (an Ubuntu runner) has its own libgit2 1.x: the
# newest it offers stands in for libgit2-1.5 when that one is not offered
want=""
[ $# -gt 0 ] || set -- build
for what in "$@"; do
  case "$what" in
    build) want="$want $build" ;;
    test) want="$want $test" ;;
    runtime) want="$want $runtime" ;;
    action) want="$want $build $action" ;;
    action-runtime) want="$want $runtime $action" ;;
    --print) print=1 ;;
    *) echo "install-deps.sh: unknown set '$what' (build, test, runtime, action, action-runtime)" >&2; exit 2 ;;
  esac
done
if [ "${print:-0}" = 1 ]; then echo $want; exit 0; fi
missing=""
for p in $want; do
  case "$p" in
    libgit2-1.*) # any libgit2 1.x installed will do (src/repo/git_dl.c loads it)
      dpkg-query -W -f='${Status}\n' 'libgit2-1.*' 2>/dev/null | grep -q "install ok installed" && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
case " $missing " in *" libgit2-1.5 "*)
  if ! apt-cache show libgit2-1.5 >/dev/null 2>&1; then
    other=$(apt-cache pkgnames libgit2-1. | grep -E '^libgit2-1\.[0-9]+$' | sort -V | tail -1)
    missing=$(echo "$missing" | sed "s/libgit2-1\.5/${other:-libgit2-1.5}/")
  fi ;;
esac
# shellcheck disable=SC2086 # one word per package
$SUDO apt-get install -y -qq --no-install-recommends $missing
