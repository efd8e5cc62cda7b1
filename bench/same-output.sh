#!/usr/bin/env bash
# Whether two builds of tmlint say exactly the same: every output format,
# exit status and stderr, on the bench models, the samples and the corpus.
# For changes that must keep every finding byte for byte (how the document
# is held, issue 36): build the base commit in a worktree, then
#   bench/same-output.sh /tmp/base/build/tmlint build/tmlint
# Each side is a command split on spaces, so that it may set a variable:
#   bench/same-output.sh build/tmlint 'env TMLINT_DIRECT=1 build/tmlint'
# Prints each difference and exits 1 when there is one.
set -uo pipefail
cd "$(dirname "$0")/.."
A=$1 B=$2
CORPUS=${CORPUS:-../shared/corpus}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
files=()
for f in bench/out/model-100.tm.yaml bench/out/model-1000.tm.yaml bench/out/model-1000-flows.tm.yaml \
         bench/out/model-10000.tm.yaml; do
  [ -f "$f" ] && files+=("$f")
done
while IFS= read -r f; do files+=("$f"); done < <(find samples tests "$CORPUS" -type f \
  \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | sort)
diffs=0
for f in "${files[@]}"; do
  for fmt in sarif json text; do
    for which in A B; do
      read -r -a bin <<<"${!which}"
      "${bin[@]}" check --now 2026-11-23 --max-file-size 1000000000 --format "$fmt" "$f" >"$out/$which.out" 2>"$out/$which.err"
      echo "exit $?" >>"$out/$which.err"
    done
    if ! cmp -s "$out/A.out" "$out/B.out" || ! cmp -s "$out/A.err" "$out/B.err"; then
      echo "differs: $fmt $f"
      diff "$out/A.out" "$out/B.out" | head -5
      diff "$out/A.err" "$out/B.err" | head -5
      diffs=$((diffs + 1))
    fi
  done
done
echo "${#files[@]} files, 3 formats each: $diffs differ"
[ "$diffs" -eq 0 ]
