#!/bin/sh
# build-release.sh OUTDIR: a Release build without the test suite, and its
# packages (a .deb and a relocatable .tar.gz) in OUTDIR. .ci/run proves it
# (builds, installs the .deb, runs it); the Dockerfile and action.yml call
# it unchanged.
set -eu
out=${1:?usage: build-release.sh OUTDIR}
src=$(cd "$(dirname "$0")/.." && pwd)
build=${TMLINT_RELEASE_BUILD_DIR:-$src/build-release}
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTMLINT_TESTS=OFF
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)"
mkdir -p "$out"
cpack --config "$build/CPackConfig.cmake" -B "$out/.cpack"
mv "$out"/.cpack/*.deb "$out"/.cpack/*.tar.gz "$out"/
rm -rf "$out/.cpack"
ls "$out"
