#!/bin/sh
# release-sums.sh DIST TAG COMMIT: the release's last step before upload.
# Checks that the tarball in DIST is the version TAG names (v0.1.0 holds
# tmlint 0.1.0), writes tmlint-release.txt (version and the commit built)
# and SHA256SUMS over every file, which the Action checks before it runs
# what it downloaded. .github/workflows/release.yml runs it; tests/ship
# builds a fake release with it.
set -eu
dist=${1:?usage: release-sums.sh DIST TAG COMMIT}
tag=${2:?usage: release-sums.sh DIST TAG COMMIT}
commit=${3:?usage: release-sums.sh DIST TAG COMMIT}
version=${tag#v}
case "$tag" in v[0-9]*) ;; *) echo "release-sums.sh: '$tag' is not a version tag (vX.Y.Z)" >&2; exit 2 ;; esac
case "$commit" in *[!0-9a-f]*|"") echo "release-sums.sh: '$commit' is not a commit id" >&2; exit 2 ;; esac
[ ${#commit} -eq 40 ] || { echo "release-sums.sh: '$commit' is not a full commit id" >&2; exit 2; }
cd "$dist"
set -- tmlint-"$version"-*.tar.gz
[ -f "$1" ] || { echo "release-sums.sh: no tmlint-$version-*.tar.gz in $dist (is the tag the version in CMakeLists.txt?)" >&2; exit 2; }
# the unpacked binary must say the tag's version
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$1" -C "$tmp"
got=$("$tmp"/*/bin/tmlint --version)
if [ "$got" != "tmlint $version" ]; then
  echo "release-sums.sh: the tarball's tmlint says '$got', the tag $tag" >&2; exit 2
fi
printf 'version %s\ncommit %s\n' "$version" "$commit" >tmlint-release.txt
rm -f SHA256SUMS
sha256sum -- * >SHA256SUMS.new
mv SHA256SUMS.new SHA256SUMS
cat SHA256SUMS
