#!/usr/bin/env bash
# The shell steps of action.yml, one subcommand per step, so that a test
# can run them outside GitHub with the same environment the runner gives
# (GITHUB_ACTION_PATH, GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_PATH,
# GITHUB_STEP_SUMMARY, RUNNER_TEMP). Inputs arrive as INPUT_* variables set
# in action.yml's env blocks, never pasted into the script: a path or a
# message with shell syntax in it stays data.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
temp=${RUNNER_TEMP:?RUNNER_TEMP is not set}

# one value per line of a multi-line input, blank lines and surrounding
# spaces dropped, into the array named by $1
lines_to() {
  local -n into=$1
  into=()
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    if [ -n "$line" ]; then into+=("$line"); fi
  done <<<"$2"
  return 0
}

# a value with a line break would add outputs of its own (exit-code=0, say)
out() {
  case "$2" in *$'\n'*|*$'\r'*) echo "::error::tmlint action: $1 holds a line break"; exit 2 ;; esac
  printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
}

# the Action's own commit: github.action_ref when it is one (uses:
# owner/tmlint@SHA), else the checkout's HEAD (the template's actions/checkout
# into .tmlint); empty when neither says
own_commit() {
  local ref=${TMLINT_ACTION_REF:-} c
  if [[ "$ref" =~ ^[0-9a-f]{40}$ ]]; then echo "$ref"; return; fi
  if c=$(git -C "$here" rev-parse --verify -q 'HEAD^{commit}' 2>/dev/null) && [[ "$c" =~ ^[0-9a-f]{40}$ ]]; then
    echo "$c"
  fi
}

# the release of this Action's version, downloaded into $temp/tmlint and
# checked against its SHA256SUMS; returns 1 (with a notice) when there is
# none for this commit, and fails the step when a file does not match
get_release() {
  local url=$1 tag=$2 version=$3 commit=$4 by_tag=$5 d="$temp/tmlint-release"
  rm -rf "$d" && mkdir -p "$d"
  local curl=(curl -fsSL --retry 3 --max-time 120 --proto '=https,file')
  if ! "${curl[@]}" -o "$d/SHA256SUMS" "$url/SHA256SUMS" 2>"$d/err" ||
     ! "${curl[@]}" -o "$d/tmlint-release.txt" "$url/tmlint-release.txt" 2>>"$d/err"; then
    echo "::notice::tmlint: no release $tag to download ($(head -c 300 "$d/err" | tr '\n' ' ')); building from source"
    return 1
  fi
  local rel_version rel_commit
  rel_version=$(sed -n 's/^version \([0-9A-Za-z.+~-]*\)$/\1/p' "$d/tmlint-release.txt")
  rel_commit=$(sed -n 's/^commit \([0-9a-f]\{40\}\)$/\1/p' "$d/tmlint-release.txt")
  if [ "$rel_version" != "$version" ]; then
    echo "::notice::tmlint: release $tag holds version '$rel_version', not $version; building from source"
    return 1
  fi
  if [ "$by_tag" != 1 ] && [ "$rel_commit" != "$commit" ]; then
    echo "::notice::tmlint: release $tag was built from ${rel_commit:-an unnamed commit}, this Action is ${commit:-an unknown commit}; building from source"
    return 1
  fi
  local name
  name=$(sed -n 's/^[0-9a-f]\{64\}  \(tmlint-[0-9A-Za-z.+~-]*-Linux-x86_64\.tar\.gz\)$/\1/p' "$d/SHA256SUMS" | head -1)
  if [ -z "$name" ]; then
    echo "::notice::tmlint: release $tag lists no Linux x86_64 tarball in SHA256SUMS; building from source"
    return 1
  fi
  if ! "${curl[@]}" -o "$d/$name" "$url/$name" 2>"$d/err"; then
    echo "::error::tmlint: release $tag lists $name but it cannot be downloaded: $(head -c 300 "$d/err" | tr '\n' ' ')"
    exit 2
  fi
  # every file used is checked: the tarball and the release note
  if ! (cd "$d" && grep -E "  ($name|tmlint-release\.txt)\$" SHA256SUMS | sha256sum -c --strict --quiet -); then
    echo "::error::tmlint: $name or tmlint-release.txt of release $tag does not match its SHA256SUMS; not running it"
    exit 2
  fi
  rm -rf "$temp/tmlint" && mkdir -p "$temp/tmlint"
  tar -xzf "$d/$name" -C "$temp/tmlint" --strip-components=1 --no-same-owner
  return 0
}

cmd_fetch() {
  local install=${INPUT_INSTALL:-auto}
  case "$install" in auto|release|source) ;; *)
    echo "::error::tmlint action: install '$install' is not one of auto, release, source"; exit 2 ;; esac
  local version commit ref=${TMLINT_ACTION_REF:-} tag by_tag=0
  version=$(sed -n 's/^project(tmlint VERSION \([0-9.]*\) .*/\1/p' "$here/CMakeLists.txt")
  commit=$(own_commit)
  tag="v$version"
  if [ "$ref" = "$tag" ]; then by_tag=1; fi   # uses: owner/tmlint@v0.1.0
  local repo=${TMLINT_ACTION_REPOSITORY:-${TMLINT_REPOSITORY:-}} base=${TMLINT_RELEASE_BASE:-}
  if [ -z "$base" ] && [[ "$repo" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]]; then
    base="https://github.com/$repo/releases/download"
  fi
  local how=build
  if [ "$install" != source ]; then
    if [ -z "$base" ]; then
      echo "::notice::tmlint: the Action's repository is not known (set TMLINT_REPOSITORY); building from source"
    elif get_release "$base/$tag" "$tag" "$version" "$commit" "$by_tag"; then
      how=release
    fi
  fi
  if [ "$how" = build ] && [ "$install" = release ]; then
    echo "::error::tmlint action: install is 'release' and no release matches this Action"; exit 2
  fi
  out how "$how"
  if [ "$how" = release ]; then
    bash "$here/tools/install-deps.sh" action-runtime
    finish_install "from release $tag, checked against its SHA256SUMS"
    return
  fi
  # a build from source is cached by the commit it is, or by the sources
  # themselves when the commit is not known
  local key=$commit
  if [ -z "$key" ]; then
    key=$(cd "$here" && find CMakeLists.txt src include rules tools -type f -print0 | LC_ALL=C sort -z |
          xargs -0 sha256sum | sha256sum | cut -c1-40)
  fi
  out cache-key "tmlint-build-$(uname -s)-$(uname -m)-$key"
  out cache-path "$temp/tmlint"
}

finish_install() {
  "$temp/tmlint/bin/tmlint" --version
  echo "tmlint: installed $1"
  echo "$temp/tmlint/bin" >>"$GITHUB_PATH"
  out tmlint "$temp/tmlint/bin/tmlint"
}

cmd_build() {
  # a build restored from the cache runs once the runtime libraries are there
  if [ "${INPUT_CACHE_HIT:-}" = true ] && [ -x "$temp/tmlint/bin/tmlint" ]; then
    bash "$here/tools/install-deps.sh" action-runtime
    if "$temp/tmlint/bin/tmlint" --version >/dev/null 2>&1; then
      finish_install "from the cache of this commit's build"
      return
    fi
  fi
  bash "$here/tools/install-deps.sh" action
  # the release build .ci/run proves, unpacked from its relocatable tarball
  TMLINT_RELEASE_BUILD_DIR="$temp/tmlint-build" bash "$here/tools/build-release.sh" "$temp/tmlint-dist"
  rm -rf "$temp/tmlint"
  mkdir -p "$temp/tmlint"
  tar -xzf "$temp"/tmlint-dist/tmlint-*.tar.gz -C "$temp/tmlint" --strip-components=1
  finish_install "built from source"
}

cmd_check() {
  local tmlint=${TMLINT_BIN:-$temp/tmlint/bin/tmlint}
  local format=${INPUT_FORMAT:-sarif} output=${INPUT_OUTPUT:-} fail_on=${INPUT_FAIL_ON:-error}
  case "$format" in text|sarif|json|codequality|junit|html) ;; *)
    echo "::error::tmlint action: format '$format' is not one of text, sarif, json, codequality, junit, html"; exit 2 ;; esac
  case "$fail_on" in error|warning|note|none) ;; *)
    echo "::error::tmlint action: fail-on '$fail_on' is not one of error, warning, note, none"; exit 2 ;; esac
  if [ -z "$output" ]; then   # text goes to the log
    case "$format" in sarif) output=tmlint.sarif ;; json) output=tmlint.json ;; junit) output=tmlint-junit.xml ;;
      html) output=tmlint.html ;; codequality) output=gl-code-quality-report.json ;; esac
  fi
  local opts=(--color never --fail-on "$fail_on")
  if [ -n "${INPUT_CATEGORY:-}" ]; then opts+=(--category "$INPUT_CATEGORY"); fi
  if [ -n "${INPUT_CONFIG:-}" ]; then opts+=(--config "$INPUT_CONFIG"); fi
  if [ -n "${INPUT_BASELINE:-}" ]; then
    opts+=(--baseline "$INPUT_BASELINE")
    if [ "${INPUT_NEW_ONLY:-false}" = true ]; then opts+=(--new-only); fi
  fi
  local ex paths p tr
  lines_to ex "${INPUT_EXCLUDE:-}"
  for p in "${ex[@]}"; do opts+=(--exclude "$p"); done
  lines_to tr "${INPUT_TEST_RESULTS:-}"
  for p in "${tr[@]}"; do opts+=(--test-results "$p"); done
  # this action's own tree, when a workflow checked it out inside the
  # workspace, holds sample models with findings: never check it
  local ws action_path
  ws=$(cd "${GITHUB_WORKSPACE:-.}" && pwd -P)
  action_path=$(cd "$here" && pwd -P)
  case "$action_path/" in "$ws"/*) opts+=(--exclude "${action_path#"$ws"/}") ;; esac
  lines_to paths "${INPUT_PATHS:-.}"
  [ ${#paths[@]} -gt 0 ] || paths=(.)

  cd "$ws"
  # a workspace another user owns (a container job) is refused by git's
  # ownership check, and the history rules would go quiet: on a runner,
  # mark it safe as actions/checkout does (never on a developer's machine)
  if [ "${GITHUB_ACTIONS:-}" = true ] && command -v git >/dev/null &&
     ! git config --global --get-all safe.directory 2>/dev/null | grep -qxF "$ws"; then
    git config --global --add safe.directory "$ws" || true
  fi
  # the change under check: the input, else a pull request's base when the
  # clone holds it (a shallow checkout does not: said, and the change-aware
  # rules stay quiet rather than the job failing)
  local since=${INPUT_CHANGED_SINCE:-}
  if [ -z "$since" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
    if git rev-parse --verify -q "origin/${GITHUB_BASE_REF}^{commit}" >/dev/null 2>&1; then
      since="origin/${GITHUB_BASE_REF}"
    else
      echo "::notice::tmlint: the pull request's base (origin/${GITHUB_BASE_REF}) is not in the clone; check out with fetch-depth: 0 for the change-aware rules"
    fi
  fi
  if [ -n "$since" ]; then opts+=(--changed-since "$since"); fi
  local rc=0
  if [ -n "$output" ]; then
    "$tmlint" check "${opts[@]}" --format "$format" --output "$output" -- "${paths[@]}" || rc=$?
  else
    "$tmlint" check "${opts[@]}" --format "$format" -- "${paths[@]}" || rc=$?
  fi
  local sarif=""
  if [ "$format" = sarif ]; then
    sarif=$output
  elif [ "${INPUT_UPLOAD_SARIF:-true}" = true ] || [ "${INPUT_SUMMARY:-true}" = true ]; then
    # the summary and code scanning need SARIF: a second run writes it
    sarif="$temp/tmlint.sarif"
    local rc2=0
    "$tmlint" check "${opts[@]}" --quiet --format sarif --output "$sarif" -- "${paths[@]}" || rc2=$?
    if [ "$rc2" -gt 1 ]; then sarif=""; fi
  fi
  if [ -n "$sarif" ] && [ ! -f "$sarif" ]; then sarif=""; fi
  out exit-code "$rc"
  out sarif "$sarif"
  if [ -n "$output" ]; then out output "$output"; fi
  echo "tmlint exit status: $rc"
}

cmd_summary() {
  local sarif=${INPUT_SARIF:?}
  cd "${GITHUB_WORKSPACE:-.}"
  bash "$here/tools/sarif-summary.sh" "$sarif" >>"$GITHUB_STEP_SUMMARY"
}

cmd_finish() {
  local rc=${INPUT_EXIT_CODE:-}
  case "$rc" in
    0) echo "tmlint: no finding at or above fail-on" ;;
    1) echo "::error::tmlint found threat-model findings at or above fail-on (see the job summary or code scanning)"; exit 1 ;;
    "") echo "::error::tmlint did not run"; exit 2 ;;
    *) echo "::error::tmlint could not check everything (exit $rc): see the check step's log"; exit "$rc" ;;
  esac
}

case "${1:-}" in
  fetch) cmd_fetch ;;
  build) cmd_build ;;
  check) cmd_check ;;
  summary) cmd_summary ;;
  finish) cmd_finish ;;
  *) echo "usage: action.sh fetch|build|check|summary|finish" >&2; exit 2 ;;
esac
